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


def test_words_are_required_in_any_order_and_a_chunk_ranks_as_a_phrase():
    query = search.parse_query("2022年预算 PPT")
    assert [word.text for word in query.words] == ["2022", "预算", "ppt"]
    assert query.adjacent == [["2022", "年预", "预算"], ["ppt"]]
    assert query.fts5() == '(("2022")) AND (("预算")) AND (("ppt"))'
    assert query.fts5_adjacent("title") == 'title : "2022 年预 预算" AND title : "ppt"'
    assert query.tsquery("A") == "((('2022':A))) & ((('预算':A))) & ((('ppt':A)))"


def test_the_segmenter_cuts_words_and_long_words_into_their_parts():
    assert [w.text for w in search.parse_query("部门预算2025").words] == ["部门", "预算", "2025"]
    assert [w.text for w in search.parse_query("奖学金名单").words] == ["奖学金", "名单"]
    assert [w.text for w in search.parse_query("收费标准").words] == ["收费", "标准"]


def test_traditional_characters_are_folded():
    assert [w.text for w in search.parse_query("財務預算").words] == ["财务", "预算"]
    assert search.tokens("財務預算") == search.tokens("财务预算")


def test_synonyms_give_a_word_alternatives():
    query = search.parse_query("学费标准", synonyms={"学费": ["收费标准"], "收费标准": ["学费"]})
    assert query.words[0].alternatives == ["收费标准"]
    assert '("收费" AND "标准")' in query.fts5()
    # A synonym of several words is taken as one (收费标准 is cut 收费 标准).
    query = search.parse_query("收费标准", synonyms={"学费": ["收费标准"], "收费标准": ["学费"]})
    assert [(w.parts, w.alternatives) for w in query.words] == [(["收费", "标准"], ["学费"])]


def test_single_characters_are_not_required():
    # 第 may sit inside a longer run in a text (年第三), where only bigrams exist.
    assert search.parse_query("第3季度").phrases == [["3"], ["季度"]]
    assert search.parse_query("第3季度").adjacent == [["3", "季度"]]
    assert search.parse_query("2024年9月").phrases == [["2024"], ["9"]]


def test_snippet_is_the_passage_with_the_most_words():
    text = "招生 " + "x" * 400 + " 招生章程 收费标准 学费 " + "y" * 400 + " 学费"
    excerpt = search.snippet(text, ["招生", "章程", "学费"])
    assert excerpt.count("<mark>") >= 3
    assert "<mark>章程</mark>" in excerpt


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
