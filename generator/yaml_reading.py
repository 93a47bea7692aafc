"""YAML → plain values with the position of every key, read event by event from libyaml.

Front matter, catalog.yml and the report files are typed by hand and read by a reviewer as text,
so what they are read as must be exactly what they show:
- plain scalars, lists and mappings only: anchors, aliases, merge keys (`<<`) and tags (`!!set`,
  `!!binary`, `!foo` …) are refused where they stand. An alias is never expanded, so an alias bomb
  costs no more than its own bytes;
- keys are text: `1:`, `true:`, `null:`, a list as a key, or a key with a full-width space or an
  invisible character is GK102 on its own line, and the key is left out;
- bounded work: nesting depth and the number of nodes have budgets;
- nothing is lost or merged silently: a ` #` comment that cut an unquoted text, full-width commas
  in a `[…]` list, a value folded over several lines, a list item written `-item`.
Numbers are decimal only (`010` stays text, `1:20` is not 80) and dates stay text, so `2021-02-30`
is a message instead of an exception. Syntax errors are explained by `yaml_messages`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from .invisible import CONTROL, INVISIBLE, ODD_SPACE, describe
from .problems import Problem
from .rules import ERROR, READING, SCHEMA, WARNING, Rule
from .values import shown
from .yaml_messages import FULL_WIDTH_SYNTAX, SYNTAX, explain

# libyaml is several times faster; the pure-Python parser gives the same events where it is not compiled in.
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 20  # the deepest real file (a report's table cells) nests 6 levels
MAX_NODES = 100_000  # a large catalog has a few thousand
MAX_PROBLEMS = 50  # per file: enough to fix, bounded for hostile input
MAX_KEY = 1024  # characters, as libyaml allows a plain key (report keys are department names)

DUPLICATE_KEY = READING.rule(
    "GK007", ERROR,
    "同一个键写了两次",
    "删除重复的一行（YAML 只会保留其中一个值，审查的内容可能与所见不同）",
)
ALIAS = READING.rule(
    "GK013", ERROR,
    "用了 YAML 的锚点（&）、别名（*）或合并键（<<）",
    "把值直接写出来；若值本身以 & 或 * 开头，请给它加英文引号",
)
TAG = READING.rule(
    "GK014", ERROR,
    "用了 YAML 标签（如 !!set、!!binary、!!str、!xxx）",
    "删除标签，值只写文字、列表或映射；若值本身以 ! 开头，请给它加英文引号",
)
BUDGET = READING.rule(
    "GK015", ERROR,
    f"YAML 嵌套超过 {MAX_DEPTH} 层或元素超过 {MAX_NODES} 个",
    "元数据只需要几层；检查是否误写了成串的 [ 或 {，或把大量数据写进了元数据",
)
CONTROL_IN_VALUE = READING.rule(
    "GK016", ERROR,
    "值中有控制字符，或改变文字显示顺序的双向文字控制符",
    "删除该字符（它让显示出来的文字与实际的不同）；双引号中的 \\x01、\\u202e 这类转义也不允许",
)
COMMENT_CUT = READING.rule(
    "GK017", ERROR,
    "不加引号的文字（含中文或空格）后面紧跟着“ #”：# 之后的文字被当作注释丢弃了",
    "给整个值加英文引号，例如 title: \"关于……规划 #征求意见稿\"；真是注释的，写成“两个空格 + # + 空格 + 注释”或另起一行",
)
FULL_WIDTH_COMMA = READING.rule(
    "GK018", WARNING,
    "[…] 列表中用了中文逗号（，、），几项被读成了一项",
    "列表各项之间用英文逗号加空格：[燃气安全, 冬季检查]；若确是一项，请给它加英文引号",
)
FOLDED = READING.rule(
    "GK019", WARNING,
    "一个值写在了几行里，YAML 把换行变成了空格（中文之间多出空格）",
    "把值写在同一行；长文字请用 `|` 写法（见本手册“YAML 的常见错误”）",
)
SWALLOWED = READING.rule(
    "GK020", ERROR,
    "像“键: 值”的一行被当成了上一项的续行（缩进多了或引号没有配对）",
    "让这一行与同一层的其他键左对齐，并检查上一项的引号是否成对",
)
DASH = READING.rule(
    "GK021", ERROR,
    "列表项的“-”后面没有空格，或用了全角的“－”“•”",
    "每个列表项写成英文减号加一个空格：- 燃气安全",
)
# Declared here because the loader finds the keys that are not text; the schema family raises it too.
UNKNOWN_KEY = SCHEMA.rule(
    "GK102", ERROR,
    "未知的键（常见原因是拼写错误、用了中文键名，或键名中有全角空格、看不见的字符）",
    "按提示改成正确的英文键名，或删除该行；允许的键见本手册“元数据字段”一节",
)

Path_ = tuple[Any, ...]


class Mark(NamedTuple):
    """A position in a file; a tuple because hundreds of thousands are made per check."""

    line: int  # 1-based
    col: int  # 1-based


@dataclass
class ParsedYaml:
    data: Any = None
    keys: dict[Path_, Mark] = field(default_factory=dict)  # position of each key / list entry
    values: dict[Path_, Mark] = field(default_factory=dict)  # position of each value
    numbers: dict[Path_, str] = field(default_factory=dict)  # how each value read as a number was written
    folded: set[Path_] = field(default_factory=set)  # values whose line breaks YAML turned into spaces between Chinese
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True  # False: the structure could not be read, `data` is None


# ---- scalars ----------------------------------------------------------------------------------

_BOOLEANS = {word: value for value, words in ((True, ("yes", "true", "on")), (False, ("no", "false", "off")))
             for lower in words for word in (lower, lower.capitalize(), lower.upper())}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_TYPED_START = frozenset("-+.0123456789~nNtTfFyYoO")
# A code, a date, an 索引号: one ASCII token, which a comment after it cannot have cut short.
_TOKEN = re.compile(r"[!-~]+\Z")
_COMMENT_AFTER = re.compile(r"[ \t]+#")
_INDENT = re.compile(r"[ \t]*")


def _conventional(line: str, value_end: int, after_hash: int) -> bool:
    """A comment written the way comments are, two blanks or more, `#`, then a blank: `值  # 说明`."""
    return after_hash - 1 - value_end >= 2 and line[after_hash : after_hash + 1] in ("", " ", "\t")


def plain_value(text: str) -> Any:
    """An unquoted scalar as YAML 1.2 reads it, but with decimal numbers only."""
    if not text or text[0] not in _TYPED_START:
        return text if text else None
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if _INT.match(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts: keep what was written
            return text
    if _FLOAT.match(text):
        return float(text)
    return text


def read_as(value: Any) -> str:
    """What YAML read a value that is not text as, for a message: a key `1:`, `true:`, `null:` or a date."""
    if value is None:
        return "空值（null、~ 或什么都不写）"
    if isinstance(value, bool):
        return "是/否值（true、yes、on、false、no、off 之类）"
    if isinstance(value, (int, float)):
        return f"数字 {shown(value)}"
    if isinstance(value, dt.date):  # mkdocs.yml's loader reads dates (content files keep them as text)
        return f"日期 {shown(value)}"
    return f"非文字的值 {shown(value)}"


# ---- the reader --------------------------------------------------------------------------------

_KEY_LIKE = re.compile(r"[ \t]*(?:-(?:[ \t]|\Z)|[a-z_][a-z0-9_]*[ \t\u3000]*(?::(?:[ \t\u3000]|\Z)|：))")
_LIST_MARKS = "-－—–•·・●▪"  # how a list item starts: the ASCII hyphen, or what editors type for it
_STANDARD_TAGS = "tag:yaml.org,2002:"
_QUOTE_HINT = "（值里需要引号时，用中文引号“”即可）"
_DISCARD = object()  # a key that was refused: its value is read and dropped


_SEQ, _MAP = 0, 1


class _Frame:
    __slots__ = ("kind", "value", "path", "flow", "key", "expect_key", "mark", "joined_by", "is_key")

    def __init__(self, kind: int, value: Any, path: Path_ | None, flow: bool, mark: Mark, is_key: bool) -> None:
        self.kind, self.value, self.path, self.flow, self.mark, self.is_key = kind, value, path, flow, mark, is_key
        self.key: Any = None
        self.expect_key = True
        self.joined_by: Mark | None = None  # a [..] list with a full-width comma in an item


class _Stop(Exception):
    """A budget is spent: the structure is not read further."""


class _Reader:
    """One pass over libyaml's events; the loop is written for speed (it runs for every item)."""

    def __init__(self, text: str, path: str, first_line: int) -> None:
        self.text, self.path, self.first_line = text, path, first_line
        self.lines = text.split("\n")
        self.result = ParsedYaml()
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.quoted_lines: list[tuple[int, int]] = []  # line ranges of quoted and block scalars
        self.last: Any = None  # the last event that parsed
        # Invisible characters are rare: look for them in each value only when the text has one.
        self.invisible = INVISIBLE.search(text) is not None or ODD_SPACE.search(text) is not None

    def problem(self, rule: Rule, line0: int, col0: int, message: str) -> None:
        if len(self.result.problems) < MAX_PROBLEMS:
            self.result.problems.append(rule.at(self.path, line0 + self.first_line, message, col0 + 1))

    def read(self) -> ParsedYaml:
        parser = _Parser(self.text)
        try:
            self.walk(parser.get_event)
        except _Stop:
            self.result.readable = False
        except yaml.MarkedYAMLError as exc:
            start = self.last.start_mark.line if self.last is not None else 0
            # What was said about the value the error interrupted is superseded by the error.
            self.result.problems = [p for p in self.result.problems if p.line < start + self.first_line]
            if "nesting depth" in (exc.problem or ""):  # libyaml's own budget (1,000 levels)
                rule, line0, col0 = BUDGET, exc.problem_mark.line, exc.problem_mark.column
                message = f"YAML 嵌套超过 {MAX_DEPTH} 层，不再往下读：元数据只需要几层，请检查是否误写了成串的 [ 或 {{"
            else:
                rule, line0, col0, message = explain(exc, self.lines, start, self.quoted_lines, self.first_line)
            self.problem(rule, line0, col0, message)
            self.result.readable = False
        except yaml.YAMLError:  # a reader error without a position; the file scan names such characters
            self.problem(SYNTAX, 0, 0, "YAML 无法读取：文件中有不允许的字符，请删除控制字符后再试")
            self.result.readable = False
        finally:
            parser.dispose()
        if any(p.code in (ALIAS.code, TAG.code) for p in self.result.problems):
            self.result.readable = False  # what the file means is not what it shows: no value at all
        self.result.data = self.root if self.result.readable else None
        return self.result

    def walk(self, get_event: Any) -> None:
        stack, values, first_line = self.stack, self.result.values, self.first_line
        nodes, documents = 0, 0
        while True:
            event = self.last = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self.scalar(event)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end()
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                start = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    self.problem(BUDGET, start.line, start.column, f"YAML 嵌套超过 {MAX_DEPTH} 层，不再往下读："
                                 "元数据只需要几层，请检查是否误写了成串的 [ 或 {")
                    raise _Stop
                if event.anchor is not None or event.tag is not None:
                    self.flag(event)
                path, is_key = self.slot()
                mark = Mark(start.line + first_line, start.column + 1)
                if is_key:
                    self.problem(UNKNOWN_KEY, start.line, start.column,
                                 "键必须是文字，这里却是一个列表或映射：请改成 `英文键名: 值`")
                if path is not None:
                    values[path] = mark
                sequence = kind is yaml.SequenceStartEvent
                stack.append(_Frame(_SEQ if sequence else _MAP, [] if sequence else {}, path,
                                    bool(event.flow_style), mark, is_key))
            elif kind is yaml.AliasEvent:
                self.flag(event)
                path, is_key = self.slot()
                self.attach(None, path, is_key, Mark(event.start_mark.line + first_line, event.start_mark.column + 1))
            elif kind is yaml.StreamEndEvent:
                return
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.problem(SYNTAX, event.start_mark.line, 0,
                                 "这里开始了第二份 YAML 文档（`---`）：一个文件只能有一份，请删除多余的 `---` 及其后的重复内容")
                    raise _Stop
            nodes += 1
            if nodes > MAX_NODES:
                self.problem(BUDGET, event.start_mark.line, event.start_mark.column,
                             f"YAML 元素超过 {MAX_NODES} 个，不再往下读：元数据不应这样庞大，请检查是否误贴了大量数据")
                raise _Stop

    def flag(self, event: Any) -> None:
        """Anchors, aliases and tags: a problem where they stand."""
        line, col = event.start_mark.line, event.start_mark.column
        if type(event) is yaml.AliasEvent:
            self.problem(ALIAS, line, col, f"YAML 别名“*{shown(event.anchor)}”不允许：请把值直接写出来；"
                                           "若值本身以 * 开头，请给整个值加英文引号")
            return
        if event.anchor is not None:
            self.problem(ALIAS, line, col, f"YAML 锚点“&{shown(event.anchor)}”不允许：请删除它，把值直接写出来；"
                                           "若值本身以 & 开头，请给整个值加英文引号")
        if event.tag is not None:
            tag = "!!" + event.tag[len(_STANDARD_TAGS):] if event.tag.startswith(_STANDARD_TAGS) else event.tag
            self.problem(TAG, line, col, f"YAML 标签“{shown(tag)}”不允许：元数据的值只能是文字、列表或映射，请删除标签；"
                                         "若值本身以 ! 开头，请给整个值加英文引号")

    def slot(self) -> tuple[Path_ | None, bool]:
        """Where the next node goes: its path (None: dropped), and whether it is a mapping key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if top.kind is _SEQ:
            return (top.path + (len(top.value),) if top.path is not None else None), False
        if top.expect_key:
            return None, True
        if top.path is None or top.key is _DISCARD:
            return None, False
        return top.path + (top.key,), False

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.joined_by is not None and frame.path is not None:
            items = "[" + ", ".join(f"“{shown(item, 20)}”" for item in frame.value[:5]) + (", …]" if len(frame.value) > 5 else "]")
            self.problem(FULL_WIDTH_COMMA, frame.joined_by.line - self.first_line, frame.joined_by.col - 1,
                         f"这个列表被读成了 {len(frame.value)} 项：{items}——中文逗号“，”“、”不分隔列表项。"
                         "若要分成几项，请用英文逗号加空格，例如 [燃气安全, 冬季检查]；若确是一项，请给它加英文引号")
        if frame.is_key:
            self.stack[-1].key, self.stack[-1].expect_key = _DISCARD, False
            return
        self.attach(frame.value, frame.path, False, frame.mark)

    def attach(self, value: Any, path: Path_ | None, is_key: bool, mark: Mark) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if top.kind is _SEQ:
            if path is not None:
                self.result.keys[path] = mark
            top.value.append(value)
            return
        if is_key:
            top.key, top.expect_key = self.key(value, top, mark), False
            return
        if path is not None:
            top.value[top.key] = value
        top.expect_key = True

    def key(self, key: Any, frame: _Frame, mark: Mark) -> Any:
        """The key to store, or _DISCARD with a problem on the key's own line."""
        line0, col0 = mark.line - self.first_line, mark.col - 1
        if key is _DISCARD:
            return _DISCARD
        if not isinstance(key, str):
            self.problem(UNKNOWN_KEY, line0, col0, f"键必须是英文单词，这里是{read_as(key)}：请改成允许的键名，或删除这一行")
            return _DISCARD
        if len(key) > MAX_KEY:
            self.problem(UNKNOWN_KEY, line0, col0, f"键“{shown(key)}”有 {len(key)} 个字符：键名是一个英文单词，"
                                                   "这一行可能少了冒号或缩进不对，请检查")
            return _DISCARD
        odd = (INVISIBLE.search(key) or ODD_SPACE.search(key)) if self.invisible else None
        if odd:
            cleaned = shown(ODD_SPACE.sub("", INVISIBLE.sub("", key)).strip())
            if odd.start() == 0 and ODD_SPACE.match(key):  # typed as indentation
                self.problem(FULL_WIDTH_SYNTAX, line0, col0, f"这一行开头是 {describe(odd.group())}：缩进只能用英文空格，"
                                                              f"请把它换成英文空格（下一层比上一层多缩进两个空格），写成 {cleaned}: ……")
            else:
                self.problem(UNKNOWN_KEY, line0, col0,
                             f"键名“{cleaned}”中有 {describe(odd.group())}：请删除它，只用英文字母写键名，例如 `{cleaned}:`")
            return _DISCARD
        if frame.path is None:
            return _DISCARD
        here = frame.path + (key,)
        if here in self.result.keys:
            first = self.result.keys[here].line
            self.problem(DUPLICATE_KEY, line0, col0, f"键 `{shown(key)}` 重复出现（第 {first} 行已有）：YAML 只保留其中一个值，"
                                                    "审查看到的可能不是发布的；请删除其中一个")
            return _DISCARD
        self.result.keys[here] = mark
        return key

    def scalar(self, event: Any) -> None:
        start, end = event.start_mark, event.end_mark
        text: str = event.value
        style = event.style
        tagged = event.anchor is not None or event.tag is not None
        if tagged:
            self.flag(event)
        plain = not style and not tagged
        value = plain_value(text) if plain else text
        stack = self.stack
        top = stack[-1] if stack else None
        is_key = top is not None and top.kind is _MAP and top.expect_key  # keys are vetted in `key`
        if style:
            self.quoted_lines.append((start.line, end.line))
        if not is_key and (self.invisible or style == '"') and value.__class__ is str and (found := CONTROL.search(value)):
            self.invisible_problem(start, found.group())
        mark = Mark(start.line + self.first_line, start.column + 1)
        if top is None:
            self.root = value
            return
        if is_key:
            top.expect_key = False
            if plain and text == "<<":
                self.problem(ALIAS, start.line, start.column, "YAML 合并键“<<”不允许：它会悄悄合并或覆盖其他键"
                                                              "（重复键检查也会失效）；请把各项直接写出来")
                top.key = _DISCARD
            else:
                top.key = self.key(value, top, mark)
            return
        if top.path is None or (top.kind is _MAP and top.key is _DISCARD):
            path = None
        else:
            path = top.path + ((len(top.value),) if top.kind is _SEQ else (top.key,))
            self.result.values[path] = mark
            if value.__class__ is int or value.__class__ is float:
                self.result.numbers[path] = text
            if end.line != start.line and style != "|" and self.folds(start.line, end.line, style):
                self.result.folded.add(path)
            if style != "|" and style != ">" and not tagged:
                self.lint(event, value, plain, path)
        if top.kind is _SEQ:
            if path is not None:
                self.result.keys[path] = mark
            top.value.append(value)
        else:
            if path is not None:
                top.value[top.key] = value
            top.expect_key = True

    def invisible_problem(self, start: Any, char: str) -> None:
        self.problem(CONTROL_IN_VALUE, start.line, start.column, f"这里有 {describe(char)}：请删除它（控制字符和双向文字控制符"
                                                                 "会让显示出来的文字与实际的不同）")

    def folds(self, first: int, last: int, style: str) -> bool:
        """Whether YAML joined two of these lines with a space next to a Chinese character (it does so at
        every line break between two lines that are not blank, unless a double-quoted line ends in `\\`)."""
        lines = self.lines
        for number in range(first, min(last, len(lines) - 1)):
            before, after = lines[number].rstrip(" \t"), lines[number + 1].strip(" \t")
            if not before or not after or (style == '"' and before.endswith("\\")):
                continue
            if not before[-1].isascii() or not after[0].isascii():
                return True
        return False

    def lint(self, event: Any, value: Any, plain: bool, path: Path_) -> None:
        """Mistakes that parse: a comment that cut a text, a folded value, `-item`, full-width commas."""
        start, end = event.start_mark, event.end_mark
        if plain and not event.value:  # `title: #征求意见稿`: the whole value became a comment
            rest = self.lines[start.line] if start.line < len(self.lines) else ""
            comment = _COMMENT_AFTER.match(rest, start.column)
            if comment and not _conventional(rest, start.column, comment.end()):
                cut = rest[comment.end() - 1 : comment.end() + 29]
                key = f"{path[-1]}: " if path and isinstance(path[-1], str) else "- "
                self.problem(COMMENT_CUT, start.line, comment.end() - 1,
                             f"# 之后的文字被当作注释丢弃了，这一项的值是空的：若 # 是值的一部分，请给这一项加英文引号，"
                             f"例如 {key}\"{cut}\"；不填的项请整行删除；真是注释的，请在 # 前空两格、# 后空一格，或另起一行写")
            return
        if plain and value.__class__ is str:
            rest = self.lines[end.line] if end.line < len(self.lines) else ""
            comment = _COMMENT_AFTER.match(rest, end.column)  # only the blanks after this value are looked at
            if comment and not _TOKEN.match(value) and not _conventional(rest, end.column, comment.end()):
                cut = rest[comment.end() - 1 : comment.end() + 29]
                key = f"{path[-1]}: " if path and isinstance(path[-1], str) else "- "
                self.problem(COMMENT_CUT, end.line, comment.end() - 1,
                             f"# 之后的文字被当作注释丢弃了（YAML 中空格后的 # 开始注释），读出来只有“{shown(value)}”："
                             f"请给这一项加英文引号，例如 {key}\"{shown(value)} {cut}\"；"
                             "真是注释的，请在 # 前空两格、# 后空一格，或另起一行写")
            top = self.stack[-1] if self.stack else None
            flow = top is not None and top.flow  # items of a [..] list never start a line of their own
            if not flow and value[:1] in _LIST_MARKS and (value[:1] != "-" or value[1:2] not in ("", "-")):
                line = self.lines[start.line]
                indent = _INDENT.match(line)  # only the indentation is looked at, never the whole line
                if indent is not None and indent.end() == start.column:  # nothing before the value on its line
                    self.problem(DASH, start.line, start.column,
                                 f"“{shown(line.strip(), 20)}”像是一个列表项，但“-”后面没有空格（或用了全角符号）："
                                 "每项请写成英文减号加一个空格，例如 - 燃气安全")
                    return
            if top is not None and flow and top.kind is _SEQ and top.joined_by is None and ("，" in value or "、" in value):
                top.joined_by = Mark(start.line + self.first_line, start.column + 1)
        if end.line > start.line:
            self.folded(event, value, path)

    def folded(self, event: Any, value: Any, path: Path_) -> None:
        start, end = event.start_mark, event.end_mark
        for number in range(start.line + 1, min(end.line, len(self.lines) - 1) + 1):
            line = self.lines[number]
            if not _KEY_LIKE.match(line):
                continue
            where = f"“{shown(line.strip(), 30)}”像是新的一项，却被当成了第 {start.line + self.first_line} 行那一项的续行"
            if line.lstrip().startswith("-"):
                fix = "：列表各项的“-”要上下对齐；若这本是一段文字，请用 `|` 写法"
            elif event.style in ("'", '"'):  # the mistake is where the quote opened
                self.problem(SWALLOWED, start.line, start.column,
                             f"这一行的英文引号 {event.style} 没有在本行配对，下面第 {number + self.first_line} 行的"
                             f"“{shown(line.strip(), 30)}”被当成了这个值的一部分：请在本行的值末尾补上 {event.style}{_QUOTE_HINT}")
                return
            else:
                wide = "，把中文冒号“：”改成英文冒号加空格" if "：" in line else ""
                fix = f"（这一行缩进多了）：请让它与同一层的其他键左对齐{wide}"
            self.problem(SWALLOWED, number, 0, where + fix)
            return
        if path in self.result.folded:
            self.problem(FOLDED, start.line, start.column,
                         f"这个值写在了 {end.line - start.line + 1} 行里，YAML 把换行变成了空格，读出来是“{shown(value, 60)}”："
                         "请把它写在同一行；需要分段的文字请用 `|` 写法")


def read_yaml(text: str, path: str, first_line: int = 1) -> ParsedYaml:
    """Parse YAML text that starts on file line `first_line`; never raises for bad content."""
    return _Reader(text, path, first_line).read()
