"""伪造发稿日期: an item whose 发布日期 is earlier than the day it was first committed (put online).

The commit that first added the item's file dates its arrival (see `audit.history`). An item dated
more than `audit.backdating_tolerance_days` (default 3) before that day claims to have been public
when it was not. Imported content is no evidence; a shallow clone or a missing history is reported,
never passed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..history import DATED, UNKNOWN
from ..model import NOTE, VETO, AuditContext, Finding, Indicator


def _backdated(ctx: AuditContext) -> Iterator[Finding]:
    history = ctx.history
    if history.problem:
        return
    tolerance = ctx.audit_settings.backdating_tolerance_days
    for item in ctx.published():
        added = history.first_added(ctx.project.root / item.path)
        if added is None or added.kind != DATED or item.published is None:
            continue
        early = (added.date - item.published).days
        if early > tolerance:
            yield BACKDATED.finding(
                f"发布日期 {item.published} 比实际上网日期早 {early} 天：首次提交（上网）于 {added.date}"
                f"（提交 {added.commit}），允许的误差为 {tolerance} 天",
                path=item.path, line=_line(ctx, item.path, "published"), url=ctx.item_url(item),
            )


def _uncommitted(ctx: AuditContext) -> Iterator[Finding]:
    history = ctx.history
    if history.problem:
        return
    new = [item.path for item in ctx.published() if history.first_added(ctx.project.root / item.path) is None]
    if new:
        yield UNCOMMITTED.finding(f"{len(new)} 条信息尚未提交到 git：提交后才能核查其发稿日期", details=tuple(new[:50]))


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

