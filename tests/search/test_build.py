"""build_index with the real Pagefind binary: layout, manifest, determinism, what gets indexed."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.progress import Meter
from gongkai.search import BUNDLE_DIR, MANIFEST, SearchDocument, build_index
from gongkai.search.build import DATA_DIR, RECORDS
from gongkai.search.pagefind_cli import run_pagefind
from gongkai.search.records import check_url, document_data, record_html, record_path_of, sort_key
from gongkai.search.runtime import is_runtime, pagefind_runtime
from gongkai.search.staging import Staging
from gongkai.search.vocabulary import bucket_of

ORG = "11131122MB1534702N"


def doc(n: int, year: int = 2021, **fields: Any) -> SearchDocument:
    base = SearchDocument(
        url=f"items/{year}/{n:05d}/",
        title=f"关于做好农村危房改造工作的通知（第{n}号）",
        date=f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        year=str(year),
        category=("农村危房改造", "保障性住房", "建筑工程质量监督")[n % 3],
        department=("村镇建设股", "住房保障股", "建筑工程质量安全监督站")[n % 3],
        index_no=f"{ORG}/{year}-{n:05d}",
        doc_no=f"X住建规〔{year}〕{n}号" if n % 2 else "",
        text=f"为切实保障群众住房安全，全面推进农村危房改造。\n共完成改造{n}户，补助资金{n * 3}万元。",
    )
    return replace(base, **fields)


def data(path: Path) -> Any:
    return json.loads(gzip.decompress(path.read_bytes()))


def shown(site: Path) -> list[dict]:
    """What the results of the bundle show, one per indexed document."""
    return [data(p) for p in sorted((site / BUNDLE_DIR / DATA_DIR / "doc").iterdir())]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_bundle_layout_and_manifest(tmp_path: Path) -> None:
    docs = [doc(n, 2020 + n % 3) for n in range(1, 13)]
    stats = build_index(docs, tmp_path, max_shard_documents=5)
    bundle = tmp_path / BUNDLE_DIR
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = [s["language"] for s in manifest["shards"]]

    assert (stats.documents, stats.shards) == (12, 3)
    assert stats.bytes == sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    # Whole months packed from the oldest, at most 5 documents a shard, listed newest first.
    assert languages == ["zxx-x-m202209", "zxx-x-m202105", "zxx-x-m202001"]
    assert sorted(entry["languages"]) == sorted(languages)
    assert [s["documents"] for s in manifest["shards"]] == [2, 5, 5]
    assert [(s["newest"], s["oldest"], s["years"]) for s in manifest["shards"]] == [
        ("2022-12-12", "2022-09-09", ["2022"]),
        ("2022-06-06", "2021-05-05", ["2022", "2021"]),
        ("2021-02-02", "2020-01-13", ["2021", "2020"]),
    ]
    assert [v for v, _, _ in manifest["facets"]["year"]] == ["2022", "2021", "2020"]
    assert {v: (n, shards) for v, n, shards in manifest["facets"]["category"]} == {
        "农村危房改造": (4, "2"), "保障性住房": (4, "1-2"), "建筑工程质量监督": (4, "0-1")
    }
    # Only Pagefind's search API ships; its UI bundles and its fragments do not.
    assert {p.name for p in bundle.iterdir() if p.suffix == ".js"} == {"pagefind.js", "pagefind-worker.js"}
    assert not (bundle / "fragment").exists()
    # What runs in the page is the installed Pagefind's own, byte for byte: the preview serves it from there.
    runtime = pagefind_runtime()
    assert sorted(runtime) == sorted(p.name for p in bundle.iterdir() if is_runtime(p.name))
    assert all((bundle / name).read_bytes() == data for name, data in runtime.items())
    assert sorted(d["url"] for d in shown(tmp_path)) == sorted(d.url for d in docs)
    listed: dict = {}
    for language in languages:
        listed.update(data(bundle / DATA_DIR / "list" / f"{language}.gkz"))
        facets = data(bundle / DATA_DIR / "facets" / f"{language}.gkz")
        assert isinstance(facets, dict) and len(facets["ids"]) == len(facets["year"]["of"])
    assert sorted(url for url, *_ in listed.values()) == sorted(d.url for d in docs)
    assert all((bundle / DATA_DIR / "doc" / f"{result_id}.gkz").exists() for result_id in listed)


def test_the_vocabulary_says_which_shards_have_a_token(tmp_path: Path) -> None:
    docs = [doc(n, 2020 + n % 3) for n in range(1, 13)] + [doc(20, 2021, text="城镇燃气安全专项检查")]
    build_index(docs, tmp_path, max_shard_documents=5)
    manifest = json.loads((tmp_path / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))

    def shards_with(token: str) -> str | None:
        path = tmp_path / BUNDLE_DIR / DATA_DIR / "vocabulary" / f"{bucket_of(token, manifest['vocabulary'])}.gkz"
        lines = dict(line.split("\t") for line in gzip.decompress(path.read_bytes()).decode().splitlines())
        return lines.get(token)

    (holding,) = [n for n, s in enumerate(manifest["shards"]) if s["oldest"] <= docs[-1].date <= s["newest"]]
    assert shards_with("燃气") == str(holding)
    assert shards_with("危房") == "0-2"
    assert shards_with("燃*") == shards_with("燃气")  # a one-character query's key
    assert shards_with("量子") is None
    assert len(list((tmp_path / BUNDLE_DIR / DATA_DIR / "vocabulary").iterdir())) == manifest["vocabulary"]


def test_two_builds_of_the_same_documents_are_identical(tmp_path: Path) -> None:
    docs = [doc(n, 2019 + n % 4) for n in range(1, 31)]
    build_index(docs, tmp_path / "a", max_shard_documents=8)
    build_index(list(reversed(docs)), tmp_path / "b", max_shard_documents=8)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_only_the_given_documents_reach_the_index(tmp_path: Path) -> None:
    # A page of the built site that the caller did not pass (e.g. withdrawn or not public).
    secret = tmp_path / "items" / "2021" / "09999" / "index.html"
    secret.parent.mkdir(parents=True)
    secret.write_text('<html lang="zh-CN"><body data-pagefind-body>撤回的正文不得检索</body></html>', encoding="utf-8")
    build_index([doc(1), doc(2)], tmp_path)
    found = shown(tmp_path)
    assert sorted(f["url"] for f in found) == ["items/2021/00001/", "items/2021/00002/"]
    assert not any("撤回" in json.dumps(f, ensure_ascii=False) for f in found)


def test_a_new_build_replaces_the_old_bundle(tmp_path: Path) -> None:
    build_index([doc(n) for n in range(1, 10)], tmp_path, max_shard_documents=3)
    build_index([doc(1)], tmp_path)
    bundle = tmp_path / BUNDLE_DIR
    assert not any("zxx-x-m202107" in p.name for p in bundle.rglob("*"))
    assert [f["url"] for f in shown(tmp_path)] == ["items/2021/00001/"]
    assert [p.name for p in tmp_path.iterdir()] == [BUNDLE_DIR]


@pytest.mark.parametrize("url", ["/items/2021/00001/", "../outside/", "items/../../x/", "items/2021/..", "items\\x/", ""])
def test_urls_must_stay_inside_the_site(tmp_path: Path, url: str) -> None:
    with pytest.raises(ValueError):
        build_index([doc(1, url=url)], tmp_path)


@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=20, unique=True))
def test_any_url_gives_its_own_flat_record_name_or_is_refused(urls: list[str]) -> None:
    """Whatever a URL holds (separators, dots, quotes, control or non-BMP characters), its record is one plain
    name inside the shard's folder, a different one for each URL; a URL that leaves the site is refused."""
    inside = [url for url in urls if _inside(url)]
    for url in set(urls) - set(inside):
        with pytest.raises(ValueError):
            record_path_of(url)
    names = {record_path_of(url) for url in inside}
    assert all(len(name.parts) == 1 and re.fullmatch(r"[0-9a-f]{32}\.html", name.name) for name in names)
    assert len(names) == len(inside)


