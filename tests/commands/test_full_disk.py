"""The commands that write an editor's file, on a full disk (here: a file size limit, as the import's test
does): a Chinese message that names the file and what to do, never "内部错误", and every file as it was."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable

import pytest

GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child: a write past `limit` bytes fails with EFBIG instead of killing it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _contents(site) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in site.content.rglob("*") if path.is_file()}


@pytest.mark.parametrize("command", ["review", "withdraw", "new"])
def test_a_full_disk_is_said_in_chinese_and_changes_nothing(site, command):
    item = site.item("2021/2021-00001.md", signed=command == "withdraw", body="为做好工作，现通知如下。\n" * 600)
    rel = site.rel(item)
    args, limit, named = {  # the limit: the signing's temporary files fit, the item (or the skeleton) does not
        "review": (["review", rel, "--level", "initial", "--reviewer", "李明", "--date", "2021-06-17",
                    "--key", str(site.keys.file("李明"))], 8192, rel),
        "withdraw": (["withdraw", rel, "--reason", "名单有误", "--date", "2021-07-01"], 8192, rel),
        "new": (["new", "--title", "关于开展安全检查的通知", "--category", "规范性文件", "--department", "办公室",
                 "--date", "2021-06-18"], 100, "content/items/2021/2021-00002.md"),
    }[command]
    before = _contents(site)
    result = subprocess.run([GONGKAI, *args], cwd=site.root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "GONGKAI_TODAY": "2021-07-01"}, preexec_fn=_file_size_limit(limit))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"错误：{named}") and "内部错误" not in result.stderr, result.stderr
    assert "无法写入（超过了文件大小上限），文件保持原样" in result.stderr and "df -h" in result.stderr
    assert _contents(site) == before
    assert not [path for path in site.content.rglob("*") if path.name.endswith(".tmp")]


def test_a_full_disk_when_signing_is_said_in_chinese(site):
    """ssh-keygen signs a statement written to a temporary file: that write failing is said too."""
    item = site.item("2021/2021-00001.md", signed=False)
    before = _contents(site)
    result = subprocess.run([GONGKAI, "review", site.rel(item), "--level", "initial", "--reviewer", "李明", "--date",
                             "2021-06-17", "--key", str(site.keys.file("李明"))], cwd=site.root, capture_output=True,
                            text=True, timeout=120, preexec_fn=_file_size_limit(10))
    assert result.returncode == 1 and "签名用的临时文件无法写入" in result.stderr and "内部错误" not in result.stderr, result.stderr
    assert _contents(site) == before
