"""Files → documents: encoding, the front-matter split, and YAML with line marks.

A `SourceDocument` keeps the parsed front matter together with the file position of every
key, so that checks can point at the offending line. Dates are left as strings here (the YAML
timestamp type would turn 2021-02-30 into an exception instead of a message); `values`
parses them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .problems import Problem
from .rules import ERROR, READING

try:  # libyaml is several times faster; fall back where it is not compiled in
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps timestamps as strings, with the tag resolution of scalars memoised.

    Resolving every scalar through the regex table costs more than parsing; front matter repeats
    the same keys and values across thousands of items, so a memo pays off.
    """

    _scalar_tags: dict[tuple[str, bool], str] = {}

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            key = (value, implicit[1])
            tag = self._scalar_tags.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._scalar_tags) < 100_000:
                    self._scalar_tags[key] = tag
            return tag
        return super().resolve(kind, value, implicit)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

# Codes of problems found while reading a file, before any rule is applied.
ENCODING = READING.rule(
    "GK001", ERROR,
    "文件不是 UTF-8 编码（常见为 GBK 或 UTF-16），或无法读取",
    "用编辑器“另存为 UTF-8”，或运行 `iconv -f GBK -t UTF-8 原文件 > 新文件`",
)
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
YAML_SYNTAX = READING.rule(
    "GK005", ERROR,
    "元数据的 YAML 语法错误（含 Tab 缩进）",
    "按提示的行检查：缩进只用空格、冒号后要有空格、引号要成对；含冒号或井号的值加引号",
)
NOT_A_MAPPING = READING.rule(
    "GK006", ERROR,
    "元数据不是“键: 值”形式",
    "每行写成 `键: 值`，例如 `title: 关于……的通知`",
)
DUPLICATE_KEY = READING.rule(
    "GK007", ERROR,
    "同一个键写了两次",
    "删除重复的一行（YAML 只会保留其中一个值，审查的内容可能与所见不同）",
)

Path_ = tuple[Any, ...]


