"""plain_inline: the same HTML as Python-Markdown alone, for any text; no shortcut with unknown patterns."""

from __future__ import annotations

from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import SimpleTagInlineProcessor

from gongkai.plain_inline import PlainTextInline, PlainTextInlineProcessor
from gongkai.rendering import site_markdown
from gongkai.site_config import load_settings

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = site_markdown(load_settings(ROOT).markdown)
STOCK = markdown.Markdown(extensions=list(OPTIONS.extensions), extension_configs=OPTIONS.configs)
FAST = markdown.Markdown(extensions=[*OPTIONS.extensions, PlainTextInline()], extension_configs=OPTIONS.configs)

# Markdown's own syntax, HTML, entities and Chinese prose, so that generated texts hit every pattern.
PIECES = st.sampled_from([
    "住房", "公开", "。", "，", "2021", "a", " ", "  ", "\n", "\n\n", "  \n", "*", "**", "_", "`", "\\", "[", "]", "(", ")",
    "!", "<", ">", "&", ";", "#", "-", "1.", "|", ":", "^", "~", "<b>", "</b>", "<br>", "&amp;", "&#20303;", "<https://a.cn/>",
    "<a@b.cn>", "[^1]", "[^1]: 注", "[链接](../x.md)", "![图](a.png)", "[ref]", "[ref]: https://a.cn", "| 甲 | 乙 |\n|---|:-:|\n",
    "## ", "> ", "```\n", "    ", "<!-- 注 -->", "\t",
])


def both(text: str) -> tuple[str, str]:
    STOCK.reset()
    FAST.reset()
    return STOCK.convert(text), FAST.convert(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_renders_as_python_markdown_renders_it(text):
    stock, fast = both(text)
    assert fast == stock


def test_the_sample_sites_bodies_render_the_same():
    files = sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 20
    for file in files:
        stock, fast = both(file.read_text(encoding="utf-8"))
        assert fast == stock, file


def test_the_site_registers_only_known_patterns():
    FAST.convert("正文")
    processor = FAST.treeprocessors["inline"]
    assert isinstance(processor, PlainTextInlineProcessor) and processor._plain_ok


def test_an_unknown_inline_pattern_turns_the_shortcut_off():
    # `~~` needs a character the shortcut does not know: with the shortcut it would be left as text.
    def with_strike(*extensions):
        md = markdown.Markdown(extensions=list(extensions))
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 40)
        return md

    fast = with_strike(PlainTextInline())
    assert fast.convert("甲~~乙~~丙") == with_strike().convert("甲~~乙~~丙") == "<p>甲<del>乙</del>丙</p>"
    assert not fast.treeprocessors["inline"]._plain_ok
