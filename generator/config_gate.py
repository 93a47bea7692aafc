"""What mkdocs.yml must not say, found before MkDocs reads it.

Anyone who can commit can change mkdocs.yml, and `gongkai check` runs it on every push, in CI and
in editors' pre-commit hooks. MkDocs reads the file with PyYAML's full loader and acts on some keys
while loading, so the file itself can run code or read other files before any check could judge it:

- `!!python/…` tags build any Python object (`!!python/object/apply:os.system [...]` runs a command);
- `hooks:` imports Python files; `INHERIT:` reads another file the same way; a plugin other than
  gongkai runs its own code on the content;
- `!ENV` puts an environment variable (in CI: deploy tokens, secrets) into a setting, and settings
  such as `site_name` or the footer are printed on every page;
- the `pymdownx.snippets` Markdown extension pastes any file of the project (a register, a draft)
  into a body: the reviewers sign the one line that names it, never the text the readers see. Only
  extensions known to read nothing but the body are accepted: Python-Markdown's own and PyMdown's
  but `snippets` and `b64` (which reads the image files a body names); any other could do the same.

The file is composed (parsed into nodes, nothing constructed) with the safe loader and every such
thing is named with its line; the caller refuses to load the file. So is a merge key (`<<: {hooks: …}`), whose
keys composing does not show but MkDocs' loader merges in.

Values MkDocs' loader cannot build are named the same way, each with its line (`unbuildable`): a date or
time that does not exist (`0000-01-01`, hour 25), an integer longer than Python converts to text, a key
that is a list or a mapping (or not text at all), a standard tag on the wrong kind of value (`!!int abc`).
MkDocs would stop on them in PyYAML's English, most without a line.
"""

from __future__ import annotations

import codecs
import functools
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import yaml

from .invisible import describe
from .loading import decode
from .values import date_problem, shown
from .yaml_reading import read_as

PYTHON_TAG = "tag:yaml.org,2002:python/"
STANDARD_TAG = "tag:yaml.org,2002:"
MERGE_TAG = "tag:yaml.org,2002:merge"  # `<<`: the keys of another mapping, which composing does not show
HARMLESS_TAGS = frozenset(("!relative",))  # MkDocs' own: a path relative to the config file or the page
CODE_KEYS = {
    "hooks": "hooks 会让 MkDocs 执行其中列出的 Python 文件",
    "INHERIT": "INHERIT 会让 MkDocs 读取另一个配置文件，它不受这里的检查",
}
PLUGIN = "gongkai"
CONFIG_FILE = "mkdocs.yml"
READS_FILES = {"pymdownx.snippets": "会把项目中的任意文件（包括不公开的登记、草稿）插入正文，审查签名只覆盖引用它的那一行",
               "pymdownx.b64": "会读取正文所引用的图片文件，把文件内容嵌入页面"}
# Python-Markdown's own extensions: each reads nothing but the body it is given.
TEXT_ONLY = frozenset(("abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
                       "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
                       "wikilinks"))
UNKNOWN_EXTENSION = ("不是 gongkai 认识的扩展，无法确认它只处理正文本身、不读取其他文件（审查签名只覆盖条目文件本身）；"
                     "只能用 Python-Markdown 自带的扩展和 pymdownx 中除 snippets、b64 以外的扩展")


