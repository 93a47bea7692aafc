"""The table of check codes, generated from the rule registry: for the 编辑手册 and for tools.

`gongkai rules --format markdown` prints the section the 编辑手册 carries between its two
markers; a test fails when the checked-in manual differs from it.
"""

from __future__ import annotations

import json

from .rules import Family, Rule, all_rules

BEGIN = "<!-- 以下由 `gongkai rules --format markdown` 生成，请勿手工编辑 -->"
END = "<!-- 生成内容结束 -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(rules: list[Rule] | None = None) -> str:
    """One table per family, in code order."""
    rules = all_rules() if rules is None else rules
    by_family: dict[Family, list[Rule]] = {}
    for rule in rules:
        by_family.setdefault(rule.family, []).append(rule)
    sections = []
    for family, members in by_family.items():
        rows = [f"### {family.title}（{family.codes}）", "", "| 代码 | 级别 | 含义 | 如何修正 |", "|---|---|---|---|"]
        rows += [f"| {r.code} | {_level(r)} | {_cell(r.title)} | {_cell(r.fix)} |" for r in members]
        sections.append("\n".join(rows))
    return "\n\n".join(sections) + "\n"


def _level(rule: Rule) -> str:
    return rule.severity_label if rule.blocks_publishing else f"{rule.severity_label}（不阻止发布）"


def render_text(rules: list[Rule] | None = None) -> str:
    """Per rule a line with its code, severity and title, and an indented one with its fix (`gongkai rules` promises
    the fix, and an editor looking a code up from a CI log wants it most)."""
    rules = all_rules() if rules is None else rules
    return "\n".join(f"{rule.code} {_level(rule)} {rule.title}\n      如何修正：{rule.fix}" for rule in rules)


def render_json(rules: list[Rule] | None = None) -> str:
    rules = all_rules() if rules is None else rules
    data = [
        {"code": r.code, "severity": r.severity, "severity_label": r.severity_label, "family": r.family.key,
         "family_title": r.family.title, "title": r.title, "fix": r.fix, "blocks_publishing": r.blocks_publishing}
        for r in rules
    ]
    return json.dumps(data, ensure_ascii=False, indent=2)


def manual_section(manual: str) -> str | None:
    """The generated part of the 编辑手册 (between the markers), or None if the markers are missing."""
    start, end = manual.find(BEGIN), manual.find(END)
    if start < 0 or end < start:
        return None
    return manual[start + len(BEGIN) : end].strip("\n") + "\n"
