"""The default storage on an S3-compatible object store (django-storages), against a real S3
API server started in this process (moto's server mode): documents uploaded and downloaded
through the views with their SHA-256 checked, the frozen report PDFs saved and served from the
bucket too, and a backup that reads the bucket through the storage API."""

import hashlib
import io
import tarfile

import boto3
import pytest
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer

from documents.models import Document
from documents.tests import files
from reporting.models import ReportVersion

pytestmark = pytest.mark.django_db

BUCKET = "iop-test-files"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """The default storage switched to a fresh bucket of the in-process S3 server, as the
    settings do when S3_BUCKET is set; the boto3 client to look into it directly."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-north-1", **CREDENTIALS)
    existing = {b["Name"] for b in client.list_buckets()["Buckets"]}
    if BUCKET not in existing:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
    for key in keys(client):
        client.delete_object(Bucket=BUCKET, Key=key)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "region_name": "eu-north-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return client


def keys(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_a_document_goes_to_the_bucket_and_comes_back_through_the_view(
    bucket, agreement, staff_client, coordinator_client
):
    from finance.tests.factories import ExpenseFactory

    expense = ExpenseFactory(agreement=agreement)
    response = staff_client.post(
        reverse("documents:document_list", args=[agreement.pk]),
        {"target": f"finance.expense:{expense.pk}", "file": io.BytesIO(files.DOCX)},
        format="multipart",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert document.file.name in keys(bucket)  # in the bucket, not on the disk
    stored = bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == document.sha256

    url = reverse("documents:document_download", args=[document.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.DOCX

    # Altered in the bucket: refused, not served.
    bucket.put_object(Bucket=BUCKET, Key=document.file.name, Body=files.DOCX + b"x")
    assert coordinator_client.get(url).status_code == 409


# The backup takes its snapshot in a transaction of its own (REPEATABLE READ on PostgreSQL),
# so this test runs outside the test case's transaction, as test_backup_restore does.
@pytest.mark.django_db(transaction=True)
def test_a_frozen_report_pdf_is_saved_in_and_served_from_the_bucket(
    bucket, world, coordinator_client, tmp_path
):
    version = world["a"]["version"]
    assert version.pdf.name in keys(bucket)
    response = coordinator_client.get(reverse("reporting:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == version.sha256

    # The backup reads every file of the bucket through the storage API.
    backup = tmp_path / "backup.tar.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    with tarfile.open(backup) as tar:
        names = set(tar.getnames())
    for v in ReportVersion.objects.all():
        assert f"media/{v.pdf.name}" in names
    for d in Document.objects.all():
        assert f"media/{d.file.name}" in names
