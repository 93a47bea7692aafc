"""`gongkai audit` end to end: the real build in a temporary folder, every format, the exit code.

The audited project: the shared fixture site in a git repository, with one dead link planted."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from tests.audit.gitrepo import commit, init
from tests.projects import make_project, write_item

pytestmark = pytest.mark.slow

DEAD_TARGET = "/banshi/zhinan/"


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> Path:
    """The fixture project, committed on the days its items say, plus an item linking nowhere."""
    fixture = make_project(tmp_path_factory.mktemp("audit") / "project")
    root = fixture.root
    init(root)
    commit(root, "2024-06-01", "导入原网站的信息")
    write_item(root, 2024, 90, f"办事指南见[这里]({DEAD_TARGET})。", title="关于调整办事指南的通知",
               category="动态信息", department="办公室", published=fixture.today)
    commit(root, fixture.today.isoformat(), "发布")
    return root


@pytest.fixture(scope="module")
def json_run(audited):
    with contextlib.chdir(audited):
        return CliRunner().invoke(main, ["audit", "--today", "2024-06-30", "--format", "json"])


def test_a_dead_link_in_the_built_site_is_the_only_link_finding(json_run):
    assert json_run.exit_code == 1, json_run.output
    data = json.loads(json_run.stdout)
    dead = [f for f in data["findings"] if f["indicator"] == "dead-link"]
    assert len(dead) == 1 and DEAD_TARGET.strip("/") in dead[0]["message"] and dead[0]["level"] == "单项否决"
    assert dead[0]["path"] == "content/items/2024/2024-00090.md"
    assert dead[0]["url"] == "https://zjj.qinghe.gov.cn/items/2024/00090/"
    assert data["vetoed"] is True


def test_the_site_gongkai_builds_has_no_other_dead_links_and_external_ones_are_listed(json_run):
    data = json.loads(json_run.stdout)
    listed = next(f for f in data["findings"] if f["indicator"] == "external-links")
    assert listed["level"] == "提示" and any(link.startswith("https://beian.miit.gov.cn") for link in listed["details"])


def test_every_indicator_is_in_the_json_with_its_result(json_run):
    data = json.loads(json_run.stdout)
    passed = {i["key"]: i["passed"] for i in data["indicators"]}
    assert passed["dead-link"] is False and passed["backdated"] is True and passed["serious-wording"] is True


def test_html_and_text_to_a_file(audited, tmp_path, monkeypatch):
    monkeypatch.chdir(audited)
    out = tmp_path / "自查报告.html"
    result = CliRunner().invoke(main, ["audit", "--today", "2024-06-30", "--format", "html", "--output", str(out)])
    assert result.exit_code == 1
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<script" not in html
    assert html.index("单项否决问题（须立即整改）") < html.index("问题清单")
    assert 'href="https://zjj.qinghe.gov.cn/items/2024/00090/"' in html
    result = CliRunner().invoke(main, ["audit", "--today", "2024-06-30", "--output", str(tmp_path / "missing" / "a.txt")])
    assert result.exit_code == 1 and "无法写入" in result.output and "Traceback" not in result.output


def test_a_bad_date_is_a_chinese_usage_error(audited, monkeypatch):
    monkeypatch.chdir(audited)
    result = CliRunner().invoke(main, ["audit", "--today", "2024-02-30"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
