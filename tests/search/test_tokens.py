"""The tokenizer's promise: a query's terms match a text's tokens exactly when the text contains it.

`matches` models Pagefind's two lookups on one line's tokens: a quoted chain is a run of
consecutive positions, an unquoted single character is any token starting with it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search.tokens import GAP, Term, fold, line_tokens, query_terms, text_tokens


def matches(term: Term, tokens: list[str]) -> bool:
    if term.kind == "prefix":
        return any(t.startswith(term.tokens[0]) for t in tokens)
    n = len(term.tokens)
    return any(tuple(tokens[i : i + n]) == term.tokens for i in range(len(tokens) - n + 1))


def found(query: str, text: str) -> bool:
    """Pagefind's verdict for the document `text`: every term matches within one line."""
    terms = query_terms(query)
    return bool(terms) and all(any(matches(t, line_tokens(line)) for line in text.splitlines()) for t in terms)


def loose(text: str) -> str:
    return "".join(c for ch in text for c in fold(ch) if c.isalnum())


# A few Han characters so that random queries both occur and miss; letters, digits,
# full-width forms, CJK and ASCII punctuation, spaces.
HAN = "危房改造公积金"
OTHER = "aZ09３Ｘ〔〕（）《》，。、- /:"
texts = st.text(alphabet=HAN + OTHER, max_size=60)
han_texts = st.text(alphabet=HAN, min_size=1, max_size=40)


def is_word_char(ch: str) -> bool:
    return any(c.isalnum() and not "\u4e00" <= c <= "\u9fff" for c in fold(ch))


@st.composite
def text_and_span(draw: st.DrawFn, source: st.SearchStrategy[str] = texts) -> tuple[str, int, int]:
    text = draw(source)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, start, end


@settings(max_examples=500)
@given(text_and_span())
def test_every_substring_is_found(case: tuple[str, int, int]) -> None:
    text, start, end = case
    query = text[start:end]
    # Letters and digits match as whole words: a substring that cuts a word is not promised.
    cuts_word = query and (
        (start > 0 and is_word_char(text[start - 1]) and is_word_char(query[0]))
        or (end < len(text) and is_word_char(text[end]) and is_word_char(query[-1]))
    )
    if query_terms(query) and not cuts_word:
        assert found(query, text), (query, text)


@settings(max_examples=400)
@given(text_and_span(han_texts))
def test_han_substrings_are_found(case: tuple[str, int, int]) -> None:
    text, start, end = case
    if end > start:
        assert found(text[start:end], text)


@settings(max_examples=600)
@given(han_texts, st.text(alphabet=HAN, min_size=2, max_size=6))
def test_han_queries_match_exactly_the_texts_containing_them(text: str, query: str) -> None:
    assert found(query, text) == (query in text)


@settings(max_examples=400)
@given(st.lists(han_texts, min_size=1, max_size=4), st.text(alphabet=HAN, min_size=2, max_size=5))
def test_no_phrase_spans_two_lines(lines: list[str], query: str) -> None:
    text = "\n".join(lines)
    assert found(query, text) == any(query in line for line in lines)


@settings(max_examples=400)
@given(texts, st.text(alphabet=HAN + OTHER, min_size=1, max_size=8))
def test_a_match_means_the_text_contains_the_query_modulo_punctuation(text: str, query: str) -> None:
    # Chains ignore spaces, punctuation, width and case; nothing else is loose.
    if found(query, text) and not any(t.kind == "prefix" for t in query_terms(query)) and len(query.split()) == 1:
        assert any(loose(query) in loose(line) for line in text.splitlines())


FORMAT = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u202e\u2066\U000e0041"  # zero-width, soft hyphen, BOM, bidi, tag


@settings(max_examples=300, deadline=None)  # the first call compiles the tokenizer's tables
@given(texts, st.text(alphabet=HAN + OTHER, min_size=1, max_size=8), st.data())
def test_format_characters_change_nothing_in_the_text_or_the_query(text: str, query: str, data: st.DataObject) -> None:
    """Readers see nothing of them, and the scans read past them: 危\u200b房 is found by 危房, and a pasted 危\u200b房 finds it."""
    def sprinkled(value: str) -> str:
        marks = data.draw(st.lists(st.sampled_from(FORMAT), min_size=len(value) + 1, max_size=len(value) + 1))
        return "".join(mark + ch for mark, ch in zip(marks, value, strict=False)) + marks[-1]

    assert found(sprinkled(query), sprinkled(text)) == found(query, text)


