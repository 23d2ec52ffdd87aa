from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_role_groups(sender, app_config=None, using="default", apps=None, **kwargs):
    """The role groups exist after every migrate and every flush.

    Migration 0002 creates them once; ``flush`` (run after each transactional test, e.g. the
    browser tests against ``live_server``) empties the table and then sends post_migrate, as
    Django does for content types and permissions."""
    from .access import ROLE_GROUPS

    if apps is None:
        from django.apps import apps
    try:
        Group = apps.get_model("auth", "Group")
    except LookupError:  # auth not migrated yet
        return
    for name in ROLE_GROUPS:
        Group.objects.using(using).get_or_create(name=name)


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"
    verbose_name = _("Partnership")

    def ready(self):
        post_migrate.connect(ensure_role_groups, sender=self)
