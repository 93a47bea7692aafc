"""Property tests: any consistent table passes; any single changed number is caught on its own line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.limits import Limits
from gongkai.report import codes
from gongkai.report.inputs import parse_input
from gongkai.report.layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_COLUMNS,
    APPLICATION_ROWS,
    RESULT_ROWS,
)
from tests.projects import dump_report
from tests.report.report_helpers import valid_input

COUNT = st.integers(min_value=0, max_value=6)


@st.composite
def tables(draw) -> dict:
    """A valid input whose table 三 / 四 cells are random but add up."""
    data = valid_input()
    apps = data["applications"]
    rows: dict[str, dict[str, int]] = {row.key: {} for row in APPLICATION_ROWS}
    for column in APPLICANT_COLUMNS:
        handled = 0
        for row in RESULT_ROWS:
            rows[row.key][column.key] = value = draw(COUNT)
            handled += value
        forward = draw(COUNT)
        over = draw(st.integers(min_value=0, max_value=handled + forward))
        rows["results.total"][column.key] = handled
        rows["carried_forward"][column.key] = forward
        rows["carried_over"][column.key] = over
        rows["new"][column.key] = handled + forward - over
    for row in APPLICATION_ROWS:
        cells = rows[row.key]
        cells["total"] = sum(cells.values())
        parent = apps
        for part in row.path[:-1]:
            parent = parent[part]
        parent[row.path[-1]] = cells
    for appeal in APPEAL_ROWS:
        cells = {c.key: draw(COUNT) for c in APPEAL_COLUMNS[:-1]}
        data["review_litigation"][appeal.key] = {**cells, "total": sum(cells.values())}
    return data


def parse(text: str):
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "2024.yml"
        file.write_text(text, encoding="utf-8")
        return parse_input(file, "content/reports/2024.yml", 2024, None, limit=Limits().item_bytes)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_consistent_tables_pass(data):
    report, problems = parse(dump_report(data))
    assert problems == []
    assert report is not None and report.applications["results.total"]["total"] == sum(
        report.applications[row.key]["total"] for row in RESULT_ROWS
    )


def _cell(data: dict, path: tuple[str, ...]) -> dict:
    here = data
    for part in path:
        here = here[part]
    return here


@settings(max_examples=80, deadline=None)
@given(
    tables(),
    st.sampled_from([("applications", *row.path) for row in APPLICATION_ROWS] + [("review_litigation", row.key) for row in APPEAL_ROWS]),
    st.integers(min_value=0, max_value=len(APPLICATION_COLUMNS) - 1),
    st.sampled_from([-2, -1, 1, 2, 5]),
)
def test_any_changed_number_is_an_error_on_its_line(data, where, column_index, delta):
    cells = _cell(data, where)
    column = list(cells)[column_index % len(cells)]
    if cells[column] + delta < 0:
        delta = -delta
    cells[column] += delta
    text = dump_report(data)
    _, problems = parse(text)
    needle = f"{where[-1]}: {{"
    changed_line = next(n for n, line in enumerate(text.split("\n"), 1) if line.strip().startswith(needle))
    assert any(p.is_error and p.line == changed_line for p in problems), (where, column, problems)
    assert {p.code for p in problems} <= {codes.ROW_TOTAL.code, codes.RESULTS_TOTAL.code, codes.BALANCE.code, codes.APPEAL_TOTAL.code}
