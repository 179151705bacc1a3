"""`make loadtest`: 50 visitors browsing and searching and 5 people filing applications for 60 seconds against the
server `make run` starts (gunicorn, 2 workers, DEBUG off, the demo content), on SQLite and on PostgreSQL.

For each database it sets the site up in a temporary folder (never the developer's var/) exactly as `make run`
does (migrate, load_demo, load_demo_reports, collectstatic, ensure_demo_staff, then gunicorn with the same
options), runs locust headless (loadtest/locustfile.py), stops the server, and checks in the database that every
application whose receipt a filer got is stored exactly once (and nothing else was stored). It writes
loadtest/results/latest.json and <database>_stats.csv, and prints a table.

The abuse limits of the public forms would stop five people filing from one address (10 per address per hour):
for the load test only, ABUSE_LIMIT_PER_IP_HOUR is raised through its environment variable. Every application
has its own phone number and e-mail, so the per-contact limit, the honeypot and the (default: off) CAPTCHA keep
their production settings.

Environment:
  LOADTEST_DATABASES  "sqlite,postgresql" (default)
  LOADTEST_SECONDS    length of each run (default 60)
  LOADTEST_VISITORS, LOADTEST_FILERS  users (default 50 and 5)
  LOADTEST_PG_URL     PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  LOADTEST_PG_DB      database created and dropped there (default portal_loadtest)
  LOADTEST_PORT       port for gunicorn (default 8213)
Exit status 1 when a run had errors or an application was lost or stored twice.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import platform
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import serving  # noqa: E402 - needs the checkout on the path

RESULTS_DIR = ROOT / "loadtest" / "results"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
VISITORS = int(os.environ.get("LOADTEST_VISITORS", "50"))
FILERS = int(os.environ.get("LOADTEST_FILERS", "5"))
DATABASES = [name.strip() for name in os.environ.get("LOADTEST_DATABASES", "sqlite,postgresql").split(",") if name]
PG_URL = os.environ.get("LOADTEST_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB = os.environ.get("LOADTEST_PG_DB", "portal_loadtest")
PORT = int(os.environ.get("LOADTEST_PORT", "8213"))
# For the load test only: five filers share one address (the limit is 10 per address and hour by default).
RELAXED = {"ABUSE_LIMIT_PER_IP_HOUR": "1000000", "ABUSE_CAPTCHA": "off"}
MARKER = re.compile(r"LT-[0-9a-f]{32}")

# --------------------------------------------------------------------------------------------------
# Inside Django: what to load (`run.py plan FILE`) and what was stored (`run.py verify RECEIPTS`)
# --------------------------------------------------------------------------------------------------

CANDIDATE_QUERIES = [
    "招生",
    "预算",
    "决算",
    "奖学金",
    "助学金",
    "收费",
    "学费",
    "招标",
    "采购",
    "就业",
    "年度报告",
    "信息公开",
    "章程",
    "毕业生",
    "公示",
    "管理办法",
    "实施细则",
    "安全",
    "食堂",
    "审计",
    "招聘",
    "资助",
    "专业",
    "校企合作",
]


def plan(path: str) -> None:
    import django

    django.setup()
    from django.db.models import Count, Q

    from disclosures.filters import academic_year_choices
    from disclosures.models import Attachment, Category, Department, Disclosure, DisclosureItem

    public = Disclosure.objects.published().filter(audience="public")
    items = list(public.order_by("-published_at").values_list("index_number", flat=True)[:400])
    titles = list(public.values_list("title", flat=True)[:2000])
    if not items:
        raise SystemExit("No public items: the demo content did not load.")
    attachments = [
        f"/items/{number}/attachments/{pk}/"
        for pk, number in Attachment.objects.filter(disclosure__in=public)
        .order_by("?")
        .values_list("pk", "disclosure__index_number")[:200]
    ]
    categories = list(
        Category.objects.annotate(n=Count("disclosures", filter=Q(disclosures__in=public)))
        .filter(n__gt=0)
        .values_list("slug", flat=True)
    )
    disclosure_items = [
        f"/catalogue/{slug}/{code}/" for slug, code in DisclosureItem.objects.values_list("category__slug", "code")
    ]
    departments = list(Department.objects.filter(disclosures__in=public).distinct().values_list("code", flat=True))
    # Realistic queries: common disclosure words found in the demo titles, and pieces of the titles themselves.
    rng = random.Random(8)
    queries = [word for word in CANDIDATE_QUERIES if any(word in title for title in titles)]
    for title in rng.sample(titles, min(40, len(titles))):
        runs = [run for run in re.findall(r"[\u4e00-\u9fff]{2,}", title)]
        if runs:
            run = rng.choice(runs)
            length = min(len(run), rng.choice([2, 3, 4, 4, 6]))
            start = rng.randrange(0, len(run) - length + 1)
            queries.append(run[start : start + length])
    queries = sorted(set(queries))
    data = {
        "items": [f"/items/{number}/" for number in items],
        "attachments": attachments,
        "categories": categories,
        "disclosure_items": disclosure_items,
        "departments": departments,
        "years": [value for value, _label in academic_year_choices()[:4]],
        "queries": queries,
        "list_pages": max(1, (public.count() + 19) // 20),
        "counts": {"public_items": public.count(), "attachments": len(attachments)},
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def verify(receipts_path: str) -> None:
    """Print, as JSON, how the receipts the filers got compare with the applications stored."""
    import django

    django.setup()
    from requests_app.models import DisclosureApplication

    got = json.loads(Path(receipts_path).read_text(encoding="utf-8"))
    receipts = got["receipts"]
    rows: dict[str, list[str]] = {}
    for number, description in DisclosureApplication.objects.filter(description__contains="LT-").values_list(
        "tracking_number", "description"
    ):
        found = MARKER.search(description)
        if found:
            rows.setdefault(found.group(0), []).append(number)
    by_number = {number: marker for marker, numbers in rows.items() for number in numbers}
    stored_once = sum(1 for r in receipts if rows.get(r["marker"]) == [r["number"]])
    missing = [r["number"] for r in receipts if r["number"] not in by_number]
    mismatched = [r["number"] for r in receipts if r["number"] in by_number and by_number[r["number"]] != r["marker"]]
    duplicates = sum(len(numbers) - 1 for numbers in rows.values() if len(numbers) > 1)
    receipted = {r["marker"] for r in receipts}
    without_receipt = sorted(marker for marker in rows if marker not in receipted)
    result = {
        "posted": got["posts"],
        "receipts": len(receipts),
        "distinct_receipt_numbers": len({r["number"] for r in receipts}),
        "stored_rows": sum(len(numbers) for numbers in rows.values()),
        "stored_once": stored_once,
        "duplicates": duplicates,
        "missing": len(missing),
        "mismatched": len(mismatched),
        "stored_without_receipt": len(without_receipt),
    }
    result["ok"] = (
        result["posted"] == result["receipts"] == result["distinct_receipt_numbers"] == stored_once
        and result["stored_rows"] == stored_once
        and not (duplicates or missing or mismatched or without_receipt)
    )
    print("RESULT " + json.dumps(result))


# --------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------


def env_for(database: str, var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PORTAL_", "ABUSE_"))}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_REPLICA_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "PORTAL_VAR_DIR": str(var_dir),
            "PYTHONPATH": str(ROOT),
            **RELAXED,
        }
    )
    if database == "postgresql":
        env["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
    else:
        env.pop("DATABASE_URL", None)
    return env


def run_step(env: dict[str, str], log, *args: str) -> None:
    subprocess.run([PYTHON, *args], cwd=ROOT, env=env, check=True, stdout=log, stderr=subprocess.STDOUT)


def set_up_like_make_run(env: dict[str, str], log) -> None:
    """The steps of the Makefile's `run` target before it starts gunicorn."""
    for command in (
        "migrate --noinput",
        "load_demo",
        "load_demo_reports",
        "collectstatic --noinput",
        "ensure_demo_staff",
    ):
        run_step(env, log, "manage.py", *command.split())


