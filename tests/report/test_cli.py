"""`gongkai report` as a user runs it: exit codes, output, Chinese errors, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

from report_helpers import TODAY, Site, valid_input

GONGKAI = [os.path.join(os.path.dirname(sys.executable), "gongkai")]


def run(site: Site, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat()}
    return subprocess.run([*GONGKAI, *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=120)


def test_report_json(site: Site):
    site.item("2025-03-01")
    site.report(2024, valid_input())
    site.report(2025, valid_input())
    result = run(site, "report", "2025", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["year"] == 2025 and data["proactive_total"] == 1 and data["by_category"] == {"动态信息": 1}


def test_report_markdown_and_csv(site: Site):
    site.report(2025, valid_input())
    markdown = run(site, "report", "2025")
    assert markdown.returncode == 0 and "## 三、收到和处理政府信息公开申请情况" in markdown.stdout
    table = run(site, "report", "2025", "--format", "csv")
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0] == ["年度", "栏目", "项目", "指标", "数值"]
    assert all(len(row) == 5 for row in rows)  # no blank last row


def test_missing_year_is_a_clear_chinese_error(site: Site):
    site.report(2025, valid_input())
    result = run(site, "report", "2019")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "没有 2019 年的年度报告数据" in result.stderr and "content/reports/2019.yml" in result.stderr
    assert "Traceback" not in result.stderr


def test_input_with_errors_points_to_check(site: Site):
    data = valid_input()
    data["review_litigation"]["review"]["total"] = 7
    site.report(2025, data)
    result = run(site, "report", "2025", "--format", "json")
    assert result.returncode == 1 and result.stdout == ""
    assert "gongkai check content/reports/2025.yml" in result.stderr and "GK814" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_yaml_is_refused_without_traceback(site: Site):
    site.report(2025, "applications: {new: [\n")
    result = run(site, "report", "2025")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "YAML" in result.stderr
