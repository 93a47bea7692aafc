"""Review checks (GK2xx): the 保密审查 of spec §4 — 先审查、后公开，一事一审，谁审查、谁负责.

The levels come from catalog.yml (two by default: 初审, 复核). Every level must be present and
signed by a different person of the roster who may sign that level for the item's department,
with a key the roster gives them on that date; each signature covers the level below's, so the
order of levels is fixed. The last level decides; 同意公开 above 不予公开 is refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Generator, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import digest
from ..cache_store import cache_folder, code_fingerprint
from ..fields import DIGEST_PATTERN
from ..loading import SourceDocument
from ..model import APPROVE, AUDIENCE_PARTY, AUDIENCE_PUBLIC, OPINIONS, PUBLIC, REFUSE, Catalog, Item
from ..problems import Problem
from ..review_chain import Finding, chained, judge
from ..roster import Reviewer, Roster, roster_of
from ..rules import ERROR, REVIEW, WARNING
from ..signature_cache import VerifiedCache
from ..values import as_text, parse_date, shown
from .base import CheckContext

CHANGED_MESSAGE = "内容在复核后被修改，需重新审查"
ENTRY_KEYS = ("reviewer", "date", "opinion", "digest", "signature")
ENTRY_LABELS = {"reviewer": "审查人", "date": "审查日期", "opinion": "审查意见", "digest": "内容摘要", "signature": "签名"}

LOCAL = True  # reads only each item's own file (and the catalog, which every process loads)

NOT_REVIEWED = REVIEW.rule(
    "GK201", ERROR,
    "缺少某一级审查记录（先审查、后公开）",
    "按级别顺序签署：初审人运行 `gongkai review 文件 --level initial --reviewer 姓名 --key 私钥`，再由另一人签署下一级",
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
    "同一人签署了两级审查（违反四眼原则；按名册中的人比较，姓名写法不同也算同一人）",
    "由名册中另一位有该级权限的审查人重新签署",
)
DATE_ORDER = REVIEW.rule(
    "GK205", ERROR,
    "审查日期顺序不对：应为 成文日期 ≤ 初审日期 ≤ 复核日期 ≤ 发布日期（已撤回的条目：≤ 撤回日期；不公开的条目不与发布日期比较）",
    "核对成文日期和发布日期；若审查确实晚于发布日期，须推迟发布日期或按实际日期重新审查。"
         "撤回条目时内容有变，须在撤回日期之前（含当天）重新审查",
)
SIGNED_AHEAD = REVIEW.rule(
    "GK219", ERROR,
    "审查日期晚于今天：审查记录不能预先签署",
    "审查记录写签署的实际日期：请审查人在当天用 `gongkai review` 重新签署（名册中从以后某天起才有的权限或密钥，到那天才能使用）",
)
NOT_APPROVED = REVIEW.rule(
    "GK206", ERROR,
    "主动公开的条目没有在每一级都得到“同意公开”的审查意见",
    "审查不同意公开的，把公开属性改为依申请公开或不予公开；或修改内容后重新送审",
)
CHANGED = REVIEW.rule(
    "GK207", ERROR,
    CHANGED_MESSAGE,
    "运行 `gongkai diff 文件` 查看复核后改了什么；审查人重新阅读后，依次用 `gongkai review` 重新签署每一级",
)
UNPUBLISHED_CHANGE = REVIEW.rule(
    "GK226", ERROR,
    "内容在复核后被修改，改动后本条目今天不在任何网站上（改为不公开，或推迟了发布日期）",
    "网站照常生成并撤下这一条（改动不会发布），检查仍报错：运行 `gongkai diff 文件` 核对改动，审查人重新阅读后依次用 "
    "`gongkai review` 重新签署；发布日期到来之前未重新签署的，那天的构建会停止",
    # An edit that takes an item off every site (a leak found: 不予公开; postponed) must take effect at once:
    # blocking the build kept the page it takes down on the site until two reviewers had signed again.
    blocks_publishing=False,
    takes_down=True,
)
DIFFERENT_VERSIONS = REVIEW.rule(
    "GK208", ERROR,
    "各级审查的不是同一版本的内容（一事一审）",
    "内容在较低一级审查后被改过：请从该级起对当前内容重新签署，再依次签署以上各级",
)
UNKNOWN_ENTRY = REVIEW.rule(
    "GK209", ERROR,
    "审查记录中有未配置的审查级别或未知的键",
    "review 下只能有 catalog.yml 中 review.levels 的级别，每级只有 reviewer、date、opinion、digest、signature；"
    "请勿手工编辑，用 `gongkai review` 签署",
)
UNKNOWN_REVIEWER = REVIEW.rule(
    "GK210", ERROR,
    "审查人不在审查人名册中",
    "核对姓名；新审查人须先由办公室在 catalog.yml 的 reviewers 中登记，再用 `gongkai review` 签署",
)
LEVEL_NOT_ALLOWED = REVIEW.rule(
    "GK211", ERROR,
    "审查人在签署日期未获授权签署这一级审查",
    "由名册中有该级权限的审查人签署，或由办公室在名册中调整其 levels；权限是后来改变的（调岗、升任），"
    "不要改旧的 levels，改写成带期间的 roles（见编辑手册“权限变化”），此前的审查仍然有效",
)
DEPARTMENT_NOT_ALLOWED = REVIEW.rule(
    "GK212", ERROR,
    "审查人在签署日期未获授权审查该部门的信息（或仅向党员公开的党内信息）",
    "由负责该部门的审查人签署，或由办公室在名册中调整其 departments（权限是后来改变的，改写成带期间的 roles）；"
    "名册中有人写了 party: true 时，党内信息须由他们签署",
)
UNSIGNED = REVIEW.rule(
    "GK213", ERROR,
    "审查记录没有签名",
    "审查人用 `gongkai review 文件 --level 级别 --reviewer 姓名 --key 私钥文件` 重新签署",
)
UNSIGNED_BEFORE_REQUIRED = REVIEW.rule(
    "GK214", WARNING,
    "签名要求生效之前发布的条目，其审查记录没有签名",
    "可保留；如需补签，由原审查人用 `gongkai review --key 私钥文件` 重新签署",
)
BAD_SIGNATURE = REVIEW.rule(
    "GK215", ERROR,
    "审查签名无效（记录、下一级签名或内容在签署后被改动，或签名取自别处）",
    "审查人重新阅读后用 `gongkai review` 重新签署；下一级重新签署后，以上各级都须重新签署",
)
WRONG_KEY = REVIEW.rule(
    "GK216", ERROR,
    "签名所用的密钥不是名册登记给该审查人的",
    "每人只能用自己登记在名册中的密钥签署；请本人用 `gongkai review --key 本人私钥` 重新签署",
)
KEY_NOT_VALID = REVIEW.rule(
    "GK217", ERROR,
    "签名日期不在该密钥的有效期内（from–until）",
    "密钥停用（until）之后不能再用它签署，启用（from）之前的日期也不能用它签署：请用名册中在签署日期有效的本人密钥重新签署",
)
APPROVAL_OVER_REFUSAL = REVIEW.rule(
    "GK218", ERROR,
    "上一级“同意公开”，而下一级意见是“不予公开”",
    "下一级不同意公开时，上一级不能改判为同意公开：修改内容后从初审起重新送审，或上一级也签署“不予公开”",
)

_DIGEST = re.compile(DIGEST_PATTERN)
_parsed_day = lru_cache(maxsize=8192)(parse_date)  # a site's sign-offs share a few thousand dates


def _day(value: Any) -> dt.date | None:
    return _parsed_day(value) if isinstance(value, str) else parse_date(value)


_RULES = {
    "unknown": UNKNOWN_REVIEWER,
    "level": LEVEL_NOT_ALLOWED,
    "department": DEPARTMENT_NOT_ALLOWED,
    "unsigned": UNSIGNED,
    "invalid": BAD_SIGNATURE,
    "key": WRONG_KEY,
    "period": KEY_NOT_VALID,
}


def check(ctx: CheckContext) -> Iterator[Problem]:
    catalog = ctx.project.catalog
    cache = VerifiedCache(cache_folder(ctx.project.root), code_fingerprint())
    attachments_dir = ctx.project.attachments_dir
    for item, document in ctx.sources():
        yield from _check_item(item, document, catalog, attachments_dir, cache, ctx.today)
    cache.save()


def sign_hint(path: str, level: str) -> str:
    return f"`gongkai review {path} --level {level} --reviewer 姓名 --key 私钥文件`"


def _where(roster: Roster, level: str, key: str = "") -> str:
    name = roster.level_name(level) + ENTRY_LABELS.get(key, "")
    return f"{name}（review.{level}{'.' + key if key else ''}）"


def _check_item(item: Item, doc: SourceDocument, catalog: Catalog | None, attachments_dir: Path,
                cache: VerifiedCache, today: dt.date) -> Iterator[Problem]:
    roster = roster_of(catalog)
    review = doc.meta.get("review")
    path = doc.path
    first = roster.levels[0]
    if not isinstance(review, dict) or not review:
        yield NOT_REVIEWED.at(path, doc.line_of("review"),
                              f"尚未进行保密审查（review 为空或缺失）：先审查、后公开——请{first.name}人运行 "
                              f"{sign_hint(path, first.key)}，再依次签署 {' → '.join(level.name for level in roster.levels)}")
        return
    for key in review:
        if key not in roster.level_keys:
            close = difflib.get_close_matches(str(key), list(roster.level_keys), n=1, cutoff=0.6)
            hint = f"是否想写 `{close[0]}`？" if close else f"审查级别只有 {'、'.join(f'{lv.key}（{lv.name}）' for lv in roster.levels)}"
            yield UNKNOWN_ENTRY.at(path, doc.line_of("review", key), f"review 中的 `{key}` 不是 catalog.yml 配置的审查级别：{hint}")
    complete: dict[str, dict[str, Any]] = {}
    for level in roster.levels:
        raw = review.get(level.key)
        if raw is None:
            yield NOT_REVIEWED.at(path, doc.line_of("review"),
                                  f"缺少{level.name}（review.{level.key}）：请{level.name}人运行 {sign_hint(path, level.key)}")
        elif not isinstance(raw, dict):
            yield INCOMPLETE.at(path, doc.line_of("review", level.key),
                                f"{_where(roster, level.key)}格式不对：请{level.name}人用 {sign_hint(path, level.key)} 重新签署")
        else:
            problems = list(_entry_shape(doc, roster, level.key, raw))
            yield from problems
            if not problems:
                complete[level.key] = raw
    people = yield from _signatures(item, doc, catalog, roster, review, complete, cache)
    yield from _same_person(doc, roster, people)
    yield from _dates(item, doc, roster, complete, today)
    yield from _opinions(item, doc, roster, complete)
    last = roster.levels[-1].key
    if last in complete:
        yield from _digests(doc, catalog, roster, complete, attachments_dir, off_every_site(item, today))


def _entry_shape(doc: SourceDocument, roster: Roster, level: str, raw: dict[str, Any]) -> Iterator[Problem]:
    path = doc.path
    name = roster.level_name(level)
    for key in raw:
        if key not in ENTRY_KEYS:
            yield UNKNOWN_ENTRY.at(path, doc.line_of("review", level, key),
                                   f"{_where(roster, level)}中有未知的键 `{key}`：只允许 {'、'.join(ENTRY_KEYS)}")
    for key in ("reviewer", "date", "digest"):
        value = raw.get(key)
        if key == "date":
            bad = _day(value) is None
        elif key == "digest":
            bad = not isinstance(value, str) or not _DIGEST.match(value)
        else:
            bad = not isinstance(value, str) or not value.strip()
        if bad:
            yield INCOMPLETE.at(path, doc.line_of("review", level, key),
                                f"{_where(roster, level, key)}缺失或格式不对：请勿手工编辑审查记录，"
                                f"请{name}人用 {sign_hint(path, level)} 重新签署")
    if "signature" in raw and not isinstance(raw["signature"], str):
        yield INCOMPLETE.at(path, doc.line_of("review", level, "signature"),
                            f"{_where(roster, level, 'signature')}应是 `ssh-keygen -Y sign` 生成的签名文字：请{name}人重新签署")
    opinion = raw.get("opinion")
    if not isinstance(opinion, str) or opinion.strip() not in OPINIONS:
        yield BAD_OPINION.at(path, doc.line_of("review", level, "opinion"),
                             f"{_where(roster, level, 'opinion')}“{shown(as_text(opinion))}”不是允许的取值：只能是 {'、'.join(OPINIONS)}；"
                             f"请用 {sign_hint(path, level)} --opinion 重新签署")


def _signatures(item: Item, doc: SourceDocument, catalog: Catalog | None, roster: Roster, review: dict[str, Any],
                complete: dict[str, dict[str, Any]], cache: VerifiedCache
                ) -> Generator[Problem, None, dict[str, Reviewer]]:
    """Judge each level against the roster, following the chain; returns the people found, by level."""
    people: dict[str, Reviewer] = {}
    if catalog is None:  # catalog.yml itself is broken and says so; nothing to judge against
        return people
    for entry in chained(catalog.org_code, as_text(doc.meta.get("index_no")), roster.levels, review):
        if entry.level.key not in complete:
            continue
        person, findings = judge(roster, item.department, entry.fields, _day(entry.raw.get("date")), entry.signature,
                                 entry.message, cache, item.audience == AUDIENCE_PARTY, item.published)
        if person is not None:
            people[entry.level.key] = person
        for finding in findings:
            yield _problem(doc, entry.level.key, finding)
    return people


def _problem(doc: SourceDocument, level: str, finding: Finding) -> Problem:
    rule = _RULES[finding.kind]
    if finding.kind == "unsigned" and finding.severity_override == WARNING:
        rule = UNSIGNED_BEFORE_REQUIRED
    line_key = {"unknown": "reviewer", "level": "reviewer", "department": "reviewer", "unsigned": ""}.get(finding.kind, "signature")
    line = doc.line_of("review", level, line_key) if line_key else doc.line_of("review", level)
    return rule.at(doc.path, line, finding.message)


def _same_person(doc: SourceDocument, roster: Roster, people: dict[str, Reviewer]) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for level in roster.levels:
        person = people.get(level.key)
        if person is None:
            continue
        if person.ident in seen:
            lower = roster.level_name(seen[person.ident])
            yield SAME_REVIEWER.at(doc.path, doc.line_of("review", level.key, "reviewer"),
                                   f"{lower}与{level.name}都是名册中的 {person.name}（姓名写法不同也按名册算同一人）："
                                   f"各级审查必须由不同的人进行（四眼原则），请由另一位审查人重新签署{level.name}")
        else:
            seen[person.ident] = level.key


def _dates(item: Item, doc: SourceDocument, roster: Roster, complete: dict[str, dict[str, Any]],
           today: dt.date) -> Iterator[Problem]:
    previous: tuple[str, dt.date] | None = None
    for level in roster.levels:
        raw = complete.get(level.key)
        day = _day(raw.get("date")) if raw else None
        if day is None:
            continue
        if day > today:  # a right or a key the roster gives from a later day, used before that day
            yield SIGNED_AHEAD.at(doc.path, doc.line_of("review", level.key, "date"),
                                  f"{level.name}日期 {day} 晚于今天 {today}：审查记录写签署的实际日期，不能预先签署"
                                  f"（名册中从以后某天起才有的权限或密钥，不能提前使用）；请{level.name}人用 "
                                  f"{sign_hint(doc.path, level.key)} 以当天日期重新签署")
        if item.written and day < item.written:  # what was signed that day was not yet the document as written
            yield DATE_ORDER.at(doc.path, doc.line_of("review", level.key, "date"),
                                f"{level.name}日期 {day} 早于成文日期（written） {item.written}：审查的是成文后的文件，"
                                f"不能在成文之前签署；请核对成文日期，或在成文之后按实际日期重新签署{level.name}")
        if previous is not None and day < previous[1]:
            yield DATE_ORDER.at(doc.path, doc.line_of("review", level.key, "date"),
                                f"{level.name}日期 {day} 早于{roster.level_name(previous[0])}日期 {previous[1]}："
                                "下一级签署之后才能签署上一级，请按实际顺序重新签署")
        previous = (level.key, day)
    last = complete.get(roster.levels[-1].key)
    end = _day(last.get("date")) if last else None
    # Withdrawing a published item changes its text (the reason), so it is reviewed again on or
    # before the withdrawal date, necessarily after publication. An item not disclosed is published on no
    # day: its review (a takedown signed years after the page went up) may come at any time.
    withdrawn = item.withdrawn.date if item.withdrawn and item.withdrawn.date else None
    latest = max(item.published, withdrawn) if item.published and withdrawn else item.published
    if end and latest and end > latest and item.disclosure == PUBLIC:
        yield DATE_ORDER.at(doc.path, doc.line_of("published"),
                            f"发布日期（published） {item.published} 早于{roster.levels[-1].name}日期 {end}：先审查、后公开，"
                            f"发布日期不能早于{roster.levels[-1].name}日期"
                            + ("（撤回的条目可在撤回日期之前重新审查）" if withdrawn else ""))


def _opinions(item: Item, doc: SourceDocument, roster: Roster, complete: dict[str, dict[str, Any]]) -> Iterator[Problem]:
    refused_below: str | None = None
    for level in roster.levels:
        raw = complete.get(level.key)
        if raw is None:
            continue
        opinion = as_text(raw.get("opinion"))
        if opinion == APPROVE and refused_below is not None:
            yield APPROVAL_OVER_REFUSAL.at(doc.path, doc.line_of("review", level.key, "opinion"),
                                           f"{roster.level_name(refused_below)}意见是“{REFUSE}”，{level.name}却“{APPROVE}”："
                                           "下一级不同意公开时上一级不能改判；请修改内容后从第一级起重新送审")
        if opinion == REFUSE and refused_below is None:
            refused_below = level.key
        if item.disclosure == PUBLIC and opinion != APPROVE:
            yield NOT_APPROVED.at(doc.path, doc.line_of("review", level.key, "opinion"),
                                  f"公开属性（disclosure）是主动公开，但{level.name}意见是“{opinion}”："
                                  "不同意公开的信息不能主动公开，请改为依申请公开或不予公开，或修改内容后重新送审")


TAKE_DOWN_HINT = ("；在重新审查签署之前网站不会生成，页面留在公众网站上：要立即撤下，请在条目中改为 disclosure: 不予公开"
                  "（网站照常生成并撤下它）")


def _column_changed(doc: SourceDocument, catalog: Catalog | None, attachments_dir: Path, signed: str) -> str:
    """Why the digest changed when only the audience the item takes from its column did (catalog.yml
    changed, not the file, so `gongkai diff` shows nothing); empty otherwise."""
    if "audience" in doc.meta or catalog is None:
        return ""
    column = catalog.category(as_text(doc.meta.get("category")))
    if column is None:
        return ""
    if column.audience != AUDIENCE_PUBLIC:
        was, now = AUDIENCE_PUBLIC, column.audience
        matches = digest.compute(doc.meta, doc.body, attachments_dir, None) == signed
    else:
        was, now = AUDIENCE_PARTY, column.audience
        matches = digest.compute({**doc.meta, "audience": AUDIENCE_PARTY}, doc.body, attachments_dir, None) == signed
    if not matches:
        return ""
    first = catalog.roster.levels[0].name if catalog.roster else "初审"
    what = (f"条目没有写 audience，公开范围取自栏目“{column.name}”，而该栏目在 catalog.yml 中的默认公开范围在审查后由"
            f"“{was}”改成了“{now}”（条目文件本身没有改动，gongkai diff 看不出差别），审查人是按“{was}”审查的")
    if was == AUDIENCE_PARTY:
        return (f"{what}：本条仍应仅向党员公开的，在条目中写 audience: {AUDIENCE_PARTY}（不必重新审查）；"
                f"要向社会公开的，审查人按向社会公开重新审阅后从{first}起依次用 `gongkai review` 重新签署")
    return f"{what}：请审查人按“{now}”重新审阅后从{first}起依次用 `gongkai review` 重新签署{TAKE_DOWN_HINT}"


def _narrowed(doc: SourceDocument, catalog: Catalog | None, attachments_dir: Path, signed: str) -> bool:
    """Whether the only change since the sign-off is an `audience` that takes the item off the public site: an
    editor's way to take a leaked page down, which stops the build (the page stays online) where 不予公开 does not."""
    audience = doc.meta.get("audience")
    if audience is None or audience == AUDIENCE_PUBLIC:
        return False
    without = {key: value for key, value in doc.meta.items() if key != "audience"}
    return any(digest.compute(meta, doc.body, attachments_dir, catalog) == signed
               for meta in (without, {**without, "audience": AUDIENCE_PUBLIC}))


