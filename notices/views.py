from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnership.access import user_organisation, user_roles

from .forms import PreferenceForm
from .models import Preference


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's own page: who they are in the app, and which e-mails they get."""
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("notices:profile")
    return render(
        request,
        "notices/profile.html",
        {
            "form": form,
            "organisation": user_organisation(request.user),
            "roles": sorted(user_roles(request.user)),
        },
    )
