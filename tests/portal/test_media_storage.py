"""Uploaded files in an S3-compatible bucket (MEDIA_S3_*) and the read replica's settings (DATABASE_REPLICA_URL).

The settings are read from the environment by the helpers of portal.env; the bucket itself is moto's in-process
imitation of S3, so no endpoint is needed.
"""

import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import EndpointConnectionError
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from moto import mock_aws

from disclosures import services
from disclosures.models import Attachment
from portal.env import S3_VARIABLES, env_s3_media_storage
from tests.factories import make_disclosure, pdf_bytes, upload

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "portal-media"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def s3_env(monkeypatch):
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_without_a_bucket_uploaded_files_stay_local(s3_env):
    assert env_s3_media_storage() is None


def test_a_bucket_with_endpoint_keys_region_and_prefix(s3_env):
    s3_env(
        MEDIA_S3_BUCKET="xxgk-media",
        MEDIA_S3_ENDPOINT_URL="https://oss.example.edu.cn/",
        MEDIA_S3_REGION="cn-east-1",
        MEDIA_S3_ACCESS_KEY_ID="AKID",
        MEDIA_S3_SECRET_ACCESS_KEY="secret",
        MEDIA_S3_PREFIX="/portal/",
        MEDIA_S3_ADDRESSING_STYLE="path",
    )
    storage = env_s3_media_storage()
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "xxgk-media"
    assert options["endpoint_url"] == "https://oss.example.edu.cn"
    assert options["region_name"] == "cn-east-1"
    assert (options["access_key"], options["secret_key"]) == ("AKID", "secret")
    assert options["location"] == "portal"
    assert options["addressing_style"] == "path"
    # Private objects, signed URLs, never overwritten.
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_a_bucket_alone_uses_the_machines_own_credentials(s3_env):
    s3_env(MEDIA_S3_BUCKET="xxgk-media")
    options = env_s3_media_storage()["OPTIONS"]
    assert "access_key" not in options and "endpoint_url" not in options


@pytest.mark.parametrize(
    "values, named",
    [
        ({"MEDIA_S3_ENDPOINT_URL": "https://s3.example.com"}, "MEDIA_S3_BUCKET"),
        ({"MEDIA_S3_BUCKET": "b"}, "MEDIA_S3_BUCKET"),
        ({"MEDIA_S3_BUCKET": "my bucket"}, "MEDIA_S3_BUCKET"),
        ({"MEDIA_S3_BUCKET": "media", "MEDIA_S3_ACCESS_KEY_ID": "AKID"}, "MEDIA_S3_SECRET_ACCESS_KEY"),
        ({"MEDIA_S3_BUCKET": "media", "MEDIA_S3_ENDPOINT_URL": "s3.example.com"}, "MEDIA_S3_ENDPOINT_URL"),
        ({"MEDIA_S3_BUCKET": "media", "MEDIA_S3_ADDRESSING_STYLE": "sideways"}, "MEDIA_S3_ADDRESSING_STYLE"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_variable(s3_env, values, named):
    s3_env(**values)
    with pytest.raises(ImproperlyConfigured, match=named):
        env_s3_media_storage()


def _settings_at_start_up(tmp_path, **env):
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps({'storage': s.STORAGES['default']['BACKEND'], 'editor': s.CKEDITOR_5_FILE_STORAGE,"
        "'databases': {k: {'TEST': v.get('TEST', {}), 'OPTIONS': v.get('OPTIONS', {})}"
        " for k, v in s.DATABASES.items()},"
        "'routers': s.DATABASE_ROUTERS}, default=str))"
    )
    base = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "0", "PORTAL_VAR_DIR": str(tmp_path)}
    base["DJANGO_SECRET_KEY"] = "x" * 50
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True)


def test_start_up_defaults_local_files_one_database_no_router(tmp_path):
    result = _settings_at_start_up(tmp_path)
    found = json.loads(result.stdout)
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"
    assert found["editor"] == "core.uploads.EditorImageStorage"
    assert list(found["databases"]) == ["default"] and found["routers"] == []


def test_start_up_with_a_bucket_and_a_replica(tmp_path):
    result = _settings_at_start_up(
        tmp_path,
        MEDIA_S3_BUCKET="xxgk-media",
        DATABASE_URL="postgres://portal@db1:5432/portal",
        DATABASE_REPLICA_URL="postgres://portal_ro@db2:5432/portal?sslmode=require",
    )
    found = json.loads(result.stdout)
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["editor"] == "core.storage_s3.S3EditorImageStorage"
    replica = found["databases"]["replica"]
    assert replica["TEST"]["MIRROR"] == "default"
    assert replica["OPTIONS"]["sslmode"] == "require"
    assert "default_transaction_read_only=on" in replica["OPTIONS"]["options"]
    assert found["routers"] == ["portal.db_router.PrimaryReplicaRouter"]


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_REPLICA_URL": "postgres://portal_ro@db2:5432/portal"},  # the primary is SQLite
        {"DATABASE_URL": "postgres://portal@db1/portal", "DATABASE_REPLICA_URL": "sqlite:///tmp/x.sqlite3"},
    ],
)
def test_a_replica_needs_a_postgresql_primary(tmp_path, env):
    result = _settings_at_start_up(tmp_path, **env)
    assert result.returncode != 0 and "DATABASE_REPLICA_URL" in result.stderr


