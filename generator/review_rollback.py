"""`gongkai check --base REF`: an item put back to an older signed version (GK220).

A sign-off is bound to the text it approved, not to a moment, so an earlier version of an item, with
its review block, stays a validly signed file. Restoring it undoes every later review decision — a
withdrawal, 不予公开 or 依申请公开, 党内, a later publication date — without any reviewer. Within one
repository such a restore shows as a sign-off going back in time: the item's last review level is
dated earlier than on the target branch (REF), where reviews only move forward. Items are matched
by 索引号, so moving the file does not hide it. A restore dated the same day as the sign-off it
undoes is not told apart from it here; reviewers see it in the merge request's diff.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .loading import SourceDocument, parse_document
from .problems import Problem
from .roster import Roster
from .rules import ERROR, REVIEW
from .values import as_mapping, as_text, parse_date

ROLLED_BACK = REVIEW.rule(
    "GK220", ERROR,
    "审查记录比目标分支上的旧：条目被换回了较早的已签署版本",
    "审查记录只会向前：若确要恢复旧内容，请审查人重新审阅恢复后的内容，从第一级起用 `gongkai review` 以实际日期重新签署",
)


@dataclass(frozen=True)
class _SignedOff:
    path: str  # project-relative
    level: str  # the last level's key
    date: str  # YYYY-MM-DD


def _last_sign_off(document: SourceDocument, roster: Roster) -> _SignedOff | None:
    level = roster.levels[-1].key
    entry = as_mapping(as_mapping(document.meta.get("review")).get(level))
    day = parse_date(entry.get("date"))
    return _SignedOff(document.path, level, day.isoformat()) if day is not None else None


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def rollbacks(root: Path, items_dir: Path, documents: Iterable[SourceDocument], roster: Roster, ref: str) -> list[Problem]:
    """GK220 for every item whose last sign-off is older than the same 索引号's on `ref` (already verified).
    Only files that differ from `ref` are read there."""
    top_out = _git(root, "rev-parse", "--show-toplevel")
    if top_out is None:
        return []
    top = Path(top_out.decode().strip()).resolve()
    try:
        folder = items_dir.resolve().relative_to(top).as_posix()
        prefix = root.resolve().relative_to(top).as_posix()
    except ValueError:
        return []
    changed = _git(root, "diff", "--name-only", "--no-renames", "-z", ref, "--", folder)
    if changed is None:
        return []
    in_repo = {name for name in changed.decode("utf-8", "surrogateescape").split("\0") if name.endswith(".md")}
    if not in_repo:
        return []
    before: dict[str, _SignedOff] = {}
    for name in sorted(in_repo):
        data = _git(root, "show", f"{ref}:{name}")
        if data is None:  # added since
            continue
        rel = name if prefix == "." else name.removeprefix(prefix + "/")
        old, _ = parse_document(data, rel)
        signed = _last_sign_off(old, roster) if old is not None else None
        index_no = as_text(old.meta.get("index_no")) if old is not None else ""
        if signed is not None and index_no and (index_no not in before or before[index_no].date < signed.date):
            before[index_no] = signed
    problems = []
    for document in documents:
        earlier = before.get(as_text(document.meta.get("index_no")))
        now = _last_sign_off(document, roster)
        if earlier is None or now is None or now.date >= earlier.date:
            continue
        name = roster.level_name(now.level)
        moved = f"，当时的文件是 {earlier.path}" if earlier.path != document.path else ""
        problems.append(ROLLED_BACK.at(
            document.path, document.line_of("review", now.level, "date"),
            f"{name}日期 {now.date} 早于 {ref} 上同一条目（索引号 {as_text(document.meta.get('index_no'))}{moved}）的"
            f"{name}日期 {earlier.date}：审查只会向前，这是把条目换回了较早的已签署版本（连同旧的审查记录），"
            f"会不经审查撤销此后的审查决定（撤回、改为不公开或仅党内、推迟发布等）。若确要恢复旧内容，"
            f"请审查人重新审阅后从{roster.levels[0].name}起用 `gongkai review` 以实际日期重新签署"))
    return problems
