"""The demo's reports as they would stand in a living system: the seed agreement (2019–2020)
reported, approved and closed out; the renewed agreement's reports in every state (approved,
returned with a comment, submitted, and the ones not due yet as drafts). Only reports still
in draft are touched, so running it again changes nothing. The texts are about the work,
never about a visitor."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from .figures import report_figures
from .models import CommitmentFollowUp, FundsDecision, Report
from .services import approve_report, reports_of, return_report, submit_report, update_narrative

NARRATIVE = {
    "summary": (
        "Café Tingshuset har haft öppet som avtalat. Personalen och volontärerna har tagit "
        "emot unga vuxna varje öppetdag och följt upp de insatser som avtalet beskriver."
    ),
    "effects": (
        "Fler unga vuxna kommer tillbaka vecka efter vecka, och flera har tagit nästa steg "
        "som volontärer."
    ),
    "lessons_learned": "Att planera tillsammans med kommunens verksamheter tidigt ger bäst resultat.",
    "deviations": "Kostnaderna följer i stort budgeten; avvikelserna förklaras per budgetpost.",
}
REASON = "Avvikelsen följer av hur verksamheten fördelats över året; den är stämd av i dialogen."
FOLLOW_UP = "Åtagandet har genomförts under perioden enligt planen."
RETURN_COMMENT = "Komplettera gärna med hur samverkan med skolan har gått."


def _users():
    """Who submits and who approves: the demo accounts of ``seed_demo``; without them (the
    demo data alone, as the tests load it) two accounts that cannot log in, since a
    submission always has a submitter."""
    users = get_user_model()._default_manager
    found = []
    for username, placeholder in (("personal", "demo-submitter"), ("samordnare", "demo-approver")):
        user = users.filter(username=username).first()
        if user is None:
            user, created = users.get_or_create(
                username=placeholder, defaults={"is_active": False, "first_name": "Demo"}
            )
            if created:
                user.set_unusable_password()
                user.save()
        found.append(user)
    return found


def write(report) -> Report:
    """Fill what a submission needs: the narrative, a reason for every budget line that
    deviates, each commitment's follow-up and, for a close-out, the decision on the funds."""
    data = dict(NARRATIVE)
    if report.is_close_out:
        data = {"summary": NARRATIVE["summary"]}
        money = report_figures(report)["close_out"]
        if money["unused_funds"]:
            data |= {
                "funds_decision": FundsDecision.REUSE,
                "funds_decision_text": "Parterna beslutade i dialogen att använda medlen "
                "för samma ändamål under det förnyade avtalet.",
            }
        elif money["overspend"]:
            data |= {
                "funds_decision": FundsDecision.OWN_FUNDS,
                "funds_decision_text": "Föreningen täcker överskridandet med egna medel.",
            }
    reasons = {pk: REASON for pk in report.agreement.budget_lines.values_list("pk", flat=True)}
    report = update_narrative(report=report, data=data, reasons=reasons)
    if not report.is_close_out:
        for commitment in report.agreement.commitments.all():
            CommitmentFollowUp.objects.get_or_create(
                report=report,
                commitment=commitment,
                defaults={"status": CommitmentFollowUp.Status.UNDER_WAY, "account": FOLLOW_UP},
            )
    return report


def live(seed_agreement, renewed, today) -> list[str]:
    """Bring the demo reports to their states; what was done, one line each."""
    staff, coordinator = _users()
    done = []

    def step(report, action):
        try:
            action(report)
        except ValidationError as error:  # reported, not fatal: the demo stays usable
            done.append(f"Left {report} as it was: {' '.join(error.messages)}")
        else:
            done.append(f"{report}: {Report.objects.get(pk=report.pk).get_status_display()}")

    def approve(report):
        submit_report(report=write(report), user=staff)
        approve_report(report=report, user=coordinator)

    def give_back(report):
        submit_report(report=write(report), user=staff)
        return_report(report=report, user=coordinator, comment=RETURN_COMMENT)

    def submit(report):
        submit_report(report=write(report), user=staff)

    for report in reports_of(seed_agreement):
        if report.status == Report.Status.DRAFT and report.deadline.due_date < today:
            step(report, approve)
    due = [r for r in reports_of(renewed) if r.deadline.due_date < today and not r.is_close_out]
    if any(r.status != Report.Status.DRAFT for r in due):
        return done  # brought to its states before
    plan = [approve] * max(len(due) - 2, 0) + [give_back, submit][-len(due) :] if due else []
    for report, action in zip(due, plan, strict=True):
        step(report, action)
    return done
