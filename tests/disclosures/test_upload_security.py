"""Uploads: the type comes from the content, sizes are limited, active content (HTML, SVG, programs) is refused,
files are stored under generated names and never rendered inline."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from core.uploads import ALL_KINDS, IMAGE_KINDS, check_upload
from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload

UPLOAD_URL = "/ckeditor5/image_upload/"
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def image_bytes(fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", HTML),
        ("page.htm", HTML),
        ("notice.pdf", HTML),  # HTML dressed as a PDF
        ("chart.svg", SVG),
        ("chart.png", SVG),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_active_content_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content), max_bytes=10_000_000, kinds=ALL_KINDS)
    assert caught.value.code in {"bad_type", "bad_extension"}


def test_sizes_are_limited_and_empty_files_refused():
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("big.pdf", pdf_bytes() + b" " * 2048), max_bytes=1024)
    assert caught.value.code == "too_large"
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("empty.pdf", b""), max_bytes=1024)
    assert caught.value.code == "empty"


@pytest.mark.django_db
def test_attachments_download_as_files_never_inline(client, seeded_catalogue):
    disclosure = make_disclosure()
    attachment = services.attachment_add(disclosure=disclosure, uploaded=upload("photo.png", image_bytes()))
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.png", attachment.file.name)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_only_staff_may_upload_editor_images(client):
    def stored():
        return set(default_storage.listdir("editor")[1]) if default_storage.exists("editor") else set()

    before = stored()
    response = client.post(UPLOAD_URL, {"upload": upload("a.png", image_bytes())})
    assert response.status_code == 403
    assert stored() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content",
    [
        ("x.png", HTML),
        ("x.png", SVG),
        ("x.svg", SVG),
        ("x.png", image_bytes("JPEG")),  # a JPEG named .png
        ("x.png", pdf_bytes()),
        ("x.bmp", image_bytes("BMP")),  # an image type the site does not accept
    ],
)
def test_editor_images_are_checked_by_content(staff_client, name, content):
    response = staff_client.post(UPLOAD_URL, {"upload": upload(name, content)})
    assert response.status_code == 400
    assert response.json()["error"]["message"]


@pytest.mark.django_db
def test_editor_images_have_a_size_limit(staff_client, settings):
    settings.EDITOR_IMAGE_MAX_BYTES = 100
    response = staff_client.post(UPLOAD_URL, {"upload": upload("x.png", image_bytes() + b"\0" * 200)})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("name, fmt", [("photo.jpg", "JPEG"), ("chart.png", "PNG")])
def test_editor_images_are_stored_under_generated_names_and_served_as_images_only(staff_client, client, name, fmt):
    response = staff_client.post(UPLOAD_URL, {"upload": upload(name, image_bytes(fmt))})
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    suffix = name.rsplit(".", 1)[1]
    assert re.fullmatch(rf"/media/editor/[0-9a-f]{{32}}\.{suffix}", url)
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == ("image/jpeg" if fmt == "JPEG" else "image/png")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(served.streaming_content) == image_bytes(fmt)


@pytest.mark.django_db
def test_the_editor_image_view_serves_nothing_but_images(client):
    default_storage.save("editor/0123456789abcdef0123456789abcdef.html", io.BytesIO(HTML))
    assert client.get("/media/editor/0123456789abcdef0123456789abcdef.html").status_code == 404
    assert client.get("/media/editor/..%2F..%2Fsettings.py").status_code == 404
    assert {kind.content_type for kind in IMAGE_KINDS} == {"image/png", "image/jpeg", "image/gif", "image/webp"}


def zip_bytes(members: dict[str, bytes], *, compression=None) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression or zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "members",
    [
        {"名单.pdf": pdf_bytes(), "evil.exe": b"MZ\x90\x00" + b"\x00" * 64},
        {"名单.pdf": pdf_bytes(), "index.html": HTML},
        {"名单.pdf": pdf_bytes(), "notice.pdf": HTML},  # HTML dressed as a PDF
        {"run.sh": b"#!/bin/sh\nrm -rf /\n"},
        {"../../etc/cron.d/x.pdf": pdf_bytes()},
        {"/etc/passwd.pdf": pdf_bytes()},
        {"folder/名单.pdf": pdf_bytes()},
        {"..\\..\\windows.pdf": pdf_bytes()},
        {"C:evil.pdf": pdf_bytes()},
        {"inner.zip": b"PK\x05\x06" + b"\x00" * 18},  # an archive inside the archive
        {"readme.txt": "说明".encode()},
    ],
)
def test_zip_members_are_inspected_like_single_uploads(members):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("材料.zip", zip_bytes(members)), max_bytes=10_000_000)
    assert caught.value.code == "bad_zip_member"


def test_a_zip_bomb_and_too_many_members_are_refused(monkeypatch):
    from core import uploads

    monkeypatch.setattr(uploads, "ZIP_MAX_UNPACKED_BYTES", 5 * 1024 * 1024)
    bomb = zip_bytes({"a.pdf": b"%PDF-1.4\n" + b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("bomb.zip", bomb), max_bytes=10_000_000)
    assert caught.value.code == "bad_zip_member" and "5.0" in str(caught.value.messages)
    monkeypatch.setattr(uploads, "ZIP_MAX_MEMBERS", 3)
    many = zip_bytes({f"{n}.pdf": pdf_bytes() for n in range(4)})
    with pytest.raises(ValidationError):
        check_upload(upload("many.zip", many), max_bytes=10_000_000)


def test_a_zip_of_accepted_files_is_accepted():
    archive = zip_bytes({"名单.pdf": pdf_bytes(), "照片.png": image_bytes(), "表.docx": docx_like()})
    checked = check_upload(upload("材料.zip", archive), max_bytes=10_000_000)
    assert checked.kind.label == "ZIP"


def docx_like() -> bytes:
    from tests.factories import docx_bytes

    return docx_bytes()


@pytest.mark.django_db
def test_editor_image_upload_answers_503_when_the_storage_cannot_write(staff_client, settings, tmp_path):
    from core.uploads import STORAGE_FAILED_MESSAGE

    blocker = tmp_path / "not-a-folder"  # a media folder that cannot be made: fails for every user, root too
    blocker.write_text("x")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = staff_client.post(UPLOAD_URL, {"upload": upload("a.png", image_bytes())})
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["error"]["message"] == str(STORAGE_FAILED_MESSAGE)


def _zip_with_mode(name: str, content: bytes, mode: int) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo(name)
        info.create_system = 3  # Unix: the mode is in the high bits of external_attr
        info.external_attr = mode << 16
        archive.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize("mode", [0o120777, 0o010644, 0o060644, 0o020644])  # symlink, FIFO, block, char device
def test_zip_members_must_be_plain_files(mode):
    # A symlink member's content is its target, and unpacked it points wherever that says (a PDF's first bytes
    # are a harmless-looking target); a device or FIFO is no document either. Only regular files are members.
    archive = _zip_with_mode("名单.pdf", pdf_bytes(), mode)
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("材料.zip", archive), max_bytes=10_000_000)
    assert caught.value.code == "bad_zip_member"
    regular = _zip_with_mode("名单.pdf", pdf_bytes(), 0o100644)
    assert check_upload(upload("材料.zip", regular), max_bytes=10_000_000).kind.label == "ZIP"


@pytest.mark.parametrize(
    "members",
    [
        {"inner.pdf": zip_bytes({"evil.exe": b"MZ\x90\x00" + b"\x00" * 64})},  # a zip inside, renamed
        {"a\u2215..\u2215b.pdf": HTML},
        {"x.pdf.": pdf_bytes()},
        {"x.pdf:evil.exe": pdf_bytes()},
    ],
)
def test_more_zip_member_tricks_are_refused(members):
    with pytest.raises(ValidationError):
        check_upload(upload("材料.zip", zip_bytes(members)), max_bytes=10_000_000)


def _unicode_path_extra(name: str, shown: str) -> bytes:
    import struct
    import zlib

    data = b"\x01" + struct.pack("<I", zlib.crc32(shown.encode("utf-8"))) + name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(data)) + data


@pytest.mark.parametrize("where", ["central", "local"])
def test_a_zip_member_cannot_carry_a_second_name(where):
    # Info-ZIP's "Unicode Path" extra field (0x7075) names the member for 7-Zip and unzip, which prefer it to the
    # name Python's zipfile reads: a PDF checked as "名单.pdf" would unpack as "名单.html" (a page that runs its
    # script when opened) or as "../x". The field is accepted only when it repeats the member's own name.
    import zipfile

    def build(real_name):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            info = zipfile.ZipInfo("名单.pdf")
            info.extra = _unicode_path_extra(real_name, "名单.pdf")
            archive.writestr(info, pdf_bytes())
        data = bytearray(out.getvalue())
        if where == "local":  # keep the second name in the local header only
            central = data.rfind(b"PK\x01\x02")
            extra_at = data.index(info.extra, central)
            data[extra_at : extra_at + 2] = b"\xff\xff"  # an unknown extra id in the central directory
        return bytes(data)

    with pytest.raises(ValidationError) as caught:
        check_upload(upload("材料.zip", build("名单.html")), max_bytes=10_000_000)
    assert caught.value.code == "bad_zip_member"
    assert check_upload(upload("材料.zip", build("名单.pdf")), max_bytes=10_000_000).kind.label == "ZIP"


@pytest.mark.django_db
@pytest.mark.parametrize("field", [None, "file"])
def test_editor_image_upload_without_a_file_is_a_clear_400(staff_client, field):
    # The editor's upload went on to django-ckeditor-5, which reads request.FILES["upload"] and raised a 500.
    data = {} if field is None else {field: upload("a.png", image_bytes())}
    response = staff_client.post(UPLOAD_URL, data)
    assert response.status_code == 400
    assert response.json()["error"]["message"]
