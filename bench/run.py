"""`make bench`: seed BENCH_ITEMS disclosures, serve them with gunicorn (production settings, 2 workers) and load
each page with wrk (4 connections, BENCH_SECONDS per page), on SQLite and, when it answers, PostgreSQL.

Writes bench/results/latest.json and prints a table. Environment:
  BENCH_ITEMS      items to seed (default 100000)
  BENCH_SECONDS    seconds of load per page (default 5)
  BENCH_DATABASES  "sqlite,postgresql" (default); PostgreSQL is skipped when it does not answer
  BENCH_PG_URL     server to create the benchmark database on (default postgres://postgres@127.0.0.1:5432)
  BENCH_PG_DB      database name, created and dropped by the benchmark (default portal_bench)
  BENCH_PORT       first port for gunicorn (default 8113)
  BENCH_MACHINE    a note on the machine, stored in the results
  BENCH_COLD_SIZES item counts for the cold walk (default "10000,100000"; "" for none): at each, the database is
                   seeded afresh and walked cold, page cache on as shipped
  BENCH_COLD_URLS  distinct URLs drawn per kind (default 2500; each asked at most once)
  BENCH_COLD_SECONDS  longest time per kind of the cold walk (default 10; a kind whose URLs run out ends sooner)
  BENCH_TMP        where the seeded databases live while the benchmark runs (default: the system's temporary
                   folder, never the checkout)

The cold walk: list pages (the item list, the category and disclosure-item pages at every depth), filter
combinations, search queries and item pages, each kind a list of distinct URLs drawn from the seeded data and
walked once by wrk (bench/cold_walk.lua: one connection per thread, no URL asked twice), then all of them mixed
(other URLs again), next to /healthz in the same server run.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import serving  # noqa: E402 - needs the checkout on the path

TMP = Path(os.environ.get("BENCH_TMP") or Path(tempfile.gettempdir()) / "portal-bench")
RESULTS = ROOT / "bench" / "results" / "latest.json"
PYTHON = sys.executable
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"
ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
DATABASES = [name.strip() for name in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if name]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB = os.environ.get("BENCH_PG_DB", "portal_bench")
FIRST_PORT = int(os.environ.get("BENCH_PORT", "8113"))
CONNECTIONS = 4
COLD_SIZES = [int(size) for size in os.environ.get("BENCH_COLD_SIZES", "10000,100000").split(",") if size.strip()]
COLD_URLS = int(os.environ.get("BENCH_COLD_URLS", "2500"))
COLD_SECONDS = int(os.environ.get("BENCH_COLD_SECONDS", "10"))
COLD_KINDS = ("list", "filters", "search", "item")
COLD_GOALS = {"p50_ms": 50, "p99_ms": 200, "mixed_vs_hello": 0.10, "p50_growth": 1.5}
CACHED_PAGES = ("home", "catalogue", "category", "list_page_1", "list_page_2000", "list_filtered")
GOALS = {
    "p50_ms": 50,
    "p99_ms": 200,
    "queries": 10,
    "deep_page_ratio": 2.0,
    "list_vs_hello": 0.2,
    "cached_vs_hello": 0.7,
}

# --------------------------------------------------------------------------------------------------
# Seeding (runs inside Django: `python bench/run.py seed`)
# --------------------------------------------------------------------------------------------------

TOPICS = [
    ("{y}年部门预算公开", "11"),
    ("{y}年度部门决算", "11"),
    ("城市职业学院{y}年招生章程", "04"),
    ("{y}年分省招生计划", "04"),
    ("{y}年学费、住宿费收费标准", "10"),
    ("关于{y}年国家奖学金获奖学生名单的公示", "08"),
    ("{y}年勤工助学岗位聘用名单公示", "08"),
    ("关于印发《{w}管理办法》的通知", "02"),
    ("关于印发《{w}实施细则》的通知", "02"),
    ("{y}年第{q}季度政府采购意向公开", "12"),
    ("{y}年{w}项目招标公告", "12"),
    ("{y}年{w}项目成交结果公示", "12"),
    ("{y}届毕业生就业质量年度报告", "05"),
    ("{y}年专业设置及新增、停招专业情况", "05"),
    ("{y}年公开招聘工作人员的公告", "09"),
    ("关于{name}等同志职务任免的通知", "09"),
    ("{y}年食堂饭菜价格公示", "13"),
    ("{y}年校园安全工作通报", "13"),
    ("{y}年信息公开工作年度报告", "01"),
    ("{y}年学校工作要点", "03"),
    ("关于{y}年“三重一大”事项决策执行情况的通报", "03"),
    ("{y}年校企合作企业名单", "07"),
    ("{y}年高水平专业群建设绩效自评报告", "06"),
    ("{y}年招生监察工作方案及监督渠道", "14"),
    ("关于{y}年审计整改情况的通报", "14"),
]
WORDS = ["资产", "档案", "科研经费", "差旅费", "学生公寓", "实验室安全", "合同", "公务接待", "校园网络", "图书采购"]
NAMES = ["王明", "李华", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"]
SENTENCES = [
    "根据《高等学校信息公开办法》和《高等学校信息公开事项清单》的要求，现将有关情况公开如下。",
    "学校高度重视此项工作，成立了工作领导小组，明确职责分工，确保各项任务按时完成。",
    "本年度共安排资金{n}万元，主要用于教学科研、学生资助和基础设施改善。",
    "各部门要按照学校统一部署，认真组织实施，及时报送工作进展情况。",
    "如对公开内容有疑问，请在工作日工作时间与联系部门联系，联系电话：0571-8{n}。",
    "经学校{y}年第{q}次院长办公会议研究决定，现予以公布。",
    "公示期为五个工作日，公示期间如有异议，可通过电话、电子邮件或书面形式反映。",
    "学校将进一步完善制度建设，加强监督检查，持续提升管理服务水平。",
    "全年接待来访群众{n}人次，办理各类事项{q}件，办结率达到百分之百。",
    "本办法自印发之日起施行，由学校办公室负责解释。",
]


def seed() -> None:
    total = int(os.environ.get("BENCH_SEED_ITEMS", ITEMS))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from core.cache import bump_content_version
    from core.progress import progress_bars
    from disclosures import search
    from disclosures.models import Category, Department, Disclosure, DisclosureItem, DisclosureStatus

    rng = random.Random(20240901)
    categories = {category.code: category for category in Category.objects.all()}
    departments = list(Department.objects.all())
    items_by_category: dict[int, list] = {}
    for item in DisclosureItem.objects.all():
        items_by_category.setdefault(item.category_id, []).append(item)
    now = timezone.now()
    span = 15 * 365 * 86400
    started = time.monotonic()
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cursor:  # a GIN index is built faster once than kept up row by row
            cursor.execute("DROP INDEX IF EXISTS disclosures_search_vector")
    batch_size = 2000
    counters: dict[int, int] = {}
    # A bar on a terminal; a line per batch in a log.
    with progress_bars()("  seeding", total) as bar:
        for start in range(0, total, batch_size):
            batch = []
            for _ in range(min(batch_size, total - start)):
                published = now - datetime.timedelta(seconds=rng.randrange(3600, span))
                year = published.year
                template, code = rng.choice(TOPICS)
                # Spread over all fourteen categories: most topics stay in theirs, some go anywhere.
                category = categories[code] if rng.random() < 0.8 else categories[rng.choice(list(categories))]
                fill = {"y": year, "q": rng.randint(1, 4), "w": rng.choice(WORDS), "name": rng.choice(NAMES)}
                body = "".join(
                    "<p>" + rng.choice(SENTENCES).format(n=rng.randint(10, 9999), **fill) + "</p>"
                    for _ in range(rng.randint(6, 14))
                )
                counters[year] = counters.get(year, 0) + 1
                items = items_by_category.get(category.pk) or [None]
                batch.append(
                    Disclosure(
                        index_number=f"BENCH-{year}-{counters[year]:06d}",
                        title=template.format(**fill),
                        category=category,
                        item=rng.choice(items),
                        department=rng.choice(departments),
                        date_written=(published - datetime.timedelta(days=rng.randint(1, 20))).date(),
                        published_at=published,
                        # Both recorded checks, as the publishing workflow leaves them (the public sees nothing else).
                        security_checked_at=published,
                        approved_at=published,
                        summary="",
                        body=body,
                        status=DisclosureStatus.PUBLISHED,
                        audience="public" if rng.random() < 0.97 else "campus",
                        keywords=template.format(**fill)[:20],
                    )
                )
            with transaction.atomic():
                created = Disclosure.objects.bulk_create(batch)
                if not all(d.pk for d in created):  # SQLite before RETURNING: fetch the keys
                    numbers = {d.index_number: d for d in created}
                    keys = Disclosure.objects.filter(index_number__in=numbers).values_list("pk", "index_number")
                    for pk, number in keys:
                        numbers[number].pk = pk
                search.index_many(created)
            bar.update(start + len(batch))
            if not bar.enabled:
                print(f"  seeded {start + len(batch)} / {total} ({time.monotonic() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("CREATE INDEX disclosures_search_vector ON disclosures_searchdocument USING GIN (vector)")
    bump_content_version()
    with connection.cursor() as cursor:
        if pg:
            connection.connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('optimize')")
    print(f"  seeding done in {time.monotonic() - started:.0f} s", flush=True)


def pages_for(database: str) -> dict[str, str]:
    """The URLs measured, chosen from the seeded data (runs inside Django)."""
    from django.db.models import Count

    from disclosures.models import Disclosure

    visible = Disclosure.objects.published().filter(audience="public")
    busiest = (
        visible.order_by()
        .values("category__slug", "department__code", "published_at__year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    # The academic year starting in September of the previous year, within the filter's fifteen years.
    current = datetime.date.today().year - (0 if datetime.date.today().month >= 9 else 1)
    year = min(max(busiest["published_at__year"] - 1, current - 14), current)
    last_page = max(1, (visible.count() + 19) // 20)
    item = visible.order_by("-published_at").values_list("index_number", flat=True)[len(TOPICS)]
    return {
        "home": "/",
        "catalogue": "/catalogue/",
        "category": f"/catalogue/{busiest['category__slug']}/",
        "list_page_1": "/items/",
        "list_page_2000": f"/items/?page={min(2000, last_page)}",
        "list_filtered": (
            f"/items/?category={busiest['category__slug']}&year={year}&department={busiest['department__code']}"
        ),
        "item": f"/items/{item}/",
        "search_2chars": "/search/?q=%E9%A2%84%E7%AE%97",  # 预算
        "search_4chars": "/search/?q=%E6%8B%9B%E7%94%9F%E7%AB%A0%E7%A8%8B",  # 招生章程
    }


def measure_queries() -> None:
    """Print the pages and the SQL statements one (warm) request of each runs, as JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from core.cache import bump_content_version

    pages = pages_for(connection.vendor)
    queries, cold, cold_ms = {}, {}, {}
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(PAGE_CACHE_ENABLED=False, CONTENT_VERSION_SECONDS=0):
        for name, url in pages.items():
            bump_content_version()  # as after any change: nothing cached yet
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            cold_ms[name] = round((time.perf_counter() - started) * 1000, 1)
            assert response.status_code == 200, (url, response.status_code)
            cold[name] = len(captured)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[name] = len(captured)
    print("RESULT " + json.dumps({"pages": pages, "queries": queries, "queries_cold": cold, "cold_ms": cold_ms}))


