"""rendering: the site's Markdown extensions, tables aligned by attribute."""

from __future__ import annotations

from pathlib import Path

from gongkai.rendering import Renderer, site_markdown
from gongkai.settings import MarkdownOptions
from gongkai.site_config import load_settings

ROOT = Path(__file__).resolve().parents[1]
TABLE = "| 乡镇 | 户数 |\n|:---|---:|\n| 禾丰镇 | 16 |\n"


def test_the_sample_sites_extensions_are_rendered():
    options = load_settings(ROOT).markdown
    assert {"toc", "tables", "fenced_code", "sane_lists", "footnotes"} <= set(options.extensions)
    html = Renderer(options).render("## 一、概况\n\n正文[^1]。\n\n[^1]: 注释。\n\n" + TABLE)
    assert '<h2 id="_1">一、概况</h2>' in html
    assert 'class="footnote-ref"' in html and '<li id="fn:1">' in html
    assert '<th align="left">乡镇</th>' in html and '<td align="right">16</td>' in html
    assert "style=" not in html
    assert 'title="返回正文中第 1 个脚注处"' in html and "Jump back" not in html


def test_a_sites_own_footnote_title_wins():
    options = MarkdownOptions(("footnotes",), {"footnotes": {"BACKLINK_TITLE": "回到第 %d 处"}})
    assert site_markdown(options).configs["footnotes"] == {"BACKLINK_TITLE": "回到第 %d 处"}


def test_tables_align_by_attribute_whatever_the_site_configures():
    options = MarkdownOptions(("tables",), {"tables": {"use_align_attribute": False}})
    assert site_markdown(options).configs["tables"] == {"use_align_attribute": True}
    assert options.configs["tables"] == {"use_align_attribute": False}  # the settings are left as they were
    assert site_markdown(MarkdownOptions(("toc",), {})) == MarkdownOptions(("toc",), {})


def test_one_instance_renders_documents_independently():
    renderer = Renderer(MarkdownOptions(("toc", "footnotes"), {}))
    first = renderer.render("## 甲\n\n正文[^a]\n\n[^a]: 注。\n")
    second = renderer.render("## 乙\n")
    assert second == '<h2 id="_1">乙</h2>'  # no footnotes or heading ids carried over
    assert renderer.render("## 甲\n\n正文[^a]\n\n[^a]: 注。\n") == first
