"""A backup and restore round trip brings back the database and the uploaded files."""

import pytest
from django.core.management import call_command

from disclosures import services
from disclosures.models import Attachment, Disclosure
from portal import backup
from tests.factories import make_disclosure, pdf_bytes, upload

SECRET = "11010519491231002X"


@pytest.fixture
def key_file(tmp_path, settings):
    """The backup key, in a file outside the backups (the first backup creates it)."""
    settings.BACKUP_KEY = ""
    settings.BACKUP_KEY_FILE = tmp_path / "keys" / "backup.key"
    return settings.BACKUP_KEY_FILE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_round_trip(tmp_path, seeded_catalogue, capsys, key_file):
    kept = make_disclosure(title="备份前的通知", body=f"<p>经办人身份证 {SECRET}</p>")
    attachment = services.attachment_add(disclosure=kept, uploaded=upload("附件.pdf", pdf_bytes(SECRET)))
    file_path = attachment.file.path

    backups = tmp_path / "backups"
    call_command("backup", "--to", str(backups))
    folder = next(backups.iterdir())
    assert (folder / "manifest.json").exists() and (folder / "media.tar.gz.enc").exists()
    # Encrypted: no file of the backup holds the data in clear, and the key is not in it.
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["database.sqlite3.enc", "manifest.json", "media.tar.gz.enc"] or names == [
        "database.pgdump.enc",
        "manifest.json",
        "media.tar.gz.enc",
    ]
    for path in folder.iterdir():
        content = path.read_bytes()
        assert SECRET.encode() not in content and "备份前的通知".encode() not in content and b"%PDF" not in content
        assert key_file.read_text().strip().encode() not in content

    # Disaster: the item is damaged and its file lost; an unrelated item is added after the backup.
    Disclosure.objects.filter(pk=kept.pk).update(title="被改坏的标题")
    import os

    os.remove(file_path)
    make_disclosure(title="备份后的通知")

    call_command("restore", str(folder), "--yes")
    titles = set(Disclosure.objects.values_list("title", flat=True))
    assert "备份前的通知" in titles and "被改坏的标题" not in titles and "备份后的通知" not in titles
    restored = Attachment.objects.get(pk=attachment.pk)
    assert restored.file.open("rb").read(5) == b"%PDF-"


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(tmp_path), "--yes")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_with_another_key_or_an_altered_file_is_refused(tmp_path, seeded_catalogue, key_file, settings):
    from django.core.management.base import CommandError

    make_disclosure(title="备份前的通知")
    call_command("backup", "--to", str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    key_file.rename(tmp_path / "old.key")
    settings.BACKUP_KEY = "A" * 43  # another 32-byte key
    with pytest.raises(CommandError, match="another key"):
        call_command("restore", str(folder), "--yes")
    settings.BACKUP_KEY = (tmp_path / "old.key").read_text().strip()
    media = folder / "media.tar.gz.enc"
    damaged = bytearray(media.read_bytes())
    damaged[-5] ^= 1
    media.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="altered"):
        call_command("restore", str(folder), "--yes")


def test_the_key_file_may_not_be_inside_the_backups(tmp_path, settings):
    settings.BACKUP_KEY = ""
    settings.BACKUP_KEY_FILE = tmp_path / "backups" / "backup.key"
    with pytest.raises(backup.BackupError, match="inside the backup folder"):
        backup.backup_create(root=tmp_path / "backups")


def test_chunked_encryption_round_trip_and_truncation():
    import io
    import secrets

    key = secrets.token_bytes(32)
    for size in (0, 1, backup.CHUNK, 2 * backup.CHUNK + 7):
        data = secrets.token_bytes(size)
        sealed = io.BytesIO()
        backup.encrypt_stream(io.BytesIO(data), sealed, key)
        opened = io.BytesIO()
        backup.decrypt_stream(io.BytesIO(sealed.getvalue()), opened, key)
        assert opened.getvalue() == data
    cut = sealed.getvalue()[: -(backup.CHUNK // 2)]  # the last chunk is gone: refused, not a shorter file
    with pytest.raises(backup.BackupError):
        backup.decrypt_stream(io.BytesIO(cut), io.BytesIO(), key)
