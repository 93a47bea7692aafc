"""Run the Pagefind binary (from the `pagefind[bin]` PyPI package) on a shard's records.

The records go to Pagefind's service mode (`pagefind --service`, the protocol of the package's own
client: base64 JSON messages ended by a comma, one answer per request) in the order given: the order
shapes Pagefind's output, and a folder of record files would be read in whatever order the file
system lists it (ext4 hashes names with a per-disk seed, tmpfs lists newest first), so two machines
would build different bundles from the same content. No record file is written either, and the
bundle is asked for (`GetFiles`) and written here: the service's own `WriteFiles` answers before the
last file is complete (an empty pagefind-entry.json was seen), and the service stops when asked nothing more.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Pagefind packs the index into chunks of ≈20,000 word positions and a browser downloads a
# whole chunk for each word of a query. Bigram words have long posting lists, so small chunks
# cut the bytes per query about four-fold. The setting is undocumented ("unstable"): should a
# later Pagefind ignore it, search works the same with larger downloads.
INDEX_CHUNK_SIZE = 4000
ANSWER_LIMIT = 1 << 30  # bytes of one answer (a shard's bundle is ≈ 2 MB): more means a broken service


class PagefindError(RuntimeError):
    pass


@dataclass(frozen=True)
class PagefindRun:
    peak_rss_bytes: int  # 0 where the platform cannot tell


@functools.cache
def pagefind_binary() -> str:
    """The binary `python -m pagefind` would run (the `pagefind` package finds it), found once: started
    directly, a shard's run spares starting a Python interpreter (≈ 0.1 s) to find it each time."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise PagefindError("找不到 Pagefind 程序：请运行 scripts/setup.sh 重新安装依赖")
    return str(found.resolve().absolute())


def run_pagefind(records: Iterable[tuple[str, str]], output: Path) -> PagefindRun:
    """Index `records` ((URL, HTML page) pairs, in this order) into the bundle directory `output`.

    Runs in an empty working directory so that no stray pagefind.yml/json/toml is picked up.
    """
    with tempfile.TemporaryDirectory(prefix="gongkai-pagefind-cwd-") as cwd, tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [pagefind_binary(), "--service"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)},
        )
        assert proc.stdin is not None and proc.stdout is not None
        failure: PagefindError | None = None
        try:
            service = _Service(proc.stdin, proc.stdout)
            index = service.ask({"type": "NewIndex", "config": None})["index_id"]
            for url, html in records:
                service.ask({"type": "AddFile", "index_id": index, "url": url, "file_path": None, "file_contents": html})
            _write_bundle(service.ask({"type": "GetFiles", "index_id": index}).get("files"), output)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            failure = PagefindError(f"Pagefind 服务中断：{exc}")
        except PagefindError as exc:
            failure = exc
        finally:
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):  # a broken pipe: the service is gone already
                    stream.close()
            if failure is not None and hasattr(signal, "SIGKILL"):
                # Not proc.kill(): it may reap the child, whose peak memory os.wait4 asks for below.
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
            elif failure is not None:
                proc.kill()
        peak = 0
        if hasattr(os, "wait4"):
            # This child's own peak memory.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # Windows: no per-child rusage
            proc.wait()
        if failure is None and proc.returncode != 0:
            failure = PagefindError(f"pagefind exited with {proc.returncode}")
        if failure is not None:
            log.seek(0)
            tail = log.read()[-4000:].decode("utf-8", "replace")
            raise PagefindError(f"{failure}\n{tail}".rstrip()) from None
    return PagefindRun(peak_rss_bytes=peak)


def _write_bundle(files: object, output: Path) -> None:
    """The bundle the service sent (path and base64 content of each file) written under `output`."""
    if not isinstance(files, list) or not files:
        raise PagefindError("Pagefind 服务没有给出索引文件")
    for file in files:
        path, content = (file.get("path"), file.get("content")) if isinstance(file, dict) else (None, None)
        parts = path.split("/") if isinstance(path, str) else []
        if not parts or any(part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts) or not isinstance(content, str):
            raise PagefindError(f"Pagefind 服务给出的索引文件无法识别：{str(path)[:200]}")
        target = output.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as stream:
            stream.write(base64.b64decode(content, validate=True))


class _Service:
    """One request at a time, each answered before the next is sent (so neither pipe can fill up)."""

    def __init__(self, requests: IO[bytes], answers: IO[bytes]) -> None:
        self._requests = requests
        self._answers = answers
        self._buffer = b""
        self._sent = 0

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        self._requests.write(base64.b64encode(message.encode("utf-8")) + b",")
        self._requests.flush()
        answer = json.loads(base64.b64decode(self._read_answer(), validate=True))
        if not isinstance(answer, dict) or not isinstance(answer.get("payload"), dict):
            raise PagefindError(f"Pagefind 服务的回答无法识别：{str(answer)[:200]}")
        found: dict[str, Any] = answer["payload"]
        if found.get("type") == "Error":
            raise PagefindError(f"Pagefind 报错：{found.get('message')}")
        if answer.get("message_id") != self._sent:
            raise PagefindError(f"Pagefind 服务的回答不对应请求 {self._sent}：{str(answer)[:200]}")
        return found

    def _read_answer(self) -> bytes:
        while b"," not in self._buffer:
            more = self._answers.read1(65536) if hasattr(self._answers, "read1") else self._answers.read(65536)
            if not more:
                raise PagefindError("Pagefind 服务提前退出")
            self._buffer += more
            if len(self._buffer) > ANSWER_LIMIT:
                raise PagefindError("Pagefind 服务的回答过长")
        answer, self._buffer = self._buffer.split(b",", 1)
        return answer
