"""Applications for tests, filed through the service as the public form files them."""

from __future__ import annotations

import datetime

from disclosures.privacy import CREDIT_CODE_CHARS, CREDIT_CODE_WEIGHTS, id_card_check_char
from requests_app import services
from requests_app.models import ApplicantType, Delivery, IdType, InfoForm


def valid_id_number(first17: str = "11010519491231002") -> str:
    return first17 + id_card_check_char(first17)


def valid_credit_code(first17: str = "91350100M00010012") -> str:
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return first17 + CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def application_data(**overrides) -> dict:
    data = {
        "applicant_type": ApplicantType.CITIZEN,
        "name": "张三丰",
        "id_type": IdType.MAINLAND_ID,
        "id_number": valid_id_number(),
        "credit_code": "",
        "legal_representative": "",
        "contact_person": "",
        "phone": "13812345678",
        "email": "zhang@example.com",
        "address": "北京市海淀区某路1号",
        "description": "2024年学校基本建设项目招标文件",
        "purpose": "学术研究",
        "info_form": InfoForm.ELECTRONIC,
        "delivery": Delivery.EMAIL,
        "fee_waiver_requested": False,
        "fee_waiver_reason": "",
    }
    data.update(overrides)
    return data


def make_application(*, now: datetime.datetime | None = None, files=(), **overrides):
    """(application, access code)."""
    submitted = services.application_submit(data=application_data(**overrides), files=files, now=now)
    return submitted.application, submitted.access_code


def form_post(**overrides) -> dict:
    """What the public form posts (booleans as the browser sends them)."""
    data = application_data(**overrides)
    post = {key: value for key, value in data.items() if not isinstance(value, bool)}
    if data["fee_waiver_requested"]:
        post["fee_waiver_requested"] = "on"
    post["consent"] = "on"
    post["website"] = ""
    return post


OFFICE_HEADS = "信息公开办公室负责人"


def office_head(username: str = "head", **fields):
    """A staff member in the office head's group (created by a migration): may approve extensions."""
    from django.contrib.auth.models import Group

    from tests.factories import StaffFactory

    user = StaffFactory(username=username, is_superuser=False, **fields)
    user.groups.add(Group.objects.get(name=OFFICE_HEADS))
    return user
