"""tokens.js (the browser's query side) and tokens.py (the index side) must agree exactly, and so must
the vocabulary's buckets and shard ranges (engine.js, vocabulary.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.search.tokens import line_tokens, query_terms, text_tokens
from gongkai.search.vocabulary import bucket_of, shard_ranges, word_pairs

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

# Han (BMP, extension B, compatibility), full-width forms, letters with and without combining
# marks, Turkish İ, ligatures, circled and parenthesised numbers, kana, Hangul, emoji, every kind
# of space and line break, format characters.
ALPHABET = (
    "危房改造公积金〇𠀀豈" "ＡＢ１２" "aZé9" "e\u0301" "İß" "ﬁ" "①㈠" "カ" "한" "😀"
    "〔〕（）《》，。、.-/:_" " \u3000\t\u00a0\u2028\n\r\x0b\x0c\x1c\x85"
    "\u200b\u00ad\u2060\ufeff\u200d\u202e\U000e0041"  # format characters: nothing to readers, the scans and search
    "\ufffc\u2065\U000e0080\x01\x7f\x9f"  # drawn as nothing too, read past by the scans
)
cases = st.lists(st.text(alphabet=ALPHABET, max_size=24), min_size=1, max_size=40)

COMPARE_JS = """async (cases) => {
  const t = await import('/assets/gongkai-search/tokens.js');
  return cases.map((text) => ({
    line: t.lineTokens(text).map((token) => token.text),
    text: t.textTokens(text),
    query: t.queryTerms(text).map((term) => t.pagefindQuery(term)),
    pairs: t.queryTerms(text).map((term) => t.wordPairs(term.tokens)),
  }));
}"""


@pytest.fixture(scope="module")
def tokens_page(quality: ModuleType, browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("tokens-js")
    shutil.copytree(ROOT / "theme_overrides" / "assets", root / "assets")
    (root / "index.html").write_text('<!doctype html><html lang="zh-CN"><meta charset="utf-8">', encoding="utf-8")
    with quality.StaticServer(root) as server:
        page = browser.new_page()
        page.goto(server.url)
        yield page
        page.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases)
def test_browser_and_build_tokenize_alike(tokens_page: Any, batch: list[str]) -> None:
    for text, js in zip(batch, tokens_page.evaluate(COMPARE_JS, batch), strict=True):
        assert js["text"] == text_tokens(text), text
        assert js["query"] == [term.pagefind_query() for term in query_terms(text)], text
        assert js["pairs"] == [word_pairs(term.tokens) for term in query_terms(text)], text
        if text.splitlines() in ([text], []):  # one line: the excerpt alignment's tokens too
            assert js["line"] == line_tokens(text), text


def test_known_cases(tokens_page: Any) -> None:
    batch = ["关于2021年度农村危房改造（X住建规〔2021〕3号）", "ＡＢＣ１２３ é e\u0301", "第一段\n\n第二段", "房", "危房 改",
             "电话0311-85680510", "𐌰𐌰𐌰𐌰-12 𐌰𐌰𐌰𐌰𐌰-12",
             "危\u200b房\u00ad改造", "12\u2060319", "青禾住建函〔2016〕36号"]
    for text, js in zip(batch, tokens_page.evaluate(COMPARE_JS, batch), strict=True):
        assert js["text"] == text_tokens(text)
        assert js["query"] == [term.pagefind_query() for term in query_terms(text)]
        assert js["pairs"] == [word_pairs(term.tokens) for term in query_terms(text)]
    assert js["pairs"] == [["函 2016", "2016 36", "36 号"]]


def test_a_line_of_any_length_is_tokenized(tokens_page: Any) -> None:
    """A paragraph of 200,000 characters without punctuation (an item may hold 5 MB): spread into one call, its tokens
    passed the engine's argument limit and the results page failed for every query that listed the item."""
    line = "危房改造补助资金" * 25_000
    counts = tokens_page.evaluate("""async (line) => {
      const t = await import('/assets/gongkai-search/tokens.js');
      return [t.lineTokens(line).length, t.textTokens(line).length, t.queryTerms(line.slice(0, 100)).length];
    }""", line)
    assert counts[:2] == [len(line_tokens(line)), len(text_tokens(line))] and counts[0] == len(line)


