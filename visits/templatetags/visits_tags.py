from django import template
from django.utils import timezone

from partnership.access import STAFF, user_organisation, user_roles
from partnership.models import Party
from visits.models import Venue

register = template.Library()


@register.simple_tag
def today_venues(user):
    """(agreement, venue) pairs for the home page's one-tap "count today" buttons: the active
    venues open today of the running agreements where the user is staff. Two queries."""
    organisation = user_organisation(user)
    if organisation is None or STAFF not in user_roles(user):
        return []
    day = timezone.localdate()
    venues = (
        Venue.objects.filter(
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
