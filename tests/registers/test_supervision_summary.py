"""`gongkai supervision [YEAR] [--format text|json|csv]` on the sample register and on a fixture."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.registers.register_helpers import write_entry

REPO = Path(__file__).resolve().parents[2]
GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_TODAY": "2026-11-27"}
    return subprocess.run([GONGKAI, "supervision", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("attachments"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "theme_overrides" / "docs").mkdir(parents=True)
    return root


def test_json_counts_by_source_and_status(sample):
    result = run(sample, "2024", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    entries = [p for p in (sample / "content" / "supervision" / "2024").glob("*.yml")]
    assert data["total"]["received"] == len(entries)
    assert data["total"]["cancelled"] == 1
    # 2024-012 was closed on 8 January 2025: on 31 December 2024 it was still open.
    assert data["total"]["open"] == 1 and data["total"]["done"] == len(entries) - 2
    assert data["by_source"]["政协委员提案"] == {"received": 2, "done": 2, "open": 0, "cancelled": 0, "rate": "100.00%"}
    assert data["closed_late"] == 1
    assert sum(counts["received"] for counts in data["by_source"].values()) == data["total"]["received"]


def test_csv_has_one_row_per_source_and_a_total(sample):
    rows = list(csv.reader(io.StringIO(run(sample, "2025", "--format", "csv").stdout)))
    assert rows[0] == ["年度", "来源", "收到", "已办结", "办理中", "已取消", "办结率"]
    assert [row[1] for row in rows[1:]][-1] == "合计" and len(rows) == 2 + 9
    total = rows[-1]
    assert int(total[2]) == sum(int(row[2]) for row in rows[1:-1])


def test_text_names_the_overdue_ones(tmp_path, site):
    write_entry(site.root, "2025-001", status="办理中", closed=None)
    write_entry(site.root, "2025-002", status="已取消", result="重复")
    result = run(site.root, "2025", "--today", "2025-05-01")
    assert result.returncode == 0
    assert "逾期未办结 1 件" in result.stdout and "content/supervision/2025/2025-001.yml" in result.stdout
    assert "0.00%" in result.stdout  # 0 done ÷ (2 received − 1 cancelled)


def test_the_year_defaults_to_this_year_and_broken_files_fail(site):
    write_entry(site.root, "2025-001")
    write_entry(site.root, "2025-002", source="电话")
    result = run(site.root, "--today", "2025-05-01", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["year"] == 2025 and json.loads(result.stdout)["total"]["received"] == 1
    assert "2025-002.yml" in result.stderr and "GK834" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("year", ["0", "10000", "-5"])
def test_a_year_that_is_not_a_year_is_refused_in_chinese(site, year):
    result = run(site.root, "--", year) if year.startswith("-") else run(site.root, year)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "年份" in result.stderr


def test_a_day_before_the_year_is_refused_in_chinese(site):
    """Counted as of a day before the year begins, every count of it was 0, as if nothing had been received."""
    write_entry(site.root, "2025-001")
    result = run(site.root, "2025", "--today", "2024-12-31")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "早于 2025 年" in result.stderr and result.stdout == ""
    assert run(site.root, "2025", "--today", "2025-01-01").returncode == 0
