"""The canonical review digest: what a reviewer's signature is bound to.

It covers the body, every front-matter value except `review` (parsed values, so re-quoting or
reordering YAML keeps it), and the bytes of every attached file. Text is normalised by the loader
(BOM stripped, CRLF → LF), so re-saving a file unchanged keeps the digest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .attachments import hash_file

PREFIX = "sha256:"


def attachment_hash(attachments_dir: Path, relative: str) -> str:
    """sha256 of an attached file, or a marker when it is missing or refused (outside the folder, a
    symbolic link, a device): the attachment resolver decides."""
    return hash_file(attachments_dir, relative)


def _attachment_files(meta: dict[str, Any]) -> list[str]:
    entries = meta.get("attachments")
    if not isinstance(entries, list):
        return []
    return [str(entry.get("file")) for entry in entries if isinstance(entry, dict) and entry.get("file")]


def compute(meta: dict[str, Any], body: str, attachments_dir: Path) -> str:
    signed = {key: value for key, value in meta.items() if key != "review"}
    payload = {
        "front_matter": signed,
        # Blank lines around the body do not change what is published.
        "body": body.strip(),
        "attachments": {name: attachment_hash(attachments_dir, name) for name in _attachment_files(meta)},
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
