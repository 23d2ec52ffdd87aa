"""The tabs of an agreement's pages (the row under the agreement's name), all in one table.

Built in Python: ten tabs with a ``{% url %}`` and an ``{% if %}`` each, in three included
templates, took the template engine about 0.9 ms on every agreement page. The HTML depends
only on the agreement's key, which tabs the user sees, which one is current, the language
and where the site is served, so it is built once per process for each such combination."""

import functools

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .access import STAFF, can_read_history
from .links import served_at, url_for_pk

# (label, URL name, where the tab is the current page, who sees it). "Where" holds URL names
# (without namespace), or "app:NAME" for every page of an app. "Who": every user of the
# agreement (None), its staff (STAFF), or its coordinators and admins ("history").
TABS = (
    (_("Agreement"), "partnership:agreement_detail", {"agreement_detail"}, None),
    (
        _("Sessions"),
        "visits:session_list",
        {"session_list", "session_create", "session_edit", "tally"},
        None,
    ),
    (
        _("Activities"),
        "visits:activity_list",
        {"activity_list", "activity_create", "activity_edit"},
        None,
    ),
    (_("Today"), "visits:today_choose", {"today_choose"}, STAFF),
    (_("Budget"), "partnership:budget", {"budget"}, None),
    (_("Expenses"), "partnership:expense_list", {"expense_list", "expense_import"}, None),
    (_("Payments"), "partnership:payment_list", {"payment_list"}, None),
    (_("In-kind hours"), "partnership:in_kind_list", {"in_kind_list"}, None),
    (_("Reports"), "reporting:report_list", {"app:reporting"}, None),
    (_("History"), "partnership:agreement_history", {"agreement_history"}, "history"),
)


def _visible(who, user, agreement):
    if who == STAFF:
        return getattr(agreement, "user_role", None) == STAFF
    if who == "history":
        return can_read_history(user, agreement)
    return True


def agreement_tabs(request, agreement):
    """The ``<li>`` items of the agreement's tabs for ``request``'s user, the current page's
    tab marked active (``aria-current="page"``)."""
    match = request.resolver_match
    here = {match.url_name, f"app:{match.app_name}"} if match else set()
    shown = tuple(_visible(who, request.user, agreement) for _l, _n, _c, who in TABS)
    active = tuple(bool(here & current) for _l, _n, current, _w in TABS)
    return _tabs(agreement.pk, shown, active, get_language(), *served_at())


@functools.lru_cache(maxsize=2048)
def _tabs(pk, shown, active, language, script_prefix, urlconf):
    # language, script_prefix and urlconf are the ones in use: keys, not arguments.
    items = [
        (mark_safe(' active" aria-current="page') if is_active else "", url_for_pk(name)(pk), label)
        for (label, name, _current, _who), is_shown, is_active in zip(
            TABS, shown, active, strict=True
        )
        if is_shown
    ]
    return format_html_join(
        "\n", '<li class="nav-item"><a class="nav-link{}" href="{}">{}</a></li>', items
    )
