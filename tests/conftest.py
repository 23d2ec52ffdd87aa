"""A populated world for the project-wide security tests.

``world`` gives two agreements of two pairs of organisations, each with one object of every
kind (venue, session with counts, activity, payment, expense, in-kind hours, a submitted
report with its frozen version, …). Every text of agreement A carries the marker
``ALPHA_MARKER`` so a test can assert that none of it leaks to a user of the other
organisation. New kinds of objects are added in ``populate()`` as the features land.

Objects get primary keys that no other kind shares (agreement A's session is 1003, its
activity 1005, …), so a URL filled with the wrong kind of id answers 404 instead of
accidentally finding an object of the same number.
"""

from contextlib import contextmanager
from datetime import date, time
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.color import no_style
from django.db import connection

from dialogue.models import ActionItem, Decision, LearningEntry, Meeting
from documents.services import attach_document
from finance.models import Expense, InKindContribution, Payment, SieMappingRule
from partnership.models import Amendment, AmendmentChange, Organisation
from reporting.models import (
    CommitmentFollowUp,
    DeviationReason,
    Report,
    ReportVersion,
    canonical_json,
)
from reporting.services import submit_report
from tests.urlwalk import ObjectMap
from visits.models import Activity, AgeBand, OpeningHours, Session, Venue, VisitorCount

ALPHA_MARKER = "Zq7AlphaSecret"
PK_BASE = {"A": 1000, "B": 2000}


def fake_pdf(report, language="sv", *, figures=None, narrative=None, version=None, reuse=False):
    """WeasyPrint is slow; access tests need a PDF, not a pretty one."""
    return b"%PDF-1.4 fake\n" + canonical_json([figures, narrative, language]).encode()


@contextmanager
def fast_pdf():
    with mock.patch("reporting.pdf.render_report_pdf", fake_pdf):
        yield


