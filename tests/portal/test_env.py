import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_networks, env_url

ROOT = Path(__file__).resolve().parents[2]


def test_typed_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "3")
    monkeypatch.setenv("X_NETS", "10.0.0.0/8, 2001:db8::/32")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 0) == 3
    assert [str(n) for n in env_networks("X_NETS")] == ["10.0.0.0/8", "2001:db8::/32"]


@pytest.mark.parametrize(
    "call, value",
    [
        (lambda: env_bool("X"), "maybe"),
        (lambda: env_int("X", 1), "ten"),
        (lambda: env_int("X", 1, minimum=0), "-1"),
        (lambda: env_networks("X"), "10.0.0.0/33"),
        (lambda: env_url("X", schemes=("redis",)), "localhost:6379"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, call, value):
    monkeypatch.setenv("X", value)
    with pytest.raises(ImproperlyConfigured, match="X"):
        call()


def _start(env):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; django.setup()"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_start_up_without_a_secret_key_stops_with_a_clear_message(tmp_path):
    result = _start({"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "0", "PORTAL_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_start_up_with_a_bad_database_url_names_it(tmp_path):
    result = _start(
        {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "PORTAL_VAR_DIR": str(tmp_path), "DATABASE_URL": "mysql//nope"}
    )
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_https_switch_turns_on_secure_cookies_and_hsts(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "PORTAL_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "x" * 50,
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "True True True True", result.stderr
