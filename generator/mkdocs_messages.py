"""MkDocs' complaints about mkdocs.yml, said in Chinese with the line they are about.

MkDocs validates mkdocs.yml itself and reports in English ("Config value 'site_name': Required
configuration not provided."), for a Markdown extension that will not load with a Python traceback.
The people who edit mkdocs.yml — IT staff, an office's web editor — read instead: the file and line,
the setting, what is wrong and what to do. MkDocs' own words are kept, quoted, only for a complaint
this table does not know; a traceback never reaches them (its last line says what failed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from .problems import printable

CONFIG_FILE = "mkdocs.yml"

# "Config value 'theme': Sub-option 'x': …" and "Config value 'plugins': Plugin 'gongkai' option 'x': …"
_SETTING = re.compile(r"Config value '([^'\n]*)': ")
_NESTED = re.compile(r"(?:Sub-option|Plugin '[^'\n]*' option) '([^'\n]*)': ")
_PLUGIN = re.compile(r"Plugin '([^'\n]*)' option '([^'\n]*)': ")
_EXTENSION = re.compile(r"Failed to load extension '([^'\n]*)'\.\n(?:.*\n)*(.*)\Z")

_FIX = "请对照 docs/网站.md 或示例站点的 mkdocs.yml 修改"
# (MkDocs' words, what they mean in Chinese): the complaints a mistyped or half-copied mkdocs.yml meets.
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern, re.DOTALL), meaning) for pattern, meaning in (
    (r"Required configuration not provided\.", "缺少这一项，它必须填写"),
    (r"The URL isn't valid, it should include the http:// \(scheme\)", "不是完整的网址：请写成 https:// 开头的网址"),
    (r"Unable to parse the URL\.", "不是有效的网址：请写成 https:// 开头的网址"),
    (r"The path '(.*)' isn't an existing file\.", "文件“{0}”不存在"),
    (r"The path '(.*)' isn't an existing directory\.", "目录“{0}”不存在"),
    (r"The path set in custom_dir \('(.*)'\) does not exist\.", "custom_dir 指向的目录“{0}”不存在"),
    (r"Expected a string, got .*", "应当是一段文字"),
    (r"Expected a list of items, but a .* was given\.", "应当是一个列表（每项一行，以“- ”开头）"),
    (r"Expected a dict of items, but a .* was given\.", "应当是“名称: 值”的若干行"),
    # a section (footer, limits, party_site) written as one value: `limits: 5`, `footer: []`
    (r"The configuration is invalid\. Expected a key-value mapping \(dict\) but received: .*",
     "应当是“名称: 值”的若干行（在下一行起缩进两个空格写各项）"),
    (r"Expected type: .* for keys, but received: .*", "其中的名称应当是文字"),
    (r"Expected one of: (.*) but received: (.*)", "只能是 {0} 之一，现在是 {1}"),
    (r"Expected boolean but received: .*", "只能是 true 或 false"),
    (r"Expected type: <class 'bool'> but received: .*", "只能是 true 或 false"),
    (r"Expected type: <class 'int'> but received: .*", "应当是一个整数"),
    (r"Expected type: <class 'str'> but received: .*", "应当是一段文字"),
    (r"Expected type: <class 'list'> but received: .*", "应当是一个列表（每项一行，以“- ”开头）"),
    (r"Expected type: <class 'dict'> but received: .*", "应当是“名称: 值”的若干行"),
    (r"Unrecognised configuration name: .*", "MkDocs 不认识这一项：请检查拼写，不需要就删除"),
    (r"Unrecognised theme name: '(.*)'\..*", "没有名为“{0}”的主题：gongkai 使用 material"),
    (r"No theme name set\.", "没有写主题名：请写 name: material"),
    (r'The "(.*)" plugin is not installed', "没有名为“{0}”的插件"),
    (r"'(.*)' is not a valid plugin name\.", "“{0}”不是插件名"),
    (r"Invalid config options for the '(.*)' plugin\.", "插件“{0}”的选项应当是“名称: 值”的若干行"),
    (r"'(.*)' is not a valid Markdown Extension name\.", "“{0}”不是 Markdown 扩展的名称"),
    (r"Invalid config options for Markdown Extension '(.*)'\.", "Markdown 扩展“{0}”的选项应当是“名称: 值”的若干行"),
    (r"Invalid (?:Markdown Extensions|Plugins) configuration.*", "应当是一个列表（每项一行，以“- ”开头，选项写在名称下一行并缩进）"),
    (r"Expected nav to be a list, got .*", "应当是一个列表（每项一行，以“- ”开头）"),
))


def explain(message: str, source: bytes | str | None = None) -> str:
    """MkDocs' `message` about mkdocs.yml in Chinese, led by `mkdocs.yml:LINE:` when `source` (the
    file's text) shows where the setting is; a message not about a setting is returned as it was."""
    found = _SETTING.match(message)
    if found is None:
        return message
    path, rest = [found[1]], message[found.end():]
    while nested := _NESTED.match(rest):
        if plugin := _PLUGIN.match(rest):
            path.append(plugin[1])
        path.append(nested[1])
        rest = rest[nested.end():]
    meaning = _meaning(rest, path)
    return printable(f"{where(source, path)}{'.'.join(path)}：{meaning}")  # the names and values are the file's: no terminal control


def _meaning(detail: str, path: list[str]) -> str:
    extension = _EXTENSION.match(detail)
    if extension is not None:  # the traceback's last line names what failed, e.g. "KeyError: 'bogus'"
        path.append(extension[1])
        failed = extension[2].strip()
        missing = re.fullmatch(r"KeyError: '(.*)'", failed)
        if missing:
            return f"Markdown 扩展 {extension[1]} 没有选项“{missing[1]}”：请删除这个选项或检查拼写"
        return f"Markdown 扩展 {extension[1]} 无法加载（{failed}）：请检查它的选项，或删除这个扩展"
    for pattern, meaning in _DETAILS:
        matched = pattern.fullmatch(detail.strip())
        if matched:
            return meaning.format(*matched.groups())
    return f"设置有误（MkDocs：{detail.strip()}）：{_FIX}"


def where(source: bytes | str | None, path: list[str]) -> str:
    """`mkdocs.yml:LINE: ` for the deepest part of `path` (setting, sub-option, plugin or extension name) that
    `source` (the file's text) shows, else `mkdocs.yml 的 `: the lead of every message about a setting."""
    line = _line(source, path) if source is not None else None
    return f"{CONFIG_FILE}:{line}: " if line else f"{CONFIG_FILE} 的 "


def _line(source: bytes | str, path: list[str]) -> int | None:
    try:
        node = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return None
    line = None
    for name in path:
        found = next(_entries(node, name), None) if node is not None else None
        if found is None:
            break
        key, node = found
        line = key.start_mark.line + 1
    return line


def _entries(node: yaml.Node, name: str) -> Iterator[tuple[yaml.Node, yaml.Node | None]]:
    """(key node, value node) named `name` in a mapping, or in a list of `- name` / `- name: {…}`."""
    if isinstance(node, yaml.MappingNode):
        yield from ((key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode) and key.value == name)
    elif isinstance(node, yaml.SequenceNode):
        for entry in node.value:
            if isinstance(entry, yaml.ScalarNode) and entry.value == name:
                yield entry, None
            elif isinstance(entry, yaml.MappingNode):
                yield from _entries(entry, name)
