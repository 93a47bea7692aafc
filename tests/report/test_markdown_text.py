"""`gongkai report --format markdown` writes the clerk's text and the catalog's names as text: whatever renders
the file (a portal, an editor's preview, under any extension mkdocs.yml may enable) shows them as written."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from gongkai.report import render_markdown, render_report
from gongkai.report.model import AnnualReport, DocumentCounts
from tests.importing.test_markdown import EVERY_EXTENSION, EXTENSION_SPECIALS
from tests.projects import Project
from tests.report.report_helpers import TODAY, valid_input

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[点击查看](javascript:alert(1))",
    "![](https://evil.example/track.png)",
    "# 不是标题",
    "---",
    "> 不是引用",
    "1. 不是列表",
    "| a | b |",
    "<script>alert(1)</script>",
    "!!! note \"提示\"",
    "Title: 被 meta 藏起来",
    "{% raw %}==标记==~~删除~~",
]
TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}


def _zeros() -> defaultdict[str, defaultdict[str, int]]:
    return defaultdict(lambda: defaultdict(int))


def _report(**changes: Any) -> AnnualReport:
    zero = DocumentCounts(0, 0, 0)
    base = AnnualReport(2024, "测试县住房和城乡建设局", "总体情况。", zero, zero,
                        {"licensing": 0, "punishment": 0, "coercion": 0, "fees": Decimal("0")}, _zeros(), _zeros(),
                        "问题。", "其他。", 0, (), ())
    return dataclasses.replace(base, **changes)


def _body(source: str) -> LexborHTMLParser:
    return LexborHTMLParser(markdown.markdown(source, extensions=EVERY_EXTENSION))


def _section(html: LexborHTMLParser, title: str) -> list[str]:
    """The texts of the paragraphs after the heading `title`, up to the next heading."""
    texts: list[str] = []
    heading = next(node for node in html.css("h2") if node.text() == title)
    node = heading.next
    while node is not None and node.tag not in ("h1", "h2"):
        if node.tag == "p":
            texts.append(node.text())
        node = node.next
    return texts


def test_the_clerks_markup_is_shown_as_written(site: Project):
    data = valid_input()
    data["overview"] = "\n".join(HOSTILE)
    data["other_matters"] = "其他事项。\n" + "\n".join(HOSTILE)
    site.report(2024, data)
    source = render_report(site.load(), 2024, "markdown", today=TODAY)
    assert isinstance(source, str)
    html = _body(source)
    assert _section(html, "一、总体情况") == HOSTILE
    assert _section(html, "六、其他需要报告的事项") == ["其他事项。", *HOSTILE]
    assert not html.css("img, script, a, blockquote, ol, ul, hr, del, mark, div.admonition")
    assert [node.text() for node in html.css("h1")] == ["测试县住房和城乡建设局2024年政府信息公开工作年度报告"]


def test_names_in_the_tables_are_shown_as_written():
    names = (("<img src=x onerror=alert(1)>", 1), ("[股](javascript:1)", 2), ("a|b", 3), ("~~删~~", 4))
    html = _body(render_markdown(_report(by_department=names, proactive_total=10)))
    cells = [node.text() for node in html.css("td")]
    for name, _ in names:
        assert name in cells
    assert not html.css("img, a, del")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*EXTENSION_SPECIALS, "<", ">", "&", "img", "政务", "smile", "Title"]),
                         max_size=16).map("".join), min_size=1, max_size=4))
@example(["<b>x</b>"])
@example(["[a](b)"])
@example(["Title: x", "Key: y"])
def test_any_text_of_the_clerk_renders_as_exactly_that_text(lines: list[str]):
    text = "\n".join(lines)
    source = render_markdown(_report(main_problems=text))
    html = _body(source)
    body = html.body
    assert body is not None
    tags = {node.tag for node in body.traverse() if node.tag not in ("-text", "body")}
    assert tags <= {"p", "br", "h1", "h2", "strong", *TABLE_TAGS}, (text, tags)
    shown = "".join(_section(html, "五、存在的主要问题及改进情况"))
    assert re.sub(r"\s+", "", shown) == re.sub(r"\s+", "", text)