def off_every_site(item: Item, today: dt.date) -> bool:
    """Whether `item` is on no site built today, public or members' (not 主动公开, or dated later)."""
    return item.disclosure != PUBLIC or item.published is None or item.published > today


def _digests(doc: SourceDocument, catalog: Catalog | None, roster: Roster, complete: dict[str, dict[str, Any]],
             attachments_dir: Path, unpublished: bool) -> Iterator[Problem]:
    current = digest.compute(doc.meta, doc.body, attachments_dir, catalog)
    last = roster.levels[-1]
    if complete[last.key]["digest"] != current and unpublished:
        yield UNPUBLISHED_CHANGE.at(doc.path, doc.line_of("review", last.key, "digest"),
                                    f"{CHANGED_MESSAGE}：改动后本条目今天不在任何网站上，网站照常生成并撤下它（改动不会发布）。"
                                    f"运行 `gongkai diff {doc.path}` 核对改动；要公开时，审查人重新审阅后从{roster.levels[0].name}起"
                                    "依次用 `gongkai review` 重新签署")
        return
    if complete[last.key]["digest"] != current:
        column = _column_changed(doc, catalog, attachments_dir, complete[last.key]["digest"])
        if column:
            yield CHANGED.at(doc.path, doc.line_of("review", last.key, "digest"), f"{CHANGED_MESSAGE}：{column}")
            return
        yield CHANGED.at(doc.path, doc.line_of("review", last.key, "digest"),
                         f"{CHANGED_MESSAGE}：正文、元数据或附件与{last.name}时不一致。运行 `gongkai diff {doc.path}` "
                         f"查看改了什么，审查人重新审阅后从{roster.levels[0].name}起依次用 `gongkai review` 重新签署"
                         + (f"。审查后只加了 audience（改为仅向党员公开）{TAKE_DOWN_HINT}"
                            if _narrowed(doc, catalog, attachments_dir, complete[last.key]["digest"]) else ""))
        return
    for level in roster.levels[:-1]:
        raw = complete.get(level.key)
        if raw is not None and raw["digest"] != current:
            yield DIFFERENT_VERSIONS.at(doc.path, doc.line_of("review", level.key, "digest"),
                                        f"{level.name}时的内容与{last.name}时不同（一事一审，各级审查须针对同一内容）："
                                        f"运行 `gongkai diff {doc.path}` 查看差别；请{level.name}人对当前内容重新签署，再依次签署以上各级")
