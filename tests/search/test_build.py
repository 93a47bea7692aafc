"""build_index with the real Pagefind binary: layout, manifest, determinism, what gets indexed."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from gongkai.search import BUNDLE_DIR, MANIFEST, SearchDocument, build_index
from gongkai.search.records import record_html
from gongkai.search.shards import plan_shards

ORG = "11131122MB1534702N"


def doc(n: int, year: int = 2021, **fields: str) -> SearchDocument:
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


def fragments(site: Path) -> list[dict]:
    return [
        json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))
        for p in sorted((site / BUNDLE_DIR / "fragment").glob("*.pf_fragment"))
    ]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_bundle_layout_and_manifest(tmp_path: Path) -> None:
    docs = [doc(n, 2020 + n % 3) for n in range(1, 13)]
    stats = build_index(docs, tmp_path, max_shard_documents=5)
    bundle = tmp_path / BUNDLE_DIR
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))

    assert (stats.documents, stats.shards) == (12, 3)
    assert stats.bytes == sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    assert [s["language"] for s in manifest["shards"]] == ["zxx-x-s0", "zxx-x-s1", "zxx-x-s2"]
    assert sorted(entry["languages"]) == ["zxx-x-s0", "zxx-x-s1", "zxx-x-s2"]
    assert sum(s["documents"] for s in manifest["shards"]) == 12
    assert [v for v, _, _ in manifest["facets"]["year"]] == ["2022", "2021", "2020"]
    assert {v: n for v, n, _ in manifest["facets"]["category"]} == {"农村危房改造": 4, "保障性住房": 4, "建筑工程质量监督": 4}
    # Only Pagefind's search API ships; its UI bundles do not.
    assert {p.name for p in bundle.iterdir() if p.suffix == ".js"} == {"pagefind.js", "pagefind-worker.js"}
    listed = {}
    for shard in manifest["shards"]:
        listed.update(json.loads((bundle / f"{manifest['lists']}{shard['language']}.json").read_text(encoding="utf-8")))
    assert sorted(url for url, _, _ in listed.values()) == sorted(d.url for d in docs)


def test_shards_are_consecutive_in_newest_first_order() -> None:
    docs = [doc(n, 2015 + n % 7) for n in range(1, 24)]
    shards = plan_shards(docs, max_documents=10)
    assert [len(s.documents) for s in shards] == [7, 8, 8]
    flat = [d for s in shards for d in s.documents]
    assert flat == sorted(docs, key=lambda d: (d.date, d.index_no), reverse=True)
    assert plan_shards([], 10) == []


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
    found = fragments(tmp_path)
    assert sorted(f["url"] for f in found) == ["/items/2021/00001/", "/items/2021/00002/"]
    assert not any("撤回" in json.dumps(f, ensure_ascii=False) for f in found)


def test_a_new_build_replaces_the_old_bundle(tmp_path: Path) -> None:
    build_index([doc(n) for n in range(1, 10)], tmp_path, max_shard_documents=3)
    build_index([doc(1)], tmp_path)
    bundle = tmp_path / BUNDLE_DIR
    assert not any("zxx-x-s1" in p.name for p in bundle.rglob("*"))
    assert [f["url"] for f in fragments(tmp_path)] == ["/items/2021/00001/"]
    assert [p.name for p in tmp_path.iterdir()] == [BUNDLE_DIR]


@pytest.mark.parametrize("url", ["/items/2021/00001/", "../outside/", "items/../../x/", ""])
def test_urls_must_stay_inside_the_site(tmp_path: Path, url: str) -> None:
    with pytest.raises(ValueError):
        build_index([doc(1, url=url)], tmp_path)


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


def test_records_escape_text_and_keep_it_apart_from_tokens() -> None:
    html = record_html(doc(1, title="<script>alert(1)</script>危房"), "zxx-x-s0")
    assert "<script>" not in html and "&lt;script&gt;" in html
    body = html.split("<main data-pagefind-body>")[1].split("</main>")[0]
    assert body.startswith("script alert 1 script 危 危房 房 ¶ 11131122mb1534702n 2021 00001 ¶ x 住 住建 建规 规 2021 1 号 ¶ 为切")
