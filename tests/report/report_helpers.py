"""Small throw-away projects for the annual-report tests: a catalog, a few items, report inputs."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from gongkai.report.layout import APPEAL_COLUMNS, APPLICANT_COLUMNS, RESULT_GROUPS

ORG_CODE = "11131122MB1534702N"
TODAY = dt.date(2026, 11, 27)

CATALOG = f"""\
org:
  name: 测试县住房和城乡建设局
  code: {ORG_CODE}
departments:
  - {{name: 办公室, slug: office}}
  - {{name: 住房保障股, slug: housing}}
  - {{name: 规划建设股, slug: planning}}
categories:
  - name: 政策文件
    slug: policy
    children:
      - {{name: 规范性文件, slug: normative}}
      - {{name: 政策解读, slug: interpretation}}
  - name: 工作动态
    slug: updates
    children:
      - {{name: 动态信息, slug: news}}
"""


def row(**values: int) -> dict[str, int]:
    """A table 三 row from the non-zero applicant cells; the total is added."""
    cells = {c.key: values.get(c.key, 0) for c in APPLICANT_COLUMNS}
    return {**cells, "total": sum(cells.values())}


def appeal(**values: int) -> dict[str, int]:
    cells = {c.key: values.get(c.key, 0) for c in APPEAL_COLUMNS[:-1]}
    return {**cells, "total": sum(cells.values())}


def valid_input(carried_over: int = 1, carried_forward: int = 1) -> dict[str, Any]:
    """A consistent year: 自然人 5 new + `carried_over` = 4 handled + `carried_forward`."""
    new_np = 4 + carried_forward - carried_over
    results: dict[str, Any] = {
        "granted": row(natural_person=2, enterprise=1),
        "partial": row(natural_person=1),
    }
    for group in RESULT_GROUPS:
        results[group.key] = {r.path[-1]: 0 for r in group.rows}
    results["withheld"]["third_party"] = row(natural_person=1)
    results["total"] = row(natural_person=4, enterprise=1)
    return {
        "overview": "本年度政府信息公开工作总体情况。\n第二段。",
        "active_disclosure": {
            "licensing": {"total": 10, "by_department": {"规划建设股": 7, "办公室": 3}},
            "punishment": 2,
            "coercion": 0,
            "fees": {"total": 1.25, "by_department": {"规划建设股": 1.25}},
            "repealed": [],
        },
        "applications": {
            "new": row(natural_person=new_np, enterprise=1),
            "carried_over": row(natural_person=carried_over),
            "results": results,
            "carried_forward": row(natural_person=carried_forward),
        },
        "review_litigation": {
            "review": appeal(upheld=1, pending=1),
            "litigation_direct": 0,
            "litigation_after_review": appeal(corrected=1),
        },
        "problems": "存在的问题。",
        "other_matters": "本年度未收取信息处理费。",
    }


def dump(data: Any) -> str:
    """YAML as a clerk would write it: one table row per line (flow style for leaf mappings)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)


class Site:
    """A project folder under tmp_path; write files, then `load()` it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "content" / "items").mkdir(parents=True)
        (root / "content" / "reports").mkdir()
        (root / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: docs\nplugins:\n  - gongkai\n", encoding="utf-8")
        (root / "docs").mkdir()
        (root / "content" / "catalog.yml").write_text(CATALOG, encoding="utf-8")
        self.serials: dict[int, int] = {}

    def report(self, year: int, data: Any) -> Path:
        file = self.root / "content" / "reports" / f"{year}.yml"
        file.write_text(data if isinstance(data, str) else dump(data), encoding="utf-8")
        return file

    def item(self, published: str, *, category: str = "动态信息", department: str = "办公室",
             disclosure: str = "主动公开", **extra: Any) -> str:
        """Write an item (empty review: the report does not need the check to pass); return its 索引号."""
        year = int(published[:4])
        self.serials[year] = self.serials.get(year, 0) + 1
        index_no = f"{ORG_CODE}/{year}-{self.serials[year]:05d}"
        meta = {
            "title": f"测试条目 {index_no}", "index_no": index_no, "category": category,
            "department": department, "published": published, "disclosure": disclosure, **extra,
        }
        folder = self.root / "content" / "items" / str(year)
        folder.mkdir(exist_ok=True)
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n正文。\n"
        (folder / f"{year}-{self.serials[year]:05d}.md").write_text(text, encoding="utf-8")
        return index_no

    def application(self, number: str, received: str, applicant: str = "自然人", answered: str | None = None,
                    outcome: str | None = None, *, folder: str | None = None, **extra: Any) -> Path:
        """Write a file of the 依申请公开 register (content/applications/<year>/<number>.yml)."""
        fields = {"received": received, "channel": "网络", "applicant": applicant, "request": f"测试申请 {number}",
                  "answered": answered, "outcome": outcome, **extra}
        lines = [f"{key}: {_flow(value)}" for key, value in fields.items() if value is not None]
        file = self.root / "content" / "applications" / (folder or received[:4]) / f"{number}.yml"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return file

    def load(self):
        from gongkai.project import load_project

        return load_project(self.root)


def _flow(value: Any) -> str:
    """A YAML value on one line: mappings in flow style, dates unquoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def without_tables(data: dict) -> dict:
    """A year's input with tables 三 and 四 left to the register."""
    return {key: value for key, value in data.items() if key not in ("applications", "review_litigation")}


def report_problems(site: Site, today: dt.date = TODAY):
    from gongkai.report.validation import load_inputs

    return load_inputs(site.load(), today)[1]


def deep(data: dict) -> dict:
    return copy.deepcopy(data)
