"""Hostile input costs bounded time and memory: `gongkai check` in a subprocess limited to 1 GB and 30 s
per hostile file ends with a Chinese error naming that file, and still checks the good ones."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

GONGKAI = Path(sys.executable).parent / "gongkai"
HEAD = ("---\ntitle: 测试\nindex_no: 11131122MB1534702N/2021-00099\ncategory: 规范性文件\ndepartment: 办公室\n"
        "published: 2021-06-18\ndisclosure: 主动公开\n")


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{n}: &{n} [" + ",".join(f"*{p}" for _ in range(9)) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias bomb (534 bytes)": lambda: "---\n" + _bomb() + "---\n",
    "deep flow nesting": lambda: HEAD + "summary: " + "[" * 2_000_000 + "\n---\n",
    "deep flow mappings": lambda: HEAD + "summary: " + "{a: " * 1_000_000 + "\n---\n",
    "deep block nesting": lambda: HEAD + "".join(" " * i + f"k{i}:\n" for i in range(2500)) + "---\n",
    "400,000 keys": lambda: HEAD + "".join(f"k{i}: v\n" for i in range(400_000)) + "---\n",
    "2,000,000 list entries": lambda: HEAD + "keywords: [" + ",".join("a" for _ in range(2_000_000)) + "]\n---\n",
    "4 MB key": lambda: HEAD + "? " + "x" * 4_000_000 + "\n: y\n---\n",
    "4 MB number": lambda: HEAD + "summary: " + "9" * 4_000_000 + "\n---\n",
    "4 MB float": lambda: HEAD + "summary: 1." + "9" * 4_000_000 + "\n---\n",
    "sexagesimal": lambda: HEAD + "summary: " + ":".join("59" for _ in range(1_000_000)) + "\n---\n",
    "escapes": lambda: HEAD + 'summary: "' + "\\u0041" * 800_000 + '"\n---\n',
    "comments after values": lambda: HEAD + "keywords: [" + ", ".join("词 #x\n" for _ in range(300_000)) + "]\n---\n",
    "folded lines": lambda: HEAD + "summary: 开始\n" + "  续行\n" * 600_000 + "---\n",
    "dates near the ends of time": lambda: HEAD.replace("2021-06-18", "9999-12-31") + "written: 0001-01-01\n"
                                          "withdrawn: {date: 9999-12-31, reason: x}\n---\n",
    "over the size limit": lambda: HEAD + "---\n" + "正文" * 1_000_000,
    "NUL everywhere": lambda: HEAD + "summary: " + "\x00" * 4_000_000 + "\n---\n",
    # Bodies that made a pattern of ours quadratic: each start tried against the rest of a long run.
    "blanks after a line break": lambda: HEAD + "---\n中\n" + " " * 1_000_000 + "x\n",
    "href= runs beside an item address": lambda: HEAD + "---\n/items/2021/00001/\n" + "href=" * 200_000 + "\n",
    "unclosed comments": lambda: HEAD + "---\n" + "<!--" * 250_000 + "\n",
    # One definition written out at every use: a 1 MB body whose HTML would be gigabytes.
    "a reference link used 10,000 times": lambda: HEAD + "---\n[a]: /" + "x" * 100_000 + "\n\n" + "[a] " * 10_000 + "\n",
    "a table of contents at 5,000 markers": lambda: HEAD + "---\n" + "".join(f"## 标题{n}" + "x" * 10_000 + "\n\n" for n in range(20))
                                                   + "[TOC]\n\n" * 5_000,
}


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


# Each of these inputs once cost minutes (or hours); a check of one takes 1–4 s on this 2-core machine at rest, and
# three times that while the suite's other worker and other builds share it: the limit tells a bound from none.
SECONDS = 30


def _check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([GONGKAI, "check"], cwd=root, capture_output=True, text=True, timeout=SECONDS, preexec_fn=_limited,
                          env={**os.environ, "GONGKAI_TODAY": "2021-12-31"})


def _assert_named(result: subprocess.CompletedProcess, rel: str) -> None:
    lines = [line for line in result.stdout.split("\n") if line.startswith(f"{rel}:")]
    assert result.returncode == 1 and lines, result.stdout[-2000:] + result.stderr[-2000:]
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in lines) and "Traceback" not in result.stderr
    assert all(len(line) < 1000 for line in lines)  # a hostile value is never echoed whole


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_item_is_named_within_bounds(site, name):
    (site.content / "lexicon.yml").write_text("forbidden:\n  - {text: 台湾总统, reason: 应称台湾地区领导人}\n", encoding="utf-8")
    good = site.item("2021/good.md", body="电话13912345678\n")
    hostile = site.write("2021/hostile.md", HOSTILE[name]())
    result = _check(site.root)
    _assert_named(result, site.rel(hostile))
    assert f"{site.rel(good)}:" in result.stdout and "GK303" in result.stdout  # the good item was still checked


@pytest.mark.parametrize("where", ["catalog.yml", "reports/2021.yml", "pages/guide.md"])
@pytest.mark.parametrize("name", ["alias bomb (534 bytes)", "deep flow nesting", "400,000 keys", "over the size limit"])
def test_hostile_catalog_reports_and_pages_are_named_within_bounds(site, where, name):
    site.item("2021/good.md", body="电话13912345678\n")
    text = HOSTILE[name]()
    if not where.endswith(".md"):  # whole-YAML files: no front-matter fences
        text = text.replace("---\n", "")
    path = site.content / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = _check(site.root)
    _assert_named(result, f"content/{where}")


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo"])
def test_devices_and_fifos_are_named_within_bounds(site, target):
    site.item("2021/good.md")
    path = site.content / "items" / "2021" / "hostile.md"
    if target == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(target)
    _assert_named(_check(site.root), site.rel(path))
