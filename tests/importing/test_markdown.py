"""The body writer: text from Word stays text (property), and the 公文 outline maps to Markdown."""

from __future__ import annotations

import re

import markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from gongkai.importing.blocks import Cell, Link, Media, Paragraph, Table
from gongkai.importing.markdown import MarkdownWriter, escape

EXTENSIONS = ["tables", "sane_lists", "footnotes", "toc"]  # as the sample mkdocs.yml
SPECIALS = "#>+-=*_`[]()!<>&|\\.:;1234567890 \u3000\n一、（）"
text = st.text(alphabet=st.sampled_from(list(SPECIALS) + list("政务公开abcXYZ")), max_size=60)


def rendered(source: str) -> LexborHTMLParser:
    return LexborHTMLParser(markdown.markdown(source, extensions=EXTENSIONS))


@settings(max_examples=300, deadline=None)
@given(text)
def test_escaped_text_renders_as_exactly_that_text(value: str):
    html = rendered(escape(value))
    body = html.body
    assert body is not None
    tags = {node.tag for node in body.traverse() if node.tag not in ("-text", "body")}
    assert tags <= {"p", "br"}, (value, tags)
    shown = re.sub(r"\s+", "", body.text())
    assert shown == re.sub(r"\s+", "", value)


# Every extension an agency may enable that gives characters of plain text a meaning (config_gate accepts all
# of Python-Markdown's and PyMdown's but two); those that only change how text looks (smarty, smartsymbols)
# or link a written address (magiclink) are left out.
EVERY_EXTENSION = ["extra", "admonition", "meta", "toc", "sane_lists", "nl2br", "pymdownx.tilde", "pymdownx.caret",
                   "pymdownx.mark", "pymdownx.keys", "pymdownx.critic", "pymdownx.superfences", "pymdownx.details",
                   "pymdownx.arithmatex", "pymdownx.betterem", "pymdownx.tasklist", "pymdownx.inlinehilite",
                   "pymdownx.emoji", "pymdownx.saneheaders", "pymdownx.blocks.admonition", "pymdownx.blocks.details",
                   "pymdownx.blocks.html", "pymdownx.blocks.tab", "pymdownx.fancylists"]
EXTENSION_SPECIALS = "~^=+{}$:!?/-#.)abivxAB_" + "".join(SPECIALS)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(list(EXTENSION_SPECIALS) + ["smile", "Title", "note", "html", "政务"]),
                         max_size=12).map("".join), min_size=1, max_size=5))
@example(['...'])
@example(['Title: x'])
@example(['~', '~删~', '~'])
@example(['{--', '删--}'])
@example(['$x$'])
@example([':smile:'])
@example(['!!! note'])
@example(['/// html | div'])
@example(['a) b'])
@example(['=', '=标=='])
@example(['[~]'])  # written \[…\], arithmatex took it for display math in a <script>
@example(['[1]'])
@example(['\\(', 'x', '\\)'])
def test_escaped_text_stays_text_under_every_extension_an_agency_may_enable(pieces: list[str]):
    """Word splits a paragraph into runs anywhere: written as the paragraph's text, it shows its text
    exactly, whatever extensions mkdocs.yml enables (~~del~~, ==mark==, {--critic--}, $math$, :emoji:, !!! note,
    /// html, a) lists, a `Key:` first line the meta extension would hide)."""
    value = "".join(pieces).strip(" \t\u3000\n")
    source = writer()._inline(Paragraph(list(pieces)))  # as a paragraph's text is written
    html = LexborHTMLParser(markdown.markdown(source, extensions=EVERY_EXTENSION))
    body = html.body
    assert body is not None
    tags = {node.tag for node in body.traverse() if node.tag not in ("-text", "body")}
    assert tags <= {"p", "br"}, (value, tags)
    assert re.sub(r"\s+", "", body.text()) == re.sub(r"\s+", "", value)


def test_common_text_is_written_as_it_reads():
    """Only what an extension could take for markup is written as references: times, numbers, single signs stay."""
    text = "会议时间 10:30，电话 +86 138，比例 1:2，x = 1 + 2，网址 https://www.gov.cn"
    assert escape(text) == text


def writer() -> MarkdownWriter:
    return MarkdownWriter(lambda media: f"[[{media.rid}]]", lambda link: f"<{link.target}>")


def paragraph(text: str, **extra) -> Paragraph:
    return Paragraph([text], **extra)


