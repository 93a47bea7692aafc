"""“Did you mean” hints and lists of known names cost bounded work however many problems ask for them.

Every place that answers an unknown name with the closest known one, or with the list of known ones, is
planted with many unknown names against a catalog of long names: items (column, department, series), the
督查督办 register, the annual report's inputs (a figure's departments, the repeal list) and the roster.
Before, each problem compared its word with every name and printed every name: 3,000 督办件 against 180
departments of 100 characters cost a check 161 s and 165 MB of output, and 60,000 listed 索引号 in one report
file, each compared with every item, 232 s. The work is counted (difflib's comparisons), never timed.
"""

from __future__ import annotations

import difflib
import random

from gongkai.registers import codes as register_codes
from gongkai.report import codes as report_codes
from tests.projects import CATALOG
from tests.registers.register_helpers import write_entry
from tests.report.report_helpers import valid_input

ALPHABET = "住房保障股建设局办公室规划市政村镇质量安全监督站"
UNKNOWN = 40  # unknown names of each kind


def _words(seed: int, count: int, length: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(length)) for _ in range(count)]


def _catalog(departments: list[str], columns: list[str], series: list[str]) -> str:
    text = CATALOG.replace("departments:\n", "departments:\n" + "".join(
        f"  - {{name: {name}, slug: d{number}}}\n" for number, name in enumerate(departments)))
    text += "  - name: 长栏目\n    slug: long\n    children:\n" + "".join(
        f"      - {{name: {name}, slug: c{number}}}\n" for number, name in enumerate(columns))
    text += "series:\n" + "".join(
        f"  - {{name: {name}, column: 动态信息, every: quarter, due: 次月底, start: 2021Q1, slug: s{number}}}\n"
        for number, name in enumerate(series))
    return text


def test_unknown_names_cost_bounded_work_and_messages(site, monkeypatch):
    # 180 departments and 120 columns of 100 characters: within the sum the catalog allows (catalog.MAX_NAMES)
    departments, columns, series = _words(1, 180, 100), _words(2, 120, 100), _words(3, 150, 100)
    site.catalog = _catalog(departments, columns, series)
    unknown = _words(4, UNKNOWN, 100)
    site.reviewers = {"李明": (f"[{', '.join(unknown)}]", "[initial, final]"), "王芳": ("[全部]", "[initial, final]")}
    site.write_catalog()
    for number, word in enumerate(unknown):
        site.item(f"2021/x{number}.md", signed=False, category=word, department=word, series=word, period="2021Q3")
        write_entry(site.root, f"2021-{number:03d}", department=word, received="2021-04-10", deadline="2021-04-17",
                    closed="2021-04-15")
    document = site.report_item("2021-03-01", category="规范性文件", genre="规范性文件", validity="废止")
    data = valid_input()
    data["active_disclosure"]["licensing"] = {"total": UNKNOWN, "by_department": dict.fromkeys(unknown, 1)}
    # Numbers one digit off the document's, so that each of them is a close match worth comparing on.
    data["active_disclosure"]["repealed"] = [f"{document[:-5]}{serial:05d}" for serial in range(100, 400)]
    site.report(2021, data)

    compared = 0
    ratio = difflib.SequenceMatcher.ratio

    def counted(self):
        nonlocal compared
        compared += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    problems = site.check()

    codes = [problem.code for problem in problems]
    assert "GK907" not in codes  # the catalog is read: its names are what the hints are compared with
    assert codes.count(register_codes.UNKNOWN_DEPARTMENT.code) == UNKNOWN  # each still named
    assert codes.count(report_codes.REPEALED_REFERENCE.code) == 300
    assert codes.count(report_codes.UNKNOWN_DEPARTMENT.code) >= UNKNOWN
    # No message lists 180 names of 100 characters (18,000 characters each, one per problem).
    assert max(len(problem.message) for problem in problems) < 2_000
    # A few hints for the repeal list (each compares with the one document), none against the long names.
    assert compared <= 100
    assert sum("是不是" in problem.message for problem in problems if problem.code == report_codes.REPEALED_REFERENCE.code) == 20
