"""`gongkai review`: write one level of the 保密审查 into an item, touching nothing else.

The review block is replaced in place by line range, using the YAML marks; every byte outside it
(line endings, BOM, comments, key order) stays as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import digest
from .loading import parse_document
from .model import LEVEL_LABELS, OPINIONS, REVIEW_LEVELS
from .values import as_mapping, as_text

_PLAIN_SAFE = re.compile(r"^[^\s:#{}\[\],&*!|>'\"%@`?-][^:#{}\[\],]*$")


class ReviewRefused(Exception):
    """The sign-off cannot be written; the message is for the reviewer (Chinese)."""


@dataclass(frozen=True)
class SignOff:
    level: str
    reviewer: str
    date: dt.date
    opinion: str


def _scalar(value: Any) -> str:
    text = "" if value is None else str(value)
    if _PLAIN_SAFE.match(text) and text == text.strip() and text.lower() not in {"null", "true", "false", "yes", "no", "on", "off", "~"}:
        return text
    return json.dumps(text, ensure_ascii=False)


def _entry_line(level: str, entry: dict[str, Any]) -> str:
    order = ["reviewer", "date", "opinion", "digest"]
    keys = order + sorted(k for k in entry if k not in order)
    parts = []
    for key in keys:
        if key not in entry:
            continue
        value = entry[key]
        rendered = json.dumps(value, ensure_ascii=False) if key == "digest" else _scalar(value)
        parts.append(f"{key}: {rendered}")
    return f"  {level}: {{{', '.join(parts)}}}"


def sign(file: Path, sign_off: SignOff, attachments_dir: Path, rel_path: str) -> str:
    """Write the sign-off into `file`; return the digest written. Raises ReviewRefused."""
    if sign_off.level not in REVIEW_LEVELS:
        raise ReviewRefused("--level 只能是 initial（初审）或 final（复核）")
    if sign_off.opinion not in OPINIONS:
        raise ReviewRefused(f"--opinion 只能是 {' 或 '.join(OPINIONS)}")
    reviewer = sign_off.reviewer.strip()
    if not reviewer:
        raise ReviewRefused("--reviewer 不能为空：请填写审查人姓名")
    data = file.read_bytes()
    document, problems = parse_document(data, rel_path)
    if document is None or any(p.is_error for p in problems):
        first = problems[0] if problems else None
        where = f"（第 {first.line} 行：{first.message}）" if first else ""
        raise ReviewRefused(f"文件无法解析，不能写入审查记录{where}；请先修正后再审查")

    review = as_mapping(document.meta.get("review"))
    other_level = "initial" if sign_off.level == "final" else "final"
    other = as_mapping(review.get(other_level))
    if sign_off.level == "final":
        if not as_mapping(review.get("initial")):
            raise ReviewRefused("尚无初审记录：请先由初审人执行 `gongkai review --level initial`，再进行复核")
    if as_text(other.get("reviewer")) == reviewer:
        raise ReviewRefused(
            f"{reviewer} 已是本条目的{LEVEL_LABELS[other_level]}人：初审与复核必须由不同的人进行（四眼原则）"
        )

    signed_digest = digest.compute(document.meta, document.body, attachments_dir)
    entries = {level: dict(as_mapping(review.get(level))) for level in REVIEW_LEVELS if as_mapping(review.get(level))}
    entries[sign_off.level] = {
        "reviewer": reviewer,
        "date": sign_off.date.isoformat(),
        "opinion": sign_off.opinion,
        "digest": signed_digest,
    }
    block = ["review:"] + [_entry_line(level, entries[level]) for level in REVIEW_LEVELS if level in entries]

    text = data.decode("utf-8-sig")
    new_text = _replace_block(text, document, block)
    check, problems = parse_document(((b"\xef\xbb\xbf" if document.has_bom else b"") + new_text.encode("utf-8")), rel_path)
    if check is None or any(p.is_error for p in problems) or {
        k: v for k, v in check.meta.items() if k != "review"
    } != {k: v for k, v in document.meta.items() if k != "review"}:
        raise ReviewRefused("写入审查记录后文件无法正确解析，已放弃写入；请检查 front matter 格式")
    _write_atomically(file, ((b"\xef\xbb\xbf" if document.has_bom else b"") + new_text.encode("utf-8")))
    return signed_digest


def _replace_block(text: str, document, block: list[str]) -> str:
    """Replace the top-level `review:` entry (or append one) by `block`, keeping line endings."""
    lines = text.split("\n")  # a CRLF file keeps its '\r' at each line's end
    eol = "\r" if document.crlf else ""
    top_level = sorted(mark.line for key, mark in document.keys.items() if len(key) == 1)
    if any(document.keys[key].col != 1 for key in document.keys if len(key) == 1):
        raise ReviewRefused("front matter 的格式无法自动写入审查记录：顶层键必须从行首开始（块格式 YAML）")
    closing = document.body_line - 1  # 1-based line of the closing '---'
    rendered = [line + eol for line in block]
    review_mark = document.keys.get(("review",))
    if review_mark is None:
        insert_at = closing - 1  # 0-based index of the closing line
        return "\n".join(lines[:insert_at] + rendered + lines[insert_at:])
    start = review_mark.line  # 1-based
    following = [line for line in top_level if line > start]
    end = (following[0] if following else closing) - 1  # last line of the block, 1-based
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return "\n".join(lines[: start - 1] + rendered + lines[end:])


def _write_atomically(file: Path, data: bytes) -> None:
    mode = file.stat().st_mode
    fd, tmp = tempfile.mkstemp(prefix=".gongkai-", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