_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What YAML may hold (its printable set): MkDocs reports anything else in PyYAML's English.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def unreadable(data: bytes) -> tuple[int, str] | None:
    """(line, Chinese reason) when MkDocs could not read mkdocs.yml's bytes as YAML — not UTF-8 (a GBK
    file), a character YAML refuses (NUL), a syntax error — or None; MkDocs would say it in English."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return data[:exc.start].count("\n".encode("utf-16-le")) + 1, "UTF-16 编码有误：请另存为 UTF-8 编码"
    else:
        decoded, problems = decode(data, CONFIG_FILE)
        if decoded is None:
            return problems[0].line, problems[0].message
        text = decoded
    bad = _NOT_YAML.search(text)
    if bad is not None:
        return text.count("\n", 0, bad.start()) + 1, f"有 YAML 不允许的字符 {describe(bad[0])}：请删除它"
    try:
        documents = 0
        for event in yaml.parse(text, Loader=_Parser):  # events only: iterative, nothing built
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    return (event.start_mark.line + 1, "有第二个 YAML 文档（以 --- 开始）：mkdocs.yml 只能有一个文档，"
                                                       "请删除这一行之后的内容或把设置并入前面")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return line, "YAML 写法有误：请检查这一行（及上一行）的缩进、冒号后的空格、引号和括号是否成对"
    except yaml.YAMLError:
        return 1, "YAML 写法有误：请检查缩进、冒号后的空格、引号和括号是否成对"
    return None


@functools.lru_cache(maxsize=1)
def _composed(text: str | bytes) -> yaml.Node | None:
    """mkdocs.yml `text` as nodes, composed once for the gate's readings of it (each took ≈ 13 ms of every command's
    start): they only read the nodes. An error is raised again at each reading (not kept). One text only: the nodes of
    a hostile mkdocs.yml of CONFIG_LIMIT bytes take many times that, and no more of them than one load made before."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def refusals(text: str | bytes) -> list[tuple[int, str]]:
    """(line, Chinese reason) of everything in mkdocs.yml `text` that would run code, read other files
    or publish the environment; [] when the text is not YAML (MkDocs then says what is wrong). Bytes
    are decoded as PyYAML decodes them for MkDocs (a UTF-16 or UTF-8 BOM decides)."""
    try:
        root = _composed(text)
    except yaml.YAMLError:
        return []
    except RecursionError:  # PyYAML composes recursively; MkDocs could not read it either
        return [(1, "嵌套层次过深，无法读取")]
    if root is None:
        return []
    found = list(_tags(root))
    repeated = _over_expanded(root)
    if repeated is not None:
        found.append((_line(repeated), f"YAML 锚点和别名展开后超过 {EXPANDED_NODES:,} 个值（或引用了自身）：MkDocs 读取时会把它们逐一展开，"
                                       "耗尽时间和内存；请删除别名，把要用的值直接写出来"))
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            if name in CODE_KEYS:
                found.append((_line(key), f"不能使用 {name}：{CODE_KEYS[name]}"))
            elif name == "plugins":
                found += [(_line(node), f"插件只能用 gongkai，不能用 {plugin}：插件会在检查和生成网站时运行自己的代码")
                          for plugin, node in _names(value) if plugin != PLUGIN]
            elif name == "markdown_extensions":
                found += [(_line(node), f"不能使用 Markdown 扩展 {extension}：它{reason}")
                          for extension, node in _names(value) if (reason := _extension_refusal(extension))]
    return sorted(set(found))


# How MkDocs' loader builds a single value of each standard type: PyYAML's own constructors, which build no objects
# but numbers, dates, text and bytes. A list or mapping of each standard type, by the kind of node it must be.
_Builder = yaml.constructor.SafeConstructor
_SCALARS: dict[str, Callable[[Any, yaml.Node], Any]] = {
    STANDARD_TAG + name: _Builder.yaml_constructors[STANDARD_TAG + name]
    for name in ("null", "bool", "int", "float", "binary", "timestamp", "str")}
_COLLECTIONS: dict[str, type[yaml.Node]] = {
    STANDARD_TAG + "seq": yaml.SequenceNode, STANDARD_TAG + "omap": yaml.SequenceNode, STANDARD_TAG + "pairs": yaml.SequenceNode,
    STANDARD_TAG + "map": yaml.MappingNode, STANDARD_TAG + "set": yaml.MappingNode}
_KIND_NAMES: dict[type[yaml.Node], str] = {yaml.SequenceNode: "列表", yaml.MappingNode: "映射"}
_READ_AS = {"int": "整数", "float": "小数", "bool": "是/否值", "null": "空值", "binary": "base64 编码的数据", "timestamp": "日期时间"}
INT_TAG = STANDARD_TAG + "int"
NULL_TAG = STANDARD_TAG + "null"
STR_TAG = STANDARD_TAG + "str"
TIMESTAMP_TAG = STANDARD_TAG + "timestamp"
IF_TEXT = "若它本是文字，请给它加英文引号"


