"""The real sign-in servers the campus sign-in tests talk to, each its own Django project and process on loopback.

``cas_server``: django-cas-server (CAS 2.0/3.0) under tests/sso/cas_project; ``oidc_server``: django-oauth-toolkit
with OpenID Connect on under tests/sso/oidc_project, signing with an RSA key generated here. Each gets a temporary
directory with its own SQLite, is migrated and seeded (users ``staffer`` and ``student1``, password
``campus-pass-123``), then served by ``manage.py runserver`` on a free port of 8900-8999. Skipped if the
packages are not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest

HERE = Path(__file__).resolve().parent
PASSWORD = "campus-pass-123"
CLIENT_SECRET = "portal-client-secret-for-tests-only"


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    directory: str


def free_port() -> int:
    for port in range(8900, 9000):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8900-8999")


def _start(project: str, extra_env: dict[str, str]):
    directory = tempfile.mkdtemp(prefix=f"portal-{project}-")
    env = {**os.environ, "SSO_TEST_DIR": directory, "DJANGO_SETTINGS_MODULE": "settings", **extra_env}
    env.pop("DATABASE_URL", None)
    cwd = HERE / project
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=cwd, env=env, check=True)
    subprocess.run([*manage, "shell"], cwd=cwd, env=env, check=True, stdin=open(cwd / "seed.py"))
    port = free_port()
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(directory) / "server.log", "w"),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError(f"{project} did not start: {(Path(directory) / 'server.log').read_text()}")
    return Server(f"http://127.0.0.1:{port}", process, directory)


def _stop(server: Server) -> None:
    server.process.terminate()
    server.process.wait(10)
    if not os.environ.get("SSO_TEST_KEEP"):
        shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def cas_server():
    pytest.importorskip("cas_server", reason="django-cas-server is not installed (requirements-dev.txt)")
    pytest.importorskip("django_cas_ng", reason="django-cas-ng is not installed (requirements.txt)")
    server = _start("cas_project", {})
    yield server
    _stop(server)


@pytest.fixture(scope="session")
def oidc_server():
    pytest.importorskip("oauth2_provider", reason="django-oauth-toolkit is not installed (requirements-dev.txt)")
    pytest.importorskip("mozilla_django_oidc", reason="mozilla-django-oidc is not installed (requirements.txt)")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    server = _start("oidc_project", {"SSO_TEST_RSA_KEY": pem, "SSO_TEST_CLIENT_SECRET": CLIENT_SECRET})
    yield server
    _stop(server)


def oidc_settings(server: Server) -> dict:
    return {
        "PORTAL_SSO": "oidc",
        "OIDC_RP_CLIENT_ID": "portal",
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{server.url}/o/authorize/",
        "OIDC_OP_TOKEN_ENDPOINT": f"{server.url}/o/token/",
        "OIDC_OP_USER_ENDPOINT": f"{server.url}/o/userinfo/",
        "OIDC_OP_JWKS_ENDPOINT": f"{server.url}/o/.well-known/jwks.json",
        "OIDC_OP_LOGOUT_ENDPOINT": f"{server.url}/o/logout/",
    }


def cas_settings(server: Server) -> dict:
    return {"PORTAL_SSO": "cas", "CAS_SERVER_URL": f"{server.url}/cas/"}


def post_login_form(session, page_url: str, username: str, password: str = PASSWORD):
    """Fill in the real server's sign-in form (every hidden field it has) and post it; the response, unfollowed."""
    page = session.get(page_url, allow_redirects=True)
    page.raise_for_status()
    form = re.search(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page.text, re.S | re.I)
    assert form, page.text[:500]
    action = re.search(r"<form[^>]*action=\"([^\"]*)\"", page.text, re.I)
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(1), re.I):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    fields.update(username=username, password=password)
    target = urljoin(page.url, unescape(action.group(1))) if action and action.group(1) else page.url
    return session.post(target, data=fields, allow_redirects=False, headers={"Referer": page.url})
