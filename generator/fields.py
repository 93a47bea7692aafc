"""An item's front matter, declared once: each key with its label, type, JSON Schema and place on the page.

`FIELDS` is the one list of keys an item may have. `build_schema` (editor tooling), `to_item`
(the `Item` model), the schema checks (GK1xx: unknown, missing and mistyped keys, dates, choices)
and the item page's metadata table (`site.views`) all read it, so they cannot drift. A plain field
(a text, a date, a choice, a list of words) is one declaration here plus its attribute of `Item`;
a structured one (review, attachments, withdrawn …) declares its schema here and is read by
`items.to_item` and judged by its own checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import AUDIENCES, DEFAULT_LEVELS, DISCLOSURES, OPINIONS, VALID, VALIDITIES, Catalog
from .values import as_list, as_text, parse_date

# Schema patterns name ASCII digits as `[0-9]`: a validator in Python (or any Unicode-aware regex dialect) reads `\d`
# as every script's digits, and the editor's form then accepted 2021-٠٦-١٨, which the check refuses.
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DIGEST_PATTERN = r"^sha256:[0-9a-f]{64}$"
ORG_CODE_PATTERN = r"(?:[0-9A-Z]{9}|[0-9A-Z]{18})"
# Characters of an item's (or an attachment's) title, and of a 文号 (GK122): a title prints on every listing, feed
# and search result its item is in. A real one has a few dozen characters.
MAX_TITLE, MAX_DOC_NO = 300, 100
MAX_SUMMARY = 1_000  # one paragraph; it prints in the page's description, every feed and the search results

Schema = dict[str, Any]


def _words(raw: Any) -> tuple[str, ...]:
    return tuple(as_text(word) for word in as_list(raw) if as_text(word))


@dataclass(frozen=True)
class Kind:
    """What a value is: its JSON Schema type, how `to_item` reads it and how the page prints it."""

    name: str
    type: str  # the JSON Schema type
    keywords: Schema  # further JSON Schema keywords every field of the kind has
    read: Callable[[Any], Any] | None  # raw YAML → typed value, leniently (the checks say what is wrong); None: structured
    text: Callable[[Any], str] = str  # a present value as the page prints it


TEXT = Kind("text", "string", {}, as_text)
CHOICE = Kind("choice", "string", {}, as_text)  # one of the field's `choices`
DATE = Kind("date", "string", {"pattern": DATE_PATTERN}, parse_date)
WORDS = Kind("words", "array", {"items": {"type": "string", "minLength": 1}}, _words, "，".join)
MAPPING = Kind("mapping", "object", {}, None)  # keys of its own (review, withdrawn, consultation)
ENTRIES = Kind("entries", "array", {}, None)  # a list of mappings (attachments, pii_allow, lexicon_allow)


@dataclass(frozen=True)
class Shown:
    """A field's cell in the item page's metadata table; cells flow two to a row in `order`."""

    order: int
    empty: str | None = "—"  # what an empty value shows; None: no cell at all
    text: Callable[[Any], str] | None = None  # the printed value, when not the kind's
    link: Callable[[Any], str] | None = None  # the site-relative page the value links to
    css: str = ""  # a class of the value's cell
    withdrawn: str | None = None  # what a withdrawn item's page shows instead of the value


def _no_keywords(catalog: Catalog | None) -> Schema:
    return {}


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # Chinese, as messages and the item page name it
    description: str  # Chinese, one sentence for editor tooltips and `gongkai check`
    kind: Kind = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    schema: Callable[[Catalog | None], Schema] = _no_keywords  # JSON Schema keywords of its own (enums, patterns …)
    read: Callable[[Any], Any] | None = None  # raw YAML → the Item's attribute, when not the kind's reader
    resolved: bool = False  # `to_item` reads it itself: it needs the catalog or another key
    checked_by: str = "schema"  # the check module that judges its value; others than `schema` judge it themselves
    shown: Shown | None = None  # its cell in the item page's metadata table, if it has one

    def fragment(self, catalog: Catalog | None) -> Schema:
        """The field's JSON Schema (draft 2020-12); enums from the catalog when known."""
        choices = {"enum": list(self.choices)} if self.choices else {}
        return {"type": self.kind.type, "title": self.label, "description": self.description,
                **self.kind.keywords, **choices, **self.schema(catalog)}

    @property
    def reader(self) -> Callable[[Any], Any] | None:
        """How `to_item` fills the Item's attribute of the same name; None where `to_item` reads it itself."""
        return None if self.resolved else self.read or self.kind.read


def index_no_pattern(org_code: str | None) -> str:
    org = re.escape(org_code) if org_code else ORG_CODE_PATTERN
    return rf"^{org}/[0-9]{{4}}-[0-9]{{5}}$"


def _index_no(catalog: Catalog | None) -> Schema:
    return {"pattern": index_no_pattern(catalog.org_code if catalog else None)}


def _date(title: str, description: str) -> Schema:
    return {"type": "string", "title": title, "description": description, "pattern": DATE_PATTERN}


def _object(properties: Schema, required: list[str], **extra: Any) -> Schema:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False, **extra}