class Mark(NamedTuple):
    """A position in a file; a tuple because hundreds of thousands are made per check."""

    line: int  # 1-based
    col: int  # 1-based


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
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [
            ENCODING.at(path, 1, "文件是 UTF-16 编码，请另存为 UTF-8 编码（记事本“另存为”时选择“UTF-8”）")
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


def split_front_matter(text: str, path: str) -> tuple[str, str, int, list[Problem]]:
    """Return (yaml_text, body, body_line, problems). The YAML starts on line 2."""
    if not text.strip():
        return "", "", 1, [EMPTY.at(path, 1, "文件为空：请用 `gongkai new` 生成条目骨架，再填写内容")]
    first_end = text.find("\n")
    if text[: first_end if first_end >= 0 else len(text)].rstrip() != "---":
        return "", text, 1, [
            NO_FRONT_MATTER.at(path,
                1,
                "缺少 front matter：文件第一行必须是 `---`，其后是 YAML 元数据，再以 `---` 结束",
            )
        ]
    fence = _FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if fence is None:
        return "", "", 1, [
            UNCLOSED_FRONT_MATTER.at(path, 1, "front matter 没有结束：请在元数据之后加一行 `---`")
        ]
    yaml_text = text[first_end + 1 : max(fence.start() - 1, first_end + 1)]
    body = text[fence.end() + 1 :]
    body_line = text.count("\n", 0, fence.start()) + 2
    return yaml_text, body, body_line, []


def parse_yaml(yaml_text: str, path: str, first_line: int = 2) -> tuple[Any, dict, dict, list[Problem]]:
    """Parse YAML, returning (data, key marks, value marks, problems). Lines are file lines."""
    loader = _Loader(yaml_text)
    keys: dict[Path_, Mark] = {}
    values: dict[Path_, Mark] = {}
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        data = _build(loader, node, (), keys, values, problems, path, first_line) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        col = (mark.column + 1) if mark else 1
        bad_line = yaml_text.split("\n")[mark.line] if mark and mark.line < yaml_text.count("\n") + 1 else ""
        if "\t" in bad_line or "'\\t'" in str(exc):
            message = "YAML 中不能用 Tab 缩进：请把 Tab 换成空格（每级两个空格）"
        else:
            reason = (exc.problem or exc.context or "无法解析").strip()
            message = f"YAML 语法错误（{reason}）：请检查该行的缩进、冒号后的空格和引号是否成对"
        return None, {}, {}, [YAML_SYNTAX.at(path, line, message, col)]
    except RecursionError:  # an alias inside its own anchor, e.g. `a: &x [*x]`
        return None, {}, {}, [YAML_SYNTAX.at(path, first_line,
                                    "YAML 中有引用自身的锚点（&）和别名（*）：元数据里不需要锚点，请把值直接写出来")]
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # e.g. unhashable keys
        return None, {}, {}, [YAML_SYNTAX.at(path, first_line, f"YAML 无法解析（{exc}）：请检查元数据格式")]
    finally:
        loader.dispose()
    return data, keys, values, problems


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _build(loader, node, prefix, keys, values, problems, path, first_line) -> Any:
    """Construct the value of `node` and record marks in one pass (PyYAML's own pass is slower)."""
    values[prefix] = Mark(node.start_mark.line + first_line, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        result = []
        for index, child in enumerate(node.value):
            here = prefix + (index,)
            keys[here] = Mark(child.start_mark.line + first_line, child.start_mark.column + 1)
            result.append(_build(loader, child, here, keys, values, problems, path, first_line))
        return result
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP and not any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR else loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = str(key)
            here = prefix + (key,)
            mark = Mark(key_node.start_mark.line + first_line, key_node.start_mark.column + 1)
            if here in keys:
                problems.append(
                    DUPLICATE_KEY.at(path,
                        mark.line,
                        f"键 `{key}` 重复出现（第 {keys[here].line} 行已有）：请删除其中一个",
                        mark.col,
                    )
                )
                continue
            keys[here] = mark
            mapping[key] = _build(loader, value_node, here, keys, values, problems, path, first_line)
        return mapping
    return loader.construct_object(node, deep=True)


def read_document(file: Path, rel_path: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Read one Markdown file with front matter; never raises for bad content."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        return None, [ENCODING.at(rel_path, 1, f"无法读取文件（{exc.strerror}）")]
    return parse_document(data, rel_path)


def parse_document(data: bytes, rel_path: str) -> tuple[SourceDocument | None, list[Problem]]:
    text, problems = decode(data, rel_path)
    if text is None:
        return None, problems
    has_bom = data.startswith(codecs.BOM_UTF8)
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    yaml_text, body, body_line, problems = split_front_matter(text, rel_path)
    if problems:
        return None, problems
    meta, keys, values, problems = parse_yaml(yaml_text, rel_path)
    if meta is None and not problems:
        meta = {}
    if not isinstance(meta, dict):
        if meta is not None:
            problems.append(
                NOT_A_MAPPING.at(rel_path, 2, "front matter 必须是“键: 值”形式的映射，例如 `title: 标题`")
            )
        return None, problems
    document = SourceDocument(
        path=rel_path,
        text=text,
        meta=meta,
        body=body,
        body_line=body_line,
        keys=keys,
        values=values,
        has_bom=has_bom,
        crlf=crlf,
    )
    return document, problems


def read_yaml_file(file: Path, rel_path: str) -> tuple[Any, SourceDocument | None, list[Problem]]:
    """Read a whole-YAML file (catalog.yml, reports/<year>.yml) with marks starting at line 1."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        return None, None, [ENCODING.at(rel_path, 1, f"无法读取文件（{exc.strerror}）")]
    text, problems = decode(data, rel_path)
    if text is None:
        return None, None, problems
    text = text.replace("\r\n", "\n")
    parsed, keys, values, problems = parse_yaml(text, rel_path, first_line=1)
    document = SourceDocument(
        path=rel_path, text=text, meta=parsed if isinstance(parsed, dict) else {}, body="", body_line=1,
        keys=keys, values=values,
    )
    return parsed, document, problems
