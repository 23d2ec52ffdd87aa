"""The reports' part of an agreement's timeline (``partnership.timeline``): each version
submitted, approved or returned, and the financial close-out approved. One query."""

from django.utils.translation import gettext as _

from partnership.models import ReportingDeadline
from partnership.timeline import Entry, local_day

from .models import ReportVersion

Decision = ReportVersion.Decision


def report_entries(agreement):
    versions = ReportVersion.objects.filter(report__agreement=agreement).select_related(
        "report__deadline"
    )
    for version in versions:
        report = version.report
        url = report.get_absolute_url()
        close_out = report.deadline.kind == ReportingDeadline.Kind.CLOSE_OUT
        names = {"report": report}
        yield Entry(
            local_day(version.submitted_at),
            _("%(report)s submitted") % names,
            url,
            "report",
            4,
        )
        if version.decided_at is None:
            continue
        if version.decision in (Decision.APPROVED, Decision.REOPENED):
            if close_out:
                label = _("The financial close-out is approved (%(report)s)") % names
            else:
                label = _("%(report)s approved") % names
            kind = "close_out" if close_out else "report"
        elif version.decision == Decision.RETURNED:
            label, kind = _("%(report)s returned") % names, "report"
        else:
            continue
        yield Entry(local_day(version.decided_at), label, url, kind, 5)
