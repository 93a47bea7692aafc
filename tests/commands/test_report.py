"""`gongkai report` as a user runs it: exit codes, output, Chinese errors, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projects import Project
from tests.report.report_helpers import TODAY, report_project, valid_input
from tests.review_keys import Keys

GONGKAI = [os.path.join(os.path.dirname(sys.executable), "gongkai")]


@pytest.fixture
def site(tmp_path: Path, keys: Keys) -> Project:
    return report_project(tmp_path, keys)


def run(site: Project, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat()}
    return subprocess.run([*GONGKAI, *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=120)


def test_report_json(site: Project):
    site.report_item("2025-03-01")
    site.report(2024, valid_input())
    site.report(2025, valid_input())
    result = run(site, "report", "2025", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["year"] == 2025 and data["proactive_total"] == 1 and data["by_category"] == {"动态信息": 1}


def test_report_markdown_and_csv(site: Project):
    site.report(2025, valid_input())
    markdown = run(site, "report", "2025")
    assert markdown.returncode == 0 and "## 三、收到和处理政府信息公开申请情况" in markdown.stdout
    table = run(site, "report", "2025", "--format", "csv")
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0] == ["年度", "栏目", "项目", "指标", "数值"]
    assert all(len(row) == 5 for row in rows)  # no blank last row


def test_missing_year_is_a_clear_chinese_error(site: Project):
    site.report(2025, valid_input())
    result = run(site, "report", "2019")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "没有 2019 年的年度报告数据" in result.stderr and "content/reports/2019.yml" in result.stderr
    assert "Traceback" not in result.stderr


def test_input_with_errors_points_to_check(site: Project):
    data = valid_input()
    data["review_litigation"]["review"]["total"] = 7
    site.report(2025, data)
    result = run(site, "report", "2025", "--format", "json")
    assert result.returncode == 1 and result.stdout == ""
    assert "gongkai check content/reports/2025.yml" in result.stderr and "GK814" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_yaml_is_refused_without_traceback(site: Project):
    site.report(2025, "applications: {new: [\n")
    result = run(site, "report", "2025")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "GK005" in result.stderr


def test_warnings_that_bear_on_the_year_come_first_on_stderr(site: Project):
    site.report_item("2024-03-01", category="规范性文件", genre="规范性文件", validity="失效")
    site.report(2023, valid_input())
    site.report(2025, valid_input())
    result = run(site, "report", "2025", "--format", "json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)  # the warnings stay out of the report itself
    first, *rest = result.stderr.splitlines()
    assert first.startswith("content/items/2024/2024-00001.md:") and " GK822 warning: " in first
    assert "与 2025 年年报有关的问题：0 个错误，1 个警告" in rest[0]
    # published after 2023: its unknown repeal year cannot touch 2023's 现行有效件数
    earlier = run(site, "report", "2023", "--format", "json")
    assert earlier.returncode == 0 and earlier.stderr == ""


def test_an_error_in_next_years_carry_over_stops_this_years_report(site: Project):
    site.report(2024, valid_input(carried_forward=1))
    site.report(2025, valid_input(carried_over=2))
    result = run(site, "report", "2024", "--format", "json")
    assert result.returncode == 1 and result.stdout == ""
    assert "content/reports/2025.yml:" in result.stderr and "GK813 error" in result.stderr
    assert "年报没有生成" in result.stderr and "Traceback" not in result.stderr


def test_an_error_of_another_year_does_not_stop_this_one(site: Project):
    broken = valid_input()
    broken["review_litigation"]["review"]["total"] = 7
    site.report(2023, broken)
    site.report(2025, valid_input())
    assert run(site, "report", "2025").returncode == 0
    refused = run(site, "report", "2023")
    assert refused.returncode == 1 and "GK814" in refused.stderr


# The files the site is made from: replaced by a report, a signed item, the roster or the very data the report is
# computed from was lost unless committed, and one written into docs/ went on the site.
@pytest.mark.parametrize("target", ["content/catalog.yml", "content/reports/2025.yml", "content/items/新.md", "mkdocs.yml",
                                    "docs/年报.md", "link-into-content.csv", "content/../mkdocs.yml"])
@pytest.mark.parametrize("command", [("report", "2025", "--format", "csv", "--output"), ("audit", "--output")])
def test_no_report_is_written_over_the_files_the_site_is_made_from(site: Project, target, command):
    site.report(2025, valid_input())
    (site.root / "docs").mkdir(exist_ok=True)
    (site.root / "link-into-content.csv").symlink_to(site.root / "content" / "catalog.yml")
    before = {path: path.read_bytes() for path in site.root.rglob("*") if path.is_file()}
    result = run(site, *command, target)
    assert result.returncode == 1 and result.stderr.startswith("错误：") and "报告不能写进" in result.stderr, result.stderr
    example = "例如 --output 2025年政府信息公开工作年度报告.csv" if command[0] == "report" else "例如 --output 自查报告.html"
    assert example in result.stderr, result.stderr  # the example is of the command run, not the other's
    assert {path: path.read_bytes() for path in site.root.rglob("*") if path.is_file()} == before


def test_a_report_goes_anywhere_else(site: Project):
    site.report(2025, valid_input())
    result = run(site, "report", "2025", "--format", "csv", "--output", "2025年年报.csv")
    assert result.returncode == 0, result.stderr
    assert (site.root / "2025年年报.csv").read_text(encoding="utf-8").startswith(run(site, "report", "2025", "--format", "csv").stdout[:20])


@pytest.mark.parametrize("command", ["report", "report-docx", "audit"])
def test_a_report_on_a_full_disk_is_said_in_chinese_and_keeps_the_old_file(site: Project, command, tmp_path):
    """`report -o` and `audit --output` replace their file whole: a failed write (here a file size limit, as for a full
    disk) says why in Chinese — the system's own words are English under a CI job's C locale — and keeps the old file."""
    import resource
    import signal

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    site.report(2025, valid_input())
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "out.bin"
    target.write_bytes(b"old")
    args = {"report": ["report", "2025", "-o", str(target)],
            "report-docx": ["report", "2025", "--format", "docx", "-o", str(target)],
            "audit": ["audit", "--format", "html", "--output", str(target)]}[command]
    result = subprocess.run([*GONGKAI, *args], cwd=site.root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "GONGKAI_TODAY": TODAY.isoformat(), "LC_ALL": "C.UTF-8"}, preexec_fn=limited)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"错误：无法写入 {target}：超过了文件大小上限，原有的文件保持不变" in result.stderr, result.stderr
    assert "File too large" not in result.stderr and "内部错误" not in result.stderr
    assert target.read_bytes() == b"old"
    assert [path.name for path in folder.iterdir()] == ["out.bin"]


@pytest.mark.parametrize("target", ["", " ", "年报\n.md", "a\u202egpj.md"])
@pytest.mark.parametrize("command", [("report", "2025", "--output"), ("audit", "--output")])
def test_an_output_that_names_no_file_is_refused_as_such(site: Project, target, command):
    """`-o "$OUT"` with the variable unset: the write of “.” failed as “正被占用 … 文件是否正被 Word 或 WPS 打开？”."""
    site.report(2025, valid_input())
    result = run(site, *command, target)
    said = "不是文件名：请写出要写入的文件" if not target.strip() else "中有换行、控制字符或双向控制符"
    assert result.returncode == 1 and said in result.stderr, result.stderr
    assert ("年度报告.md" in result.stderr) == (command[0] == "report"), result.stderr
    assert not [path for path in site.root.iterdir() if path.name.strip() and path.name in target]  # nothing written
