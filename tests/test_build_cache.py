"""`gongkai build` over a previous build reuses unchanged pages and search shards; the result is
byte-identical to a clean full build of the same content."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.build_cache import PageCache, pages_file, site_name
from gongkai.cache_store import CACHE_DIR, FORMAT
from tests.checks.samples import ID
from tests.projects import TODAY, build, hashes, make_project, write_item


def _reused(log: list[str]) -> tuple[int, int]:
    line = next(line for line in log if "沿用上次生成的页面" in line)
    done, total = line.rsplit("：", 1)[1].rstrip(" 个").split("/")
    return int(done), int(total)


def test_an_incremental_build_equals_a_full_build(tmp_path):
    fixture = make_project(tmp_path / "project")
    item = write_item(fixture.root, 2022, 901, "第一版正文：危房改造。", title="增量构建测试",
               category="normative", published=dt.date(2022, 5, 1))
    site = fixture.root / "site"
    first = build(fixture, site)
    assert _reused(first.log)[0] == 0

    # One changed body, one removed item, one added item.
    write_item(fixture.root, 2022, 901, "第二版正文：公积金缴存。", title="增量构建测试",
               category="normative", published=dt.date(2022, 5, 1))
    removed = sorted((fixture.content / "items" / "2021").glob("*.md"))[-1]
    removed.unlink()
    write_item(fixture.root, 2022, 902, "新增条目正文。", title="新增条目", category="normative", published=dt.date(2022, 5, 2))
    second = build(fixture, site)
    reused, total = _reused(second.log)
    assert total // 2 < reused < total

    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert _reused(clean.log)[0] == 0
    assert hashes(site) == hashes(clean.site)
    assert "公积金缴存" in second.page("items/2022/00901/").text()
    assert item.exists()


@pytest.mark.parametrize("link", ["[动态](../items/2024/2024-00100.md)", "[动态][x]\n\n[x]: <../items/2024/2024-00100.md>",
                                  "[动态](<../items/2024/2024-00100.md> \"标题\")",
                                  "[动态](../items/2024/2024-0010%30.md)",
                                  "\n> 详见[动态][zr]。\n>\n> [zr]: ../items/2024/2024-00100.md"])
def test_a_page_linking_to_an_item_s_file_follows_it_to_its_new_url(tmp_path, link):
    """An item's page lives at the URL of its 索引号, its file stays where it is: when an editor corrects
    the 索引号, every page linking to that file must link to the new URL, as a full build does — however the
    link is written (percent-escaped, a reference defined in a quote: reused with the old
    address, a page kept linking to an item taken down)."""
    fixture = make_project(tmp_path / "project", news=3)
    guide = fixture.content / "pages" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\n另见{link}\n", encoding="utf-8")
    site = fixture.root / "site"
    first = build(fixture, site)
    assert first.page("pages/guide/").css_first('a[href="../../items/2024/00100/"]') is not None
    item = fixture.item_path(2024, 100)
    corrected = write_item(fixture.root, 2024, 199, "第1条工作动态的正文，介绍全县住房和城乡建设工作进展。",
                           title="住建工作动态第1期", category="动态信息", department="办公室", published=dt.date(2024, 1, 2))
    corrected.replace(item)  # the same file, signed again with its corrected 索引号
    second = build(fixture, site)
    assert second.page("pages/guide/").css_first('a[href="../../items/2024/00199/"]') is not None
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean").site)


LINK_FORMS = {  # links from an item of 2024 whose address holds what ends a word, as Python-Markdown reads it
    "[政策](2024\\-00500.md)": "items/2024/00500/",  # a backslash escape, taken off
    "[政策](/items/2024/2024-00500.md)": "items/2024/00500/",  # from the root (absolute_links: relative_to_docs)
    "[附件](<../../attachments/2024/附件 一.csv>)": "attachments/2024/附件 一.csv",  # a space inside <…>
    "[附件](../../attachments/2024/附件1、2.csv)": "attachments/2024/附件1、2.csv",
    "[附件](../../attachments/2024/a=b.csv)": "attachments/2024/a=b.csv",
    "[附件](../../attachments/2024/表(一).csv)": "attachments/2024/表(一).csv",
    "[附件][f]\n\n[f]: ../../attachments/2024/附件5、6.csv": "attachments/2024/附件5、6.csv",  # a reference
    "> [附件](\n> <../../attachments/2024/附件 二.csv>)": "attachments/2024/附件 二.csv",  # on the next line of a quote
    "- [附件](\n  ../../attachments/2024/附件3、4.csv)": "attachments/2024/附件3、4.csv",
    "[附件](../../attachments/2024/附件 四.csv)": "attachments/2024/附件 四.csv",  # a space, without <…>: read to the ")"
    "[附件](../../attachments/2024/附件 三.csv \"标题\")": "attachments/2024/附件 三.csv",  # … before a title
    "[附件](../../attachments/2024/表((二)).csv)": "attachments/2024/表((二)).csv",  # parentheses in parentheses
    "[附件](#){: href=\"../../attachments/2024/附件 五.csv\" }": "attachments/2024/附件 五.csv",  # attr_list's address
}


@pytest.mark.parametrize("link", LINK_FORMS)
def test_every_address_a_link_may_have_is_in_the_page_key(link):
    from gongkai.build_cache import link_targets

    targets = {"items/2024/2024-00500.md": "items/2024/00500/"} | {url: url for url in LINK_FORMS.values()}
    found = link_targets(f"参见：\n\n{link}\n", "items/2024/2024-00501.md", targets)
    assert LINK_FORMS[link] in {target for _, target in found}


def test_a_body_with_a_wiki_link_depends_on_every_target():
    """`[[标签]]` leads where mkdocs.yml's wikilinks base_url and end_url (or the body's meta lines) make it: a page
    with one is keyed by every target, so it follows whichever of them it links."""
    from gongkai.build_cache import link_targets

    targets = {"items/2024/2024-00500.md": "items/2024/00500/", "items/2024/2024-00502.md": "items/2024/00502/"}
    source = "items/2024/2024-00501.md"
    keyed = link_targets("参见[[2024-00500]]。", source, targets)
    assert keyed != link_targets("参见[[2024-00500]]。", source, targets | {"items/2024/2024-00500.md": "items/2024/00509/"})
    assert keyed != link_targets("参见[[2024-00500]]。", source, {"items/2024/2024-00502.md": "items/2024/00502/"})
    assert link_targets("参见2024-00500。", source, targets) == ()


def test_an_item_linking_a_scheduled_item_however_written_links_it_once_it_is_published(tmp_path):
    """Items link another scheduled for a later day and its attachments (unresolved until then), however the link is
    written (a wiki link too): the day that one is published, a full build links them, and so must a rebuild that
    reuses the linking pages (their keys said None for each link they could not read, before and after)."""
    fixture = make_project(tmp_path / "project", news=3)
    config = fixture.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    anchors: ignore\n", "    anchors: ignore\n    absolute_links: relative_to_docs\n").replace(
        "  - sane_lists\n",
        "  - sane_lists\n  - attr_list\n  - wikilinks:\n      base_url: ''\n      end_url: .md\n      html_class: ''\n"),
        encoding="utf-8")
    names = sorted({url.removeprefix("attachments/2024/") for url in LINK_FORMS.values() if url.startswith("attachments/")})
    for name in names:
        fixture.attach(f"2024/{name}", "名称,说明\n一,二\n".encode())
    write_item(fixture.root, 2024, 500, "定时发布的条目。", title="定时发布的条目", category="动态信息", department="办公室",
               published=TODAY + dt.timedelta(days=5), attachments=[{"title": name, "file": f"2024/{name}"} for name in names])
    for serial, link in enumerate([*LINK_FORMS, "另见[[2024-00500]]。"], start=501):  # one way of linking each
        write_item(fixture.root, 2024, serial, f"参见：\n\n{link}\n", title=f"链接它的条目{serial}", category="动态信息",
                   department="办公室", published=dt.date(2024, 3, 2))
    site = fixture.root / "site"
    build(fixture, site, today=TODAY)
    later = TODAY + dt.timedelta(days=6)
    rebuilt = build(fixture, site, today=later)
    pages = [rebuilt.page(f"items/2024/{serial:05d}/") for serial in range(501, 502 + len(LINK_FORMS))]
    assert [page.css_first('a[href^="../00500/"], a[href^="../../../attachments/"]') is not None for page in pages] == [True] * len(pages)
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean", today=later).site)


def test_an_unchanged_rebuild_reuses_every_page(tmp_path):
    """Items, listings and the pages of the navigation (MkDocs reads those, for its navigation, but
    renders none of them): nothing is rendered, every file is the same."""
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    first = build(fixture, site)
    before = hashes(site)
    second = build(fixture, site)
    reused, total = _reused(second.log)
    assert reused == total
    assert not any(line.startswith("搜索索引：第") for line in second.log)  # every shard from the cache
    assert hashes(site) == before
    assert first.log != []


def test_an_edited_output_page_is_rendered_again(tmp_path):
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    page = next(site.glob("items/*/*/index.html"))
    page.write_text("tampered", encoding="utf-8")
    build(fixture, site)
    assert hashes(site) == before


def test_a_search_file_edited_in_place_in_the_site_is_not_published_again(tmp_path):
    """A deploy script writing into site/pagefind/ in place (`cp`, a shell's `>`) writes into the shard
    cache it shares each file with: the next build must index that shard again, not publish the edit."""
    fixture = make_project(tmp_path / "project", news=3)
    site = fixture.root / "site"
    build(fixture, site)
    for path in (site / "pagefind" / "gongkai" / "doc").iterdir():
        with open(path, "r+b") as stream:
            stream.truncate()
            stream.write(b"EDITED-MARKER")
    build(fixture, site)
    assert not any(b"EDITED-MARKER" in path.read_bytes() for path in site.rglob("*") if path.is_file())
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean").site)


def test_the_replaced_site_becomes_the_next_build_in_place(tmp_path):
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    replaced = fixture.root / CACHE_DIR / "replaced"
    build(fixture, site)
    first_site = site.stat().st_ino
    build(fixture, site)
    assert [folder.stat().st_ino for folder in replaced.iterdir()] == [first_site]  # kept until the next build
    second_site = site.stat().st_ino
    added = write_item(fixture.root, 2022, 903, "第三次构建前新增。", title="第三次", category="normative", published=dt.date(2022, 5, 3))
    (replaced / "site-party-1-99999999999999999999").mkdir()  # the members' site's: never taken for the public one
    third = build(fixture, site)
    assert site.stat().st_ino == first_site  # the first tree, brought up to date in place
    sites = [folder for folder in replaced.iterdir() if not folder.name.startswith(".")]
    assert [folder.stat().st_ino for folder in sites] == [second_site]
    assert not [folder for folder in replaced.iterdir() if folder.name.startswith(".")]  # its search bundle was taken
    assert not list(site.glob(".pagefind*"))
    assert not list(fixture.root.glob(".site.*"))  # nothing left beside site/
    assert hashes(third.site)
    assert build(fixture, site).site.stat().st_ino == second_site
    assert len(list(replaced.iterdir())) == 1  # one site waits, never more
    added.unlink()  # the tree the next build takes has this item's page and folder: they must go
    build(fixture, site)
    assert site.stat().st_ino == first_site
    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert hashes(site) == hashes(clean.site)
    assert folders(site) == folders(clean.site)


def test_a_first_build_leaves_a_linked_copy_that_the_next_build_brings_up_to_date_in_place(tmp_path, monkeypatch):
    from gongkai.commands import build as build_command

    monkeypatch.setattr(build_command, "SPARE_FROM", 1)  # the fixture's few pages stand for a large site's
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    replaced = fixture.root / CACHE_DIR / "replaced"
    build(fixture, site)
    [spare] = replaced.iterdir()
    files = {path.relative_to(site): path.stat() for path in site.rglob("*") if path.is_file()}
    assert files and all((spare / path).stat().st_ino == info.st_ino for path, info in files.items())
    assert {path.relative_to(spare) for path in spare.rglob("*") if path.is_file()} == set(files)
    first_site, spare_tree = site.stat().st_ino, spare.stat().st_ino
    write_item(fixture.root, 2022, 904, "首次构建后新增。", title="新增", category="normative", published=dt.date(2022, 5, 4))
    second = build(fixture, site)
    assert site.stat().st_ino == spare_tree  # the copy, brought up to date: no folder of it made again
    assert [folder.stat().st_ino for folder in replaced.iterdir()] == [first_site]  # a replaced site waits: no copy
    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert hashes(second.site) == hashes(clean.site)
    assert folders(second.site) == folders(clean.site)


def test_a_copy_that_cannot_be_made_whole_is_removed_and_the_build_stands(tmp_path, monkeypatch):
    from gongkai.commands import build as build_command

    class Failing(build_command.PageLinker):
        def finish(self) -> None:
            super().finish()
            raise OSError("disk full")

    monkeypatch.setattr(build_command, "SPARE_FROM", 1)
    monkeypatch.setattr(build_command, "PageLinker", Failing)
    fixture = make_project(tmp_path / "project")
    built = build(fixture, fixture.root / "site")
    assert not list((fixture.root / CACHE_DIR / "replaced").iterdir())
    assert hashes(built.site) and "完成" in built.log[-1]


def test_a_small_site_s_first_build_leaves_no_copy(tmp_path):
    fixture = make_project(tmp_path / "project")
    build(fixture, fixture.root / "site")
    assert not (fixture.root / CACHE_DIR / "replaced").exists() or not list((fixture.root / CACHE_DIR / "replaced").iterdir())


def folders(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_dir()}


def test_a_symlinked_replaced_folder_is_never_swept(tmp_path):
    fixture = make_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "precious").mkdir(parents=True)
    (fixture.root / CACHE_DIR).mkdir()
    (fixture.root / CACHE_DIR / "replaced").symlink_to(elsewhere)  # e.g. committed to the content repository
    site = fixture.root / "site"
    build(fixture, site)
    build(fixture, site)
    build(fixture, site)
    assert [path.name for path in elsewhere.iterdir()] == ["precious"]
    assert not list(fixture.root.glob(".site.*"))


@pytest.mark.parametrize("link", [CACHE_DIR, f"{CACHE_DIR}/search", f"{CACHE_DIR}/bodies.sqlite", f"{CACHE_DIR}/PAGES",
                                  f"{CACHE_DIR}/texts.sqlite"])
def test_a_committed_cache_link_is_never_written_pruned_or_swept_through(tmp_path, link):
    """A content repository may hold a `.gongkai-cache` (or a part of it) that links into the editor's home."""
    fixture = make_project(tmp_path / "project")
    elsewhere = tmp_path / "home"
    (elsewhere / "precious").mkdir(parents=True)
    (elsewhere / "precious" / "letter.txt").write_text("不能删", encoding="utf-8")
    (elsewhere / "notes.txt").write_text("不能改", encoding="utf-8")
    before = hashes(elsewhere)
    site = fixture.root / "site"
    target = fixture.root / link.replace("PAGES", pages_file(site.resolve()))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(elsewhere if not link.endswith((".sqlite", "PAGES")) else elsewhere / "notes.txt")
    build(fixture, site)
    write_item(fixture.root, 2024, 1, "改过的正文。", title="改过的通知", category="动态信息", department="办公室",
               published=dt.date(2024, 6, 1))
    build(fixture, site)
    assert hashes(elsewhere) == before
    assert sorted(path.name for path in elsewhere.iterdir()) == ["notes.txt", "precious"]
    assert (site / "index.html").is_file()


@pytest.mark.parametrize("name", ["PAGES", "verified-signatures", "texts.sqlite"])
def test_a_cache_file_linked_to_an_endless_device_is_not_read(tmp_path, name):
    """A committed `.gongkai-cache/pages-….json -> /dev/zero` must cost nothing: cache files are read only
    when they are regular files of bounded size."""
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    name = name.replace("PAGES", pages_file(site.resolve()))
    (fixture.root / CACHE_DIR).mkdir()
    (fixture.root / CACHE_DIR / name).symlink_to("/dev/zero")
    build(fixture, site)
    build(fixture, site)
    assert (site / "index.html").is_file()
    link = fixture.root / CACHE_DIR / name
    assert link.is_symlink() or link.is_file()  # left alone, or replaced by a file of our own: never written through


def test_a_reused_page_that_cannot_be_linked_fails_the_build_and_leaves_the_site(tmp_path, monkeypatch):
    from gongkai import build_cache
    from gongkai.commands.build import BuildFailed

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)

    linker = build_cache.PageLinker.__init__

    def blocked(self, pages):
        """A file where a reused item page's folder must be made: linking it fails as on a full disk."""
        folder = next(Path(output).parent for _, output in pages if "/items/" in output)
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.write_text("占位", encoding="utf-8")
        linker(self, pages)

    monkeypatch.setattr(build_cache.PageLinker, "__init__", blocked)
    with pytest.raises(BuildFailed, match="沿用上次生成的页面失败：无法写入 .*index.html，请检查磁盘空间") as failed:
        build(fixture, site)
    assert "Errno" not in str(failed.value)  # Chinese, never the system's English
    assert hashes(site) == before
    assert sorted(p.name for p in fixture.root.iterdir() if p.name.startswith(".site")) == []


