"""错敏用语 checks (GK46x–GK49x): the lexicon's terms in what readers see — titles, summaries and the
other front-matter text, bodies, attachment text and the authored pages.

Wrong forms (replace) are warnings with the right form; forbidden expressions and leaders named
with a title they did not hold on the item's date are errors. A reviewed exception is listed in the
item's `lexicon_allow`, like `pii_allow`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..front_matter_schema import label
from ..lexicon import Forbidden, Hit, Lexicon, Matcher, Replacement, TitleHit, Visible, load_lexicon, visible
from ..lexicon.entries import FILE_NAME
from ..loading import SourceDocument, read_document
from ..model import PUBLIC, Item
from ..problems import Problem
from ..rules import ERROR, SCHEMA, WARNING, WORDING
from .base import CheckContext, body_position, front_matter_position
from .extract import attached_texts

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
ALLOW_ENTRY = SCHEMA.rule(
    "GK145", ERROR,
    "错敏用语例外条目不完整",
    "每项写成 {match: 允许出现的原文, reason: 经审查认为正确的理由}",
)

_PAGE_ALLOW = "确属正确用法的，在页面元数据的 lexicon_allow 中登记原文并写明理由"
_EXCERPT = 8  # characters shown on either side of a finding


@dataclass
class _Compiled:
    key: bytes
    lexicon: Lexicon
    matcher: Matcher
    problems: list[Problem]


_compiled: dict[str, _Compiled] = {}


def compiled(content_dir: Path, root: Path) -> tuple[Lexicon, Matcher, list[Problem]]:
    """The project's lexicon and its automaton; rebuilt only when content/lexicon.yml changes."""
    file = content_dir / FILE_NAME
    try:
        key = hashlib.sha256(file.read_bytes()).digest()
    except OSError:
        key = b""
    cached = _compiled.get(str(file))
    if cached is None or cached.key != key:
        lexicon, problems = load_lexicon(content_dir, root)
        cached = _compiled[str(file)] = _Compiled(key, lexicon, Matcher(lexicon), problems)
    return cached.lexicon, cached.matcher, cached.problems


@dataclass
class _Allowances:
    """An item's lexicon_allow: visible strings inside which a finding is exempt."""

    matches: list[tuple[int, str]]  # (index in lexicon_allow, the string as readers see it)
    used: set[int] = field(default_factory=set)

    def allows(self, hit: Hit, text: str) -> bool:
        for index, match in self.matches:
            found = text.find(match, max(0, hit.end - len(match)))
            if found != -1 and found <= hit.start:
                self.used.add(index)
                return True
        return False


def _allowances(meta: dict[str, Any]) -> _Allowances:
    entries = meta.get("lexicon_allow")
    matches = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        match = entry.get("match") if isinstance(entry, dict) else None
        if isinstance(match, str) and visible(match.strip()).text:
            matches.append((index, visible(match.strip()).text))
    return _Allowances(matches)


def check(ctx: CheckContext) -> Iterator[Problem]:
    project = ctx.project
    _, matcher, problems = compiled(project.content_dir, project.root)
    agency_lexicon = project.content_dir / FILE_NAME
    if agency_lexicon.exists() or agency_lexicon.is_symlink():
        ctx.files_read.add(project.rel(agency_lexicon))
    yield from problems
    for item, doc in ctx.sources():
        if item.disclosure == PUBLIC:
            yield from _check_item(item, doc, ctx, matcher)
    for page in project.pages:
        yield from _check_page(page.path, project.root / page.path, ctx.today, matcher)


def _excerpt(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _EXCERPT) : start].rsplit("\n", 1)[-1]
    after = text[end : end + _EXCERPT].split("\n", 1)[0]
    return f"{before}{text[start:end]}{after}".strip()


def describe(hit: Hit, text: str) -> str:
    """What is wrong and how to put it right (Chinese), with the words around it."""
    context = _excerpt(text, hit.start, hit.end)
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


def _rule(hit: Hit):
    if isinstance(hit, TitleHit):
        return WRONG_TITLE
    return REPLACE if isinstance(hit.entry, Replacement) else FORBIDDEN


def _scan(text: str, day: dt.date, matcher: Matcher, allowances: _Allowances) -> Iterator[tuple[Hit, Visible]]:
    seen = visible(text)
    for hit in matcher.find(seen.text, day):
        if not allowances.allows(hit, seen.text):
            yield hit, seen


def _check_item(item: Item, doc: SourceDocument, ctx: CheckContext, matcher: Matcher) -> Iterator[Problem]:
    yield from _allow_entries(doc)
    day = item.published or ctx.today
    allowances = _allowances(doc.meta)
    withdrawn = item.withdrawn is not None  # only the title and metadata stay on the site
    if not withdrawn:
        for hit, seen in _scan(item.body, day, matcher, allowances):
            line, col = body_position(item, seen.source_offset(hit.start))
            yield _rule(hit).at(doc.path, line, f"正文{describe(hit, seen.text)}；{_ALLOW}", col)
    strings = ctx.strings(doc)
    joined = visible(strings.joined).text
    if matcher.find(joined, day):
        for path, text in strings.items:
            if withdrawn and path[0] in ("summary", "attachments"):
                continue
            for hit, seen in _scan(text, day, matcher, allowances):
                start, end = seen.source_span(hit.start, hit.end)
                line, col = front_matter_position(doc, path, text[start:end])
                yield _rule(hit).at(doc.path, line, f"{label(*path)}中{describe(hit, seen.text)}；{_ALLOW}", col)
    attached_files = [] if withdrawn else list(attached_texts(doc.meta, ctx.project.attachments_dir))
    for attached in attached_files:
        line = doc.line_of("attachments", attached.index)
        for segment in attached.extraction.segments:
            for hit, seen in _scan(segment.text, day, matcher, allowances):
                where = segment.locate(seen.source_offset(hit.start))
                yield _rule(hit).at(doc.path, line, f"{attached.name}{where}{describe(hit, seen.text)}；"
                                    f"请修改原文件后重新附上；{_ALLOW}")
    if any(attached.extraction.skipped for attached in attached_files):
        return  # an unread attachment may hold what an allowance is for
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
    for index, entry in enumerate(entries):
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


def _check_page(path: str, file: Path, today: dt.date, matcher: Matcher) -> Iterator[Problem]:
    document, _ = read_document(file, path)  # reading problems are reported by the loader
    if document is None:
        return
    allowances = _allowances(document.meta)
    title = document.meta.get("title")
    if isinstance(title, str):
        for hit, seen in _scan(title, today, matcher, allowances):
            yield _rule(hit).at(path, document.line_of("title"), f"页面标题中{describe(hit, seen.text)}；{_PAGE_ALLOW}",
                                document.value_col("title"))
    for hit, seen in _scan(document.body, today, matcher, allowances):
        offset = seen.source_offset(hit.start)
        line_start = document.body.rfind("\n", 0, offset) + 1
        line = document.body_line + document.body.count("\n", 0, offset)
        yield _rule(hit).at(path, line, f"正文{describe(hit, seen.text)}；{_PAGE_ALLOW}", offset - line_start + 1)
