"""What the preview prints, all in Chinese: problems with Chinese severities, and MkDocs' own log lines
translated (the link warnings it gives while rendering a page) or replaced by a Chinese line."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..problems import SEVERITY_LABELS, Problem, printable
from ..rules import blocking

_CJK = re.compile("[\u3400-\u9fff]")
_DOC = r"Doc file '(?P<src>[^']*)'"
_KNOWN = (
    (re.compile(rf"{_DOC} contains a link '(?P<link>[^']*)', but the target '(?P<target>[^']*)' is not found among "
                r"documentation files"), "{src}：链接“{link}”指向的 {target} 不存在"),
    (re.compile(rf"{_DOC} contains a link '(?P<link>[^']*)', but the doc '(?P<target>[^']*)' does not contain an "
                r"anchor '(?P<anchor>[^']*)'"), "{src}：链接“{link}”指向的 {target} 中没有锚点“{anchor}”"),
    (re.compile(rf"{_DOC} contains an unrecognized relative link '(?P<link>[^']*)'"), "{src}：链接“{link}”无法识别，已原样保留"),
    (re.compile(rf"{_DOC} contains an absolute link '(?P<link>[^']*)'"), "{src}：以 / 开头的链接“{link}”已原样保留"),
    (re.compile(rf"{_DOC} contains a link to '(?P<target>[^']*)' which is excluded"), "{src}：链接指向的 {target} 不在网站中"),
    (re.compile(r"Error (?:reading|building) page '(?P<src>[^']*)'"), "{src}：生成页面时出错"),
)
UNKNOWN = "MkDocs 给出了一条未翻译的提示（原文见预览问题页的“生成页面时的提示”）"


def problem_line(problem: Problem) -> str:
    """`path:line:col: CODE 错误：message`, as `gongkai check` prints it but with the severity in Chinese."""
    # Paths and quoted values may hold a terminal's escape sequences: escaped, as `gongkai check` prints them.
    return (f"{printable(problem.path)}:{problem.line}:{problem.col}: {problem.code} {SEVERITY_LABELS[problem.severity]}："
            f"{printable(problem.message)}")


def summary_line(problems: Iterable[Problem]) -> str:
    found = list(problems)
    stopping = len(blocking(found))
    errors = sum(p.is_error for p in found)
    duties = f"，{errors - stopping} 个错误不影响生成网站（gongkai check 仍报告）" if errors > stopping else ""
    if stopping:
        return f"内容检查：{stopping} 个错误（gongkai build 会因此失败）{duties}，{len(found) - errors} 个警告"
    return f"内容检查：{'没有错误' if not errors else '没有会使 gongkai build 失败的错误'}{duties}，{len(found) - errors} 个警告"


def translate(message: str) -> str:
    """A log line of MkDocs in Chinese; gongkai's own lines are Chinese already."""
    if _CJK.search(message):
        return message
    for pattern, chinese in _KNOWN:
        found = pattern.search(message)
        if found:
            return chinese.format(**found.groupdict())
    return UNKNOWN


@dataclass(frozen=True)
class Note:
    text: str  # Chinese
    original: str  # MkDocs' own words, when `text` could not translate them ("" otherwise)


class MkDocsLog(logging.Handler):
    """MkDocs' log while the preview runs: each distinct line once, in Chinese, to `echo` and `notes`."""

    LIMIT = 200  # the newest notes kept for the problems page

    def __init__(self, echo: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.echo = echo
        self.notes: list[Note] = []
        self._seen: set[str] = set()
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        text = translate(message)
        with self._guard:
            if message in self._seen:
                return
            self._seen.add(message)
            self.notes = [*self.notes, Note(text, message if text == UNKNOWN else "")][-self.LIMIT:]
        self.echo(f"提示：{printable(text)}")  # a link's address is the content's: no terminal control

    def install(self) -> None:
        """Route MkDocs' log here alone (its English lines would otherwise reach the terminal)."""
        logger = logging.getLogger("mkdocs")
        logger.handlers[:] = [self]
        logger.propagate = False
        logger.setLevel(logging.WARNING)
