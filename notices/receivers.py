def queue_workflow_notice(sender, *, report, event, version, **kwargs):
    """``reporting.signals.report_changed``: write the step's notices in its transaction."""
    from .services import queue_workflow_notice as queue

    queue(report=report, event=event, version=version)
