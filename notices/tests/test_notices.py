"""E-mail reminders and workflow notices: who gets what, once, in their language; a failing
mail server breaks nothing and the next run sends; a real SMTP server receives them."""

import socket
import threading
from datetime import date, datetime, time
from email import message_from_bytes, policy

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dialogue.models import ActionItem
from notices.models import Notice, Preference
from notices.services import deliver, queue_reminders
from reporting import services as reporting
from reporting.models import Report
from reporting.tests.factories import write_report

pytestmark = pytest.mark.django_db

SITE = "https://iop.example.se"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(staff_user, coordinator):
    for user in (staff_user, coordinator):
        user.email = f"{user.username}@example.se"
        user.save()
    return staff_user, coordinator


def interim(agreement):
    return Report.objects.get(agreement=agreement, deadline__kind="interim")


def run(today):
    """One run of send_reminders on ``today``: (queued, sent)."""
    queued = queue_reminders(today)
    noon = timezone.make_aware(datetime.combine(today, time(12)))
    sent, failed = deliver(now=noon)
    assert failed == 0
    return queued, sent


def test_the_staff_are_reminded_at_30_7_and_1_days_and_when_overdue_each_once(agreement, people):
    staff, coordinator = people
    report = interim(agreement)  # due 2019-08-31
    assert run(date(2019, 7, 31)) == (0, 0)
    assert run(date(2019, 8, 1)) == (1, 1)
    assert run(date(2019, 8, 1)) == (0, 0)  # the same day again: nothing
    assert run(date(2019, 8, 10)) == (0, 0)  # between two thresholds
    assert run(date(2019, 8, 24)) == (1, 1)
    assert run(date(2019, 8, 30)) == (1, 1)
    assert run(date(2019, 9, 1)) == (1, 1)  # overdue
    assert run(date(2019, 9, 5)) == (0, 0)
    assert [m.to for m in mail.outbox] == [[staff.email]] * 4
    assert (
        "30" in mail.outbox[0].body
        and report.deadline.due_date.isoformat() in mail.outbox[0].subject
    )
    assert mail.outbox[3].subject.startswith("Försenad")
    assert not any(coordinator.email in m.to for m in mail.outbox)


def test_a_cron_that_missed_days_sends_only_the_nearest_reminder(agreement, people):
    assert run(date(2019, 8, 27)) == (1, 1)
    notice = Notice.objects.get()
    assert notice.days == 7 and notice.sent_at is not None


def test_no_reminder_for_a_submitted_report_nor_for_long_overdue_ones(agreement, people):
    staff, _ = people
    report = interim(agreement)
    write_report(report)
    reporting.submit_report(report=report, user=staff)
    assert run(date(2019, 8, 30)) == (0, 1)  # no reminder; the submission's notice
    assert Notice.objects.get().kind == Notice.Kind.REPORT_SUBMITTED
    # A deadline weeks behind (old data, the first run) is not mailed years later.
    assert run(date(2021, 6, 1))[0] == 0


def test_the_agreement_sets_the_reminder_days(agreement, people):
    agreement.reminder_days = "3"
    agreement.save()
    assert run(date(2019, 8, 1)) == (0, 0)
    assert run(date(2019, 8, 28)) == (1, 1)


def test_the_mail_is_in_swedish_by_default_with_a_text_and_an_html_part_and_says_how_to_stop(
    agreement, people
):
    staff, _ = people
    run(date(2019, 8, 25))
    message = mail.outbox[0]
    report = interim(agreement)
    assert message.subject.startswith("Påminnelse: Delredovisning")
    assert "Hej" in message.body and "om 6 dagar" in message.body
    assert f"{SITE}{report.get_absolute_url()}" in message.body
    assert f"{SITE}{reverse('notices:profile')}" in message.body
    assert "stänga av" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{SITE}{report.get_absolute_url()}"' in html and "stänga av" in html


def test_the_mail_is_in_the_recipients_language(agreement, people):
    staff, _ = people
    Preference.objects.create(user=staff, language="en")
    run(date(2019, 8, 25))
    assert mail.outbox[0].subject.startswith("Reminder: Interim report")
    assert "in 6 days" in mail.outbox[0].body and "turn them off" in mail.outbox[0].body