def _inside(url: str) -> bool:
    try:
        check_url(url)
    except ValueError:
        return False
    return True


def test_a_failed_build_leaves_the_previous_bundle(tmp_path: Path) -> None:
    build_index([doc(1)], tmp_path)
    before = tree(tmp_path)
    with pytest.raises(ValueError, match="share URLs"):
        build_index([doc(1), doc(2, url=doc(1).url)], tmp_path)
    assert tree(tmp_path) == before


def test_no_documents_gives_an_empty_manifest(tmp_path: Path) -> None:
    stats = build_index([], tmp_path)
    manifest = json.loads((tmp_path / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert (stats.documents, stats.shards, manifest["shards"], manifest["documents"]) == (0, 0, [], 0)


def test_records_hold_only_tokens_and_the_sort_key() -> None:
    item = doc(1, title="<script>alert(1)</script>危房")
    html = record_html(item, "zxx-x-m202102")
    assert "<script>" not in html and "为切实保障" not in html
    body = html.split("<main data-pagefind-body>")[1].split("</main>")[0]
    assert body.startswith("script alert 1 script 危 危房 房 ¶ 11131122mb1534702n 2021 00001 ¶ x 住 住建 建规 规 2021 1 号 ¶ 为切")
    assert "data-pagefind-meta" not in html
    # What a result shows is the real text; the page inserts it as text, never as HTML.
    assert document_data(item)["title"] == "<script>alert(1)</script>危房"
    assert document_data(item)["lines"] == ["为切实保障群众住房安全，全面推进农村危房改造。", "共完成改造1户，补助资金3万元。"]


def test_a_shards_records_are_kept_in_one_folder_and_each_result_finds_its_document(tmp_path: Path) -> None:
    """A folder per record (as the site's pages have) made 10,000 more folders at 10,000 items: the records
    are flat files named by their URL's hash, and every result still shows its own document."""
    cache = tmp_path / "cache"
    docs = [doc(n, year=2020 + n % 3) for n in range(1, 8)] + [doc(8, url="items/2021/00008.html")]
    build_index(docs, tmp_path / "site", max_shard_documents=4, cache=cache, text_keys=text_keys(docs))
    shards = [path for path in (cache / RECORDS).iterdir() if path.is_dir()]
    assert shards and all(path.is_file() for shard in shards for path in shard.iterdir())
    assert sum(len(list(shard.iterdir())) for shard in shards) == len(docs)
    assert len({record_path_of(d.url) for d in docs}) == len(docs)
    data = tmp_path / "site" / BUNDLE_DIR / DATA_DIR
    shown = [json.loads(gzip.decompress(path.read_bytes())) for path in (data / "doc").iterdir()]
    assert sorted(item["url"] for item in shown) == sorted(d.url for d in docs)
    assert not (tmp_path / "site" / BUNDLE_DIR / "fragment").exists()


def test_texts_completed_shard_by_shard_give_the_same_bundle(tmp_path: Path) -> None:
    """Documents whose texts arrive while the index is built (the pages are still being rendered):
    each shard asks for its own, newest shard first, and the bundle is the one of the full texts."""
    docs = [doc(n, 2020 + n % 3) for n in range(1, 13)]
    texts = {d.url: d.text for d in docs}
    asked: list[list[str]] = []

    def complete(documents: tuple[SearchDocument, ...]) -> list[SearchDocument]:
        asked.append([d.url for d in documents])
        return [replace(d, text=texts[d.url]) for d in documents]

    build_index(docs, tmp_path / "whole", max_shard_documents=5)
    build_index([replace(d, text="") for d in docs], tmp_path / "later", max_shard_documents=5, complete=complete)
    assert tree(tmp_path / "later") == tree(tmp_path / "whole")
    assert len(asked) == 3 and sorted(url for urls in asked for url in urls) == sorted(texts)
    newest = [max(d.date for d in docs if d.url in urls) for urls in asked]
    assert newest == sorted(newest, reverse=True)


def staging_from(old: Path, site: Path) -> Staging:
    site.mkdir(parents=True, exist_ok=True)
    return Staging.make(site, old)


def test_the_bundle_goes_into_the_site_only_once_it_is_ready(tmp_path: Path) -> None:
    """A build starts its index before MkDocs has emptied the build folder: the bundle is put together
    beside it and moved in only when the caller says the folder is ready."""
    site = tmp_path / "site"
    site.mkdir()
    asked: list[bool] = []
    build_index([doc(1), doc(2)], site, staging=Staging.make(tmp_path), ready=lambda: asked.append((site / BUNDLE_DIR).exists()))
    assert asked == [False] and [f["url"] for f in shown(site)] == ["items/2021/00002/", "items/2021/00001/"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _moved(bundle: Path, target: Path) -> Path:
    bundle.rename(target)
    return target


def test_a_bundle_made_in_place_from_an_old_one_is_a_fresh_one(tmp_path: Path) -> None:
    """A rebuild takes the bundle of the site it replaces: files of unchanged shards stay (they are the
    shard cache's), the rest is replaced or removed; the bundle is byte for byte a fresh one."""
    cache = tmp_path / "cache"
    docs = [doc(n, 2019 + n % 4) for n in range(1, 31)]
    build_index(docs, tmp_path / "old", max_shard_documents=8, cache=cache)
    old = _moved(tmp_path / "old" / BUNDLE_DIR, tmp_path / "previous")
    kept = {p.relative_to(old): p.stat().st_ino for p in old.rglob("*") if p.is_file()}
    changed = [replace(docs[0], text="改过的正文。"), *docs[2:], doc(31, 2024)]  # one edited, one removed, one added
    build_index(changed, tmp_path / "new", max_shard_documents=8, cache=cache, staging=staging_from(old, tmp_path / "new"))
    build_index(changed, tmp_path / "fresh", max_shard_documents=8)
    new = tmp_path / "new" / BUNDLE_DIR
    assert tree(new) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    assert not old.exists() and [p.name for p in (tmp_path / "new").iterdir()] == [BUNDLE_DIR]
    same = [path for path, inode in kept.items() if (new / path).is_file() and (new / path).stat().st_ino == inode]
    assert any(path.parts[0] == "index" for path in same)  # unchanged shards' files were left where they were


def test_an_old_bundle_is_never_written_into(tmp_path: Path) -> None:
    """The old bundle's files may be the live site's (hard links): each is replaced by a new file, never rewritten."""
    cache = tmp_path / "cache"
    build_index([doc(n) for n in range(1, 10)], tmp_path / "live", max_shard_documents=3, cache=cache)
    live = tmp_path / "live" / BUNDLE_DIR
    before = tree(live)
    old = tmp_path / "previous"
    for path in sorted(live.rglob("*")):  # the old bundle: every file a hard link of the live one
        target = old / path.relative_to(live)
        if path.is_dir():
            target.mkdir(parents=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.hardlink_to(path)
    build_index([replace(doc(n), text=f"新的正文{n}。") for n in range(1, 12)], tmp_path / "new",
                max_shard_documents=3, cache=cache, staging=staging_from(old, tmp_path / "new"))
    assert tree(live) == before
    assert tree(tmp_path / "new" / BUNDLE_DIR) != before


def test_an_old_bundle_of_any_shape_gives_the_fresh_bundle(tmp_path: Path) -> None:
    """Files where folders go, folders where files go, strays: all replaced or removed."""
    docs = [doc(n, 2020 + n % 3) for n in range(1, 13)]
    build_index(docs, tmp_path / "fresh", max_shard_documents=5)
    old = tmp_path / "previous"
    (old / "index").parent.mkdir(parents=True)
    (old / "index").write_text("a file where a folder goes")
    (old / "pagefind-entry.json" / "inner").mkdir(parents=True)
    (old / "pagefind-entry.json" / "inner" / "x").write_text("a folder where a file goes")
    (old / DATA_DIR / "doc" / "stale.gkz").parent.mkdir(parents=True)
    (old / DATA_DIR / "doc" / "stale.gkz").write_bytes(b"withdrawn text")
    (old / "stray" / "deep").mkdir(parents=True)
    build_index(docs, tmp_path / "new", max_shard_documents=5, staging=staging_from(old, tmp_path / "new"))
    assert tree(tmp_path / "new" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    assert {p.relative_to(tmp_path / "new") for p in (tmp_path / "new").rglob("*") if p.is_dir()} == {
        p.relative_to(tmp_path / "fresh") for p in (tmp_path / "fresh").rglob("*") if p.is_dir()}


@pytest.mark.parametrize("planted", ["link", "fifo"])
def test_an_old_bundle_holding_a_link_or_a_fifo_is_not_taken(tmp_path: Path, planted: str) -> None:
    """A committed cache folder may hold anything: such a bundle is left to the caller, and no link followed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.pf_meta").write_bytes(b"not ours")
    old = tmp_path / "previous"
    (old / "index").mkdir(parents=True)
    if planted == "link":
        (old / "index" / "x").symlink_to(outside / "x.pf_meta")
        (old / "gongkai").symlink_to(outside, target_is_directory=True)
    else:
        os.mkfifo(old / "index" / "x")
    build_index([doc(1), doc(2)], tmp_path / "new", staging=staging_from(old, tmp_path / "new"))
    build_index([doc(1), doc(2)], tmp_path / "fresh")
    assert tree(tmp_path / "new" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    assert old.is_dir() and (outside / "x.pf_meta").read_bytes() == b"not ours" and len(list(outside.iterdir())) == 1


@pytest.mark.parametrize("edit", ["in place", "replaced", "link", "fifo", "added", "removed", "record"])
def test_a_cached_shard_edited_after_it_was_stored_is_indexed_again(tmp_path: Path, edit: str) -> None:
    """The shard cache's files are the published bundle's (hard links): whatever was written into one
    since, through the site or by hand, the next bundle is byte for byte a fresh one, and the cache
    holds the shard as Pagefind made it again."""
    cache = tmp_path / "cache"
    docs = [doc(n) for n in range(1, 7)]
    build_index(docs, tmp_path / "live", max_shard_documents=3, cache=cache)
    published = sorted((tmp_path / "live" / BUNDLE_DIR / DATA_DIR / "doc").iterdir())[0]
    stored = next(path for path in cache.rglob(published.name))
    assert stored.stat().st_ino == published.stat().st_ino
    if edit == "in place":
        with open(published, "r+b") as stream:  # as `cp other file` or a shell's `>` does: the same inode
            stream.truncate()
            stream.write(b"EDITED-MARKER")
    elif edit == "replaced":
        stored.unlink()
        stored.write_bytes(b"EDITED-MARKER")
    elif edit == "link":
        stored.unlink()
        (tmp_path / "outside").write_bytes(b"EDITED-MARKER")
        stored.symlink_to(tmp_path / "outside")
    elif edit == "fifo":
        stored.unlink()
        os.mkfifo(stored)
    elif edit == "added":
        (stored.parent / "planted.gkz").write_bytes(b"EDITED-MARKER")
    elif edit == "removed":
        stored.unlink()
    else:
        (stored.parents[2] / "files.json").write_bytes(b"{")
    build_index(docs, tmp_path / "again", max_shard_documents=3, cache=cache)
    build_index(docs, tmp_path / "fresh", max_shard_documents=3)
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    assert not any(path.is_symlink() or not (path.is_file() or path.is_dir()) for path in cache.rglob("*"))
    assert b"EDITED-MARKER" not in b"".join(path.read_bytes() for path in cache.rglob("*") if path.is_file())


def test_a_cached_shard_stored_with_an_empty_entry_is_indexed_again(tmp_path: Path) -> None:
    """A build that filled the disk left a shard's pagefind-entry.json empty, recorded as it was (files.json matches
    it): every later build failed on it ("Expecting value") until the cache was removed by hand."""
    from gongkai.search.build import SHARD_FILES, _identities
    from gongkai.search.data_files import json_bytes

    cache = tmp_path / "cache"
    docs = [doc(n) for n in range(1, 7)]
    build_index(docs, tmp_path / "live", max_shard_documents=3, cache=cache)
    for entry in cache.rglob("pagefind-entry.json"):
        entry.write_bytes(b"")
        (entry.parent / SHARD_FILES).write_bytes(json_bytes(_identities(entry.parent, skip=SHARD_FILES)))
    build_index(docs, tmp_path / "again", max_shard_documents=3, cache=cache)
    build_index(docs, tmp_path / "fresh", max_shard_documents=3)
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)


def text_keys(docs: list[SearchDocument]) -> dict[str, str]:
    """What the build's page cache gives: for each URL, a key its text is a function of."""
    return {d.url: hashlib.sha256(d.text.encode()).hexdigest() for d in docs}


def kept_records(cache: Path) -> dict[str, tuple[int, int]]:
    """The records the cache keeps, by path: (inode, modification time)."""
    return {str(p.relative_to(cache / RECORDS)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (cache / RECORDS).rglob("*.html")}


def test_a_shard_indexed_again_writes_only_the_records_that_changed(tmp_path: Path) -> None:
    """A one-item edit indexes its shard again: the records of the shard's other documents are the
    ones the cache kept from the last build, untouched, and the bundle is byte for byte a fresh one."""
    cache = tmp_path / "cache"
    docs = [doc(n) for n in range(1, 7)]
    build_index(docs, tmp_path / "first", max_shard_documents=3, cache=cache, text_keys=text_keys(docs))
    before = kept_records(cache)
    assert len(before) == 6
    first_record = f"/{record_path_of(docs[0].url)}"
    changed = [replace(docs[0], text="改过的正文。"), *docs[1:]]
    build_index(changed, tmp_path / "again", max_shard_documents=3, cache=cache, text_keys=text_keys(changed),
                max_delta_changes=0)  # no delta shard (test_delta.py): the shard is indexed again
    build_index(changed, tmp_path / "fresh", max_shard_documents=3)
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    after = kept_records(cache)
    assert sorted(after) == sorted(before)
    assert [path for path in after if after[path] != before[path]] == [next(p for p in after if p.endswith(first_record))]
    fewer = changed[:4]  # a shard gone: its records leave the cache
    build_index(fewer, tmp_path / "fewer", max_shard_documents=3, cache=cache, text_keys=text_keys(fewer),
                max_delta_changes=0)
    assert len(kept_records(cache)) == 4 and len(list((cache / RECORDS).iterdir())) == 2 * 2


@pytest.mark.parametrize("edit", ["in place", "added", "replaced"])
def test_kept_records_written_into_are_written_again(tmp_path: Path, edit: str) -> None:
    """A kept record is taken only while it is the very file the cache kept: one written into, replaced
    or added since (a committed cache folder, a hand edit) makes the shard's records be written afresh."""
    cache = tmp_path / "cache"
    docs = [doc(n) for n in range(1, 4)]
    build_index(docs, tmp_path / "first", max_shard_documents=3, cache=cache, text_keys=text_keys(docs))
    kept = next((cache / RECORDS).rglob(str(record_path_of(docs[1].url))))
    language = kept.relative_to(cache / RECORDS).parts[0]
    planted = record_html(replace(docs[1], text="泄露标记的正文。"), language)
    if edit == "in place":
        kept.write_text(planted, encoding="utf-8")
    elif edit == "replaced":
        kept.unlink()
        kept.write_text(planted, encoding="utf-8")
    else:
        (kept.parent / record_path_of("items/2021/00009/")).write_text(planted, encoding="utf-8")
    changed = [replace(docs[0], text="改过的正文。"), *docs[1:]]
    build_index(changed, tmp_path / "again", max_shard_documents=3, cache=cache, text_keys=text_keys(changed),
                max_delta_changes=0)  # no delta shard (test_delta.py): the shard is indexed again
    build_index(changed, tmp_path / "fresh", max_shard_documents=3)
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    assert "泄露" not in "".join(p.read_text(encoding="utf-8") for p in (cache / RECORDS).rglob("*.html"))


class _Counting(Meter):
    def __init__(self) -> None:
        super().__init__(lambda _line: None)
        self.advanced = 0

    def advance(self, key: str, amount: int = 1) -> None:
        self.advanced += amount
        super().advance(key, amount)


def test_the_shard_to_index_is_prepared_before_the_cached_ones_are_taken(tmp_path: Path) -> None:
    """A one-item rebuild: Pagefind starts on the changed shard (here the oldest) first, not after every
    shard ahead of it has been looked up in the cache."""
    cache = tmp_path / "cache"
    docs = [doc(n, 2018 + n % 4) for n in range(1, 17)]
    build_index(docs, tmp_path / "first", max_shard_documents=4, cache=cache, text_keys=text_keys(docs))
    oldest = min(docs, key=sort_key)
    changed = [replace(d, text="改过的正文。") if d == oldest else d for d in docs]
    meter = _Counting()
    done_before: list[int] = []

    def complete(documents: tuple[SearchDocument, ...]) -> list[SearchDocument]:
        done_before.append(meter.advanced)
        return list(documents)

    build_index(changed, tmp_path / "again", max_shard_documents=4, cache=cache, text_keys=text_keys(changed),
                meter=meter, complete=complete, max_delta_changes=0)
    build_index(changed, tmp_path / "fresh", max_shard_documents=4)
    assert done_before[0] == 0 and meter.advanced == 4
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)


def test_pagefind_waits_for_the_texts_of_the_edited_documents_only(tmp_path: Path) -> None:
    """A shard indexed again from the records kept in the cache: before Pagefind starts, only the texts of
    the documents whose records are written again are asked for; the others' (what their results show)
    while it runs. A fresh shard (a full build) asks for all of them before. The bundle is a fresh one."""
    cache = tmp_path / "cache"
    docs = [doc(n) for n in range(1, 5)]
    asked: list[list[str]] = []
    started: list[int] = []

    def complete(documents: tuple[SearchDocument, ...]) -> list[SearchDocument]:
        asked.append([d.url for d in documents])
        return [next(d for d in current if d.url == document.url) for document in documents]

    def lanes() -> int:  # asked just before Pagefind starts on a shard
        started.append(len(asked))
        return 1

    def build(folder: str) -> None:
        empty = [replace(d, text="") for d in current]  # as index_site hands them: texts to be completed
        build_index(empty, tmp_path / folder, max_shard_documents=4, cache=cache, text_keys=text_keys(current),
                    complete=complete, lanes=lanes, max_delta_changes=0)

    current = docs
    build("first")
    assert asked == [[d.url for d in sorted(docs, key=sort_key, reverse=True)]] and started == [1]
    asked.clear()
    started.clear()
    current = [replace(docs[2], text="改过的正文。") if d == docs[2] else d for d in docs]
    build("again")
    build_index(current, tmp_path / "fresh", max_shard_documents=4)
    assert asked[0] == [docs[2].url] and started == [1] and len(asked) == 2
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)


def test_what_runs_beside_pagefind_stops_it_when_it_fails(tmp_path: Path) -> None:
    """run_pagefind's `meanwhile` (a shard's result files are made while Pagefind indexes it): should it
    fail, Pagefind is stopped and waited for, and the failure raised."""
    records = tmp_path / "records"
    records.mkdir()
    (records / "index.html").write_text(record_html(doc(1), "zxx-x-m202102"), encoding="utf-8")

    def fail() -> None:
        raise RuntimeError("meanwhile failed")

    with pytest.raises(RuntimeError, match="meanwhile failed"):
        run_pagefind(records, tmp_path / "bundle", meanwhile=fail)
    assert not (tmp_path / "bundle" / "pagefind-entry.json").exists()
    called: list[bool] = []
    run_pagefind(records, tmp_path / "bundle", meanwhile=lambda: called.append(True))
    assert called == [True] and (tmp_path / "bundle" / "pagefind-entry.json").exists()


def test_a_shard_key_is_every_field_but_the_text_and_the_text_key() -> None:
    """A shard found in the cache by its documents' text keys: any other field of a document changes
    the key, its text alone (the text key unchanged) does not."""
    from gongkai.search.build import _shard_key
    from gongkai.search.shards import Shard

    def key(document: SearchDocument, text_key: str = "k") -> str:
        return _shard_key(Shard("zxx-x-m202102", (document,)), {document.url: text_key})

    base = doc(1)
    assert key(replace(base, text="别的正文。")) == key(base)
    assert key(base, "other") != key(base)
    for field in ("url", "title", "date", "year", "category", "department", "index_no", "doc_no"):
        changed: dict[str, Any] = {field: "另"}
        assert key(replace(base, **changed)) != key(base), field


def test_no_record_is_kept_or_taken_through_a_committed_link(tmp_path: Path) -> None:
    """cache/records may be a committed link (to another site's records, or anywhere): nothing is written
    through it or read from it, and the bundle is a fresh one."""
    cache = tmp_path / "cache"
    outside = tmp_path / "outside"
    outside.mkdir()
    cache.mkdir()
    (cache / RECORDS).symlink_to(outside, target_is_directory=True)
    docs = [doc(n) for n in range(1, 4)]
    build_index(docs, tmp_path / "first", max_shard_documents=3, cache=cache, text_keys=text_keys(docs))
    changed = [replace(docs[0], text="改过的正文。"), *docs[1:]]
    build_index(changed, tmp_path / "again", max_shard_documents=3, cache=cache, text_keys=text_keys(changed),
                max_delta_changes=0)  # no delta shard (test_delta.py): the shard is indexed again
    build_index(changed, tmp_path / "fresh", max_shard_documents=3)
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    assert list(outside.iterdir()) == [] and (cache / RECORDS).is_symlink()


def vocabulary_tokens(site: Path) -> set[str]:
    """Every lookup key the bundle's vocabulary lists."""
    folder = site / BUNDLE_DIR / DATA_DIR / "vocabulary"
    return {line.split("\t")[0] for path in folder.iterdir() for line in gzip.decompress(path.read_bytes()).decode().splitlines()}


def test_an_edited_record_updates_the_kept_token_counts_without_reading_the_others(tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-item edit: the shard's vocabulary comes from the token counts kept with its records, the old
    page of the edited record taken off and its new page added; no other record is read back. A word that
    was only in the edited text leaves the vocabulary, one only added joins it, and after every edit the
    bundle is byte for byte a fresh one."""
    from gongkai.search import build

    read: list[str] = []
    record_tokens = build._record_tokens

    def reading(path: Path) -> list[str]:
        read.append(path.name)
        return record_tokens(path)

    monkeypatch.setattr(build, "_record_tokens", reading)
    cache = tmp_path / "cache"
    docs = [doc(n, text=f"为切实保障群众住房安全。共完成改造{n}户。") for n in range(1, 7)]
    docs[1] = replace(docs[1], text="独有的燃气管道检查。")
    build_index(docs, tmp_path / "first", max_shard_documents=6, cache=cache, text_keys=text_keys(docs))
    assert "燃气" in vocabulary_tokens(tmp_path / "first") and read == []
    edits = [
        replace(docs[1], text="改过的正文，量子通信。"),  # 燃气 gone (no other record has it), 量子 new
        replace(docs[1], text="改过的正文，量子通信。为切实保障群众住房安全。"),  # only tokens others have added
        replace(docs[2], text=docs[2].text + "燃气。"),  # another record: 燃气 back
        replace(docs[2], text="共完成改造"),  # its only tokens gone except those every record has
    ]
    for number, edit in enumerate(edits):
        docs = [edit if d.url == edit.url else d for d in docs]
        read.clear()
        build_index(docs, tmp_path / f"again{number}", max_shard_documents=6, cache=cache, text_keys=text_keys(docs),
                    max_delta_changes=0)
        build_index(docs, tmp_path / f"fresh{number}", max_shard_documents=6)
        assert tree(tmp_path / f"again{number}" / BUNDLE_DIR) == tree(tmp_path / f"fresh{number}" / BUNDLE_DIR), number
        assert read == [str(record_path_of(edit.url))], number  # the edited record's old page only
    final = vocabulary_tokens(tmp_path / "again3")
    assert "量子" in final and "燃气" not in final and "燃*" not in final


@pytest.mark.parametrize("counts", ['"tokens": {"燃气": true}', '"tokens": {"燃气": "1"}', '"tokens": []', ""])
def test_kept_token_counts_of_any_shape_are_not_taken(tmp_path: Path, counts: str) -> None:
    """The counts kept with a shard's records are taken only as a table of positive whole numbers; anything
    else makes the shard's records be written afresh, and the bundle is a fresh one."""
    cache = tmp_path / "cache"
    docs = [doc(n) for n in range(1, 4)]
    build_index(docs, tmp_path / "first", max_shard_documents=3, cache=cache, text_keys=text_keys(docs))
    (manifest,) = (cache / RECORDS).glob("*.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    text = json.dumps({"records": data["records"], "files": data["files"]})
    manifest.write_text(text[:-1] + (f", {counts}" if counts else "") + "}", encoding="utf-8")
    changed = [replace(docs[0], text="改过的正文。"), *docs[1:]]
    build_index(changed, tmp_path / "again", max_shard_documents=3, cache=cache, text_keys=text_keys(changed),
                max_delta_changes=0)  # no delta shard (test_delta.py): the shard is indexed again
    build_index(changed, tmp_path / "fresh", max_shard_documents=3)
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)


def test_unchanged_shards_are_linked_by_a_process_of_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-item rebuild links the files of the shards it takes from the cache outside the indexing
    threads (build_cache.PageLinker): the only links made in this process are those keeping the changed
    shard's new output in the cache. The bundle is a fresh one, its figures those of its files, and the
    cache holds this build's shards only."""
    cache = tmp_path / "cache"
    docs = [doc(n, 2018 + n % 4) for n in range(1, 17)]
    build_index(docs, tmp_path / "first", max_shard_documents=4, cache=cache, text_keys=text_keys(docs))
    before = {path.name for path in cache.iterdir()}
    changed = [replace(docs[0], text="改过的正文。"), *docs[1:]]
    linked: list[str] = []
    link = os.link

    def linking(source: Any, target: Any, **options: Any) -> None:
        linked.append(str(target))
        link(source, target, **options)

    monkeypatch.setattr(os, "link", linking)
    stats = build_index(changed, tmp_path / "again", max_shard_documents=4, cache=cache, text_keys=text_keys(changed),
                        max_delta_changes=0)
    monkeypatch.undo()
    build_index(changed, tmp_path / "fresh", max_shard_documents=4)
    bundle = tmp_path / "again" / BUNDLE_DIR
    assert tree(bundle) == tree(tmp_path / "fresh" / BUNDLE_DIR)
    files = [path for path in bundle.rglob("*") if path.is_file()]
    assert (stats.files, stats.bytes) == (len(files), sum(path.stat().st_size for path in files))
    # Only into the cache, where the changed shard's new output is kept (build._store): never into the bundle.
    assert len({Path(target).relative_to(cache).parts[0] for target in linked}) == 1
    after = {path.name for path in cache.iterdir()}
    assert len(after) == len(before) and len(after - before) == 1  # the changed shard's new output for its old one


def test_the_vocabulary_is_written_while_pagefind_indexes_the_last_shard(tmp_path: Path) -> None:
    """Once every shard's vocabulary is known (the cached ones' read, the changed one's from its token
    counts), the lookup table is written into the staging bundle, while Pagefind indexes the changed shard
    rather than after it (here Pagefind's run waits for it). The bundle is a fresh one."""
    import time

    cache = tmp_path / "cache"
    docs = [doc(n, 2018 + n % 4) for n in range(1, 17)]
    build_index(docs, tmp_path / "first", max_shard_documents=4, cache=cache, text_keys=text_keys(docs))
    changed = [replace(docs[0], text="改过的正文。"), *docs[1:]]
    staging = Staging.make(tmp_path / "again")
    vocabulary = staging.folder / DATA_DIR / "vocabulary"
    seen: list[bool] = []

    def lanes() -> int:  # asked before Pagefind starts on a shard: waits (at most 10 s) for the vocabulary
        deadline = time.monotonic() + 10
        while not vocabulary.is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(vocabulary.is_dir())
        return 1

    build_index(changed, tmp_path / "again", max_shard_documents=4, cache=cache, text_keys=text_keys(changed),
                lanes=lanes, staging=staging, max_delta_changes=0)
    build_index(changed, tmp_path / "fresh", max_shard_documents=4)
    assert seen == [True]
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)


def test_an_old_bundles_files_nothing_keeps_are_removed_while_pagefind_runs(tmp_path: Path) -> None:
    """A rebuild from the bundle of the site it replaces: once the unchanged shards' files are placed (kept
    where they are), the old files of the shard indexed again are removed while Pagefind indexes it, not
    after. The bundle is a fresh one."""
    import time

    cache = tmp_path / "cache"
    docs = [doc(n, 2018 + n % 4) for n in range(1, 17)]
    build_index(docs, tmp_path / "old", max_shard_documents=4, cache=cache, text_keys=text_keys(docs))
    old = _moved(tmp_path / "old" / BUNDLE_DIR, tmp_path / "previous")
    oldest = min(docs, key=sort_key)
    language = json.loads((old / MANIFEST).read_text(encoding="utf-8"))["shards"][-1]["language"]
    stale = [path.relative_to(old) for path in old.rglob(f"*{language}*") if path.is_file()]
    changed = [replace(d, text="改过的正文。") if d == oldest else d for d in docs]
    staging = staging_from(old, tmp_path / "again")
    gone: list[bool] = []

    def lanes() -> int:  # asked before Pagefind starts on the changed shard: waits (at most 10 s) for the removal
        deadline = time.monotonic() + 10
        while any((staging.folder / path).exists() for path in stale) and time.monotonic() < deadline:
            time.sleep(0.01)
        gone.append(not any((staging.folder / path).exists() for path in stale))
        return 1

    build_index(changed, tmp_path / "again", max_shard_documents=4, cache=cache, text_keys=text_keys(changed),
                lanes=lanes, staging=staging, max_delta_changes=0)
    build_index(changed, tmp_path / "fresh", max_shard_documents=4)
    assert stale and gone == [True]
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(tmp_path / "fresh" / BUNDLE_DIR)


def test_a_link_the_linking_process_cannot_make_fails_the_bundle_in_chinese(tmp_path: Path) -> None:
    """A cached shard's file gone before it is linked (removed by hand meanwhile): the bundle is not finished,
    and the error names the file in Chinese; discarding the staging folder removes what was linked."""
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "here.gkz").write_bytes(b"x")
    staging = Staging.make(tmp_path / "site")
    staging.link_all([(str(tmp_path / "cache" / "here.gkz"), os.path.join("gongkai", "doc", "a.gkz"), 1, 1),
                      (str(tmp_path / "cache" / "gone.gkz"), os.path.join("gongkai", "doc", "b.gkz"), 2, 1)],
                     os.stat(tmp_path / "cache").st_dev)
    with pytest.raises(OSError, match=r"沿用上次的搜索索引文件失败：无法写入 .*b\.gkz"):
        staging.finish()
    staging.discard()
    assert not staging.folder.exists()


def test_an_index_given_up_while_pagefind_starts_ends_without_waiting(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The shard's run waits for the vocabulary the indexing thread makes for it while Pagefind starts: should
    that thread give up (an error, Ctrl+C), the run ends too, and the failure is raised, nothing left behind."""
    import threading

    from gongkai.search import build

    def failing(tokens: object) -> set[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "vocabulary_of", failing)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            build_index([doc(n) for n in range(1, 4)], tmp_path / "site", max_shard_documents=3)
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive() and [type(exc) for exc in raised] == [KeyboardInterrupt]
    assert not (tmp_path / "site" / BUNDLE_DIR).exists()
    assert [path.name for path in (tmp_path / "site").iterdir()] == []


def test_a_text_changed_only_where_its_tokens_do_not_see_changes_the_build_id(tmp_path: Path) -> None:
    """A result's file is named by its result id, which hashes its tokens: punctuation, width and case are none of
    them, so an edit of those alone keeps the file's name and changes its bytes. The build id the page adds to its
    address must change with it, or a browser that cached the file keeps showing the old text."""
    docs = [doc(n) for n in range(1, 6)]
    edited = [*docs[:2], replace(docs[2], text=docs[2].text.replace("，", "；").replace("。", "！")), *docs[3:]]
    build_index(docs, tmp_path / "a", max_shard_documents=8)
    build_index(edited, tmp_path / "b", max_shard_documents=8)
    before, after = (tree(tmp_path / site / BUNDLE_DIR) for site in "ab")
    assert sorted(before) == sorted(after)  # the same names
    assert [name for name in before if before[name] != after[name] and f"{DATA_DIR}/doc/" in name] != []
    manifests = [json.loads((tmp_path / site / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8")) for site in "ab"]
    assert manifests[0]["build"] != manifests[1]["build"]
