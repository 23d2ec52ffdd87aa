from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views
from reporting import views as reporting_views

admin.site.site_header = admin.site.site_title = _("IOP administration")
admin.site.index_title = _("Agreements, visits, money and users")

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("agreements/", include("partnership.urls")),
    # The money pages keep their addresses under the agreement's.
    path("agreements/", include("finance.urls")),
    path("visits/", include("visits.urls")),
    path("dialogue/", include("dialogue.urls")),
    path("agreements/", include("documents.urls")),
    path("reports/", include("reporting.urls")),
    path("profile/", include("notices.urls")),
    path("admin/", admin.site.urls),
]

# MEDIA_ROOT is never served as files, not even with DEBUG on: the frozen report PDFs are
# reached only through views that check access and the SHA-256 (reporting.views.version_pdf).
