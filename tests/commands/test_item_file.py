"""Commands that take an item's PATH (review, withdraw, diff, preview) touch nothing but an item under content/items/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")
COMMANDS = {
    "review": ["--level", "initial", "--reviewer", "李明"],
    "withdraw": ["--reason", "名单有误"],
    "diff": [],
    "preview": ["--dev-addr", "127.0.0.1:1"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_that_is_not_an_item_is_refused_untouched(site, tmp_path, command):
    outside = tmp_path / "outside.md"
    text = "---\ntitle: 站外文件\ndisclosure: 主动公开\npublished: 2021-06-01\nreview: {}\n---\n\n正文。\n"
    outside.write_text(text, encoding="utf-8")
    page = site.content / "pages" / "about.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    env = {**os.environ, "GONGKAI_TODAY": "2021-12-31"}
    for target in (str(outside), "content/pages/about.md", "content/items/../pages/about.md", "mkdocs.yml"):
        done = subprocess.run([GONGKAI, command, target, *COMMANDS[command]], cwd=site.root, env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and "不是条目文件" in done.stderr, (target, done.stdout, done.stderr)
    assert outside.read_text(encoding="utf-8") == text and page.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("linked", ["items", "items/2021"])
def test_an_item_reached_through_a_linked_folder_is_refused_untouched(site, tmp_path, command, linked):
    """content/items (or a year's folder) linked to a folder elsewhere on the machine — another agency's
    checkout: with items/ linked, the item's path resolved inside the items folder, and review signed and
    rewrote the file there (a linked year's folder resolved outside it and was refused already)."""
    item = site.item("2021/2021-00001.md", signed=False)
    elsewhere = tmp_path / "elsewhere"
    (site.content / linked).rename(elsewhere)
    (site.content / linked).symlink_to(elsewhere, target_is_directory=True)
    before = {path: path.read_bytes() for path in elsewhere.rglob("*.md")}
    args = [*COMMANDS[command], *(["--key", str(site.keys.file("李明"))] if command == "review" else [])]
    done = subprocess.run([GONGKAI, command, site.rel(item), *args], cwd=site.root,
                          env={**os.environ, "GONGKAI_TODAY": "2021-12-31"}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and ("符号链接" in done.stderr or "不是条目文件" in done.stderr), (done.stdout, done.stderr)
    assert {path: path.read_bytes() for path in elsewhere.rglob("*.md")} == before


ODD_PARTS = {"line break": b"2021-0001\n1: x", "escape": b"2021-0001\x1b[2J", "bidi": "2021\u202e0001".encode(),
             "not UTF-8": b"2021-\xff0001"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("odd", sorted(ODD_PARTS))
@pytest.mark.parametrize("where", ["file", "folder"])
def test_an_item_the_check_does_not_read_is_not_touched_either(site, command, odd, where):
    """A name with a line break, an escape, a bidi control or bytes that are not UTF-8 is GK030: the check never
    reads the file, yet withdraw rewrote it and diff read it — commands disagreed on what an item is."""
    item = site.item("2021/2021-00001.md", signed=False)
    folder = os.fsencode(item.parent)
    if where == "file":
        odd_path = os.path.join(folder, ODD_PARTS[odd] + b".md")
    else:
        os.mkdir(os.path.join(os.path.dirname(folder), ODD_PARTS[odd]))
        odd_path = os.path.join(os.path.dirname(folder), ODD_PARTS[odd], b"2021-00001.md")
    os.rename(os.fsencode(item), odd_path)
    before = Path(os.fsdecode(odd_path)).read_bytes()
    args = [*COMMANDS[command], *(["--key", str(site.keys.file("李明"))] if command == "review" else [])]
    done = subprocess.run([os.fsencode(GONGKAI), command.encode(), odd_path, *(a.encode() for a in args)], cwd=site.root,
                          env={**os.environ, "GONGKAI_TODAY": "2021-12-31"}, capture_output=True, timeout=60)
    refusal = "不是 UTF-8 编码的字节" if odd == "not UTF-8" else "GK030"  # such an argument is refused as it is read
    assert done.returncode in (1, 2) and refusal in done.stderr.decode(), (done.stdout, done.stderr)
    assert Path(os.fsdecode(odd_path)).read_bytes() == before
