"""pagefind_cli: the records go to Pagefind's service mode in the build's order, and a service that
dies, errs or answers nonsense fails the index with a clear message, writing nothing outside its bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from gongkai.search import pagefind_cli
from gongkai.search.pagefind_cli import PagefindError, run_pagefind

RECORDS = [(f"/items/2021/{n:05d}/", f"<html lang='zxx-x-m202101'><body><main data-pagefind-body>危房 改造 {n}</main>"
            "</body></html>") for n in range(1, 6)]

# A stand-in service: answers NewIndex and AddFile like Pagefind, and GetFiles with `FILES` (or does `MODE`).
FAKE = """
import base64, json, sys
MODE, FILES = {mode!r}, {files!r}
if MODE == "exit":
    sys.stderr.write("崩溃了\\n"); sys.exit(3)
buffer = b""
while True:
    chunk = sys.stdin.buffer.read1(65536)
    if not chunk:
        break
    buffer += chunk
    while b"," in buffer:
        message, buffer = buffer.split(b",", 1)
        request = json.loads(base64.b64decode(message))
        kind = request["payload"]["type"]
        if MODE == "error" and kind == "AddFile":
            payload = {{"type": "Error", "message": "Failed to add file"}}
        elif MODE == "garbage" and kind == "AddFile":
            sys.stdout.buffer.write(b"not base64 at all,"); sys.stdout.flush(); continue
        elif kind == "GetFiles":
            payload = {{"type": "GetFiles", "files": [{{"path": p, "content": base64.b64encode(b"x").decode()}} for p in FILES]}}
        else:
            payload = {{"type": kind, "index_id": 0, "page_word_count": 1, "page_url": "/", "page_meta": {{}}}}
        sys.stdout.buffer.write(base64.b64encode(json.dumps({{"message_id": request["message_id"], "payload": payload}}).encode()) + b",")
        sys.stdout.flush()
"""


def fake_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str = "ok",
                 files: tuple[str, ...] = ("pagefind-entry.json",)) -> None:
    script = tmp_path / "fake-pagefind"
    script.write_text(f"#!{sys.executable}\n{FAKE.format(mode=mode, files=list(files))}", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(pagefind_cli, "pagefind_binary", lambda: str(script))


def test_the_real_service_indexes_the_records_into_a_bundle(tmp_path):
    run = run_pagefind(RECORDS, tmp_path / "bundle")
    entry = json.loads((tmp_path / "bundle" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zxx-x-m202101"] and entry["languages"]["zxx-x-m202101"]["page_count"] == 5
    assert len(list((tmp_path / "bundle" / "fragment").iterdir())) == 5
    assert run.peak_rss_bytes > 0


def test_the_order_of_the_records_is_the_order_pagefind_numbers_them(tmp_path):
    """Same records, same order: same bytes (the reason for the service: a folder has no order)."""
    def built(name: str, records: list[tuple[str, str]]) -> dict[str, bytes]:
        run_pagefind(records, tmp_path / name)
        return {str(p.relative_to(tmp_path / name)): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}

    first = built("a", RECORDS)
    assert built("b", RECORDS) == first
    assert built("c", RECORDS[::-1]) != first


@pytest.mark.parametrize(("mode", "message"), [("exit", "Pagefind 服务提前退出"), ("error", "Pagefind 报错：Failed to add file"),
                                               ("garbage", "Pagefind 服务中断")])
def test_a_service_that_dies_or_errs_fails_the_index_with_its_reason(tmp_path, monkeypatch, mode, message):
    fake_service(tmp_path, monkeypatch, mode)
    with pytest.raises(PagefindError, match=message) as raised:
        run_pagefind(RECORDS, tmp_path / "bundle")
    if mode == "exit":
        assert "崩溃了" in str(raised.value)  # what it said on its way out


@pytest.mark.parametrize("path", ["../outside.js", "/etc/x", "a/../../outside.js", "", "a//b", "a\\b", "./x"])
def test_a_bundle_file_outside_the_bundle_is_refused_and_not_written(tmp_path, monkeypatch, path):
    fake_service(tmp_path, monkeypatch, files=("pagefind-entry.json", path))
    with pytest.raises(PagefindError, match="索引文件无法识别"):
        run_pagefind(RECORDS, tmp_path / "work" / "bundle")
    assert not (tmp_path / "outside.js").exists() and not (tmp_path / "work" / "outside.js").exists()


def test_a_service_that_sends_no_files_fails(tmp_path, monkeypatch):
    fake_service(tmp_path, monkeypatch, files=())
    with pytest.raises(PagefindError, match="没有给出索引文件"):
        run_pagefind(RECORDS, tmp_path / "bundle")
