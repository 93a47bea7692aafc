"""Privacy checks (GK3xx): personal numbers in everything the site shows — item bodies as written and
as rendered, front matter, authored pages, the annual-report files, the catalog — and inside every
part of every attachment.

Messages mask the number they found, so CI logs never carry a full 身份证号 either.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from ..fields import label
from ..loading import SourceDocument
from ..model import Item
from ..problems import Problem
from ..rules import ERROR, PRIVACY, WARNING
from . import attached, pii
from .base import CheckContext
from .published import Finder, Hit, Text, cut_short, item_texts, published_texts, report_tables, scan

_FIX = "公开前请删除或打码（例如 131122********2042、139****5678）"
_ALLOW = "确属依法可公开的（例如单位对外公布的服务电话），在 pii_allow 中登记原文并写明理由"

LOCAL = True  # reads only each item's own file

ID18 = PRIVACY.rule(
    "GK301", ERROR,
    "发现 18 位身份证号（校验位正确、出生日期真实）",
    f"{_FIX}；{_ALLOW}",
)
ID18_MISTYPED = PRIVACY.rule(
    "GK310", ERROR,
    "发现校验位不符的 18 位身份证号（同一行前面写着身份证、证件或 ID，地区码、出生日期真实，末位校验位不对：多是抄错一位或编造的示例）",
    f"抄错的身份证号仍暴露持有人的籍贯和出生日期，与真号只差一位：{_FIX}；若其实是别的编号，{_ALLOW}",
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
    "附件或附件的某一部分的文字无法自动读取，未做个人信息和密级扫描（OFD、WPS、DOC、XLS、图片、扫描版 PDF、加密文件等）",
    "审查人须人工逐页核对该附件（或提示的那一部分）有无个人信息和密级标志；最好同时附上可读取文字的 PDF、DOCX、XLSX 或 CSV 版本",
)
UNUSED_ALLOWANCE = PRIVACY.rule(
    "GK306", WARNING,
    "个人信息例外（pii_allow）没有匹配到任何内容",
    "删除不再需要的例外，或核对 match 是否与原文逐字一致",
)
UNREADABLE = PRIVACY.rule(
    "GK307", ERROR,
    "附件无法在时间、内存或解压上限内读完（可能是为耗尽资源而构造的文件，如压缩炸弹），未做任何扫描",
    "核实文件来源：不明来源的文件不得发布；正常文件过大时请拆分，或另存为普通的 PDF、DOCX、XLSX、CSV 后再附上",
)

LOCATED = PRIVACY.rule(
    "GK308", WARNING,
    "附件中的照片带有拍摄地点（GPS 坐标）",
    "照片的位置信息可能暴露当事人的住址或行踪：公开前用图片工具删除位置信息（如 Windows 文件“属性 → 详细信息 → "
    "删除属性和个人信息”）后重新附上；确需公开拍摄地点的，由审查人确认",
)

FORMULA = PRIVACY.rule(
    "GK315", ERROR,
    "附件中的表格有打开时会执行的公式（CSV 中调用函数的单元格，XLSX 中调用其他程序或访问网址的公式）",
    "CSV：删除该单元格开头的“=”“+”“-”“@”（或在它前面加一个单引号 '）；XLSX：把该公式换成它的值（复制后“选择性粘贴 → 值”）。"
    "读者用 Excel、WPS 打开下载的表格时，这样的公式会访问外部网址、把表格内容发给他人或启动其他程序（公式注入）",
)

REMOTE = PRIVACY.rule(
    "GK316", ERROR,
    "附件打开时会从其他地址加载内容（远程模板、外部对象、链接的图片或工作簿、取外部内容的域代码、外部数据连接，"
    "PDF、OFD 自动访问网址、提交表单或打开其他文件的动作）",
    "在 Word、Excel 或 WPS 中断开这些链接（“文件 → 信息 → 编辑指向文件的链接”，模板改为“Normal”，域代码选中后按 Ctrl+Shift+F9 "
    "转为文字，数据连接在“数据 → 查询和连接”中删除），或另存为 PDF 后重新附上（PDF 用“打印为 PDF”重新生成）："
    "读者打开下载的文件时，程序会访问该地址，远程模板和对象能运行程序，指向共享文件夹的链接会把读者的 Windows 登录凭据发给对方",
)

SCRIPT = PRIVACY.rule(
    "GK317", ERROR,
    "附件中有脚本、宏或程序（PDF 的 JavaScript、XFA 表单脚本、三维和多媒体内容及启动程序的动作，Word、Excel、WPS 文件的"
    "宏、Excel 4.0 宏表、ActiveX 控件、DDE 域代码和嵌入的程序，网页和 SVG 图形中的脚本，压缩包中的程序、脚本、快捷方式"
    "和解压时会写到别处的文件）",
    "去掉它们后重新附上：PDF 用“打印为 PDF”或另存为 PDF/A 重新生成，Office 文件另存为不含宏的 DOCX、XLSX 或 PDF，压缩包中"
    "不放程序、脚本、快捷方式和网页，文件名中不用“..”和盘符。公开的文件不需要它们，读者打开、翻页、点击或解压时它们会在"
    "读者的电脑上运行或写入文件",
)

CROWDED = PRIVACY.rule(
    "GK313", ERROR,
    f"附件中查出的个人信息、密级标志或错敏用语超过 {attached.FINDINGS} 处",
    "这样的文件不能原样公开：请换成打码后的文件（身份证号、手机号、银行卡号的中间位用 * 代替），删除密级标志，"
    "改正用语；只列出了前面的问题，改完后再检查",
)

MANY_ALLOWANCES = PRIVACY.rule(
    "GK309", ERROR,
    "个人信息例外（pii_allow）或错敏用语例外（lexicon_allow）超过 100 项",
    "例外只登记确需公开的原文（如公开的服务电话、经审查确属正确的用法）；大量个人信息不应公开，请删去或打码后再发布",
)
# Allowances one list may hold: each finding is looked up in each (5,000 allowances and 900 phone numbers in a 3 MB
# item kept a check busy past 5 minutes). Only the first MAX_ALLOWANCES are used; more is GK309.
MAX_ALLOWANCES = 100


def many_allowances(document: SourceDocument, key: str) -> Iterator[Problem]:
    """GK309 at the first allowance past MAX_ALLOWANCES of `key` (pii_allow, lexicon_allow), if there is one."""
    entries = document.meta.get(key)
    if isinstance(entries, list) and len(entries) > MAX_ALLOWANCES:
        yield MANY_ALLOWANCES.at(document.path, document.line_of(key, MAX_ALLOWANCES),
                                 f"{label(key)}有 {len(entries)} 项，超过上限 {MAX_ALLOWANCES} 项（从这一行起的未使用）："
                                 "例外只登记确需公开的原文；大量个人信息或错敏用语不应公开，请删去、打码或改正后再发布")


class AllowedAt:
    """Whether an occurrence of an allowed string covers a finding, found where one could begin. The occurrence found
    last is kept: the findings inside it cost nothing more (57,000 numbers under one 800 KB allowance each searched it
    again, quadratic), and the one found is the last to begin before the finding, reaching furthest past it."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[str, int]] = {}  # allowed string → (the text, where it occurs there last found)

    def __call__(self, text: str, match: str, start: int, end: int) -> bool:
        last = self._last.get(match)
        if last is not None and last[0] is text and last[1] <= start and end <= last[1] + len(match):
            return True
        found = text.rfind(match, max(0, end - len(match)), start + len(match))
        if found == -1:
            return False
        self._last[match] = (text, found)
        return True


