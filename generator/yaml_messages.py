"""A libyaml syntax error → the line an editor has to change, and what to change, in Chinese.

libyaml reports where it gave up, which is often the line after the mistake ("could not find
expected ':'" for a full-width colon one line up) and always in English. Mistakes come in classes:
full-width punctuation used as YAML syntax (：, a full-width space, “”), a missing space after a
colon, values that need quotes (a `: ` inside, a leading [ { * & ! @ ` % | > - ?, a quote that
closes before the value ends), quotes and brackets that never close, and indentation (tabs, a key
indented under a value). The lines between the last event that parsed and the error are searched
for the first two classes; the error itself tells the others apart.
"""

from __future__ import annotations

import re
from typing import Any

from .invisible import describe
from .rules import ERROR, READING, Rule
from .values import shown

SYNTAX = READING.rule(
    "GK005", ERROR,
    "元数据的 YAML 语法错误（缩进、Tab、引号不成对、括号不闭合等）",
    "按提示的行修改：缩进只用英文空格且同一层左对齐、引号和括号要成对；不确定时给整个值加英文引号",
)
FULL_WIDTH_SYNTAX = READING.rule(
    "GK022", ERROR,
    "用中文标点代替了 YAML 符号（全角冒号“：”、全角空格、中文引号）",
    "键和值之间用英文冒号加一个英文空格，例如 genre: 通知；缩进只用英文空格；引号用英文引号",
)
NEEDS_QUOTES = READING.rule(
    "GK023", ERROR,
    "这个值需要加英文引号（含“: ”，或以 [ { * & ! @ % | > - ? 或反引号开头，或引号只括住了一部分）",
    "给整个值加英文引号，例如 title: \"答复: 关于……\"；值里本身有英文双引号时，外面用单引号",
)
NO_SPACE = READING.rule(
    "GK024", ERROR,
    "冒号后面缺少空格",
    "键和值之间写英文冒号加一个空格，例如 title: 关于……的通知",
)

_TAB_INDENT = re.compile(r"[ \u3000]*\t")
_WIDE_INDENT = re.compile(r"[ \t]*\u3000")
# `genre：通知`: a key (no ASCII colon before it) followed by a full-width colon.
_FULL_COLON = re.compile(r"[ \t]*(?:-[ \t]+)?([^\s:：#'\"\[\]{},][^:：\n]{0,40}?)[ \t\u3000]*：")
# `genre:　通知`: a full-width (or another non-ASCII) space after the colon.
_WIDE_AFTER_COLON = re.compile(r"[ \t]*(?:-[ \t]+)?([^\s:#'\"]+):([\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff])")
# `title:通知`: no space after the colon of a key (a URL's `://` is not one).
_NO_SPACE = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_]*):(?=[^ \t/])")
_LIST_ITEM = re.compile(r"[ \t]*-(?:[ \t]|\Z)")
# The key at the start of a line, up to and including its `: `.
_KEY_PREFIX = re.compile(r"[ \t]*(?:-[ \t]+)?([^\s#'\"\[\]{},][^:]*?|\"[^\"]*\"|'[^']*'):(?:[ \t]+|\Z)")

GENERAL = ("请检查这一行及上一行：缩进只用英文空格、同一层的键左对齐；冒号后要有英文空格；引号和括号要成对；"
           "值中含“: ”“ #”或以特殊符号开头时，给整个值加英文引号")
QUOTE_HINT = "（值里需要引号时，用中文引号“”即可）"


