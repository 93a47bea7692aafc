"""The keys a register file may have, and one reader that checks a file against them.

A register file is one YAML mapping. Its keys are declared once, as `Field`s, and read here:
the check (unknown, missing and mistyped keys, with the labels it names) and `gongkai schema`
(editor tooling) both read the same declarations, so they cannot drift. Reading never raises
for bad content: every finding becomes a Problem at the line and column of the key, and an
unusable value is left out so that the remaining rules still run.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..loading import SourceDocument
from ..problems import Problem
from ..values import date_problem, finite_number, parse_date, shown
from . import codes

DATE = "date"
TEXT = "text"
CHOICE = "choice"
FLAG = "flag"
AMOUNT = "amount"
GROUP = "group"  # a nested mapping of its own fields

# A fee (元) no application is charged: a larger number is a mistyped one, and sums of them stay exact and small.
MAX_AMOUNT = 10**12
NONE_WORDS = ("none", "无", "免费")  # an amount written as words for nothing

# Keys that would record who an applicant is; the register keeps the applicant's type only.
IDENTITY_WORDS = (
    "name", "id", "id_number", "idcard", "phone", "mobile", "tel", "email", "address", "contact",
    "姓名", "名称", "身份证", "证件", "电话", "手机", "地址", "邮箱", "联系",
)


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # Chinese, as messages name it
    kind: str
    description: str = ""  # Chinese, one sentence for editor tooltips and the JSON Schema
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)  # another accepted spelling → the choice
    children: tuple[Field, ...] = ()


Key = tuple[Any, ...]


def where(key: Key) -> str:
    return ".".join(str(part) for part in key)


class Reader:
    """Reads one register file against its fields, collecting problems."""

    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.concerned: list[Key] = []  # the key each problem is about (the file itself: ())

    def fine(self, *keys: str) -> bool:
        """Whether no problem concerns the file as a whole or any of these top-level keys."""
        return not any(not key or key[0] in keys for key in self.concerned)

    def locate(self, key: Key, *, value: bool = False) -> tuple[int, int]:
        marks = self.document.values if value else self.document.keys
        probe = key
        while probe:
            mark = marks.get(probe) or self.document.keys.get(probe)
            if mark is not None:
                return mark.line, mark.col
            probe = probe[:-1]
        return 1, 1

    def report(self, rule, key: Key, message: str, *, value: bool = False, about: Key | None = None) -> None:
        line, col = self.locate(key, value=value)
        self.problems.append(rule.at(self.document.path, line, message, col))
        self.concerned.append(key if about is None else about)

    def read(self, data: Any, fields: tuple[Field, ...], what: str, example: str) -> dict[str, Any]:
        """The usable values of a whole file: key → date, str, bool, Decimal or dict (for a group)."""
        if not isinstance(data, dict):
            form = "空的" if data is None else "不是“键: 值”形式"
            self.report(codes.STRUCTURE, (), f"{what}文件是{form}：每个文件登记一件，逐行写 `键: 值`，例如 {example}")
            return {}
        return self._group(data, (), fields, what)

    def _group(self, data: dict, prefix: Key, fields: tuple[Field, ...], what: str) -> dict[str, Any]:
        known = {f.key: f for f in fields}
        for name in data:
            if str(name) not in known:
                self._unknown(str(name), prefix + (name,), known, what)
        values: dict[str, Any] = {}
        for spec in fields:
            if spec.key not in data:
                if spec.required:
                    self.report(codes.MISSING_KEY, prefix, f"{what}缺少{_name(spec, prefix + (spec.key,))}：{spec.description}",
                                about=prefix + (spec.key,))
                continue
            value = self._value(spec, data[spec.key], prefix + (spec.key,), what)
            if value is not None:
                values[spec.key] = value
        return values

    def _unknown(self, name: str, key: Key, known: dict[str, Field], what: str) -> None:
        lowered = name.lower()
        if any(word == lowered or (not word.isascii() and word in name) for word in IDENTITY_WORDS):
            self.report(codes.UNKNOWN_KEY, key,
                        f"{what}中不能有 `{shown(name)}`：登记不记录姓名、证件号码、联系方式等个人信息"
                        "（申请人只登记类型 applicant），请删除这一项")
            return
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
        by_label = next((f.key for f in known.values() if name == f.label), None)
        if by_label:
            hint = f"：键要用英文，“{name}”请写作 `{by_label}`"
        elif close:
            hint = f"：是不是 `{close[0]}`（{known[close[0]].label}）？"
        else:
            hint = f"：可用的键有 {'、'.join(known)}"
        self.report(codes.UNKNOWN_KEY, key, f"{what}中有未知的键 `{shown(name)}`{hint}")

    def _value(self, spec: Field, raw: Any, key: Key, what: str) -> Any:
        label = _name(spec, key)
        if spec.kind == GROUP:
            if not isinstance(raw, dict):
                example = "{" + ", ".join(f"{c.key}: …" for c in spec.children) + "}"
                self.report(codes.STRUCTURE, key, f"{label}应写成 {example}", value=True)
                return None
            return self._group(raw, key, spec.children, f"{what}的{spec.label}")
        if raw is None:
            if spec.required:
                self.report(codes.MISSING_KEY, key, f"{label}没有填写：{spec.description}")
            return None
        if spec.kind == DATE:
            day = parse_date(raw)
            if day is None and (problem := date_problem(raw)) is not None:
                why, range_only = problem
                fix = "请核对年份（常见为少打或多打一位）" if range_only else "请写成 YYYY-MM-DD 形式的真实日期，例如 2025-03-03"
                self.report(codes.BAD_DATE, key, f"{label}{why}：{fix}", value=True)
            return day
        if spec.kind == CHOICE:
            return self._choice(spec, raw, key)
        if spec.kind == FLAG:
            if isinstance(raw, bool):
                return raw
            self.report(codes.BAD_VALUE, key, f"{label}只能写 true 或 false（不加引号），现在是“{shown(raw)}”", value=True)
            return None
        if spec.kind == AMOUNT:
            if finite_number(raw) and 0 <= raw <= MAX_AMOUNT:
                return Decimal(str(raw))
            if isinstance(raw, str) and raw.strip().lower() in NONE_WORDS:
                return Decimal(0)
            self.report(codes.BAD_VALUE, key, f"{label}应是不带单位和引号的非负数（元），没有收费写 0，现在是“{shown(raw)}”", value=True)
            return None
        text = raw if isinstance(raw, str) else str(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
        if text is None or not text.strip():
            self.report(codes.BAD_VALUE, key, f"{label}应是一段文字，现在是“{shown(raw)}”：{spec.description}", value=True)
            return None
        return text.strip()

    def _choice(self, spec: Field, raw: Any, key: Key) -> str | None:
        text = raw.strip() if isinstance(raw, str) else str(raw)
        if text in spec.choices:
            return text
        if text in spec.aliases:
            return spec.aliases[text]
        close = difflib.get_close_matches(text, [*spec.choices, *spec.aliases], n=1, cutoff=0.5)
        hint = f"是不是“{close[0]}”？" if close else ""
        self.report(codes.BAD_VALUE, key, f"{_name(spec, key)}不能是“{shown(raw)}”：{hint}可选值为 {' | '.join(spec.choices)}", value=True)
        return None


def _name(spec: Field, key: Key) -> str:
    return f"{spec.label}（{where(key)}）"

