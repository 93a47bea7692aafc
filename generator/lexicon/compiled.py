"""A site's lexicon with its automaton, compiled once per content of content/lexicon.yml: the
wording family and the attachment scan share it, and a long-lived process (the audit, tests)
compiles it again only when the file changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..content_files import read_limited
from ..problems import Problem
from .entries import FILE_NAME, Lexicon, load_lexicon
from .matching import Matcher


@dataclass(frozen=True)
class CompiledLexicon:
    lexicon: Lexicon
    matcher: Matcher
    problems: tuple[Problem, ...]  # content/lexicon.yml's own


_compiled: dict[str, tuple[bytes, CompiledLexicon]] = {}


def compiled_lexicon(content_dir: Path, root: Path, limit: int) -> CompiledLexicon:
    """The built-in lexicon merged with the site's content/lexicon.yml (read up to `limit` bytes)."""
    file = content_dir / FILE_NAME
    data, refused = read_limited(file, FILE_NAME, limit)  # its problems are load_lexicon's to report
    key = (hashlib.sha256(data).digest() if data is not None else repr(refused).encode()) + limit.to_bytes(8, "big")
    cached = _compiled.get(str(file))
    if cached is None or cached[0] != key:
        lexicon, problems = load_lexicon(content_dir, root, limit)
        cached = _compiled[str(file)] = (key, CompiledLexicon(lexicon, Matcher(lexicon), tuple(problems)))
    return cached[1]
