"""The search bundle's own data files (facets, lists, order, vocabulary, the delta shard's records): JSON with sorted
keys and no spaces, gzipped with no name and no time in the header, so the same data always gives the same bytes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def write_data(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzipped(data))