def explain(exc: Any, lines: list[str], last_start: int, quoted: list[tuple[int, int]],
            first_line: int = 1) -> tuple[Rule, int, int, str]:
    """(rule, 0-based line, 0-based column, message) for a libyaml MarkedYAMLError. `last_start` is
    the line where the last node that parsed began; `first_line` the file line of the YAML's first
    line, for messages that name another line."""
    problem, context = exc.problem or "", exc.context or ""
    pl, pc = (exc.problem_mark.line, exc.problem_mark.column) if exc.problem_mark else (0, 0)
    cl, cc = (exc.context_mark.line, exc.context_mark.column) if exc.context_mark else (pl, pc)
    pl, cl = min(pl, len(lines) - 1), min(cl, len(lines) - 1)
    at = _line(lines, pl)

    if "quoted scalar" in context:
        return _quote(problem, lines, pl, pc, cl, cc)
    if "flow node" in context:  # inside [..] or {..}: an item missing, or the bracket never closed
        if at[pc:pc + 1] in (",", "]", "}"):
            return SYNTAX, pl, pc, "列表里有空的一项（逗号前后什么都没有）：请删除多余的英文逗号"
        opened = _unclosed(lines, pl, pc)
        if opened is not None:
            return _bracket(lines, *opened)
    if "flow sequence" in context or "flow mapping" in context:
        return _bracket(lines, cl, cc)
    if "alias" in context or "anchor" in context:
        sign = "*" if "alias" in context else "&"
        return (NEEDS_QUOTES, cl, cc, f"以“{sign}”开头的值会被 YAML 当作{'别名' if sign == '*' else '锚点'}：请给整个值加英文引号，"
                                      f"例如 \"{shown(_line(lines, cl)[cc:cc + 21].strip(), 20)}\"")
    if "tag" in context:
        return NEEDS_QUOTES, cl, cc, "以“!”开头的值会被 YAML 当作标签：请给整个值加英文引号"
    if "block scalar" in context:
        if "tab" in problem:
            return SYNTAX, pl, pc, "多行文字的缩进里有 Tab：请把 Tab 换成英文空格（每级两个空格）"
        return (NEEDS_QUOTES, cl, cc, "以“|”或“>”开头的值会被 YAML 当作多行文字的标记：请给整个值加英文引号；"
                                      "要写多行文字时，“|”后直接换行，下一行起缩进两个空格写")
    if "tab" in problem:
        return SYNTAX, pl, 0, "这一行用 Tab 缩进了：YAML 中只能用英文空格缩进，请把 Tab 换成空格（每级两个空格）"
    if "cannot start any token" in problem:
        char = at[pc:pc + 1]
        if char == "\t":
            return SYNTAX, pl, pc, "这一行用 Tab 缩进了：YAML 中只能用英文空格缩进，请把 Tab 换成空格（每级两个空格）"
        if char in ("@", "`", "%"):
            return NEEDS_QUOTES, pl, pc, f"值不能以“{char}”开头：请给整个值加英文引号，例如 \"{at[pc:pc + 20].strip()}\""

    found = _line_mistake(lines, min(last_start, cl), pl, quoted)
    if found is not None:
        return found
    if "could not find expected ':'" in problem:
        above = next((text for text in reversed(lines[:cl]) if text.strip()), "")
        if above.rstrip().endswith(("|", ">", "|-", ">-", "|+", ">+")):
            return (SYNTAX, cl, 0, "上一行用了 | 或 > 写多行文字，它下面的各行要比键多缩进两个空格：请在这一行及以下各行的行首加两个空格")
        return (SYNTAX, cl, 0, f"“{shown(_line(lines, cl).strip(), 30)}”既不是“键: 值”，也不在上一项之内：若它是上一项的文字"
                               "（例如标题太长换了行），请接回上一行；若是新的一项，请写成“键: 值”（英文冒号加空格）")
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, pl, pc)
    if "block sequence entries are not allowed" in problem:
        key = _KEY_PREFIX.match(at)
        if key and key.end() <= pc:
            return (NEEDS_QUOTES, pl, pc, "值以“- ”开头会被当作列表：请给整个值加英文引号；若要写列表，"
                                          "请换行后每项单独一行，写成“  - 项”")
        return _indentation(lines, pl)
    if "mapping keys are not allowed" in problem:
        return NEEDS_QUOTES, pl, pc, "值以“? ”开头会被 YAML 当作键的标记：请给整个值加英文引号"
    if "did not find expected key" in problem or "expected <block end>" in problem:  # libyaml, pure-Python PyYAML
        return _after_value(lines, pl, pc, quoted, first_line)
    if "expected '-' indicator" in problem:
        return SYNTAX, pl, 0, "列表各项的“-”要上下对齐：这一行的缩进与上面的列表项不一致"
    if "expected node content" in problem:
        return NEEDS_QUOTES, pl, pc, "这里缺少值，或值以 YAML 的特殊符号开头：请检查这一行，必要时给整个值加英文引号"
    if "unexpected ':'" in problem:
        return NEEDS_QUOTES, pl, pc, "冒号的位置不对：值中含冒号时请给整个值加英文引号"
    return SYNTAX, pl, pc, f"YAML 语法错误：{GENERAL}"