def test_han_runs_become_bigrams_and_a_final_unigram() -> None:
    assert line_tokens("农村危房改造") == ["农村", "村危", "危房", "房改", "改造", "造"]


def test_words_stay_whole_and_a_run_after_a_word_gets_a_leading_unigram() -> None:
    assert line_tokens("2021年度X住建规〔2021〕3号") == [
        "2021", "年", "年度", "度", "x", "住", "住建", "建规", "规", "2021", "3", "号",
    ]


def test_full_width_forms_and_case_are_folded() -> None:
    assert line_tokens("ＡＢＣ１２３") == line_tokens("abc123") == ["abc123"]


def test_lines_are_separated_by_a_gap() -> None:
    assert text_tokens("危房\n\n改造") == ["危房", "房", GAP, "改造", "造"]


def test_query_forms() -> None:
    def q(text: str) -> list[str]:
        return [t.pagefind_query() for t in query_terms(text)]

    assert q("危房") == ['"危房"']
    assert q("农村危房改造") == ['"农村 村危 危房 房改 改造"']
    assert q("2021年") == ['"2021 年"']
    assert q("12319") == ['"12319"']
    assert q("X住建规〔2021〕3号") == ['"x 住 住建 建规 规 2021 3 号"']
    assert q("11131122MB1534702N/2021-00003") == ['"11131122mb1534702n 2021 00003"']
    assert q("房") == ["房"]  # a single character: prefix lookup
    assert q("危房 改造") == ['"危房"', '"改造"']  # spaces separate terms that must all match
    assert q("，。") == []


# Characters that may stand between the digits of a number: marks of every kind (a spacing one, ः, is drawn beside
# the digit), format characters, blanks, punctuation and letters.
_BETWEEN_DIGITS = "\u0903\u0f3e\U0001d16d\u0301\u20dd\u200b\u00ad\u200f\u2060 ：-·a\u3000"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789") * 4 + list(_BETWEEN_DIGITS)), min_size=11, max_size=24).map("".join))
def test_search_finds_no_personal_number_the_check_does_not_see(text: str) -> None:
    """What the index makes one word is what a reader reads as one: a number the privacy scan does not find in a
    text (139ः12345678 shows a visarga between its groups) is no word of the index either, so a search for it
    finds nothing."""
    import datetime as dt

    from gongkai.checks import pii

    today = dt.date(2026, 12, 4)
    if list(pii.find(f"电话{text}。", today)):
        return
    words = [token for token in line_tokens(text) if token.isdigit()]
    assert not [word for word in words if pii.classify(word, today)], (text, words)


def test_a_spacing_mark_between_digits_breaks_the_word() -> None:
    assert [token for token in line_tokens("电话139\u090312345678") if token.isdigit()] == ["139", "12345678"]


def test_a_term_given_twice_is_asked_once():
    assert query_terms("危房 危房　危房 房 房") == query_terms("危房 房")
    assert [term.pagefind_query() for term in query_terms("2021年 危房 2021年")] == ['"2021 年"', '"危房"']


def test_what_the_scans_read_past_is_nothing_to_search_either():
    """Search read U+FFFC (drawn as nothing; the scans read past it) as a space: 13912345678\\ufffc0, twelve digits to
    the scans and on the page, put the word 13912345678 in the index and marked it in excerpts. Every character the
    scans read past is nothing to search too, but the four that Python's splitting takes for blanks and line breaks."""
    from gongkai.reader_text import fold as read

    planes = [*range(0x0, 0xD800), *range(0xE000, 0x30000), *range(0xE0000, 0xE1000)]
    apart = [hex(code) for code in planes if read(chr(code)) == "" and fold(chr(code)) != ""]
    assert apart == ["0x1c", "0x1d", "0x1e", "0x1f"]
    assert text_tokens("编号：13912345678\ufffc0。") == ["编号", "号", "139123456780"]
