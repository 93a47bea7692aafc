"""A site's lexicon with its automaton, compiled once per content of content/lexicon.yml: the
wording family and the attachment scan share it, and a long-lived process (the audit, tests)
compiles it again only when the file changes.

Reading the lexicon (≈ 5,000 entries of YAML with positions) costs a warm check more than any other
file, so the entries read from these exact bytes are kept in the item cache (`item_cache`: keyed with
this machine's secret, authenticated by its HMAC, JSON); the automaton is built again (milliseconds).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content_files import read_limited
from ..item_cache import ItemCache, dump_problems, load_problems
from ..problems import Problem
from .entries import FILE_NAME, Forbidden, Lexicon, Person, Replacement, Tenure, load_lexicon
from .matching import Matcher


@dataclass(frozen=True)
class CompiledLexicon:
    lexicon: Lexicon
    matcher: Matcher
    problems: tuple[Problem, ...]  # content/lexicon.yml's own


_compiled: dict[str, tuple[bytes, CompiledLexicon]] = {}


def compiled_lexicon(content_dir: Path, root: Path, limit: int, cache: ItemCache | None = None) -> CompiledLexicon:
    """The built-in lexicon merged with the site's content/lexicon.yml (read up to `limit` bytes);
    its entries from `cache` when they were read from the same bytes before."""
    file = content_dir / FILE_NAME
    key = _version(file, limit)
    cached = _compiled.get(str(file))
    if cached is None or cached[0] != key:
        lexicon, problems = _entries(content_dir, root, limit, key, cache)
        cached = _compiled[str(file)] = (key, CompiledLexicon(lexicon, Matcher(lexicon), tuple(problems)))
    return cached[1]


def _version(file: Path, limit: int) -> bytes:
    data, refused = read_limited(file, FILE_NAME, limit)  # its problems are load_lexicon's to report
    return (hashlib.sha256(data).digest() if data is not None else repr(refused).encode()) + limit.to_bytes(8, "big")


def _entries(content_dir: Path, root: Path, limit: int, version: bytes, cache: ItemCache | None) -> tuple[Lexicon, list[Problem]]:
    if cache is None:
        return load_lexicon(content_dir, root, limit)
    key, stored = cache.lookup(b"lexicon", version, str(content_dir).encode("utf-8", "surrogatepass"),
                               str(root).encode("utf-8", "surrogatepass"))
    if stored is not None:
        with contextlib.suppress(ValueError, TypeError, KeyError):
            return _load(json.loads(stored))
    lexicon, problems = load_lexicon(content_dir, root, limit)
    if _version(content_dir / FILE_NAME, limit) == version:  # never kept for bytes it was not read from
        cache.keep(key, json.dumps(_dump(lexicon, problems), ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return lexicon, problems


def _dump(lexicon: Lexicon, problems: list[Problem]) -> dict[str, Any]:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "replacements": [[e.wrong, e.right, e.note, list(e.exceptions), e.origin] for e in lexicon.replacements],
        "forbidden": [[e.text, e.reason, list(e.exceptions), e.origin] for e in lexicon.forbidden],
        "people": [[p.name, [[t.title, day(t.start), day(t.end)] for t in p.titles], p.origin] for p in lexicon.people],
        "titles": list(lexicon.titles),
        "problems": dump_problems(problems),
    }


def _load(stored: dict[str, Any]) -> tuple[Lexicon, list[Problem]]:
    """What `_dump` wrote (authenticated: written by this code for these bytes)."""
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value is not None else None

    lexicon = Lexicon(
        tuple(Replacement(wrong, right, note, tuple(exceptions), origin)
              for wrong, right, note, exceptions, origin in stored["replacements"]),
        tuple(Forbidden(text, reason, tuple(exceptions), origin) for text, reason, exceptions, origin in stored["forbidden"]),
        tuple(Person(name, tuple(Tenure(title, day(start), day(end)) for title, start, end in titles), origin)
              for name, titles, origin in stored["people"]),
        tuple(stored["titles"]),
    )
    return lexicon, load_problems(stored["problems"])