@pytest.mark.parametrize("surveyed", [True, False], ids=["surveyed", "walked"])
def test_a_planted_replaced_site_publishes_nothing_of_its_own(tmp_path, monkeypatch, surveyed):
    """Whether its files were listed by the survey while the content was read, or (no process to be had) walked
    when it is adopted."""
    from gongkai.build_cache import BaseTree

    used: list[bool] = []
    listed = BaseTree._surveyed

    def recorded(self):
        found = listed(self)
        used.append(found is not None)
        return found

    monkeypatch.setattr(BaseTree, "_surveyed", recorded)
    if not surveyed:
        monkeypatch.setattr(BaseTree, "survey", lambda self: None)
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me", encoding="utf-8")
    # A tree committed to the content repository as if an earlier build had replaced it (the newest name).
    planted = fixture.root / CACHE_DIR / "replaced" / "site-1-99999999999999999999"
    page = next(site.glob("items/*/*/index.html")).relative_to(site)
    (planted / page.parent).mkdir(parents=True)
    (planted / page).write_text("PLANTED-MARKER", encoding="utf-8")
    (planted / "robots.txt").write_text("PLANTED-MARKER", encoding="utf-8")
    (planted / "assets").symlink_to(outside)
    (planted / "planted-only").mkdir()
    (planted / "planted-only" / "x.html").write_text("PLANTED-MARKER", encoding="utf-8")
    for name in ("gongkai/doc/planted.gkz", "index/planted.pf_index", "gongkai-search.json"):  # a search bundle too
        (planted / "pagefind" / name).parent.mkdir(parents=True, exist_ok=True)
        (planted / "pagefind" / name).write_text("PLANTED-MARKER", encoding="utf-8")
    # … and under the name the old bundle is moved to, which the build would take for its own
    (planted / ".pagefind-previous" / "x").mkdir(parents=True)
    (planted / ".pagefind-previous" / "x" / "index.html").write_text("PLANTED-MARKER", encoding="utf-8")
    taken = planted.stat().st_ino
    build(fixture, site)
    assert used == [surveyed]
    assert site.stat().st_ino == taken  # it was made the new site, and kept nothing of its own
    assert not any("PLANTED-MARKER" in path.read_text(encoding="utf-8", errors="replace")
                   for path in site.rglob("*") if path.is_file())
    assert [path.name for path in outside.iterdir()] == ["precious.txt"]
    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert hashes(site) == hashes(clean.site)
    assert folders(site) == folders(clean.site)


