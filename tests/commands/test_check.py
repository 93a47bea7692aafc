"""`gongkai check` through its command line: the three output formats, paths, exit codes."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from tests.test_shown_output import acts


@pytest.fixture
def run(site, monkeypatch):
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-12-31")

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def _fill_categories(site):
    """Items in every leaf, so that the catalog has no 空白栏目 warning."""
    site.item("2021/b.md", category="政策解读", genre="解读")
    site.item("2021/c.md", category="动态信息", published="2021-12-20", written="2021-12-19", signed=False)
    site.sign(site.content / "items/2021/c.md", date=__import__("datetime").date(2021, 12, 19))


def test_clean_site_exits_0(site, run):
    site.item()
    _fill_categories(site)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_text_format_lines_are_sorted_then_summary(site, run):
    site.item("2021/a.md", body="电话13912345678\n", doc_no="测[2021]1号")
    site.item("2021/z.md", signed=False)
    _fill_categories(site)
    result = run("check")
    assert result.exit_code == 1
    lines = result.output.strip().split("\n")
    pattern = re.compile(r"^(content/\S+):(\d+):(\d+): (GK\d{3}) (error|warning): .+$")
    problems = [pattern.match(line) for line in lines[:-1]]
    matched = [m for m in problems if m is not None]
    assert len(matched) == len(problems), lines
    assert [m[4] for m in matched] == ["GK114", "GK303", "GK201"]
    keys = [(m[1], int(m[2]), int(m[3])) for m in matched]
    assert keys == sorted(keys)
    assert lines[-1] == "检查了 5 个文件：2 个错误，1 个警告。"  # catalog.yml and four items


def test_the_count_includes_report_register_and_lexicon_files(site, run):
    _fill_categories(site)
    before = run("check").output.strip().split("\n")[-1]
    (site.content / "lexicon.yml").write_text("replace:\n  - {wrong: 登陆网站, right: 登录网站}\n", encoding="utf-8")
    for folder in ("applications/2025", "supervision/2025", "reports"):
        (site.content / folder).mkdir(parents=True, exist_ok=True)
    (site.content / "applications/2025/a.yml").write_text("not: [a register\n", encoding="utf-8")
    (site.content / "supervision/2025/b.yml").write_text("not: [a register\n", encoding="utf-8")
    (site.content / "reports/2024.yml").write_text("not: [a report\n", encoding="utf-8")
    after = run("check").output.strip().split("\n")[-1]
    files = int(re.match(r"检查了 (\d+) 个文件", before)[1])  # type: ignore[index]
    assert re.match(rf"检查了 {files + 4} 个文件：", after), (before, after)


def test_warnings_alone_exit_0(site, run):
    site.item(doc_no="测[2021]1号")
    _fill_categories(site)
    result = run("check")
    assert result.exit_code == 0 and "GK114 warning" in result.output


def test_github_format(site, run):
    site.item(body="电话13912345678\n")
    _fill_categories(site)
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    [line] = [text for text in result.output.split("\n") if text.startswith("::")]
    assert re.match(r"^::error file=content/items/2021/a\.md,line=\d+,col=\d+,title=GK303::.*139\*\*\*\*5678", line)
    assert "13912345678" not in result.output


def test_json_format(site, run):
    site.item(body="电话13912345678\n")
    _fill_categories(site)
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(p["code"], p["severity"], p["path"]) for p in data] == [("GK303", "error", "content/items/2021/a.md")]
    assert set(data[0]) == {"path", "line", "col", "code", "severity", "message"}


def test_paths_limit_the_report(site, run):
    site.item("2021/a.md", body="电话13912345678\n")
    other = site.item("2021/b.md", signed=False)
    result = run("check", "--format", "json", str(other))
    assert {p["path"] for p in json.loads(result.stdout)} == {"content/items/2021/b.md"}


def test_paths_the_check_does_not_read_are_named_as_unchecked(site, run):
    site.item("2021/a.md", body="电话13912345678\n")
    (site.root / "README.md").write_text("电话13912345678\n", encoding="utf-8")
    (site.root / "scripts").mkdir()
    result = run("check", "--format", "json", "README.md", "scripts", str(site.content / "items"), "mkdocs.yml")
    notices = [line for line in result.stderr.splitlines() if line.startswith("注意：")]
    assert [notice.split(" ")[0] for notice in notices] == ["注意：README.md", "注意：scripts"]
    assert "gongkai check 不读它" in notices[0]
    assert {p["path"] for p in json.loads(result.stdout)} == {"content/items/2021/a.md"}  # stdout stays the list
    whole = run("check", ".")
    assert "注意：" not in whole.output  # the project's folder holds the content


def test_broken_files_are_reported_and_others_still_checked(site, run):
    site.write("2021/bad.md", "---\ntitle: [通知\n---\n")
    site.item("2021/good.md", body="电话13912345678\n")
    result = run("check")
    assert re.search(r"^content/items/2021/bad.md:2:\d+: GK005 error: 这一行的“\[”没有配对", result.output, re.M)
    assert "GK303" in result.output
    assert "Traceback" not in result.output


def test_outside_a_site_is_a_clear_refusal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "mkdocs.yml" in result.output and "Traceback" not in result.output


HOSTILE = "供水##[add-mask]GK303 ##vso[task.setvariable]x \x1b]0;标题\x07\u202e"


@pytest.mark.parametrize("place", ["title", "series", "file"])
def test_what_content_brings_into_the_checks_lines_acts_on_nothing(site, run, place):
    """A title, a value quoted in a message, a file's name: in text, in GitHub's annotations and in JSON."""
    if place == "title":
        site.item(title=HOSTILE, body="电话13912345678\n", signed=False)
    elif place == "series":
        site.item(body="电话13912345678\n", series=HOSTILE, signed=False)
    else:
        site.item(f"2021/{HOSTILE.replace('/', '')}.md", body="电话13912345678\n", signed=False)
    for format_ in ("text", "github", "json"):
        result = run("check", "--format", format_)
        assert result.exit_code == 1
        assert acts(result.output, annotating=format_ == "github") == [], (format_, result.output)
        if format_ == "json":
            json.loads(result.stdout)
        if format_ == "github":
            assert any(line.startswith("::error file=") for line in result.output.split("\n"))


@pytest.mark.parametrize("tail", ["zz: 2025-01-01T25:00:00+14:00\n", "zz: 0000-01-01\n", "zz: 1" + "9" * 5_000 + "\n",
                                  "? [1, 2]\n: 3\n"])
def test_a_value_mkdocs_cannot_build_stops_the_check_as_other_settings_do(site, run, tail):
    """A date that does not exist, an integer of 5,001 digits, a list as a key: said in Chinese at its line, with
    the exit code of every refused mkdocs.yml, never in PyYAML's English (content files name the same at theirs)."""
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    (site.root / "mkdocs.yml").write_text(config + "hooks: [hook.py]\n", encoding="utf-8")
    refused = run("check").exit_code
    (site.root / "mkdocs.yml").write_text(config + tail, encoding="utf-8")
    result = run("check")
    assert result.exit_code == refused == 1
    assert f"mkdocs.yml:{config.count(chr(10)) + 1}: " in result.output, result.output
    assert "无法读取" in result.output and "Traceback" not in result.output
    assert not re.search(r"[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}", result.output), result.output


