"""Every domain model keeps its history, and coordinators and admins can read who changed what
and when, per agreement."""

import html
import re
from datetime import UTC, date, time

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from simple_history.models import HistoricalChanges

from partnership.history import history_sources, tracked_models
from partnership.models import LockedPeriod
from visits.models import Session

# Models that need no history, with the reason. Add only with a reason.
NO_HISTORY = {
    # A per-user secret, not agreement data: a history would keep every old secret readable
    # in the history table; regenerating it is meant to kill the old one for good.
    "reporting.CalendarToken": "a user's calendar feed secret",
    # The sent log is itself a record of what went out; its rows are written once and then
    # only marked sent or failed.
    "notices.Notice": "the e-mail outbox and sent log",
}
# Tracked models that do not belong to one agreement (their history is in Django admin).
NOT_PER_AGREEMENT = {
    "partnership.Organisation": "shared by agreements; admin history",
    "partnership.Membership": "a user's organisation; admin history",
    "visits.PartnerOrganisation": "shared list of partner names; admin history",
    "notices.Preference": "a user's e-mail choices; admin history",
}


def domain_models():
    for app_label in settings.PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not issubclass(model, HistoricalChanges):
                yield model


def test_every_domain_model_keeps_history():
    missing = [
        m._meta.label
        for m in domain_models()
        if m._meta.label not in NO_HISTORY
        and not getattr(m._meta, "simple_history_manager_attribute", None)
    ]
    assert not missing, f"add history = HistoricalRecords() to {missing}"


def test_every_many_to_many_keeps_history():
    def tracked(model):
        return {f.name for f in model.history.model._history_m2m_fields}

    missing = [
        f"{m._meta.label}.{f.name}"
        for m in domain_models()
        if m._meta.label not in NO_HISTORY
        for f in m._meta.many_to_many
        if f.name not in tracked(m)
    ]
    assert not missing, f"add m2m_fields=[...] to HistoricalRecords of {missing}"


def test_every_tracked_model_shows_in_the_agreement_history():
    shown = {model._meta.label for model, _ in history_sources()}
    missing = [
        m._meta.label
        for m in tracked_models()
        if m._meta.label not in shown and m._meta.label not in NOT_PER_AGREEMENT
    ]
    assert not missing, f"no path from {missing} to an agreement"


@pytest.fixture
def changed(world, staff_user, coordinator):
    """Staff changes a session note; then deletes a session; the coordinator locks May."""
    a = world["a"]
    session = a["session"]
    session.note = "Quiet evening"
    session._history_user = staff_user
    session.save()
    extra = Session.objects.create(
        agreement=a["agreement"],
        venue=a["venue"],
        date=date(2019, 6, 3),
        start_time=time(14),
        end_time=time(20),
    )
    extra._history_user = staff_user
    extra.delete()
    lock = LockedPeriod(
        agreement=a["agreement"],
        start_date=date(2019, 8, 1),
        end_date=date(2019, 8, 31),
        reason="Interim report approved",
    )
    lock._history_user = coordinator
    lock.save()
    return a


def history_url(agreement):
    return reverse("partnership:agreement_history", args=[agreement.pk])


@pytest.mark.django_db
def test_coordinator_reads_who_changed_what_and_when(changed, coordinator_client, staff_user):
    response = coordinator_client.get(history_url(changed["agreement"]))
    assert response.status_code == 200
    entries = response.context["entries"]
    note_change = next(e for e in entries if e.changes and e.changes[0].new == "Quiet evening")
    assert note_change.user == staff_user
    assert note_change.changes[0].old.endswith("session note")
    assert entries[0].object_label.endswith("Interim report approved")  # newest first
    assert any(e.kind == "-" and "2019-06-03" in e.object_label for e in entries)
    html = response.content.decode()
    assert "Quiet evening" in html and "staff" in html


@pytest.mark.django_db
def test_the_history_shows_only_its_own_agreement(changed, world, coordinator_client):
    html = coordinator_client.get(history_url(changed["agreement"])).content.decode()
    assert "Beta" not in html
    assert "Zq7AlphaSecret" in html


@pytest.mark.django_db
def test_admin_reads_any_agreement_history(changed, admin_client):
    assert admin_client.get(history_url(changed["agreement"])).status_code == 200


@pytest.mark.django_db
def test_staff_and_other_organisations_are_refused(
    changed, staff_client, outsider_coordinator_client, outsider_client
):
    url = history_url(changed["agreement"])
    assert staff_client.get(url).status_code == 403
    assert outsider_coordinator_client.get(url).status_code == 404
    assert outsider_client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_tab_bar_links_the_history_for_coordinators_only(
    changed, coordinator_client, staff_client
):
    url = history_url(changed["agreement"])
    detail = changed["agreement"].get_absolute_url()
    assert url in coordinator_client.get(detail).content.decode()
    assert url not in staff_client.get(detail).content.decode()


def _make_changes(agreement, n):
    for i in range(n):
        agreement.background = f"Background version {i}"
        agreement.save()