def test_a_failure_after_the_replaced_site_was_taken_leaves_the_site(tmp_path, monkeypatch):
    from gongkai.commands.build import BuildFailed
    from gongkai.site import indexing

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    build(fixture, site)  # now an earlier site waits in replaced/
    before = hashes(site)

    def broken(*args, **kwargs):
        raise RuntimeError("pagefind exited with 1")

    monkeypatch.setattr(indexing, "index_site", broken)
    record = fixture.root / CACHE_DIR / pages_file(site.resolve())
    manifest = record.read_bytes()
    with pytest.raises(BuildFailed, match="搜索索引失败"):
        build(fixture, site)
    assert hashes(site) == before
    assert not list(fixture.root.glob(".site.*"))
    # The record of the failed build's pages, written while the index was built, is gone with it.
    assert record.read_bytes() == manifest
    assert not list((fixture.root / CACHE_DIR).glob(".pages-*"))


def test_the_manifest_is_one_json_document_read_back(tmp_path: Path):
    site = tmp_path / "site"
    for url in ("", "items/2021/00001/", "items/2021/00002/"):
        (site / url).mkdir(parents=True, exist_ok=True)
        (site / url / "index.html").write_text("<p>页</p>", encoding="utf-8")
    cache = PageCache(tmp_path, site)
    cache.keys = {"": "k0", "items/2021/00001/": "k1", "items/2021/00002/": "k2", "gone/": "k3"}
    cache.text_keys = {"items/2021/00001/": "t1", "items/2021/00002/": "t2"}
    cache.texts = {"items/2021/00001/": "正文\n“引号”\\"}
    cache.save()
    data = json.loads((tmp_path / CACHE_DIR / pages_file(site)).read_text(encoding="utf-8"))
    assert (data["format"], data["site"]) == (FORMAT, str(site))
    assert {url: entry[0] for url, entry in data["pages"].items()} == {"": "k0", "items/2021/00001/": "k1", "items/2021/00002/": "k2"}
    assert all(len(entry) == 2 for entry in data["pages"].values())  # the texts are kept apart, by their own keys
    again = PageCache(tmp_path, site)
    assert again.pages == data["pages"]  # and the next build reads it back
    again.keys, again.text_keys = dict(cache.keys), dict(cache.text_keys)
    assert again.reusable("items/2021/00001/", needs_text=True) and not again.reusable("items/2021/00002/", needs_text=True)
    assert again.stored_texts(["items/2021/00001/", "items/2021/00002/"]) == {"items/2021/00001/": "正文\n“引号”\\"}


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=8)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200) | st.sampled_from([b"[" * 5000, b'{"format": NaN}', b"{\"a\": 1" + b"0" * 40 + b"}",
                                                        b"\xff\xfe{}", b'{"a": "\\ud800"}']))
