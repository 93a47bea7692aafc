"""`gongkai withdraw`: write an item's withdrawal (`withdrawn: {date, reason}`), touching nothing else.

The entry is written in block style with the reason single-quoted (the one YAML quoting with no escapes),
then the file is read back: unless it parses without error and holds exactly the old values plus this
withdrawal, nothing is written. A withdrawal changes what was reviewed, so every level must sign again;
the review block stays as it is (the record of what was approved) until they do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .front_matter_edit import EditRefused, replace_entry
from .invisible import INVISIBLE, describe
from .loading import parse_document
from .model import PUBLIC
from .values import as_text, parse_date
from .writer import READ_ONLY, FileChanged, ReadOnlyFile, not_written, write_whole

MAX_REASON = 500  # characters: a reason is a sentence or two, not a document


class WithdrawRefused(Exception):
    """The withdrawal cannot be written; the message is for the editor (Chinese)."""


@dataclass(frozen=True)
class Withdrawal:
    """What `withdraw` wrote."""

    date: dt.date
    reason: str
    replaced: bool  # an earlier withdrawal was there and is replaced


def withdraw(file: Path, data: bytes, rel: str, reason: str, day: dt.date) -> Withdrawal:
    """Write the withdrawal into `file` (whose bytes are `data`); WithdrawRefused leaves it untouched."""
    reason = _checked_reason(reason)
    document, problems = parse_document(data, rel)
    errors = [p for p in problems if p.is_error]
    if document is None or errors:
        first = errors[0] if errors else (problems[0] if problems else None)
        where = f"（第 {first.line} 行：{first.message}）" if first else ""
        raise WithdrawRefused(f"文件无法解析，不能写入撤回{where}：请先改正")
    meta = document.meta
    disclosure = as_text(meta.get("disclosure"))
    if disclosure != PUBLIC:
        raise WithdrawRefused(f"公开属性是“{disclosure or '未填写'}”：撤回只用于已主动公开的信息，未公开的条目不需要撤回")
    published = parse_date(meta.get("published"))
    if published is None:
        raise WithdrawRefused("发布日期（published）无法读取：请先改正")
    if day < published:
        raise WithdrawRefused(f"撤回日期 {day} 早于发布日期 {published}：请用 --date 写实际的撤回日期")
    block = ["withdrawn:", f"  date: {day.isoformat()}", "  reason: '" + reason.replace("'", "''") + "'"]
    text = data.decode("utf-8-sig")
    try:
        new_text = replace_entry(text, document, "withdrawn", block, before="review")
    except EditRefused as exc:
        raise WithdrawRefused(str(exc)) from None
    encoded = (b"\xef\xbb\xbf" if document.has_bom else b"") + new_text.encode("utf-8")
    written, problems = parse_document(encoded, rel)
    expected = {**{k: v for k, v in meta.items() if k != "withdrawn"}, "withdrawn": {"date": day.isoformat(), "reason": reason}}
    if written is None or any(p.is_error for p in problems) or written.meta != expected or written.body != document.body:
        raise WithdrawRefused("写入撤回后文件无法正确解析，已放弃写入：请检查 front matter 的格式，或手工填写 withdrawn")
    try:
        write_whole(file, encoded, unchanged=data)
    except ReadOnlyFile:
        raise WithdrawRefused(f"{rel} {READ_ONLY}") from None
    except FileChanged:
        raise WithdrawRefused("文件在写入撤回期间被修改（编辑器保存或其他人改动），为不覆盖这些修改，没有写入："
                              "请保存并核对文件后重新执行 gongkai withdraw") from None
    except OSError as exc:  # a full disk, a folder without write permission: the file stays as it was
        raise WithdrawRefused(not_written(exc)) from None
    return Withdrawal(day, reason, replaced="withdrawn" in meta)


def _checked_reason(reason: str) -> str:
    reason = reason.strip(" ")
    if not reason:
        raise WithdrawRefused("--reason 不能为空：请写明撤回原因，例如“名单有误，已重新公示”")
    if len(reason) > MAX_REASON:
        raise WithdrawRefused(f"撤回原因有 {len(reason)} 个字，超过 {MAX_REASON} 字：请写成一两句话，详细说明可另发一条信息")
    for char in reason:
        if char in "\t\n\r" or INVISIBLE.match(char):
            raise WithdrawRefused(f"撤回原因中有看不见的字符 {describe(char)}：撤回原因只能是一行可见的文字，请删除它")
    return reason
