"""`make audit`: pip-audit over every package installed in .venv (the pinned requirements and what they pull in).

Exit status: 1 when a package has a known vulnerability; 0 when none was found; pip-audit's own failure (no
network to the vulnerability service at all) fails the run too. Packages the service has no record of (pip-audit
skips them: "not found on PyPI", which is what a registry without per-release data answers) are listed loudly
and, unless AUDIT_STRICT=1, do not fail the run: nothing is known about them either way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def verdict(report: dict, *, strict: bool) -> tuple[int, list[str]]:
    """The exit status and the lines to print for pip-audit's JSON report."""
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    lines = []
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    if skipped:
        example = skipped[0]["skip_reason"]
        lines.append(f"Could not audit {len(skipped)} of {len(dependencies)} packages, e.g.: {example}")
        if not strict:
            lines.append("(the vulnerability service has no record of them; AUDIT_STRICT=1 makes this fail)")
    if vulnerable:
        lines.append(f"{len(vulnerable)} package(s) with known vulnerabilities: upgrade the pins above.")
        return 1, lines
    if skipped and strict:
        return 2, lines
    lines.append(f"No known vulnerabilities in the {audited} packages audited.")
    return 0, lines


def main() -> int:
    pip_audit = Path(sys.executable).parent / "pip-audit"
    result = subprocess.run(
        [str(pip_audit), "--format", "json", "--progress-spinner", "off"], capture_output=True, text=True
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr or result.stdout, file=sys.stderr)
        print("pip-audit did not produce a report.", file=sys.stderr)
        return 2
    status, lines = verdict(report, strict=os.environ.get("AUDIT_STRICT", "") in {"1", "true", "yes", "on"})
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