def test_a_page_record_of_any_bytes_only_misses(tmp_path: Path, data):
    """A record that is not JSON at all (bytes, invalid UTF-8, nesting deeper than any parser goes, NaN, a number
    beyond 64 bits) is read as no record: every page is rendered again, and nothing fails."""
    site = tmp_path / "site"
    (tmp_path / CACHE_DIR).mkdir(exist_ok=True)
    (tmp_path / CACHE_DIR / pages_file(site)).write_bytes(data)
    cache = PageCache(tmp_path, site)
    cache.keys = {"": "k0"}
    assert cache.reusable("") is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=_JSON, entry=_JSON)
def test_a_page_record_of_any_shape_only_misses(tmp_path: Path, pages, entry):
    """A page record edited by hand, cut short and refilled, or written by another program is read
    without failing: an entry that is not ours is simply not reused (every build failed on one in
    English before)."""
    site = tmp_path / "site"
    (site / "items" / "2021" / "00001").mkdir(parents=True, exist_ok=True)
    page = site / "items" / "2021" / "00001" / "index.html"
    page.write_text("<p>页</p>", encoding="utf-8")
    (tmp_path / CACHE_DIR).mkdir(exist_ok=True)
    record = tmp_path / CACHE_DIR / pages_file(site)
    for shape in (pages, {"items/2021/00001/": entry}, {"items/2021/00001/": ["k1", entry]}):
        record.write_text(json.dumps({"format": FORMAT, "site": str(site), "pages": shape}), encoding="utf-8")
        cache = PageCache(tmp_path, site)
        cache.keys = {"": "k0", "items/2021/00001/": "k1"}
        assert cache.reusable("") is None
        assert cache.reusable("items/2021/00001/") is None
    info = page.stat()
    record.write_text(json.dumps({"format": FORMAT, "site": str(site), "pages": {
        "items/2021/00001/": ["k1", [info.st_ino, info.st_size, info.st_mtime_ns]]}}), encoding="utf-8")
    cache = PageCache(tmp_path, site)
    cache.keys = {"items/2021/00001/": "k1"}
    assert cache.reusable("items/2021/00001/") == str(page)