def unbuildable(text: str | bytes) -> list[tuple[int, str]]:
    """(line, Chinese reason) of every value in mkdocs.yml `text` MkDocs' loader could not build — a date or time
    that does not exist, an integer of more digits than Python turns into text, a key that is not text (a list or
    a mapping cannot be one at all), a standard tag on a value it does not fit — which MkDocs would report in
    PyYAML's English, most without a line; [] when there is none or the text is not YAML (`unreadable` says why)."""
    try:
        root = _composed(text)
    except (yaml.YAMLError, RecursionError):
        return []
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode) and not (isinstance(root, yaml.ScalarNode) and root.tag == NULL_TAG):
        # MkDocs stops with its English "Expected a key-value mapping", or a TypeError for a number, a date or bytes.
        kind = "一个列表" if isinstance(root, yaml.SequenceNode) else "一个单独的值"
        return [(_line(root), f"整个文件是{kind}，不是网站配置：mkdocs.yml 应当是“名称: 值”的若干行，从 site_name: 网站名称 "
                              "开始；是否误存了别的内容或只粘贴了一部分？请对照示例站点的 mkdocs.yml 改正")]
    builder = _Builder()
    found: list[tuple[int, str]] = []
    seen: set[int] = set()
    stack = [root]
    while stack:  # each node once: aliases share nodes, and may loop
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if _standard(node.tag or ""):
            reason = _value_problem(node, builder)
            if reason:
                found.append((_line(node), reason))
        if isinstance(node, yaml.MappingNode):
            found += [(_line(key), reason) for key, _ in node.value if (reason := _key_problem(key, builder))]
        stack.extend(_children(node))
    return sorted(set(found))


def _standard(tag: str) -> bool:
    """A tag MkDocs' loader builds with PyYAML's standard constructors (the others are `refusals`')."""
    return tag.startswith(STANDARD_TAG) and not tag.startswith(PYTHON_TAG) and tag != MERGE_TAG


def _value_problem(node: yaml.Node, builder: Any) -> str:
    """Why MkDocs' loader could not build `node` (its tag is a standard one); "" when it could."""
    tag = node.tag
    name = _short(tag)
    if tag not in _Builder.yaml_constructors:
        return f"MkDocs 不认识 YAML 标签 {name}，无法读取：请删除标签"
    if isinstance(node, yaml.ScalarNode):
        build = _SCALARS.get(tag)
        return (_scalar_problem(node, build, builder) if build is not None
                else f"YAML 标签 {name} 只能用于{_KIND_NAMES[_COLLECTIONS[tag]]}，这里是单个值，MkDocs 无法读取：请删除标签")
    if not isinstance(node, _COLLECTIONS.get(tag, ())):
        return f"YAML 标签 {name} 不能用于{_KIND_NAMES[type(node)]}，MkDocs 无法读取：请删除标签"
    if isinstance(node, yaml.SequenceNode) and tag != STANDARD_TAG + "seq" and not all(
            isinstance(item, yaml.MappingNode) and len(item.value) == 1 for item in node.value):
        return f"YAML 标签 {name} 的每一项都必须是一个“键: 值”，MkDocs 无法读取：请改正这些项，或删除标签"
    return ""


