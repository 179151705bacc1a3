"""Locust users for `make loadtest` (driven by loadtest/run.py, which starts the server and reads the results).

- ``Visitor`` (50): the public browsing and searching: home, catalogue, categories, disclosure items, the item
  list with filters, sorting and pages, item pages and their print view, attachment downloads, and search with
  Chinese queries taken from the demo content.
- ``Filer`` (5): people applying for information (依申请公开): GET the form, POST a valid application with the
  CSRF token, follow the redirect to the receipt. Every receipt's tracking number is recorded with the marker
  written into the application, so that run.py can check each one was stored exactly once.

Environment: LOADTEST_PLAN (JSON written by `run.py plan`: the URLs and queries to use), LOADTEST_RECEIPTS
(where the receipts are written at the end), LOADTEST_VISITORS / LOADTEST_FILERS (50 / 5).
Any response other than 2xx/3xx, a connection error, or a form that comes back instead of a receipt is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())
RECEIPTS_FILE = os.environ["LOADTEST_RECEIPTS"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT_PATH = re.compile(r"/apply/track/([A-Za-z0-9-]+)/receipt/$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英"]
WANTED = [
    "{y}年学校部门预算和决算的详细说明",
    "{y}年招生计划分专业执行情况及录取分数线",
    "{y}年学生资助资金的分配办法和发放名单（不含个人敏感信息）",
    "{y}年基本建设项目的招标文件和中标结果",
    "{y}年学费、住宿费收费标准的核定文件",
    "学校{y}年度信息公开工作年度报告所附统计数据",
    "{y}年科研经费管理办法及执行情况",
]
PURPOSES = ["学术研究", "了解招生政策", "监督学校收费", "撰写新闻报道", "个人生活需要"]

receipts: list[dict] = []
posts = {"sent": 0}
serial = itertools.count(1)


def id_number() -> str:
    """A mainland ID card number with a valid check character."""
    birth = f"{random.randint(1960, 2005)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    first17 = f"110105{birth}{random.randint(0, 999):03d}"
    return first17 + ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


@events.quitting.add_listener
def _write_receipts(environment, **kwargs):
    with open(RECEIPTS_FILE, "w", encoding="utf-8") as out:
        json.dump({"posts": posts["sent"], "receipts": receipts}, out, ensure_ascii=False)


class Visitor(FastHttpUser):
    fixed_count = int(os.environ.get("LOADTEST_VISITORS", "50"))
    wait_time = between(0.5, 2.0)

    def _get(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if not 200 <= response.status_code < 400:
                response.failure(f"{response.status_code} for {url}")
            return response

    @task(3)
    def home(self):
        self._get("/", "home")

    @task(1)
    def catalogue(self):
        self._get("/catalogue/", "catalogue")

    @task(2)
    def category(self):
        slug = random.choice(PLAN["categories"])
        page = random.choice([1, 1, 1, 2])
        self._get(f"/catalogue/{slug}/" + (f"?page={page}" if page > 1 else ""), "category [page]")

    @task(1)
    def disclosure_item(self):
        self._get(random.choice(PLAN["disclosure_items"]), "disclosure item")

    @task(3)
    def item_list(self):
        params: dict[str, str] = {}
        if random.random() < 0.4:
            params["category"] = random.choice(PLAN["categories"])
        if random.random() < 0.25:
            params["department"] = random.choice(PLAN["departments"])
        if random.random() < 0.3:
            params["year"] = random.choice(PLAN["years"])
        if random.random() < 0.15:
            params["sort"] = "date"
        if random.random() < 0.1:
            params["q"] = random.choice(PLAN["queries"])
        if not params or random.random() < 0.3:
            params["page"] = str(random.randint(1, PLAN["list_pages"]))
        self._get("/items/?" + urlencode(params) if params else "/items/", "item list [filters, page]")

    @task(4)
    def item(self):
        self._get(random.choice(PLAN["items"]), "item page")

    @task(1)
    def print_view(self):
        self._get(random.choice(PLAN["items"]) + "print/", "item print view")

    @task(1)
    def attachment(self):
        if PLAN["attachments"]:
            response = self._get(random.choice(PLAN["attachments"]), "attachment download")
            if response.status_code == 200 and not response.content:
                response.failure("empty attachment")

    @task(3)
    def search(self):
        params = {"q": random.choice(PLAN["queries"])}
        if random.random() < 0.2:
            params["category"] = random.choice(PLAN["categories"])
        if random.random() < 0.15:
            params["page"] = "2"
        self._get("/search/?" + urlencode(params), "search")


class Filer(FastHttpUser):
    fixed_count = int(os.environ.get("LOADTEST_FILERS", "5"))
    wait_time = between(1.0, 3.0)

    @task
    def file_an_application(self):
        self.client.cookiejar.clear()  # each application from a new browser
        with self.client.get("/apply/new/", name="apply form", catch_response=True) as form:
            token = CSRF.search(form.text or "")
            if form.status_code != 200 or not token:
                form.failure(f"form page: {form.status_code}, CSRF token {'found' if token else 'missing'}")
                return
        marker = f"LT-{uuid.uuid4().hex}"
        number = next(serial)
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "applicant_type": "citizen",
            "name": random.choice(SURNAMES) + random.choice(GIVEN),
            "id_type": "mainland_id",
            "id_number": id_number(),
            "phone": f"139{os.getpid() % 1000:03d}{number:05d}",
            "email": f"applicant{os.getpid()}-{number}@example.com",
            "address": f"浙江省杭州市西湖区文三路{random.randint(1, 999)}号",
            "description": random.choice(WANTED).format(y=random.randint(2019, 2025)) + f"（编号 {marker}）",
            "purpose": random.choice(PURPOSES),
            "info_form": random.choice(["electronic", "paper"]),
            "delivery": "email",
            "consent": "on",
            "website": "",  # the honeypot stays empty, as a person leaves it
        }
        posts["sent"] += 1
        with self.client.post(
            "/apply/new/", data=data, name="apply POST", allow_redirects=False, catch_response=True
        ) as posted:
            location = posted.headers.get("Location", "") if posted.headers else ""
            found = RECEIPT_PATH.search(location)
            if posted.status_code != 302 or not found:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', posted.text or "", re.S)
                posted.failure(f"no redirect to a receipt: {posted.status_code} {location!r}; {errors[:2]}")
                return
        tracking_number = found.group(1)
        # The browser follows the redirect to the receipt (number and access code, shown once).
        with self.client.get(location, name="apply receipt", catch_response=True) as receipt:
            if receipt.status_code != 200 or tracking_number not in (receipt.text or ""):
                receipt.failure(f"receipt {tracking_number}: {receipt.status_code}")
                return
        receipts.append({"marker": marker, "number": tracking_number})
