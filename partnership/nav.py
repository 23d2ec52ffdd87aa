"""The tabs of an agreement's pages (the row under the agreement's name), all in one table;
``partnership/_tabs.html`` renders them (the ``agreement_tabs`` inclusion tag). The other
apps' pages are named by their URL names only: this module imports none of them."""

from django.utils.translation import gettext_lazy as _

from .access import STAFF, can_read_history

# The template every page of an agreement extends: the site's base with the agreement's tabs.
AGREEMENT_BASE = "partnership/agreement_base.html"

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
    (_("Budget"), "finance:budget", {"budget"}, None),
    (
        _("Expenses"),
        "finance:expense_list",
        {"expense_list", "expense_import", "sie_import", "sie_rule_list"},
        None,
    ),
    (_("Payments"), "finance:payment_list", {"payment_list"}, None),
    (_("In-kind hours"), "finance:in_kind_list", {"in_kind_list"}, None),
    (_("Dialogue"), "dialogue:meeting_list", {"app:dialogue"}, None),
    (_("Documents"), "documents:document_list", {"app:documents"}, None),
    (_("Reports"), "reporting:report_list", {"app:reporting"}, None),
    (_("History"), "partnership:agreement_history", {"agreement_history"}, "history"),
)


def _visible(who, user, agreement):
    if who == STAFF:
        return getattr(agreement, "user_role", None) == STAFF
    if who == "history":
        return can_read_history(user, agreement)
    return True


def agreement_tabs(request, agreement) -> list[dict]:
    """The tabs ``request``'s user sees on ``agreement``'s pages, in order: each a dict of
    ``label``, ``url_name`` (taking the agreement's key) and ``active`` (the current page)."""
    match = request.resolver_match
    here = {match.url_name, f"app:{match.app_name}"} if match else set()
    return [
        {"label": label, "url_name": name, "active": bool(here & current)}
        for label, name, current, who in TABS
        if _visible(who, request.user, agreement)
    ]
