"""A backup and restore round trip brings back the database and the uploaded files."""

import pytest
from django.core.management import call_command

from disclosures import services
from disclosures.models import Attachment, Disclosure
from tests.factories import make_disclosure, pdf_bytes, upload


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_round_trip(tmp_path, seeded_catalogue, capsys):
    kept = make_disclosure(title="备份前的通知")
    attachment = services.attachment_add(disclosure=kept, uploaded=upload("附件.pdf", pdf_bytes()))
    file_path = attachment.file.path

    call_command("backup", "--to", str(tmp_path))
    folder = next(tmp_path.iterdir())
    assert (folder / "manifest.json").exists() and (folder / "media.tar.gz").exists()

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
