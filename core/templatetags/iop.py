"""The project's formatting filters: money, numbers, hours and shares, one way everywhere."""

from django import template

from core.formatting import format_hours, format_number, format_sek

register = template.Library()


@register.filter
def sek(value):
    """2644000 → "2 644 000 kr"."""
    return format_sek(value)


@register.filter
def number(value):
    """1234567 → "1 234 567"."""
    return format_number(value)


@register.filter
def hours(value):
    """12.5 → "12,5"; whole hours without decimals."""
    return format_hours(value)


@register.filter
def percent(value, digits=0):
    """0.456 → "46 %"; nothing (None, or a figure a snapshot frozen before it existed) "–"."""
    if value is None or value == "":
        return "–"
    text = f"{float(value) * 100:.{int(digits)}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "-0 %"
    return text.replace("-", "\u2212") + "\u00a0%"
