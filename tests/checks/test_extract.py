"""The reading process: a file that needs too much time or memory ends in GK307, and the next file is still read."""

from __future__ import annotations

import os
import signal
import time

from gongkai.checks import privacy
from gongkai.readers import extract
from gongkai.readers.core import PART_BYTES

from .samples import (
    bomb_docx,
    heavy_pdf,
    planted,
)


def test_a_file_that_takes_too_long_ends_in_an_error(site, monkeypatch):
    monkeypatch.setattr(extract, "SECONDS", 0.5)  # the deadline, short for the test (8 s in use)
    site.attach("a.pdf", heavy_pdf(40 << 20))  # seconds of work for pypdf
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    [problem] = site.problems(privacy.UNREADABLE.code)
    assert "秒" in problem.message and "a.pdf" in problem.message


def test_a_file_that_needs_too_much_memory_ends_in_an_error(site, monkeypatch):
    monkeypatch.setattr(extract, "MEMORY", 128 * 1024 * 1024)  # the reading process's bound, small for the test
    extract._SANDBOX.stop()
    try:
        site.attach("a.pdf", heavy_pdf(70 << 20))
        site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
        [problem] = site.problems(privacy.UNREADABLE.code)
        assert "内存" in problem.message and "a.pdf" in problem.message
    finally:
        extract._SANDBOX.stop()  # the next reading process starts with the normal bound


def test_the_reading_process_survives_a_failure(site, monkeypatch):
    site.attach("bomb.docx", bomb_docx(PART_BYTES + (8 << 20)))
    site.attach("a.csv", f"张三,{planted(1)}\n".encode())
    site.item(attachments=[{"title": "炸弹", "file": "bomb.docx"}, {"title": "名单", "file": "a.csv"}])
    assert site.problems(privacy.UNREADABLE.code) and site.problems(privacy.MOBILE.code)


def test_modules_committed_to_the_project_are_never_imported_by_the_reading_process(site, monkeypatch, tmp_path):
    """The reading process starts in the project folder: a committed module named like one it imports
    (the standard library's `resource`, gongkai itself) must not run."""
    marker = tmp_path / "ran"
    for name in ("resource.py", "pypdf.py", "gongkai/__init__.py", "gongkai/checks/__init__.py", "gongkai/checks/extract.py"):
        module = site.root / name
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(f"open({str(marker)!r}, 'w').close()\ndef serve(*args): pass\n", encoding="utf-8")
    site.attach("a.csv", f"张三,{planted(1)}\n".encode())
    site.item(attachments=[{"title": "名单", "file": "a.csv"}])
    monkeypatch.chdir(site.root)
    extract._SANDBOX.stop()  # a reading process started now starts in the project folder
    try:
        assert site.problems(privacy.MOBILE.code)
    finally:
        extract._SANDBOX.stop()
    assert not marker.exists()


def test_ctrl_c_at_the_terminal_stops_the_reading_process_without_a_traceback(site):
    """Ctrl+C reaches every process of the command's group: the reading process waiting for the next file printed
    a Python traceback under the command's own Chinese line."""
    site.attach("a.csv", f"张三,{planted(1)}\n".encode())
    site.item(attachments=[{"title": "名单", "file": "a.csv"}])
    extract._SANDBOX.stop()
    try:
        assert site.problems(privacy.MOBILE.code)  # the reading process has started and waits for the next file
        process = extract._SANDBOX.process
        assert process is not None
        os.kill(process.pid, signal.SIGINT)
        time.sleep(0.3)
        assert process.poll() is None  # still there: the command decides when it stops
        site.attach("b.csv", f"李四,{planted(2)}\n".encode())
        site.item("2021/b.md", attachments=[{"title": "名单", "file": "b.csv"}])
        assert len(site.problems(privacy.MOBILE.code)) == 2
        assert extract._SANDBOX.process is process  # the same process read the next file
    finally:
        extract._SANDBOX.stop()


def test_slow_files_share_a_budget_after_which_each_has_little_time():
    """Each hostile attachment stayed just inside its own deadlines (8 s to read, 20 s to scan): five 3 KB zips cost a
    check 54 s, fifty nine minutes of every CI run. Time past what a normal file takes is counted over the run; once
    the budget is spent, a later file has LATE_SECONDS and a slow one is GK307."""
    import datetime as dt

    from gongkai.checks.attached import scan
    from gongkai.readers import Extraction, Segment
    from gongkai.readers.extract import SlowFiles

    slow = SlowFiles()
    slow.took(slow.NORMAL_SECONDS)  # a normal file costs the budget nothing
    assert slow.spent == 0 and slow.allowed(8.0) == 8.0
    slow.took(slow.BUDGET_SECONDS + slow.NORMAL_SECONDS)
    assert slow.allowed(8.0) == slow.LATE_SECONDS
    digits = Extraction((Segment("第 {line} 行", "1.1 " * 2_000_000),))  # seconds of scanning, no finding
    scanned = scan(digits, dt.date(2026, 1, 1), slow)
    assert f"超过 {slow.LATE_SECONDS:g} 秒仍未完成" in scanned.failure and "时间预算" in scanned.failure
    assert scan(Extraction((Segment("第 {line} 行", "电话 13912345678"),)), dt.date(2026, 1, 1), slow).personal


def test_the_reading_process_imports_the_readers_and_nothing_of_the_checks():
    """The reading process starts with a check's first attachment, and the check waits for it: it imported every
    check family, the site's page model and Python-Markdown (0.40 s), where the readers take 0.09 s."""
    import subprocess
    import sys

    code = "import sys; from gongkai.readers.extract import serve; print('\\n'.join(sys.modules))"
    imported = set(subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True).stdout.split())
    for heavy in ("gongkai.checks", "gongkai.site", "gongkai.project", "gongkai.rendering", "markdown", "mkdocs", "jinja2"):
        assert not any(name == heavy or name.startswith(heavy + ".") for name in imported), heavy
    assert {"gongkai.readers.pdf", "gongkai.readers.office", "gongkai.readers.web"} <= imported
