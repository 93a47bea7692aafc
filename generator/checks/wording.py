"""错敏用语 checks (GK46x–GK49x): the lexicon's terms in what readers see — titles, summaries and the
other front-matter text, bodies (as written and as rendered, like the privacy and secrecy scans:
`checks.published.scan`), attachment text (read once for the three families: `checks.attached`),
the authored pages, and what every page shows: mkdocs.yml's settings, the theme's templates and stylesheets.

Wrong forms (replace) are warnings with the right form; forbidden expressions and leaders named
with a title they did not hold on the item's date are errors. A reviewed exception is listed in the
item's `lexicon_allow`, like `pii_allow`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..fields import label
from ..lexicon import CrowdedHit, Forbidden, Hit, Matcher, Replacement, TitleHit, visible
from ..lexicon.compiled import compiled_lexicon
from ..lexicon.entries import FILE_NAME
from ..lexicon.matching import MAX_MATCHES
from ..loading import SourceDocument
from ..model import PUBLIC, Item
from ..problems import Problem
from ..project import Page
from ..rules import ERROR, SCHEMA, WARNING, WORDING, Rule
from . import attached
from . import published as scanning
from .base import CheckContext
from .privacy import MAX_ALLOWANCES, AllowedAt, many_allowances

LOCAL = True  # reads only each item's own file (and the lexicon)

_ALLOW = "确属正确用法的，经审查后在该条目的 lexicon_allow 中登记原文并写明理由"

REPLACE = WORDING.rule(
    "GK461", WARNING,
    "疑似错别字或不规范表述（错敏词库 replace）",
    f"按提示改为正确写法；{_ALLOW}",
)
FORBIDDEN = WORDING.rule(
    "GK462", ERROR,
    "禁用表述（错敏词库 forbidden）",
    f"按词库写明的理由改写；{_ALLOW}",
)
WRONG_TITLE = WORDING.rule(
    "GK463", ERROR,
    "领导姓名与职务不符：该日期此人不担任这一职务（已离任、尚未任职或从未担任）",
    "核对姓名和职务，改为当时的职务；指过去的职务时写“时任局长张三”或“原局长张三”；词库的任职日期有误时修正 content/lexicon.yml",
)
UNUSED_ALLOWANCE = WORDING.rule(
    "GK464", WARNING,
    "错敏用语例外（lexicon_allow）没有匹配到任何词库发现",
    "删除不再需要的例外，或核对 match 是否与原文逐字一致",
)
CROWDED_WORDS = WORDING.rule(
    "GK465", ERROR,
    f"一段文字中错敏用语词库的词重叠出现超过 {MAX_MATCHES:,} 处，没有检查完",
    "这样的文字不能公开：检查读到这里就停止了，后面的文字没有检查；请删除大段重复的文字，"
    "并检查 content/lexicon.yml 中是否有彼此包含的大量词条",
)
ALLOW_ENTRY = SCHEMA.rule(
    "GK145", ERROR,
    "错敏用语例外条目不完整",
    "每项写成 {match: 允许出现的原文, reason: 经审查认为正确的理由}",
)

_PAGE_ALLOW = "确属正确用法的，在页面元数据的 lexicon_allow 中登记原文并写明理由"
_SHARED_FIX = "请修改该文件：它的文字显示在每个页面上，且不经审查人签署"
_EXCERPT = 8  # characters shown on either side of a finding


@dataclass
class _Allowances:
    """An item's lexicon_allow: visible strings inside which a finding is exempt."""

    matches: list[tuple[int, str]]  # (index in lexicon_allow, the string as readers see it)
    used: set[int] = field(default_factory=set)
    allowed_at: AllowedAt = field(default_factory=AllowedAt)

    def allows(self, hit: Hit, text: str) -> bool:
        if isinstance(hit, CrowdedHit):
            return False  # what was not read cannot be allowed
        for index, match in self.matches:
            if self.allowed_at(text, match, hit.start, hit.end):
                self.used.add(index)
                return True
        return False


def _allowances(meta: dict[str, Any]) -> _Allowances:
    entries = meta.get("lexicon_allow")
    matches = []
    for index, entry in enumerate(entries[:MAX_ALLOWANCES] if isinstance(entries, list) else []):  # more: GK309
        match = entry.get("match") if isinstance(entry, dict) else None
        if isinstance(match, str) and visible(match.strip()).text:
            matches.append((index, visible(match.strip()).text))
    return _Allowances(matches)