@pytest.mark.parametrize("named", ["file", "folder"])
def test_paths_naming_a_file_with_an_odd_name_still_report_it(site, run, named):
    """A pre-commit hook passes the changed files' names: a file (or a folder) named with a line break is GK030 in the
    whole check, and must be so when its own path (or a folder above it) is named too — never “未发现问题”, exit 0."""
    site.item("2021/a.md")
    odd = site.content / "items/2021/b\nc.md"
    odd.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    folder = site.content / "items/2021/d\te"
    folder.mkdir()
    (folder / "f.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    targets = [str(odd), str(folder / "f.md")] if named == "file" else [str(site.content / "items/2021")]
    result = run("check", "--format", "json", *targets)
    assert result.exit_code == 1, result.output
    assert {p["path"] for p in json.loads(result.stdout) if p["code"] == "GK030"} == {
        "content/items/2021/b\\x0ac.md", "content/items/2021/d\\x09e"}


def test_paths_naming_a_link_in_the_content_report_its_gk011(site, run, tmp_path):
    """A hook passes a committed symlink's path: it was “不在本项目中” (leading outside) or “不存在” (dangling), not
    the GK011 that says to replace it with a real file."""
    site.item("2021/a.md")
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (site.content / "items/2021/out.md").symlink_to(outside)
    (site.content / "items/2021/gone.md").symlink_to(tmp_path / "nothing.md")
    result = run("check", "--format", "json", "content/items/2021/out.md", "content/items/2021/gone.md")
    assert result.exit_code == 1, result.output
    assert {(p["code"], p["path"]) for p in json.loads(result.stdout)} >= {
        ("GK011", "content/items/2021/out.md"), ("GK011", "content/items/2021/gone.md")}