# The site on a bucket (moto) -----------------------------------------------------------------------------------


@pytest.fixture
def bucket(s3_env, settings):
    s3_env(
        MEDIA_S3_BUCKET=BUCKET,
        MEDIA_S3_REGION="us-east-1",
        MEDIA_S3_ACCESS_KEY_ID="testing",
        MEDIA_S3_SECRET_ACCESS_KEY="testing",
        MEDIA_S3_PREFIX="media",
    )
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": env_s3_media_storage()}
        settings.CKEDITOR_5_FILE_STORAGE = "core.storage_s3.S3EditorImageStorage"
        yield client


def _keys(client):
    return [entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.mark.django_db
def test_an_unreachable_bucket_fails_an_attachment_cleanly(bucket, seeded_catalogue):
    from core.uploads import StorageFailed
    from disclosures.models import Attachment

    item = make_disclosure()
    bucket.delete_bucket(Bucket=BUCKET)  # the store answers, but the bucket is gone (S3's NoSuchBucket)
    with pytest.raises(StorageFailed):
        services.attachment_add(disclosure=item, uploaded=upload("预算.pdf", pdf_bytes("Budget 2025")))
    assert not Attachment.objects.filter(disclosure=item).exists()


@pytest.mark.django_db
def test_attachments_are_stored_in_the_bucket_and_downloaded_through_the_view(bucket, client, seeded_catalogue):
    item = make_disclosure()
    content = pdf_bytes("Budget 2025")
    attachment = services.attachment_add(disclosure=item, uploaded=upload("预算.pdf", content))
    assert f"media/{attachment.file.name}" in _keys(bucket)
    response = client.get(reverse("disclosures:attachment-download", args=[item.index_number, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    # Text was extracted from the stored object: the item is found by its attachment's words.
    assert "Budget" in client.get("/search/?q=Budget").content.decode()


@pytest.mark.django_db
def test_downloads_answer_404_for_a_lost_object_and_503_while_the_store_is_unreachable(
    bucket, client, seeded_catalogue
):
    item = make_disclosure()
    kept = services.attachment_add(disclosure=item, uploaded=upload("预算.pdf", pdf_bytes("Budget 2025")))
    lost = services.attachment_add(disclosure=item, uploaded=upload("决算.pdf", pdf_bytes("Accounts 2024")))
    bucket.delete_object(Bucket=BUCKET, Key=f"media/{lost.file.name}")
    url = reverse("disclosures:attachment-download", args=[item.index_number, lost.pk])
    assert client.get(url).status_code == 404
    url = reverse("disclosures:attachment-download", args=[item.index_number, kept.pk])

    def outage(self, operation, params):
        raise EndpointConnectionError(endpoint_url="https://s3.example.invalid")

    with mock.patch.object(BaseClient, "_make_api_call", outage):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] and response["Cache-Control"] == "no-store"
    assert "暂时" in response.content.decode() or "temporarily" in response.content.decode()
    assert Attachment.objects.get(pk=kept.pk).download_count == 0  # nothing was sent, nothing counted
    # Served again once the store answers.
    assert b"".join(client.get(url).streaming_content) == pdf_bytes("Budget 2025")


@pytest.mark.django_db
def test_editor_images_go_to_the_bucket_under_the_sites_own_address(bucket, client):
    from django_ckeditor_5.storage_utils import get_django_storage

    storage = get_django_storage()
    name = storage.save("photo.PNG", ContentFile(PNG))
    url = storage.url(name)
    assert url.startswith("/media/editor/") and url.endswith(".png") and "Signature" not in url
    assert f"media/{name}" in _keys(bucket)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # SQLite's backup API needs no open transaction
def test_a_backup_says_it_holds_the_database_only(bucket, tmp_path, capsys, seeded_catalogue):
    item = make_disclosure()
    services.attachment_add(disclosure=item, uploaded=upload("附件.pdf", pdf_bytes()))
    call_command("backup", "--to", str(tmp_path))
    folder = next(tmp_path.iterdir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["media"] == "object-storage" and manifest["media_files"] is None
    assert not (folder / "media.tar.gz").exists()
    assert "NOT in this backup" in capsys.readouterr().out
