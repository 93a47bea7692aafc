"""Unsafe markup (GK5xx): `gongkai check` reports, with file and line, exactly what the build's sanitiser removes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from gongkai.body_views import BodyViews
from gongkai.checks import markup
from gongkai.rendering import Renderer
from gongkai.sanitize import removals, sanitize
from gongkai.settings import MarkdownOptions

ATTACKS = [
    ("<script>alert(1)</script>", markup.TAG.code),
    ("<SCRIPT SRC=//x></SCRIPT>", markup.TAG.code),
    ("<iframe src=x></iframe>", markup.TAG.code),
    ("<object data=x></object>", markup.TAG.code),
    ("<style>body{display:none}</style>", markup.TAG.code),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', markup.TAG.code),
    ("<svg/onload=alert(1)>", markup.TAG.code),
    ('<img src="x" onerror="alert(1)">', markup.ATTRIBUTE_RULE.code),
    ('<img alt=">" src=x onerror=alert(1)>', markup.ATTRIBUTE_RULE.code),  # a ">" inside a quoted value
    ("<a href=x OnClick = 'y'>x</a>", markup.ATTRIBUTE_RULE.code),
    ('<div style="position:fixed;inset:0;background:#fff">假通知</div>', markup.ATTRIBUTE_RULE.code),
    ('<p class="md-header">x</p>', markup.ATTRIBUTE_RULE.code),
    ('<h2 id="__drawer">x</h2>', markup.ATTRIBUTE_RULE.code),
    ("[点击](javascript:alert(1))", markup.URL_RULE.code),
    ("[点击](JaVaScRiPt:alert(1))", markup.URL_RULE.code),
    ("[点击](java&#115;cript:alert(1))", markup.URL_RULE.code),
    ("[x](java&#x73;cript&colon;alert(1))", markup.URL_RULE.code),
    ("<a href='vbscript:msgbox'>x</a>", markup.URL_RULE.code),
    ("<a href='java&#9;script:alert(1)'>x</a>", markup.URL_RULE.code),  # Markdown expands a raw tab
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", markup.URL_RULE.code),
    ("![跟踪](https://tracker.example/p.gif)", markup.URL_RULE.code),
    ("![图](../../attachments/2021/a.png#only-dark)", markup.URL_RULE.code),  # hidden in the light colour scheme
    ("[x]\n\n[x]: javascript:alert(1)", markup.URL_RULE.code),
    ('<a class="footnote-backref" href="#fn:1">张三，住址</a>', markup.ATTRIBUTE_RULE.code),  # the theme hides its text
    ('<a class="headerlink" href="#_1">内部</a>', markup.ATTRIBUTE_RULE.code),
]


@pytest.mark.parametrize(("text", "code"), ATTACKS)
def test_attacks_are_reported_where_they_are(site, text, code):
    path = site.item(body=f"第一段。\n\n第二段{text}\n")
    problems = [p for p in site.check() if p.code.startswith("GK5")]
    assert problems and {p.code for p in problems} == {code}, problems
    lines = path.read_text(encoding="utf-8").split("\n")
    assert all(p.path == site.rel(path) for p in problems)
    assert text.split("\n")[0][:6] in lines[problems[0].line - 1] or text[-12:] in "\n".join(lines[problems[0].line - 1:])


ORDINARY = [
    "<p>段落</p>", "<table><tr><td colspan=\"2\">1</td></tr></table>", "[网址](https://www.gov.cn/)",
    "时间 10:30，地点：会议室", "a < b and c > d", "one=1", "<a title='onion'>x</a>", "![图](../../attachments/2021/a.png)",
    "[邮件](mailto:zjj@qinghe.gov.cn)", "[电话](tel:0311-86221001)", "正文[^1]。\n\n[^1]: 注释。",
    "| 左 | 中 | 右 |\n|:--|:-:|--:|\n| 1 | 2 | 3 |", "```yaml\na: 1\n```", "<!-- 编辑备注 -->正文",
    "## 一、概况\n\n### 1. 细节", "<sup>2</sup>米<sub>3</sub>",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_markdown_passes(site, text):
    site.item(body=f"正文。\n\n{text}\n")
    assert [p for p in site.check() if p.code.startswith("GK5")] == []


def test_several_findings_each_on_its_own_line(site):
    body = "正文。\n\n<img src=a.png onerror=x>\n\n中间。\n\n<img src=b.png onerror=y>\n\n[a](javascript:z)\n"
    path = site.item(body=body)
    problems = sorted(p for p in site.check() if p.code.startswith("GK5"))
    lines = path.read_text(encoding="utf-8").split("\n")
    assert [lines[p.line - 1] for p in problems] == ["<img src=a.png onerror=x>", "<img src=b.png onerror=y>", "[a](javascript:z)"]
    assert problems[1].col == 1 or "onerror" in lines[problems[1].line - 1][problems[1].col - 1 :]


def test_authored_pages_are_checked(site):
    pages = site.content / "pages"
    pages.mkdir()
    (pages / "guide.md").write_text("---\ntitle: 指南\norder: 1\n---\n\n正文。\n\n<iframe src=x></iframe>\n", encoding="utf-8")
    [problem] = [p for p in site.check() if p.code.startswith("GK5")]
    assert (problem.path, problem.code, problem.line) == ("content/pages/guide.md", markup.TAG.code, 8)


def test_html_in_front_matter_text(site):
    site.attach("a.pdf", b"%PDF-1.4\n")
    path = site.item(summary="概述<img src=x onerror=alert(1)>", doc_no="测<iframe>〔2021〕1号",
                     attachments=[{"title": "<style>", "file": "a.pdf"}], keywords=["javascript:alert(1)"])
    problems = [p for p in site.check() if p.code == markup.FRONT_MATTER.code]
    labels = " ".join(p.message for p in problems)
    assert len(problems) == 3
    for label in ("内容概述（summary）", "文号（doc_no）", "附件标题（attachments[0].title）"):
        assert label in labels
    lines = path.read_text(encoding="utf-8").split("\n")
    assert all("<" in lines[p.line - 1] for p in problems)


def test_html_in_many_front_matter_texts_is_placed_within_bounds(site):
    """40,000 keywords with a tag each: every one was placed by splitting the file and searching it from the start
    (two minutes); each is at its own line and column, whatever order the values are met in."""
    path = site.item(keywords=[f"<b>词{n}" for n in range(40_000)])
    lines = path.read_text(encoding="utf-8").split("\n")
    code = f"""
