"""The `gongkai` program as its console script starts it (pyproject.toml names `run`).

Loading the command line's modules (click, the checks …) takes 0.3–1.5 s on a busy machine. Ctrl+C in that time
arrived before `cli`'s handler existed and printed Python's traceback; here it is said in Chinese as later.
"""

from __future__ import annotations

import contextlib
import sys

INTERRUPTED_LOADING = "已中断：收到 Ctrl+C，命令还没有开始（没有读写任何文件）；需要时请重新运行。"


def run() -> None:
    try:
        from .cli import run as run_program
    except KeyboardInterrupt:
        with contextlib.suppress(OSError, ValueError):  # stderr may be gone with the terminal that sent the signal
            print(INTERRUPTED_LOADING, file=sys.stderr)
        raise SystemExit(130) from None
    run_program()