def check(ctx: CheckContext) -> Iterator[Problem]:
    project = ctx.project
    lexicon = compiled_lexicon(project.content_dir, project.root, project.limits.item_bytes, ctx.item_cache)
    agency_lexicon = project.content_dir / FILE_NAME
    if agency_lexicon.exists() or agency_lexicon.is_symlink():
        ctx.files_read.add(project.rel(agency_lexicon))
    yield from lexicon.problems
    for item, doc in ctx.sources():
        if item.disclosure == PUBLIC:
            yield from _check_item(item, doc, ctx, lexicon.matcher)
    for page in project.pages:
        yield from _check_page(page, ctx, lexicon.matcher)
    # What the site shows without anyone signing it: the annual reports' texts, the catalog's names (the agency's is on
    # every page), mkdocs.yml's settings and the theme's templates and stylesheets. Each as of the day it speaks of:
    # a report of its year, the rest of today.
    anywhere: dict[dt.date, scanning.Finder] = {}
    for text in [*scanning.report_texts(ctx), *scanning.catalog_texts(ctx), *scanning.site_config_texts(ctx),
                 *scanning.theme_texts(ctx)]:
        day = text.day or ctx.today
        if day not in anywhere:
            anywhere[day] = _finder(lexicon.matcher, day, _Allowances([]))
        yield from _problems(ctx, text, anywhere[day], _SHARED_FIX)


def _excerpt(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _EXCERPT) : start].rsplit("\n", 1)[-1]
    after = text[end : end + _EXCERPT].split("\n", 1)[0]
    return f"{before}{text[start:end]}{after}".strip()


def describe(hit: Hit, text: str) -> str:
    """What is wrong and how to put it right (Chinese), with the words around it."""
    context = _excerpt(text, hit.start, hit.end)
    if isinstance(hit, CrowdedHit):
        return f"“{context}”附近起，词库的词重叠出现超过 {MAX_MATCHES:,} 处，后面的文字没有检查"
    if isinstance(hit, TitleHit):
        person, title = hit.person, hit.title
        if hit.held:
            terms = "、".join(tenure.describe() for tenure in hit.held)
            status = f"在 {hit.day} 不担任“{title}”（任职：{terms}）"
            hint = f"；指过去的职务请写“时任{title}{person.name}”或“原{title}{person.name}”"
        else:
            current = "、".join(tenure.title for tenure in person.titles_on(hit.day)) or "无（词库中）"
            status = f"没有担任过“{title}”（{hit.day} 的职务：{current}）"
            hint = ""
        return f"“{context}”：{person.name}{status}{hint}；请核对姓名和职务（任职记录见 {person.origin}）"
    entry = hit.entry
    if isinstance(entry, Replacement):
        note = f"（{entry.note}）" if entry.note else ""
        return f"“{context}”中的“{text[hit.start:hit.end]}”应为“{entry.right}”{note}"
    assert isinstance(entry, Forbidden)
    return f"“{context}”中有禁用表述“{text[hit.start:hit.end]}”：{entry.reason}"


def _rule(hit: Hit) -> Rule:
    if isinstance(hit, TitleHit):
        return WRONG_TITLE
    if isinstance(hit, CrowdedHit):
        return CROWDED_WORDS
    return REPLACE if isinstance(hit.entry, Replacement) else FORBIDDEN


def _finder(matcher: Matcher, day: dt.date, allowances: _Allowances) -> scanning.Finder:
    """The lexicon as a finder of `checks.published.scan`: findings in a string, at offsets of that string."""
    def finder(text: str) -> Iterator[scanning.Hit]:
        return (scanning.Hit(_rule(hit), seen.source_offset(hit.start), seen.text[hit.start:hit.end], describe(hit, seen.text))
                for seen, hit in matcher.find_seen(text, day) if not allowances.allows(hit, seen.text))
    return finder


def _problems(ctx: CheckContext, text: scanning.Text, finder: scanning.Finder, fix: str) -> Iterator[Problem]:
    joined = "" if text.key is None else "中"  # 正文“…”中的…, 标题（title）中“…”中的…
    return scanning.scan(ctx, text, finder,
                         lambda hit, where: f"{where}{joined}{hit.message}；{CROWDED_WORDS.fix if hit.rule is CROWDED_WORDS else fix}")