import datetime as dt
from pathlib import Path
from gongkai import checks
from gongkai.project import load_project
found = [p for p in checks.run(load_project(Path({str(site.root)!r})), dt.date(2021, 12, 31)) if p.code == {markup.FRONT_MATTER.code!r}]
print("\\n".join(f"{{p.line}} {{p.col}}" for p in found))
"""
    placed = subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True, text=True).stdout.split()
    places = [(int(line), int(col)) for line, col in zip(placed[::2], placed[1::2], strict=True)]
    assert len(places) == 40_000
    assert all(lines[line - 1][col - 1:].startswith("<b>词") for line, col in places)


def test_check_and_build_sanitiser_agree():
    renderer = Renderer(MarkdownOptions(("toc", "tables", "fenced_code", "footnotes", "sane_lists"), {}))
    for text, _ in ATTACKS:
        html = renderer.render(text)
        assert bool(removals(html)) == (sanitize(html) != html)
    for text in ORDINARY:
        html = renderer.render(text)
        assert removals(html) == [] and _tree(sanitize(html)) == _tree(html)


def _tree(html: str) -> str:
    """The body a browser builds from `html`, comments left out."""
    tree = LexborHTMLParser("<!DOCTYPE html><body>" + html)
    assert tree.root is not None and tree.body is not None
    for node in [n for n in tree.root.traverse(include_text=True) if n.is_comment_node]:
        node.decompose()
    return tree.body.inner_html or ""


MARKDOWN = st.lists(
    st.sampled_from(["正文", "\n\n", "[a](", "javascript:", "https://a.cn/", ")", "<img src=x ", "onerror=1", ">",
                     "<b>", "</b>", "|a|b|\n|-|-|\n|1|2|\n", "![i](", "../a.png", "[^1]", "\n[^1]: 注", "`", "&#106;",
                     "<!--", "-->", "\"", "'", "<p style=x>", "## 标题", "<a href=\"", "data:", "\t"]),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_every_body_is_either_clean_or_reported(text):
    """What the check reports as nothing is exactly what the sanitiser leaves unchanged (comments aside)."""
    options = MarkdownOptions(("toc", "tables", "fenced_code", "footnotes", "sane_lists"), {})
    html = Renderer(options).render(text)
    problems = list(markup.body_problems(BodyViews(options), "x.md", text, 1))
    if not problems:
        assert _tree(sanitize(html)) == _tree(html)
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


DEEP = {
    "bullet list": "".join("  " * level + "- 项\n" for level in range(600)),
    "numbered list": "".join("    " * level + "1. 项\n" for level in range(300)),
    "HTML blocks": "<div>" * 5000 + "文字" + "</div>" * 5000,
    "inline HTML": "段落" + "<span>" * 5000 + "文字" + "</span>" * 5000,
    "block quotes": ">" * 3000 + " 引用",
    "emphasis": "*" * 20000 + "文字",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_hostile_nesting_is_one_error_in_its_file_never_a_crash(site, kind):
    """Python-Markdown recurses per level: a few KB of nesting must cost its file an error, not the whole check."""
    deep = site.item("2021/deep.md", body=f"第一段。\n\n{DEEP[kind]}\n")
    other = site.item("2021/other.md", index_no=f"{site.ORG_CODE}/2021-00002", body="电话13912345678。\n")
    problems = site.check()
    assert "GK303" in {p.code for p in problems if p.path == site.rel(other)}  # the other file is still checked
    deep_codes = {p.code for p in problems if p.path == site.rel(deep)}
    assert not deep_codes - {"GK508", "GK504"}, deep_codes  # too deep to render, or rendered and sanitised


def test_an_extension_failing_on_one_body_is_one_error_in_its_file(site):
    """An extension's own code failing on a text its settings' probe did not hold (abbr's glossary giving a title that
    is no text, for a word of one body only) stopped every command with an internal error naming no file."""
    import dataclasses

    from gongkai import checks
    from gongkai.project import load_project
    from gongkai.site_config import load_settings

    failing = site.item("2021/a.md", body="第一段写到：某某词。\n\n电话13912345678。\n")
    other = site.item("2021/other.md", index_no=f"{site.ORG_CODE}/2021-00002", body="电话13912345678。\n")
    loaded = load_settings(site.root)
    options = MarkdownOptions((*loaded.markdown.extensions, "abbr"), {**loaded.markdown.configs, "abbr": {"glossary": {"某某词": 1}}})
    problems = checks.run(load_project(site.root), site.today, settings=dataclasses.replace(loaded, markdown=options))
    mine = [p for p in problems if p.path == site.rel(failing)]
    [failed] = [p for p in mine if p.code == "GK550"]
    assert failed.is_error and "TypeError" in failed.message
    lines = failing.read_text(encoding="utf-8").split("\n")
    assert "第一段" in "\n".join(lines[failed.line - 1:failed.line + 1])  # at the body's start, as GK508 is
    assert "GK303" in {p.code for p in problems if p.path == site.rel(other)}  # the next body renders as ever


def test_a_body_that_takes_too_long_to_render_is_one_error_in_its_file(site, monkeypatch):
    """Some inline patterns cost time quadratic in a paragraph (20,000 `[` take most of a minute)."""
    from gongkai import rendering

    monkeypatch.setattr(rendering, "RENDER_SECONDS", 0.5)
    slow = site.item("2021/slow.md", body="第一段。\n\n" + "[" * 20000 + "文字" + "]" * 20000 + "\n")
    other = site.item("2021/other.md", index_no=f"{site.ORG_CODE}/2021-00002", body="电话13912345678。\n")
    problems = site.check()
    assert {p.code for p in problems if p.path == site.rel(slow)} == {"GK509"}
    assert "GK303" in {p.code for p in problems if p.path == site.rel(other)}


def test_the_symbols_markdown_writes_in_links_the_theme_hides_pass(site):
    """A heading's permalink and a footnote's back-link hold a symbol: the theme hides nothing but that."""
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  - toc:\n      permalink: true\n  - footnotes\n",
                      encoding="utf-8")
    site.item(body="正文[^1]。\n\n## 一、概况\n\n内容[^2]。\n\n[^1]: 注一。\n[^2]: 注二。\n")
    assert [p for p in site.check() if p.code.startswith("GK5")] == []


def test_admonitions_pass_where_the_extension_writes_them(site):
    """`!!! note` writes the classes `admonition` and its type: the theme draws a box, and hides nothing."""
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  - admonition\n", encoding="utf-8")
    site.item(body='正文。\n\n!!! note "注意"\n    办理时间为工作日。\n\n!!! warning\n    逾期不予受理。\n\n!!! danger ""\n    无标题。\n')
    assert [p for p in site.check() if p.code.startswith("GK5")] == []
    site.item(body="正文。\n\n!!! md-header\n    冒充页眉。\n")
    assert {p.code for p in site.check() if p.code.startswith("GK5")} == {markup.ATTRIBUTE_RULE.code}

