"""html_budget: a body whose HTML would be far longer than its source (one definition written out at every use)
is refused before it is written out, whichever construct repeats it."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import html_budget, rendering
from gongkai.html_budget import HtmlBudget, TooLarge
from gongkai.rendering import Renderer, TooDeep
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


def _table(columns: int, rows: int) -> str:
    return "|" + "a|" * columns + "\n|" + "-|" * columns + "\n" + ("|" + "1|" * columns + "\n") * rows


@pytest.mark.parametrize("body", [
    _table(50_000, 2),  # wide
    _table(2, 50_000),  # long
    "<table>" + "<tr><td>1</td><td>2</td></tr>" * 40_000 + "</table>",  # raw HTML, as a paste from a web page writes it
    "\n".join(f"- [{n}](#a)" for n in range(52_000)),  # any element: links in a list (a list item and a link each)
])
def test_a_body_of_more_elements_than_any_notice_is_refused(body, monkeypatch):
    """Every scan after the render costs per element: a table of a million cells (2.2 MB) held a check for 32 s and
    1.07 GB, under every other budget."""
    # The list of links renders in ≈ 7 s before the budget reads it: on a loaded machine the render's 10 s deadline
    # spoke first (GK509, which refuses it too), and that is the deadline's business, not this test's.
    monkeypatch.setattr(rendering, "RENDER_SECONDS", 120.0)
    assert len(body) < 2_500_000
    with pytest.raises(TooLarge):
        Renderer(MarkdownOptions(EXTENSIONS, {})).render(body)


def test_a_long_honest_list_renders():
    """A 公示 名单 of 5,000 rows by 8 columns stays well inside the budget."""
    html = Renderer(MarkdownOptions(EXTENSIONS, {})).render(_table(8, 5_000))
    assert html.count("<td>") == 40_000


# --- nesting ----------------------------------------------------------------------------------------------------------

_NAMES = ("div", "span", "b", "i", "a", "em", "table", "tbody", "tr", "td", "th", "caption", "ol", "ul", "li", "p",
          "dl", "dd", "select", "option", "svg", "template", "ruby", "rt", "blockquote", "h1", "font")


def _parsed_depth(html: str) -> int:
    """How deep lexbor (the reader text's parser) nests the elements of `html` inside <body>."""
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(html).body
    deepest = 0
    stack = [(child, 1) for child in body.iter(include_text=False)] if body is not None else []
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node.iter(include_text=False))
    return deepest


_TAGS = st.lists(st.tuples(st.booleans(), st.sampled_from(_NAMES), st.booleans()), max_size=6)


@settings(max_examples=1500, deadline=None)
@given(_TAGS, _TAGS, st.integers(1, 60), st.integers(2, 6))
def test_html_passed_as_shallow_is_never_parsed_much_deeper(head, pattern, times, limit):
    """The count is what bounds the parsers' time, so it may say deeper than a parser builds but never much shallower:
    for tags written once, and for a few repeated (how markup that nests without closing grows)."""
    html = "".join(f"<{'/' if closing else ''}{name}>{'x' if text else ''}" for closing, name, text in head + pattern * times)
    if not html_budget.too_deep(html, limit):
        assert _parsed_depth(html) <= 2 * limit


@pytest.mark.parametrize(("html", "deep"), [
    ("<div>" * 512 + "文字" + "</div>" * 512, False),
    ("<div>" * 513 + "文字" + "</div>" * 513, True),
    ("<ol>" + "<li><ol>" * 600 + "文字" + "</ol></li>" * 600 + "</ol>", True),
    ("<div>文字</div>" * 100_000, False),
    ("<b><i>文字</b></i>" * 2000, False),  # mis-nested inline tags close as a parser closes them
    ("<ul>" + "<li>项" * 5000 + "</ul>", False),  # an item ends the one before it
    ("<p>段" * 5000, False),
    ("<div></span>" * 600, True),  # an end tag nothing opened ends nothing
    ("<div><table></div>" * 600, True),  # nor one across a table
])
def test_nesting_is_counted_as_written(html, deep):
    assert html_budget.too_deep(html) is deep


def test_raw_html_nested_past_what_a_browser_builds_is_refused_at_once():
    """`<ol><li>` 100,000 deep (1.8 MB) held a check for 8 minutes in the parsers after the render (that many tags are
    now over the element budget as well: 40,000 levels stay under it)."""
    renderer = Renderer(MarkdownOptions(EXTENSIONS, {}))
    with pytest.raises(TooDeep):
        renderer.render("正文。\n\n<ol>" + "<li><ol>" * 40_000 + "<li>12345678</li>" + "</ol></li>" * 40_000 + "</ol>\n")