def _check_item(item: Item, doc: SourceDocument, ctx: CheckContext, matcher: Matcher) -> Iterator[Problem]:
    yield from _allow_entries(doc)
    yield from many_allowances(doc, "lexicon_allow")
    allowances = _allowances(doc.meta)
    finder = _finder(matcher, item.published or ctx.today, allowances)
    withdrawn = item.withdrawn is not None  # only the title and metadata stay on the site
    hidden = ("summary", "attachments") if withdrawn else ()
    # Most front matters hold no term at all: one look at all of their strings decides.
    in_front_matter = next(matcher.find_seen(ctx.strings(doc).joined, item.published or ctx.today), None) is not None
    crowded = False  # a text past FINDINGS was not read to its end: an allowance may match there
    for text in scanning.item_texts(ctx, item, doc):
        if text.key is None and withdrawn:
            continue
        # a text printed joined (the title bar, a listing's line) may hold a term across its parts
        if text.key is not None and not text.parts and (not in_front_matter or text.key[0] in hidden):
            continue
        for problem in _problems(ctx, text, finder, _ALLOW):
            crowded |= scanning.cut_short(problem)
            yield problem
    attached_files = [] if withdrawn else list(attached.files(ctx, item, doc))
    for file in attached_files:
        line = doc.line_of("attachments", file.index)
        for worded in file.words:
            if not allowances.allows(worded.hit, worded.context):
                yield _rule(worded.hit).at(doc.path, line, f"{file.name}{worded.where}{describe(worded.hit, worded.context)}；"
                                           f"请修改原文件后重新附上；{_ALLOW}")
    if crowded or any(file.scanned.skipped for file in attached_files):
        return  # an unread attachment or the end of a crowded text may hold what an allowance is for
    for index, match in allowances.matches:
        if index not in allowances.used:
            yield UNUSED_ALLOWANCE.at(doc.path, doc.line_of("lexicon_allow", index),
                          f"{label('lexicon_allow', index)}的“{match}”没有匹配到任何错敏用语发现："
                          "请删除这条例外，或核对 match 是否与原文逐字一致")


def _allow_entries(doc: SourceDocument) -> Iterator[Problem]:
    entries = doc.meta.get("lexicon_allow")
    if entries is None:
        return
    shape = "{match: 允许出现的原文, reason: 理由}"
    if not isinstance(entries, list):
        yield ALLOW_ENTRY.at(doc.path, doc.line_of("lexicon_allow"), f"{label('lexicon_allow')}应是列表，每项写成 - {shape}")
        return
    for index, entry in enumerate(entries[:MAX_ALLOWANCES]):  # the rest is GK309
        if not isinstance(entry, dict):
            yield ALLOW_ENTRY.at(doc.path, doc.line_of("lexicon_allow", index), f"{label('lexicon_allow', index)}应写成 {shape}")
            continue
        for key in entry:
            if key not in ("match", "reason"):
                yield ALLOW_ENTRY.at(doc.path, doc.line_of("lexicon_allow", index, key),
                              f"{label('lexicon_allow', index)}中有未知的键 `{key}`：只允许 match、reason")
        for key in ("match", "reason"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                yield ALLOW_ENTRY.at(doc.path, doc.line_of("lexicon_allow", index, key),
                              f"{label('lexicon_allow', index, key)}缺失或为空：每项须写成 {shape}")


def _check_page(page: Page, ctx: CheckContext, matcher: Matcher) -> Iterator[Problem]:
    document = page.document
    if document is None:  # reading problems are reported by the loader
        return
    yield from many_allowances(document, "lexicon_allow")
    finder = _finder(matcher, ctx.today, _allowances(document.meta))
    title = document.meta.get("title")
    if isinstance(title, str):
        text = scanning.Text(page.path, "页面标题", title, document, key=("title",))
        yield from _problems(ctx, text, finder, _PAGE_ALLOW)
        for joined in scanning.title_bar(ctx, page.path, "页面标题", title, document, ("title",)):
            yield from _problems(ctx, joined, finder, _PAGE_ALLOW)
    body = scanning.Text(page.path, "正文", page.body, document, body_line=page.body_line, markdown=True)
    yield from _problems(ctx, body, finder, _PAGE_ALLOW)
