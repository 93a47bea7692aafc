"""Schema checks (GK1xx): the keys, types and values of an item's front matter (spec §3.2).

Each item is judged by its own file; that 索引号 are unique is `identity`'s rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..fields import (
    ATTACHMENT_KEYS,
    CHOICE,
    DATE,
    FIELDS,
    MAX_DOC_NO,
    MAX_SUMMARY,
    MAX_TITLE,
    PII_ALLOW_KEYS,
    TEXT,
    WITHDRAWN_KEYS,
    label,
)
from ..hints import close_name, known_names
from ..loading import SourceDocument
from ..model import DEFAULT_LEVELS, INDEX_NO_RE, PUBLIC, Catalog, IndexNo, Item
from ..problems import Problem
from ..project import Project
from ..reader_text import fold
from ..rules import ERROR, SCHEMA, WARNING
from ..values import as_text, date_problem, shown
from ..yaml_reading import UNKNOWN_KEY
from .base import CheckContext

LOCAL = True  # reads only each item's own file (and the catalog, which every process loads)

MISSING = SCHEMA.rule(
    "GK101", ERROR,
    "缺少必填项或必填项为空",
    "补上该项；`gongkai new` 生成的骨架已包含全部必填项",
)
WRONG_TYPE = SCHEMA.rule(
    "GK103", ERROR,
    "值的类型不对（例如应为文字却写成了列表，或被 YAML 读成了是/否）",
    "按提示改写；文字值含冒号、井号或是 yes/no 之类时请加英文引号",
)
BAD_DATE = SCHEMA.rule(
    "GK104", ERROR,
    "日期格式不对或日期不存在",
    "写成 YYYY-MM-DD，例如 2021-06-16，并确认该日期真实存在",
)
TITLE_LINES = SCHEMA.rule(
    "GK105", ERROR,
    "标题不是一行",
    "把标题写在同一行，不要用 | 或 > 多行写法",
)
UNKNOWN_CATEGORY = SCHEMA.rule(
    "GK106", ERROR,
    "主题分类不是公开目录中的二级栏目",
    "填写 catalog.yml 中某个二级栏目的名称或代号（一级栏目不能直接挂信息）",
)
UNKNOWN_DEPARTMENT = SCHEMA.rule(
    "GK107", ERROR,
    "发布机构不在 catalog.yml 的部门列表中",
    "填写 catalog.yml 中 departments 的名称或代号",
)
INDEX_NO_FORMAT = SCHEMA.rule(
    "GK108", ERROR,
    "索引号格式不对",
    "写成 机构代码/年份-五位流水号，例如 11131122MB1534702N/2021-00003",
)
INDEX_NO_ORG = SCHEMA.rule(
    "GK109", ERROR,
    "索引号的机构代码与 catalog.yml 的 org.code 不一致",
    "把索引号斜杠前的部分改成本机关的机构代码",
)
INDEX_NO_YEAR = SCHEMA.rule(
    "GK110", ERROR,
    "索引号中的年份与发布日期的年份不一致",
    "新条目用 `gongkai new --date` 重新分配索引号；已发布的条目索引号不得更改，请核对发布日期",
    moot_when_taken_down=True,  # postponed into another year to take it down: see rules.blocking
)
BAD_CHOICE = SCHEMA.rule(
    "GK112", ERROR,
    "取值不在允许范围内（公开属性、有效性）",
    "从提示列出的取值中选择一个，原样填写",
)
WRITTEN_AFTER = SCHEMA.rule(
    "GK113", ERROR,
    "成文日期晚于发布日期",
    "核对两个日期：成文日期不能晚于发布日期",
)
DOC_NO_BRACKETS = SCHEMA.rule(
    "GK114", WARNING,
    "文号中的年份没有用六角括号〔〕",
    "按《党政机关公文格式》把年份写在六角括号里，例如 青住建规〔2021〕3号（输入法中可打“括号”选〔〕）",
)
ATTACHMENT_ENTRY = SCHEMA.rule(
    "GK115", ERROR,
    "附件条目不完整",
    "每个附件写成 {title: 附件标题, file: 相对于 content/attachments/ 的路径}",
)
WITHDRAWN_ENTRY = SCHEMA.rule(
    "GK116", ERROR,
    "撤回信息不完整，或撤回日期早于发布日期",
    "写成 withdrawn: {date: 撤回日期, reason: 撤回原因}，撤回日期不早于发布日期",
)
WITHDRAWN_NOT_PUBLIC = SCHEMA.rule(
    "GK117", ERROR,
    "非主动公开的条目填写了撤回",
    "撤回只用于已主动公开的信息；未公开的条目不需要撤回，删除 withdrawn（网站照常生成，这一条不在网站上）",
    # An item not 主动公开 is on no site, withdrawal or not; blocking kept the page of a withdrawn item the editor
    # then set to 不予公开 (to take a leak down at once: GK226) online until the withdrawal was deleted.
    blocks_publishing=False,
)
PII_ALLOW_ENTRY = SCHEMA.rule(
    "GK118", ERROR,
    "个人信息例外条目不完整",
    "每项写成 {match: 允许出现的原文, reason: 允许公开的理由}",
)
SUMMARY_PARAGRAPHS = SCHEMA.rule(
    "GK119", WARNING,
    "内容概述不止一段",
    "把内容概述压缩成一段话，详细内容写在正文里",
)

NUMBER_CHANGED = SCHEMA.rule(
    "GK120", ERROR,
    "文字被 YAML 读成了数字，写法变了（例如 3.10 变成 3.1、1e3 变成 1000.0）",
    "给这一项加英文引号，例如 doc_no: \"3.10\"",
)
DATE_RANGE = SCHEMA.rule(
    "GK121", ERROR,
    "日期不在 1949-01-01 至 2100-12-31 之间",
    "核对年份（常见为少打或多打一位）；早于 1949 年或晚于 2100 年的日期不能使用",
)
TOO_LONG = SCHEMA.rule(
    "GK122", ERROR,
    "标题或附件标题超过 300 个字，内容概述超过 1000 个字，或文号超过 100 个字",
    "标题是公文标题（红头之后居中的一两行），请精简；需要说明的内容写进内容概述（summary）或正文",
)
# A title prints on every listing, feed and search result the item is in (and each 解读, 反馈 and series page that
# names it): 300 items with titles of 100,000 characters made the sample site's build take 42 s instead of 5 s,
# 2.3 GB instead of 127 MB, and write 660 MB instead of 19 MB (a 13.6 MB feed). MAX_TITLE, MAX_DOC_NO: fields.

# The plain fields judged here (the others' own checks judge audience, public_from, series …).
_PLAIN = [field for field in FIELDS.values() if field.checked_by == "schema" and field.kind in (TEXT, CHOICE, DATE)]
TEXT_FIELDS = tuple(field.key for field in _PLAIN)
DATE_PATHS = (*((field.key,) for field in _PLAIN if field.kind is DATE), ("withdrawn", "date"))
CHOICES = tuple((field.key, field.choices) for field in _PLAIN if field.kind is CHOICE)
TEXT_LISTS = ("keywords", "attachments", "withdrawn", "pii_allow")  # whose entries are text
NESTED_KEYS = {"attachments": ATTACHMENT_KEYS, "withdrawn": WITHDRAWN_KEYS, "pii_allow": PII_ALLOW_KEYS}
# Brackets editors type instead of 〔〕 around the year of a 文号.
_WRONG_BRACKETS = re.compile(r"[\[\(（【［〈<《{｛﹝〖]\s*((?:19|20)\d{2})\s*[\]\)）】］〉>》}｝﹞〗]")
_BLANK_LINE = re.compile(r"\n\s*\n")
_LABELS = {name: field.label for name, field in FIELDS.items()}


def check(ctx: CheckContext) -> Iterator[Problem]:
    catalog = ctx.project.catalog
    for item, document in ctx.sources():
        yield from _check_document(item, document, catalog)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否（YAML 把 yes、no、true、false、on、off 读成了真假值）"
    if isinstance(value, dict):
        return "映射（{…} 或缩进的键值）"
    if isinstance(value, list):
        return "列表（[…] 或 - 开头的行）"
    if value is None:
        return "空值"
    return "文字"


def _suggest(key: str, choices: Iterable[str], labels: dict[str, str] | None = None) -> str:
    """“；是否想写 `published`？” via the Chinese label or a close spelling."""
    if labels:
        for name, text in labels.items():
            if key == text:
                return f"；键名要用英文：是否想写 `{name}`？"
    close = _close(key, list(choices), cutoff=0.6)
    return f"；是否想写 `{close[0]}`？" if close else ""


def _close(word: str, names: list[str], cutoff: float = 0.5) -> list[str]:
    """The closest name, if any (within the hints' budget: every item may name an unknown column)."""
    close = close_name(word, names, cutoff)
    return [close] if close else []


def _misplaced(key: str, meta: dict) -> str:
    """“；`date` 应写在 `withdrawn:` 下面” when a nested key lost its indentation."""
    for parent, subkeys in (*NESTED_KEYS.items(), ("review", tuple(level.key for level in DEFAULT_LEVELS))):
        if key in subkeys and parent in meta and meta[parent] is None:
            return f"；`{key}` 是 `{parent}` 的子项：请把它写在 `{parent}:` 下面，并比 `{parent}` 多缩进两个空格"
    return ""


def _check_document(item: Item, doc: SourceDocument, catalog: Catalog | None) -> Iterator[Problem]:
    meta = doc.meta
    path = doc.path
    for key in meta:
        if key not in FIELDS:
            name = str(key)
            hint = _misplaced(name, meta) or _suggest(name, FIELDS, _LABELS) or "：请删除或改成允许的键"
            yield UNKNOWN_KEY.at(path, doc.line_of(key), f"未知的键 `{shown(name)}`{hint}",
                        doc.keys[(key,)].col if (key,) in doc.keys else 1)
    for key, field in FIELDS.items():
        if not field.required or key == "review":  # the review family explains a missing review
            continue
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            where = "为空" if key in meta else "缺失"
            yield MISSING.at(path, doc.line_of(key) if key in meta else 1,
                        f"{label(key)}{where}：这是必填项，请填写（{field.description}）")
    for key in TEXT_FIELDS:
        value = meta.get(key)
        if isinstance(value, bool) or (value is not None and not isinstance(value, (str, int, float))):
            yield WRONG_TYPE.at(path, doc.line_of(key),
                        f"{label(key)}应是一段文字，现在是{_kind(value)}；请改成文字，必要时加英文引号")
    yield from _dates(item, doc)
    yield from _numbers(doc)
    yield from _title_and_summary(doc)
    if catalog is not None:
        yield from _catalog_refs(doc, catalog)
        yield from _index_no(item, doc, catalog)
    yield from _choices(doc)
    yield from _doc_no(doc)
    yield from _keywords(doc)
    yield from _lists_of_mappings(doc)
    yield from _withdrawn(item, doc)


def _dates(item: Item, doc: SourceDocument) -> Iterator[Problem]:
    for path in DATE_PATHS:
        parent = doc.meta.get(path[0]) if len(path) > 1 else doc.meta
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        raw = parent[path[-1]]
        found = date_problem(raw) if as_text(raw) else None
        if found is None:
            continue
        reason, out_of_range = found
        rule, fix = (DATE_RANGE, "请核对年份") if out_of_range else (BAD_DATE, "请写成 YYYY-MM-DD，例如 2021-06-16")
        yield rule.at(doc.path, doc.line_of(*path), f"{label(*path)}{reason}：{fix}", doc.value_col(*path))
    written, published = item.written, item.published
    if written and published and written > published:
        yield WRITTEN_AFTER.at(doc.path, doc.line_of("written"),
                    f"{label('written')} {written} 晚于{label('published')} {published}：请核对两个日期")


def _numbers(doc: SourceDocument) -> Iterator[Problem]:
    """Text fields YAML read as numbers whose digits changed on the way (3.10 → 3.1, 1e3 → 1000.0)."""
    for path, written in doc.numbers.items():
        if path[0] not in TEXT_FIELDS and path[0] not in TEXT_LISTS:
            continue
        value = _at(doc.meta, path)
        if str(value) != written:
            yield NUMBER_CHANGED.at(doc.path, doc.value_line(*path),
                        f"{label(*path)}写的是 {shown(written)}，YAML 却把它读成了数字 {shown(value)}，发布出来会变成“{shown(value)}”："
                        f"请给这一项加英文引号，写成 \"{shown(written)}\"", doc.value_col(*path))


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _title_and_summary(doc: SourceDocument) -> Iterator[Problem]:
    title = doc.meta.get("title")
    if isinstance(title, str) and ("\n" in title.strip() or ("title",) in doc.folded):
        yield TITLE_LINES.at(doc.path, doc.line_of("title"),
                    f"{label('title')}只能是一行（现在写在了几行里，读出来是“{title.strip()[:60]}”）："
                    "请把标题写在 title: 后的同一行")
    lengths: list[tuple[tuple[str | int, ...], int]] = [(("title",), MAX_TITLE), (("doc_no",), MAX_DOC_NO),
                                                        (("summary",), MAX_SUMMARY)]
    entries = doc.meta.get("attachments")
    if isinstance(entries, list):
        lengths += [(("attachments", index, "title"), MAX_TITLE) for index, entry in enumerate(entries)
                    if isinstance(entry, dict) and "title" in entry]
    for path, limit in lengths:
        text = as_text(_at(doc.meta, path)) if path[0] in doc.meta else ""
        if len(text) > limit:
            yield TOO_LONG.at(doc.path, doc.value_line(*path),
                        f"{label(*path)}有 {len(text):,} 个字，超过 {limit} 个字（“{shown(text[:30])}……”）：它印在每个列表、订阅和"
                        f"搜索结果中，请精简；需要说明的内容写进{'正文' if path == ('summary',) else '内容概述（summary）或正文'}",
                        doc.value_col(*path))
    summary = doc.meta.get("summary")
    if isinstance(summary, str) and _BLANK_LINE.search(summary.strip()):
        yield SUMMARY_PARAGRAPHS.at(doc.path, doc.line_of("summary"),
                      f"{label('summary')}应是一段话：请去掉空行，把详细内容写在正文里")


def _catalog_refs(doc: SourceDocument, catalog: Catalog) -> Iterator[Problem]:
    category = as_text(doc.meta.get("category"))
    if category and catalog.category(category) is None:
        group = catalog.group(category)
        if group is not None:
            leaves = known_names([leaf.name for leaf in group.children], "catalog.yml")
            hint = f"“{shown(category)}”是一级栏目，信息要挂在它的二级栏目下：{leaves}"
        else:
            close = (_close(category, [leaf.name for leaf in catalog.categories])
                     or _close(category, [leaf.slug for leaf in catalog.categories]))
            hint = f"“{shown(category)}”不在公开目录中" + (
                f"；是否想写“{close[0]}”？" if close else "；请填写 catalog.yml 中二级栏目的名称或代号")
        yield UNKNOWN_CATEGORY.at(doc.path, doc.line_of("category"), f"{label('category')}：{hint}",
                    doc.value_col("category"))
    department = as_text(doc.meta.get("department"))
    if department and catalog.department(department) is None:
        close = (_close(department, [d.name for d in catalog.departments])
                 or _close(department, [d.slug for d in catalog.departments]))
        choices = known_names([d.name for d in catalog.departments], "catalog.yml 的 departments")
        hint = f"；是否想写“{close[0]}”？" if close else f"；可选：{choices}"
        yield UNKNOWN_DEPARTMENT.at(doc.path, doc.line_of("department"),
                    f"{label('department')}“{shown(department)}”不在 catalog.yml 的 departments 中{hint}",
                    doc.value_col("department"))


def _index_no(item: Item, doc: SourceDocument, catalog: Catalog) -> Iterator[Problem]:
    text = as_text(doc.meta.get("index_no"))
    if not text:
        return
    line, col = doc.line_of("index_no"), doc.value_col("index_no")
    number = IndexNo.parse(text)
    if number is None:
        yield INDEX_NO_FORMAT.at(doc.path, line,
                    f"{label('index_no')}“{shown(text)}”格式不对：应为 {catalog.org_code}/年份-五位流水号，"
                    f"例如 {catalog.org_code}/2021-00001；新条目请用 `gongkai new` 分配", col)
        return
    if number.org != catalog.org_code:
        yield INDEX_NO_ORG.at(doc.path, line,
                    f"{label('index_no')}的机构代码 {number.org} 与 catalog.yml 的 org.code {catalog.org_code} 不一致："
                    f"请改为 {catalog.org_code}/{number.year}-{number.serial}", col)
    if item.published and number.year != item.published.year:
        yield INDEX_NO_YEAR.at(doc.path, line,
                    f"{label('index_no')}中的年份 {number.year} 与{label('published')} {item.published} 的年份不一致："
                    "索引号年份取发布年份；未发布的新条目请用 `gongkai new` 重新分配，已发布的请核对发布日期", col)


def misspelled_reference(doc: SourceDocument, key: str, value: str, project: Project, hint: str = "") -> Problem | None:
    """GK108 for a reference to another item (`interprets`, `feedback_for`) not written as a 索引号 is, else None.
    Such a value names no item, which only GK604/GK633 said, and they stop no build (they are meant for a deleted
    item): written in full-width digits, with an invisible character or a full-width slash, a 不予公开 policy's
    索引号 slipped past GK605 and its 解读 was published. `hint` (Chinese) is said instead of the generic one."""
    if INDEX_NO_RE.match(value):
        return None
    folded = fold(value, numerals=False).strip().upper()
    named = project.item_by_index_no(folded) if INDEX_NO_RE.match(folded) else None
    if hint:
        said = hint
    elif named is not None:
        said = (f"：它看起来是 {folded}（{named.path}，公开属性“{named.disclosure}”），但写法不同（全角字符、看不见的字符或"
                f"其他写法），网站和检查都不会把它当作那个条目；请改写为 {folded}")
    else:
        said = "：请用半角数字和字母写成 机构代码/年份-五位流水号，例如 11131122MB1534702N/2021-00003"
    return INDEX_NO_FORMAT.at(doc.path, doc.line_of(key), f"{label(key)}“{shown(value)}”不是索引号的写法{said}",
                              doc.value_col(key))


def _choices(doc: SourceDocument) -> Iterator[Problem]:
    for key, allowed in CHOICES:
        text = as_text(doc.meta.get(key))
        if text and text not in allowed:
            yield BAD_CHOICE.at(doc.path, doc.line_of(key),
                        f"{label(key)}“{shown(text)}”不是允许的取值：只能是 {'、'.join(allowed)} 之一", doc.value_col(key))


def _doc_no(doc: SourceDocument) -> Iterator[Problem]:
    text = as_text(doc.meta.get("doc_no"))
    found = _WRONG_BRACKETS.search(text) if text else None
    if found:
        fixed = text[: found.start()] + f"〔{found[1]}〕" + text[found.end():]
        yield DOC_NO_BRACKETS.at(doc.path, doc.line_of("doc_no"),
                      f"{label('doc_no')}“{shown(text)}”的年份应写在六角括号〔〕中：请改为“{shown(fixed)}”", doc.value_col("doc_no"))


def _keywords(doc: SourceDocument) -> Iterator[Problem]:
    if "keywords" not in doc.meta or doc.meta["keywords"] is None:
        return
    value = doc.meta["keywords"]
    if not isinstance(value, list):
        hint = ""
        if isinstance(value, str) and any(mark in value for mark in "［【〔，、－•"):
            hint = "（方括号、逗号要用英文的“[ ]”“, ”，列表项要用英文减号加空格“- ”）"
        yield WRONG_TYPE.at(doc.path, doc.line_of("keywords"),
                    f"{label('keywords')}应是列表，现在是{_kind(value)}“{shown(as_text(value))}”：请写成 [关键词一, 关键词二]{hint}")
        return
    for index, entry in enumerate(value):
        if not as_text(entry):
            hint = "；词里有“: ”时请给这个词加英文引号" if isinstance(entry, dict) else ""
            yield WRONG_TYPE.at(doc.path, doc.line_of("keywords", index),
                        f"{label('keywords', index)}应是一个非空的词，现在是{_kind(entry)}：请改成文字或删除该项{hint}")


def _lists_of_mappings(doc: SourceDocument) -> Iterator[Problem]:
    for key, code, shape in (
        ("attachments", ATTACHMENT_ENTRY, "{title: 附件标题, file: 文件路径}"),
        ("pii_allow", PII_ALLOW_ENTRY, "{match: 允许出现的原文, reason: 理由}"),
    ):
        value = doc.meta.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            yield WRONG_TYPE.at(doc.path, doc.line_of(key),
                        f"{label(key)}应是列表，现在是{_kind(value)}：每项写成 - {shape}")
            continue
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                yield WRONG_TYPE.at(doc.path, doc.line_of(key, index),
                            f"{label(key, index)}应写成 {shape}，现在是{_kind(entry)}")
                continue
            yield from _nested_keys(doc, (key, index), entry, NESTED_KEYS[key])
            for sub in NESTED_KEYS[key]:
                value_text = entry.get(sub)
                if isinstance(value_text, (dict, list, bool)):
                    yield WRONG_TYPE.at(doc.path, doc.line_of(key, index, sub),
                                f"{label(key, index, sub)}应是文字，现在是{_kind(value_text)}")
                elif not as_text(value_text):
                    yield code.at(doc.path, doc.line_of(key, index, sub),
                                f"{label(key, index, sub)}缺失或为空：每项须写成 {shape}")


def _nested_keys(doc: SourceDocument, prefix: tuple, mapping: dict, allowed: tuple[str, ...]) -> Iterator[Problem]:
    for key in mapping:
        if key not in allowed:
            name = str(key)
            yield UNKNOWN_KEY.at(doc.path, doc.line_of(*prefix, key),
                        f"{label(*prefix)}中有未知的键 `{shown(name)}`{_suggest(name, allowed)}：只允许 {'、'.join(allowed)}")


def _withdrawn(item: Item, doc: SourceDocument) -> Iterator[Problem]:
    if "withdrawn" not in doc.meta or doc.meta["withdrawn"] is None:
        return
    value = doc.meta["withdrawn"]
    line = doc.line_of("withdrawn")
    if not isinstance(value, dict):
        yield WRONG_TYPE.at(doc.path, line,
                    f"{label('withdrawn')}应写成 {{date: 撤回日期, reason: 撤回原因}}，现在是{_kind(value)}")
        return
    yield from _nested_keys(doc, ("withdrawn",), value, WITHDRAWN_KEYS)
    for sub in WITHDRAWN_KEYS:
        if not as_text(value.get(sub)):
            yield WITHDRAWN_ENTRY.at(doc.path, doc.line_of("withdrawn", sub),
                        f"{label('withdrawn', sub)}缺失或为空：请写成 withdrawn: {{date: 撤回日期, reason: 撤回原因}}")
    withdrawn = item.withdrawn
    if withdrawn and withdrawn.date and item.published and withdrawn.date < item.published:
        yield WITHDRAWN_ENTRY.at(doc.path, doc.line_of("withdrawn", "date"),
                    f"{label('withdrawn', 'date')} {withdrawn.date} 早于{label('published')} {item.published}："
                    "撤回只能发生在发布之后，请核对日期")
    disclosure = as_text(doc.meta.get("disclosure"))
    if disclosure and disclosure != PUBLIC:
        yield WITHDRAWN_NOT_PUBLIC.at(doc.path, line,
                    f"{label('withdrawn')}只用于已主动公开的信息，本条目的{label('disclosure')}是“{disclosure}”："
                    "请删除 withdrawn")

