import pytest
from django.urls import reverse

from reporting import services
from reporting.models import ReportVersion
from reporting.tests.factories import write_report

pytestmark = pytest.mark.django_db


def test_admin_shows_a_version_read_only_and_cannot_change_or_delete_it(
    admin_client, report, staff_user, fake_pdf
):
    write_report(report, "Done.")
    version = services.submit_report(report=report, user=staff_user)
    url = reverse("admin:reporting_reportversion_change", args=[version.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    admin_client.post(url, {"sha256": "0" * 64, "number": 7})
    delete = admin_client.post(
        reverse("admin:reporting_reportversion_delete", args=[version.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    stored = ReportVersion.objects.get(pk=version.pk)
    assert (stored.sha256, stored.number) == (version.sha256, 1)


def test_a_report_cannot_be_added_in_admin_it_comes_with_its_deadline(admin_client, db):
    from django.urls import reverse

    url = reverse("admin:reporting_report_add")
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"summary": ""}).status_code == 403
