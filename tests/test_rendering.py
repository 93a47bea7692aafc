"""rendering: the site's Markdown extensions, tables aligned by attribute, the on-disk cache."""

from __future__ import annotations

from pathlib import Path

from gongkai.rendering import RenderCache, Renderer, site_markdown
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


def test_the_cache_returns_what_was_rendered(tmp_path):
    options = MarkdownOptions(("tables",), {})
    renderer = Renderer(options, RenderCache(tmp_path, "code-1"))
    html = renderer.render(TABLE)
    stored = list((tmp_path / "render").rglob("*.html"))
    assert len(stored) == 1 and stored[0].read_text(encoding="utf-8") == html
    stored[0].write_text("<p>从缓存读取</p>", encoding="utf-8")
    assert renderer.render(TABLE) == "<p>从缓存读取</p>"  # a hit: not rendered again


def test_the_cache_key_covers_markdown_extension_config_and_code(tmp_path):
    cache = RenderCache(tmp_path, "code-1")
    keys = {
        cache.key("options-a", "正文"),
        cache.key("options-b", "正文"),
        cache.key("options-a", "正文。"),
        RenderCache(tmp_path, "code-2").key("options-a", "正文"),
    }
    assert len(keys) == 4
    plain = Renderer(MarkdownOptions(("tables",), {}), cache).render("| a |\n|---|\n| b |\n")
    footnoted = Renderer(MarkdownOptions(("tables", "footnotes"), {}), cache).render("| a |\n|---|\n| b |\n")
    assert plain == footnoted and len(list((tmp_path / "render").rglob("*.html"))) == 2


def test_an_unreadable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    renderer = Renderer(MarkdownOptions(("tables",), {}), RenderCache(blocker, "code-1"))
    assert renderer.render("正文") == "<p>正文</p>"
