"""A rebuild's delta shard, with the real Pagefind binary: the cached shards are kept without the documents
that changed, those are indexed into one small shard, and what a reader gets from the bundle (every live
page's words, what it shows, its facets, its place in the order, the vocabulary) is a full build's; no
word of an old copy, a removed or a withdrawn document is left in any file."""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from gongkai.search import BUNDLE_DIR, MANIFEST, SearchDocument, build_index, pagefind_format
from gongkai.search.delta import DELTA_LANGUAGE
from gongkai.search.records import index_tokens
from gongkai.search.shards import WEIGHT_UNIT, plan_shards, weight
from gongkai.search.tokens import GAP
from tests.search.test_build import doc, text_keys, tree
from tests.search.test_search_page import corpus
from tests.search_bundle import page_texts, searchable
from tests.site.test_site_never_published import output_bytes

MAX_SHARD = 8
LEAK = "泄露张三丰"  # a name an agency edits out
UNIQUE = ("张三", "三丰", "丰*")  # LEAK's words no other text has (丰*: the vocabulary's one-character key)
DOCS = [replace(d, text=f"{d.text}\n联系人{LEAK}。") if d.url == "items/2021/00007/" else d for d in corpus()]


def rebuild(docs: list[SearchDocument], cache: Path, site: Path, **options: Any) -> dict:
    """Build `docs` with the cache into `site`; return what the progress said."""
    said: list[str] = []
    build_index(docs, site, max_shard_documents=MAX_SHARD, cache=cache, text_keys=text_keys(docs),
                progress=said.append, **options)
    return {"said": said, "manifest": json.loads((site / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))}


def assert_as_full_build(docs: list[SearchDocument], site: Path, tmp_path: Path, *gone: str) -> None:
    """The bundle gives what a full build of `docs` gives, and no text `gone` is in it."""
    fresh = tmp_path / f"fresh-{site.name}"
    build_index(docs, fresh, max_shard_documents=MAX_SHARD)
    assert searchable(site / BUNDLE_DIR) == searchable(fresh / BUNDLE_DIR)
    texts = "\n".join(page_texts(site / BUNDLE_DIR).values())
    files = "\n".join(data.decode("utf-8", "replace") for data in output_bytes(site).values())
    for text in gone:
        assert text not in texts and text not in files
    if LEAK in gone:  # nor any word of it that no other text has (Pagefind's words, the vocabulary's)
        assert not any(word in files for word in UNIQUE)


def edit(docs: list[SearchDocument], url: str, **fields: Any) -> list[SearchDocument]:
    return [replace(d, **fields) if d.url == url else d for d in docs]


def shard_of(docs: list[SearchDocument], url: str) -> str:
    return next(s.language for s in plan_shards(docs, MAX_SHARD) if any(d.url == url for d in s.documents))


@pytest.mark.parametrize("change", ["word in", "word out", "date across shards", "deleted", "added", "title"])
def test_a_rebuild_with_a_delta_gives_what_a_full_build_gives(tmp_path: Path, change: str) -> None:
    cache = tmp_path / "cache"
    rebuild(DOCS, cache, tmp_path / "first")
    target = "items/2021/00007/"
    old = next(d for d in DOCS if d.url == target)
    gone: tuple[str, ...] = ()
    if change == "word in":
        docs = edit(DOCS, target, text=f"{old.text}\n新增燃气管道巡检。")
    elif change == "word out":
        docs = edit(DOCS, target, text=old.text.replace(LEAK, "某某"))
        gone = (LEAK,)
    elif change == "date across shards":
        docs = edit(DOCS, target, date="2023-12-30", year="2023")
        assert shard_of(docs, target) != shard_of(DOCS, target)
    elif change == "deleted":  # and withdrawn: the caller no longer passes it
        docs = [d for d in DOCS if d.url != target]
        gone = (LEAK,)
    elif change == "added":
        docs = [*DOCS, replace(old, url="items/2021/00200/", index_no=f"{old.index_no}0", text="新增的危房改造验收公告。")]
    else:
        docs = edit(DOCS, target, title="改名后的公示", text=old.text.replace(LEAK, "某某"))
        gone = (LEAK, old.title)
    built = rebuild(docs, cache, tmp_path / "again")
    delta = built["manifest"].get("delta")
    if change != "deleted":  # a deleted document leaves its shard, and adds nothing
        assert delta == {"language": DELTA_LANGUAGE, "number": len(built["manifest"]["shards"]), "documents": 1}
    if [s.language for s in plan_shards(docs, MAX_SHARD)] == [s.language for s in plan_shards(DOCS, MAX_SHARD)]:
        assert not any(line.startswith("搜索索引：第") for line in built["said"])  # no shard indexed again
    assert_as_full_build(docs, tmp_path / "again", tmp_path, *gone)