def cold_urls() -> None:
    """Print, as JSON, 2 × BENCH_COLD_URLS distinct URLs of each kind drawn from the seeded data (the first half
    for the kind's own walk, the second for the mixed walk), in random order (runs inside Django)."""
    import django

    django.setup()
    from urllib.parse import quote, urlencode

    from django.db.models import Count
    from pypinyin import lazy_pinyin

    from disclosures import search
    from disclosures.models import Disclosure

    rng = random.Random(20260901)
    wanted = 2 * COLD_URLS
    visible = Disclosure.objects.published().filter(audience="public")
    per_page = 20

    def pages_of(count):
        return range(1, (count + per_page - 1) // per_page + 1)

    lists = [f"/items/?page={n}" for n in pages_of(visible.count())]
    for slug, n in visible.order_by().values_list("category__slug").annotate(n=Count("id")):
        lists += [f"/catalogue/{slug}/?page={page}" for page in pages_of(n)]
    for slug, code, n in (
        visible.filter(item__isnull=False)
        .order_by()
        .values_list("category__slug", "item__code")
        .annotate(n=Count("id"))
    ):
        lists += [f"/catalogue/{slug}/{code}/?page={page}" for page in pages_of(n)]
    rows = list(
        visible.values_list("category__slug", "department__code", "published_at", "item__code", "title", "index_number")
    )
    rng.shuffle(rows)
    filters: set[str] = set()
    shapes = [
        ("category", "year"),
        ("department", "year"),
        ("category", "department"),
        ("category", "department", "year"),
        ("item",),
        ("item", "year"),
        ("department",),
        ("category", "year", "page"),
    ]
    for category, department, published, item, _title, _number in rows:
        if len(filters) >= wanted:
            break
        year = published.year if published.month >= 9 else published.year - 1
        values = {"category": category, "department": department, "year": year, "item": item, "page": rng.randint(2, 3)}
        shape = rng.choice(shapes)
        if "item" in shape and not item:
            continue
        filters.add("/items/?" + urlencode({name: values[name] for name in shape}))
    queries: set[str] = set()
    for _category, _department, _published, _item, title, _number in rows:
        if len(queries) >= wanted:
            break
        words = [w.text for w in search.parse_query(title[:90]).words if not w.text.isdigit()] or [title[:4]]
        picked = rng.sample(words, min(len(words), rng.randint(1, 3)))
        style = rng.random()
        if style < 0.15:
            text = " ".join("".join(lazy_pinyin(word)) for word in picked)  # pinyin
        elif style < 0.25:
            text = "".join(picked).translate({ord("学"): "學", ord("费"): "費", ord("预"): "預", ord("务"): "務"})
        elif style < 0.5:
            text = " ".join(picked)
        else:
            text = "".join(picked) + (str(_published.year) if rng.random() < 0.3 else "")
        queries.add("/search/?q=" + quote(text))
    items = [f"/items/{number}/" for *_rest, number in rows[:wanted]]
    rng.shuffle(lists)
    result = {"list": lists[:wanted], "filters": sorted(filters), "search": sorted(queries), "item": items}
    for urls in result.values():
        rng.shuffle(urls)
    print("RESULT " + json.dumps(result))


# --------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------


def env_for(database: str, *, cache: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PORTAL_VAR_DIR": str(TMP / database),
            "PAGE_CACHE": "1" if cache else "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("REDIS_URL", None)
    if database == "postgresql":
        env["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
    else:
        env.pop("DATABASE_URL", None)
    return env


def recreate_database(database: str) -> None:
    if database == "postgresql":
        serving.recreate_pg_database(PG_URL, PG_DB)
    shutil.rmtree(TMP / database, ignore_errors=True)
    (TMP / database).mkdir(parents=True)


def drop_database(database: str) -> None:
    if database == "postgresql":
        serving.drop_pg_database(PG_URL, PG_DB)
    shutil.rmtree(TMP / database, ignore_errors=True)


def manage(database: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(database, cache=False), check=True)


def start_server(database: str, port: int, *, cache: bool) -> subprocess.Popen:
    command = [str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--log-level", "warning"]
    return serving.start_server(command, port=port, timeout=30, cwd=ROOT, env=env_for(database, cache=cache))


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    return round(float(match.group(1)) * _UNITS[match.group(2)], 2)


def wrk(url: str, seconds: int, *, script: Path | None = None) -> dict:
    """wrk's figures for ``url``; with ``script`` (a file of paths), the cold walk: one connection per thread, each
    path asked once, req/s then taken from the mean latency when the paths ran out before the time did (wrk
    divides by its whole run)."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        command = ["wrk", f"-t{CONNECTIONS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
        command += ["-s", str(ROOT / "bench" / "cold_walk.lua"), url, "--", str(script), str(CONNECTIONS)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    walked = re.search(r"COLD asked=(\d+) exhausted_threads=(\d+) mean_us=([\d.]+)", output)
    if walked:
        result["asked"] = int(walked.group(1))
        result["ran_out"] = int(walked.group(2)) > 0
        if result["ran_out"]:  # Little's law: connections / mean latency
            result["rps"] = round(CONNECTIONS / (float(walked.group(3)) / 1e6), 1)
    for percent in ("50", "99"):
        result[f"p{percent}_ms"] = _ms(re.search(rf"^\s+{percent}(?:\.000)?%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


def load(port: int, pages: dict[str, str], names) -> dict:
    base = f"http://127.0.0.1:{port}"
    results = {}
    for name in names:
        wrk(base + pages[name], 1)  # warm-up: both workers fill their caches and connections
        results[name] = wrk(base + pages[name], SECONDS)
        print(f"    {name:16} {results[name]['rps']:8.1f} rps  p50 {results[name]['p50_ms']:7.2f} ms", flush=True)
    return results


def cold_walk(port: int, files: dict[str, Path]) -> dict:
    """Each kind's distinct URLs walked once (bench/cold_walk.lua), then the mixed ones, next to /healthz."""
    base = f"http://127.0.0.1:{port}"
    result: dict = {"hello": wrk(f"{base}/healthz", SECONDS)}
    print(f"    hello            {result['hello']['rps']:8.1f} rps", flush=True)
    for kind, path in files.items():
        figures = wrk(base + "/", COLD_SECONDS, script=path)
        figures["urls"] = sum(1 for line in path.read_text().splitlines() if line)
        figures["vs_hello"] = round(figures["rps"] / result["hello"]["rps"], 4)
        result[kind] = figures
        print(
            f"    cold {kind:11} {figures['rps']:8.1f} rps  p50 {figures['p50_ms']:7.2f} ms  "
            f"p99 {figures['p99_ms']:7.2f} ms  ({figures['asked']} of {figures['urls']} URLs)",
            flush=True,
        )
    return result


def run_database(database: str, port: int, items: int, *, warm: bool) -> dict:
    print(f"== {database}: {items} items", flush=True)
    recreate_database(database)
    env = {**env_for(database, cache=False), "BENCH_SEED_ITEMS": str(items)}
    try:
        manage(database, "migrate", "--noinput", "--verbosity", "0")
        manage(database, "collectstatic", "--noinput", "--verbosity", "0")
        subprocess.run([PYTHON, __file__, "seed"], cwd=ROOT, env=env, check=True)
        result: dict = {}
        if warm:
            result.update(warm_run(database, port))
        if items in COLD_SIZES:
            drawn = subprocess.run(
                [PYTHON, __file__, "coldurls"], cwd=ROOT, env=env, check=True, text=True, capture_output=True
            ).stdout
            urls = json.loads(drawn.split("RESULT ", 1)[1])
            files = {}
            for kind in COLD_KINDS:
                files[kind] = TMP / database / f"cold-{kind}.txt"
                files[kind].write_text("\n".join(urls[kind][:COLD_URLS]) + "\n")
            mixed = [url for kind in COLD_KINDS for url in urls[kind][COLD_URLS:]]
            random.Random(7).shuffle(mixed)
            files["mixed"] = TMP / database / "cold-mixed.txt"
            files["mixed"].write_text("\n".join(mixed) + "\n")
            server = start_server(database, port + 2, cache=True)
            try:
                print("  cold walk, page cache on:", flush=True)
                result["cold"] = cold_walk(port + 2, files)
            finally:
                serving.stop_server(server)
        return result
    finally:
        drop_database(database)


def warm_run(database: str, port: int) -> dict:
    """Each page asked again and again for BENCH_SECONDS (page cache off, then on)."""
    measured = subprocess.run(
        [PYTHON, __file__, "queries"],
        cwd=ROOT,
        env=env_for(database, cache=False),
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    info = json.loads(measured.split("RESULT ", 1)[1])
    pages, queries, cold, cold_ms = info["pages"], info["queries"], info["queries_cold"], info["cold_ms"]
    result: dict = {"pages": {}, "cached": {}, "urls": pages}
    server = start_server(database, port, cache=False)
    try:
        result["hello"] = wrk(f"http://127.0.0.1:{port}/healthz", SECONDS)
        print(f"    hello            {result['hello']['rps']:8.1f} rps", flush=True)
        result["pages"] = load(port, pages, pages)
    finally:
        serving.stop_server(server)
    for name, figures in result["pages"].items():
        figures["queries"] = max(queries[name], cold[name])
        figures["queries_warm"] = queries[name]
        figures["cold_ms"] = cold_ms[name]
    server = start_server(database, port + 1, cache=True)
    try:
        print("  page cache on:", flush=True)
        # The ceiling again, measured next to the cached pages it is compared with (the load varies).
        result["hello_cached_run"] = wrk(f"http://127.0.0.1:{port + 1}/healthz", SECONDS)
        print(f"    hello            {result['hello_cached_run']['rps']:8.1f} rps", flush=True)
        result["cached"] = load(port + 1, pages, CACHED_PAGES)
    finally:
        serving.stop_server(server)
    result["goals"] = check_goals(result)
    return result


def check_cold_goals(cold: dict[int, dict]) -> dict:
    """The cold walk's goals, at the largest size walked (and its growth from the smallest)."""
    if not cold:
        return {}
    sizes = sorted(cold)
    largest = cold[sizes[-1]]
    kinds = [*COLD_KINDS, "mixed"]
    goals = {
        "at_items": sizes[-1],
        "p50_ms": all(largest[k]["p50_ms"] <= COLD_GOALS["p50_ms"] for k in kinds),
        "p99_ms": all(largest[k]["p99_ms"] <= COLD_GOALS["p99_ms"] for k in kinds),
        "mixed_vs_hello": largest["mixed"]["vs_hello"] >= COLD_GOALS["mixed_vs_hello"],
        "no_errors": all(largest[k]["errors"] == 0 for k in kinds),
    }
    if len(sizes) > 1:
        smallest = cold[sizes[0]]
        growth = {k: round(largest[k]["p50_ms"] / max(smallest[k]["p50_ms"], 0.01), 2) for k in kinds}
        goals["p50_growth_by_kind"] = growth
        goals["p50_growth"] = all(value <= COLD_GOALS["p50_growth"] for value in growth.values())
    goals["all"] = all(value for name, value in goals.items() if isinstance(value, bool))
    return goals


def check_goals(result: dict) -> dict:
    pages, hello = result["pages"], result["hello"]["rps"]
    goals = {
        "p50_ms": all(p["p50_ms"] <= GOALS["p50_ms"] for p in pages.values()),
        "p99_ms": all(p["p99_ms"] <= GOALS["p99_ms"] for p in pages.values()),
        "queries": all(p["queries"] <= GOALS["queries"] for p in pages.values()),
        "deep_page": pages["list_page_2000"]["p50_ms"] <= GOALS["deep_page_ratio"] * pages["list_page_1"]["p50_ms"]
        and pages["list_page_2000"]["rps"] * GOALS["deep_page_ratio"] >= pages["list_page_1"]["rps"],
        "list_vs_hello": pages["list_page_1"]["rps"] >= GOALS["list_vs_hello"] * hello,
        "cached_vs_hello": all(
            p["rps"] >= GOALS["cached_vs_hello"] * result["hello_cached_run"]["rps"] for p in result["cached"].values()
        ),
        "no_errors": all(p["errors"] == 0 for p in [*pages.values(), *result["cached"].values()]),
    }
    goals["all"] = all(goals.values())
    return goals


def table(results: dict) -> str:
    lines = []
    for database, result in results["databases"].items():
        hello = result["hello"]["rps"]
        lines.append(
            f"{database}  (hello: {hello:.0f} rps, in the cached run {result['hello_cached_run']['rps']:.0f} rps; "
            f"goals met: {result['goals']['all']})"
        )
        lines.append(f"  {'page':16} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'cached rps':>11}")
        lines.append(f"  {'hello':16} {hello:8.0f}")
        for name, p in result["pages"].items():
            cached = result["cached"].get(name, {}).get("rps")
            cached_text = f"{cached:11.0f}" if cached is not None else f"{'':11}"
            lines.append(
                f"  {name:16} {p['rps']:8.0f} {p['p50_ms']:8.2f} {p['p99_ms']:8.2f} {p['queries']:8d} {cached_text}"
            )
    for database, cold in results.get("cold", {}).items():
        lines.append(f"{database} cold walk (page cache on; goals met: {cold['goals'].get('all')})")
        lines.append(
            f"  {'items':>7} {'kind':8} {'urls':>6} {'asked':>6} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'/healthz':>9}"
        )
        for size, walk in cold["sizes"].items():
            lines.append(f"  {size:>7} {'healthz':8} {'':6} {'':6} {walk['hello']['rps']:8.0f}")
            for kind in (*COLD_KINDS, "mixed"):
                k = walk[kind]
                lines.append(
                    f"  {size:>7} {kind:8} {k['urls']:6d} {k['asked']:6d} {k['rps']:8.1f} {k['p50_ms']:8.2f} "
                    f"{k['p99_ms']:8.2f} {k['vs_hello']:9.3f}"
                )
    return "\n".join(lines)


def main() -> None:
    TMP.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "items": ITEMS,
        "seconds_per_page": SECONDS,
        "connections": CONNECTIONS,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": os.environ.get("BENCH_MACHINE")
        or f"{platform.node()}: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}",
        "goals": GOALS,
        "notes": (
            "pages: page cache off (PAGE_CACHE=0); fragment caches and cached list counts, keyed on the content "
            "version, stay on as in production. queries: statements of the first request after a change (the "
            "most a request runs); queries_warm: of the next one; cold_ms: that first request's time, in-process, one "
            "sample. cached: page cache on."
        ),
        "databases": {},
    }
    port = FIRST_PORT
    results["cold"] = {}
    for database in DATABASES:
        if database == "postgresql" and not serving.postgres_answers(PG_URL):
            print("PostgreSQL does not answer: skipped.", flush=True)
            continue
        cold: dict[int, dict] = {}
        for items in sorted({ITEMS, *COLD_SIZES}):
            result = run_database(database, port, items, warm=items == ITEMS)
            if "cold" in result:
                cold[items] = result.pop("cold")
            if items == ITEMS:
                results["databases"][database] = result
        results["cold"][database] = {"sizes": {str(size): walk for size, walk in cold.items()}}
        results["cold"][database]["goals"] = check_cold_goals(cold)
        port += 3
    results["all_goals_met"] = all(r["goals"]["all"] for r in results["databases"].values()) and all(
        c["goals"].get("all", True) for c in results["cold"].values()
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "seed":
        seed()
    elif command == "queries":
        measure_queries()
    elif command == "coldurls":
        cold_urls()
    else:
        main()
