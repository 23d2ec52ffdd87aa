from datetime import date

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


# The day the accessibility statement was last reviewed against the service: change it when
# the statement is checked again (the law asks for a review at least once a year).
STATEMENT_REVIEWED = date(2026, 12, 1)


@require_GET
def accessibility_statement(request):
    """The accessibility statement (tillgänglighetsredogörelse) that the Swedish law on
    accessible digital public services (2018:1937) asks of a municipality's services.
    Public: it must be readable before logging in."""
    return render(
        request,
        "core/accessibility.html",
        {
            "organisation": settings.ACCESSIBILITY_ORGANISATION,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
            "reviewed": STATEMENT_REVIEWED,
        },
    )