def _scalar_problem(node: yaml.ScalarNode, build: Callable[[Any, yaml.Node], Any], builder: Any) -> str:
    """Why PyYAML's constructor (or Python, turning the number into text as MkDocs does) fails on `node`; "" when not."""
    text = node.value
    limit = sys.get_int_max_str_digits() or sys.int_info.default_max_str_digits
    too_long = (f"整数 {shown(text, 20)} 超过 {limit:,} 位（十进制），MkDocs 无法读取（Python 不转换这样长的数字）："
                f"请删除多余的数字；{IF_TEXT}")
    if node.tag == INT_TAG and text.count(":") > limit:  # base 60, each part at least 60 times the next: built in quadratic time
        return too_long
    try:
        value = build(builder, node)
    except Exception:  # noqa: BLE001 — each constructor fails its own way: ValueError, KeyError, AttributeError, ConstructorError
        if node.tag == INT_TAG and len(text) > limit:
            return too_long
        if node.tag == TIMESTAMP_TAG:
            return _timestamp_problem(text)
        kind = _READ_AS.get(node.tag.removeprefix(STANDARD_TAG), "")
        return f"“{shown(text)}”不能读作{kind}（YAML 标签 {_short(node.tag)}），MkDocs 无法读取：请改正这个值，或删除标签"
    if node.tag == INT_TAG and value.bit_length() > 3 * limit and abs(value) >= 10 ** limit:  # 10^limit has 3.3 × limit bits
        return too_long
    return ""


def _timestamp_problem(text: str) -> str:
    """Why a value YAML reads as a date or a date and time is not one."""
    date_only = len(text.split()) == 1 and "T" not in text.upper()
    judged = date_problem(text) if date_only else None
    if judged is not None and not judged[1]:
        return f"{judged[0]}：YAML 把它读作日期，MkDocs 无法读取；请改正日期，{IF_TEXT}"
    return (f"“{shown(text)}”不是真实存在的日期时间（月 1–12，日不超过当月天数，时 0–23，分、秒 0–59，时区在 ±24 小时以内）："
            f"YAML 把它读作日期时间，MkDocs 无法读取；请改正，{IF_TEXT}")


def _key_problem(key: yaml.Node, builder: Any) -> str:
    """Why a mapping key is not one MkDocs can use: a list or a mapping (Python cannot use either as a key), or a
    value YAML reads as something other than text; "" when it is text (or a value `_value_problem` names)."""
    if not isinstance(key, yaml.ScalarNode):
        return "键是一个列表或映射，MkDocs 无法读取：键必须是文字，请改成 `英文键名: 值`"
    if not _standard(key.tag or "") or key.tag == STR_TAG or key.tag not in _SCALARS:
        return ""
    try:
        value = _SCALARS[key.tag](builder, key)
    except Exception:  # noqa: BLE001 — a value that cannot be built at all: `_value_problem` names it
        return ""
    quoted = shown(key.value, 20).replace('"', "")
    return f"键必须是文字，这里是{read_as(value)}：请给键加英文引号，写成 \"{quoted}\": ……，或改成英文键名"


def content_dir(text: str | bytes) -> str | None:
    """The `content_dir` mkdocs.yml `text` gives the gongkai plugin ("content" when it gives none), read
    without constructing anything, so a mkdocs.yml of another git ref can be asked safely; None when
    the text is not YAML or enables no gongkai plugin."""
    try:
        root = _composed(text)
    except (yaml.YAMLError, RecursionError):
        return None
    # A text the gate refuses for its aliases (MkDocs could not read it either) names no content_dir: walked pair by pair,
    # a `plugins` list of 150,000 aliases of one 40,000-key mapping (1 MB) was 6 billion pairs held in one list.
    if not isinstance(root, yaml.MappingNode) or _over_expanded(root) is not None:
        return None
    plugins = next((value for key, value in root.value if isinstance(key, yaml.ScalarNode) and key.value == "plugins"), None)
    entries = (plugins.value if isinstance(plugins, yaml.MappingNode)
               else [pair for entry in plugins.value if isinstance(entry, yaml.MappingNode) for pair in entry.value]
               if isinstance(plugins, yaml.SequenceNode) else [])
    options = next((value for key, value in entries if isinstance(key, yaml.ScalarNode) and key.value == PLUGIN), None)
    if options is None:
        listed = isinstance(plugins, yaml.SequenceNode) and any(
            isinstance(entry, yaml.ScalarNode) and entry.value == PLUGIN for entry in plugins.value)
        return "content" if listed else None
    configured = next((value for key, value in options.value if isinstance(key, yaml.ScalarNode) and key.value == "content_dir"),
                      None) if isinstance(options, yaml.MappingNode) else None
    if configured is None:
        return "content"
    return str(configured.value) if isinstance(configured, yaml.ScalarNode) and configured.tag.startswith(STANDARD_TAG) else None