# The ranges every term's every match gives, sorted and merged: what matchRanges must equal (it finds them in one pass).
RANGES_JS = """async ([cases, span]) => {
  const t = await import('/assets/gongkai-search/tokens.js');
  const reference = (line, terms) => {
    const tokens = t.lineTokens(line);
    const ranges = [];
    for (const term of terms) {
      for (let i = 0; i < tokens.length; i++) {
        if (term.kind === "prefix") {
          if (tokens[i].text.startsWith(term.tokens[0])) ranges.push([tokens[i].start, tokens[i].firstEnd]);
          continue;
        }
        let k = 0;
        while (k < term.tokens.length && i + k < tokens.length && tokens[i + k].text === term.tokens[k]) k++;
        if (k === term.tokens.length) {
          let end = tokens[i].end;
          for (let j = i; j < i + k; j++) end = Math.max(end, tokens[j].end);
          ranges.push([tokens[i].start, end]);
        }
      }
    }
    ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged = [];
    for (const r of ranges.filter(([s]) => span === null || s <= ranges[0][0] + span)) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([...r]);
    }
    return merged;
  };
  return cases.map(([line, query]) => {
    const terms = t.queryTerms(query);
    return [t.matchRanges(line, terms, span ?? Infinity), reference(line, terms)];
  });
}"""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.text(alphabet=ALPHABET, max_size=40), st.text(alphabet=ALPHABET, max_size=12)), min_size=1,
                max_size=20), st.sampled_from([None, 0, 1, 3, 10]))
def test_the_marked_ranges_are_every_match_merged(tokens_page: Any, cases: list[tuple[str, str]], span: int | None) -> None:
    for (line, query), (found, expected) in zip(cases, tokens_page.evaluate(RANGES_JS, [cases, span]), strict=True):
        assert found == expected, (line, query)


def test_marking_a_long_line_for_a_query_of_repeated_terms_takes_one_pass(tokens_page: Any) -> None:
    """A link to /search/?q=啊%20啊… (50 terms) over a result whose body has a line of 300,000 啊: every term was matched
    at every token and all the ranges sorted (8 s, 1.5 GB); now the line is read once, the excerpt's window alone kept."""
    seconds, ranges = tokens_page.evaluate("""async () => {
      const t = await import('/assets/gongkai-search/tokens.js');
      const line = "啊".repeat(300000);
      const terms = t.queryTerms(Array(50).fill("啊").join(" "));
      const started = performance.now();
      const ranges = t.matchRanges(line, terms, 120);
      return [(performance.now() - started) / 1000, ranges];
    }""")
    assert ranges == [[0, 121]] and seconds < 2, seconds


VOCABULARY_JS = """async ([tokens, masks]) => {
  const e = await import('/assets/gongkai-search/engine.js');
  return {
    buckets: tokens.map((token) => [1, 7, 64, 1024].map((n) => e.bucketOf(token, n))),
    shards: masks.map((text) => e.parseRanges(text)),
  };
}"""


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=6), min_size=1, max_size=30), st.lists(st.integers(0, 2**40), max_size=20))
def test_browser_finds_the_vocabulary_bucket_the_build_wrote(tokens_page: Any, tokens: list[str], masks: list[int]) -> None:
    found = tokens_page.evaluate(VOCABULARY_JS, [[*tokens, "危房", "燃*", "𠀀豈"], [shard_ranges(m) for m in masks]])
    assert found["buckets"] == [[bucket_of(t, n) for n in (1, 7, 64, 1024)] for t in [*tokens, "危房", "燃*", "𠀀豈"]]
    assert found["shards"] == [[n for n in range(41) if m >> n & 1] for m in masks]
