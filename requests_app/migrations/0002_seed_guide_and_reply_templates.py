"""Seed the public application guide and one reply-letter template per kind of reply (editable by staff)."""

from django.db import migrations

GUIDE = {
    "how_to_apply": (
        "公民、法人或者其他组织可以通过本网站“在线申请”栏目提交信息公开申请，也可以填写《信息公开申请表》"
        "后邮寄或当面递交至学校信息公开办公室。\n"
        "申请时请写明：申请人姓名或者名称、身份证件号码或者统一社会信用代码、联系方式；所需信息的内容描述；"
        "所需信息的用途；获取信息的形式（纸质或电子）和方式（电子邮件、邮寄或当面领取）。\n"
        "一份申请请只针对一项或一类信息，描述应尽量具体（如文件名称、文号、时间范围）。"
    ),
    "what_happens": (
        "提交成功后，系统给出受理编号和查询码，并可打印回执。请妥善保管查询码，凭受理编号和查询码可在本网站"
        "查询办理进度、答复补正要求并下载答复书和所公开的信息。\n"
        "申请内容不明确的，我们将一次性告知需要补正的事项，补正期间不计入答复期限；申请人无正当理由逾期不补正的，"
        "视为放弃申请。涉及第三方合法权益的，我们将征求第三方意见，征求意见时间不计入答复期限。"
    ),
    "time_limits": (
        "学校自收到申请之日起15个工作日内予以答复；非工作日提交的申请，以下一个工作日为收到日期。"
        "如需延长答复期限，经信息公开办公室负责人同意并告知申请人，延长期限最长不超过15个工作日。"
    ),
    "fees": (
        "提供信息不收取费用，但申请数量、频次明显超过合理范围的，可依规定收取信息处理费。"
        "经济困难的申请人可以申请减免费用，请在申请中说明理由。"
    ),
    "office_address": "学校行政楼一楼 信息公开办公室（邮编 000000）",
    "office_hours": "工作日 上午 8:30—11:30，下午 14:30—17:30（法定节假日除外）",
    "phone": "0000-00000000",
    "email": "xxgk@example.edu.cn",
}

LETTER_HEAD = "${applicant}：\n\n    本校于${received_on}收到您提交的信息公开申请（受理编号：${tracking_number}），申请获取“${description}”。"
LETTER_FOOT = (
    "\n\n    如对本答复不服，可以依法向上级主管部门申诉、申请行政复议或者提起行政诉讼。"
    "\n\n${college}信息公开办公室\n${reply_date}"
)
TEMPLATES = {
    "disclosed": "经审查，您申请的信息属于公开范围，现予以公开，相关信息见附件。",
    "partly": "经审查，您申请的信息部分属于公开范围，现将可以公开的部分提供给您，相关信息见附件；其余部分因${reason}，不予公开。",
    "refused": "经审查，您申请的信息因${reason}，根据《高等学校信息公开办法》的规定，不予公开。",
    "not_held": "经查，您申请的信息不属于本校掌握的信息（或该信息不存在）。${holder}",
    "unclear": "经补正后，您的申请内容仍不明确，本校无法确定您所需的信息。欢迎您重新提出具体明确的申请。",
    "repeated": "您的申请与此前已答复的申请内容相同，且相关信息未发生变化，本校不再重复处理。",
    "other": "经审查，现答复如下：${reason}",
}


def seed(apps, schema_editor):
    ApplicationGuide = apps.get_model("requests_app", "ApplicationGuide")
    ReplyTemplate = apps.get_model("requests_app", "ReplyTemplate")
    if not ApplicationGuide.objects.exists():
        ApplicationGuide.objects.create(**GUIDE)
    for kind, text in TEMPLATES.items():
        ReplyTemplate.objects.get_or_create(kind=kind, defaults={"body": f"{LETTER_HEAD}\n\n    {text}{LETTER_FOOT}"})


def unseed(apps, schema_editor):
    apps.get_model("requests_app", "ApplicationGuide").objects.all().delete()
    apps.get_model("requests_app", "ReplyTemplate").objects.filter(kind__in=TEMPLATES).delete()


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_applications")]

    operations = [migrations.RunPython(seed, unseed)]
