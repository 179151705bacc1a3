"""The disclosure guide (信息公开指南): its demo placeholders and the checks that flag them.

The guide's fields start at ``PLACEHOLDERS`` (seeded by migration 0009): plausible for the demo college, but not
any real office's. ``placeholder_fields(guide)`` names the fields still at their placeholder; the compliance
dashboard lists them and, in production settings (DEBUG off), the system check ``disclosures.W001`` warns.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _

from disclosures.models import DisclosureGuide

PLACEHOLDERS = {
    "office_name": "城市职业学院信息公开办公室",
    "head": "（负责人姓名）",
    "address": "（学校地址）行政楼（房间号）",
    "postcode": "000000",
    "office_hours": "工作日上午8:30—11:30，下午13:30—17:00（法定节假日除外）",
    "phone": "0000-00000000",
    "fax": "0000-00000001",
    "email": "xxgk@example.edu.cn",
    "classification": (
        "本校信息公开目录分为学校概况、制度规范、整体工作、学生事务、教育教学、重点建设、校企合作、帮困助学、教师人事、"
        "收费管理、财务、资产和采购、后勤保障、监督工作十四个类别，各类别下设公开事项，逐项对应教育部"
        "《高等学校信息公开事项清单》。每条信息标注索引号、发布机构、成文日期和发布日期，可按类别、事项、部门和关键词检索。"
    ),
    "how_to_apply": (
        "在线申请：通过本网站“依申请公开”栏目填写申请表，提交后取得申请编号和查询码。\n"
        "当面申请：工作时间到信息公开办公室填写申请表，并出示身份证件。\n"
        "信函申请：将填好的申请表邮寄至信息公开办公室，信封注明“信息公开申请”，以签收之日为收到申请之日。\n"
        "传真申请：将申请表传真至信息公开办公室，以双方确认之日为收到申请之日。\n"
        "电子邮件申请：将申请表发送至信息公开办公室电子邮箱，以双方确认之日为收到申请之日。\n"
        "申请时请写明申请人姓名或名称、联系方式、所需信息的内容描述及获取信息的方式。"
    ),
    "time_limits": (
        "学校收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起15个工作日内答复；"
        "需要延长答复期限的，经信息公开办公室负责人同意并告知申请人，延长期限最长不超过15个工作日。"
        "需要征求第三方意见的，征求意见所需时间不计算在期限内。"
    ),
    "fees": "学校依申请提供信息，除按规定收取检索、复制、邮寄等成本费用外，不收取其他费用。收费标准以公示为准。",
    "remedies": (
        "公民、法人和其他组织认为学校未按照规定履行信息公开义务的，可以向学校内设监察部门（纪委办公室）、"
        "省级教育行政部门举报；认为学校在信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。"
    ),
}


def placeholder_fields(guide) -> list[str]:
    """The verbose names of the fields still at the demo's placeholder (every field when there is no guide)."""
    if guide is None:
        return [str(DisclosureGuide._meta.get_field(name).verbose_name) for name in PLACEHOLDERS]
    return [
        str(type(guide)._meta.get_field(name).verbose_name)
        for name, value in PLACEHOLDERS.items()
        if (getattr(guide, name) or "").strip() == value
    ]


def check_placeholders(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """In production settings (DEBUG off): the guide still shows the demo's placeholders."""
    if settings.DEBUG:
        return []
    try:
        fields = placeholder_fields(DisclosureGuide.current())
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    if not fields:
        return []
    return [
        checks.Warning(
            _("The disclosure guide still shows the demo's placeholders: %(fields)s.") % {"fields": "、".join(fields)},
            hint=_("Fill in the office's real details in the admin (Disclosure catalogue › Disclosure guide)."),
            id="disclosures.W001",
        )
    ]
