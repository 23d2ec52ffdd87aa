"""Issue 21, item 4: amendments that show what changed. An amendment records each term it
changes with its value before and after (by hand on the coordinator's page, or by the
extension); its page shows them as before → after; the agreement can be read as it stood on
a day, from the history."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.models import Meeting
from dialogue.services import extend_agreement
from partnership.amendments import amend
from partnership.models import Agreement, Amendment, AmendmentChange, LockedPeriod

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime(2019, 3, 1, 12))


@pytest.fixture(autouse=True)
def _in_english(english):
    """Messages are matched in English."""


def _backdate_history():
    """What exists now was recorded on 2019-03-01, so that a change made now is later."""
    for model in apps.get_app_config("partnership").get_models():
        if hasattr(model, "history") and not model.__name__.startswith("Historical"):
            model.history.update(history_date=LONG_AGO)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode().replace("\xa0", " "))


def _form(agreement, **values):
    data = {
        "title": "New opening hours",
        "date": timezone.localdate().isoformat(),
        "text": "The parties agree on Fridays.",
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat(),
    }
    data.update({f"line_{line.pk}": str(line.amount) for line in agreement.budget_lines.all()})
    data.update(values)
    return data


@pytest.fixture
def meeting(agreement):
    meeting = Meeting.objects.create(
        agreement=agreement, date=date(2020, 5, 20), kind=Meeting.Kind.COOPERATION
    )
    meeting.organisations.set([p.organisation for p in agreement.parties.all()])
    return meeting


def _extend(agreement, meeting, user=None):
    return extend_agreement(
        agreement=agreement,
        end_date=date(2021, 12, 31),
        meeting=meeting,
        decision_text="The parties agree to extend the partnership by a year.",
        budget={agreement.budget_lines.get(text="Staff"): Decimal("1300000")},
        interim_deadlines=[(date(2021, 1, 1), date(2021, 6, 30), date(2021, 7, 31))],
        user=user,
        today=date(2020, 6, 1),
    )


def test_the_coordinator_amends_text_amount_and_date_and_the_page_shows_before_and_after(
    agreement, coordinator_client
):
    Agreement.objects.filter(pk=agreement.pk).update(purpose="The café is open on Mondays.")
    agreement.refresh_from_db()
    staff_line = agreement.budget_lines.get(text="Staff")
    commitment = agreement.commitments.get(text="Provide premises")
    response = coordinator_client.post(
        f"/agreements/{agreement.pk}/amend/",
        _form(
            agreement,
            end_date="2021-03-31",
            section_purpose="The café is open on Mondays and Fridays.",
            **{
                f"commitment_{commitment.pk}": "Provide premises and a coordinator",
                f"line_{staff_line.pk}": "850000",
            },
        ),
    )
    amendment = Amendment.objects.get(agreement=agreement)
    assert response.status_code == 302
    assert response["Location"] == f"/agreements/amendment/{amendment.pk}/"
    agreement.refresh_from_db()
    assert agreement.end_date == date(2021, 3, 31)
    assert agreement.purpose == "The café is open on Mondays and Fridays."
    assert agreement.budget_total == Decimal("1050000")
    assert agreement.commitments.get(pk=commitment.pk).text.endswith("and a coordinator")
    kinds = list(amendment.changes.values_list("kind", flat=True))
    assert kinds == [
        "period",
        "deadline",  # the final report, due relative to the end, moved
        "deadline",  # and the close-out
        "section",
        "commitment",
        "budget_line",
        "budget_total",
    ]

    page = _text(coordinator_client.get(response["Location"]))
    assert "Annex 1: New opening hours" in page
    assert "The café is open on Mondays<ins> and Fridays</ins>." in page
    assert "Provide premises<ins> and a coordinator</ins>" in page
    assert "800 000 kr" in page and "850 000 kr" in page
    assert "1 000 000 kr" in page and "1 050 000 kr" in page
    assert "2020-12-31" in page and "2021-03-31" in page
    assert "<del>" not in page  # nothing was taken out
    before = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert f"/agreements/{agreement.pk}/as-of/?date={before}" in page


def test_a_replaced_word_is_struck_and_inserted(agreement, coordinator):
    Agreement.objects.filter(pk=agreement.pk).update(purpose="Open at ten.")
    amendment = amend(
        agreement=agreement, title="Hours", text="Earlier.", sections={"purpose": "Open at nine."}
    )
    change = amendment.changes.get()
    assert change.text_pieces() == (
        [("equal", "Open at "), ("delete", "ten"), ("equal", ".")],
        [("equal", "Open at "), ("insert", "nine"), ("equal", ".")],
    )


def test_an_amendment_is_all_or_nothing_with_a_clear_message(agreement, coordinator_client):
    staff_line = agreement.budget_lines.get(text="Staff")
    # The interim deadline (to 2019-08-31) falls outside a period starting in 2020.
    response = coordinator_client.post(
        f"/agreements/{agreement.pk}/amend/",
        _form(
            agreement,
            start_date="2020-01-01",
            section_purpose="New purpose.",
            **{f"line_{staff_line.pk}": "900000"},
        ),
    )
    assert response.status_code == 200
    assert "must lie inside the agreement period" in _text(response)
    agreement.refresh_from_db()
    assert (agreement.start_date, agreement.purpose) == (date(2019, 4, 1), "")
    assert agreement.budget_lines.get(pk=staff_line.pk).amount == Decimal("800000")
    assert not Amendment.objects.exists() and not AmendmentChange.objects.exists()


def test_an_end_before_the_start_is_refused_on_the_form(agreement, coordinator_client):
    response = coordinator_client.post(
        f"/agreements/{agreement.pk}/amend/", _form(agreement, end_date="2019-01-01")
    )
    assert response.status_code == 200
    assert "The end date must be after the start date." in _text(response)
    assert not Amendment.objects.exists()


def test_an_approved_period_stays_locked(agreement):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 4, 1), end_date=date(2019, 8, 31), reason="x"
    )
    with pytest.raises(ValidationError, match="approved report and is locked"):
        amend(agreement=agreement, title="Later start", text="x", start_date=date(2019, 5, 1))
    assert Agreement.objects.get(pk=agreement.pk).start_date == date(2019, 4, 1)
    assert not Amendment.objects.exists()


def test_only_a_section_of_the_agreement_is_amended_as_a_section(agreement):
    with pytest.raises(ValidationError, match="Choose a section of the agreement"):
        amend(agreement=agreement, title="x", text="x", sections={"status": "ended"})
    assert Agreement.objects.get(pk=agreement.pk).status == "active"
    assert not Amendment.objects.exists()


def test_an_ended_agreement_is_not_amended(agreement):
    Agreement.objects.filter(pk=agreement.pk).update(status="ended")
    with pytest.raises(ValidationError, match="ended agreement cannot be amended"):
        amend(agreement=agreement, title="x", text="x", sections={"purpose": "New."})
    assert not Amendment.objects.exists()


def test_the_extension_records_what_it_changes(agreement, meeting, coordinator_client):
    amendment, _decision = _extend(agreement, meeting)
    changes = {(c.kind, c.field or c.term): c for c in amendment.changes.all()}
    end = changes[("period", "end_date")]
    assert (end.date_before, end.date_after) == (date(2020, 12, 31), date(2021, 12, 31))
    final = changes[("deadline", "final")]
    assert (final.date_before, final.date_after) == (date(2020, 11, 30), date(2021, 11, 30))
    close_out = changes[("deadline", "close_out")]
    assert (close_out.date_before, close_out.date_after) == (date(2021, 2, 28), date(2022, 2, 28))
    staff = changes[("budget_line", "Staff")]
    assert (staff.amount_before, staff.amount_after) == (Decimal("800000"), Decimal("1300000"))
    total = changes[("budget_total", "")]
    assert (total.amount_before, total.amount_after) == (Decimal("1000000"), Decimal("1500000"))
    new = changes[("deadline", "interim")]
    assert (new.date_before, new.date_after) == (None, date(2021, 7, 31))
    assert len(changes) == 6

    page = _text(coordinator_client.get(f"/agreements/amendment/{amendment.pk}/"))
    assert "Extension to 2021-12-31" in page
    assert "End date" in page and "2020-12-31" in page and "2021-12-31" in page
    assert "800 000 kr" in page and "1 300 000 kr" in page
    assert "Final report for 2019-04-01 – 2021-12-31" in page and "2021-11-30" in page
    assert "Interim report for 2021-01-01 – 2021-06-30" in page and "new" in page


def test_as_of_reads_the_end_date_before_and_after_the_extension(
    agreement, meeting, staff_client, django_assert_max_num_queries
):
    _backdate_history()
    _extend(agreement, meeting)
    url = f"/agreements/{agreement.pk}/as-of/"
    before = _text(staff_client.get(url, {"date": "2025-01-01"}))
    assert "2019-04-01 – 2020-12-31" in before
    assert "Extension to" not in before and "1 000 000 kr" in before
    today = timezone.localdate().isoformat()
    with django_assert_max_num_queries(14):
        after = _text(staff_client.get(url, {"date": today}))
    assert "2019-04-01 – 2021-12-31" in after
    assert "Annex 1: Extension to 2021-12-31" in after and "1 500 000 kr" in after
    assert "2021-07-31" in after  # the new interim report


def test_as_of_costs_the_same_queries_with_more_rows(agreement, staff_client):
    url = f"/agreements/{agreement.pk}/as-of/"
    today = {"date": timezone.localdate().isoformat()}
    staff_client.get(url, today)  # sessions and caches settle
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url, today)
    for n in range(5):
        amend(agreement=agreement, title=f"Change {n}", text="x", sections={"purpose": f"P{n}"})
        agreement.commitments.create(party=agreement.parties.first(), text=f"More {n}")
        agreement.budget_lines.create(category="other", text=f"Line {n}", amount=n)
    with CaptureQueriesContext(connection) as many:
        page = _text(staff_client.get(url, today))
    assert "More 4" in page and "Line 4" in page and "Change 4" in page
    assert len(many) == len(few)


def test_as_of_takes_an_iso_date_only(agreement, staff_client):
    response = staff_client.get(f"/agreements/{agreement.pk}/as-of/", {"date": "01/04/2019"})
    assert response.status_code == 200
    assert "Enter the date as YYYY-MM-DD." in _text(response)
    early = _text(staff_client.get(f"/agreements/{agreement.pk}/as-of/", {"date": "2000-01-01"}))
    assert "not yet registered on that date" in early


def test_other_organisations_and_staff_are_refused(
    agreement, meeting, staff_client, outsider_client, outsider_coordinator_client
):
    amendment, _decision = _extend(agreement, meeting)
    for url in (
        f"/agreements/amendment/{amendment.pk}/",
        f"/agreements/{agreement.pk}/as-of/?date=2020-01-01",
        f"/agreements/{agreement.pk}/amend/",
    ):
        assert outsider_client.get(url).status_code == 404
        assert outsider_coordinator_client.get(url).status_code == 404
    assert staff_client.get(f"/agreements/amendment/{amendment.pk}/").status_code == 200
    assert staff_client.get(f"/agreements/{agreement.pk}/amend/").status_code == 403
    response = staff_client.post(f"/agreements/{agreement.pk}/amend/", _form(agreement))
    assert response.status_code == 403
    assert Amendment.objects.count() == 1


def test_the_agreement_page_links_its_amendments_and_the_as_of_view(
    agreement, meeting, coordinator_client, staff_client
):
    amendment, _decision = _extend(agreement, meeting)
    page = coordinator_client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert f"/agreements/amendment/{amendment.pk}/" in page
    assert f"/agreements/{agreement.pk}/as-of/" in page
    assert f"/agreements/{agreement.pk}/amend/" in page
    assert (
        f"/agreements/{agreement.pk}/amend/"
        not in staff_client.get(f"/agreements/{agreement.pk}/").content.decode()
    )


def test_an_amendment_changes_a_positions_months_and_its_line_follows(agreement, coordinator):
    """A personnel line built from staff positions is amended by its positions' months; an
    amount for it is refused, with nothing changed."""
    from partnership.models import StaffPosition

    line = agreement.budget_lines.get(text="Staff")
    position = StaffPosition.objects.create(
        budget_line=line, title="Guide", monthly_cost=Decimal("40000"), months=20
    )
    line.amount = line.positions_total()
    line.save()
    with pytest.raises(ValidationError, match="built from staff positions"):
        amend(agreement=agreement, title="x", text="x", budget={line: Decimal("1")})
    assert not Amendment.objects.exists()

    amendment = amend(
        agreement=agreement, title="A month less", text="x", months={position: 19}, user=coordinator
    )
    line.refresh_from_db()
    assert line.amount == Decimal("760000")
    assert [(c.kind, c.months_before, c.months_after) for c in amendment.changes.all()] == [
        ("position", 20, 19),
        ("budget_line", None, None),
        ("budget_total", None, None),
    ]
    assert agreement.history.first().history_user == coordinator


def test_one_amendment_changes_several_sections_and_commitments(agreement, coordinator_client):
    """An annex often changes several points: every section and commitment has its field for
    the new text, and an empty one leaves it as it is."""
    first, second, *others = agreement.commitments.order_by("pk")
    page = _text(coordinator_client.get(f"/agreements/{agreement.pk}/amend/"))
    assert "Section “Purpose”: its new text" in page
    assert f"“{first.short_text}”: its new text" in page
    response = coordinator_client.post(
        f"/agreements/{agreement.pk}/amend/",
        _form(
            agreement,
            section_purpose="A meeting place for everyone.",
            section_background="The municipality and the association meet monthly.",
            **{
                f"commitment_{first.pk}": first.text + " On Fridays too.",
                f"commitment_{second.pk}": "   ",  # blank: left as it is
            },
        ),
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    changed = [(c.kind, c.field or c.commitment_id) for c in amendment.changes.all()]
    assert changed == [
        ("section", "background"),
        ("section", "purpose"),
        ("commitment", first.pk),
    ]
    before = second.text
    second.refresh_from_db()
    assert second.text == before
    agreement.refresh_from_db()
    assert agreement.purpose == "A meeting place for everyone."
