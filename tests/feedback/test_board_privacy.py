"""The public message board never shows personal numbers or the asker's name (issue 14): consent to publish a
question is not consent to publish one's numbers. The question and the answer are scanned when staff publish;
the board shows the masked form; staff see what was masked."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from feedback import services
from feedback.models import Consultation, FeedbackEventKind
from tests.feedback.factories import make_message
from tests.scans import BANK_CARD, MOBILE, VALID_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(django_user_model):
    office = django_user_model.objects.create_superuser("office", "office@example.com", "pw")
    message, _code = make_message(
        name="张三丰",
        subject=f"奖学金咨询 {MOBILE}",
        text=f"我是张三丰，身份证号 {VALID_ID}，手机 {MOBILE}，请问奖学金发到银行卡 {BANK_CARD} 了吗？",
    )
    services.message_answer(
        message=message,
        user=office,
        reply="三丰同学你好：奖学金已于本月发放，请查收。张三丰同学如有疑问请来电。",
        publish=True,
    )
    return message, office


def test_the_board_masks_numbers_and_the_askers_name(client, published):
    """Before: the ID, mobile and bank-card numbers and the name appeared on /board/ in clear."""
    page = client.get(reverse("feedback:board")).content.decode()
    for secret in (VALID_ID, MOBILE, BANK_CARD, "张三丰", "三丰同学"):
        assert secret not in page
    assert "1101**********002X" in page and "138****5678" in page
    assert "张**" in page and "奖学金已于本月发放" in page  # the rest of the text is kept


def test_staff_see_what_was_masked(client, published):
    message, office = published
    event = message.events.get(kind=FeedbackEventKind.PUBLISHED)
    assert "1101**********002X" in event.note and VALID_ID not in event.note
    client.force_login(office)
    page = client.get(reverse("admin:feedback_consultation_change", args=[message.pk])).content.decode()
    assert "masked on the board" in page.lower() or "公开时遮盖" in page or "留言板上遮盖" in page
    assert "1101**********002X" in page


def test_searching_the_board_for_a_number_reveals_nothing(client, published):
    for query in (VALID_ID, MOBILE, BANK_CARD):
        response = client.get(reverse("feedback:board"), {"q": query})
        assert response.context["page_obj"].paginator.count == 0
    assert client.get(reverse("feedback:board"), {"q": "奖学金"}).context["page_obj"].paginator.count == 1
    for name in ("张三丰", "三丰"):  # nor does a search for the asker's name
        assert client.get(reverse("feedback:board"), {"q": name}).context["page_obj"].paginator.count == 0


def test_the_stored_message_keeps_what_the_asker_wrote(published):
    message, _office = published
    stored = Consultation.objects.get(pk=message.pk)
    assert VALID_ID in stored.text  # staff still answer what was asked; only the public copy is masked
    assert get_user_model().objects.filter(username="office").exists()


def test_the_name_is_shown_only_when_the_asker_chose_so(client, django_user_model):
    office = django_user_model.objects.create_superuser("office2", "office2@example.com", "pw")
    chose, _code = make_message(name="王五", text="王五想问：奖学金评审办法在哪里公布？", name_published=True)
    silent, _code = make_message(name="赵六", text="赵六想问：助学金评审办法在哪里公布？")
    for message in (chose, silent):
        services.message_answer(message=message, user=office, reply="已在学生资助栏目公布。", publish=True)
    page = client.get(reverse("feedback:board")).content.decode()
    assert "王五想问" in page and "王五" in page
    assert "赵六" not in page and "赵*想问" in page


def test_the_form_offers_the_choice(client):
    page = client.get(reverse("feedback:consultation-form")).content.decode()
    assert 'name="name_published"' in page


def test_searching_the_board_for_part_of_a_masked_number_or_name_reveals_nothing(client, published):
    """Before: a query for the hidden middle digits ("1381234") or for the name with the text around it found the
    message, so the search told what the mask hides, digit by digit."""
    for query in (MOBILE[:7], VALID_ID[:10], BANK_CARD[4:12], "我是张三丰", "丰，身份证"):
        response = client.get(reverse("feedback:board"), {"q": query})
        assert response.context["page_obj"].paginator.count == 0, query
    for query in ("138****5678", "奖学金已于本月发放", "张**"):  # what the board shows is still found
        assert client.get(reverse("feedback:board"), {"q": query}).context["page_obj"].paginator.count == 1, query


def test_a_name_and_student_number_typed_in_the_question_are_masked(client, django_user_model):
    """Before: "我是李四，学号 2021012345" appeared on the board in clear when the form's name field was empty or
    held another name; and the numbers in the answer too."""
    office = django_user_model.objects.create_superuser("office2", "office2@example.com", "pw")
    message, _code = make_message(
        name="",
        subject="奖学金咨询",
        text="老师好，我是李四，学号 2021012345，手机 138-1234-5678，QQ：12345678，想问奖学金何时发放？",
    )
    reply = "李四同学：已发放，可拨 ＋８６ １３９ １２３４ ５６７８ 咨询。"
    services.message_answer(message=message, user=office, reply=reply, publish=True)
    page = client.get(reverse("feedback:board")).content.decode()
    for secret in ("李四", "2021012345", "138-1234-5678", "12345678", "１２３４"):
        assert secret not in page, secret
    assert "我是李*，学号 20******45" in page and "想问奖学金何时发放" in page
