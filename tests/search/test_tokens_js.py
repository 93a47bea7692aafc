"""tokens.js (the browser's query side) and tokens.py (the index side) must agree exactly."""

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

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

# Han (BMP, extension B, compatibility), full-width forms, letters with and without combining
# marks, Turkish İ, ligatures, circled and parenthesised numbers, kana, Hangul, emoji, every kind
# of space and line break.
ALPHABET = (
    "危房改造公积金〇𠀀豈" "ＡＢ１２" "aZé9" "e\u0301" "İß" "ﬁ" "①㈠" "カ" "한" "😀"
    "〔〕（）《》，。、.-/:_" " \u3000\t\u00a0\u2028\n\r\x0b\x0c\x1c\x85"
)
cases = st.lists(st.text(alphabet=ALPHABET, max_size=24), min_size=1, max_size=40)

COMPARE_JS = """async (cases) => {
  const t = await import('/assets/gongkai-search/tokens.js');
  return cases.map((text) => ({
    line: t.lineTokens(text).map((token) => token.text),
    text: t.textTokens(text),
    query: t.queryTerms(text).map((term) => t.pagefindQuery(term)),
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
        if text.splitlines() in ([text], []):  # one line: the excerpt alignment's tokens too
            assert js["line"] == line_tokens(text), text


def test_known_cases(tokens_page: Any) -> None:
    batch = ["关于2021年度农村危房改造（X住建规〔2021〕3号）", "ＡＢＣ１２３ é e\u0301", "第一段\n\n第二段", "房", "危房 改"]
    for text, js in zip(batch, tokens_page.evaluate(COMPARE_JS, batch), strict=True):
        assert js["text"] == text_tokens(text)
        assert js["query"] == [term.pagefind_query() for term in query_terms(text)]
