"""The sample inputs in content/reports/: clean, consistent, and every number in them is checked.

The mutation test changes each number of each sample file by +1, one at a time, and expects an
error in that file on the changed line (or, for a 分项 under `by_department`, on its `total` line
just above).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gongkai.project import load_project
from gongkai.report import build_report, render_report
from gongkai.report.validation import load_inputs, read_inputs
from tests.report.report_helpers import TODAY

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "content" / "reports").glob("*.yml"))
GONGKAI = Path(sys.executable).with_name("gongkai")


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The sample site without its attachments (the report never reads them)."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("attachments"))
    (root / "mkdocs.yml").write_text("site_name: 样例\ndocs_dir: docs\nplugins:\n  - gongkai\n", encoding="utf-8")
    (root / "docs").mkdir()
    return root


def numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every int/float scalar in the YAML text, the value plus one."""
    found = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith((":int", ":float")):
                value = yaml.safe_load(node.value)
                found.append((node.start_mark.index, node.end_mark.index, str(value + 1)))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(key)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                walk(child)

    walk(yaml.compose(text))
    return found


def test_there_are_samples_for_two_consecutive_years():
    years = [int(file.stem) for file in SAMPLES]
    assert 2024 in years and 2025 in years


def test_samples_have_no_errors(copy: Path):
    _, problems = load_inputs(load_project(copy), TODAY)
    assert [p for p in problems if p.is_error] == []


def test_samples_carry_over_from_year_to_year(copy: Path):
    project = load_project(copy)
    years = [int(file.stem) for file in SAMPLES]
    for year in years:
        if year - 1 in years:
            this, last = build_report(project, year, TODAY), build_report(project, year - 1, TODAY)
            assert this.applications["carried_over"] == last.applications["carried_forward"]
            assert this.applications["carried_over"]["total"] > 0  # the samples do carry an application over


def test_sample_tables_three_and_four_are_counted_not_typed():
    for file in SAMPLES:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert "applications" not in data and "review_litigation" not in data


def test_sample_reports_render(copy: Path):
    project = load_project(copy)
    for file in SAMPLES:
        report = build_report(project, int(file.stem), TODAY)
        assert report.proactive_total > 0  # the sample items are counted, not hard-coded
        for fmt in ("markdown", "json", "csv", "html"):
            assert render_report(project, report.year, fmt, today=TODAY)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda file: file.name)
def test_changing_any_number_is_an_error(copy: Path, sample: Path):
    project = load_project(copy)
    target = copy / "content" / "reports" / sample.name
    rel = f"content/reports/{sample.name}"
    original = sample.read_text(encoding="utf-8")
    mutations = numbers(original)
    assert len(mutations) > 10
    missed = []
    try:
        for start, end, replacement in mutations:
            text = original[:start] + replacement + original[end:]
            target.write_text(text, encoding="utf-8")
            line = original.count("\n", 0, start) + 1
            _, problems = read_inputs(project, TODAY)
            lines = {p.line for p in problems if p.is_error and p.path == rel}
            if not lines & {line, line - 1}:
                missed.append(f"{rel}:{line}: {original.splitlines()[line - 1].strip()}")
    finally:
        target.write_text(original, encoding="utf-8")
    assert missed == []


def _gongkai(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat()}
    return subprocess.run([str(GONGKAI), *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_gongkai_check_fails_on_a_changed_number(copy: Path):
    target = copy / "content" / "reports" / "2025.yml"
    original = target.read_text(encoding="utf-8")
    assert _gongkai(copy, "check", "content/reports").returncode == 0
    try:
        changed = original.replace("  licensing:         # 行政许可：本年处理决定数量\n    total: 94", "  licensing:\n    total: 95")
        assert changed != original
        target.write_text(changed, encoding="utf-8")
        result = _gongkai(copy, "check", "content/reports")
    finally:
        target.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "content/reports/2025.yml:" in result.stdout and "GK815" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_sample_years_late_answer_is_shown_before_its_report(copy: Path):
    late = _gongkai(copy, "report", "2025")
    assert late.returncode == 0 and "content/applications/2025/2025-012.yml" in late.stderr and "GK842" in late.stderr
    assert "三、收到和处理政府信息公开申请情况" in late.stdout and "GK842" not in late.stdout
    on_time = _gongkai(copy, "report", "2024")
    assert on_time.returncode == 0 and "GK842" not in on_time.stderr