CODES = {pii.ID18: ID18, pii.ID18_MISTYPED: ID18_MISTYPED, pii.ID15: ID15, pii.MOBILE: MOBILE, pii.CARD: CARD}


@dataclass
class _Allowances:
    matches: list[str]
    used: set[str] = field(default_factory=set)
    allowed_at: AllowedAt = field(default_factory=AllowedAt)

    def allows(self, finding: pii.Finding, text: str) -> bool:
        """Exempt when the finding lies inside an occurrence of an allowed exact string."""
        for match in self.matches:
            if self.allowed_at(text, match, finding.start, finding.end):
                self.used.add(match)
                return True
        return False


def check(ctx: CheckContext) -> Iterator[Problem]:
    for item, document in ctx.sources():
        yield from many_allowances(document, "pii_allow")
        allowances = _Allowances([entry.match for entry in item.pii_allow[:MAX_ALLOWANCES] if entry.match])
        finder, across = _finder(ctx.today, allowances), _finder(ctx.today, allowances, _ACROSS)
        crowded = False  # a text past FINDINGS was not read to its end: an allowance may match there
        for text in item_texts(ctx, item, document):
            for problem in _problems(ctx, text, finder, across):
                crowded |= cut_short(problem)
                yield problem
        skipped = yield from _attachments(ctx, item, document, allowances)
        if not skipped and not crowded:
            yield from _unused(document, allowances)
    nobody = _finder(ctx.today, _Allowances([]))
    for text in itertools.chain(published_texts(ctx), report_tables(ctx)):
        yield from _problems(ctx, text, nobody, _finder(ctx.today, _Allowances([]), _ACROSS))
    for picture in attached.theme_pictures(ctx):
        yield from _theme_picture(picture)


def _finder(today: dt.date, allowances: _Allowances, kinds: frozenset[str] = frozenset(CODES)) -> Finder:
    def finder(text: str) -> Iterator[Hit]:
        return (Hit(CODES[found.kind], found.start, found.number, _describe(found))
                for found in pii.find(text, today) if found.kind in kinds and not allowances.allows(found, text))
    return finder


# Across table cells and list items only the 18-digit 身份证号: its check character and birth date tell it from a row
# of figures, where a mobile or a card number would be read in any three columns of counts.
_ACROSS = frozenset((pii.ID18,))


