"""One way to show money and numbers: "2 644 000 kr" (no-break spaces between groups)."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def format_number(value) -> str:
    if value is None:
        return "–"
    rounded = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "−" if rounded < 0 else ""
    return sign + f"{abs(int(rounded)):,}".replace(",", NBSP)


def format_sek(value) -> str:
    if value is None:
        return "–"
    return f"{format_number(value)}{NBSP}kr"
