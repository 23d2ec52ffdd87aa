"""What the report workflow tells the rest of the project. ``report_changed`` is sent inside
the transaction of a submit, return, approval or reopening, with ``report``, ``event`` (one of
``EVENTS``) and ``version`` (the version it concerns). The notices app listens and sends its
e-mails once the transaction has committed; reporting itself does not know who listens."""

from django.dispatch import Signal

SUBMITTED = "submitted"
RETURNED = "returned"
APPROVED = "approved"
REOPENED = "reopened"
EVENTS = (SUBMITTED, RETURNED, APPROVED, REOPENED)

report_changed = Signal()