def reset_sequences(*models):
    """After rows with explicit ids, PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def populate(agreement, *, marker: str, user=None, base: int = 1000, pdf=fast_pdf) -> dict:
    """One object of every kind under ``agreement``, texts marked with ``marker``."""
    agreement.title = f"{marker} agreement title"
    agreement.background = f"{marker} background"
    agreement.save()
    venue = Venue.objects.create(
        pk=base + 1, agreement=agreement, name=f"{marker} café", kind=Venue.Kind.MEETING_PLACE
    )
    OpeningHours.objects.create(venue=venue, weekday=0, opens=time(14), closes=time(20))
    age_band = AgeBand.objects.create(
        pk=base + 2, agreement=agreement, label=f"{marker} 18–20", order=1
    )
    session = Session.objects.create(
        pk=base + 3,
        agreement=agreement,
        venue=venue,
        date=date(2019, 5, 6),
        start_time=time(14),
        end_time=time(20),
        staff_on_duty=2,
        note=f"{marker} session note",
        created_by=user,
    )
    count = VisitorCount.objects.create(
        pk=base + 4, session=session, age_band=age_band, gender="woman", count=7
    )
    activity = Activity.objects.create(
        pk=base + 5,
        agreement=agreement,
        date=date(2019, 5, 7),
        type=Activity.Type.HOMEWORK_HELP,
        venue=venue,
        participants=4,
        description=f"{marker} activity description",
        created_by=user,
    )
    activity.commitments.set(agreement.commitments.all()[:1])
    payment = Payment.objects.create(
        pk=base + 6,
        agreement=agreement,
        date=date(2019, 5, 2),
        amount=Decimal("250000"),
        reference=f"{marker} payment ref",
        note=f"{marker} payment note",
    )
    budget_line = agreement.budget_lines.first()
    expense = Expense.objects.create(
        pk=base + 7,
        agreement=agreement,
        budget_line=budget_line,
        date=date(2019, 5, 8),
        amount=Decimal("1200"),
        description=f"{marker} expense description",
        voucher_reference=f"{marker}-V1",
    )
    # A receipt of the expense (a file on the default storage).
    document = attach_document(
        target=expense,
        upload=SimpleUploadedFile(f"{marker} receipt.pdf", b"%PDF-1.4 receipt " + marker.encode()),
        user=user,
    )
    in_kind = InKindContribution.objects.create(
        pk=base + 8,
        agreement=agreement,
        party=agreement.parties.get(role="idea_driven"),
        kind=InKindContribution.Kind.VOLUNTEER,
        date=date(2019, 5, 9),
        hours=Decimal("12.5"),
        description=f"{marker} in-kind description",
    )
    interim = agreement.deadlines.get(kind="interim")
    # The deadline's report was made when the deadline was saved: give it a known key.
    made = Report.objects.get(deadline=interim)
    Report.objects.filter(pk=made.pk).update(
        id=base + 9,
        summary=f"{marker} report summary",
        effects=f"{marker} report effects",
        lessons_learned=f"{marker} report lessons",
        deviations=f"{marker} report deviations",
    )
    Report.history.filter(id=made.pk).update(id=base + 9)
    report = Report.objects.get(pk=base + 9)
    reset_sequences(Venue, AgeBand, Session, VisitorCount, Activity, Payment, Expense)
    meeting = Meeting.objects.create(
        pk=base + 11,
        agreement=agreement,
        date=date(2019, 5, 20),
        kind=Meeting.Kind.COOPERATION,
        minutes=f"{marker} meeting minutes",
    )
    meeting.organisations.set(Organisation.objects.filter(parties__agreement=agreement))
    decision = Decision.objects.create(
        pk=base + 12, meeting=meeting, text=f"{marker} decision text", budget_line=budget_line
    )
    action_item = ActionItem.objects.create(
        pk=base + 13,
        agreement=agreement,
        meeting=meeting,
        text=f"{marker} action item",
        party=agreement.parties.get(role="public"),
        due_date=date(2019, 6, 30),
    )
    learning = LearningEntry.objects.create(
        pk=base + 14,
        agreement=agreement,
        date=date(2019, 5, 21),
        theme=LearningEntry.Theme.METHOD,
        party=agreement.parties.get(role="idea_driven"),
        text=f"{marker} lesson text",
    )
    sie_rule = SieMappingRule.objects.create(
        pk=base + 15,
        agreement=agreement,
        account_from=4000,
        account_to=4999,
        dimension=1,
        object_id=f"{marker}"[:50],
        budget_line=budget_line,
    )
    amendment = Amendment.objects.create(
        pk=base + 16,
        agreement=agreement,
        number=1,
        date=date(2019, 5, 22),
        title=f"{marker} amendment",
        text=f"{marker} amendment text",
    )
    AmendmentChange.objects.create(
        amendment=amendment,
        kind=AmendmentChange.Kind.SECTION,
        field="purpose",
        text_before="The purpose.",
        text_after=f"The purpose, {marker} amended.",
    )
    AmendmentChange.objects.create(
        amendment=amendment,
        kind=AmendmentChange.Kind.BUDGET_LINE,
        budget_line=budget_line,
        term=budget_line.text,
        amount_before=budget_line.amount,
        amount_after=budget_line.amount,
    )
    reset_sequences(
        InKindContribution,
        Report,
        Meeting,
        Decision,
        ActionItem,
        LearningEntry,
        SieMappingRule,
        Amendment,
    )
    for commitment in agreement.commitments.all():
        CommitmentFollowUp.objects.create(
            report=report,
            commitment=commitment,
            status=CommitmentFollowUp.Status.UNDER_WAY,
            account=f"{marker} follow-up account",
        )
    for line in agreement.budget_lines.all():
        DeviationReason.objects.create(
            report=report, budget_line=line, text=f"{marker} deviation reason"
        )
    with pdf():
        version = submit_report(report=report, user=user)
    old_pk = version.pk
    ReportVersion.objects.filter(pk=old_pk).update(id=base + 10)
    ReportVersion.history.filter(id=old_pk).update(id=base + 10)
    version = ReportVersion.objects.get(pk=base + 10)
    reset_sequences(ReportVersion)
    report.refresh_from_db()
    return {
        "agreement": agreement,
        "venue": venue,
        "age_band": age_band,
        "session": session,
        "count": count,
        "visitor_count": count,
        "activity": activity,
        "payment": payment,
        "expense": expense,
        "document": document,
        "in_kind": in_kind,
        "contribution": in_kind,
        "report": report,
        "version": version,
        "budget_line": budget_line,
        "line": budget_line,
        "commitment": agreement.commitments.first(),
        "deadline": interim,
        "party": agreement.parties.first(),
        "meeting": meeting,
        "decision": decision,
        "action_item": action_item,
        "learning": learning,
        "learning_entry": learning,
        "sie_rule": sie_rule,
        "amendment": amendment,
    }


@pytest.fixture
def world(
    agreement, other_agreement, staff_user, coordinator, outsider_staff, outsider_coordinator
):
    """Agreement A (``agreement``, marked) and B (``other_agreement``), both populated."""
    a = populate(agreement, marker=ALPHA_MARKER, user=staff_user, base=PK_BASE["A"])
    b = populate(other_agreement, marker="Beta", user=outsider_staff, base=PK_BASE["B"])
    return {"a": a, "b": b, "objects_a": ObjectMap(a), "objects_b": ObjectMap(b)}