def test_successive_rebuilds_keep_the_stripped_shards_and_fold_back(tmp_path: Path) -> None:
    """The same item edited again reuses the stripped shard (only the delta is indexed); another item of
    another shard strips that one too; a shard with more changes than the limit is indexed again (folds
    back) and its documents leave the delta; every bundle is a full build's."""
    cache = tmp_path / "cache"
    rebuild(DOCS, cache, tmp_path / "first", max_delta_changes=3)
    docs = edit(DOCS, "items/2021/00007/", text="第一次修改：危房改造补助已发放。")
    built = rebuild(docs, cache, tmp_path / "one", max_delta_changes=3)
    assert built["manifest"]["delta"]["documents"] == 1
    assert_as_full_build(docs, tmp_path / "one", tmp_path, LEAK)
    stored = {path.name for path in cache.iterdir()}

    docs = edit(docs, "items/2021/00007/", text="第二次修改：危房改造补助全部发放。")
    built = rebuild(docs, cache, tmp_path / "two", max_delta_changes=3)
    assert built["manifest"]["delta"]["documents"] == 1
    assert_as_full_build(docs, tmp_path / "two", tmp_path, LEAK, "第一次修改")
    after = {path.name for path in cache.iterdir()}
    assert len(after - stored) == 1 and len(stored - after) == 1  # only the delta's output is new

    other = "items/2023/00004/"
    assert shard_of(docs, other) != shard_of(docs, "items/2021/00007/")
    docs = edit(docs, other, text="另一个分片的修改。")
    built = rebuild(docs, cache, tmp_path / "three", max_delta_changes=3)
    assert built["manifest"]["delta"]["documents"] == 2
    assert_as_full_build(docs, tmp_path / "three", tmp_path, LEAK, "第一次修改")

    language = shard_of(docs, "items/2021/00007/")
    same = [d.url for s in plan_shards(docs, MAX_SHARD) if s.language == language for d in s.documents]
    for url in same[:4]:  # beyond the limit: the shard is indexed again and leaves the delta
        docs = edit(docs, url, text=f"整片修改{url}。")
    built = rebuild(docs, cache, tmp_path / "four", max_delta_changes=3)
    assert built["manifest"]["delta"]["documents"] == 1  # the other shard's item only
    assert sum(line.startswith("搜索索引：第") for line in built["said"]) == 1
    assert_as_full_build(docs, tmp_path / "four", tmp_path, LEAK, "第一次修改")

    docs = edit(docs, other, text=next(d for d in DOCS if d.url == other).text)  # back as it was indexed
    built = rebuild(docs, cache, tmp_path / "five", max_delta_changes=3)
    assert "delta" not in built["manifest"]
    fresh = tmp_path / "fresh-five"
    build_index(docs, fresh, max_shard_documents=MAX_SHARD)
    assert tree(tmp_path / "five" / BUNDLE_DIR) == tree(fresh / BUNDLE_DIR)  # every shard its base: a full build


def test_a_full_build_never_has_a_delta(tmp_path: Path) -> None:
    build_index(DOCS, tmp_path / "a", max_shard_documents=MAX_SHARD)
    docs = edit(DOCS, "items/2021/00007/", text="修改。")
    build_index(docs, tmp_path / "b", max_shard_documents=MAX_SHARD, cache=tmp_path / "cache")  # no text keys
    for site in ("a", "b"):
        assert "delta" not in json.loads((tmp_path / site / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))


