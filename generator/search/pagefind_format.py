"""Read and rewrite a shard's Pagefind index without Pagefind: take pages' postings out of it.

Pagefind's index files are not a public API. This module understands the one Pagefind version it
was written against (`SUPPORTED_VERSION`, named in every pf_meta) and refuses any other
(`FormatError`: the caller indexes the shard with Pagefind instead). The format, as Pagefind
1.5.2 writes it (pagefind/src/index and pagefind/src/output in its source; the wasm reader
pagefind_web decodes the same), every file gzip'd "pagefind_dcd" + CBOR:

- `pagefind.<language>_<hash>.pf_meta`: [version, pages, index chunks, filters, sorts, …], where
  a page is [result id, word count] and an index chunk [from, to, chunk hash]; `from`/`to` may be
  prefixes of its first and last word; a sort is [name, page numbers in order].
- `index/<chunk hash>.pf_index`: [[word entry, …]], sorted by word, a word entry being
  [word, [page entry, …], []] and a page entry [page number minus the previous entry's, positions,
  []], the positions each minus the previous one after a negative weight mark (-25 for weight 24).

`strip_pages` removes the postings of some pages, as if they had never been indexed: every word
entry of theirs loses their page entries (the next entry's page number delta absorbs theirs), a
word left with no page is dropped, and so is a chunk left with no word; a chunk that lost a word
is bounded by its new first and last words. Page numbers stay: a removed page keeps its slot in
the meta data with a neutral id and no words, so no other chunk need be rewritten. Only the
chunks holding a removed page's words are read, and of them only those words' entries are
decoded (found by their CBOR header), so stripping one page of a 500-page shard costs ≈ 0.3 s
of CPU where Pagefind takes ≈ 1 s to index the shard again.
"""

from __future__ import annotations

import bisect
import contextlib
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import cbor2

SUPPORTED_VERSION = "1.5.2"
PREFIX = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
INDEX_DIR = "index"
META_FIELDS = 6  # version, pages, index chunks, filters, sorts, and one more list (empty in gongkai's bundles)
GZIP_LEVEL = 6


class FormatError(Exception):
    """The bundle is not in the format this module understands (another Pagefind version, or a surprise)."""


