"""`gongkai applications` and `gongkai supervision` as the office runs them: what they print of a register file's
name is shown as written, never acting on the terminal."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from gongkai.problems import NOT_SHOWN
from tests.projects import Project
from tests.registers.register_helpers import write_application, write_entry

GONGKAI = [os.path.join(os.path.dirname(sys.executable), "gongkai")]
# An OSC 8 hyperlink and a title change (which click's stripping of colour codes leaves), a C1 CSI that
# clears the screen, a colour, and a right-to-left override that reorders the rest of the line.
NAMES = ["2025-\x1b]8;;https:evil.example\x1b\\01", "2025-\x1b]0;标题\x0702", "2025-\x9b2J03", "2025-\x1b[31m04",
         "2025-\u202e50-"]


def run(site: Project, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_TODAY": "2026-01-05"}
    return subprocess.run([*GONGKAI, *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", [["applications"], ["supervision", "2025"]])
def test_a_register_files_name_is_printed_as_written(site: Project, command: list[str]):
    for name in NAMES:
        if command[0] == "applications":
            write_application(site.root, name)  # open past its deadline: listed first
        else:
            write_entry(site.root, name, status="办理中", closed=None, deadline=dt.date(2025, 5, 1))  # overdue: listed
    result = run(site, *command)
    assert "\\x1b]8;;https:evil.example\\x1b" in result.stdout and "\\u202e" in result.stdout and "\\x9b2J" in result.stdout
    assert not NOT_SHOWN.search(result.stdout.replace("\n", "").replace("\t", "")), result.stdout
    assert not NOT_SHOWN.search(result.stderr.replace("\n", "")), result.stderr


@pytest.mark.parametrize("command", [["applications"], ["supervision", "2025"]])
def test_a_register_files_name_is_printed_as_written_in_json_too(site: Project, command: list[str]):
    # JSON escapes the controls below 0x20 itself, not a C1 CSI or a right-to-left override.
    for name in NAMES:
        if command[0] == "applications":
            write_application(site.root, name)
        else:
            write_entry(site.root, name, status="办理中", closed=None, deadline=dt.date(2025, 5, 1))
    result = run(site, *command, "--format", "json")
    assert not NOT_SHOWN.search(result.stdout.replace("\n", "")), result.stdout
    values = "\n".join(_strings(json.loads(result.stdout)))
    assert all(name in values for name in NAMES), values  # every value read back as it was


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    parts = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return [text for part in parts for text in _strings(part)]