def test_a_user_who_turned_reminders_off_gets_none_but_still_gets_notices(
    agreement, people, django_capture_on_commit_callbacks
):
    staff, coordinator = people
    Preference.objects.create(user=staff, reminders=False)
    assert run(date(2019, 8, 25)) == (0, 0)
    report = interim(agreement)
    write_report(report)
    reporting.submit_report(report=report, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_report(report=report, user=coordinator, comment="Add the June figures.")
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "Add the June figures." in mail.outbox[0].body


def test_a_reminder_queued_before_it_was_turned_off_is_not_sent(agreement, people):
    """The mail server was down when the reminder was due; before it came back, the user
    turned reminders off (another was deactivated): the next run sends neither, and takes
    them out of the outbox."""
    staff, coordinator = people
    item = ActionItem.objects.create(
        agreement=agreement,
        text="Book the hall",
        party=agreement.party_of_role("public"),
        due_date=date(2019, 8, 26),
    )
    assert queue_reminders(date(2019, 8, 25)) == 2  # the staff's report, the coordinator's item
    Preference.objects.create(user=staff, reminders=False)
    noon = timezone.make_aware(datetime.combine(date(2019, 8, 25), time(12)))
    assert deliver(now=noon) == (1, 0)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert list(Notice.objects.values_list("recipient", flat=True)) == [coordinator.pk]
    # The coordinator is deactivated before the next reminder is sent.
    item.due_date = date(2019, 8, 27)
    item.save()
    assert queue_reminders(date(2019, 8, 26)) == 1
    coordinator.is_active = False
    coordinator.save()
    assert deliver(now=noon) == (0, 0)
    assert len(mail.outbox) == 1 and Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_a_notice_is_not_sent_to_someone_who_no_longer_acts_for_its_party(
    agreement, other_agreement, people
):
    """Queued while the mail server was down; before it came back, the staff member moved to
    another organisation and the coordinator became staff of the municipality. Neither may
    see the agreement any more: the next run mails neither and takes both out of the outbox.
    Back in the association, the staff member is reminded again."""
    staff, coordinator = people
    ActionItem.objects.create(
        agreement=agreement,
        text="Book the hall",
        party=agreement.party_of_role("public"),
        due_date=date(2019, 8, 26),
    )
    assert queue_reminders(date(2019, 8, 25)) == 2  # the staff's report, the coordinator's item
    association = staff.membership.organisation
    staff.membership.organisation = other_agreement.party_of_role("idea_driven").organisation
    staff.membership.save()
    coordinator.groups.set([Group.objects.get(name="staff")])
    noon = timezone.make_aware(datetime.combine(date(2019, 8, 25), time(12)))
    assert deliver(now=noon) == (0, 0)
    assert mail.outbox == [] and not Notice.objects.exists()

    staff.membership.organisation = association
    staff.membership.save()
    assert queue_reminders(date(2019, 8, 25)) == 1  # the coordinator, now staff, acts for neither
    assert deliver(now=noon) == (1, 0)
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_submission_tells_the_coordinators_and_return_and_approval_tell_the_staff(
    agreement, people, django_capture_on_commit_callbacks
):
    staff, coordinator = people
    report = interim(agreement)
    write_report(report)
    with django_capture_on_commit_callbacks(execute=True):
        reporting.submit_report(report=report, user=staff)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert mail.outbox[0].subject.startswith("Inlämnad")
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_report(report=report, user=coordinator, comment="Add June.")
    with django_capture_on_commit_callbacks(execute=True):
        reporting.submit_report(report=report, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        reporting.approve_report(report=report, user=coordinator)
    assert [m.to for m in mail.outbox] == [
        [coordinator.email],
        [staff.email],
        [coordinator.email],  # version 2 is a new submission
        [staff.email],
    ]
    assert mail.outbox[3].subject.startswith("Godkänd")
    # Another run sends none of them again.
    assert run(date(2019, 9, 1)) == (0, 0)


def test_nothing_is_sent_before_the_transaction_commits(agreement, people):
    staff, _ = people
    report = interim(agreement)
    write_report(report)
    reporting.submit_report(report=report, user=staff)  # the test's transaction never commits
    assert mail.outbox == []
    assert Notice.objects.filter(kind=Notice.Kind.REPORT_SUBMITTED, sent_at=None).count() == 1


def test_an_action_item_is_reminded_to_its_party_the_day_before_it_is_due(agreement, people):
    staff, coordinator = people
    public = agreement.parties.get(role="public")
    ActionItem.objects.create(
        agreement=agreement, party=public, text="Book the hall", due_date=date(2019, 10, 10)
    )
    assert run(date(2019, 10, 8)) == (0, 0)
    assert run(date(2019, 10, 9)) == (1, 1)
    assert mail.outbox[0].to == [coordinator.email] and "Book the hall" in mail.outbox[0].subject
    assert reverse("dialogue:meeting_list", args=[agreement.pk]) in mail.outbox[0].body


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_failing_mail_server_never_breaks_the_submission_and_the_next_run_sends(
    agreement, people, settings, staff_client, django_capture_on_commit_callbacks, caplog
):
    staff, coordinator = people
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    report = interim(agreement)
    write_report(report)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("reporting:report_submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    notice = Notice.objects.get()
    assert notice.sent_at is None and notice.attempts == 1 and notice.last_error
    assert f"E-mail notice {notice.pk} not sent" in caplog.text
    assert coordinator.email not in caplog.text
    # The server is back: the daily run sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2


def test_a_real_smtp_server_receives_the_mail_with_both_parts(agreement, people, settings):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = _closed_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "IOP Östersund <iop@example.se>"
        assert run(date(2019, 8, 25)) == (1, 1)
    finally:
        controller.stop()
    staff, _ = people
    (envelope,) = received
    assert envelope.rcpt_tos == [staff.email] and envelope.mail_from == "iop@example.se"
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"].strip().startswith("Påminnelse: Delredovisning")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "om 6 dagar" in text and "<a href=" in html


def test_send_reminders_exits_non_zero_when_the_server_fails(agreement, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    queue_reminders(date(2019, 8, 25))
    with pytest.raises(SystemExit):
        call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert Notice.objects.get().sent_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_mail_once(agreement, people):
    """Two machines running send_reminders at the same moment: each reminder goes out once."""
    from django.db import connection

    staff, _ = people
    for n in range(5):  # more recipients, so the two runs overlap
        extra = type(staff).objects.create(username=f"staff{n}", email=f"staff{n}@example.se")
        extra.groups.set(staff.groups.all())
        extra.membership = None
        from partnership.models import Membership

        Membership.objects.create(user=extra, organisation=staff.membership.organisation)
    barrier = threading.Barrier(2)
    errors = []

    def one_run():
        try:
            barrier.wait()
            queue_reminders(date(2019, 8, 25))
            deliver()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [staff.email] + [f"staff{n}@example.se" for n in range(5)]
    )
    assert Notice.objects.filter(sent_at__isnull=False).count() == 6


def test_the_profile_page_turns_reminders_off(staff_client, staff_user, client):
    assert client.get(reverse("notices:profile")).status_code == 302  # login first
    page = staff_client.get(reverse("notices:profile"))
    assert page.status_code == 200 and "Påminnelser" in page.content.decode()
    response = staff_client.post(
        reverse("notices:profile"), {"reminders": "", "workflow": "on", "language": "en"}
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=staff_user)
    assert (preference.reminders, preference.workflow, preference.language) == (False, True, "en")


def test_the_reminder_days_refuse_what_is_not_a_list_of_days(agreement):
    from django.core.exceptions import ValidationError

    for value in ("30,7,x", "0", "400", "7;1"):
        agreement.reminder_days = value
        with pytest.raises(ValidationError):
            agreement.full_clean()
    agreement.reminder_days = " 7, 30 ,1"
    agreement.full_clean()
    assert agreement.reminder_day_list == [30, 7, 1]