def test_a_pagefind_format_not_understood_indexes_the_shard_again(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    rebuild(DOCS, cache, tmp_path / "first")
    monkeypatch.setattr(pagefind_format, "SUPPORTED_VERSION", "0.0.0")
    docs = edit(DOCS, "items/2021/00007/", text="修改。")
    built = rebuild(docs, cache, tmp_path / "again")
    assert "delta" not in built["manifest"]
    assert sum(line.startswith("搜索索引：第") for line in built["said"]) == 1
    fresh = tmp_path / "fresh"
    build_index(docs, fresh, max_shard_documents=MAX_SHARD)
    assert tree(tmp_path / "again" / BUNDLE_DIR) == tree(fresh / BUNDLE_DIR)


def test_the_pagefind_format_is_the_one_understood(tmp_path: Path) -> None:
    """Fails when a Pagefind upgrade changes what pagefind_format reads: the version every pf_meta names,
    the shape of the meta data and chunks, and every page's words read back from the postings, in order."""
    build_index(DOCS, tmp_path, max_shard_documents=MAX_SHARD)
    bundle = tmp_path / BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == pagefind_format.SUPPORTED_VERSION, "Pagefind upgraded: check pagefind_format.py"
    by_url = {d.url: d for d in DOCS}
    read = 0
    for shard in plan_shards(DOCS, MAX_SHARD):
        words = pagefind_format.page_tokens(bundle, shard.language, gap=GAP)
        listed = json.loads(gzip.decompress((bundle / "gongkai" / "list" / f"{shard.language}.gkz").read_bytes()))
        for result_id, (url, *_shown) in listed.items():
            # Position for position, gaps too: the vocabulary's pairs are Pagefind's consecutive positions.
            assert words[result_id] == index_tokens(by_url[url])
            read += 1
    assert read == len(DOCS)


def test_stripping_takes_out_every_posting_of_the_removed_pages_only(tmp_path: Path) -> None:
    build_index(DOCS, tmp_path, max_shard_documents=MAX_SHARD)
    bundle = tmp_path / BUNDLE_DIR
    language = shard_of(DOCS, "items/2021/00007/")
    meta = pagefind_format.read_meta(bundle, language)
    before = pagefind_format.page_tokens(bundle, language)
    leaking = next(n for n, (result_id, _count) in enumerate(meta[1]) if "丰" in "".join(before[result_id]))
    out = tmp_path / "out"
    pagefind_format.strip_pages(bundle, out, language, {leaking: before[meta[1][leaking][0]]})
    for name in ("pagefind.js", "pagefind-worker.js"):
        (out / name).symlink_to(bundle / name)
    after = pagefind_format.page_tokens(out, language)
    assert after == {result_id: words for result_id, words in before.items() if result_id != meta[1][leaking][0]}
    stripped = pagefind_format.read_meta(out, language)
    assert stripped[1][leaking] == [f"{language}_removed{leaking}", 0]
    words = {word for _f, _t, name in stripped[2]
             for word, _entries, _extra in pagefind_format.chunk_words((out / "index" / f"{name}.pf_index").read_bytes())}
    assert "丰" not in "".join(words) and not any("丰" in f"{start}{end}" for start, end, _name in stripped[2])
    with pytest.raises(pagefind_format.FormatError):  # a page's words that are not all there: refused
        pagefind_format.strip_pages(bundle, tmp_path / "again", language, {leaking: [*before[meta[1][leaking][0]], "危房"]})


def test_chunks_rewritten_by_a_second_process_are_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild's strip hands every other chunk to a process of its own: the same files as stripping them all here,
    and a chunk it cannot rewrite refuses the strip as one here would (the shard is then indexed again)."""
    characters = random.Random(7).choices([chr(code) for code in range(0x4E00, 0x4E00 + 3000)], k=6 * 1500)
    docs = [doc(n, 2021, text="".join(characters[n * 1500:(n + 1) * 1500])) for n in range(6)]  # 7 chunks
    build_index(docs, tmp_path, max_shard_documents=MAX_SHARD)
    bundle = tmp_path / BUNDLE_DIR
    language = shard_of(docs, docs[0].url)
    meta = pagefind_format.read_meta(bundle, language)
    before = pagefind_format.page_tokens(bundle, language)
    removed = {page: before[meta[1][page][0]] for page in (0, 2)}
    monkeypatch.setattr(pagefind_format, "APART_FROM", 10**9)
    pagefind_format.strip_pages(bundle, tmp_path / "here", language, removed)

    def not_here(*_args: object) -> None:
        raise AssertionError("the chunks handed to the other process were rewritten here")

    monkeypatch.setattr(pagefind_format, "APART_FROM", 2)
    monkeypatch.setattr(pagefind_format, "_rewrite_chunks", not_here)  # this process's, not the other's
    pagefind_format.strip_pages(bundle, tmp_path / "apart", language, removed)
    assert tree(tmp_path / "apart") == tree(tmp_path / "here")
    assert len(list((tmp_path / "here" / "index").iterdir())) >= 4

    for chunk in (bundle / "index").iterdir():  # only the other process reads a chunk: this one's are taken as done
        chunk.write_bytes(b"not a chunk")
    monkeypatch.setattr(pagefind_format, "_rewrite", lambda *_args: None)
    with pytest.raises(pagefind_format.FormatError, match="apart"):
        pagefind_format.strip_pages(bundle, tmp_path / "broken", language, removed)


def test_a_records_manifest_naming_a_planted_base_is_never_taken(tmp_path: Path) -> None:
    """The cache folder's path is no secret: a records manifest committed or planted there may name an output
    folder of its choosing, files.json and all. Only a manifest this machine sealed names a base, so the
    shard is indexed again and nothing of the planted folder is published."""
    import shutil

    from gongkai.search.build import RECORDS, SHARD_FILES, _identities

    cache = tmp_path / "cache"
    rebuild(DOCS, cache, tmp_path / "first")
    language = shard_of(DOCS, "items/2021/00007/")
    manifest_path = next(cache.rglob(f"{RECORDS}/{language}.json"))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    real = manifest_path.parent.parent / manifest["key"]
    planted = real.with_name("f" * 64)
    shutil.copytree(real, planted)
    (planted / "gongkai" / "doc" / "planted.gkz").write_bytes(gzip.compress(b'{"url": "PLANTED-MARKER"}'))
    (planted / SHARD_FILES).unlink()
    (planted / SHARD_FILES).write_text(json.dumps(_identities(planted, skip=SHARD_FILES)), encoding="utf-8")
    manifest["key"] = planted.name
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    docs = edit(DOCS, "items/2021/00007/", text="修改。")
    built = rebuild(docs, cache, tmp_path / "again")
    assert "delta" not in built["manifest"]
    assert sum(line.startswith("搜索索引：第") for line in built["said"]) == 1
    assert not (tmp_path / "again" / BUNDLE_DIR / "gongkai" / "doc" / "planted.gkz").exists()
    assert_as_full_build(docs, tmp_path / "again", tmp_path, "PLANTED-MARKER")


def test_the_delta_shard_is_bounded_as_any_shard_is(tmp_path: Path) -> None:
    """Each shard may send a few changes to the delta, but Pagefind indexes the delta as one shard: its documents
    weigh no more than a shard may (shards.weight), and a shard whose changes do not fit is indexed again instead.
    Without the bound, 25 changes in each of 20 shards made a delta of 500 documents, of any length."""
    heavy = 2 * WEIGHT_UNIT  # weight 3: two of them fit a delta of weight MAX_SHARD (8), three do not
    shards = plan_shards(DOCS, MAX_SHARD)
    targets = [shard.documents[0].url for shard in shards[0:6:2]]
    docs = [replace(d, size=heavy) if d.url in targets else d for d in DOCS]
    assert len({shard_of(docs, url) for url in targets}) == 3
    cache = tmp_path / "cache"
    rebuild(docs, cache, tmp_path / "first")
    for url in targets:
        docs = edit(docs, url, text=f"修改后的正文{url}。")
    built = rebuild(docs, cache, tmp_path / "again")
    assert built["manifest"]["delta"]["documents"] == 2
    assert sum(line.startswith("搜索索引：第") for line in built["said"]) == 1  # the third shard, indexed again
    assert_as_full_build(docs, tmp_path / "again", tmp_path)
    assert [weight(d) for d in docs if d.url in targets] == [3, 3, 3]
