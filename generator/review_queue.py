"""The review queue: every item waiting for a sign-off, with who may sign it and what changed.

An item waits at the lowest level that is missing or whose digest is not the item's digest now:
new items at the first level, items changed since their last sign-off from the first level again,
items part-way through at the next level. Who may sign: the roster's people authorised for that
level and the item's department, with a key valid today, who have not signed a lower level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

from . import digest
from .loading import SourceDocument
from .model import REFUSE, Catalog, Department, Item, ReviewLevel
from .problems import Problem, printable
from .project import Project
from .review_diff import ItemDiff, diff_item, git_history
from .roster import Reviewer, Roster, roster_of
from .values import as_mapping

NEW, CHANGED, NEXT = "新条目", "审查后有修改", "待下一级"


@dataclass
class Waiting:
    item: Item
    level: str  # level key
    level_name: str
    kind: str  # NEW | CHANGED | NEXT
    signers: list[str]
    digest: str  # of the content now, for `gongkai review --digest`
    diff: ItemDiff | None = None  # for CHANGED

    def as_json(self) -> dict:
        return {
            "path": self.item.path, "index_no": self.item.index_no, "title": self.item.title,
            "department": self.item.department.name if self.item.department else "",
            "level": self.level, "level_name": self.level_name, "kind": self.kind, "signers": self.signers,
            "digest": self.digest,
            "changes": self.diff.as_json() if self.diff else None,
        }


@dataclass(frozen=True)
class Pending:
    """Where an item waits: the lowest level not signed on its content as it is now."""

    level: ReviewLevel
    kind: str  # NEW | CHANGED | NEXT
    signed_below: frozenset[str]  # roster idents of the people who signed the levels below on this content
    digest: str  # of the content now: what the next sign-off binds
    refused: bool = False  # an earlier content was signed 不予公开 (not verified: a caution, never a permission)


def pending(document: SourceDocument, catalog: Catalog | None, attachments_dir: Path) -> Pending | None:
    """The level `document` waits for, or None when every level is signed on its current content."""
    roster = roster_of(catalog)
    review = as_mapping(document.meta.get("review"))
    current = digest.compute(document.meta, document.body, attachments_dir, catalog)
    digests = [as_mapping(entry).get("digest") for entry in review.values()]
    kind = NEW if not any(digests) else CHANGED if any(d and d != current for d in digests) else NEXT
    refused = kind == CHANGED and any(as_mapping(entry).get("opinion") == REFUSE and as_mapping(entry).get("digest") != current
                                      for entry in review.values())
    signed_below: set[str] = set()
    for level in roster.levels:
        entry = as_mapping(review.get(level.key))
        if entry and entry.get("digest") == current:
            person = roster.person(str(entry.get("reviewer") or ""))
            if person is not None:
                signed_below.add(person.ident)
            continue
        return Pending(level, kind, frozenset(signed_below), current, refused)
    return None


def may_sign(roster: Roster, waits: Pending, department: Department | None, today: dt.date) -> list[Reviewer]:
    """The roster's people who may sign the level an item waits for, today."""
    level = waits.level
    return [person for person in roster.reviewers
            if person.may_sign(level.key, department, today)
            and person.keys_on(today) and person.ident not in waits.signed_below]


def build_queue(project: Project, today: dt.date, reviewer: str | None = None) -> list[Waiting]:
    """Every waiting item, by level, department and path; only those `reviewer` may sign, when given."""
    catalog = project.catalog
    roster = roster_of(catalog)
    wanted = roster.person(reviewer) if reviewer else None
    with ExitStack() as stack:
        queue = _waiting(project, today, roster, wanted, stack)
    order = {level.key: index for index, level in enumerate(roster.levels)}
    return sorted(queue, key=lambda w: (order[w.level], w.item.department.name if w.item.department else "", w.item.path))


def _waiting(project: Project, today: dt.date, roster: Roster, wanted: Reviewer | None, stack: ExitStack) -> list[Waiting]:
    catalog = project.catalog
    queue = []
    history = None
    for item in project.items:
        document = project.documents.get(item.path)
        if document is None:
            continue
        waits = pending(document, catalog, project.attachments_dir)
        if waits is None:
            continue
        level = waits.level
        signers = may_sign(roster, waits, item.department, today)
        if wanted is not None and wanted.ident not in {person.ident for person in signers}:
            continue
        waiting = Waiting(item, level.key, level.name, waits.kind, [person.name for person in signers], waits.digest)
        if waits.kind == CHANGED:
            if history is None:  # found once, its files' commits listed once, its versions read by one git
                history = stack.enter_context(closing(git_history(project.root, limits=project.limits)))
                history.log_folder(project.content_dir / "items")
            waiting.diff = diff_item(project.root, project.attachments_dir, document, catalog, history)
        queue.append(waiting)
    return queue


def format_text(queue: list[Waiting], reviewer: str | None = None, unread: Sequence[Problem] = ()) -> str:
    note = unread_note(unread)
    if not queue:
        return f"{note}没有{'其他' if note else ''}等待{reviewer or ''}审查的条目。"
    lines: list[str] = []
    group: tuple[str, str] | None = None
    for waiting in queue:
        department = waiting.item.department.name if waiting.item.department else "（部门不明）"
        if (waiting.level_name, department) != group:
            group = (waiting.level_name, department)
            lines.append(f"\n待{printable(waiting.level_name)} · {printable(department)}")
        signers = printable("、".join(waiting.signers)) or "名册中无人可签（请办公室在名册中授权）"
        # An item waiting may be one the check refuses: its title, and names, may act on a terminal.
        lines.append(f"  {printable(waiting.item.path)}  {printable(waiting.item.title)}")
        lines.append(f"    {waiting.kind}；可签署：{signers}；内容摘要 {digest.shown(waiting.digest)}")
        if waiting.diff is not None:
            lines.append(f"    改动：{waiting.diff.summary()}（详情：gongkai diff {printable(waiting.item.path)}）")
    lines.append(f"\n共 {len(queue)} 个条目等待审查。")
    return note + "\n".join(lines).lstrip("\n")


def unread_note(unread: Sequence[Problem]) -> str:
    """The item files that could not be read, each with its first error: they may be waiting too."""
    if not unread:
        return ""
    first: dict[str, Problem] = {}
    for problem in unread:
        first.setdefault(problem.path, problem)
    catalog = [problem for path, problem in first.items() if path.endswith("/catalog.yml")]
    files = [problem for path, problem in first.items() if not path.endswith("/catalog.yml")]
    lines = []
    if catalog:
        lines += ["catalog.yml 有错误，审查人名册无法读取，下面列不出可签署的人（改正后用 gongkai check 确认）："]
        lines += [_unread_line(problem) for problem in catalog]
    if files:
        lines += [f"{len(files)} 个条目文件无法读取，不知是否等待审查（改正后用 gongkai check 确认）："]
        lines += [_unread_line(problem) for problem in files]
    return "\n".join(lines) + "\n\n"


def _unread_line(problem: Problem) -> str:
    return f"  {printable(problem.path)}:{problem.line}: {problem.code} {printable(problem.message)}"
