"""catalog.yml's keys for audiences, consultations and periodic disclosures.

- a group with `party: true` is the 党务公开 section (its columns are 党内 unless they say otherwise);
- a group or a column may set `audience: 党内 | 公众`, the default of its items;
- a column with `consultation: true` (or `{feedback_days: N}`) is a 意见征集 column;
- a column may declare the genre (体裁) its items have, `genre: 解读` or `genre: [公告, 说明]` (the first is
  what `gongkai new` writes; an item with another genre is GK171);
- `series:` lists periodic disclosures: `{name, column, every, due | due_days, approved, start, end, slug}`,
  `approved` as `[{period: 2026, date: 2026-02-03}]` (YAML keys must be words, so periods are values).

`catalog` calls these while it reads the file; each reports what is wrong through `complain` (a
column's genres through their own rule, GK170).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .loading import SourceDocument
from .model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, AUDIENCES, FEEDBACK_DAYS, INTERPRETATION, Category, Series
from .periods import DEFAULT_DUE, EVERY, GRAMMAR, MAX_OFFSET_DAYS, PERIOD_FORMS, parse_due, parse_period
from .problems import Problem
from .rules import CATALOG, ERROR, SCHEMA
from .values import as_mapping, as_text, parse_date, shown

BAD_GENRE = SCHEMA.rule(
    "GK170", ERROR,
    "catalog.yml 中栏目声明的体裁（genre）写法不对",
    "写成 genre: 解读，或几个体裁的列表 genre: [公告, 说明]（第一个是 gongkai new 写入的）；每个体裁是一行文字，"
    "最多 20 个字，不重复",
)
SERIES_BOUNDS = CATALOG.rule(
    "GK906", ERROR,
    "定期公开系列（series）超过 200 个、名称超过 500 个字，或系列的起始期（start）早于逐期检查的范围（今天之前 1,500 期）",
    "只登记实际按期公开的系列，名称用简称；start 写该系列实际开始公开的期别（更早各期的条目照常计入）",
)
# A series' name prints on its page, on the page of each of its items and in its column's listing (like a column's).
MAX_SERIES_NAME = 500
# Series one catalog may list: each is walked period by period by every check and build (and gets a page).
MAX_SERIES = 200
MAX_GENRE = 20  # characters: a genre is the name of a 文种 (通知, 规范性文件, 政策解读 …)

# (line, message, col): one problem of catalog.yml
Complain = Callable[[int, str, int], None]
# A slug is one segment of a URL and of an output path: nothing that could leave its folder.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")

SERIES_KEYS = ("name", "slug", "column", "every", "due", "due_days", "approved", "start", "end")


def column_genres(leaf: dict, doc: SourceDocument, key: tuple) -> tuple[tuple[str, ...], list[Problem]]:
    """The genres a column declares (`genre: 解读` or a list), and what is wrong with them (GK170)."""
    if "genre" not in leaf:
        return (), []
    raw = leaf["genre"]
    values = raw if isinstance(raw, list) else [raw]
    genres: list[str] = []
    problems: list[Problem] = []
    fix = "请写成 genre: 解读，或列表 genre: [公告, 说明]"
    for index, value in enumerate(values):
        at = (*key, "genre", index) if isinstance(raw, list) else (*key, "genre")
        line, col = doc.value_line(*at), doc.value_col(*at)
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            kind = "空的" if isinstance(value, str) or value is None else f"“{shown(value)}”，不是文字"
            problems.append(BAD_GENRE.at(doc.path, line, f"栏目声明的体裁（genre）是{kind}：{fix}", col))
        elif len(text) > MAX_GENRE or not text.isprintable():
            problems.append(BAD_GENRE.at(doc.path, line, f"栏目声明的体裁“{shown(text)}”不是一个文种名称：体裁只能是一行文字，"
                                         f"最多 {MAX_GENRE} 个字，不含控制字符或不可见字符（例如 解读、公示、规范性文件）", col))
        elif normal_genre(text) in map(normal_genre, genres):
            problems.append(BAD_GENRE.at(doc.path, line, f"栏目声明的体裁“{text}”重复了：每个体裁只写一次", col))
        else:
            genres.append(text)
    if not values:
        problems.append(BAD_GENRE.at(doc.path, doc.value_line(*key, "genre"), f"栏目声明的体裁（genre）是空列表：{fix}",
                                     doc.value_col(*key, "genre")))
    return tuple(genres), problems


def normal_genre(genre: str) -> str:
    """A genre as compared: full-width and half-width forms alike, no spaces around it."""
    return unicodedata.normalize("NFKC", genre).strip()


def implied_genres(column: Category) -> tuple[str, ...]:
    """The genres an item of `column` should have: those it declares, else 解读 for a 解读 column (by its name,
    as the 解读 link's rules read it), else none."""
    if column.genres:
        return column.genres
    return (INTERPRETATION,) if INTERPRETATION in column.name else ()


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def group_audience(group: dict, doc: SourceDocument, key: tuple, complain: Complain) -> tuple[bool, str]:
    """(is the 党务公开 section, default audience of its columns) of a group of `categories`."""
    party = group.get("party", False)
    if not isinstance(party, bool):
        complain(doc.line_of(*key, "party"), "party 只能写 true（本组是党务公开栏目）或省略", 1)
        party = False
    default = AUDIENCE_PARTY if party else AUDIENCE_PUBLIC
    return party, _audience(group, doc, key, default, complain)


def column_options(leaf: dict, doc: SourceDocument, key: tuple, default_audience: str,
                   complain: Complain) -> tuple[str, int | None]:
    """(audience, days its 反馈 may take or None if it is no 意见征集 column) of a column."""
    audience = _audience(leaf, doc, key, default_audience, complain)
    raw = leaf.get("consultation")
    if raw is None or raw is False:
        return audience, None
    if raw is True:
        return audience, FEEDBACK_DAYS
    options = as_mapping(raw)
    days = options.get("feedback_days", FEEDBACK_DAYS)
    if not options or set(options) != {"feedback_days"} or not _positive(days) or days > MAX_OFFSET_DAYS:
        complain(doc.line_of(*key, "consultation"),
                 f"consultation 应写 true（意见征集栏目，反馈期限默认 {FEEDBACK_DAYS} 天），"
                 f"或 {{feedback_days: 天数}}（1 至 {MAX_OFFSET_DAYS} 的整数）", 1)
        return audience, FEEDBACK_DAYS
    return audience, days


def _audience(mapping: dict, doc: SourceDocument, key: tuple, default: str, complain: Complain) -> str:
    if "audience" not in mapping:
        return default
    value = as_text(mapping.get("audience"))
    if value not in AUDIENCES:
        complain(doc.value_line(*key, "audience"),
                 f"audience“{value}”不是允许的公开范围：只能是 {'、'.join(AUDIENCES)} 之一"
                 "（党内：仅向党员公开；公众：向社会公开）", doc.value_col(*key, "audience"))
        return AUDIENCE_PARTY  # the narrower reading until it is fixed
    return value


def load_series(raw: Any, doc: SourceDocument, columns: tuple[Category, ...], complain: Complain,
                problems: list[Problem]) -> tuple[Series, ...]:
    """The `series` list: every entry checked, the usable ones returned (the first MAX_SERIES; more is GK906)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        complain(doc.line_of("series"), "series 应是列表，每项写成 {name: 名称, column: 栏目, every: quarter, due: 次月底}", 1)
        return ()
    if len(raw) > MAX_SERIES:
        problems.append(SERIES_BOUNDS.at(doc.path, doc.line_of("series", MAX_SERIES),
                                         f"catalog.yml 登记了 {len(raw)} 个定期公开系列，超过上限 {MAX_SERIES} 个：每个系列每次检查、"
                                         f"构建都要逐期核对；请只登记实际按期公开的系列，从这一行起的系列未读取"))
        raw = raw[:MAX_SERIES]
    by_key = {key: leaf for leaf in columns for key in (leaf.name, leaf.slug)}
    found: list[Series] = []
    names: dict[str, int] = {}
    slugs: dict[str, int] = {}
    for index, entry in enumerate(raw):
        key = ("series", index)
        line = doc.line_of(*key)
        if not isinstance(entry, dict):
            complain(line, "series 的每一项应写成 {name: 名称, column: 栏目, every: quarter, due: 次月底}", 1)
            continue
        series = _series(entry, doc, key, by_key, complain)
        if series is None:
            continue
        if len(series.name) > MAX_SERIES_NAME:
            problems.append(SERIES_BOUNDS.at(doc.path, doc.value_line(*key, "name"),
                                             f"定期公开系列的名称有 {len(series.name):,} 个字，超过 {MAX_SERIES_NAME} 个字："
                                             "名称印在系列页、每期条目的页面和栏目列表中，请改用简称（这个系列未读取）",
                                             doc.value_col(*key, "name")))
            continue
        for seen, value, what in ((names, series.name, "名称"), (slugs, series.slug, "代号（slug）")):
            if value in seen:
                complain(line, f"定期公开系列的{what}“{value}”重复（第 {seen[value]} 行已使用）：每个系列须各不相同", 1)
                series = None
                break
            seen[value] = line
        if series is not None:
            found.append(series)
    return tuple(found)


def _series(entry: dict, doc: SourceDocument, key: tuple, by_key: dict[str, Category],
            complain: Complain) -> Series | None:
    line = doc.line_of(*key)
    usable = True
    for name in entry:
        if name not in SERIES_KEYS:
            complain(doc.line_of(*key, name), f"series 中有未知的键 `{name}`：只允许 {'、'.join(SERIES_KEYS)}", 1)
    name = as_text(entry.get("name"))
    if not name:
        complain(line, "定期公开系列缺少 name（名称，条目的 series 填写它）", 1)
        usable = False
    column = by_key.get(as_text(entry.get("column")))
    if column is None:
        complain(doc.value_line(*key, "column") if "column" in entry else line,
                 f"系列“{name}”的 column“{as_text(entry.get('column'))}”不是公开目录中的二级栏目：请填写栏目名称或代号", 1)
        usable = False
    every = as_text(entry.get("every"))
    if every not in EVERY:
        complain(doc.value_line(*key, "every") if "every" in entry else line,
                 f"系列“{name}”的 every“{every}”不对：只能是 {'、'.join(EVERY)} 之一（年、半年、季度、月、周）", 1)
        return None
    due = as_text(entry.get("due")) or DEFAULT_DUE[every]
    if parse_due(due) is None:
        complain(doc.value_line(*key, "due"),
                 f"系列“{name}”的 due“{due}”无法识别：请写 {GRAMMAR} 之一（N、M 为数字，例如 次月10日）", doc.value_col(*key, "due"))
        usable = False
    due_days = entry.get("due_days")
    if due_days is not None and (not _positive(due_days) or due_days > MAX_OFFSET_DAYS):
        complain(doc.value_line(*key, "due_days"), f"系列“{name}”的 due_days 应是 1 至 {MAX_OFFSET_DAYS} 的整数（批复后的天数）", 1)
        usable = False
    bounds = []
    for bound in ("start", "end"):
        text = as_text(entry.get(bound))
        if text and parse_period(text, every) is None:
            complain(doc.value_line(*key, bound), f"系列“{name}”的 {bound}“{text}”不是{every}期别：应写成 {PERIOD_FORMS[every]}", 1)
            usable, text = False, ""
        bounds.append(str(parse_period(text, every)) if text else "")
    if bounds[0] and bounds[1] and parse_period(bounds[1], every) < parse_period(bounds[0], every):  # type: ignore[operator]
        complain(doc.value_line(*key, "end"), f"系列“{name}”的 end 早于 start：请核对期别", 1)
        usable = False
    approved = _approvals(entry.get("approved"), doc, key, name, every, complain)
    slug = as_text(entry.get("slug")) or "s-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    if not SLUG.fullmatch(slug):
        complain(doc.value_line(*key, "slug"), f"系列“{name}”的 slug“{slug}”不能用作网址：只能用小写英文字母、数字和连字符", 1)
        usable = False
    if not usable or column is None or approved is None:
        return None
    return Series(name, slug, column.slug, every, due, due_days, approved, bounds[0], bounds[1], line)


def _approvals(raw: Any, doc: SourceDocument, key: tuple, name: str, every: str,
               complain: Complain) -> tuple[tuple[str, dt.date], ...] | None:
    """`approved: [{period: 2026, date: 2026-02-10}]`: the 批复日期 of each period, for `due_days`."""
    if raw is None:
        return ()
    shape = "[{period: 期别, date: 批复日期}]，例如 [{period: 2026, date: 2026-02-10}]"
    if not isinstance(raw, list):
        complain(doc.line_of(*key, "approved"), f"系列“{name}”的 approved 应写成 {shape}", 1)
        return None
    found: dict[str, dt.date] = {}
    for index, entry in enumerate(raw):
        entry = as_mapping(entry)
        period = parse_period(as_text(entry.get("period")), every)
        date = parse_date(entry.get("date"))
        if period is None or date is None or set(entry) != {"period", "date"}:
            complain(doc.line_of(*key, "approved", index),
                     f"系列“{name}”的 approved 第 {index + 1} 项不对：应写成 {{period: 期别, date: 批复日期}}，"
                     f"期别写成 {PERIOD_FORMS[every]}，日期写成 YYYY-MM-DD", 1)
            return None
        if str(period) in found:
            complain(doc.line_of(*key, "approved", index), f"系列“{name}”的 approved 中期别 {period} 出现了两次", 1)
            return None
        found[str(period)] = date
    return tuple(sorted(found.items()))
