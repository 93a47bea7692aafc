"""Nothing that is not published leaves a trace in any output file: HTML, feeds, sitemap, search index.

The fixture plants unique markers in every field of items that are 依申请公开, 不予公开, scheduled
for a later date, or withdrawn (body, summary, attachment), and in a file nobody attaches; every
byte under site/ is scanned for them, gzip'ed Pagefind files decompressed first.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.projects import PUBLIC_MARKER, SECRET_MARKERS


def output_bytes(site: Path) -> dict[str, bytes]:
    """Every file under `site`, lower-cased, gzip members decompressed (Pagefind compresses its files)."""
    result = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        result[path.relative_to(site).as_posix()] = data.lower()
    return result


def test_the_scan_sees_into_the_search_index(built):
    files = output_bytes(built.site)
    assert any(name.startswith("pagefind/") and PUBLIC_MARKER.encode() in data for name, data in files.items())


def test_unpublished_items_leave_no_trace(built):
    files = output_bytes(built.site)
    assert len(files) > 100
    wanted = [marker.encode() for marker in SECRET_MARKERS.values()]
    wanted += [text.encode() for text in (
        "不应公开", "依申请公开的正文", "不予公开的正文", "定时发布的正文", "尚未发布的解读", "这段正文不应出现")]
    leaks = [(name, marker.decode()) for name, data in files.items() for marker in wanted if marker in data]
    assert leaks == []


def test_unpublished_items_have_no_pages_and_are_in_no_listing(built):
    for url in ("items/2023/00002", "items/2023/00003", "items/2024/00001", "items/2024/00002"):
        assert not (built.site / url).exists()
    sitemap = built.text("sitemap.xml")
    assert "items/2023/00002/" not in sitemap and "items/2024/00001/" not in sitemap
    assert "items/2023/00001/" in sitemap  # the tombstone is a public page


def test_only_attachments_of_published_items_are_copied(built):
    copied = sorted(p.relative_to(built.site / "attachments").as_posix() for p in (built.site / "attachments").rglob("*") if p.is_file())
    assert copied == ["2021/补助标准.csv"]
    assert not list(built.site.rglob("*.md")) and not list(built.site.rglob("*.yml"))


def test_withdrawn_items_are_not_news(built):
    assert "已撤回的一条动态信息" not in built.text("feed.xml")
    assert "已撤回的一条动态信息" not in built.text("catalog/news/feed.xml")


@pytest.mark.slow
def test_a_non_public_item_moved_under_pages_is_never_published(tmp_path):
    """Moved into content/pages/, a 不予公开 item was built into a public page (pages/<name>/), its body and
    every field shown: the page reader ignored the keys it does not use. Now GK026 stops the build."""
    from gongkai.commands.build import BuildFailed
    from tests.projects import build, make_project

    fixture = make_project(tmp_path / "project", news=2)
    item = fixture.item_path(2023, 3)
    item.rename(fixture.content / "pages" / "kaocha.md")
    with pytest.raises(BuildFailed) as failed:
        build(fixture, fixture.root / "site")
    assert "content/pages/kaocha.md" in str(failed.value) and "GK026" in str(failed.value)
    assert not (fixture.root / "site").exists()