def start_server(env: dict[str, str], log) -> subprocess.Popen:
    """gunicorn as `make run` starts it (the access log goes to a file instead of the terminal)."""
    command = [str(BIN / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"]
    command += ["--access-logfile", str(Path(env["PORTAL_VAR_DIR"]) / "access.log"), "--forwarded-allow-ips="]
    return serving.start_server(command, port=PORT, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def machine_load() -> dict:
    one, five, fifteen = os.getloadavg()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return {"loadavg_1_5_15": [round(one, 2), round(five, 2), round(fifteen, 2)], "uptime": uptime}


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(csv_file: Path) -> tuple[dict, dict]:
    """(the aggregated figures, per request name) from locust's <prefix>_stats.csv."""
    total, per_name = {}, {}
    with csv_file.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            figures = {
                "requests": int(_number(row["Request Count"])),
                "failures": int(_number(row["Failure Count"])),
                "rps": round(_number(row["Requests/s"]), 1),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "max_ms": round(_number(row["Max Response Time"]), 1),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                per_name[f"{row['Type']} {row['Name']}"] = figures
    return total, per_name


def server_errors(log_file: Path) -> int:
    text = log_file.read_text(encoding="utf-8", errors="replace")
    return text.count("Traceback (most recent call last)") + len(re.findall(r"\[CRITICAL\]|WORKER TIMEOUT", text))


def run_database(database: str) -> dict:
    print(f"== {database}: {VISITORS} visitors + {FILERS} filers for {SECONDS} s", flush=True)
    var_dir = Path(tempfile.mkdtemp(prefix=f"portal-loadtest-{database}-"))
    env = env_for(database, var_dir)
    server_log_file = var_dir / "server.log"
    if database == "postgresql":
        serving.recreate_pg_database(PG_URL, PG_DB)
    try:
        with (var_dir / "setup.log").open("w") as log:
            started = time.monotonic()
            set_up_like_make_run(env, log)
            run_step(env, log, __file__, "plan", str(var_dir / "plan.json"))
        print(f"  set up as `make run` does in {time.monotonic() - started:.0f} s ({var_dir})", flush=True)
        with server_log_file.open("w") as server_log:
            server = start_server(env, server_log)
            try:
                load_before = machine_load()
                locust_env = {
                    **env,
                    "LOADTEST_PLAN": str(var_dir / "plan.json"),
                    "LOADTEST_RECEIPTS": str(var_dir / "receipts.json"),
                    "LOADTEST_VISITORS": str(VISITORS),
                    "LOADTEST_FILERS": str(FILERS),
                }
                users = VISITORS + FILERS
                with (var_dir / "locust.log").open("w") as locust_log:
                    subprocess.run(
                        [
                            str(BIN / "locust"),
                            "-f",
                            str(ROOT / "loadtest" / "locustfile.py"),
                            "--headless",
                            "--users",
                            str(users),
                            "--spawn-rate",
                            str(users),
                            "--run-time",
                            f"{SECONDS}s",
                            "--stop-timeout",
                            "30",
                            "--host",
                            f"http://127.0.0.1:{PORT}",
                            "--csv",
                            str(var_dir / "locust"),
                            "--only-summary",
                            "--loglevel",
                            "WARNING",
                        ],
                        cwd=ROOT,
                        env=locust_env,
                        stdout=subprocess.DEVNULL,
                        stderr=locust_log,
                    )
                load_after = machine_load()
            finally:
                serving.stop_server(server)
        total, per_name = read_stats(var_dir / "locust_stats.csv")
        failures_file = var_dir / "locust_failures.csv"
        failures = []
        if failures_file.exists():
            failures = list(csv.DictReader(failures_file.read_text(encoding="utf-8").splitlines()))
        checked = subprocess.run(
            [PYTHON, __file__, "verify", str(var_dir / "receipts.json")],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        applications = json.loads(checked.split("RESULT ", 1)[1])
        shutil.copyfile(var_dir / "locust_stats.csv", RESULTS_DIR / f"{database}_stats.csv")
        plan_counts = json.loads((var_dir / "plan.json").read_text(encoding="utf-8"))["counts"]
        result = {
            "duration_s": SECONDS,
            "users": {"visitors": VISITORS, "filers": FILERS},
            "throughput_rps": total["rps"],
            "requests": total["requests"],
            "p50_ms": total["p50_ms"],
            "p95_ms": total["p95_ms"],
            "p99_ms": total["p99_ms"],
            "max_ms": total["max_ms"],
            "errors": total["failures"],
            "error_samples": [
                {key: row.get(key) for key in ("Method", "Name", "Error", "Occurrences")} for row in failures[:10]
            ],
            "server_errors_logged": server_errors(server_log_file),
            "applications": applications,
            "by_request": per_name,
            "demo_content": plan_counts,
            "load_before": load_before,
            "load_after": load_after,
        }
        result["ok"] = result["errors"] == 0 and result["server_errors_logged"] == 0 and applications["ok"]
        return result
    finally:
        if database == "postgresql":
            serving.drop_pg_database(PG_URL, PG_DB)
        if os.environ.get("LOADTEST_KEEP"):
            print(f"  kept {var_dir}", flush=True)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def table(results: dict) -> str:
    head = (
        f"{'database':10} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'requests':>9} {'errors':>6} "
        f"{'posted':>6} {'receipts':>8} {'stored':>6} {'dupl.':>5} {'ok':>4}"
    )
    lines = [head]
    for database, r in results["databases"].items():
        a = r["applications"]
        lines.append(
            f"{database:10} {r['throughput_rps']:7.1f} {r['p50_ms']:7.0f} {r['p95_ms']:7.0f} {r['p99_ms']:7.0f} "
            f"{r['requests']:9d} {r['errors']:6d} {a['posted']:6d} {a['receipts']:8d} {a['stored_once']:6d} "
            f"{a['duplicates']:5d} {('yes' if r['ok'] else 'NO'):>4}"
        )
    return "\n".join(lines)


def main() -> int:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scenario": (
            f"{VISITORS} visitors (think time 0.5-2 s: home, catalogue, categories, disclosure items, item list with "
            f"filters and pages, item and print pages, attachment downloads, search with Chinese queries from the "
            f"demo content) and {FILERS} filers (think time 1-3 s: form, POST with CSRF token, receipt) for "
            f"{SECONDS} s against gunicorn with 2 workers, DEBUG off, demo content (as `make run`); locust in one "
            "process on the same machine"
        ),
        "relaxed_for_the_load_test": RELAXED,
        "machine": {
            "cores": os.cpu_count(),
            "memory_gib": memory_gib(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "note": "the load generator and the server share these cores; other work may run at the same time "
            "(see load_before/load_after of each database)",
        },
        "databases": {},
    }
    for database in DATABASES:
        if database == "postgresql" and not serving.postgres_answers(PG_URL):
            print(f"PostgreSQL does not answer at {PG_URL}: skipped.", flush=True)
            results["databases_skipped"] = ["postgresql"]
            continue
        results["databases"][database] = run_database(database)
    results["ok"] = bool(results["databases"]) and all(r["ok"] for r in results["databases"].values())
    (RESULTS_DIR / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"Written to {(RESULTS_DIR / 'latest.json').relative_to(ROOT)}")
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "plan":
        plan(sys.argv[2])
    elif command == "verify":
        verify(sys.argv[2])
    else:
        sys.exit(main())
