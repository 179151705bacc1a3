import pytest

from disclosures.privacy import (
    HitKind,
    credit_code_is_valid,
    id_card_check_char,
    id_card_is_valid,
    luhn_is_valid,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    scan_html,
    scan_text,
)


def make_id(first17: str) -> str:
    return first17 + id_card_check_char(first17)


VALID_ID = make_id("23010219900101123")
WRONG_ID = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")


def test_id_card_check_character():
    assert id_card_is_valid(VALID_ID)
    assert not id_card_is_valid(WRONG_ID)
    assert id_card_is_valid("11010519491231002X")  # the standard's own example
    assert id_card_is_valid("11010519491231002x")
    assert not id_card_is_valid("230102199013011234")  # month 13
    assert id_card_is_valid("230102900101123")  # 15-digit, born 1990-01-01
    assert not id_card_is_valid("2301021990")


def test_unified_social_credit_code():
    assert credit_code_is_valid("91350100M000100Y43")
    assert not credit_code_is_valid("91350100M000100Y44")
    assert not credit_code_is_valid("91350100M000100Y4")
    assert not credit_code_is_valid("9135010OM000100Y43")  # the letter O is not used


def test_luhn():
    assert luhn_is_valid("4111111111111111")
    assert not luhn_is_valid("4111111111111112")


def test_masks():
    assert mask_id_number("230102199001011234") == "2301**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_email("zhangsan@example.com") == "z***@example.com"
    assert mask_name("张三丰") == "张**"


def test_scan_finds_personal_data_in_context_and_masks_it():
    text = f"国家奖学金名单：张三，身份证号{VALID_ID}，电话13812345678，卡号4111111111111111，邮箱zs@example.com。"
    hits = scan_text(text)
    assert [hit.kind for hit in hits] == [HitKind.ID_CARD, HitKind.MOBILE, HitKind.BANK_CARD, HitKind.EMAIL]
    id_hit = hits[0]
    assert id_hit.masked == mask_id_number(VALID_ID)
    assert VALID_ID not in id_hit.context and "身份证号" in id_hit.context


@pytest.mark.parametrize(
    "text",
    [
        f"合同编号 {WRONG_ID}",  # 18 digits, wrong check digit
        "流水号 20240901123456789012",  # too long for anything
        "电话 0451-86661234",  # an office landline
        "预算 12345678901 元",  # 11 digits not starting 13-19
    ],
)
def test_scan_ignores_numbers_that_are_not_personal_data(text):
    assert scan_text(text) == []


def test_scan_reads_table_cells_in_html():
    html = f"<table><tr><td>李四</td><td>{VALID_ID}</td></tr></table>"
    assert [hit.kind for hit in scan_html(html)] == [HitKind.ID_CARD]
