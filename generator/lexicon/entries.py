"""The 错敏 lexicon: gongkai's built-in list of common errors, extended or overridden by the agency's
content/lexicon.yml, read with line numbers and checked entry by entry.

```yaml
replace:   [{wrong: 登陆网站, right: 登录网站, note: 说明（可选）, except: [不算错的更长写法]}]
forbidden: [{text: 禁用表述, reason: 为什么不能用、应怎样写, except: [...]}]
people:    [{name: 张军卫, titles: [{title: 局长, from: 2016-03-01, until: 2021-12-31}]}]
titles:    [调研员]           # more words recognised as titles next to a name
disable:   [登陆后]           # built-in entries (wrong or text) not to use
defaults:  true               # false: do not use the built-in list at all
```
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fields import DATE_PATTERN
from ..loading import SourceDocument, read_yaml_file
from ..problems import Problem
from ..rules import ERROR, WORDING
from ..values import parse_date
from .visible import visible

FILE_NAME = "lexicon.yml"
DEFAULT_FILE = Path(__file__).with_name("default.yml").resolve()  # an editable install links it; content is never linked
MAX_TERM = 100  # characters; a longer "term" is a paste accident, not a word
# What one lexicon may hold, for bounded time and memory in every check, build and preview. A real one has a few
# hundred entries of a few characters, with an exception or two and a person's few posts: these are far above.
MAX_EXCEPTIONS = 100  # per entry
MAX_TENURES = 100  # per person, all of a name's entries together
MAX_SPELLINGS = 1_000_000  # characters of every term the automaton holds (≈ 160 MB of it)

INVALID = WORDING.rule(
    "GK460", ERROR,
    "错敏词库（content/lexicon.yml）无法读取或有条目格式不对",
    "按提示修正该行：replace 每项写 {wrong: 错误写法, right: 正确写法}，forbidden 每项写 {text: 禁用表述, reason: 理由}，"
    "people 每项写 {name: 姓名, titles: [{title: 职务, from: 起始日期, until: 结束日期}]}",
)

KEYS = {
    "replace": ("wrong", "right", "note", "except"),
    "forbidden": ("text", "reason", "except"),
    "people": ("name", "titles"),
}
TOP_KEYS = (*KEYS, "titles", "disable", "defaults")
TENURE_KEYS = ("title", "from", "until")
_BAD = object()  # a date that was given but is not one


@dataclass(frozen=True)
class Replacement:
    """A wrong way of writing something and the right one (warning)."""

    wrong: str
    right: str
    note: str = ""
    exceptions: tuple[str, ...] = ()
    origin: str = ""  # where it was declared, for messages: "内置词库" or "content/lexicon.yml 第 12 行"


@dataclass(frozen=True)
class Forbidden:
    """An expression that must not be published (error)."""

    text: str
    reason: str
    exceptions: tuple[str, ...] = ()
    origin: str = ""


@dataclass(frozen=True)
class Tenure:
    title: str
    start: dt.date | None = None  # None: since ever
    end: dt.date | None = None  # None: still holds it

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def describe(self) -> str:
        start = self.start.isoformat() if self.start else "……"
        end = self.end.isoformat() if self.end else "至今"
        return f"{self.title}（{start}—{end}）"


@dataclass(frozen=True)
class Person:
    name: str
    titles: tuple[Tenure, ...]
    origin: str = ""

    def titles_on(self, day: dt.date) -> tuple[Tenure, ...]:
        return tuple(tenure for tenure in self.titles if tenure.covers(day))


@dataclass(frozen=True)
class Lexicon:
    replacements: tuple[Replacement, ...] = ()
    forbidden: tuple[Forbidden, ...] = ()
    people: tuple[Person, ...] = ()
    titles: tuple[str, ...] = ()  # every word recognised as a title next to a name

    @property
    def size(self) -> int:
        return len(self.replacements) + len(self.forbidden) + len(self.people)


def normalise(term: str) -> str:
    """A term as the matcher compares it: the same visible form as the text it is looked for in."""
    return visible(term.strip()).text


@dataclass
class _Reader:
    """Reads one lexicon file into entries, collecting a problem for each unusable one."""

    document: SourceDocument | None
    path: str
    origin_label: str
    problems: list[Problem] = field(default_factory=list)

    def origin(self, *key: Any) -> str:
        if self.document is None:
            return self.origin_label
        return f"{self.path} 第 {self.document.line_of(*key)} 行"

    def fail(self, message: str, *key: Any) -> None:
        line = self.document.line_of(*key) if self.document is not None else 1
        self.problems.append(INVALID.at(self.path, line, message))

    def term(self, value: Any, *key: Any, label: str) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # YAML reads 12345 as a number
        if not isinstance(value, str) or not normalise(value):
            shown = "缺失" if value is None else "不是一段文字" if not isinstance(value, str) else "为空"
            self.fail(f"{_where(key)}（{label}）{shown}：请填写", *key)
            return ""
        if len(value) > MAX_TERM:
            self.fail(f"{_where(key)}（{label}）超过 {MAX_TERM} 个字：词库条目应是词或短语", *key)
            return ""
        return normalise(value)

    def text(self, value: Any, *key: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(f"{_where(key)}应是一段文字", *key)
            return ""
        return value.strip()

    def terms(self, value: Any, *key: Any, label: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(f"{_where(key)}（{label}）应是列表，例如 [台风登陆后]", *key)
            return ()
        found = (self.term(entry, *key, index, label=label) for index, entry in enumerate(value))
        return tuple(dict.fromkeys(term for term in found if term))  # each once: a term listed twice matches once

    def keys(self, entry: dict, allowed: Iterable[str], *key: Any) -> None:
        allowed = tuple(allowed)
        for name in entry:
            if name not in allowed:
                close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
                hint = f"是否想写 `{close[0]}`？" if close else f"只允许 {'、'.join(allowed)}"
                self.fail(f"{_where(key) if key else '词库顶层'}中有未知的键 `{name}`：{hint}", *key, name)

    def entries(self, data: dict, section: str) -> Iterable[tuple[int, dict]]:
        value = data.get(section)
        if value is None:
            return
        if not isinstance(value, list):
            self.fail(f"{section} 应是列表，每项一行，以 - 开头", section)
            return
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.fail(f"{_where((section, index))}应写成 {{{', '.join(f'{k}: …' for k in KEYS[section][:2])}}}", section, index)
                continue
            self.keys(entry, KEYS[section], section, index)
            yield index, entry

    def read(self, data: Any) -> tuple[list[Replacement], list[Forbidden], list[Person], list[str]]:
        replacements: list[Replacement] = []
        forbidden: list[Forbidden] = []
        people: list[Person] = []
        titles: list[str] = []
        if data is None:
            return replacements, forbidden, people, titles
        if not isinstance(data, dict):
            self.fail("词库应是“键: 值”形式，顶层可用 replace、forbidden、people、titles、disable、defaults")
            return replacements, forbidden, people, titles
        self.keys(data, TOP_KEYS)
        for index, entry in self.entries(data, "replace"):
            key = ("replace", index)
            wrong = self.term(entry.get("wrong"), *key, "wrong", label="错误写法")
            right = self.term(entry.get("right"), *key, "right", label="正确写法")
            exceptions = self.terms(entry.get("except"), *key, "except", label="不算错的写法")
            if wrong and right and wrong == right:
                self.fail(f"{_where(key)}的 wrong 和 right 相同（“{wrong}”）：删除该条，或改正其中一个", *key)
            elif wrong and right:
                if wrong in right:  # the right form contains the wrong one: it must not be flagged itself
                    exceptions += (right,)
                replacements.append(Replacement(wrong, right, self.text(entry.get("note"), *key, "note"),
                                                exceptions, self.origin(*key)))
        for index, entry in self.entries(data, "forbidden"):
            key = ("forbidden", index)
            text = self.term(entry.get("text"), *key, "text", label="禁用表述")
            reason = self.text(entry.get("reason"), *key, "reason")
            exceptions = self.terms(entry.get("except"), *key, "except", label="不算错的写法")
            if not reason:
                self.fail(f"{_where(key)}缺少 reason（为什么不能用、应怎样写）：编辑需要据此修改", *key)
            elif text:
                forbidden.append(Forbidden(text, reason, exceptions, self.origin(*key)))
        for index, entry in self.entries(data, "people"):
            person = self._person(entry, ("people", index))
            if person is not None:
                people.append(person)
        titles.extend(self.terms(data.get("titles"), "titles", label="职务称谓"))
        return replacements, forbidden, people, titles

    def _person(self, entry: dict, key: tuple) -> Person | None:
        name = self.term(entry.get("name"), *key, "name", label="姓名")
        raw_titles = entry.get("titles")
        if raw_titles is None:
            raw_titles = []
        if not isinstance(raw_titles, list):
            self.fail(f"{_where((*key, 'titles'))}应是列表，每项写成 {{title: 职务, from: 起始日期, until: 结束日期}}", *key, "titles")
            return None
        tenures = []
        for index, raw in enumerate(raw_titles):
            here = (*key, "titles", index)
            if not isinstance(raw, dict):
                self.fail(f"{_where(here)}应写成 {{title: 职务, from: 起始日期, until: 结束日期}}", *here)
                continue
            self.keys(raw, TENURE_KEYS, *here)
            title = self.term(raw.get("title"), *here, "title", label="职务")
            start, end = self._date(raw, here, "from"), self._date(raw, here, "until")
            if start is _BAD or end is _BAD:
                continue  # reported; an open-ended tenure instead would hide real findings
            if start and end and start > end:
                self.fail(f"{_where(here)}的 from（{start}）晚于 until（{end}）：请核对任职日期", *here)
            elif title:
                tenures.append(Tenure(title, start, end))
        return Person(name, tuple(tenures), self.origin(*key)) if name else None

    def _date(self, raw: dict, key: tuple, name: str) -> Any:
        """The date, None when not given, or _BAD (reported) when it is not a real date."""
        value = raw.get(name)
        if value is None or value == "":
            return None
        day = parse_date(value)
        if day is None:
            self.fail(f"{_where((*key, name))}“{value}”不是 YYYY-MM-DD 格式的真实日期", *key, name)
            return _BAD
        return day


def _where(key: tuple) -> str:
    """“replace 第 2 项的 wrong”, “people 第 1 项的 titles 第 2 个的 from”: a key path as editors count."""
    text = ""
    for index, part in enumerate(key):
        if isinstance(part, int):
            text += f" 第 {part + 1} {'项' if index == 1 else '个'}"
        else:
            text += f"的 {part}" if text else str(part)
    return text or "词库"


def _read(file: Path, rel: str, origin: str, limit: int) -> tuple[Any, _Reader]:
    data, document, problems = read_yaml_file(file, rel, limit)
    reader = _Reader(document, rel, origin, list(problems))
    return (None if problems else data), reader


def _flag(data: Any, key: str, reader: _Reader) -> bool:
    value = data.get(key, True) if isinstance(data, dict) else True
    if not isinstance(value, bool):
        reader.fail(f"{key} 只能写 true 或 false", key)
        return True
    return value


def load_lexicon(content_dir: Path, root: Path, limit: int) -> tuple[Lexicon, list[Problem]]:
    """The built-in list merged with content/lexicon.yml (if any, read up to `limit` bytes), and the
    problems of that file."""
    file = content_dir / FILE_NAME
    rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
    agency: tuple[list, list, list, list] = ([], [], [], [])
    use_defaults, disabled = True, set()
    problems: list[Problem] = []
    if file.is_file():
        data, reader = _read(file, rel, rel, limit)
        agency = reader.read(data)
        if isinstance(data, dict):
            use_defaults = _flag(data, "defaults", reader)
            disabled = set(reader.terms(data.get("disable"), "disable", label="不使用的内置条目"))
        problems = reader.problems
    defaults: tuple[list, list, list, list] = ([], [], [], [])
    if use_defaults:
        data, reader = _read(DEFAULT_FILE, "gongkai 内置词库", "内置词库", max(limit, DEFAULT_FILE.stat().st_size))
        defaults = reader.read(data)
        problems += reader.problems  # only if the shipped file is broken; tests keep it clean
    lexicon = merge(defaults, agency, disabled)
    excess = _excess(lexicon)
    if excess:  # the built-in list alone, so that the check still reads every text (and reports this)
        problems.append(INVALID.at(rel, 1, f"{excess}：词库过大，会让每次检查和生成耗费过多时间和内存；请删去重复或多余的条目"))
        lexicon = merge(defaults, ([], [], [], []), disabled)
    return lexicon, problems


def _excess(lexicon: Lexicon) -> str:
    """What of `lexicon` is beyond the bounds above ("" when nothing)."""
    words: tuple[Replacement | Forbidden, ...] = (*lexicon.replacements, *lexicon.forbidden)
    for entry in words:
        if len(entry.exceptions) > MAX_EXCEPTIONS:
            return f"{entry.origin}的条目有 {len(entry.exceptions):,} 个不算错的写法（except），多于 {MAX_EXCEPTIONS} 个"
    for person in lexicon.people:
        if len(person.titles) > MAX_TENURES:
            return f"“{person.name}”共有 {len(person.titles):,} 项任职（titles），多于 {MAX_TENURES} 项"
    terms = [term for entry in words for term in (entry.wrong if isinstance(entry, Replacement) else entry.text,
                                                  *entry.exceptions)]
    spelled = sum(map(len, terms))
    spelled += sum(len(person.name) for person in lexicon.people) + sum(map(len, lexicon.titles))
    if spelled > MAX_SPELLINGS:
        return f"全部词条共 {spelled:,} 个字，多于 {MAX_SPELLINGS:,} 个"
    return ""


def merge(defaults: tuple[list, list, list, list], agency: tuple[list, list, list, list], disabled: set[str]) -> Lexicon:
    """The agency's entries override built-in ones with the same term; `disabled` built-in ones are dropped."""
    terms: dict[str, Replacement | Forbidden] = {}
    for replacement in defaults[0]:
        if replacement.wrong not in disabled:
            terms[replacement.wrong] = replacement
    for forbidden in defaults[1]:
        if forbidden.text not in disabled:
            terms[forbidden.text] = forbidden
    for entry in (*agency[0], *agency[1]):
        terms[entry.wrong if isinstance(entry, Replacement) else entry.text] = entry
    people: dict[str, Person] = {}
    for person in (*defaults[2], *agency[2]):
        known = people.get(person.name)
        people[person.name] = person if known is None else Person(person.name, known.titles + person.titles, known.origin)
    titles = dict.fromkeys([*defaults[3], *agency[3], *(t.title for p in people.values() for t in p.titles)])
    return Lexicon(
        tuple(e for e in terms.values() if isinstance(e, Replacement)),
        tuple(e for e in terms.values() if isinstance(e, Forbidden)),
        tuple(people.values()),
        tuple(titles),
    )


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of content/lexicon.yml, for editors' YAML tooling (`gongkai schema lexicon`)."""
    term = {"type": "string", "minLength": 1, "maxLength": MAX_TERM}
    terms = {"type": "array", "items": term}
    date = {"type": "string", "pattern": DATE_PATTERN}

    def entries(properties: dict[str, Any], required: list[str], title: str) -> dict[str, Any]:
        return {"type": "array", "title": title, "items": {"type": "object", "properties": properties,
                                                           "required": required, "additionalProperties": False}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gongkai.invalid/schema/lexicon.json",
        "title": "错敏词库（content/lexicon.yml）",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "replace": entries({"wrong": {**term, "title": "错误写法"}, "right": {**term, "title": "正确写法"},
                                "note": {"type": "string", "title": "说明"}, "except": {**terms, "title": "不算错的更长写法"}},
                               ["wrong", "right"], "错别字和不规范表述（警告）"),
            "forbidden": entries({"text": {**term, "title": "禁用表述"}, "reason": {"type": "string", "minLength": 1, "title": "理由"},
                                  "except": {**terms, "title": "不算错的更长写法"}},
                                 ["text", "reason"], "禁用表述（错误）"),
            "people": entries({"name": {**term, "title": "姓名"},
                               "titles": entries({"title": {**term, "title": "职务"}, "from": {**date, "title": "任职日期"},
                                                  "until": {**date, "title": "离任日期"}}, ["title"], "职务及任职起止日期")},
                              ["name"], "领导姓名和职务"),
            "titles": {**terms, "title": "另外要在人名前后核对的职务称谓"},
            "disable": {**terms, "title": "不使用的内置条目（wrong 或 text）"},
            "defaults": {"type": "boolean", "title": "是否使用 gongkai 内置词库"},
        },
    }
