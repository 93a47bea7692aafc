"""One pass finds every term: overlapping terms, width variants, names across line breaks, titles by date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.lexicon import Forbidden, Lexicon, Matcher, Person, Replacement, Tenure, TitleHit, WordHit, visible
from gongkai.lexicon.entries import normalise
from gongkai.lexicon.matching import same_title

DAY = dt.date(2023, 6, 1)
ZHANG = Person("张军卫", (Tenure("局长", dt.date(2016, 3, 1), dt.date(2021, 12, 31)),
                          Tenure("党组书记", dt.date(2016, 3, 1), dt.date(2021, 12, 31))))
HAN = Person("韩东波", (Tenure("副局长", dt.date(2016, 3, 1), None),))
TITLES = ("局长", "副局长", "党组书记", "主任")


def matcher(*entries, people=(), titles=TITLES) -> Matcher:
    return Matcher(Lexicon(
        tuple(e for e in entries if isinstance(e, Replacement)),
        tuple(e for e in entries if isinstance(e, Forbidden)),
        tuple(people), titles,
    ))


def found(m: Matcher, text: str, day: dt.date = DAY) -> list[tuple[str, str]]:
    seen = visible(text)
    result = []
    for hit in m.find(seen.text, day):
        start, end = seen.source_span(hit.start, hit.end)
        result.append((type(hit).__name__, text[start:end].rstrip()))
    return result


def test_overlapping_terms_are_all_found():
    m = matcher(Replacement("登陆网站", "登录网站"), Replacement("网站登陆", "网站登录"), Forbidden("站登", "测试"))
    assert found(m, "请先登陆网站登陆后查询") == [("WordHit", "登陆网站"), ("WordHit", "网站登陆"), ("WordHit", "站登")]


def test_a_term_inside_a_longer_term_gives_way_but_forbidden_never_does():
    m = matcher(Replacement("截止", "截至"), Replacement("截止目前", "截至目前"), Forbidden("止目", "测试"))
    hits = visible("截止目前共完成")
    result = m.find(hits.text, DAY)
    assert [(h.start, h.end) for h in result] == [(0, 4), (1, 3)]
    assert isinstance(result[0], WordHit) and isinstance(result[0].entry, Replacement) and result[0].entry.right == "截至目前"


def test_exceptions_silence_only_their_own_entry():
    m = matcher(Replacement("登陆后", "登录后", exceptions=("台风登陆后",)), Forbidden("风登", "测试"))
    assert found(m, "台风登陆后风力减弱") == [("WordHit", "风登")]
    assert found(m, "用户登陆后可查询") == [("WordHit", "登陆后")]


@pytest.mark.parametrize("text", ["登录ＡＰＰ后", "登录APP后", "登录ＡPＰ后"])
def test_full_width_and_half_width_letters_match_alike(text):
    m = matcher(Replacement(normalise("ＡＰＰ后"), "App 后"))
    assert [kind for kind, _ in found(m, text)] == ["WordHit"]


@pytest.mark.parametrize("text", ["（一）", "(一)", "（一)", "(一）"])
def test_punctuation_matches_in_either_width(text):
    m = matcher(Forbidden("(一)", "测试"))
    assert found(m, f"见{text}条") == [("WordHit", text)]


@pytest.mark.parametrize("text", ["中华\u2ea0国", "\u2ee2克思", "\u2ed3\u2ed4", "\u31d0带\u2f00路"])
def test_a_word_written_with_radicals_is_the_word(text):
    """CJK radicals (U+2EA0 is drawn as 民, U+2EE2 as 马) and strokes are the ideographs a reader reads: NFKC keeps the
    Radicals Supplement and the strokes as they are, so 中华民国 written with U+2EA0 passed the lexicon."""
    m = matcher(Forbidden("中华民国", "测试"), Forbidden("马克思", "测试"), Forbidden("长门", "测试"),
                Forbidden("一带一路", "测试"))
    assert found(m, f"见{text}。") == [("WordHit", text)]


@pytest.mark.parametrize("pop", ["\u202c后文", "", "\n后文"])
def test_a_word_under_a_right_to_left_override_is_read_as_shown(pop):
    """U+202E shows what follows it reversed up to its pop or the line's end, Chinese too: 国民华中 written after it shows
    中华民国."""
    m = matcher(Forbidden("中华民国", "测试"))
    text = f"前文\u202e国民华中{pop}"
    seen = visible(text)
    [hit] = m.find(seen.text, DAY)
    assert text.index("\u202e") < seen.source_offset(hit.start) <= text.index("\u202e") + 4


def test_names_across_line_breaks_padding_and_emphasis():
    m = matcher(people=[ZHANG])
    for text in ("张军卫局长", "张军\n卫局长", "张 军 卫局长", "张**军卫**局长", "张\u200b军卫局长", "张军卫\n  局长"):
        assert [kind for kind, _ in found(m, text)] == ["TitleHit"], text


def test_a_title_after_leaving_office_is_found_and_one_held_then_is_not():
    m = matcher(people=[ZHANG])
    assert found(m, "张军卫局长出席会议", dt.date(2020, 5, 1)) == []
    assert found(m, "张军卫局长出席会议", dt.date(2022, 1, 1)) == [("TitleHit", "张军卫局长")]
    assert found(m, "局党组书记、局长张军卫同志任组长", dt.date(2022, 1, 1)) == [("TitleHit", "局长张军卫")]


def test_past_titles_are_allowed_when_marked_as_past():
    m = matcher(people=[ZHANG])
    for text in ("时任局长张军卫", "原局长张军卫", "2019年，时任县住建局局长张军卫"):
        assert found(m, text, dt.date(2024, 1, 1)) == [], text
    # …but not a title the person never held, past or not
    assert [k for k, _ in found(m, "原副局长张军卫", dt.date(2024, 1, 1))] == ["TitleHit"]


def test_a_wrong_title_is_found():
    m = matcher(people=[ZHANG, HAN])
    hits = m.find("局长韩东波讲话", DAY)
    assert len(hits) == 1 and isinstance(hits[0], TitleHit) and hits[0].held == ()
    assert m.find("副局长韩东波讲话", DAY) == []
    assert m.find("韩东波副局长讲话", DAY) == []
    assert m.find("韩东波同志讲话", DAY) == []  # no title next to the name: nothing to check


def test_same_title():
    assert same_title("主任", "办公室主任")
    assert same_title("局长", "局长")
    assert not same_title("局长", "副局长")
    assert not same_title("书记", "党组副书记")


@pytest.mark.parametrize("written", ["禁用(甲)(乙)(丙)(丁)", "禁用（甲)(乙)(丙)(丁)", "禁用（甲）（乙）（丙）（丁）",
                                     "禁用(甲）(乙)（丙)(丁）"])
def test_a_term_is_found_whatever_width_each_of_its_marks_is_written_in(written):
    """Each mark in either width, however many marks the term has: spellings were listed for at most 6 marks, and
    past them a term was matched as written or with every mark swapped, so one mark in the other width escaped it."""
    m = matcher(Forbidden("禁用(甲)(乙)(丙)(丁)", "测试"), Replacement("a,b", "a、b"))
    assert found(m, f"文中有{written}的写法。") == [("WordHit", written)]
    assert found(m, "写作a，b。") == [("WordHit", "a，b")]


def test_an_empty_lexicon_finds_nothing():
    assert matcher().find("任何文字", DAY) == []


_TEXT = st.text(alphabet=st.sampled_from(list("登陆网站截止目前张军卫局长，。\n ")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_every_reported_hit_is_a_term_at_its_place(text):
    m = matcher(Replacement("登陆网站", "登录网站"), Replacement("截止目前", "截至目前"), Forbidden("网站截", "测试"),
                people=[ZHANG])
    seen = visible(text)
    for hit in m.find(seen.text, dt.date(2024, 1, 1)):
        piece = seen.text[hit.start:hit.end]
        if isinstance(hit, WordHit):
            term = hit.entry.wrong if isinstance(hit.entry, Replacement) else hit.entry.text
            assert piece == term
        else:
            assert "张军卫" in piece and piece.replace("张军卫", "") in TITLES


@settings(max_examples=200, deadline=None)
@given(_TEXT, _TEXT)
def test_a_term_planted_anywhere_is_found(before, after):
    m = matcher(Replacement("登录网址", "登录网站"))
    seen = visible(f"{before}。登录网址。{after}")
    assert any(isinstance(h, WordHit) and seen.text[h.start:h.end] == "登录网址" for h in m.find(seen.text, DAY))


def test_the_scanned_text_does_not_keep_a_utf8_copy_of_itself():
    """Bodies live through the whole build: scanning one must not leave it 2.5× its size (≈ 6 KB an item)."""
    import sys

    body = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(2000)) + "登陆网站"
    before = sys.getsizeof(body)
    assert [type(hit).__name__ for hit in matcher(Replacement("登陆网站", "登录网站")).find(body, DAY)] == ["WordHit"]
    assert sys.getsizeof(body) == before


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["登陆后", "台风登陆后", "登陆", "。", "x", "台风"]), max_size=60), st.integers(0, 3))
def test_chunks_and_exceptions_find_what_a_whole_scan_finds(parts, chunk_power):
    """The text read a chunk at a time, exceptions asked by position: the same findings as every match against every
    exception of the whole text."""
    import gongkai.lexicon.matching as matching

    text = "".join(parts)
    lexicon = Lexicon(replacements=(Replacement("登陆后", "登录后", exceptions=("台风登陆后",)), Replacement("登陆", "登录")))
    matcher = Matcher(lexicon)
    expected = [(hit.start, hit.end) for hit in matcher.find(text, DAY)]
    chunk, matching._CHUNK = matching._CHUNK, 2 ** chunk_power
    try:
        assert [(hit.start, hit.end) for hit in matcher.find(text, DAY)] == expected
    finally:
        matching._CHUNK = chunk
    whole = [(start, end) for start in range(len(text)) for end in (start + 2, start + 3)
             if text[start:end] in ("登陆", "登陆后") and not (text[start:end] == "登陆后" and text[max(0, start - 2):end] == "台风登陆后")]
    assert set(expected) <= set(whole)


def test_many_excused_matches_cost_linear_time():
    """台风登陆后 (an exception of 登陆后) repeated: each match asked every exception, 0.7 MB took a minute."""
    import time

    matcher = Matcher(Lexicon(replacements=(Replacement("登陆后", "登录后", exceptions=("台风登陆后",)),)))
    started = time.process_time()
    assert matcher.find("台风登陆后。" * 100_000, DAY) == []
    assert time.process_time() - started < 5  # was ≈ 60 s at this size


def test_terms_overlapping_without_bound_stop_the_reading_with_a_finding():
    """A lexicon of 啊啊, 啊啊啊 … 啊×100 over a body of 啊: ≈ 100 matches a character held 30 KB of memory a character."""
    from gongkai.lexicon import CrowdedHit

    matcher = Matcher(Lexicon(replacements=tuple(Replacement("啊" * k, "哦") for k in range(2, 101))))
    hits = matcher.find("啊" * 50_000, DAY)
    assert isinstance(hits[-1], CrowdedHit)
    assert isinstance(matcher.find("啊" * 200, DAY)[-1], WordHit)


@given(sharing=st.integers(1, 300), mentions=st.integers(0, 50))
@settings(max_examples=20, deadline=None)
def test_an_exception_shared_by_many_entries_is_read_once_and_silences_each(sharing, mentions):
    """9,000 entries excepting 的 made every 的 of every text 9,000 spans (minutes, gigabytes): an exception is now
    read once per match whatever shares it, and the matches cap counts what each match costs."""
    entries = [Replacement(f"甲{n}乙", "丙", exceptions=("的",)) for n in range(sharing)]
    m = matcher(*entries, Replacement("登陆后", "登录后", exceptions=("台风登陆后", "的")))
    text = "的" * mentions + "台风登陆后" + "用户登陆后" + "甲0乙"
    assert found(m, text) == [("WordHit", "登陆后"), ("WordHit", "甲0乙")]
