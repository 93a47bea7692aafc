"""伪造发稿日期: an item whose 发布日期 is earlier than the day it first reached the public (was put online).

The first day a committed version of the item (its file, its 索引号) stood public on the mainline at a day's end
dates its arrival (see `audit.history`): not the day its file was first committed, which may have been months
earlier while it was 不予公开, 党内, scheduled or unsigned. An item whose date on the public site (its 发布日期; a
先党内、后党外 item's public_from) is more than `audit.backdating_tolerance_days` (default 3) before that day claims
to have been public when it was not. Imported content is no evidence; a shallow clone or a missing history is
reported, never passed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Item
from ..history import DATED, UNKNOWN, Added
from ..model import NOTE, VETO, AuditContext, Finding, Indicator


def _backdated(ctx: AuditContext) -> Iterator[Finding]:
    history = ctx.history
    if history.problem:
        return
    tolerance = ctx.audit_settings.backdating_tolerance_days
    for item in ctx.published():
        added = _reached(ctx, item)
        shown = item.public_since
        if added is None or added.kind != DATED or shown is None:
            continue
        early = (added.date - shown).days
        if early > tolerance:
            first = history.first_added(ctx.project.root / item.path)
            how = (f"首次提交（上网）于 {added.date}（提交 {added.commit}）" if first is not None and first.commit == added.commit
                   else f"实际向社会公开（上网）于 {added.date}（提交 {added.commit}），此前提交的版本不公开、未发布、"
                        f"未审签或已撤下" + (f"（文件首次提交于 {first.date}）" if first is not None else ""))
            key = "published" if shown == item.published else "public_from"
            yield BACKDATED.finding(
                f"发布日期 {shown} 比实际上网日期早 {early} 天：{how}，允许的误差为 {tolerance} 天",
                path=item.path, line=_line(ctx, item.path, key), url=ctx.item_url(item),
            )


def _reached(ctx: AuditContext, item: Item) -> Added | None:
    """The first day a committed version of `item` stood public (None: none did, or its file is not committed)."""
    return ctx.history.first_public(ctx.project.root / item.path, item.index_no, item.withdrawn is not None)


def _uncommitted(ctx: AuditContext) -> Iterator[Finding]:
    history = ctx.history
    if history.problem:
        return
    # A file committed whose public version is not (made public, or given its 索引号, in the work tree) counts too.
    new = [item.path for item in ctx.published() if _reached(ctx, item) is None]
    if new:
        yield UNCOMMITTED.finding(f"{len(new)} 条信息尚未提交到 git（或其向社会公开的版本尚未提交）：提交后才能核查其发稿日期",
                                  details=tuple(new[:50]))


def _unverifiable(ctx: AuditContext) -> Iterator[Finding]:
    history = ctx.history
    if history.problem:
        yield UNVERIFIABLE.finding(f"{history.problem}：伪造发稿日期未能核查")
        return
    if not history.shallow:
        return
    unknown = [item.path for item in ctx.published()
               if (added := history.first_added(ctx.project.root / item.path)) is not None and added.kind == UNKNOWN]
    yield UNVERIFIABLE.finding(
        f"当前仓库是浅克隆（shallow clone），最早的提交之前的历史缺失：{len(unknown)} 条信息的上网日期无法核查",
        details=tuple(unknown[:50]) + ((f"……共 {len(unknown)} 条",) if len(unknown) > 50 else ()),
    )


def _line(ctx: AuditContext, path: str, key: str) -> int:
    document = ctx.project.documents.get(path)
    return document.line_of(key) if document is not None else 0


BACKDATED = Indicator(
    "backdated", "伪造发稿日期",
    "存在弄虚作假行为（如伪造发稿日期等），即单项否决", VETO,
    "发布日期应是信息实际上网的日期：改为首次提交的日期（需重新审查）；补录的历史信息，"
    "在 catalog.yml 的 audit.imported_until 写明补录截止日期",
    _backdated, order=40,
)
UNCOMMITTED = Indicator(
    "uncommitted", "尚未提交的信息", "发稿日期以首次提交（上网）的日期核查", NOTE,
    "提交这些信息后再运行 gongkai audit（CI 中的检查总是针对已提交的内容）", _uncommitted, order=91,
)
UNVERIFIABLE = Indicator(
    "history-incomplete", "发稿日期无法核查",
    "伪造发稿日期属单项否决：git 历史不完整时无法核查，须按未通过处理", VETO,
    "在完整的 git 仓库中运行：CI 中 actions/checkout 设 fetch-depth: 0（GitLab 设 GIT_DEPTH: 0），"
    "或先运行 git fetch --unshallow",
    _unverifiable, order=41,
)

