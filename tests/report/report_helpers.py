"""The annual report's test inputs: a consistent year, table rows, the catalog and the day its projects use."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from gongkai.report.layout import APPEAL_COLUMNS, APPLICANT_COLUMNS, RESULT_GROUPS
from tests.projects import ORG_CODE, Project
from tests.review_keys import Keys

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


def without_tables(data: dict) -> dict:
    """A year's input with tables 三 and 四 left to the register."""
    return {key: value for key, value in data.items() if key not in ("applications", "review_litigation")}


def report_project(root: Path, keys: Keys) -> Project:
    """A project for the report: a third department, the report's day, an empty content/reports/."""
    project = Project(root, keys, catalog=CATALOG, today=TODAY)
    (project.content / "reports").mkdir()
    return project


def report_problems(site: Project, today: dt.date = TODAY):
    from gongkai.report.validation import load_inputs

    return load_inputs(site.load(), today)[1]


def deep(data: dict) -> dict:
    return copy.deepcopy(data)
