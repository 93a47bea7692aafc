"""The canonical review digest: what a reviewer's signature is bound to.

It covers the body exactly, blank lines before and after it aside (leading indentation is
content: an indented code block must not turn into a live link after review), every front-matter
value except `review` (parsed values, so re-quoting or reordering YAML keeps it), and the bytes of
every attached file; the page renders exactly the body signed (`signed_body`). An item that writes
no `audience` takes its column's from catalog.yml; when that
is not 公众 it is bound too, as if written, so a column opened to the public after review cannot
publish members-only items no reviewer approved for the public (and writing the column's audience
into the item keeps the digest). Text is normalised by the loader (BOM stripped, CRLF → LF), so re-saving a
file unchanged keeps the digest. The loader yields only text, numbers, booleans, null, lists and
mappings with text keys, so the canonical JSON never depends on anything but the content.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from .attachments import hash_file
from .model import AUDIENCE_PUBLIC, Catalog
from .values import as_text

PREFIX = "sha256:"
# A digest as reviewers read and type it: its first 32 hex digits (128 bits). The pin stands between the version a
# reviewer read and the one signed; at 16 digits (64 bits) whoever prepares both versions finds a harmless one and a
# harmful one with the same pin in about 2^32 hashes of variants each (a birthday search: minutes on one GPU).
SHOWN_HEX = 32
_PIN = re.compile(rf"(?:sha256:)?([0-9a-f]{{{SHOWN_HEX},64}})")


def shown(value: str) -> str:
    """`value` as the queue, `gongkai diff` and the preview show it for `gongkai review --digest`."""
    return value[: len(PREFIX) + SHOWN_HEX]


def pinned(expected: str, current: str) -> bool | None:
    """Whether `current` is the digest a reviewer read as `expected` (whole or as shown, with or without
    `sha256:`); None when `expected` is not such a digest."""
    match = _PIN.fullmatch(expected.strip().lower())
    if match is None:
        return None
    return current.startswith(PREFIX + match[1])


def attachment_hash(attachments_dir: Path, relative: str) -> str:
    """sha256 of an attached file, or a marker when it is missing or refused (outside the folder, a
    symbolic link, a device): the attachment resolver decides."""
    return hash_file(attachments_dir, relative)


def attachment_files(meta: dict[str, Any]) -> list[str]:
    """The names of the files the digest hashes: every attachment entry's `file`, however many, as text (`file: 2022`
    names content/attachments/2022). What an item's kept problems are keyed by too (item_cache)."""
    entries = meta.get("attachments")
    if not isinstance(entries, list):
        return []
    return [str(entry.get("file")) for entry in entries if isinstance(entry, dict) and entry.get("file")]


def signed_body(body: str) -> str:
    """The body without the blank lines (spaces and tabs only) before and after it; nothing else removed.
    It is also the Markdown every page and check renders (`site.planning`, `body_views`): a blank line
    the digest leaves out must not change the page either (with the `meta` extension, one blank line
    first turns `Key: value` lines at the top from hidden into shown)."""
    content_end = len(body.rstrip(" \t\n"))
    if not content_end:
        return ""
    first = len(body) - len(body.lstrip(" \t\n"))
    start = body.rfind("\n", 0, first) + 1  # the first non-blank line keeps its indentation
    end = body.find("\n", content_end)  # the last one keeps its trailing spaces
    return body[start : end if end >= 0 else len(body)]


def column_audience(meta: dict[str, Any], catalog: Catalog | None) -> str | None:
    """The audience an item takes from its column when it writes none and that is not 公众, else None."""
    if "audience" in meta or catalog is None:
        return None
    column = catalog.category(as_text(meta.get("category")))
    return column.audience if column is not None and column.audience != AUDIENCE_PUBLIC else None


def compute(meta: dict[str, Any], body: str, attachments_dir: Path, catalog: Catalog | None) -> str:
    signed = {key: value for key, value in meta.items() if key != "review"}
    inherited = column_audience(meta, catalog)
    if inherited is not None:
        signed["audience"] = inherited
    payload = {
        "front_matter": signed,
        "body": signed_body(body),
        "attachments": {name: attachment_hash(attachments_dir, name) for name in attachment_files(meta)},
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