def test_outline_levels():
    blocks = [paragraph("一、总体要求"), paragraph("（一）工作目标"), paragraph("1.摸清底数。"), paragraph("2．建立台账。"),
              paragraph("（1）逐户登记。"), paragraph("（二）强化领导。各单位要高度重视，切实加强领导。")]
    assert writer().render(blocks) == (
        "## 一、总体要求\n\n### （一）工作目标\n\n1. 摸清底数。\n2. 建立台账。\n\n（1）逐户登记。\n\n"
        "（二）强化领导。各单位要高度重视，切实加强领导。\n"  # a run-in heading stays a paragraph
    )


def test_heading_styles_and_labels():
    assert writer().render([paragraph("总则", outline=1)]) == "## 总则\n"
    assert writer().render([paragraph("总体要求", label="一、", label_format="chineseCounting")]) == "## 一、总体要求\n"
    assert writer().render([paragraph("要点", label="•", label_format="bullet")]) == "- 要点\n"


def test_tables_merges_and_one_cell_frames():
    cell = lambda text, **kw: Cell([paragraph(text)], **kw)  # noqa: E731
    table = Table([[cell("乡镇", span=2), cell("户数")], [cell("禾兴镇"), cell("a|b"), cell("45")],
                   [cell("", continued=True), cell("x"), cell("1")]])
    assert writer().render([table]) == "| 乡镇 |  | 户数 |\n| --- | --- | --- |\n| 禾兴镇 | a\\|b | 45 |\n|  | x | 1 |\n"
    assert writer().render([Table([[cell("特别提示：请勿转发")]])]) == "特别提示：请勿转发\n"


def test_a_table_wider_than_word_makes_is_written_row_by_row():
    """Cells spanning 63 columns each made a grid thousands wide, and every row was padded to it: a 30 KB
    file of 500 such cells and 500 rows wrote a 47 MB item. Past Word's 63 columns each row is a paragraph."""
    cell = lambda text, **kw: Cell([paragraph(text)], **kw)  # noqa: E731
    rows = [[cell(f"宽{i}", span=63) for i in range(500)]] + [[cell(f"行{i}")] for i in range(500)]
    text = writer().render([Table(rows)])
    assert len(text) < 20_000 and "|" not in text
    assert all(f"宽{i}" in text and f"行{i}\n" in text for i in range(500))
    sixty_three = writer().render([Table([[cell(str(i)) for i in range(63)], [cell("x")]])])
    assert sixty_three.startswith("| 0 | 1 |") and sixty_three.count("|") == 64 * 3


def test_links_and_media_go_through_the_writers():
    block = Paragraph(["详见", Link("https://x.gov.cn", "网站"), "。", Media("image", "rId9")])
    assert writer().render([block]) == "详见<https://x.gov.cn>。[[rId9]]\n"


def real_links() -> MarkdownWriter:
    from pathlib import Path

    from gongkai.importing.media import AttachmentWriter
    from gongkai.importing.package import PackageLimits

    attachments = AttachmentWriter(None, Path("/nonexistent"), 2025, "00001", PackageLimits())
    return MarkdownWriter(attachments.media, attachments.link)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(text, st.builds(lambda t: Link("https://x.gov.cn/a", t or "网站"), text)), max_size=6))
def test_text_next_to_a_link_never_turns_it_into_markup(pieces: list):
    """Word splits a paragraph into runs anywhere: text ending in “!” before a link must not make it
    an image (![…](url) is a picture fetched from that address), nor any other markup."""
    html = rendered(real_links().render([Paragraph(pieces)]))
    assert html.css("img") == [], pieces
    assert {a.attributes.get("href") for a in html.css("a")} <= {"https://x.gov.cn/a"}, pieces


def test_a_bang_before_a_link_stays_text():
    html = rendered(real_links().render([Paragraph(["见图!", Link("https://evil.example/p.png", "追踪")])]))
    assert html.css("img") == [] and [a.attributes["href"] for a in html.css("a")] == ["https://evil.example/p.png"]
    body = html.body
    assert body is not None and "见图!追踪" in body.text()


def test_a_field_instruction_in_many_pieces_is_read_in_linear_time():
    """Word may split a field's instruction into many w:instrText runs; 20,000 pieces took two minutes."""
    import time

    from docx.oxml import parse_xml

    from gongkai.importing.blocks import DocumentReader
    from tests.importing.gongwen import gongwen

    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    pieces = "".join(f"<w:r><w:instrText>{'x' * 500}</w:instrText></w:r>" for _ in range(20_000))
    document = gongwen()
    document.element.body.insert(5, parse_xml(
        f'<w:p {namespace}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "https://www.gov.cn/"'
        f'</w:instrText></w:r>{pieces}<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>中国政府网</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'))
    started = time.process_time()
    blocks = DocumentReader(document).blocks()
    assert time.process_time() - started < 10
    assert Link("https://www.gov.cn/", "中国政府网") in [piece for block in blocks if isinstance(block, Paragraph)
                                                     for piece in block.pieces]
