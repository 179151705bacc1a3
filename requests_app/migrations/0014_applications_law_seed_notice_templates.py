"""The default texts of the formal notices, with the articles they follow; staff edit them in the admin."""

from django.db import migrations

TEMPLATES = {
    "receipt": (
        "政府信息公开申请受理回执",
        "您于${received_on}提交的信息公开申请（申请编号：${tracking_number}）已收到，现予受理。\n"
        "申请公开的信息：${description}。\n"
        "依据《高等学校信息公开办法》，本校将于${due_on}前作出答复；需要延长答复期限的，将另行书面告知"
        "（《中华人民共和国政府信息公开条例》第三十三条）。",
    ),
    "clarification": (
        "政府信息公开申请补正通知书",
        "您于${received_on}提交的信息公开申请（申请编号：${tracking_number}）内容不够明确。依据《中华人民共和国政府"
        "信息公开条例》第三十条，现一次性告知您需要补正的事项：\n${message}\n"
        "请于${due_on}前补正。答复期限自本校收到补正之日起计算；无正当理由逾期不补正的，视为放弃申请，本校不再处理"
        "该申请。",
    ),
    "extension": (
        "政府信息公开申请延期答复告知书",
        "您于${received_on}提交的信息公开申请（申请编号：${tracking_number}），因${reason}，不能在规定期限内答复。"
        "经本校信息公开工作机构负责人${approver}同意，依据《中华人民共和国政府信息公开条例》第三十三条，答复期限延长"
        "${days}个工作日，本校将于${due_on}前作出答复。",
    ),
    "consultation": (
        "政府信息公开第三方意见征询函",
        "本校收到信息公开申请（申请编号：${tracking_number}），申请公开：${description}。该信息可能涉及贵方的商业秘密"
        "或者个人隐私，公开后可能损害贵方合法权益。依据《中华人民共和国政府信息公开条例》第三十二条，现书面征求"
        "贵方意见，请于${due_on}前书面答复是否同意公开；不同意公开的，请说明理由。逾期未提出意见的，由本校依照规定"
        "决定是否公开。",
    ),
    "fee": (
        "政府信息公开收费通知",
        "您于${received_on}提交的信息公开申请（申请编号：${tracking_number}），依据《中华人民共和国政府信息公开条例》"
        "第四十二条，应缴纳费用${amount}元（${basis}）。\n"
        "请于${due_on}前缴纳。自本通知发出之日至您缴费之日的期间不计入答复期限；逾期未缴纳的，本校不再处理该申请。",
    ),
    "reply": (
        "政府信息公开申请答复书",
        "您于${received_on}提交的信息公开申请（申请编号：${tracking_number}）收悉。经审查，答复如下（${outcome}）：\n"
        "${letter}\n"
        "依据：${ground}。",
    ),
}


def seed(apps, schema_editor):
    NoticeTemplate = apps.get_model("requests_app", "NoticeTemplate")
    for kind, (title, body) in TEMPLATES.items():
        NoticeTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


def unseed(apps, schema_editor):
    apps.get_model("requests_app", "NoticeTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0013_applications_law_notices")]

    operations = [migrations.RunPython(seed, unseed)]
