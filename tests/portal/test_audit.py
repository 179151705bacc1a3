"""scripts/audit.py: how pip-audit's report becomes CI's verdict."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit.py"
spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "pillow",
    "version": "9.0.0",
    "vulns": [{"id": "PYSEC-2022-168", "fix_versions": ["9.0.1"], "aliases": [], "description": "..."}],
}
SKIPPED = {"name": "gunicorn", "skip_reason": "Dependency not found on PyPI and could not be audited: gunicorn"}


def test_a_known_vulnerability_fails_the_run_and_names_the_fix():
    status, lines = audit.verdict({"dependencies": [CLEAN, VULNERABLE]}, strict=False)
    assert status == 1
    assert any("pillow 9.0.0" in line and "PYSEC-2022-168" in line and "9.0.1" in line for line in lines)
    assert audit.verdict({"dependencies": [VULNERABLE, SKIPPED]}, strict=False)[0] == 1


def test_clean_reports_pass():
    status, lines = audit.verdict({"dependencies": [CLEAN]}, strict=True)
    assert status == 0 and "1 packages audited" in lines[-1]


def test_an_unreachable_database_is_said_and_fails_only_when_strict():
    status, lines = audit.verdict({"dependencies": [CLEAN, SKIPPED]}, strict=False)
    assert status == 0 and any("Could not audit 1 of 2" in line for line in lines)
    assert audit.verdict({"dependencies": [CLEAN, SKIPPED]}, strict=True)[0] == 2
