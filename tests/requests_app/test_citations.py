"""The articles the notices and replies cite are the ones the texts say (lawcheck, 2026-12-02): 行政复议法 (2023)
art. 20 para. 1 counts 60 days from knowing of the act and art. 23 para. 1 item 4 asks for reconsideration first
when disclosure is refused; 行政诉讼法 art. 46 para. 1 counts six months from knowing; the 2019 Regulation has no
article for "confirming information already obtained" (art. 39 para. 2 is about publications); Order 29's article
numbers for the reply limit were not found in a stored text, so the receipt names the Measures without one."""

from __future__ import annotations

import pytest
from django.utils import translation

from requests_app.models import NoticeTemplate, RemedyBody, ReplyOutcome
from requests_app.outcomes import OUTCOMES

pytestmark = pytest.mark.django_db


def test_the_seeded_time_limits_follow_the_reconsideration_and_litigation_laws():
    reconsideration = RemedyBody.objects.get(kind="reconsideration").time_limit
    litigation = RemedyBody.objects.get(kind="litigation").time_limit
    assert "知道或者应当知道" in reconsideration and "收到本告知书" not in reconsideration
    assert "《中华人民共和国行政复议法》第二十条第一款" in reconsideration and "六十日" in reconsideration
    assert "知道或者应当知道" in litigation and "六个月" in litigation
    assert "《中华人民共和国行政诉讼法》第四十六条第一款" in litigation
    assert "第二十三条第一款第（四）项" in litigation  # refusals: reconsideration first


def test_the_receipt_cites_no_unchecked_article_of_order_29():
    body = NoticeTemplate.objects.get(kind="receipt").body
    assert "《高等学校信息公开办法》" in body and "第十八条" not in body


def test_no_ground_cites_an_article_that_says_something_else():
    with translation.override("en"):
        assert "39" not in str(OUTCOMES[ReplyOutcome.CONFIRM].ground)
        assert str(OUTCOMES[ReplyOutcome.PUBLICATION].ground) == "Regulation art. 39, paragraph 2"
        grounds = " ".join(str(outcome.ground) for outcome in OUTCOMES.values())
        assert "art. 18" not in grounds  # Order 29's article numbers for the kinds of reply were not verified
    with translation.override("zh-hans"):
        assert "第三十九条" not in str(OUTCOMES[ReplyOutcome.CONFIRM].ground)
        assert "第十八条" not in " ".join(str(outcome.ground) for outcome in OUTCOMES.values())
