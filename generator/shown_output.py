"""Standard output and error as a terminal or a CI log may show them: every command's text passes here.

Messages quote what content holds (a file's name, a title, a reviewer's name, a path from mkdocs.yml), and
each message escapes what it quotes (`problems.printable`). This is the floor under all of them, for the
value a message forgot: what would act on the reader's terminal instead of showing (ESC sequences, a carriage
return that rewrites the line, bidirectional controls) is written out as an escape, and so are the workflow
commands a CI runner obeys in a log — GitHub's `::command::` at the start of a line and its older `##[command]`
anywhere in one (Azure's `##vso[`): a title ending in `##[add-mask]` hid the rest of the log. Only the
annotations `gongkai check --format github` writes itself (`annotating`) start a line with `::`. Line breaks are
kept: values that could bring one are refused where they are read, or escaped by their messages.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from typing import TextIO

from .problems import NOT_SHOWN

# What the runners obey: `##[` anywhere in a line (GitHub's legacy form, Azure's `##vso[`), `::` opening a line after
# any white space (the runner trims every kind, 全角空格 and no-break spaces too: a body's indented line was a command).
_LOG_COMMAND = re.compile(r"#(?=#(?:vso)?\[)", re.I)
_LINE_COMMAND = re.compile(r"\s*::")
_ANNOTATION = re.compile(r"::(?:error|warning|notice) file=[^\n]*::")
# What a write may end with that the next one can make a command of: a line so far of white space and one colon, or a
# line's last characters that begin `##[` or `##vso[`, or a CR before its LF.
_LINE_START_SO_FAR = re.compile(r"\s*:?")
_COMMAND_SO_FAR = re.compile(r"(?:#(?:#(?:v(?:s(?:o)?)?)?)?)?\r?$", re.I)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\u{code:04x}" if code > 0xff else f"\\x{code:02x}"


class ShownOnly(io.TextIOBase):
    """A text stream that writes to `stream` only what shows as itself (see the module's text)."""

    def __init__(self, stream: TextIO) -> None:
        self.unguarded = stream  # for what draws on a terminal on purpose (the progress bars)
        self._line_start = True
        self._held = ""  # the end of the last write, until what follows says whether it starts a command
        self.annotating = False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.unguarded, "encoding", "utf-8") or "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return getattr(self.unguarded, "errors", None) or "strict"

    @property
    def buffer(self) -> object:
        return self.unguarded.buffer  # bytes written on purpose (a child process's listing)

    def isatty(self) -> bool:
        return self.unguarded.isatty()

    def fileno(self) -> int:
        return self.unguarded.fileno()

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self.unguarded.flush()

    def write(self, text: str) -> int:
        self.unguarded.write(self.shown(text))
        return len(text)

    def release(self) -> None:
        """Write what the last write held back, as the end of the output."""
        held, self._held = self._held, ""
        if held:
            self.unguarded.write(self.shown(held, final=True))

    def shown(self, text: str, final: bool = False) -> str:
        """`text` as it may be shown; unless `final`, the end of it that the next write could make a command with (a
        line's ":" and the next write's ":", "#" and "#[", a CR and its LF) is held back until that write."""
        text, self._held = self._held + text, ""
        lines = text.split("\n")
        if not final:
            last = lines[-1]
            start = self._line_start if len(lines) == 1 else True
            tail = _COMMAND_SO_FAR.search(last)
            held = len(last) if start and _LINE_START_SO_FAR.fullmatch(last) else len(tail[0]) if tail else 0
            self._held, lines[-1] = last[len(last) - held:], last[:len(last) - held]
        for index, line in enumerate(lines):
            if index:
                self._line_start = True
            ending = "\r" if line.endswith("\r") and index < len(lines) - 1 else ""  # CRLF (a CSV's) ends a line
            line = line[:len(line) - len(ending)]
            if not line:
                continue
            line = _LOG_COMMAND.sub(r"#\\u0023", line)
            line = NOT_SHOWN.sub(lambda found: found[0] if found[0] == "\t" else _escaped(found), line)
            if self._line_start and _LINE_COMMAND.match(line) and not (self.annotating and _ANNOTATION.match(line)):
                colon = line.index(":")
                line = f"{line[:colon]}\\x3a{line[colon + 1:]}"
            self._line_start = False
            lines[index] = line + ending
        return "\n".join(lines)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Standard output and error through `ShownOnly` while the block runs (a command), then as they were."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ShownOnly(sys.stdout), ShownOnly(sys.stderr)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            for stream in (sys.stdout, sys.stderr):
                if isinstance(stream, ShownOnly):
                    stream.release()
                stream.flush()
        sys.stdout, sys.stderr = streams


@contextlib.contextmanager
def annotating() -> Iterator[None]:
    """Let lines that are `gongkai check --format github`'s own annotations start with `::` while the block runs."""
    stream = sys.stdout
    if not isinstance(stream, ShownOnly):
        yield
        return
    stream.annotating = True
    try:
        yield
    finally:
        stream.annotating = False