def _unpacked(data: bytes) -> bytes:
    """A Pagefind file ungzipped, its PREFIX checked (and kept)."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise FormatError(f"not gzip: {exc}") from exc
    if not raw.startswith(PREFIX):
        raise FormatError("no pagefind_dcd prefix")
    return raw


def decode(data: bytes) -> object:
    """A Pagefind file's content: gzip'd PREFIX + CBOR."""
    raw = _unpacked(data)
    try:
        return cbor2.loads(raw[len(PREFIX):])
    except (cbor2.CBORDecodeError, ValueError) as exc:
        raise FormatError(f"not CBOR: {exc}") from exc


def encode(data: object) -> bytes:
    """As Pagefind writes it (minimal CBOR, as minicbor's; no time in the gzip header)."""
    return gzip.compress(PREFIX + cbor2.dumps(data), compresslevel=GZIP_LEVEL, mtime=0)


def meta_path(bundle: Path, language: str) -> Path:
    """The pf_meta file of `language` in a shard's output, named by its pagefind-entry.json."""
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    return bundle / f"pagefind.{entry['languages'][language]['hash']}.pf_meta"


def read_meta(bundle: Path, language: str) -> list:
    """The meta data of `language` in a shard's output, checked against the format understood here."""
    try:
        meta = decode(meta_path(bundle, language).read_bytes())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FormatError(f"no meta data for {language}: {exc}") from exc
    if not isinstance(meta, list) or not meta or meta[0] != SUPPORTED_VERSION:
        version = meta[0] if isinstance(meta, list) and meta else None
        raise FormatError(f"Pagefind {version!r}, not {SUPPORTED_VERSION}")
    if (len(meta) != META_FIELDS or not all(isinstance(part, list) for part in meta[1:])
            or not all(_is_page(page) for page in meta[1]) or not all(_is_chunk(chunk) for chunk in meta[2])
            or meta[3] or meta[5]):
        raise FormatError("unexpected meta data")
    return meta


def _is_page(page: object) -> bool:
    return isinstance(page, list) and len(page) == 2 and isinstance(page[0], str) and type(page[1]) is int


def _is_chunk(chunk: object) -> bool:
    return isinstance(chunk, list) and len(chunk) == 3 and all(isinstance(part, str) for part in chunk)


def _is_page_entry(entry: object) -> bool:
    return isinstance(entry, list) and len(entry) == 3 and type(entry[0]) is int and entry[2] == []


def chunk_words(data: bytes) -> list:
    """The word entries of an index chunk file ([word, [[page delta, positions, []], …], []])."""
    chunk = decode(data)
    if not isinstance(chunk, list) or len(chunk) != 1 or not isinstance(chunk[0], list):
        raise FormatError("unexpected index chunk")
    return chunk[0]


def page_positions(entries: Iterable[list]) -> Iterable[tuple[int, list[int]]]:
    """(page number, positions) of a word entry's page entries."""
    page = 0
    for entry in entries:
        if not _is_page_entry(entry):
            raise FormatError("unexpected page entry")
        page += entry[0]
        position = 0
        positions = []
        for number in entry[1]:
            if number < 0:  # a weight mark
                continue
            position += number
            positions.append(position)
        yield page, positions


def page_tokens(bundle: Path, language: str, gap: str | None = None) -> dict[str, list[str]]:
    """Every page's words in order, rebuilt from the postings alone, by result id: what anyone who
    downloads a shard's index chunks can read back (for tests and audits). `gap`: what stands at a
    position no word has (a word Pagefind counted but stores no entry for); left out where None."""
    meta = read_meta(bundle, language)
    found: dict[int, dict[int, str]] = {}
    for _from, _to, name in meta[2]:
        for word, entries, _extra in chunk_words((bundle / INDEX_DIR / f"{name}.pf_index").read_bytes()):
            for page, positions in page_positions(entries):
                for position in positions:
                    found.setdefault(page, {})[position] = word
    if gap is None:
        return {meta[1][page][0]: [words[n] for n in sorted(words)] for page, words in found.items()}
    return {meta[1][page][0]: [words.get(n, gap) for n in range(max(words) + 1)] for page, words in found.items()}


def strip_pages(source: Path, target: Path, language: str, removed: Mapping[int, Sequence[str]]) -> dict:
    """Write into `target` (a new folder) the Pagefind part of the shard output at `source` without
    the postings of the pages `removed` (page number → the words the page was indexed with, gaps
    left out: its record's tokens): pagefind-entry.json, the pf_meta file and index/, the chunks it
    leaves as they were hard-linked, the others written anew. Returns the new entry data.

    A page's words reach most chunks of its shard, whose rewriting is a rebuild's last wait for its
    search index: from `APART_FROM` chunks on, every other one is rewritten by a process of its own
    (this file run by a bare interpreter) on the other core, the same bytes either way.

    Raises FormatError (and leaves `target` to be discarded) unless the source is in the format
    understood here and every position of every removed page was found and taken out."""
    meta = read_meta(source, language)
    pages, chunks = meta[1], meta[2]
    for page in removed:
        if not 0 <= page < len(pages):
            raise FormatError(f"no page {page}")
    wanted: dict[int, set[str]] = {}  # chunk → the removed pages' words it holds
    starts = [chunk[0] for chunk in chunks]
    for words in removed.values():
        for word in words:
            wanted.setdefault(_chunk_of(word, starts, chunks), set()).add(word)
    left = {page: len(words) for page, words in removed.items()}  # positions still to take out
    target.mkdir(parents=True)
    (target / INDEX_DIR).mkdir()
    rewritten = sorted(wanted)
    apart = set(rewritten[1::2]) if len(rewritten) >= APART_FROM else set()
    helper = _Rewriter(source / INDEX_DIR, target / INDEX_DIR, language,
                       [(number, chunks[number][2], sorted(wanted[number])) for number in sorted(apart)],
                       set(removed)) if apart else None
    done: dict[int, tuple[str, str | None, str | None] | None] = {}
    try:
        for number, (_start, _end, name) in enumerate(chunks):
            path = source / INDEX_DIR / f"{name}.pf_index"
            if number not in wanted:
                os.link(path, target / INDEX_DIR / path.name)
            elif number not in apart:
                done[number] = _rewrite(path, target / INDEX_DIR, language, wanted[number], set(removed), left)
        if helper is not None:
            done |= helper.finish(left)
    finally:
        if helper is not None:
            helper.stop()
    new_chunks = []
    for number, (start, end, name) in enumerate(chunks):
        if number not in wanted:
            new_chunks.append([start, end, name])
        elif (rewrite := done[number]) is not None:  # None: every word was a removed page's
            new_name, first, last = rewrite
            new_chunks.append([start if first is None else first, end if last is None else last, new_name])
    if any(left.values()):
        raise FormatError("positions of removed pages not found")
    new_pages = [[f"{language}_removed{page}", 0] if page in removed else page_data
                 for page, page_data in enumerate(pages)]
    new_meta = encode([meta[0], new_pages, new_chunks, meta[3], meta[4], meta[5]])
    meta_hash = f"{language}_{hashlib.sha256(new_meta).hexdigest()[:21]}"
    (target / f"pagefind.{meta_hash}.pf_meta").write_bytes(new_meta)
    entry = json.loads((source / ENTRY).read_text(encoding="utf-8"))
    entry["languages"][language]["hash"] = meta_hash
    (target / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return entry


# Chunks to rewrite from which a second process takes half of them: starting one costs ≈ 40 ms, a chunk ≈ 3 ms.
APART_FROM = 24


def _rewrite(path: Path, folder: Path, language: str, words: set[str], removed: set[int],
             left: dict[int, int]) -> tuple[str, str | None, str | None] | None:
    """Write the chunk at `path` without the removed pages' entries of `words` into `folder`, named by its content:
    its new name, and its new first and last words where it lost a word; None where no word is left."""
    data = _stripped_chunk(path.read_bytes(), words, removed, left)
    if data is None:
        return None
    content, first, last = data
    new_name = f"{language}_{hashlib.sha256(content).hexdigest()[:16]}"
    (folder / f"{new_name}.pf_index").write_bytes(content)
    return new_name, first, last


class _Rewriter:
    """`_rewrite` of some chunks by this file run as a program (`_rewrite_chunks`), while the caller rewrites the
    others. `finish` takes the positions it took out off `left` and returns what `_rewrite` returned, by chunk."""

    def __init__(self, source: Path, target: Path, language: str, chunks: list[tuple[int, str, list[str]]],
                 removed: set[int]) -> None:
        order = {"source": str(source), "target": str(target), "language": language, "chunks": chunks,
                 "removed": sorted(removed)}
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 — read and closed by `finish` or `stop`
        try:
            self._process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-I", __file__], stdin=subprocess.PIPE, stdout=self._output, stderr=subprocess.DEVNULL)
        except OSError:  # no process to be had: `finish` rewrites them here
            self._process = None
        self._order = order
        if self._process is not None:
            assert self._process.stdin is not None
            with contextlib.suppress(OSError), self._process.stdin:  # gone at once: `finish` says so
                self._process.stdin.write(json.dumps(order).encode("utf-8", "surrogatepass"))

    def finish(self, left: dict[int, int]) -> dict[int, tuple[str, str | None, str | None] | None]:
        if self._process is None:
            return _rewrite_chunks(self._order, left)
        code = self._process.wait()
        self._output.seek(0)
        try:
            answer = json.loads(self._output.read())
            taken, done = answer["taken"], answer["done"]
            if code != 0 or answer.get("error"):
                raise FormatError(f"chunks not rewritten apart: {answer.get('error') or code}")
            for page, count in taken.items():
                left[int(page)] -= count
            return {int(number): tuple(result) if result is not None else None for number, result in done.items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FormatError(f"chunks not rewritten apart ({code}): {exc}") from None

    def stop(self) -> None:
        """End the process (done or not) and drop its output."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._output.close()


def _rewrite_chunks(order: dict, left: dict[int, int]) -> dict[int, tuple[str, str | None, str | None] | None]:
    source, target, removed = Path(order["source"]), Path(order["target"]), set(order["removed"])
    return {number: _rewrite(source / f"{name}.pf_index", target, order["language"], set(words), removed, left)
            for number, name, words in order["chunks"]}


def _chunk_of(word: str, starts: list[str], chunks: list) -> int:
    """The chunk whose range holds `word` (Pagefind's `from`/`to` may be prefixes of their words)."""
    number = bisect.bisect_right(starts, word) - 1
    for candidate in (number, number - 1, number + 1):
        if 0 <= candidate < len(chunks):
            start, end = chunks[candidate][0], chunks[candidate][1]
            if start <= word and word[:len(end)] <= end:
                return candidate
    raise FormatError(f"no chunk for {word!r}")


def _stripped_chunk(data: bytes, words: set[str], removed: set[int],
                    left: dict[int, int]) -> tuple[bytes, str | None, str | None] | None:
    """The chunk file `data` without the removed pages' entries of `words`, and its new first and
    last words where it lost a word (else None, None); None when no word is left. `left` counts
    down the positions taken out per page."""
    raw = _unpacked(data)
    spans: list[tuple[int, int, list | None]] = []
    for word in words:
        start, end, entry = _find_entry(raw, word)
        kept = _without_pages(entry[1], removed, left)
        spans.append((start, end, [word, kept, entry[2]] if kept else None))
    if any(new is None for _start, _end, new in spans):  # a word goes: the chunk is decoded and written whole
        replaced = {new[0]: new for _start, _end, new in spans if new is not None}
        gone = words - set(replaced)
        out = [replaced.get(entry[0], entry) for entry in chunk_words(data) if entry[0] not in gone]
        if not out:
            return None
        return encode([out]), out[0][0], out[-1][0]
    spans.sort(key=lambda span: span[0])
    parts = [raw[:len(PREFIX)]]
    last = len(PREFIX)
    for start, end, new in spans:
        parts.append(raw[last:start])
        parts.append(cbor2.dumps(new))
        last = end
    parts.append(raw[last:])
    return gzip.compress(b"".join(parts), compresslevel=GZIP_LEVEL, mtime=0), None, None


def _find_entry(raw: bytes, word: str) -> tuple[int, int, list]:
    """Where `word`'s entry starts and ends in a chunk's content, and the entry: found by its CBOR
    header (an array of three, then the word) and checked by decoding it."""
    signature = b"\x83" + cbor2.dumps(word)
    start = raw.find(signature, len(PREFIX))
    while start >= 0:
        stream = io.BytesIO(raw)
        stream.seek(start)
        try:
            entry = cbor2.CBORDecoder(stream).decode()
        except (cbor2.CBORDecodeError, ValueError):
            entry = None
        if (isinstance(entry, list) and len(entry) == 3 and entry[0] == word and isinstance(entry[1], list)
                and entry[2] == []):
            return start, stream.tell(), entry
        start = raw.find(signature, start + 1)
    raise FormatError(f"word {word!r} not in its chunk")


def _without_pages(entries: list, removed: set[int], left: dict[int, int]) -> list:
    """A word's page entries without those of `removed` pages (their deltas carried to the next). Only a removed
    page's positions are read (`page_positions`' count, taken off `left`): the others' entries are kept as they
    are, the same objects where no delta is carried to them (a common bigram's word has one for every page)."""
    kept = []
    page = 0
    carried = 0
    for entry in entries:
        if not _is_page_entry(entry):
            raise FormatError("unexpected page entry")
        page += entry[0]
        if page in removed:
            carried += entry[0]
            left[page] -= sum(1 for number in entry[1] if number >= 0)  # a negative number is a weight mark
            continue
        kept.append([entry[0] + carried, entry[1], entry[2]] if carried else entry)
        carried = 0
    return kept


def _main() -> None:
    """As a program (`_Rewriter`): the order on the standard input, the answer on the standard output."""
    order = json.loads(sys.stdin.buffer.read().decode("utf-8", "surrogatepass"))
    left = dict.fromkeys(order["removed"], 0)
    try:
        done = _rewrite_chunks(order, left)
    except (FormatError, OSError) as exc:
        sys.stdout.write(json.dumps({"error": str(exc), "taken": {}, "done": {}}))
        sys.exit(1)
    sys.stdout.write(json.dumps({"taken": {page: -count for page, count in left.items()}, "done": done}))


if __name__ == "__main__":
    _main()
