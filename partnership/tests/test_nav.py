"""The tabs of an agreement's pages: who sees which, and which is the current page."""

import re

from django.urls import reverse


def _tabs(response):
    nav = re.search(r'<ul class="nav nav-tabs[^"]*">(.*?)</ul>', response.content.decode(), re.S)
    tabs = re.findall(
        r'<a class="nav-link( active)?" href="([^"]+)"( aria-current="page")?', nav[1]
    )
    # The current tab is marked for screen readers too.
    assert all(bool(active) == bool(current) for active, _href, current in tabs)
    return [(active, href) for active, href, _current in tabs]


def test_staff_and_coordinator_see_their_tabs_and_the_current_page(
    staff_client, coordinator_client, agreement
):
    pk = agreement.pk
    today = reverse("visits:today_choose", args=[pk])
    history = reverse("partnership:agreement_history", args=[pk])
    sessions = reverse("visits:session_list", args=[pk])
    staff_tabs = _tabs(staff_client.get(sessions))
    assert [href for _active, href in staff_tabs] == [
        reverse("partnership:agreement_detail", args=[pk]),
        sessions,
        reverse("visits:activity_list", args=[pk]),
        today,
        reverse("finance:budget", args=[pk]),
        reverse("finance:expense_list", args=[pk]),
        reverse("finance:payment_list", args=[pk]),
        reverse("finance:in_kind_list", args=[pk]),
        reverse("dialogue:meeting_list", args=[pk]),
        reverse("documents:document_list", args=[pk]),
        reverse("reporting:report_list", args=[pk]),
    ]
    assert [href for active, href in staff_tabs if active] == [sessions]
    coordinator_tabs = _tabs(coordinator_client.get(reverse("reporting:report_list", args=[pk])))
    hrefs = [href for _active, href in coordinator_tabs]
    assert today not in hrefs and hrefs[-1] == history
    # Every page of the reporting app marks the Reports tab.
    assert [href for active, href in coordinator_tabs if active] == [
        reverse("reporting:report_list", args=[pk])
    ]
    # The learning log is a page of the dialogue: its tab is marked.
    learning = _tabs(staff_client.get(reverse("dialogue:learning_list", args=[pk])))
    assert [href for active, href in learning if active] == [
        reverse("dialogue:meeting_list", args=[pk])
    ]
    # The documents page marks its own tab.
    documents = reverse("documents:document_list", args=[pk])
    assert [href for active, href in _tabs(staff_client.get(documents)) if active] == [documents]
    history_tabs = _tabs(coordinator_client.get(history))
    assert [href for active, href in history_tabs if active] == [history]


def test_the_tabs_are_in_the_language_in_use(staff_client, agreement, settings):
    sessions = reverse("visits:session_list", args=[agreement.pk])
    swedish = staff_client.get(sessions).content.decode()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = staff_client.get(sessions).content.decode()
    assert ">Budget</a>" in swedish and ">Utgifter</a>" in swedish
    assert ">Expenses</a>" in english and ">Utgifter</a>" not in english