def _bracket(lines: list[str], line: int, col: int) -> tuple[Rule, int, int, str]:
    opening = _line(lines, line)[col:col + 1] if _line(lines, line)[col:col + 1] in ("[", "{") else "["
    closing = "]" if opening == "[" else "}"
    return (SYNTAX, line, col, f"这一行的“{opening}”没有配对的“{closing}”：列表和映射要在同一行用“{closing}”结束，"
                               f"各项之间用英文逗号加空格；若值本身以“{opening}”开头（例如 [转发]……），请给整个值加英文引号")


def _unclosed(lines: list[str], last_line: int, last_col: int) -> tuple[int, int] | None:
    """Where the last [ or { still open at the error was opened (quotes and comments roughly skipped)."""
    opened: list[tuple[int, int]] = []
    for number in range(min(last_line, len(lines) - 1) + 1):
        line = lines[number] if number < last_line else lines[number][:last_col]
        quote = ""
        for col, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'" and (col == 0 or line[col - 1] in " [{,:"):
                quote = char
            elif char == "#" and (col == 0 or line[col - 1] in " \t"):
                break
            elif char in "[{":
                opened.append((number, col))
            elif char in "]}" and opened:
                opened.pop()
    return opened[-1] if opened else None


def _line(lines: list[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def _quote(problem: str, lines: list[str], pl: int, pc: int, cl: int, cc: int) -> tuple[Rule, int, int, str]:
    mark = _line(lines, cl)[cc:cc + 1] or "\""
    if "escape" in problem or "hexdecimal" in problem:
        return (SYNTAX, pl, pc, "双引号里的反斜杠“\\”是转义符，这里不是有效的转义：请改用单引号把值括起来，"
                                "或把 \\ 写成 \\\\")
    return (SYNTAX, cl, cc, f"这一行的英文引号 {mark} 没有配对：引号后的内容一直延续到文件末尾。请在值的末尾补上 {mark}，"
                            f"或去掉开头的 {mark}{QUOTE_HINT}")


def line_mistake(text: str) -> tuple[Rule, int, int, str] | None:
    """A full-width colon, a tab or a missing space anywhere in `text` (for YAML that parsed as a
    single text instead of “键: 值” lines)."""
    lines = text.split("\n")
    return _line_mistake(lines, 0, len(lines) - 1, [])


def _line_mistake(lines: list[str], first: int, last: int,
                  quoted: list[tuple[int, int]]) -> tuple[Rule, int, int, str] | None:
    """The first line between `first` and `last` with full-width syntax, a tab or a missing space."""
    inside = {number for start, end in quoted for number in range(max(start + 1, first), min(end, last) + 1)}
    for number in range(max(first, 0), last + 1):
        if number in inside:
            continue
        line = _line(lines, number)
        if found := _TAB_INDENT.match(line):
            return SYNTAX, number, found.end() - 1, "这一行用 Tab 缩进了：YAML 中只能用英文空格缩进，请把 Tab 换成空格（每级两个空格）"
        if found := _WIDE_INDENT.match(line):
            return (FULL_WIDTH_SYNTAX, number, found.end() - 1,
                    "这一行开头有全角空格“　”：缩进只能用英文空格，请把它换成英文空格（同一层的键左对齐）")
        if found := _FULL_COLON.match(line):
            key = found[1].strip()
            return (FULL_WIDTH_SYNTAX, number, found.end() - 1,
                    f"“{shown(line.strip(), 30)}”用了中文冒号“：”：键和值之间要用英文冒号加一个英文空格，请写成 {key}: "
                    f"{shown(line[found.end():].strip(), 20)}")
        if found := _WIDE_AFTER_COLON.match(line):
            return (FULL_WIDTH_SYNTAX, number, found.end() - 1,
                    f"“{shown(found[1])}:”后面是 {describe(found[2])}：冒号后要用英文空格，请写成 {shown(found[1])}: "
                    f"{shown(line[found.end():].strip(), 20)}")
        if found := _NO_SPACE.match(line):
            return (NO_SPACE, number, found.end(),
                    f"“{shown(found[1])}:”后面缺少空格：键和值之间要写英文冒号加一个空格，请写成 {shown(found[1])}: "
                    f"{shown(line[found.end():].strip(), 20)}")
    return None


def _colon_in_value(lines: list[str], pl: int, pc: int) -> tuple[Rule, int, int, str]:
    line = _line(lines, pl)
    key = _KEY_PREFIX.match(line)
    if key is None or key.end() > pc:
        return _indentation(lines, pl)
    value = line[key.end():].strip()
    name = shown(key[1].strip())
    hint = "；中文引号“”不起 YAML 引号的作用" if value[:1] in "“‘「『" else ""
    example = value.replace('"', "“", 1).replace('"', "”", 1) if '"' in value else value
    return (NEEDS_QUOTES, pl, key.end(),
            f"“{name}”的值里有“: ”（冒号加空格），YAML 把它当成了又一个键：请给这一项加英文引号，"
            f"例如 {name}: \"{shown(example)}\"{hint}")


def _indentation(lines: list[str], number: int) -> tuple[Rule, int, int, str]:
    line = _line(lines, number)
    here = len(line) - len(line.lstrip(" "))
    above = next((text for text in reversed(lines[:number]) if text.strip() and not text.lstrip().startswith("#")), "")
    there = len(above) - len(above.lstrip(" "))
    if here > there:
        detail = (f"这一行缩进了 {here} 个空格，比上一行多：YAML 把它当成了上一行那一项的续行，而不是新的一项")
    else:
        detail = f"这一行缩进了 {here} 个空格，与同一层的其他键不一致"
    return (SYNTAX, number, 0, f"{detail}。同一层的键要左对齐，下一层比上一层多缩进两个空格；"
                               "若这一行本是上一项的文字，请把整个值写在一行并加英文引号")


def _after_value(lines: list[str], pl: int, pc: int, quoted: list[tuple[int, int]],
                 first_line: int) -> tuple[Rule, int, int, str]:
    """Text after a value that ended early: a closing quote or bracket in the middle of the value."""
    before = _line(lines, pl)[:pc].rstrip()
    if before.endswith(("\"", "'")):
        start = next((s for s, e in quoted if e == pl and s < pl), None)
        if start is not None:
            return (SYNTAX, start, 0, f"这一行开始的引号一直到第 {pl + first_line} 行才配对，中间各行都成了这个值的内容："
                                      f"请检查这一行的英文引号是否成对{QUOTE_HINT}")
        return (NEEDS_QUOTES, pl, pc, "英文引号只括住了值的一部分，后面还有文字：YAML 的引号必须括住整个值。"
                                      "请改用中文引号“”，或把整个值放进另一种英文引号，例如 '\"十四五\"燃气规划'")
    if _LIST_ITEM.match(_line(lines, pl)):
        return (SYNTAX, pl, 0, "这一行是列表项（以“- ”开头），但它不在列表里：列表项要写在键（例如 keywords:）的下一行，"
                               "比键多缩进两个空格，各项的“-”上下对齐")
    if before.endswith(("]", "}")):
        return (NEEDS_QUOTES, pl, pc, "以“[”或“{”开头的值会被 YAML 当作列表或映射，后面的文字就多出来了：请给整个值加英文引号，"
                                      "例如 title: \"[转发] 关于……\"")
    return _indentation(lines, pl)
