"""Problems found in content, and the three ways `gongkai check` prints them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .invisible import BIDI_CONTROLS

ERROR = "error"
WARNING = "warning"
# One Chinese word for each severity, wherever a person reads it (summary, 编辑手册, reports).
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding. Fields are ordered so that sorting gives path, line, column, code."""

    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str
    # The items a link or reference problem is about, when one of them may be on its way off the site
    # (`rules.blocking`): the item linked, or every item that attaches a file linked.
    targets: tuple[str, ...] = field(default=(), compare=False)
    # One of them was signed off later than the item whose problem this is: reviewed off the site (不予公开, postponed,
    # members-only) after the reference to it was reviewed, and so on its way off the site too (`rules.blocking`). A
    # page, a template or mkdocs.yml is never signed: for them, the target is decided off the site for good.
    target_signed_later: bool = field(default=False, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


# Characters a file name (or a value quoted in a message) may bring that would act on the reader's terminal or
# log instead of showing: line breaks forge problem lines, ESC sequences recolour or erase them, bidirectional
# controls reorder them, and lone surrogates (bytes of a name that are not UTF-8) cannot be printed.
_BEYOND_ASCII = f"\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ud800-\udfff"
NOT_SHOWN = re.compile(f"[\x00-\x1f{_BEYOND_ASCII}]")
_NOT_SHOWN_IN_JSON = re.compile(f"[{_BEYOND_ASCII}]")  # JSON escapes the controls below 0x20 itself


def _shown(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code - 0xdc00:02x}" if 0xdc80 <= code <= 0xdcff else f"\\u{code:04x}" if code > 0xff else f"\\x{code:02x}"


def printable(text: str) -> str:
    """`text` with every character that would not show as itself written as an escape (`\\x1b`, `\\u202e`)."""
    return NOT_SHOWN.sub(_shown, text) if NOT_SHOWN.search(text) else text


def printable_lines(text: str, indent: str = "") -> str:
    """`text` with its own line breaks kept (the lines after the first indented by `indent`), each line printable."""
    return f"\n{indent}".join(map(printable, text.split("\n")))


def listed(names: Sequence[str], unit: str = "个条目", limit: int = 5, total: int | None = None) -> str:
    """The first `limit` of `names` joined with 、, and how many there are in all when there are more: a message
    naming every holder of a shared value grew with their number (each of 1,000 items sharing one 索引号 named the
    999 others, 36 MB of messages, each scanned for personal data: 22 s; 5,000 passed 5 minutes). `total`: how many
    there are, where `names` holds only the first ones."""
    shown = "、".join(names[:limit])
    count = len(names) if total is None else total
    return f"{shown} 等 {count:,} {unit}" if count > limit else shown


def _json_escape(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\u{code:04x}"


def printable_json(data: object, **options: object) -> str:
    """`data` as JSON (`options` as for `json.dumps`) that shows as itself on a terminal or in a log: what
    `printable` escapes is written as a JSON escape (`\\u202e`, `\\u009b`), so a reader gets every value back
    unchanged."""
    text = json.dumps(data, ensure_ascii=False, **options)  # type: ignore[arg-type]
    return _NOT_SHOWN_IN_JSON.sub(_json_escape, text) if _NOT_SHOWN_IN_JSON.search(text) else text


def format_text(problems: Iterable[Problem]) -> str:
    lines = [f"{printable(p.path)}:{p.line}:{p.col}: {p.code} {p.severity}: {printable(p.message)}" for p in problems]
    return "\n".join(lines)


def _escape_github(value: str, *, property_: bool = False) -> str:
    # GitHub's workflow-command escaping: % first, then line breaks, then (for properties) : and ,
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: Iterable[Problem]) -> str:
    lines = []
    for p in problems:
        level = "error" if p.is_error else "warning"
        lines.append(
            f"::{level} file={_escape_github(printable(p.path), property_=True)},line={p.line},col={p.col},"
            f"title={_escape_github(p.code, property_=True)}::{_escape_github(printable(p.message))}"
        )
    return "\n".join(lines)


def format_json(problems: Iterable[Problem]) -> str:
    fields = ("path", "line", "col", "code", "severity", "message")
    return printable_json([{name: getattr(p, name) for name in fields} for p in problems], indent=2)


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"检查了 {files} 个文件，未发现问题。"
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。"
