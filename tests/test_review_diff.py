"""`gongkai diff`: what changed since the last sign-off, found in git."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from gongkai.cli import main


def git(site, *args: str) -> None:
    subprocess.run(["git", "-C", str(site.root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(site, monkeypatch):
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-12-31")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    git(site, "init", "-q")
    git(site, "config", "user.email", "editor@example.invalid")
    git(site, "config", "user.name", "编辑")
    return site


def commit(site, message: str = "内容") -> None:
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", message)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_diff_shows_front_matter_body_and_attachments(repo):
    repo.attach("2021/名单.csv", "姓名,户数\n甲,1\n".encode())
    repo.attach("2021/标准.csv", "档次,金额\n一类,20000\n".encode())
    attachments = [{"title": "名单", "file": "2021/名单.csv"}, {"title": "标准", "file": "2021/标准.csv"}]
    path = repo.item(attachments=attachments, keywords=["住房"])
    commit(repo, "复核通过")
    text = path.read_text(encoding="utf-8")
    text = text.replace("认真落实", "认真贯彻落实").replace("- 住房", "- 保障性住房")
    text = text.replace("\n---\n\n", "\n---\n\n新增的第一段。\n\n", 1)
    path.write_text(text, encoding="utf-8")
    repo.attach("2021/名单.csv", "姓名,户数\n乙,2\n".encode())
    result = run("diff", repo.rel(path))
    assert result.exit_code == 0
    out = result.output
    assert "与复核签署时的版本（提交" in out
    assert 'keywords：["住房"] → ["保障性住房"]' in out
    assert "  -一、各单位要认真落实。" in out and "  +一、各单位要认真贯彻落实。" in out and "  +新增的第一段。" in out
    assert "2021/名单.csv：已替换" in out and "标准.csv" not in out
    data = json.loads(run("diff", repo.rel(path), "--format", "json").output)
    assert data["attachments"] == [{"file": "2021/名单.csv", "change": "已替换"}]


def test_diff_of_an_unchanged_and_of_an_unsigned_item(repo):
    path = repo.item()
    assert "没有改动" in run("diff", repo.rel(path)).output
    fresh = repo.item("2021/b.md", signed=False)
    assert "尚未签署" in run("diff", repo.rel(fresh)).output


def test_diff_when_the_signed_version_was_never_committed(repo):
    path = repo.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    assert "找不到复核时的版本" in run("diff", repo.rel(path)).output