def _extension_refusal(name: str) -> str:
    """Why a Markdown extension (`module` or `module:Class`) may not be used; "" when it may."""
    module = name.split(":", 1)[0].strip()
    if module in READS_FILES:
        return READS_FILES[module]
    if module.removeprefix("markdown.extensions.") in TEXT_ONLY or module.startswith("pymdownx."):
        return ""
    return UNKNOWN_EXTENSION


def _tags(root: yaml.Node) -> Iterator[tuple[int, str]]:
    """Every tag MkDocs' loader would act on, each node once (aliases share nodes, and may loop)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        tag = node.tag or ""
        if tag.startswith(PYTHON_TAG):
            yield _line(node), f"不能使用 !!python 标签（{_short(tag)}）：它会让 MkDocs 读取配置时执行 Python 代码"
        elif tag == MERGE_TAG:
            yield _line(node), ("不能使用 YAML 合并键 <<：它把另一个映射的键并入这里，检查看到的键与 MkDocs 读到的不同"
                                "（hooks、插件、扩展可借此绕过检查）；请把要用的设置直接写出来")
        elif tag == "!ENV":
            yield _line(node), "不能使用 !ENV：它把环境变量（在 CI 中可能是密钥、令牌）写进设置，而设置会印在网站页面上"
        elif not tag.startswith(STANDARD_TAG) and tag not in HARMLESS_TAGS:
            yield _line(node), f"不能使用 YAML 标签 {_short(tag)}"
        stack.extend(_children(node))


# Values mkdocs.yml may come to once its aliases are expanded (a real one holds a few hundred): MkDocs writes every
# setting into a debug message as it loads, expanding them, whether or not debugging is on, and so would gongkai's
# scans of what pages print. Ten lines of nine aliases each make 9^10.
EXPANDED_NODES = 100_000


def _over_expanded(root: yaml.Node) -> yaml.Node | None:
    """The node an alias repeats most (its anchor) when expanding the aliases makes more than EXPANDED_NODES values
    or never ends (a collection holding itself); else None. Each node is counted once, its size remembered."""
    size: dict[int, int] = {}
    uses: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    looped = False
    while stack and not looped:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            size[key] = min(1 + sum(size[id(child)] for child in _children(node)), EXPANDED_NODES + 1)
            continue
        uses[key] = uses.get(key, 0) + 1
        if key in size:
            continue
        if key in open_:  # reached from inside itself
            looped = True
            break
        open_.add(key)
        nodes[key] = node
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    if not looped and size[id(root)] <= EXPANDED_NODES:
        return None
    shared = [key for key, count in uses.items() if count > 1]
    return nodes[max(shared, key=lambda key: size.get(key, EXPANDED_NODES + 1))] if shared else root


def _children(node: yaml.Node) -> list[yaml.Node]:
    """A sequence's items, a mapping's keys and values, in order."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _names(node: yaml.Node) -> Iterator[tuple[str, yaml.Node]]:
    """The names of plugins or extensions: a list of `- name` or `- name: {options}`, or a mapping."""
    if isinstance(node, yaml.MappingNode):
        yield from ((str(key.value), key) for key, _ in node.value if isinstance(key, yaml.ScalarNode))
        return
    if not isinstance(node, yaml.SequenceNode):
        return
    for entry in node.value:
        if isinstance(entry, yaml.ScalarNode):
            yield str(entry.value), entry
        elif isinstance(entry, yaml.MappingNode):
            for key, _ in entry.value:
                if isinstance(key, yaml.ScalarNode):
                    yield str(key.value), key


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _short(tag: str) -> str:
    shown = tag.replace(STANDARD_TAG, "!!")
    return shown if len(shown) <= 60 else shown[:59] + "…"