def _categories(catalog: Catalog | None) -> Schema:
    if catalog is None:
        return {}
    return {"enum": sorted({key for leaf in catalog.categories for key in (leaf.name, leaf.slug)})}


def _departments(catalog: Catalog | None) -> Schema:
    if catalog is None:
        return {}
    return {"enum": sorted({key for dept in catalog.departments for key in (dept.name, dept.slug)})}


def _series(catalog: Catalog | None) -> Schema:
    return {"enum": [series.name for series in catalog.series]} if catalog and catalog.series else {}


ATTACHMENT_KEYS = ("title", "file")
WITHDRAWN_KEYS = ("date", "reason")
PII_ALLOW_KEYS = ("match", "reason")
LEXICON_ALLOW_KEYS = PII_ALLOW_KEYS
CONSULTATION_KEYS = ("from", "to", "channels")
REVIEW_ENTRY_KEYS = ("reviewer", "date", "opinion", "digest", "signature")


def _review_entry(level: str) -> Schema:
    return _object(
        {
            "reviewer": {"type": "string", "title": "审查人", "minLength": 1},
            "date": _date("审查日期", "YYYY-MM-DD"),
            "opinion": {"type": "string", "title": "审查意见", "enum": list(OPINIONS)},
            "digest": {"type": "string", "title": "内容摘要", "pattern": DIGEST_PATTERN,
                       "description": "审查时内容的摘要；内容改动后须重新审查。"},
            "signature": {"type": "string", "title": "签名", "pattern": r"^-----BEGIN SSH SIGNATURE-----",
                          "description": "审查人用 SSH 密钥对本级审查的签名（ssh-keygen -Y sign）。"},
        },
        [key for key in REVIEW_ENTRY_KEYS if key != "signature"],
        title=level,
    )


def _review(catalog: Catalog | None) -> Schema:
    levels = catalog.roster.levels if catalog is not None and catalog.roster is not None else DEFAULT_LEVELS
    return {"properties": {level.key: _review_entry(level.name) for level in levels}, "additionalProperties": False}


def _attachments(catalog: Catalog | None) -> Schema:
    return {"items": _object(
        {
            "title": {"type": "string", "title": "附件标题", "minLength": 1, "maxLength": MAX_TITLE},
            "file": {"type": "string", "title": "附件文件", "minLength": 1,
                     "description": "相对于 content/attachments/ 的路径，用 / 分隔。"},
        },
        list(ATTACHMENT_KEYS),
    )}


def _withdrawn(catalog: Catalog | None) -> Schema:
    return _object(
        {
            "date": _date("撤回日期", "YYYY-MM-DD，不早于发布日期。"),
            "reason": {"type": "string", "title": "撤回原因", "minLength": 1},
        },
        list(WITHDRAWN_KEYS),
    )


def _allowances(catalog: Catalog | None) -> Schema:
    return {"items": _object(
        {
            "match": {"type": "string", "title": "例外原文", "minLength": 1},
            "reason": {"type": "string", "title": "例外理由", "minLength": 1},
        },
        list(PII_ALLOW_KEYS),
    )}


def _consultation(catalog: Catalog | None) -> Schema:
    return _object(
        {
            "from": _date("征集开始日期", "YYYY-MM-DD，征集期的第一天。"),
            "to": _date("征集截止日期", "YYYY-MM-DD，征集期的最后一天。"),
            "channels": {"type": "array", "title": "意见反馈渠道", "items": {"type": "string", "minLength": 1},
                         "description": "例如 电子邮件：zjj@example.gov.cn、信函：地址。"},
        },
        ["from", "to"],
    )


def _name(value: Any) -> str:
    return str(value.name)


