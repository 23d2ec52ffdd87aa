"""Queue and send the app's e-mails.

Two steps, both safe to repeat and to run on two machines at once:

1. **Queue**: write a ``Notice`` per recipient. The unique key (kind, key, recipient) makes a
   second queueing of the same reminder write nothing.
2. **Deliver**: each pending notice is claimed by one conditional ``UPDATE`` (only one run
   can win it), rendered in the recipient's language and handed to the mail server. A server
   that fails leaves the notice pending, with the error, for the next run; a run that dies
   while holding a claim lets it go after ``CLAIM``.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogue.models import ActionItem
from partnership.access import acting_for, users_acting_for
from partnership.models import Party
from reporting import signals
from reporting.models import Report

from .models import Notice, Preference

logger = logging.getLogger(__name__)

# How long a run holds a notice it is sending before another run may try it.
CLAIM = timedelta(minutes=10)
# A notice that failed this often is left alone (its error stays in admin).
MAX_ATTEMPTS = 10
# Reminders about a due date further back than this are not sent: a first run on old data
# (or after weeks without cron) does not mail years of overdue reports.
LATE_WINDOW = timedelta(days=14)
# An action item is reminded of the day before it is due.
ACTION_ITEM_DAYS_BEFORE = 1

WORKFLOW = {
    # event: (kind, the party whose people are told)
    signals.SUBMITTED: (Notice.Kind.REPORT_SUBMITTED, Party.Role.PUBLIC),
    signals.RETURNED: (Notice.Kind.REPORT_RETURNED, Party.Role.IDEA_DRIVEN),
    signals.APPROVED: (Notice.Kind.REPORT_APPROVED, Party.Role.IDEA_DRIVEN),
    signals.REOPENED: (Notice.Kind.REPORT_REOPENED, Party.Role.IDEA_DRIVEN),
}
# The party whose people are reminded of a report: the one that writes it.
REPORT_WRITER = Party.Role.IDEA_DRIVEN
# The party each kind of notice about a report is for (an action item's is its own party).
REPORT_NOTICE_PARTY = {kind: role for kind, role in WORKFLOW.values()} | {
    Notice.Kind.DEADLINE_REMINDER: REPORT_WRITER,
    Notice.Kind.DEADLINE_OVERDUE: REPORT_WRITER,
}


def recipients(party, kind):
    """The users acting for ``party`` who have an e-mail address and have not turned this
    kind of mail off."""
    choice = "reminders" if kind in Notice.REMINDERS else "workflow"
    turned_off = Preference.objects.filter(**{choice: False}).values("user_id")
    return users_acting_for(party).exclude(email="").exclude(pk__in=turned_off)


def _queue(rows) -> int:
    """Write the notices that are not written yet; the number written."""
    if not rows:
        return 0
    existing = set(
        Notice.objects.filter(key__in={row.key for row in rows}).values_list(
            "kind", "key", "recipient_id"
        )
    )
    new = [row for row in rows if (row.kind, row.key, row.recipient_id) not in existing]
    # Another run may write the same rows between the read above and here: the unique
    # constraint keeps one, and ignore_conflicts lets this run go on.
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def due_reminders(today) -> list[Notice]:
    """The reminders due on ``today`` (not yet written): for each report still to be
    submitted (a draft or returned), the reminder of the nearest threshold of its agreement's
    reminder days already reached (30, 7 or 1 days before), or the one that it is overdue;
    for each open action item with a due date, the one of the day before."""
    rows = []
    reports = (
        Report.objects.filter(
            status__in=[Report.Status.DRAFT, Report.Status.RETURNED],
            deadline__due_date__gte=today - LATE_WINDOW,
        )
        .select_related("deadline__agreement")
        .prefetch_related("deadline__agreement__parties")
    )
    for report in reports:
        deadline = report.deadline
        agreement = deadline.agreement
        # The parties are prefetched: Agreement.party_of_role would query once per report.
        party = next((p for p in agreement.parties.all() if p.role == REPORT_WRITER), None)
        if party is None:
            continue
        due = deadline.due_date
        if due < today:
            kind, days, key = Notice.Kind.DEADLINE_OVERDUE, None, f"report:{report.pk}:{due}"
        else:
            reached = [d for d in agreement.reminder_day_list if due - timedelta(days=d) <= today]
            if not reached:
                continue
            days = min(reached)
            kind, key = Notice.Kind.DEADLINE_REMINDER, f"report:{report.pk}:{due}:{days}"
        rows += [
            Notice(kind=kind, key=key, recipient=user, report=report, days=days)
            for user in recipients(party, kind)
        ]
    items = ActionItem.objects.filter(
        done_on__isnull=True,
        due_date__lte=today + timedelta(days=ACTION_ITEM_DAYS_BEFORE),
        due_date__gte=today - LATE_WINDOW,
    ).select_related("party")
    kind = Notice.Kind.ACTION_ITEM_DUE
    for item in items:
        key = f"action:{item.pk}:{item.due_date}"
        rows += [
            Notice(kind=kind, key=key, recipient=user, action_item=item)
            for user in recipients(item.party, kind)
        ]
    return rows


def queue_reminders(today) -> int:
    """Write the reminders due on ``today``; the number written."""
    return _queue(due_reminders(today))


def queue_workflow_notice(*, report, event, version) -> None:
    """Write the notices of a step of the report workflow (inside its transaction, so they
    exist exactly when the step does) and send them once it has committed."""
    kind, role = WORKFLOW[event]
    party = report.agreement.party_of_role(role)
    if party is None:
        return
    key = f"report:{report.pk}:{event}:{version.number}"
    _queue(
        [
            Notice(kind=kind, key=key, recipient=user, report=report)
            for user in recipients(party, kind)
        ]
    )
    # robust: a mail server that fails after the commit never breaks the user's action;
    # deliver() logs it and the next send_reminders sends it.
    transaction.on_commit(lambda: deliver(Q(kind=kind, key=key)), robust=True)


def _for_its_party() -> Q:
    """Notices whose recipient still acts for the party the notice is for (the action item's
    party; for a report, the party ``REPORT_NOTICE_PARTY`` gives its kind)."""
    about_item = Q(action_item__isnull=False) & acting_for(
        Q(pk=OuterRef("action_item__party_id")), "recipient"
    )
    about_report = Q()
    for kind, party_role in REPORT_NOTICE_PARTY.items():
        about_report |= Q(report__isnull=False, kind=kind) & acting_for(
            Q(agreement_id=OuterRef("report__agreement_id"), role=party_role), "recipient"
        )
    return about_item | about_report


def unwanted() -> Q:
    """Notices whose recipient no longer wants or can get them: the user turned that kind of
    mail off, was deactivated, has no e-mail address any more, or no longer acts for the
    party the notice is for (moved to another organisation, lost the role), so that no mail
    about an agreement reaches someone who may no longer see it."""
    reminder = Q(kind__in=Notice.REMINDERS)
    return (
        Q(recipient__is_active=False)
        | Q(recipient__email="")
        | (reminder & Q(recipient__notice_preference__reminders=False))
        | (~reminder & Q(recipient__notice_preference__workflow=False))
        | ~_for_its_party()
    )


def deliver(only=None, *, now=None) -> tuple[int, int]:
    """Send the pending notices (those matching ``only``, a ``Q``); (sent, failed). A pending
    notice its recipient no longer wants (``unwanted``, e.g. reminders queued before they
    were turned off and not yet sent) is taken out of the outbox instead, unsent."""
    only = only or Q()
    now = now or timezone.now()
    withdrawn, _by_model = Notice.objects.filter(only, unwanted(), sent_at__isnull=True).delete()
    if withdrawn:
        logger.info(
            "%s pending e-mail notices withdrawn: their recipients no longer want them", withdrawn
        )
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    pending = (
        Notice.objects.filter(only, free, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .select_related(
            "recipient__membership__organisation",
            "recipient__notice_preference",
            "report__deadline__agreement",
            "action_item__agreement",
            "action_item__meeting",
        )
        .order_by("pk")
    )
    sent = failed = 0
    connection = get_connection()
    try:
        for notice in pending:
            won = Notice.objects.filter(free, pk=notice.pk, sent_at__isnull=True).update(
                claimed_until=now + CLAIM
            )
            if not won:  # another run has it
                continue
            try:
                compose(notice, connection=connection, today=timezone.localdate(now)).send()
            except (smtplib.SMTPException, OSError) as error:
                # No address or name in the log: the notice's number finds them in admin.
                logger.warning("E-mail notice %s not sent: %s", notice.pk, error)
                Notice.objects.filter(pk=notice.pk).update(
                    attempts=F("attempts") + 1,
                    last_error=str(error)[:500].replace("\n", " "),
                    claimed_until=None,
                )
                failed += 1
            else:
                Notice.objects.filter(pk=notice.pk).update(
                    sent_at=timezone.now(), attempts=F("attempts") + 1, claimed_until=None
                )
                sent += 1
    finally:
        connection.close()
    return sent, failed


def _language(user) -> str:
    preference = getattr(user, "notice_preference", None)
    return preference.language if preference else settings.LANGUAGE_CODE


def compose(notice, *, connection=None, today=None) -> EmailMultiAlternatives:
    """The e-mail of ``notice``, in its recipient's language: a plain-text part and the same
    in HTML, with a link to the page and one to the profile page where it can be turned off."""
    user = notice.recipient
    with translation.override(_language(user)):
        context = {
            **_content(notice, today or timezone.localdate()),
            "user": user,
            "site_url": settings.SITE_URL,
            "profile_url": settings.SITE_URL + reverse("notices:profile"),
            "reminder": notice.kind in Notice.REMINDERS,
        }
        text = render_to_string("notices/email/notice.txt", context)
        html = render_to_string("notices/email/notice.html", context)
    message = EmailMultiAlternatives(
        subject=context["subject"], body=text, to=[user.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


def _report_words(report):
    deadline = report.deadline
    return {
        "report": deadline.get_kind_display(),
        "agreement": deadline.agreement.short_name,
        "start": deadline.period_start.isoformat(),
        "end": deadline.period_end.isoformat(),
        "due": deadline.due_date.isoformat(),
    }


def _content(notice, today) -> dict:
    """Subject, paragraphs, the page's address and its button's label (the paragraphs are
    plain text; the templates escape them)."""
    K = Notice.Kind
    if notice.kind == K.ACTION_ITEM_DUE:
        item = notice.action_item
        words = {
            "text": item.text,
            "due": item.due_date.isoformat(),
            "agreement": item.agreement.short_name,
        }
        return {
            "subject": _("Action item due %(due)s: %(text)s") % words,
            "paragraphs": [
                _("The action item “%(text)s” of %(agreement)s is due on %(due)s.") % words,
                _("Mark it done on the agreement's dialogue page when it is."),
            ],
            "url": settings.SITE_URL + reverse("dialogue:meeting_list", args=[item.agreement_id]),
            "button": _("Open the dialogue"),
        }
    report = notice.report
    words = _report_words(report)
    url = settings.SITE_URL + report.get_absolute_url()
    if notice.kind == K.DEADLINE_REMINDER:
        # The days left as the mail goes out (a run may come later than the threshold).
        words["days"] = max((report.deadline.due_date - today).days, 0)
        subject = _("Reminder: %(report)s, %(agreement)s, due on %(due)s") % words
        paragraphs = [
            ngettext(
                "%(report)s for %(start)s – %(end)s is due on %(due)s, in %(days)s day.",
                "%(report)s for %(start)s – %(end)s is due on %(due)s, in %(days)s days.",
                words["days"],
            )
            % words
        ]
        if report.status == Report.Status.RETURNED:
            paragraphs.append(_("It was returned with a comment and has not been submitted again."))
    elif notice.kind == K.DEADLINE_OVERDUE:
        subject = _("Overdue: %(report)s, %(agreement)s, was due on %(due)s") % words
        paragraphs = [
            _("%(report)s for %(start)s – %(end)s was due on %(due)s and has not been submitted.")
            % words
        ]
    elif notice.kind == K.REPORT_SUBMITTED:
        subject = _("Submitted: %(report)s, %(agreement)s") % words
        paragraphs = [
            _("%(report)s for %(start)s – %(end)s has been submitted.") % words,
            _("Read it, then approve it or return it with a comment."),
        ]
    elif notice.kind == K.REPORT_RETURNED:
        subject = _("Returned: %(report)s, %(agreement)s") % words
        paragraphs = [
            _("%(report)s for %(start)s – %(end)s was returned with this comment:") % words,
            report.coordinator_comment,
            _("Edit it and submit it again."),
        ]
    elif notice.kind == K.REPORT_APPROVED:
        subject = _("Approved: %(report)s, %(agreement)s") % words
        paragraphs = [
            _("%(report)s for %(start)s – %(end)s has been approved; its period is locked.") % words
        ]
    else:  # reopened
        subject = _("Reopened: %(report)s, %(agreement)s") % words
        paragraphs = [
            _("%(report)s for %(start)s – %(end)s was reopened with this comment:") % words,
            report.coordinator_comment,
        ]
    return {
        "subject": subject,
        "paragraphs": paragraphs,
        "url": url,
        "button": _("Open the report"),
    }
