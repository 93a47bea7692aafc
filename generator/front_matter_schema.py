"""The item front matter, field by field: labels for messages, and its JSON Schema for editors.

`FIELDS` is the one list of keys an item may have; `gongkai check` (unknown and missing keys,
the labels it names) and `gongkai schema` (editor tooling) both read it, so they cannot drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .model import AUDIENCES, DEFAULT_LEVELS, DISCLOSURES, OPINIONS, VALIDITIES, Catalog

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DIGEST_PATTERN = r"^sha256:[0-9a-f]{64}$"
ORG_CODE_PATTERN = r"(?:[0-9A-Z]{9}|[0-9A-Z]{18})"


@dataclass(frozen=True)
class Field:
    label: str  # Chinese label shown to editors
    required: bool
    description: str  # Chinese, one sentence for editor tooltips


FIELDS: dict[str, Field] = {
    "title": Field("标题", True, "信息的标题，一行。"),
    "index_no": Field("索引号", True, "机构代码/年份-五位流水号，年份为发布年份；发布后不得更改。"),
    "category": Field("主题分类", True, "公开目录中的二级栏目，填名称或代号（slug）。"),
    "department": Field("发布机构", True, "catalog.yml 中的部门，填名称或代号（slug）。"),
    "published": Field("发布日期", True, "YYYY-MM-DD；晚于今天的条目到期才会发布。"),
    "disclosure": Field("公开属性", True, "主动公开、依申请公开或不予公开；只有主动公开的条目出现在网站上。"),
    "review": Field("保密审查", True, "各级审查（默认初审、复核）的签署记录，由 `gongkai review` 写入，请勿手工修改。"),
    "written": Field("成文日期", False, "YYYY-MM-DD，不晚于发布日期。"),
    "doc_no": Field("文号", False, "例如 青住建规〔2021〕3号，年份用六角括号〔〕。"),
    "genre": Field("体裁", False, "例如 规章、规范性文件、通知、公告、公示、解读、报告（年度报告按此统计）。"),
    "validity": Field("有效性", False, "有效、失效或废止；非有效的文件页面显示提示条。"),
    "keywords": Field("关键词", False, "字符串列表，例如 [保障性住房, 公租房]。"),
    "summary": Field("内容概述", False, "一段话概括内容。"),
    "interprets": Field("解读对象", False, "本解读所解读的政策文件的索引号；该文件须存在且主动公开。"),
    "attachments": Field("附件", False, "列表，每项 {title: 附件标题, file: content/attachments/ 下的相对路径}。"),
    "withdrawn": Field("撤回", False, "{date: 撤回日期, reason: 撤回原因}；页面只保留标题、元数据和撤回原因。"),
    "pii_allow": Field("个人信息例外", False, "列表，每项 {match: 允许出现的原文, reason: 理由}，例如公开的服务电话。"),
    "lexicon_allow": Field("错敏用语例外", False, "列表，每项 {match: 允许出现的原文, reason: 理由}，经审查确属正确的用法。"),
    "audience": Field("公开范围", False, "公众（默认，向社会公开）或 党内（仅向党员公开）；不写时取栏目的默认范围。"),
    "public_from": Field("向社会公开日期", False, "YYYY-MM-DD：党内条目从这天起也向社会公开（先党内、后党外）。"),
    "consultation": Field("意见征集", False, "{from: 开始日期, to: 截止日期, channels: [意见反馈渠道]}；两个日期都含在征集期内。"),
    "feedback_for": Field("反馈对象", False, "本条反馈（采纳情况、处理和落实情况）所答复的意见征集或党务公开事项的索引号。"),
    "series": Field("定期公开系列", False, "catalog.yml 中 series 的名称，与 period 一起填写。"),
    "period": Field("期别", False, "本条所属的一期：2026、2026H1、2026Q3、2026-03 或 2026W09，按系列的周期。"),
}

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

ATTACHMENT_KEYS = ("title", "file")
WITHDRAWN_KEYS = ("date", "reason")
PII_ALLOW_KEYS = ("match", "reason")
LEXICON_ALLOW_KEYS = PII_ALLOW_KEYS
CONSULTATION_KEYS = ("from", "to", "channels")
REVIEW_ENTRY_KEYS = ("reviewer", "date", "opinion", "digest", "signature")


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


def index_no_pattern(org_code: str | None) -> str:
    org = re.escape(org_code) if org_code else ORG_CODE_PATTERN
    return rf"^{org}/\d{{4}}-\d{{5}}$"


def _text(field: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": FIELDS[field].label, "description": FIELDS[field].description, **extra}


def _date(title: str, description: str) -> dict[str, Any]:
    return {"type": "string", "title": title, "description": description, "pattern": DATE_PATTERN}


def _object(properties: dict[str, Any], required: list[str], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False, **extra}


def _review_entry(level: str) -> dict[str, Any]:
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


def build_schema(catalog: Catalog | None) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an item's front matter; enums come from the catalog when known."""
    category = _text("category")
    department = _text("department")
    levels = catalog.roster.levels if catalog is not None and catalog.roster is not None else DEFAULT_LEVELS
    if catalog is not None:
        category["enum"] = sorted({key for leaf in catalog.categories for key in (leaf.name, leaf.slug)})
        department["enum"] = sorted({key for dept in catalog.departments for key in (dept.name, dept.slug)})
    properties: dict[str, Any] = {
        "title": _text("title", minLength=1, pattern=r"^[^\n]+$"),
        "index_no": _text("index_no", pattern=index_no_pattern(catalog.org_code if catalog else None)),
        "category": category,
        "department": department,
        "published": _date(FIELDS["published"].label, FIELDS["published"].description),
        "disclosure": _text("disclosure", enum=list(DISCLOSURES)),
        "review": {
            "type": "object",
            "title": FIELDS["review"].label,
            "description": FIELDS["review"].description,
            "properties": {level.key: _review_entry(level.name) for level in levels},
            "additionalProperties": False,
        },
        "written": _date(FIELDS["written"].label, FIELDS["written"].description),
        "doc_no": _text("doc_no"),
        "genre": _text("genre"),
        "validity": _text("validity", enum=list(VALIDITIES)),
        "keywords": {
            "type": "array",
            "title": FIELDS["keywords"].label,
            "description": FIELDS["keywords"].description,
            "items": {"type": "string", "minLength": 1},
        },
        "summary": _text("summary"),
        "interprets": _text("interprets", pattern=index_no_pattern(catalog.org_code if catalog else None)),
        "attachments": {
            "type": "array",
            "title": FIELDS["attachments"].label,
            "description": FIELDS["attachments"].description,
            "items": _object(
                {
                    "title": {"type": "string", "title": "附件标题", "minLength": 1},
                    "file": {"type": "string", "title": "附件文件", "minLength": 1,
                             "description": "相对于 content/attachments/ 的路径，用 / 分隔。"},
                },
                list(ATTACHMENT_KEYS),
            ),
        },
        "withdrawn": _object(
            {
                "date": _date("撤回日期", "YYYY-MM-DD，不早于发布日期。"),
                "reason": {"type": "string", "title": "撤回原因", "minLength": 1},
            },
            list(WITHDRAWN_KEYS),
            title=FIELDS["withdrawn"].label,
            description=FIELDS["withdrawn"].description,
        ),
        "pii_allow": {
            "type": "array",
            "title": FIELDS["pii_allow"].label,
            "description": FIELDS["pii_allow"].description,
            "items": _object(
                {
                    "match": {"type": "string", "title": "例外原文", "minLength": 1},
                    "reason": {"type": "string", "title": "例外理由", "minLength": 1},
                },
                list(PII_ALLOW_KEYS),
            ),
        },
        "lexicon_allow": {
            "type": "array",
            "title": FIELDS["lexicon_allow"].label,
            "description": FIELDS["lexicon_allow"].description,
            "items": _object(
                {
                    "match": {"type": "string", "title": "例外原文", "minLength": 1},
                    "reason": {"type": "string", "title": "例外理由", "minLength": 1},
                },
                list(LEXICON_ALLOW_KEYS),
            ),
        },
        "audience": _text("audience", enum=list(AUDIENCES)),
        "public_from": _date(FIELDS["public_from"].label, FIELDS["public_from"].description),
        "consultation": _object(
            {
                "from": _date("征集开始日期", "YYYY-MM-DD，征集期的第一天。"),
                "to": _date("征集截止日期", "YYYY-MM-DD，征集期的最后一天。"),
                "channels": {"type": "array", "title": "意见反馈渠道", "items": {"type": "string", "minLength": 1},
                             "description": "例如 电子邮件：zjj@example.gov.cn、信函：地址。"},
            },
            ["from", "to"],
            title=FIELDS["consultation"].label,
            description=FIELDS["consultation"].description,
        ),
        "feedback_for": _text("feedback_for", pattern=index_no_pattern(catalog.org_code if catalog else None)),
        "series": _text("series", **({"enum": [series.name for series in catalog.series]} if catalog and catalog.series else {})),
        "period": {"type": ["string", "integer"], "title": FIELDS["period"].label, "description": FIELDS["period"].description,
                   "pattern": r"^\d{4}(?:H[12]|Q[1-4]|-\d{1,2}|-?W\d{1,2})?$"},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gongkai.invalid/schema/item-front-matter.json",
        "title": "政务公开条目元数据（gongkai）",
        "description": "content/items/ 下每个 Markdown 文件开头 --- 之间的 YAML 元数据。",
        "type": "object",
        "properties": properties,
        "required": [key for key, field in FIELDS.items() if field.required],
        "additionalProperties": False,
    }
