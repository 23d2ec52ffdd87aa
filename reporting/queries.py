"""Reads of the reporting app that pages share."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import format_sek
from core.text import shorten
from dialogue.models import ActionItem
from finance.budget import elapsed_share, whole_kronor
from finance.models import Payment
from partnership.access import COORDINATOR, STAFF, role_among
from partnership.models import Commitment, Funding, Party, ReportingDeadline

from .models import CommitmentFollowUp, Report, Standing


def deadline_overview(agreements, today) -> list:
    """Every deadline of ``agreements`` (the front page's list), soonest first, each with
    ``agreement`` (one of ``agreements``), ``report`` (or None) and ``standing`` on ``today``.
    One query whatever the number of agreements."""
    by_id = {a.pk: a for a in agreements}
    if not by_id:
        return []
    deadlines = (
        ReportingDeadline.objects.filter(agreement__in=list(by_id))
        .select_related("report")
        # The columns the overview shows: not the reports' texts and frozen figures.
        .only("agreement_id", "kind", "period_start", "period_end", "due_date", "report__status")
        .order_by("due_date", "pk")
    )
    rows = []
    for deadline in deadlines:
        deadline.agreement = by_id[deadline.agreement_id]
        report = getattr(deadline, "report", None)
        status = report.status if report else Report.Status.DRAFT
        deadline.standing = Standing.of_status(status, deadline.due_date, today)
        rows.append(deadline)
    return rows


@dataclass
class Waiting:
    """One thing on the front page that waits for the user: what, for which agreement, how
    urgent (``level``: a Bootstrap colour) and where to do it."""

    agreement: object
    text: str
    url: str
    level: str = "secondary"
    due: date | None = None


def waiting_for(user, agreements, today) -> list[Waiting]:
    """What waits for ``user`` in ``agreements`` (from ``agreements_overview``, parties
    loaded), most urgent first. Staff: reports due within ``Standing.DUE_SOON_DAYS``, overdue
    or returned, the commitments of their party without a follow-up in the next report, their
    party's open action items. Coordinators: submitted reports and close-outs to review, cash
    paid behind an even pace over the period, their party's open action items. A constant
    number of queries."""
    roles = {a.pk: role_among(user, a.party_list) for a in agreements}
    staff = [pk for pk, role in roles.items() if role == STAFF]
    coordinator = [pk for pk, role in roles.items() if role == COORDINATOR]
    by_id = {a.pk: a for a in agreements}
    items = []
    open_statuses = [Report.Status.DRAFT, Report.Status.RETURNED]
    reports = (
        Report.objects.filter(
            Q(agreement__in=staff, status__in=open_statuses)
            | Q(agreement__in=coordinator, status=Report.Status.SUBMITTED)
        )
        .select_related("deadline")
        .only(
            "agreement_id",
            "status",
            "deadline__kind",
            "deadline__due_date",
            "deadline__period_start",
            "deadline__period_end",
        )
        .order_by("deadline__due_date", "pk")
    )
    next_report = {}
    for report in reports:
        deadline = report.deadline
        agreement = by_id[report.agreement_id]
        words = {"report": deadline.get_kind_display(), "due": deadline.due_date.isoformat()}
        url = report.get_absolute_url()
        if report.status == Report.Status.SUBMITTED:
            text = (
                _("Close-out to approve: %(report)s, submitted")
                if report.is_close_out
                else _("To review: %(report)s, submitted")
            ) % words
            items.append(Waiting(agreement, text, url, "primary", deadline.due_date))
            continue
        if not report.is_close_out:
            next_report.setdefault(report.agreement_id, report)
        standing = Standing.of(report, today)
        if standing == Standing.RETURNED:
            text, level = _("Returned to you: %(report)s, due %(due)s") % words, "warning"
        elif standing == Standing.OVERDUE:
            text, level = _("Overdue: %(report)s, was due %(due)s") % words, "danger"
        elif standing == Standing.DUE_SOON:
            text, level = _("Due soon: %(report)s, due %(due)s") % words, "warning"
        else:
            continue
        items.append(Waiting(agreement, text, url, level, deadline.due_date))
    # The commitments of the staff's party that the next report has no follow-up of.
    if next_report:
        missing = (
            Commitment.objects.filter(
                agreement__in=list(next_report), party__role=Party.Role.IDEA_DRIVEN
            )
            .exclude(
                Exists(
                    CommitmentFollowUp.objects.filter(
                        commitment=OuterRef("pk"), report__in=[r.pk for r in next_report.values()]
                    )
                )
            )
            .values("agreement_id")
            .annotate(n=Count("pk"))
        )
        for row in missing:
            report = next_report[row["agreement_id"]]
            text = ngettext(
                "%(n)s commitment without a follow-up in the %(report)s due %(due)s",
                "%(n)s commitments without a follow-up in the %(report)s due %(due)s",
                row["n"],
            ) % {
                "n": row["n"],
                "report": report.deadline.get_kind_display().lower(),
                "due": report.deadline.due_date.isoformat(),
            }
            items.append(
                Waiting(
                    by_id[row["agreement_id"]],
                    text,
                    report.get_absolute_url(),
                    "info",
                    report.deadline.due_date,
                )
            )
    # Open action items of the user's party.
    acting = Q(agreement__in=staff, party__role=Party.Role.IDEA_DRIVEN) | Q(
        agreement__in=coordinator, party__role=Party.Role.PUBLIC
    )
    for item in (
        ActionItem.objects.filter(acting, done_on__isnull=True)
        .only("agreement_id", "text", "due_date")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    ):
        words = {
            "text": shorten(item.text, 100),
            "due": item.due_date.isoformat() if item.due_date else "",
        }
        text = (
            _("Action item: %(text)s, due %(due)s") if item.due_date else _("Action item: %(text)s")
        ) % words
        late = item.due_date is not None and item.due_date < today
        items.append(
            Waiting(
                by_id[item.agreement_id],
                text,
                reverse("dialogue:meeting_list", args=[item.agreement_id]),
                "danger" if late else "secondary",
                item.due_date,
            )
        )
    items += _payments_behind(by_id, coordinator, today)
    order = {"danger": 0, "warning": 1, "primary": 2, "info": 3, "secondary": 4}
    items.sort(key=lambda w: (order[w.level], w.due or date.max))
    return items


def _payments_behind(by_id, agreement_pks, today) -> list[Waiting]:
    """Agreements whose cash paid so far is behind an even pace of the public party's agreed
    cash over the period (the agreement sets no payment dates: see the README)."""
    if not agreement_pks:
        return []
    agreed = dict(
        Funding.objects.filter(
            agreement__in=agreement_pks, kind=Funding.Kind.CASH, party__role=Party.Role.PUBLIC
        )
        .values_list("agreement_id")
        .annotate(total=Sum("amount"))
    )
    paid = dict(
        Payment.objects.filter(agreement__in=agreement_pks, date__lte=today)
        .values_list("agreement_id")
        .annotate(total=Sum("amount"))
    )
    items = []
    for pk in agreement_pks:
        agreement = by_id[pk]
        total = agreed.get(pk) or Decimal(0)
        due = whole_kronor(total * elapsed_share(agreement.start_date, agreement.end_date, today))
        behind = due - (paid.get(pk) or Decimal(0))
        if total and behind > 0:
            text = _(
                "Payments: %(behind)s behind an even pace (%(paid)s paid of %(due)s due by today)"
            ) % {
                "behind": format_sek(behind),
                "paid": format_sek(paid.get(pk) or Decimal(0)),
                "due": format_sek(due),
            }
            items.append(
                Waiting(agreement, text, reverse("finance:payment_list", args=[pk]), "info")
            )
    return items
