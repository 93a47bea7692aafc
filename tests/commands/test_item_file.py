"""Commands that take an item's PATH (review, withdraw, diff, preview) touch nothing but an item under content/items/."""

from __future__ import annotations

import os
import subprocess
import sys

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
