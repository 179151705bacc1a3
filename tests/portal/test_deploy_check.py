"""Production settings pass Django's deployment check without a single warning; `make run`'s stay plain HTTP."""

import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **extra) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "PORTAL_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "xxgk.example.edu.cn",
        **extra,
    }


def read_settings(env, *names) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        f"print('|'.join(repr(getattr(s, n, None)) for n in {names!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path, TRUSTED_PROXY_COUNT="1"),
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_https_settings_honour_the_proxy_header_and_exempt_the_health_check(tmp_path):
    https = read_settings(
        production_env(tmp_path, TRUSTED_PROXY_COUNT="1"),
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_REDIRECT_EXEMPT",
        "SESSION_COOKIE_SECURE",
    )
    assert https == ["True", "('HTTP_X_FORWARDED_PROTO', 'https')", "31536000", "['^healthz$', '^readyz$']", "True"]
    custom = read_settings(production_env(tmp_path, DJANGO_PROXY_SSL_HEADER="X-Scheme"), "SECURE_PROXY_SSL_HEADER")
    assert custom == ["('HTTP_X_SCHEME', 'https')"]


def test_bad_proxy_header_stops_start_up_naming_it(tmp_path):
    env = production_env(tmp_path, DJANGO_PROXY_SSL_HEADER="X Forwarded: Proto")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "DJANGO_PROXY_SSL_HEADER" in result.stderr


def test_make_run_settings_serve_plain_http(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_HTTPS"]
    values = read_settings(
        env, "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"
    )
    assert values == ["False", "False", "0", "None"]


def test_a_plain_http_site_behind_a_proxy_does_not_trust_the_proxy_scheme_header(tmp_path):
    # Without TLS a client-sent X-Forwarded-Proto: https would make request.is_secure() lie.
    env = production_env(tmp_path, TRUSTED_PROXY_COUNT="1")
    del env["DJANGO_HTTPS"]
    assert read_settings(env, "SECURE_PROXY_SSL_HEADER") == ["None"]