@pytest.mark.django_db
@pytest.mark.parametrize("times", [1, 10])
def test_the_history_page_issues_bounded_queries(
    world, coordinator_client, django_assert_max_num_queries, times
):
    agreement = world["a"]["agreement"]
    _make_changes(agreement, 6 * times)
    for kind in ("session", "activity", "expense", "payment", "count"):
        obj = world["a"][kind]
        for _ in range(times):
            obj.save()
    # Session, roles and agreement, a count and a page, two per kind of object on the page:
    # the same whatever the amount of history.
    with django_assert_max_num_queries(10 + 2 * len(history_sources())):
        response = coordinator_client.get(history_url(agreement))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_history_is_paginated(world, coordinator_client):
    agreement = world["a"]["agreement"]
    _make_changes(agreement, 60)
    first = coordinator_client.get(history_url(agreement))
    assert len(first.context["entries"]) == 50
    newest = next(e for e in first.context["entries"] if e.changes)
    assert newest.changes[0].new == "Background version 59"
    second = coordinator_client.get(history_url(agreement) + "?page=2")
    assert second.status_code == 200
    assert 0 < len(second.context["entries"]) <= 50


# The history as people read it ----------------------------------------------------------


def _page_text(response):
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


@pytest.fixture
def approved_report(agreement, staff_user, coordinator, monkeypatch):
    """An interim report submitted by the staff and approved by the coordinator, whose
    decision is then dated 2019-09-02 08:15 UTC (10:15 in Stockholm, summer time)."""
    from datetime import datetime

    from reporting import services
    from reporting.tests.factories import write_report

    monkeypatch.setattr(
        "reporting.pdf.render_report_pdf", lambda *args, **kwargs: b"%PDF-1.4 stand-in\n"
    )
    coordinator.first_name, coordinator.last_name = "Siv", "Samordnare"
    coordinator.save()
    report = next(r for r in services.reports_of(agreement) if r.deadline.kind == "interim")
    write_report(report, "The café was open.")
    services.submit_report(report=report, user=staff_user)
    services.approve_report(report=report, user=coordinator)
    version = report.versions.get()
    version.decided_at = datetime(2019, 9, 2, 8, 15, tzinfo=UTC)
    version.save()
    return report


@pytest.mark.django_db
def test_the_history_shows_labels_names_and_local_time(approved_report, coordinator_client):
    text = _page_text(coordinator_client.get(history_url(approved_report.agreement)))
    # Choice labels, not their codes.
    assert "Status: Inlämnad → Godkänd" in text
    assert "submitted" not in text and "approved →" not in text
    # The user who decided, by name, not by id.
    assert "Beslutad av: – → Siv Samordnare" in text
    # When, in Swedish time (UTC+2 in September), to the minute.
    assert re.search(r"Beslutad: \d{4}-\d\d-\d\d \d\d:\d\d → 2019-09-02 10:15", text)
    assert "+00:00" not in text and "08:15:00" not in text


@pytest.mark.django_db
def test_the_history_shows_money_dates_and_related_rows_as_elsewhere(
    agreement, staff_user, coordinator_client
):
    from finance.tests.factories import ExpenseFactory

    staff_line, activities_line = agreement.budget_lines.order_by("order")
    expense = ExpenseFactory(
        agreement=agreement, budget_line=staff_line, amount=12000, date=date(2019, 5, 1)
    )
    expense.amount, expense.budget_line, expense.date = 13500, activities_line, date(2019, 5, 3)
    expense._history_user = staff_user
    expense.save()
    text = _page_text(coordinator_client.get(history_url(agreement)))
    assert "Belopp (kr): 12 000 kr → 13 500 kr" in text
    assert f"Budgetpost: {staff_line.text} → {activities_line.text}" in text
    assert "Datum: 2019-05-01 → 2019-05-03" in text


@pytest.mark.django_db
def test_the_history_page_reads_related_rows_in_a_bounded_number_of_queries(
    agreement, staff_user, coordinator_client, django_assert_max_num_queries
):
    from finance.tests.factories import ExpenseFactory

    lines = list(agreement.budget_lines.order_by("order"))
    for _n in range(20):  # 40 records: one page
        expense = ExpenseFactory(agreement=agreement, budget_line=lines[0])
        expense.budget_line = lines[1]
        expense._history_user = staff_user
        expense.save()
    with django_assert_max_num_queries(40):
        response = coordinator_client.get(history_url(agreement))
    assert _page_text(response).count(f"Budgetpost: {lines[0].text} → {lines[1].text}") == 20


@pytest.mark.django_db
def test_the_admin_history_reads_the_same(approved_report, admin_client):
    version = approved_report.versions.get()
    response = admin_client.get(reverse("admin:reporting_reportversion_history", args=[version.pk]))
    assert response.status_code == 200
    text = _page_text(response)
    assert "Beslut: Väntar på granskning → Godkänd" in text
    assert "Beslutad av: – → Siv Samordnare" in text
    assert re.search(r"Beslutad: \d{4}-\d\d-\d\d \d\d:\d\d → 2019-09-02 10:15", text)
    assert "Siv Samordnare" in text and "Ändrad" in text  # who, and what kind of change
