"""Privacy checks (GK3xx): personal numbers in the body, the front matter and inside attachments.

Messages mask the number they found, so CI logs never carry a full 身份证号 either.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..front_matter_schema import label
from ..loading import SourceDocument
from ..model import Item
from ..problems import Problem
from ..rules import ERROR, PRIVACY, WARNING
from . import pii
from .base import CheckContext, body_position, front_matter_position
from .extract import attached_texts

_FIX = "公开前请删除或打码（例如 131122********2042、139****5678）"
_ALLOW = "确属依法可公开的（例如单位对外公布的服务电话），在 pii_allow 中登记原文并写明理由"

LOCAL = True  # reads only each item's own file

ID18 = PRIVACY.rule(
    "GK301", ERROR,
    "发现 18 位身份证号（校验位正确、出生日期真实）",
    f"{_FIX}；{_ALLOW}",
)
ID15 = PRIVACY.rule(
    "GK302", ERROR,
    "发现 15 位旧身份证号（出生日期真实）",
    f"{_FIX}；若其实是别的编号（如旧的工商注册号），{_ALLOW}",
)
MOBILE = PRIVACY.rule(
    "GK303", ERROR,
    "发现手机号码",
    f"{_FIX}；{_ALLOW}",
)
CARD = PRIVACY.rule(
    "GK304", ERROR,
    "发现银行卡号（16–19 位，通过 Luhn 校验）",
    f"{_FIX}；若其实是别的编号，{_ALLOW}",
)
NOT_SCANNED = PRIVACY.rule(
    "GK305", WARNING,
    "附件的文字无法自动读取，未做个人信息扫描（OFD、WPS、DOC、XLS、图片、压缩包、扫描版 PDF 等）",
    "审查人须人工逐页核对该附件有无个人信息；最好同时附上可读取文字的 PDF、DOCX、XLSX 或 CSV 版本",
)
UNUSED_ALLOWANCE = PRIVACY.rule(
    "GK306", WARNING,
    "个人信息例外（pii_allow）没有匹配到任何内容",
    "删除不再需要的例外，或核对 match 是否与原文逐字一致",
)

CODES = {pii.ID18: ID18, pii.ID15: ID15, pii.MOBILE: MOBILE, pii.CARD: CARD}


@dataclass
class _Allowances:
    matches: list[str]
    used: set[str] = field(default_factory=set)

    def allows(self, finding: pii.Finding, text: str) -> bool:
        """Exempt when the finding lies inside an occurrence of an allowed exact string."""
        for match in self.matches:
            found = text.find(match, max(0, finding.end - len(match)))
            if found != -1 and found <= finding.start:
                self.used.add(match)
                return True
        return False


def check(ctx: CheckContext) -> Iterator[Problem]:
    attachments_dir = ctx.project.attachments_dir
    for item, document in ctx.sources():
        yield from _check_item(item, document, ctx, attachments_dir)


def _describe(finding: pii.Finding) -> str:
    return f"{pii.KIND_LABELS[finding.kind]} {finding.masked}"


def _check_item(item: Item, doc: SourceDocument, ctx: CheckContext, attachments_dir) -> Iterator[Problem]:
    allowances = _Allowances([entry.match for entry in item.pii_allow if entry.match])
    for finding in pii.find(item.body, ctx.today):
        if not allowances.allows(finding, item.body):
            line, col = body_position(item, finding.start)
            yield CODES[finding.kind].at(doc.path, line, f"正文中有{_describe(finding)}：{_FIX}；{_ALLOW}", col)
    strings = ctx.strings(doc)
    for path, text in strings.items if next(pii.find(strings.joined, ctx.today), None) else ():
        for finding in pii.find(text, ctx.today):
            if not allowances.allows(finding, text):
                line, col = front_matter_position(doc, path, finding.text)
                yield CODES[finding.kind].at(doc.path, line, f"{label(*path)}中有{_describe(finding)}：{_FIX}；{_ALLOW}", col)
    skipped = False
    for attached in attached_texts(doc.meta, attachments_dir):
        line = doc.line_of("attachments", attached.index)
        if attached.extraction.skipped:
            skipped = True
            yield NOT_SCANNED.at(doc.path, line,
                          f"{attached.name}未做个人信息扫描：{attached.extraction.skipped}；"
                          "审查人须人工逐页核对有无身份证号、手机号、银行卡号，最好另附可读取文字的 PDF、DOCX、XLSX 或 CSV 版本")
            continue
        for segment in attached.extraction.segments:
            for finding in pii.find(segment.text, ctx.today):
                if not allowances.allows(finding, segment.text):
                    yield CODES[finding.kind].at(doc.path, line,
                                f"{attached.name}{segment.locate(finding.start)}有{_describe(finding)}："
                                f"请替换为打码后的文件；{_ALLOW}")
    entries = doc.meta.get("pii_allow")
    if skipped or not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        match = entry.get("match") if isinstance(entry, dict) else None
        if isinstance(match, str) and match.strip() and match.strip() not in allowances.used:
            yield UNUSED_ALLOWANCE.at(doc.path, doc.line_of("pii_allow", index),
                          f"{label('pii_allow', index)}的“{match}”没有匹配到任何个人信息："
                          "请删除这条例外，或核对 match 是否与原文逐字一致")
