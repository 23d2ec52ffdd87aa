from django import template
from django.contrib.auth.models import Group
from django.db.models import Exists
from django.utils import timezone

from partnership.access import STAFF, user_organisation
from partnership.models import Party
from visits.models import Venue

register = template.Library()


@register.simple_tag
def today_venues(user):
    """(agreement, venue) pairs for the home page's one-tap "count today" buttons: the active
    venues open today of the running agreements where the user is staff. One query."""
    organisation = user_organisation(user)
    if organisation is None:
        return []
    day = timezone.localdate()
    is_staff_member = Exists(Group.objects.filter(name=STAFF, user=user))
    venues = (
        Venue.objects.filter(
            is_staff_member,
            is_active=True,
            opening_hours__weekday=day.weekday(),
            agreement__start_date__lte=day,
            agreement__end_date__gte=day,
            agreement__parties__organisation=organisation,
            agreement__parties__role=Party.Role.IDEA_DRIVEN,
        )
        .select_related("agreement")
        .distinct()
        .order_by("agreement__title", "order", "name")
    )
    return [(v.agreement, v) for v in venues]
