"""`gongkai review` and `gongkai withdraw` killed (SIGKILL) at any point: the item holds its old bytes or the
whole new ones, never part of either, and still reads (what was written passes the check's parsing)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from gongkai.loading import parse_document

GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")


@pytest.mark.parametrize("command", ["review", "withdraw"])
def test_a_command_killed_anywhere_leaves_the_old_file_or_the_new_one(site, command):
    item = site.item("2021/2021-00001.md", signed=command == "withdraw", body="为做好工作，现通知如下。\n" * 2000)
    rel = site.rel(item)
    args = {"review": ["review", rel, "--level", "initial", "--reviewer", "李明", "--date", "2021-06-17",
                       "--key", str(site.keys.file("李明"))],
            "withdraw": ["withdraw", rel, "--reason", "名单有误", "--date", "2021-07-01"]}[command]
    old = item.read_bytes()
    env = {**os.environ, "GONGKAI_TODAY": "2021-07-01"}
    started = time.monotonic()
    subprocess.run([GONGKAI, *args], cwd=site.root, env=env, capture_output=True, timeout=120, check=True)
    whole = time.monotonic() - started
    new = item.read_bytes()
    assert new != old
    randomly = random.Random(20261201)
    outcomes = set()
    for _ in range(8):
        item.write_bytes(old)
        process = subprocess.Popen([GONGKAI, *args], cwd=site.root, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(randomly.uniform(0.3, 1.0) * whole)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = item.read_bytes()
        assert now in (old, new)
        outcomes.add(now == new)
        document, problems = parse_document(now, rel)
        assert document is not None and not [p for p in problems if p.is_error]
    assert not [path.name for path in item.parent.iterdir() if path.suffix == ".md" and path != item]