def _describe(finding: pii.Finding) -> str:
    return f"{pii.KIND_LABELS[finding.kind]} {finding.masked}"


def _problems(ctx: CheckContext, text: Text, finder: Finder, across: Finder) -> Iterator[Problem]:
    return scan(ctx, text, finder, lambda hit, where: f"{where}中有{hit.message}：{_FIX}；{_ALLOW}", across)


def _attachments(ctx: CheckContext, item: Item, doc: SourceDocument, allowances: _Allowances) -> Generator[Problem, None, bool]:
    """The attachments' problems; returns whether some part went unread (allowances may match there)."""
    skipped = False
    for file in attached.files(ctx, item, doc):
        line = doc.line_of("attachments", file.index)
        scanned = file.scanned
        if scanned.failure:
            skipped = True
            yield UNREADABLE.at(doc.path, line, f"{file.name}{scanned.failure}，未做任何扫描：{UNREADABLE.fix}")
            continue
        for picture in scanned.located:
            part = f"中的{picture.rstrip('：')}" if picture else ""
            yield LOCATED.at(doc.path, line, f"{file.name}{part}带有拍摄地点（GPS 坐标）：{LOCATED.fix}")
        for script in scanned.scripts:
            yield SCRIPT.at(doc.path, line, f"{file.name}中有{script}：{SCRIPT.fix}")
        for remote in scanned.remote:
            yield REMOTE.at(doc.path, line, f"{file.name}的{remote}会在打开时从该地址加载：{REMOTE.fix}")
        if scanned.formulas:
            cells = "、".join(scanned.formulas[:3]) + ("等" if len(scanned.formulas) > 3 else "")
            yield FORMULA.at(doc.path, line, f"{file.name}的{cells}打开时会被当作公式执行：{FORMULA.fix}")
        for unread in scanned.unread:
            skipped = True
            part = f"的{unread.part}" if unread.part else ""
            yield NOT_SCANNED.at(doc.path, line,
                                 f"{file.name}{part}未能扫描个人信息和密级标志：{unread.reason}；审查人须人工逐页核对"
                                 "有无身份证号、手机号、银行卡号和密级标志，最好另附可读取文字的 PDF、DOCX、XLSX 或 CSV 版本")
        for personal in scanned.personal:
            if not allowances.allows(personal.finding, personal.context):
                yield CODES[personal.finding.kind].at(doc.path, line, f"{file.name}{personal.where}有{_describe(personal.finding)}："
                                                                      f"请替换为打码后的文件；{_ALLOW}")
        if file.crowded:
            yield CROWDED.at(doc.path, line, f"{file.name}中查出的个人信息、密级标志或错敏用语超过 {attached.FINDINGS} 处，"
                                             f"只列出了前 {attached.FINDINGS} 处：{CROWDED.fix}")
    return skipped


_REPLACE_PICTURE = "请换成不带这些内容的图片（用图片工具另存一份，或删除其属性和个人信息后再放入）"


def _theme_picture(picture: attached.ThemePicture) -> Iterator[Problem]:
    """What an agency's picture in the theme folder holds: as an attachment's, but no one may allow it, and its
    pixels go unread without a warning (a logo shows the agency's name)."""
    scanned = picture.scanned
    if scanned.failure:
        yield UNREADABLE.at(picture.path, 1, f"{picture.name}{scanned.failure}，未做任何扫描：{UNREADABLE.fix}")
        return
    for located in scanned.located:
        part = f"中的{located.rstrip('：')}" if located else ""
        yield LOCATED.at(picture.path, 1, f"{picture.name}{part}带有拍摄地点（GPS 坐标）：{_REPLACE_PICTURE}")
    for unread in scanned.unread:
        if unread.part:  # a part inside it (an appended file of a type that cannot be read), not the picture itself
            yield NOT_SCANNED.at(picture.path, 1, f"{picture.name}的{unread.part}未能扫描个人信息和密级标志：{unread.reason}；"
                                                  "请换成普通的图片")
    for personal in scanned.personal:
        yield CODES[personal.finding.kind].at(picture.path, 1, f"{picture.name}{personal.where}有{_describe(personal.finding)}："
                                                               f"{_REPLACE_PICTURE}")


def _unused(doc: SourceDocument, allowances: _Allowances) -> Iterator[Problem]:
    entries = doc.meta.get("pii_allow")
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries[:MAX_ALLOWANCES]):  # the rest is GK309
        match = entry.get("match") if isinstance(entry, dict) else None
        if isinstance(match, str) and match.strip() and match.strip() not in allowances.used:
            yield UNUSED_ALLOWANCE.at(doc.path, doc.line_of("pii_allow", index),
                          f"{label('pii_allow', index)}的“{match}”没有匹配到任何个人信息："
                          "请删除这条例外，或核对 match 是否与原文逐字一致")
