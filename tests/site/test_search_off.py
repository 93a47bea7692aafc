"""`search_index: false`: no search bundle, and nothing on the site points readers to a search page that is
not there (its page, its navigation entry, every page's search form, the 404 page's link)."""

from __future__ import annotations

from tests.projects import build, make_project


def test_a_site_without_search_offers_none(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    mkdocs = fixture.root / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    assert text.count("search_index: true") == 1
    mkdocs.write_text(text.replace("search_index: true", "search_index: false"), encoding="utf-8")
    built = build(fixture, tmp_path / "out")
    assert not (built.site / "search").exists() and not (built.site / "pagefind").exists()
    pages = [path for path in built.site.rglob("*.html")]
    assert len(pages) > 5
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "search/" not in text and "gk-search-form" not in text and "站内搜索" not in text, path
    assert "search/" not in built.text("sitemap.xml")


def test_a_site_with_search_offers_it_everywhere(built):
    assert built.page("").css_first("form.gk-search-form").attributes["action"].endswith("search/")
    assert '站内搜索</a>' in built.text("404.html")
    assert (built.site / "search" / "index.html").is_file()