def test_a_manifest_that_cannot_be_staged_is_written_after_the_swap(tmp_path, monkeypatch):
    """A folder where the build stages its page record (planted, or left by anything) costs the staging only."""
    monkeypatch.setattr("os.getpid", lambda: 4242)
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    (fixture.root / CACHE_DIR / f".{pages_file(site.resolve())}.4242.staged" / "x").mkdir(parents=True)
    build(fixture, site)
    second = build(fixture, site)
    assert _reused(second.log)[0] == _reused(second.log)[1]  # the first build's record was written


def test_a_staged_manifest_records_the_built_folder_as_the_site(tmp_path: Path):
    """Staged from the folder just built, before it is renamed to site/: the same record as one
    written after (a rename keeps every file's identity)."""
    built, site = tmp_path / ".site.new", tmp_path / "site"
    (built / "items" / "2021" / "00001").mkdir(parents=True)
    (built / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (built / "items" / "2021" / "00001" / "index.html").write_text("<p>页</p>", encoding="utf-8")
    cache = PageCache(tmp_path, site)
    cache.keys = {"": "k0", "items/2021/00001/": "k1"}
    cache.texts = {"items/2021/00001/": "正文"}
    cache.stage(built)
    assert not (tmp_path / CACHE_DIR / pages_file(site)).exists()
    built.rename(site)
    cache.save()
    staged = (tmp_path / CACHE_DIR / pages_file(site)).read_bytes()
    assert not list((tmp_path / CACHE_DIR).glob(".pages-*"))
    cache.save()  # written after the rename
    assert (tmp_path / CACHE_DIR / pages_file(site)).read_bytes() == staged
    page = site / "items" / "2021" / "00001" / "index.html"
    recorded = PageCache(tmp_path, site).pages["items/2021/00001/"]
    assert recorded[:2] == ["k1", [page.stat().st_ino, page.stat().st_size, page.stat().st_mtime_ns]]


def test_search_texts_edited_or_kept_on_another_machine_are_never_indexed(tmp_path, monkeypatch):
    """texts.sqlite is found by keys that carry the machine's secret and each text is sealed with it: a
    committed one whose texts say anything is never read, neither where it was made nor elsewhere."""
    import sqlite3

    from gongkai.machine_secret import machine_secret

    def on(machine: str) -> None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / machine))
        machine_secret.cache_clear()

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    on("attacker")
    build(fixture, site)
    with sqlite3.connect(fixture.root / CACHE_DIR / "texts.sqlite") as connection:
        assert connection.execute("SELECT count(*) FROM texts").fetchone()[0] > 0
        connection.execute("UPDATE texts SET text = CAST(substr(text, 1, 32) || 'POISONED-TEXT' AS BLOB)")
    write_item(fixture.root, 2022, 903, "同一片里改一条。", title="改一条", category="normative", published=dt.date(2022, 5, 3))
    build(fixture, site)
    assert not poisoned(site)  # where it was made, the index reads no edited text for the reused pages …
    with sqlite3.connect(fixture.root / CACHE_DIR / "texts.sqlite") as connection:
        connection.execute("UPDATE texts SET text = CAST('POISONED-TEXT' AS BLOB)")
    on("ours")
    write_item(fixture.root, 2022, 904, "换了机器后的正文。", title="换机", category="normative", published=dt.date(2022, 5, 4))
    build(fixture, site)
    assert not poisoned(site)  # … nor anywhere else
    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert hashes(site) == hashes(clean.site)


def poisoned(site: Path) -> bool:
    return any(b"POISONED-TEXT" in gzip.decompress(path.read_bytes()) for path in (site / "pagefind").rglob("*.gkz"))


def test_a_search_text_given_to_the_index_early_must_be_the_page_s_own(tmp_path, monkeypatch):
    """A rebuild indexes a changed item with the text of the body the check rendered, before its page
    is rendered; should the page's own text differ, the build fails rather than publish an index that
    does not match the page."""
    from gongkai.commands.build import BuildFailed
    from gongkai.mkdocs_plugin import GongkaiPlugin

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    write_item(fixture.root, 2022, 905, "提前交给索引的正文。", title="提前", category="normative", published=dt.date(2022, 5, 5))
    given: list[str] = []
    early = GongkaiPlugin._index_early

    def tampered(self, config):
        early(self, config)
        given.extend(self.prefilled)
        for url in self.prefilled:
            self.prefilled[url] = "不是这一页的正文"
        return dict(self.prefilled)

    monkeypatch.setattr(GongkaiPlugin, "_index_early", tampered)
    with pytest.raises(BuildFailed, match="搜索索引所用的正文与页面不一致"):
        build(fixture, site)
    assert given == ["items/2022/00905/"]
    assert hashes(site) == before
    assert sorted(p.name for p in fixture.root.iterdir() if p.name.startswith(".")) == [CACHE_DIR]


def test_an_index_started_before_the_verdict_gets_a_changed_text_only_after_it(tmp_path, monkeypatch):
    """A rebuild starts its index before the check's verdict (the old copy of a changed item is taken out of its
    shard meanwhile), but the text of the changed item reaches the index only once the check has passed; a check
    that fails gives it none, and the index is stopped."""
    from gongkai.commands.build import BuildFailed
    from gongkai.mkdocs_plugin import GongkaiPlugin
    from gongkai.site.indexing import PageTexts

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    events: list[str] = []
    judged, started, update = GongkaiPlugin._judged, GongkaiPlugin._start_index, PageTexts.update

    def recorded_verdict(context):
        judged(context)
        events.append("verdict")

    def recorded_start(self):
        events.append("index")
        started(self)

    def recorded_texts(self, texts):
        events.extend(f"text {url}" for url in texts)
        update(self, texts)

    monkeypatch.setattr(GongkaiPlugin, "_judged", staticmethod(recorded_verdict))
    monkeypatch.setattr(GongkaiPlugin, "_start_index", recorded_start)
    monkeypatch.setattr(PageTexts, "update", recorded_texts)
    write_item(fixture.root, 2022, 906, "核验之后才交给索引的正文。", title="核验", category="normative",
               published=dt.date(2022, 5, 6))
    build(fixture, site)
    assert events[:3] == ["index", "verdict", "text items/2022/00906/"]

    events.clear()
    before = hashes(site)
    write_item(fixture.root, 2022, 907, f"未通过检查的正文，身份证号{ID}。", title="未通过", category="normative",
               published=dt.date(2022, 5, 7))
    with pytest.raises(BuildFailed, match="(?s)GK301.*内容检查未通过"):
        build(fixture, site)
    assert events == ["index"]  # started, never given the refused text
    assert hashes(site) == before
    assert sorted(p.name for p in fixture.root.iterdir() if p.name.startswith(".")) == [CACHE_DIR]  # nothing beside it


