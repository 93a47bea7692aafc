"""Files → documents: reading safely, encoding, the front-matter split, and YAML with line marks.

A `SourceDocument` keeps the parsed front matter together with the file position of every
key, so that checks can point at the offending line. Files are read by `content_files` (no
symlinks, no devices, a size limit), YAML by `yaml_reading` (plain values only, bounded work);
dates are left as strings (`values` parses them) so that 2021-02-30 is a message, not an exception.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bmp_regex import BmpFirst
from .content_files import UNREADABLE, read_limited
from .invisible import NONCHARACTERS, TAG_CHARACTERS, describe
from .problems import Problem
from .rules import ERROR, READING
from .values import shown
from .yaml_messages import line_mistake
from .yaml_reading import Mark, ParsedYaml, Path_, read_yaml

__all__ = ["Mark", "SourceDocument", "parse_document", "read_document", "read_yaml_file"]

ENCODING = UNREADABLE
# Codes of problems found while reading a file, before any rule is applied.
EMPTY = READING.rule(
    "GK002", ERROR,
    "文件为空",
    "用 `gongkai new` 生成条目骨架后再填写；不需要的空文件请删除",
)
NO_FRONT_MATTER = READING.rule(
    "GK003", ERROR,
    "缺少 front matter：第一行不是 `---`",
    "文件第一行写 `---`，接着写元数据，再以一行 `---` 结束",
)
UNCLOSED_FRONT_MATTER = READING.rule(
    "GK004", ERROR,
    "front matter 没有结束的 `---`",
    "在元数据之后、正文之前加一行 `---`",
)
NOT_A_MAPPING = READING.rule(
    "GK006", ERROR,
    "元数据不是“键: 值”形式",
    "每行写成 `键: 值`，例如 `title: 关于……的通知`",
)

CONTROL = READING.rule(
    "GK009", ERROR,
    "文件中有控制字符或不该出现的字符（NUL、单独的回车符 CR、文件中间的 BOM 等）",
    "用编辑器删除提示位置的字符后另存为 UTF-8；常见于从其他软件复制粘贴或把两个文件拼接在一起",
)

@dataclass
class SourceDocument:
    """A Markdown file with YAML front matter, as read from disk."""

    path: str  # relative to the project root, with '/'
    text: str  # whole file, BOM stripped and CRLF turned into LF
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the first body line
    keys: dict[Path_, Mark] = field(default_factory=dict)  # position of each key / list entry
    values: dict[Path_, Mark] = field(default_factory=dict)  # position of each value
    has_bom: bool = False
    crlf: bool = False
    numbers: dict[Path_, str] = field(default_factory=dict)  # how each value YAML read as a number was written
    folded: set[Path_] = field(default_factory=set)  # values whose line breaks YAML turned into spaces between Chinese

    def line_of(self, *path: Any) -> int:
        """Line of the key at `path`, or of its nearest ancestor that exists."""
        key = tuple(path)
        while key:
            if key in self.keys:
                return self.keys[key].line
            key = key[:-1]
        return 1

    def value_line(self, *path: Any) -> int:
        key = tuple(path)
        if key in self.values:
            return self.values[key].line
        return self.line_of(*path)

    def value_col(self, *path: Any) -> int:
        key = tuple(path)
        return self.values[key].col if key in self.values else 1


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without BOM) → text; anything else → a problem that says how to convert."""
    for boms, name in (((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "UTF-32"),  # before UTF-16: FF FE begins both
                       ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "UTF-16")):
        if data.startswith(boms):
            return None, [
                ENCODING.at(path, 1, f"文件是 {name} 编码，请另存为 UTF-8 编码（记事本“另存为”时选择“UTF-8”）")
            ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    hint = "文件不是 UTF-8 编码"
    try:
        data.decode("gb18030")
        hint = "文件似乎是 GBK/GB18030 编码，不是 UTF-8"
    except UnicodeDecodeError:
        pass
    return None, [
        ENCODING.at(path,
            line,
            f"{hint}；请转换为 UTF-8 后再提交，例如 `iconv -f GBK -t UTF-8 原文件 > 新文件`，"
            "或在编辑器中选择“以 UTF-8 编码保存”",
        )
    ]


_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


# What editors type for `---`: full-width or long dashes, four hyphens, spaces before it.
_FENCE_LIKE = re.compile(r"^[ \t\u3000]*[-－—―–ー]{3,}[ \t\u3000]*$", re.MULTILINE)


def split_front_matter(text: str, path: str) -> tuple[str, str, int, list[Problem]]:
    """Return (yaml_text, body, body_line, problems). The YAML starts on line 2."""
    if not text.strip():
        return "", "", 1, [EMPTY.at(path, 1, "文件为空：请用 `gongkai new` 生成条目骨架，再填写内容")]
    first_end = text.find("\n")
    first = text[: first_end if first_end >= 0 else len(text)]
    if first.rstrip() != "---":
        hint = (f"第一行“{shown(first.strip(), 20)}”不是正好三个英文减号（不能有全角符号、多余的减号或行首空格）：请改成 ---"
                if _FENCE_LIKE.match(first) else "文件第一行必须是 `---`，其后是 YAML 元数据，再以 `---` 结束")
        return "", text, 1, [NO_FRONT_MATTER.at(path, 1, f"缺少 front matter：{hint}")]
    fence = _FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if fence is None:
        near = _FENCE_LIKE.search(text, first_end + 1) if first_end >= 0 else None
        if near is not None:
            line = text.count("\n", 0, near.start()) + 1
            return "", "", 1, [UNCLOSED_FRONT_MATTER.at(path, line,
                f"front matter 没有结束：这一行“{shown(near.group().strip(), 20)}”不是正好三个英文减号，请改成 ---")]
        return "", "", 1, [
            UNCLOSED_FRONT_MATTER.at(path, 1, "front matter 没有结束：请在元数据之后加一行 `---`")
        ]
    # With its last line break: a block scalar written last (`summary: |`) keeps its final line break, as it does
    # anywhere else in the front matter.
    yaml_text = text[first_end + 1 : fence.start()]
    body = text[fence.end() + 1 :]
    body_line = text.count("\n", 0, fence.start()) + 2
    return yaml_text, body, body_line, []


# Raw characters that no text file of ours contains; tab and line feed are fine, CRLF is read as LF.
_CONTROL = BmpFirst(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff{NONCHARACTERS}{TAG_CHARACTERS}]")
_SHOWN_CONTROLS = 5


def control_characters(text: str, path: str) -> list[Problem]:
    """GK009 for the first few raw control characters (a lone CR, a BOM in the middle, NUL …)."""
    problems: list[Problem] = []
    for found in _CONTROL.finditer(text):
        char = found.group()
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - text.rfind("\n", 0, found.start())
        if char == "\r":
            fix = ("单独的回车符（CR）：文件混用了不同的换行方式（可能来自旧式 Mac 或拼接的文件），"
                   "请在编辑器中把换行统一为 LF 或 CRLF 后保存")
        elif char == "\ufeff":
            fix = "文件中间有 BOM（U+FEFF）：常见于把两个文件拼接在一起，请删除这个看不见的字符"
        else:
            fix = f"有控制字符 {describe(char)}：请删除它（常见于从其他软件复制粘贴的文字）"
        problems.append(CONTROL.at(path, line, fix, col))
        if len(problems) == _SHOWN_CONTROLS:
            break
    return problems


def read_document(file: Path, rel_path: str, limit: int) -> tuple[SourceDocument | None, list[Problem]]:
    """Read one Markdown file with front matter; never raises for bad content."""
    data, problems = read_limited(file, rel_path, limit)
    if data is None:
        return None, problems
    return parse_document(data, rel_path)


def _text(data: bytes, rel_path: str) -> tuple[str | None, list[Problem]]:
    """Decoded text with LF line ends, and the problems of its raw characters."""
    text, problems = decode(data, rel_path)
    if text is None:
        return None, problems
    text = text.replace("\r\n", "\n")
    return text, control_characters(text, rel_path)


def parse_document(data: bytes, rel_path: str) -> tuple[SourceDocument | None, list[Problem]]:
    text, problems = _text(data, rel_path)
    if text is None:
        return None, problems
    yaml_text, body, body_line, split_problems = split_front_matter(text, rel_path)
    if split_problems:
        return None, split_problems + problems
    if any(p.line < body_line for p in problems):  # libyaml would stop at them, with a worse message
        return None, problems
    parsed = read_yaml(yaml_text, rel_path, first_line=2)
    problems += parsed.problems
    meta = parsed.data
    if not parsed.readable:
        return None, problems
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        mistake = line_mistake(yaml_text)  # `title：通知` alone reads as one text
        if mistake is not None:
            rule, line0, col0, message = mistake
            problems.append(rule.at(rel_path, line0 + 2, message, col0 + 1))
        else:
            problems.append(NOT_A_MAPPING.at(rel_path, 2, "front matter 必须是“键: 值”形式的映射，例如 `title: 标题`"))
        return None, problems
    document = SourceDocument(
        path=rel_path,
        text=text,
        meta=meta,
        body=body,
        body_line=body_line,
        keys=parsed.keys,
        values=parsed.values,
        has_bom=data.startswith(codecs.BOM_UTF8),
        crlf=b"\r\n" in data,
        numbers=parsed.numbers,
        folded=parsed.folded,
    )
    return document, problems


def read_yaml_file(file: Path, rel_path: str, limit: int) -> tuple[Any, SourceDocument | None, list[Problem]]:
    """Read a whole-YAML file (catalog.yml, reports/<year>.yml) with marks starting at line 1.

    The value is None (and no document is returned) when the file cannot be read as plain YAML."""
    data, problems = read_limited(file, rel_path, limit)
    if data is None:
        return None, None, problems
    return yaml_document(data, rel_path)


def yaml_document(data: bytes, rel_path: str) -> tuple[Any, SourceDocument | None, list[Problem]]:
    """`read_yaml_file` of bytes already read (mkdocs.yml as it was judged and loaded)."""
    text, problems = _text(data, rel_path)
    if text is None or problems:
        return None, None, problems
    parsed: ParsedYaml = read_yaml(text, rel_path, first_line=1)
    if not parsed.readable:
        return None, None, parsed.problems
    document = SourceDocument(
        path=rel_path, text=text, meta=parsed.data if isinstance(parsed.data, dict) else {}, body="", body_line=1,
        keys=parsed.keys, values=parsed.values, numbers=parsed.numbers, folded=parsed.folded,
    )
    return parsed.data, document, parsed.problems
