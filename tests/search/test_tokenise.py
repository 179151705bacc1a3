"""Tokenisation and query parsing (no database)."""

import pytest

from disclosures import search

HOSTILE = [
    "",
    "   ",
    "\x00",
    "\x00\x01\x02预算",
    "\t\n\r",
    "a" * 101,
    "预" * 101,
    '"',
    '""',
    "'",
    "*",
    "-",
    "AND",
    "OR NOT",
    "NEAR(a b)",
    "NEAR/2",
    "title:预算",
    "{title body}: 预算",
    "预算*",
    "^预算",
    "-预算",
    "+预算 -决算",
    "!!!",
    "&|!<->",
    "a & b | !c <-> d",
    "'; DROP TABLE disclosures_disclosure; --",
    "\\",
    "%",
    "_",
    "预",
    "😀",
    "\u202e预算\u202c",
    "<script>alert(1)</script>",
    "a " * 40,
    "预算 " * 20,
    "１２３",
    "ＰＰＴ",
    "(预算",
    "预算)",
    "col:*",
    "''''",
    "\u200b\u200b",
    "预 算 决 算",
]


def test_cjk_runs_become_bigrams_and_words_stay_whole():
    assert search.tokens("信息公开") == ["信息", "息公", "公开"]
    assert search.tokens("2022年预算PPT") == ["2022", "年预", "预算", "ppt"]
    assert search.tokens("HCVC-2024-0001") == ["hcvc", "2024", "0001"]
    assert search.tokens("《预》") == ["预"]
    assert search.tokens("ＰＰＴ　１２３") == ["ppt", "123"]  # full-width forms are folded


def test_a_chunk_is_one_phrase_and_chunks_are_anded():
    query = search.parse_query("2022年预算 PPT")
    assert query.phrases == [["2022", "年预", "预算"], ["ppt"]]
    assert query.fts5() == '"2022 年预 预算" AND "ppt"'
    assert query.tsquery("A") == "('2022':A <-> '年预':A <-> '预算':A) & ('ppt':A)"


def test_single_characters_at_the_ends_of_a_chunk_are_left_out():
    # 第 may sit inside a longer run in a text (年第三), where only bigrams exist.
    assert search.parse_query("第3季度").phrases == [["3", "季度"]]
    assert search.parse_query("2024年9月").phrases == [["2024", "年", "9"]]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_queries_are_answered_with_a_message_or_safe_phrases(raw):
    try:
        query = search.parse_query(raw)
    except search.QueryError as exc:
        assert str(exc.args[0])
        return
    for phrase in query.phrases:
        for token in phrase:
            assert token and '"' not in token and "'" not in token and " " not in token


def test_clear_messages():
    with pytest.raises(search.QueryError, match="Type what you are looking for|输入"):
        search.parse_query("  ")
    with pytest.raises(search.QueryError):
        search.parse_query("x" * 101)
    with pytest.raises(search.QueryError):
        search.parse_query("预")
    with pytest.raises(search.QueryError):
        search.parse_query("*** !!!")


def test_highlight_escapes_everything_but_the_marks():
    html = search.highlight("<b>预算</b> & 决算", ["预算"])
    assert html == "&lt;b&gt;<mark>预算</mark>&lt;/b&gt; &amp; 决算"
    assert search.snippet("x" * 300 + "预算<i>" + "y" * 300, ["预算"]).count("<mark>") == 1
    assert "<i>" not in search.snippet("x" * 300 + "预算<i>", ["预算"])
