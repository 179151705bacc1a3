"""/readyz, for load balancers: 200 when the databases answer and the file storage writes and reads; 503 when
either fails. /healthz stays the bare process check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_ready_when_database_and_storage_work(client, seeded_catalogue):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "database default: ok" in response.content.decode() and "storage: ok" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_ready_when_the_storage_cannot_write(client, settings, tmp_path, seeded_catalogue):
    # A media folder that cannot be made (its parent is a file): fails for every user, root included.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = client.get("/readyz")
    assert response.status_code == 503 and "storage: failed" in response.content.decode()
    assert "database default: ok" in response.content.decode()
    assert client.get("/healthz").status_code == 200  # the process check does not look


def test_not_ready_when_the_database_file_is_damaged(tmp_path):
    """A real damaged SQLite file, in a process of its own: /healthz says 200, /readyz 503."""
    damaged = tmp_path / "db.sqlite3"
    damaged.write_bytes(b"this is not a database" * 400)
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "print(c.get('/healthz').status_code, c.get('/readyz').status_code)\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": f"sqlite:///{damaged}",
        "PORTAL_MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split()[-2:] == ["200", "503"], result.stderr[-2000:]
    assert settings.ROOT_URLCONF
