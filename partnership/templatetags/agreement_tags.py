from django import template

from partnership import nav

register = template.Library()


@register.filter
def days_left(agreement, today):
    """Days from today to the agreement's end (0 once it has ended)."""
    return agreement.days_left(today)


@register.inclusion_tag("partnership/_tabs.html", takes_context=True)
def agreement_tabs(context, agreement):
    """The tabs of an agreement's pages (``partnership.nav``)."""
    return {"agreement": agreement, "tabs": nav.agreement_tabs(context["request"], agreement)}