def test_an_interrupted_rebuild_leaves_the_site_and_nothing_beside_it(tmp_path, monkeypatch):
    """Ctrl+C while the pages are written: the index (started early, putting its bundle together
    beside the build folder) is stopped and its folder removed with the half-built site."""
    from gongkai.mkdocs_plugin import GongkaiPlugin

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    write_item(fixture.root, 2022, 906, "中断前的正文。", title="中断", category="normative", published=dt.date(2022, 5, 6))

    def interrupted(self, *, config):
        assert self.indexer is not None
        raise KeyboardInterrupt

    monkeypatch.setattr(GongkaiPlugin, "on_post_build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(fixture, site)
    assert hashes(site) == before
    assert sorted(p.name for p in fixture.root.iterdir() if p.name.startswith(".")) == [CACHE_DIR]


def test_without_the_kept_search_texts_item_pages_are_rendered_again(tmp_path):
    """A reused item page needs its search text: where texts.sqlite no longer has it, the page is rendered."""
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    (fixture.root / CACHE_DIR / "texts.sqlite").unlink()
    again = build(fixture, site)
    reused, total = _reused(again.log)
    indexed = json.loads((site / "pagefind" / "gongkai-search.json").read_text(encoding="utf-8"))["documents"]
    assert total - reused == indexed > 0  # every indexed item's page rendered again, every other page reused
    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert hashes(site) == hashes(clean.site)


@pytest.mark.parametrize("planted", ["fifo", "folder", "not a database", "a trigger", "another schema", "empty"])
def test_a_planted_texts_database_costs_nothing_but_the_texts(tmp_path, planted):
    """texts.sqlite as a committed repository may hold it: a FIFO, a folder, garbage, a database with a
    trigger or another table. It is never waited on, never runs SQL of its own, and the site is the clean
    build's."""
    import os
    import sqlite3

    fixture = make_project(tmp_path / "project")
    texts = fixture.root / CACHE_DIR / "texts.sqlite"
    texts.parent.mkdir()
    if planted == "fifo":
        os.mkfifo(texts)
    elif planted == "folder":
        texts.mkdir()
    elif planted == "not a database":
        texts.write_bytes(b"SQLite format 3\0" + b"\xff" * 5000)
    elif planted == "empty":
        texts.write_bytes(b"")
    else:
        with sqlite3.connect(texts) as connection:
            if planted == "a trigger":
                connection.execute("CREATE TABLE texts (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
                connection.execute("CREATE TABLE log (x)")
                connection.execute("CREATE TRIGGER t AFTER INSERT ON texts BEGIN INSERT INTO log VALUES (new.text); END")
            else:
                connection.execute("CREATE TABLE texts (key TEXT, text TEXT, extra BLOB)")
    site = fixture.root / "site"
    build(fixture, site)
    write_item(fixture.root, 2022, 907, "植入缓存后的正文。", title="植入", category="normative", published=dt.date(2022, 5, 7))
    build(fixture, site)
    if planted == "a trigger":
        with sqlite3.connect(texts) as connection:
            assert connection.execute("SELECT count(*) FROM log").fetchone()[0] == 0
    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert hashes(site) == hashes(clean.site)


@pytest.mark.parametrize("shape", ["bundle linked outside", "link inside", "fifo inside", "file for a folder"])
def test_a_planted_search_bundle_in_a_replaced_site_is_never_followed_or_published(tmp_path, shape):
    """The search bundle of a tree waiting in replaced/ is made the new bundle in place only when it holds
    plain folders and files; whatever it holds, nothing outside is touched and nothing of it is published."""
    import os

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    outside = tmp_path / "outside"
    (outside / "index").mkdir(parents=True)
    (outside / "index" / "precious.pf_index").write_text("PLANTED-MARKER", encoding="utf-8")
    before = hashes(outside)
    bundle = fixture.root / CACHE_DIR / "replaced" / "site-1-99999999999999999999" / "pagefind"
    bundle.parent.mkdir(parents=True)
    if shape == "bundle linked outside":
        bundle.symlink_to(outside, target_is_directory=True)
    else:
        (bundle / "gongkai" / "doc").mkdir(parents=True)
        (bundle / "gongkai" / "doc" / "stale.gkz").write_text("PLANTED-MARKER", encoding="utf-8")
        if shape == "link inside":
            (bundle / "index").symlink_to(outside / "index", target_is_directory=True)
        elif shape == "fifo inside":
            os.mkfifo(bundle / "gongkai-search.json")
        else:
            (bundle / "index").write_text("PLANTED-MARKER", encoding="utf-8")
    write_item(fixture.root, 2022, 908, "替换目录里植入索引后的正文。", title="植入索引", category="normative",
               published=dt.date(2022, 5, 8))
    build(fixture, site)
    assert hashes(outside) == before
    assert not any(b"PLANTED-MARKER" in path.read_bytes() for path in site.rglob("*") if path.is_file())
    assert not list(fixture.root.glob(".site*"))
    shutil.rmtree(fixture.root / CACHE_DIR)
    clean = build(fixture, tmp_path / "clean")
    assert hashes(site) == hashes(clean.site)


def test_the_public_and_the_members_site_built_in_turn_each_reuse_their_own_pages_and_shards(tmp_path):
    """Both sites are built every day (网站.md): a build of one must not make the other's next build a full one."""
    fixture = make_project(tmp_path / "project")
    public, members = fixture.root / "site", fixture.root / "site-party"
    build(fixture, public)
    build(fixture, members, audience="党内")
    again_public = build(fixture, public)
    again_members = build(fixture, members, audience="党内")
    for again in (again_public, again_members):
        reused, total = _reused(again.log)
        assert reused == total > 0
        assert not [line for line in again.log if line.startswith("搜索索引：第")]  # no shard indexed again
    assert hashes(again_public.site) == hashes(build(fixture, tmp_path / "fresh").site)


def test_a_cache_from_before_the_split_by_site_loses_its_unsplit_files(tmp_path):
    fixture = make_project(tmp_path / "project")
    cache = fixture.root / CACHE_DIR
    (cache / "search" / ("ab" * 32)).mkdir(parents=True)
    (cache / "search" / ("ab" * 32) / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    (cache / "pages.json").write_text("{}", encoding="utf-8")
    build(fixture, fixture.root / "site")
    assert not (cache / "pages.json").exists() and not (cache / "search" / ("ab" * 32)).exists()
    assert [path.name for path in (cache / "search").iterdir()] == [site_name((fixture.root / "site").resolve())]


def _pages_with_links(count: int) -> tuple[list, dict[str, tuple]]:
    from gongkai.build_cache import link_targets
    from gongkai.site.pages import ItemPage, SitePage

    pages: list = [SitePage("", "首页")]
    sources = {"": "index.md"}
    for number in range(count):
        url = f"items/2024/{number:05d}/"
        pages.append(ItemPage(url, f"条目{number}", markdown=f"正文{number}，见[上一条](2024-{number - 1:05d}.md)。"))
        sources[url] = f"items/2024/2024-{number:05d}.md"
    targets = {source: url for url, source in sources.items()}
    links = {page.url: link_targets(page.markdown, sources[page.url], targets) for page in pages[1:]}
    return pages, links


@pytest.mark.parametrize("child", ["works", "dies"])
def test_page_keys_worked_out_in_two_processes_are_those_of_one(monkeypatch, tmp_path, child):
    """The keys come from a forked child where that is worth it, while the parent does what it is given to do
    meanwhile; a child that dies leaves its work to the parent."""
    import os

    from gongkai import build_cache, page_workers

    forked = tmp_path / "forked"
    works = build_cache._keys_child

    def marked(*args):
        forked.touch()
        return works(*args) if child == "works" else os._exit(1)

    pages, links = _pages_with_links(301)
    output = tmp_path / "index.html"
    output.write_text("上次的页面", encoding="utf-8")
    bodies = {page.url: f"file-key-{number}" for number, page in enumerate(pages) if number % 2}  # read through the cache
    keys = build_cache._PageKeys(links, "common", [("", str(output)), ("gone/", str(tmp_path / "gone" / "index.html"))],
                                 bodies)
    alone = keys.of(pages)
    looked = {"": [output.stat().st_ino, output.stat().st_size, output.stat().st_mtime_ns], "gone/": None}
    assert len({key for _, key in alone}) == len(pages) and alone[5][0] == pages[5].url
    assert links[pages[5].url] == (("2024-00003.md", "items/2024/00003/"),)
    monkeypatch.setattr(page_workers, "MIN_PAGES", 2)
    monkeypatch.setattr(build_cache, "_keys_child", marked)
    done: list[int] = []
    assert build_cache._keys_in_two(keys, pages, lambda: done.append(os.getpid())) == (alone, looked)
    assert forked.exists() and done == [os.getpid()]


def test_a_failure_while_the_child_keys_stops_it_without_a_word(monkeypatch, capfd):
    """The build waits for the check's verdict while a child keys half the pages: a failed check ends the keys, and
    the child, whose pipe is then closed, must neither write a traceback nor be left behind."""
    import multiprocessing

    from gongkai import build_cache, page_workers

    pages, links = _pages_with_links(3001)
    monkeypatch.setattr(page_workers, "MIN_PAGES", 2)
    keys = build_cache._PageKeys(links, "common", [], {})

    def check_fails() -> None:
        raise RuntimeError("内容检查未通过")

    with pytest.raises(RuntimeError, match="内容检查未通过"):
        build_cache._keys_in_two(keys, pages, check_fails)
    assert not multiprocessing.active_children()
    assert capfd.readouterr().err == ""


def test_an_index_started_early_never_runs_beside_a_forked_worker(tmp_path, monkeypatch):
    """A rebuild whose pages show what the last build's showed starts its index while its pages are keyed; no page
    worker is forked beside that thread, or beside the threads answering an index forked (it would inherit their locks
    as they are) — one that renders many pages renders them here. Where every page shows something new (a group of
    columns renamed: the navigation), the index waits and the worker is forked. Each build is byte for byte a clean one."""
    import re
    import threading

    from gongkai import page_workers
    from gongkai.site.indexing import BackgroundIndexer, ForkedIndexer

    monkeypatch.setattr(page_workers, "MIN_PAGES", 1)  # a worker, and half the keys in a child, for a small site
    forks: list[bool] = []  # at each worker's fork: whether the index was running
    fork = page_workers.SharedPages.start

    def watched(self, prepare_child):
        running = [thread for thread in threading.enumerate()
                   if isinstance(getattr(getattr(thread, "_target", None), "__self__", None),
                                 (BackgroundIndexer, ForkedIndexer))]
        forks.append(bool(running))
        return fork(self, prepare_child)

    monkeypatch.setattr(page_workers.SharedPages, "start", watched)
    fixture = make_project(tmp_path / "project", news=40)
    site = fixture.root / "site"
    _item = lambda body: write_item(fixture.root, 2022, 901, body, title="早建索引", category="normative",  # noqa: E731
                                    published=dt.date(2022, 5, 1))
    _item("第一版正文。")
    build(fixture, site)
    assert forks == [False]  # a full build: the worker renders beside the parent, the index after the fork
    _item("第二版正文：公积金缴存。")
    second = build(fixture, site)
    assert forks == [False] and "公积金缴存" in second.page("items/2022/00901/").text()
    catalog = fixture.content / "catalog.yml"
    catalog.write_text(re.sub(r"name: 工作动态", "name: 新闻中心", catalog.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    build(fixture, site)
    assert forks == [False, False]  # every page rendered again, on two processes, the index started after the fork
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean").site)


def test_a_linker_that_cannot_be_started_fails_the_build_in_chinese(tmp_path, monkeypatch):
    import subprocess

    from gongkai.commands.build import BuildFailed

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    started = subprocess.Popen

    def no_process(command, *args, **kwargs):
        if "-S" in command:  # the linker's bare interpreter; Pagefind and git start as before
            raise OSError(11, "Resource temporarily unavailable")
        return started(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", no_process)
    with pytest.raises(BuildFailed, match="无法启动沿用上次生成页面的进程.*请稍后重新生成"):
        build(fixture, site)
    assert hashes(site) == before


def test_a_record_that_cannot_be_saved_never_fails_the_build_that_replaced_the_site(tmp_path):
    """A folder committed under the page record's name (its name follows from the site's path, and CI's is known)
    made every build end in an internal error once site/ was replaced: the site was new, the job failed. The build
    says the record was not saved, and each later build still equals a full build of its content."""
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    record = fixture.root / CACHE_DIR / pages_file(site.resolve())
    build(fixture, site)
    write_item(fixture.root, 2022, 901, "第一版正文。", title="记录测试", category="normative", published=dt.date(2022, 5, 1))
    kept = record.read_bytes()
    record.unlink()
    (record / "x").mkdir(parents=True)
    second = build(fixture, site)
    assert any("未能保存本次生成的页面记录" in line for line in second.log)
    assert "第一版正文" in second.page("items/2022/00901/").text()
    shutil.rmtree(record)
    record.write_bytes(kept)  # the first build's record, of a site two builds old
    write_item(fixture.root, 2022, 901, "第二版正文。", title="记录测试", category="normative", published=dt.date(2022, 5, 1))
    third = build(fixture, site)
    assert "第二版正文" in third.page("items/2022/00901/").text()
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean").site)


def test_every_store_of_a_cache_made_on_another_machine_is_used_for_nothing(tmp_path, monkeypatch):
    """`.gongkai-cache/` committed with `site/` (or restored by CI from another runner): the very same files, page
    record, search shards, texts, items, views, templates and verified signatures, under another machine's secret.
    Nothing of it is reused — every page is rendered and every shard indexed again — and the site is a clean one."""
    from gongkai.machine_secret import machine_secret

    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    try:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "contributor"))
        machine_secret.cache_clear()
        build(fixture, site)
        assert _reused(build(fixture, site).log)[0] > 0  # on the machine that made it, it is reused
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ci"))
        machine_secret.cache_clear()
        elsewhere = build(fixture, site)
    finally:
        machine_secret.cache_clear()
    assert _reused(elsewhere.log)[0] == 0
    assert any(line.startswith("搜索索引：第") for line in elsewhere.log)  # no shard taken from the cache
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean").site)


def test_a_page_keyed_by_its_file_changes_with_the_file_and_nothing_else_stands_for_it():
    """An item page's Markdown is said by the key of the file it is the body of: another file key gives another page
    key, and a page keyed by its Markdown never shares a key with one keyed by its file, whatever the Markdown."""
    from gongkai.build_cache import page_key
    from gongkai.site.pages import ItemPage

    page = ItemPage("items/2024/00001/", "条目", markdown="正文")
    by_file = page_key("common", page, (), body="file-key-1")
    assert by_file != page_key("common", page, (), body="file-key-2")
    assert by_file == page_key("common", ItemPage("items/2024/00001/", "条目", markdown="另一正文"), (), body="file-key-1")
    assert by_file not in {page_key("common", ItemPage("items/2024/00001/", "条目", markdown=markdown), ())
                           for markdown in ("正文", "file-key-1", "")}
    assert page_key("common", ItemPage("items/2024/00001/", "另一标题", markdown="正文"), (), body="file-key-1") != by_file


def test_a_build_lets_go_of_the_source_documents_only_before_rendering_many_pages(tmp_path, monkeypatch):
    """The checked project's source documents (each file's text, the positions of its YAML values) go once the check
    has passed and many pages are to be rendered, as in a full build; a rebuild, which renders a few, keeps them
    (freeing them while its children share this process's memory cost it more than it rendered)."""
    from gongkai import page_workers
    from gongkai.mkdocs_plugin import GongkaiPlugin

    let_go, counted = GongkaiPlugin._let_go_of_documents, []

    def recorded(self):
        documents = self.context.project.documents
        counted.append(len(documents))
        let_go(self)
        counted.append(len(documents))

    monkeypatch.setattr(GongkaiPlugin, "_let_go_of_documents", recorded)
    fixture = make_project(tmp_path / "project")
    site = fixture.root / "site"
    items = len(list((fixture.content / "items").rglob("*.md")))
    monkeypatch.setattr(page_workers, "MIN_PAGES", items)
    build(fixture, site)
    assert counted == [items, 0]

    counted.clear()
    write_item(fixture.root, 2022, 908, "改过的一条。", title="改过", category="normative", published=dt.date(2022, 5, 8))
    build(fixture, site)
    assert counted == []


@pytest.mark.parametrize("piece", ["a.", "../", "%", " a.b", "%2e%2e/", "](x.md)", "[[", "href=\"x.md\" ", "]( a", "](((a",
                                   "](a \"", "href=\"a "])
def test_a_body_s_addresses_are_read_in_time_linear_in_its_length(piece):
    """Every path-like word of a linking body goes into its page key: a hostile body of them costs one pass."""
    import time

    from gongkai.build_cache import link_targets

    started = time.process_time()
    link_targets("](" + piece * 100_000, "items/2024/2024-00001.md", {"items/2024/2024-00002.md": "items/2024/00002/"})
    assert time.process_time() - started < 3


def test_a_record_that_cannot_be_saved_is_said_in_chinese(tmp_path: Path, monkeypatch):
    """The note after a build whose page record could not be written (a full disk) quoted the system's English."""
    import errno
    import os

    from gongkai import build_cache

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>页</p>", encoding="utf-8")
    cache = PageCache(tmp_path, site)
    cache.keys = {"": "k0"}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(build_cache, "write_whole", full)
    said = cache.save()
    assert said.startswith("磁盘已满（") and os.strerror(errno.ENOSPC) not in said, said
