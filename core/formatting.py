"""One way to show money and numbers: "2 644 000 kr" (no-break spaces between groups)."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def format_number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):  # counts, most of what the lists show: nothing to round
        rounded = value
    else:
        rounded = int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    sign = "−" if rounded < 0 else ""
    return sign + f"{abs(rounded):,}".replace(",", NBSP)


def format_sek(value) -> str:
    if value is None:
        return "–"
    return f"{format_number(value)}{NBSP}kr"


def format_hours(value) -> str:
    """Hours to the tenth, as they are entered: 12.5 → "12,5", 12 → "12", 1234.5 →
    "1 234,5" (a whole number of hours without decimals)."""
    if value is None:
        return "–"
    tenths = (Decimal(value) * 10).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    whole, tenth = divmod(abs(int(tenths)), 10)
    text = ("−" if tenths < 0 else "") + format_number(whole)
    return f"{text},{tenth}" if tenth else text
