"""Read a built search bundle back as a reader can: every live page's words rebuilt from Pagefind's
postings, what it shows, its facets, its place in the date order, and the vocabulary; checked to
hold nothing else (no file of a page that left, no word the pages do not have).

`searchable(bundle)` is what two bundles must share to give the same results for every query, the
same facet data and the same results shown: a rebuild's bundle with a delta shard is compared to a
full build's through it (their bytes differ: result ids, shard contents, file names)."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

from gongkai.search import pagefind_format
from gongkai.search.build import DATA_DIR, DATA_SUFFIX, MANIFEST
from gongkai.search.tokens import GAP
from gongkai.search.vocabulary import record_keys, vocabulary_of

_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")


def _json(path: Path) -> object:
    return json.loads(gzip.decompress(path.read_bytes()))


def _ranges(text: str) -> set[int]:
    out: set[int] = set()
    for part in text.split(",") if text else []:
        start, _, end = part.partition("-")
        out.update(range(int(start), int(end or start) + 1))
    return out


def live_pages(bundle: Path) -> dict[str, dict]:
    """Every page a query can find, by URL: its words (from the postings), what it shows, its facet
    values, its list entry, its sort key, and the shard it is ordered in (its home: for a page of the
    delta shard, the home its facets name). Raises AssertionError where the bundle holds a file or
    an entry of no live page."""
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    data = bundle / DATA_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    delta = manifest.get("delta")
    languages = [shard["language"] for shard in manifest["shards"]] + ([delta["language"]] if delta else [])
    assert sorted(entry["languages"]) == sorted(languages), (entry["languages"], languages)
    pages: dict[str, dict] = {}
    chunks: set[str] = set()
    metas: set[str] = set()
    ids: set[str] = set()
    for language in languages:
        meta = pagefind_format.read_meta(bundle, language)
        metas.add(pagefind_format.meta_path(bundle, language).name)
        chunks.update(f"{name}.pf_index" for _from, _to, name in meta[2])
        words = pagefind_format.page_tokens(bundle, language)
        facets = _json(data / "facets" / f"{language}{DATA_SUFFIX}")
        listed = _json(data / "list" / f"{language}{DATA_SUFFIX}")
        order = _json(data / "order" / f"{language}{DATA_SUFFIX}")
        assert isinstance(facets, dict) and isinstance(listed, dict) and isinstance(order, list)
        assert sorted(facets["ids"]) == sorted(words) == sorted(listed) == sorted(i for i, _key in order), language
        assert [key for _i, key in order] == sorted(key for _i, key in order)
        keys = dict(order)
        for row, result_id in enumerate(facets["ids"]):
            shown = _json(data / "doc" / f"{result_id}{DATA_SUFFIX}")
            assert isinstance(shown, dict)
            ids.add(result_id)
            url = shown["url"]
            assert url not in pages, f"{url} found twice"
            values = {field: column["values"][column["of"][row]] for field, column in facets.items()
                      if isinstance(column, dict)}
            pages[url] = {
                "words": words[result_id],
                "shown": shown,
                "facets": values,
                "listed": listed[result_id],
                "key": keys[result_id],
                "home": facets["home"][row] if delta and language == delta["language"] else language,
            }
    assert {path.name for path in (bundle / "index").iterdir()} == chunks, "index chunks of no shard"
    assert {path.name for path in bundle.glob("pagefind.*.pf_meta")} == metas
    assert {name.removesuffix(DATA_SUFFIX) for name in os.listdir(data / "doc")} == ids, "result files of no live page"
    _check_vocabulary(bundle, manifest, languages, pages)
    return pages


def _check_vocabulary(bundle: Path, manifest: dict, languages: list[str], pages: dict[str, dict]) -> None:
    """The vocabulary names, for every token and pair of tokens, exactly the shards whose live pages have it."""
    listed: dict[str, set[str]] = {language: set() for language in languages}
    folder = bundle / DATA_DIR / "vocabulary"
    for path in folder.iterdir():
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
            token, shards = line.split("\t")
            for number in _ranges(shards):
                listed[languages[number]].add(token)
    having: dict[str, set[str]] = {language: set() for language in languages}
    for language in languages:
        ids = _json(bundle / DATA_DIR / "facets" / f"{language}{DATA_SUFFIX}")["ids"]  # type: ignore[index]
        words = pagefind_format.page_tokens(bundle, language, gap=GAP)
        for result_id in ids:
            having[language] |= vocabulary_of(record_keys(words[result_id]))
    assert listed == having, {language: sorted(listed[language] ^ having[language])[:10] for language in languages}


def searchable(bundle: Path) -> dict:
    """What a reader gets from the bundle, whatever its shards: see the module's docstring."""
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    return {
        "pages": live_pages(bundle),
        "documents": manifest["documents"],
        "shards": manifest["shards"],
        "facets": {field: [[value, count] for value, count, _shards in values]
                   for field, values in manifest["facets"].items()},
        "shared": {name: (bundle / name).read_bytes() for name in ("pagefind.js", "pagefind-worker.js")},
    }


def page_texts(bundle: Path) -> dict[str, str]:
    """The text of every page of the bundle's Pagefind index, live or not, rebuilt from the postings
    of every chunk file there (a Han bigram gives its first character, other words are kept whole)."""
    found: dict[str, dict[int, str]] = {}  # every chunk file there, whether a meta data file names it or not
    for path in sorted((bundle / "index").glob("*.pf_index")):
        language = path.name.rsplit("_", 1)[0]
        for word, entries, _extra in pagefind_format.chunk_words(path.read_bytes()):
            for page, positions in pagefind_format.page_positions(entries):
                for position in positions:
                    found.setdefault(f"{language}#{page}", {})[position] = word
    return {page: "".join(word[0] if _HAN.match(word) else f" {word} " for _p, word in sorted(words.items()))
            for page, words in found.items()}
