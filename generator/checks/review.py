"""Review checks (GK2xx): the two-level 保密审查 of spec §4 — 先审查、后公开，一事一审."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .. import digest
from ..front_matter_schema import DIGEST_PATTERN, label
from ..loading import SourceDocument
from ..model import APPROVE, LEVEL_LABELS, OPINIONS, PUBLIC, REVIEW_LEVELS, Item
from ..problems import Problem
from ..rules import ERROR, REVIEW
from ..values import as_text, parse_date
from .base import CheckContext

CHANGED_MESSAGE = "内容在复核后被修改，需重新审查"

LOCAL = True  # reads only each item's own file

NOT_REVIEWED = REVIEW.rule(
    "GK201", ERROR,
    "缺少初审或复核记录（先审查、后公开）",
    "初审人运行 `gongkai review 文件 --level initial --reviewer 姓名`，再由另一人以 --level final 复核",
)
INCOMPLETE = REVIEW.rule(
    "GK202", ERROR,
    "审查记录缺少审查人、日期或内容摘要，或格式不对",
    "不要手工编辑 review；请审查人用 `gongkai review` 重新签署该级审查",
)
BAD_OPINION = REVIEW.rule(
    "GK203", ERROR,
    "审查意见不是“同意公开”或“不予公开”",
    "用 `gongkai review --opinion 同意公开|不予公开` 重新签署",
)
SAME_REVIEWER = REVIEW.rule(
    "GK204", ERROR,
    "初审与复核是同一人（违反四眼原则）",
    "由另一位审查人用 `gongkai review --level final` 重新复核",
)
DATE_ORDER = REVIEW.rule(
    "GK205", ERROR,
    "审查日期顺序不对：应为 初审日期 ≤ 复核日期 ≤ 发布日期（已撤回的条目：≤ 撤回日期）",
    "核对发布日期；若审查确实晚于发布日期，须推迟发布日期或按实际日期重新审查。"
         "撤回条目时内容有变，须在撤回日期之前（含当天）重新审查",
)
NOT_APPROVED = REVIEW.rule(
    "GK206", ERROR,
    "主动公开的条目没有得到“同意公开”的审查意见",
    "审查不同意公开的，把公开属性改为依申请公开或不予公开；或修改内容后重新送审",
)
CHANGED = REVIEW.rule(
    "GK207", ERROR,
    CHANGED_MESSAGE,
    "请初审人、复核人重新阅读修改后的内容，并依次用 `gongkai review` 重新签署（初审、复核都要）",
)
DIFFERENT_VERSIONS = REVIEW.rule(
    "GK208", ERROR,
    "初审与复核审查的不是同一版本的内容（一事一审）",
    "内容在初审后被改过：请初审人对当前内容重新初审，再由复核人重新复核",
)

_DIGEST = re.compile(DIGEST_PATTERN)


def check(ctx: CheckContext) -> Iterator[Problem]:
    attachments_dir = ctx.project.attachments_dir
    for item, document in ctx.sources():
        yield from _check_item(item, document, attachments_dir)


def _sign_hint(doc: SourceDocument, level: str) -> str:
    return f"`gongkai review {doc.path} --level {level} --reviewer 姓名`"


def _check_item(item: Item, doc: SourceDocument, attachments_dir) -> Iterator[Problem]:
    review = doc.meta.get("review")
    path = doc.path
    if not isinstance(review, dict) or not review:
        yield NOT_REVIEWED.at(path, doc.line_of("review"),
                    f"尚未进行保密审查（review 为空或缺失）：先审查、后公开——请初审人运行 "
                    f"{_sign_hint(doc, 'initial')}，再由另一人复核（--level final）")
        return
    entries: dict[str, dict[str, Any]] = {}
    for level in REVIEW_LEVELS:
        raw = review.get(level)
        if raw is None:
            yield NOT_REVIEWED.at(path, doc.line_of("review"),
                        f"缺少{label('review', level)}：请{LEVEL_LABELS[level]}人运行 {_sign_hint(doc, level)}")
            continue
        if not isinstance(raw, dict):
            yield INCOMPLETE.at(path, doc.line_of("review", level),
                        f"{label('review', level)}格式不对：请{LEVEL_LABELS[level]}人用 {_sign_hint(doc, level)} 重新签署")
            continue
        complete = True
        for key in ("reviewer", "date", "digest"):
            value = raw.get(key)
            if key == "date":
                bad = parse_date(value) is None
            elif key == "digest":
                bad = not isinstance(value, str) or not _DIGEST.match(value)
            else:
                bad = not as_text(value)
            if bad:
                complete = False
                yield INCOMPLETE.at(path, doc.line_of("review", level, key),
                            f"{label('review', level, key)}缺失或格式不对：请勿手工编辑审查记录，"
                            f"请{LEVEL_LABELS[level]}人用 {_sign_hint(doc, level)} 重新签署")
        opinion = as_text(raw.get("opinion"))
        if opinion not in OPINIONS:
            complete = False
            yield BAD_OPINION.at(path, doc.line_of("review", level, "opinion"),
                        f"{label('review', level, 'opinion')}“{opinion}”不是允许的取值：只能是 {'、'.join(OPINIONS)}；"
                        f"请用 {_sign_hint(doc, level)} --opinion 重新签署")
        if complete:
            entries[level] = raw
    initial, final = entries.get("initial"), entries.get("final")
    if initial and final:
        yield from _two_levels(item, doc, initial, final)
    if final:
        yield from _opinion(item, doc, initial, final)
        yield from _digests(item, doc, initial, final, attachments_dir)


def _two_levels(item: Item, doc: SourceDocument, initial: dict, final: dict) -> Iterator[Problem]:
    first, second = as_text(initial["reviewer"]), as_text(final["reviewer"])
    if first == second:
        yield SAME_REVIEWER.at(doc.path, doc.line_of("review", "final", "reviewer"),
                    f"初审与复核都是 {first}：两级审查必须由不同的人进行（四眼原则），请由另一位审查人重新复核")
    start, end = parse_date(initial["date"]), parse_date(final["date"])
    if start and end and start > end:
        yield DATE_ORDER.at(doc.path, doc.line_of("review", "final", "date"),
                    f"复核日期 {end} 早于初审日期 {start}：先初审、后复核，请按实际顺序重新签署")


def _opinion(item: Item, doc: SourceDocument, initial: dict | None, final: dict) -> Iterator[Problem]:
    end = parse_date(final["date"])
    # Withdrawing a published item changes its text (the reason), so it is reviewed again on or
    # before the withdrawal date, necessarily after publication.
    withdrawn = item.withdrawn.date if item.withdrawn and item.withdrawn.date else None
    latest = max(item.published, withdrawn) if item.published and withdrawn else item.published
    if end and latest and end > latest:
        yield DATE_ORDER.at(doc.path, doc.line_of("published"),
                    f"{label('published')} {item.published} 早于复核日期 {end}：先审查、后公开，"
                    "发布日期不能早于复核日期" + ("（撤回的条目可在撤回日期之前重新复核）" if withdrawn else ""))
    if item.disclosure != PUBLIC:
        return
    for level, entry in (("final", final), ("initial", initial)):
        if entry is not None and as_text(entry["opinion"]) != APPROVE:
            yield NOT_APPROVED.at(doc.path, doc.line_of("review", level, "opinion"),
                        f"{label('disclosure')}是主动公开，但{LEVEL_LABELS[level]}意见是“{as_text(entry['opinion'])}”："
                        "不同意公开的信息不能主动公开，请改为依申请公开或不予公开，或修改内容后重新送审")


def _digests(item: Item, doc: SourceDocument, initial: dict | None, final: dict, attachments_dir) -> Iterator[Problem]:
    current = digest.compute(doc.meta, doc.body, attachments_dir)
    if final["digest"] != current:
        yield CHANGED.at(doc.path, doc.line_of("review", "final", "digest"),
                    f"{CHANGED_MESSAGE}：正文、元数据或附件与复核时不一致，请初审人、复核人重新审阅后依次用 "
                    "`gongkai review` 重新签署")
    elif initial is not None and initial["digest"] != final["digest"]:
        yield DIFFERENT_VERSIONS.at(doc.path, doc.line_of("review", "initial", "digest"),
                    "初审时的内容与复核时不同（一事一审，两级审查须针对同一内容）：请初审人对当前内容重新初审，"
                    "再由复核人重新复核")
