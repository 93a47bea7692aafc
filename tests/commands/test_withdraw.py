"""`gongkai withdraw` as an editor runs it: what was written, and who signs again."""

from __future__ import annotations

import os
import subprocess
import sys

GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")


def test_the_command_says_the_item_must_be_reviewed_again(site):
    path = site.item()
    env = {**os.environ, "GONGKAI_TODAY": "2021-12-31"}
    done = subprocess.run([GONGKAI, "withdraw", site.rel(path), "--reason", "名单有误", "--date", "2021-07-02"],
                          cwd=site.root, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "已写入撤回（2021-07-02，原因：名单有误）" in done.stdout
    assert "须从初审起重新审查" in done.stdout and "--level initial" in done.stdout and "李明" in done.stdout
    refused = subprocess.run([GONGKAI, "withdraw", site.rel(path), "--reason", "a\tb"], cwd=site.root, env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and refused.stderr.startswith("错误：") and "制表符" in refused.stderr


def test_a_file_name_with_an_escape_sequence_is_shown_not_acted_on(site):
    """The check never reads such a file (GK030), so withdraw leaves it too, and names it escaped."""
    path = site.item("2021/\x1b[2Ja.md")
    before = path.read_bytes()
    env = {**os.environ, "GONGKAI_TODAY": "2021-12-31"}
    done = subprocess.run([GONGKAI, "withdraw", site.rel(path), "--reason", "名单有误", "--date", "2021-07-02"],
                          cwd=site.root, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "GK030" in done.stderr, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\\x1b[2Ja.md" in done.stderr and path.read_bytes() == before