FIELDS: dict[str, Field] = {field.key: field for field in (
    Field("title", "标题", "信息的标题，一行。", required=True,
          schema=lambda catalog: {"minLength": 1, "maxLength": MAX_TITLE, "pattern": r"^[^\n]+$"}),
    Field("index_no", "索引号", "机构代码/年份-五位流水号，年份为发布年份；发布后不得更改。", required=True,
          schema=_index_no, shown=Shown(10, css="gk-meta__index")),
    Field("category", "主题分类", "公开目录中的二级栏目，填名称或代号（slug）。", required=True,
          schema=_categories, resolved=True,
          shown=Shown(20, text=_name, link=lambda leaf: f"catalog/{leaf.slug}/")),
    Field("department", "发布机构", "catalog.yml 中的部门，填名称或代号（slug）。", required=True,
          schema=_departments, resolved=True,
          shown=Shown(30, text=_name, link=lambda dept: f"departments/{dept.slug}/")),
    Field("published", "发布日期", "YYYY-MM-DD；晚于今天的条目到期才会发布。", DATE, required=True, shown=Shown(60)),
    Field("disclosure", "公开属性", "主动公开、依申请公开或不予公开；只有主动公开的条目出现在网站上。", CHOICE,
          required=True, choices=DISCLOSURES),
    Field("review", "保密审查", "各级审查（默认初审、复核）的签署记录，由 `gongkai review` 写入，请勿手工修改。",
          MAPPING, required=True, schema=_review, checked_by="review"),
    Field("written", "成文日期", "YYYY-MM-DD，不晚于发布日期。", DATE, shown=Shown(40)),
    Field("doc_no", "文号", "例如 青住建规〔2021〕3号，年份用六角括号〔〕。", shown=Shown(50)),
    Field("genre", "体裁", "例如 规章、规范性文件、通知、公告、公示、解读、报告（年度报告按此统计）。"),
    Field("validity", "有效性", "有效、失效或废止；非有效的文件页面显示提示条。", CHOICE, choices=VALIDITIES,
          read=lambda raw: as_text(raw) or VALID, shown=Shown(70, withdrawn="已撤回")),
    Field("keywords", "关键词", "字符串列表，例如 [保障性住房, 公租房]。", WORDS, shown=Shown(80)),
    Field("summary", "内容概述", f"一段话概括内容，不超过 {MAX_SUMMARY} 个字。", schema=lambda catalog: {"maxLength": MAX_SUMMARY}),
    Field("interprets", "解读对象", "本解读所解读的政策文件的索引号；该文件须存在且主动公开。", schema=_index_no),
    Field("attachments", "附件", "列表，每项 {title: 附件标题, file: content/attachments/ 下的相对路径}。", ENTRIES,
          schema=_attachments),
    Field("withdrawn", "撤回", "{date: 撤回日期, reason: 撤回原因}；页面只保留标题、元数据和撤回原因。", MAPPING,
          schema=_withdrawn),
    Field("pii_allow", "个人信息例外", "列表，每项 {match: 允许出现的原文, reason: 理由}，例如公开的服务电话。", ENTRIES,
          schema=_allowances, checked_by="privacy"),
    Field("lexicon_allow", "错敏用语例外", "列表，每项 {match: 允许出现的原文, reason: 理由}，经审查确属正确的用法。",
          ENTRIES, schema=_allowances, checked_by="wording"),
    Field("audience", "公开范围", "公众（默认，向社会公开）或 党内（仅向党员公开）；不写时取栏目的默认范围。", CHOICE,
          choices=AUDIENCES, resolved=True, checked_by="audiences"),
    Field("public_from", "向社会公开日期", "YYYY-MM-DD：党内条目从这天起也向社会公开（先党内、后党外）。", DATE,
          checked_by="audiences"),
    Field("consultation", "意见征集", "{from: 开始日期, to: 截止日期, channels: [意见反馈渠道]}；两个日期都含在征集期内。",
          MAPPING, schema=_consultation, checked_by="consultations"),
    Field("feedback_for", "反馈对象", "本条反馈（采纳情况、处理和落实情况）所答复的意见征集或党务公开事项的索引号。",
          schema=_index_no, checked_by="consultations"),
    Field("series", "定期公开系列", "catalog.yml 中 series 的名称，与 period 一起填写。", schema=_series,
          checked_by="series"),
    Field("period", "期别", "本条所属的一期：2026、2026H1、2026Q3、2026-03 或 2026W09，按系列的周期。",
          schema=lambda catalog: {"type": ["string", "integer"], "pattern": r"^[0-9]{4}(?:H[12]|Q[1-4]|-[0-9]{1,2}|-?W[0-9]{1,2})?$"},
          checked_by="series"),
    Field("effective", "生效日期", "YYYY-MM-DD：政策文件开始施行的日期，文件中写明的才填；不填时页面不显示。", DATE,
          shown=Shown(65, empty=None)),
)}

# Labels of nested keys, for messages that point inside a mapping.
SUBFIELD_LABELS: dict[str, str] = {
    "attachments.title": "附件标题",
    "attachments.file": "附件文件",
    "withdrawn.date": "撤回日期",
    "withdrawn.reason": "撤回原因",
    "pii_allow.match": "例外原文",
    "pii_allow.reason": "例外理由",
    "lexicon_allow.match": "例外原文",
    "lexicon_allow.reason": "例外理由",
    "consultation.from": "征集开始日期",
    "consultation.to": "征集截止日期",
    "consultation.channels": "意见反馈渠道",
    "review.initial": "初审",
    "review.final": "复核",
    "review.reviewer": "审查人",
    "review.date": "审查日期",
    "review.opinion": "审查意见",
    "review.digest": "内容摘要",
    "review.signature": "签名",
}


def label(*path: Any) -> str:
    """“发布日期（published）”, “复核审查日期（review.final.date）”: the label, then where it is."""
    keys = [part for part in path if isinstance(part, str)]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
    if not keys:
        return f"`{where}`"
    if len(keys) == 1:
        name = FIELDS[keys[0]].label if keys[0] in FIELDS else ""
    elif keys[0] == "review":
        name = SUBFIELD_LABELS.get(f"review.{keys[1]}", "") + (
            SUBFIELD_LABELS.get(f"review.{keys[-1]}", "") if len(keys) > 2 else ""
        )
    else:
        name = SUBFIELD_LABELS.get(f"{keys[0]}.{keys[-1]}", "")
    return f"{name}（{where}）" if name else f"`{where}`"

