"""Security headers on every kind of response, the CSP without inline scripts, and templates that keep to it."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions_policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions_policy
    csp = directives(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no nonce, no host list
    assert "Server" not in response
    return csp


@pytest.mark.django_db
def test_public_pages_404s_and_cached_pages_carry_the_headers(client, seeded_catalogue):
    disclosure = make_disclosure()
    first = client.get(disclosure.get_absolute_url())
    again = client.get(disclosure.get_absolute_url())
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    for response in (first, again, client.get("/"), client.get("/items/NOPE-0000-0000/")):
        csp = assert_security_headers(response)
        assert csp["style-src"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert client.get("/items/NOPE-0000-0000/").status_code == 404


@pytest.mark.django_db
def test_downloads_static_files_and_the_admin_sign_in_page_carry_the_headers(client, seeded_catalogue):
    disclosure = make_disclosure()
    attachment = services.attachment_add(disclosure=disclosure, uploaded=upload("budget.pdf", pdf_bytes()))
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert_security_headers(download)
    static = client.get("/static/css/site.css")
    assert static.status_code == 200
    assert_security_headers(static)
    login = client.get(reverse("admin:login"))
    assert login.status_code == 200
    assert "'unsafe-inline'" not in assert_security_headers(login)["style-src"]


@pytest.mark.django_db
def test_only_the_rich_text_editor_pages_allow_inline_styles(staff_client, seeded_catalogue):
    disclosure = make_disclosure(status="draft")
    editor_page = staff_client.get(reverse("admin:disclosures_disclosure_change", args=[disclosure.pk]))
    assert editor_page.status_code == 200
    assert b"django_ckeditor_5/dist/bundle.js" in editor_page.content
    csp = assert_security_headers(editor_page)
    assert "'unsafe-inline'" in csp["style-src"] and "data:" in csp["img-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    report_page = staff_client.get(reverse("admin:annual_reports_annualreport_add"))
    assert "'unsafe-inline'" in directives(report_page)["style-src"]
    changelist = staff_client.get(reverse("admin:disclosures_disclosure_changelist"))
    assert directives(changelist)["style-src"] == ["'self'"]


def test_https_deployments_upgrade_insecure_requests(settings, client):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}
    }
    assert "upgrade-insecure-requests" in client.get("/healthz")["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style|\sstyle\s*=", re.I)


def test_templates_have_no_inline_scripts_handlers_or_styles():
    """The CSP would block them: JavaScript lives in static/js/, styles in static/css/."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, INLINE_STYLE, re.compile("javascript:", re.I)):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_python_code_renders_no_inline_styles_or_scripts():
    offenders = []
    for app in ("portal", "annual_reports", "feedback", "requests_app", "disclosures", "core", "demo"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if re.search(r"<[a-z][^>]*\s(style|on[a-z]+)\s*=|<script(?![^>]*src=)|<style", line, re.I):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


@pytest.mark.django_db
def test_the_receipt_prints_through_a_static_script(client):
    from tests.requests_app.factories import form_post

    submitted = client.post(reverse("requests_app:apply"), form_post())
    assert submitted.status_code == 302
    receipt = client.get(submitted["Location"])
    html = receipt.content.decode()
    assert "data-print" in html and "js/print.js" in html and "onclick" not in html
    assert_security_headers(receipt)
    assert "window.print()" in (ROOT / "static/js/print.js").read_text()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_as_make_run_starts_it_sends_no_server_header(tmp_path):
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "PORTAL_VAR_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "portal.wsgi:application",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--no-control-socket",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    headers = response.headers
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    server.kill()
                    pytest.fail("gunicorn did not answer: " + server.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        assert headers.get("Server") is None
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)
