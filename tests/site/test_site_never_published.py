"""Nothing that is not published leaves a trace in any output file: HTML, feeds, sitemap, search index.

The fixture plants unique markers in every field of items that are 依申请公开, 不予公开, scheduled
for a later date, or withdrawn (body, summary, attachment), and in a file nobody attaches; every
byte under site/ is scanned for them, gzip'ed Pagefind files decompressed first, and the text of every page
of the search index rebuilt from its index chunks' words and positions.
"""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from tests.projects import PUBLIC_MARKER, SECRET_MARKERS
from tests.search_bundle import page_texts


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
    if (site / "pagefind" / "index").is_dir():  # the text of every page of the search index, rebuilt from its words
        for page, text in page_texts(site / "pagefind").items():
            result[f"pagefind/index#{page}"] = text.encode("utf-8").lower()
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


@pytest.mark.slow
def test_a_relation_to_an_item_taken_off_the_public_site_shows_nothing_of_it(tmp_path):
    """Items that others name (the policy a 解读 explains and pages link, the consultation a 反馈 answers, a series'
    period) made 不予公开 after the others were signed (not yet signed itself: GK226): the others stay
    online (their references stop no build), and no output byte of either site — listings, the 解读's and 反馈's own
    pages, the series page, feeds, sitemap, the search index — holds anything of the items taken off."""
    from tests.projects import build, make_project, write_item

    fixture = make_project(tmp_path / "project", news=2)
    root = fixture.root
    taken_off = [
        write_item(root, 2021, 1, "本办法适用于全县。qxrelpolicybody", title="测试县管理办法qxrelpolicytitle", category="规范性文件",
                   published=dt.date(2021, 6, 18), summary="qxrelpolicysummary", doc_no="测住建规〔2021〕9号qxrelpolicydocno"),
        write_item(root, 2023, 65, "征求意见。qxrelconsultbody", title="征求意见的公告qxrelconsulttitle", category="意见征集",
                   published=dt.date(2023, 3, 1),
                   consultation={"from": dt.date(2023, 3, 1), "to": dt.date(2023, 3, 31), "channels": ["信函：qxrelconsultchannel"]}),
    ]
    taken_off.append(write_item(root, 2023, 68, "水质合格。qxrelseriesbody", title="2023年第三季度水质qxrelseriestitle",
                                category="市政服务",
                                published=dt.date(2023, 10, 20), period="2023Q3", series="供水水质检测结果"))
    for path in taken_off:
        path.write_text(path.read_text(encoding="utf-8").replace('disclosure: "主动公开"', 'disclosure: "不予公开"'), encoding="utf-8")
    public = build(fixture, root / "site")
    members = build(fixture, root / "members", audience="党内")
    assert any("GK226" in line for line in public.log)
    markers = [b"qxrelpolicy", b"qxrelconsult", b"qxrelseries"]
    for built in (public, members):
        assert [(name, marker) for name, data in output_bytes(built.site).items() for marker in markers if marker in data] == []
        assert (built.site / "items" / "2021" / "00002" / "index.html").exists()  # the 解读 stays, without its policy
        assert (built.site / "items" / "2023" / "00066" / "index.html").exists()  # the 反馈 stays, without its consultation
