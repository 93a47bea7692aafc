"""Every message of the command line is Chinese: click's usage errors and help headings included."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from gongkai import cli

GONGKAI = Path(sys.executable).parent / "gongkai"
_ENGLISH = re.compile(r"\b(?:Error|Usage|Invalid|Missing|option|argument|required|default|Try|such|command|value|not one of|"
                      r"integer|exist|directory|Options|Commands|Show|message|exit|Got|extra|requires)\b")


def _run(site_root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GONGKAI, *args], cwd=site_root, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "GONGKAI_TODAY": "2021-06-18"})


@pytest.mark.parametrize("args, words", [
    (["new", "--date", "x"], ["缺少选项 --title"]),
    (["new", "--title", "通知", "--category", "规范性文件", "--department", "办公室", "--date", "x"], ["--date", "YYYY-MM-DD"]),
    (["new", "--title", "通知", "--category", "规范性文件", "--department", "办公室", "--date", "0001-01-01"], ["1949-01-01"]),
    (["review", "content/items/2021/a.md", "--level", "third", "--reviewer", "甲"], ["--level", "initial（初审）、final（复核）"]),
    (["review"], ["缺少参数 PATH"]),
    (["review", "nowhere.md", "--level", "initial", "--reviewer", "甲"], ["不存在"]),
    (["review", "content/items", "--level", "initial", "--reviewer", "甲"], ["目录"]),
    (["report", "二〇二一"], ["YEAR", "不是数字"]),
    (["check", "--format", "xml"], ["text、github、json"]),
    (["check", "--bogus"], ["没有 --bogus 这个选项"]),
    (["check", "/etc/passwd"], ["PATHS", "不在本项目"]),  # a mistyped path in a hook passed, reporting nothing
    (["import", "/dev/null", "--category", "动态信息", "--department", "办公室"], ["不是普通文件"]),
    (["chekc"], ["没有 chekc 这个命令", "check"]),
    (["new", "--title"], ["--title 后面要写一个值"]),
    (["review", "content/items/2021/a.md", "--level", "initial", "--reviewer", "甲", "多余"], ["多余的参数"]),
])
def test_usage_errors_are_chinese(site, args, words):
    site.item("2021/a.md")
    result = _run(site.root, *args)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert output.startswith(("用法：", "错误：")) and all(word in output for word in words), output
    assert not _ENGLISH.search(output.replace("--help", "").replace("PATH", "").replace("YEAR", "")), output


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["review", "-h"], []])
def test_help_pages_have_chinese_headings(site, args):
    result = _run(site.root, *args)
    output = result.stdout + result.stderr  # `gongkai` alone prints the help page as its usage error
    assert "用法：gongkai" in output and "选项：" in output
    assert not re.search(r"^(Usage|Options|Commands):", output, re.M)
    assert "Show this message" not in output and "[required]" not in output


def test_version(site):
    assert re.fullmatch(r"gongkai \S+\n", _run(site.root, "--version").stdout)


@pytest.mark.parametrize("pinned", ["abc", "0001-01-01", "9999-12-31"])
def test_a_bad_gongkai_today_is_refused_in_chinese(site, pinned):
    result = subprocess.run([GONGKAI, "check"], cwd=site.root, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "GONGKAI_TODAY": pinned})
    assert result.returncode == 1 and result.stderr.startswith("错误：环境变量 GONGKAI_TODAY")
    assert "1949-01-01 至 2100-12-31" in result.stderr


def _good_value(param: click.Parameter) -> str:
    """A value click accepts for `param`, so that only the value under test is wrong."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.types.IntParamType):
        return "2021"
    if isinstance(kind, click.Path):
        return "content/items/2021/a.md"
    return "2021-06-18" if "date" in (param.name or "") or "today" in (param.name or "") else "办公室"


def _value_params() -> list[tuple[str, str]]:
    return [(name, param.name or "") for name, command in sorted(cli.main.commands.items())
            for param in command.params if not getattr(param, "is_flag", False) and not getattr(param, "count", False)]


@pytest.mark.parametrize("command, target", _value_params())
def test_a_value_that_is_not_utf8_is_refused_before_any_work(site, command, target):
    """Bytes that are not UTF-8 (a terminal in GBK, a script's literal) reach Python as lone surrogates, which
    no UTF-8 file can take: every command refuses them in any option or argument, in Chinese, before it
    writes anything (`gongkai new` once left an empty item behind)."""
    site.item("2021/a.md")
    before = sorted(path.relative_to(site.root) for path in site.root.rglob("*"))
    args: list[str | bytes] = [command]
    for param in cli.main.commands[command].params:
        if getattr(param, "is_flag", False) or getattr(param, "count", False) or param.name == "help":
            continue
        value: str | bytes = b"\xff\xfe" + "甲".encode("gb18030") if param.name == target else _good_value(param)
        args += [value] if isinstance(param, click.Argument) else [max(param.opts, key=len), value]
    result = subprocess.run([GONGKAI, *args], cwd=site.root, capture_output=True,
                            env={"PATH": "/usr/bin:/bin", "GONGKAI_TODAY": "2021-06-18"}, timeout=60)
    output = (result.stdout + result.stderr).decode("utf-8")
    assert result.returncode == 2, output
    assert "Traceback" not in output and not _ENGLISH.search(output) and re.search(r"[\u4e00-\u9fff]", output)
    assert sorted(path.relative_to(site.root) for path in site.root.rglob("*")) == before


def test_a_help_texts_chinese_lines_join_without_a_space():
    """A docstring's lines are one paragraph: click joins them with a space, which Chinese text does not have."""
    from click.testing import CliRunner

    for name, joined in [("serve", "会使构建失败的问题列在预览问题页上"), ("audit", "伪造发稿日期、错敏用语")]:
        shown = CliRunner().invoke(cli.main, [name, "--help"]).output
        assert joined in "".join(shown.split()) and joined in shown, shown


def test_check_help_says_what_base_refuses():
    """--base is more than a roster listing: the help names what it refuses, for the CI maintainer reading it."""
    from click.testing import CliRunner

    shown = "".join(CliRunner().invoke(cli.main, ["check", "--help"]).output.split())
    assert all(code in shown for code in ("GK220", "GK221", "GK222", "GK223", "GK848")), shown


def test_import_help_says_the_new_item_gets_every_check():
    """The 编辑手册 says the import runs every check (but the review); its help said privacy and secrecy only."""
    from click.testing import CliRunner

    shown = "".join(CliRunner().invoke(cli.main, ["import", "--help"]).output.split())
    assert "全部检查" in shown and "everycheck" in shown, shown
