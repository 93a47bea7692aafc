"""html_budget: a body whose HTML would be far longer than its source (one definition written out at every use)
is refused before it is written out, whichever construct repeats it."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import html_budget
from gongkai.html_budget import HtmlBudget, TooLarge
from gongkai.rendering import Renderer
from gongkai.settings import MarkdownOptions

EXTENSIONS = ("abbr", "toc", "footnotes", "tables", "attr_list", "md_in_html")


def _amplified(kind: str, size: int, uses: int) -> str:
    """A body that writes `size` characters once and uses them `uses` times."""
    long = "x" * size
    if kind == "reference link":
        return f"[a]: https://example.gov.cn/{long}\n\n" + "[a] " * uses + "\n"
    if kind == "reference title":
        return f'[a]: /a "{long}"\n\n' + "[a] " * uses + "\n"
    if kind == "reference image":
        return f"[p]: ../p{long}.png\n\n" + "![][p] " * uses + "\n"
    if kind == "abbreviation":
        return f"*[公告]: {long}\n\n" + "公告 " * uses + "\n"
    if kind == "table of contents":  # every [TOC] marker gets the whole table of every heading
        return "".join(f"## 标题{n}{long}\n\n" for n in range(20)) + "[TOC]\n\n" * uses
    raise AssertionError(kind)


KINDS = ["reference link", "reference title", "reference image", "abbreviation", "table of contents"]


def _plain(text: str) -> str:
    return markdown.Markdown(extensions=list(EXTENSIONS)).convert(text)


def _page_chars(text: str) -> int:
    """The body's HTML and its headings' entries in the page's two tables of contents."""
    md = markdown.Markdown(extensions=list(EXTENSIONS))
    html = md.convert(text)

    def entries(tokens) -> int:
        return sum(2 * (html_budget.TOC_ENTRY_CHARS + len(t["id"]) + len(t["name"])) + entries(t["children"]) for t in tokens)

    return len(html) + entries(md.toc_tokens)


@pytest.mark.parametrize("kind", KINDS)
def test_a_small_body_whose_html_would_fill_the_memory_is_refused(kind):
    toc = kind == "table of contents"
    body = _amplified(kind, 10_000 if toc else 100_000, 5_000 if toc else 10_000)
    assert len(body) < 2_000_000  # a body the size limit lets through; written out, gigabytes
    with pytest.raises(TooLarge):
        Renderer(MarkdownOptions(EXTENSIONS, {})).render(body)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(KINDS), st.integers(1, 300), st.integers(1, 60))
def test_the_budget_is_the_length_of_what_would_be_written(kind, size, uses):
    """Refused when the HTML Python-Markdown writes would be several times the budget; rendered as it
    would be without the budget when it is under it (escaping makes the count an estimate in between)."""
    budget = 4_000
    body = _amplified(kind, size, uses)
    written = _page_chars(body)
    original = html_budget.HTML_CHARS
    html_budget.HTML_CHARS = budget
    try:
        renderer = Renderer(MarkdownOptions(EXTENSIONS, {}))
        if written > 2 * budget:
            with pytest.raises(TooLarge):
                renderer.render(body)
        elif written < budget:
            assert renderer.render(body) == _plain(body)
    finally:
        html_budget.HTML_CHARS = original


def test_the_budget_runs_after_every_other_tree_processor():
    md = markdown.Markdown(extensions=[*EXTENSIONS, "pymdownx.superfences", "pymdownx.emoji", HtmlBudget()])
    names = [item.name for item in md.treeprocessors._priority]
    assert names[-1] == "gongkai_html_budget"


def test_each_heading_counts_with_its_entries_in_the_two_tables_of_contents(monkeypatch):
    """The theme prints every heading twice more: 150,000 short ones (a 1.8 MB body) made a 31 MB page in 19 s.
    At a budget of 40,000 characters, 200 short headings write 6,000 characters of body and 45,000 of page."""
    monkeypatch.setattr(html_budget, "HTML_CHARS", 40_000)
    renderer = Renderer(MarkdownOptions(EXTENSIONS, {}))
    many = "\n\n".join(f"## 第{n}节" for n in range(200))
    assert len(_plain(many)) < 8_000 and _page_chars(many) > 40_000
    with pytest.raises(TooLarge):
        renderer.render(many)
    renderer.render("\n\n".join(f"### 第{n}条" for n in range(100)))
