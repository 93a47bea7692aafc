"""content/catalog.yml → Catalog: the org, its departments and the 公开目录."""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from pathlib import Path
from typing import Any

from stdnum.cn import uscc

from .catalog_options import SLUG, column_genres, column_options, group_audience, load_series
from .loading import SourceDocument, read_yaml_file
from .model import UPDATE_CLASSES, AuditSettings, Catalog, Category, CategoryGroup, Department
from .problems import Problem
from .roster import load_roster, person_key
from .rules import CATALOG, ERROR
from .values import LINE_BREAK, as_list, as_mapping, as_text, parse_date, shown

MISSING = CATALOG.rule(
    "GK901", ERROR,
    "找不到 content/catalog.yml",
    "在 content/ 下建立 catalog.yml（机构、部门和公开目录），格式见本手册",
)
INVALID = CATALOG.rule(
    "GK902", ERROR,
    "catalog.yml 内容不完整或格式不对",
    "按提示补齐机构名称、代码、部门和栏目（每个一级栏目至少一个二级栏目）",
)
ORG_CODE = CATALOG.rule(
    "GK903", ERROR,
    "机构代码校验位不对",
    "核对 18 位统一社会信用代码（或 9 位组织机构代码），以证书上的为准",
)
DUPLICATE = CATALOG.rule(
    "GK904", ERROR,
    "catalog.yml 中部门或栏目的名称、代号重复",
    "每个部门、栏目的名称和代号（slug）必须各不相同",
)

BAD_SLUG = CATALOG.rule(
    "GK905", ERROR,
    "代号（slug）不能用作网址：只能用小写英文字母、数字和连字符，以字母或数字开头，最长 64 个字符",
    "改成例如 housing、rural-house 这样的代号；代号就是网址中的一段（catalog/<代号>/、departments/<代号>/）",
)

CATALOG_BOUNDS = CATALOG.rule(
    "GK907", ERROR,
    "catalog.yml 中部门超过 200 个、栏目超过 300 个，或机构、部门、栏目的名称超过 500 个字、合计超过 32,000 个字",
    "只列出实际发布信息的部门和栏目，名称用简称：每个名称印在网站的导航和列表中，每个部门、栏目都有自己的列表页",
)
# Every page's navigation lists every column, and the listings every department: 1,000 departments made a build of
# the sample site write 1,200 pages of 260 KB each in 114 s (1,000 columns and departments: 151 s).
MAX_DEPARTMENTS, MAX_COLUMNS, MAX_NAME = 200, 300, 500  # names: a real one has a few dozen characters
# The navigation, the home page, the catalog's and the departments' pages print the names together: within those bounds
# 150 groups and 200 departments of 500 characters made every item page 315 KB (25 KB with real names) and a site of 72
# items 198 MB. Their sum is bounded as the pages' titles are (project.MAX_PAGE_TITLES) and what mkdocs.yml prints on
# every page (GK534); the sample's agency, 11 departments and 39 groups and columns have 260 characters.
MAX_NAMES = 32_000

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# The keys each part of catalog.yml has (review, reviewers, series and audit judge their own): a misspelt one was
# silently nothing — `audiance: 公众` left a column members-only, `consultaton: true` no 意见征集 column at all.
TOP_KEYS = ("org", "departments", "categories", "review", "reviewers", "series", "audit")
ORG_KEYS = ("name", "code")
DEPARTMENT_KEYS = ("name", "slug")
GROUP_KEYS = ("name", "slug", "children", "party", "audience")
LEAF_KEYS = ("name", "slug", "stale_after_days", "update_class", "audience", "consultation", "genre")


def is_valid_org_code(code: str) -> bool:
    """18-char 统一社会信用代码 (GB 32100) or 9-char 组织机构代码 (GB 11714), check digit included."""
    if len(code) == 18:
        return uscc.is_valid(code)
    if len(code) != 9 or any(ch not in _ALNUM for ch in code[:8]):
        return False
    total = sum(_ALNUM.index(ch) * weight for ch, weight in zip(code[:8], _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    expected = {10: "X", 11: "0"}.get(check, str(check))
    return code[8] == expected


def suggest_slug(text: str) -> str:
    """A slug close to `text`: lower case, runs of other characters turned into one hyphen."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].rstrip("-")
    return slug or "lanmu-1"


def load_catalog(content_dir: Path, root: Path, limit: int) -> tuple[Catalog | None, SourceDocument | None, list[Problem]]:
    """content/catalog.yml (read up to `limit` bytes, mkdocs.yml's limits.item_mb), its document and problems."""
    file = content_dir / "catalog.yml"
    rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
    if not os.path.lexists(file):
        return None, None, [MISSING.at(rel, 1, "找不到 catalog.yml：请在 content/ 下建立机构、部门和公开目录的配置")]
    data, document, problems = read_yaml_file(file, rel, limit)
    if document is None or any(p.is_error for p in problems):
        return None, document, problems
    if not isinstance(data, dict):
        return None, document, [INVALID.at(rel, 1, "catalog.yml 必须包含 org、departments、categories 三项")]
    catalog, found = _build(data, document)
    problems = problems + found
    if catalog is not None:  # the reviewer roster (its own module) needs the departments
        roster, roster_problems = load_roster(data, document, catalog.departments)
        catalog, problems = dataclasses.replace(catalog, roster=roster), problems + roster_problems
    return catalog, document, problems


def _build(data: dict[str, Any], doc: SourceDocument) -> tuple[Catalog | None, list[Problem]]:
    problems: list[Problem] = []
    path = doc.path

    def complain(line: int, message: str, col: int = 1) -> None:
        problems.append(INVALID.at(path, line, message, col))

    def need(value: str, *key: Any, label: str) -> str:
        if not value:
            problems.append(INVALID.at(path, doc.line_of(*key), f"缺少{label}（`{'.'.join(map(str, key))}`）"))
        elif LINE_BREAK.search(value):
            problems.append(INVALID.at(path, doc.value_line(*key), f"{label}中有换行：名称只能是一行（它印在导航、列表、"
                                       "命令的输出里，换行会让下一行看起来像另一条信息）；请写在一行内", doc.value_col(*key)))
        elif len(value) > MAX_NAME:
            problems.append(CATALOG_BOUNDS.at(path, doc.value_line(*key), f"{label}有 {len(value)} 个字，超过 {MAX_NAME} 个字："
                                              "名称印在网站的导航、列表和每条信息的页面中，请改用简称", doc.value_col(*key)))
        return value

    names = 0

    def summed(value: str, *key: Any) -> None:
        """Adds a name to the sum the site prints together; GK907 once, at the name past MAX_NAMES."""
        nonlocal names
        if names <= MAX_NAMES < names + len(value):
            problems.append(CATALOG_BOUNDS.at(path, doc.value_line(*key), f"catalog.yml 中机构、部门和栏目的名称合计超过 "
                                              f"{MAX_NAMES:,} 个字（到这个名称为止）：网站的导航、首页和目录页把这些名称一起印出，"
                                              "名称越长，网站的每一页越大；请改用简称", doc.value_col(*key)))
        names += len(value)

    def count(what: str, found: int, limit: int, *key: Any) -> None:
        if found > limit:
            problems.append(CATALOG_BOUNDS.at(path, doc.line_of(*key), f"catalog.yml 列出了 {found} 个{what}，超过上限 {limit} 个："
                                              f"每个{what}都有自己的列表页，并列在网站的每一页中；请只列出实际发布信息的{what}"))

    def known(mapping: Any, allowed: tuple[str, ...], *key: Any, where: str) -> None:
        for name in mapping if isinstance(mapping, dict) else ():
            if name not in allowed:
                close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
                hint = f"是否想写 `{close[0]}`？" if close else f"只允许 {'、'.join(allowed)}"
                problems.append(INVALID.at(path, doc.line_of(*key, name), f"{where}中有未知的键 `{shown(str(name))}`：{hint}"
                                           "（写错的键不起作用，例如栏目的公开范围、意见征集都会按没写处理）"))

    known(data, TOP_KEYS, where="catalog.yml ")
    known(data.get("org"), ORG_KEYS, "org", where="org ")
    org = as_mapping(data.get("org"))
    org_name = need(as_text(org.get("name")), "org", "name", label="机构名称")
    summed(org_name, "org", "name")
    org_code = need(as_text(org.get("code")), "org", "code", label="机构代码")
    if org_code and not is_valid_org_code(org_code):
        problems.append(
            ORG_CODE.at(path,
                doc.line_of("org", "code"),
                f"机构代码 `{org_code}` 无效：应为校验位正确的 18 位统一社会信用代码或 9 位组织机构代码",
            )
        )

    seen: dict[tuple[str, str], tuple[str, int]] = {}

    def slug_of(*key: Any, label: str) -> str:
        value = need(as_text(_get(data, key)), *key, label=label)
        if value and not SLUG.fullmatch(value):
            problems.append(BAD_SLUG.at(path, doc.value_line(*key), f"{label}“{shown(value)}”不能用作网址：只能用小写英文字母、"
                                        f"数字和连字符（-），以字母或数字开头，最长 64 个字符；例如 {suggest_slug(value)}",
                                        doc.value_col(*key)))
        return value

    def unique(kind: str, value: str, line: int) -> None:
        """Departments apart, columns (groups and leaves) apart: a name or slug once in each, as a reader tells names
        apart (`person_key`: 辦公室, 办 公室, 办公室 with an invisible character and ＯＦＦＩＣＥ are 办公室 and office).
        Two departments a reader cannot tell apart let a reviewer the roster allows for one sign, for the site and the
        queue, what is the other's; two such columns put an item in the public one a reviewer read as members-only."""
        key = (kind, person_key(value))
        if key in seen:
            first, line_first = seen[key]
            same = "" if first == value else f"（与“{shown(first)}”看起来相同，只是写法不同：繁简、全角、空格或不可见字符）"
            problems.append(DUPLICATE.at(path, line, f"{kind}的名称或代号 `{shown(value)}` 重复{same}（第 {line_first} 行已使用）"))
        else:
            seen[key] = (value, line)

    departments = []
    for index, raw in enumerate(as_list(data.get("departments"))):
        entry = as_mapping(raw)
        known(raw, DEPARTMENT_KEYS, "departments", index, where="部门一项")
        name = need(as_text(entry.get("name")), "departments", index, "name", label="部门名称")
        slug = slug_of("departments", index, "slug", label="部门代号（slug）")
        summed(name, "departments", index, "name")
        line = doc.line_of("departments", index)
        for value in (name, slug):
            if value:
                unique("部门", value, line)
        departments.append(Department(name, slug))
    if not departments:
        problems.append(INVALID.at(path, doc.line_of("departments"), "departments 不能为空：至少列出一个发布机构"))
    count("部门", len(departments), MAX_DEPARTMENTS, "departments", MAX_DEPARTMENTS)

    groups = []
    for gi, raw_group in enumerate(as_list(data.get("categories"))):
        group = as_mapping(raw_group)
        known(raw_group, GROUP_KEYS, "categories", gi, where="一级栏目")
        gname = need(as_text(group.get("name")), "categories", gi, "name", label="一级栏目名称")
        gslug = slug_of("categories", gi, "slug", label="一级栏目代号（slug）")
        summed(gname, "categories", gi, "name")
        for value in (gname, gslug):
            if value:
                unique("栏目", value, doc.line_of("categories", gi))
        party, group_default = group_audience(group, doc, ("categories", gi), complain)
        leaves = []
        for ci, raw_leaf in enumerate(as_list(group.get("children"))):
            leaf = as_mapping(raw_leaf)
            key = ("categories", gi, "children", ci)
            known(raw_leaf, LEAF_KEYS, *key, where="二级栏目")
            name = need(as_text(leaf.get("name")), *key, "name", label="二级栏目名称")
            slug = slug_of(*key, "slug", label="二级栏目代号（slug）")
            summed(name, *key, "name")
            for value in (name, slug):
                if value:
                    unique("栏目", value, doc.line_of(*key))
            stale = leaf.get("stale_after_days")
            if stale is not None and (not isinstance(stale, int) or isinstance(stale, bool) or stale <= 0):
                problems.append(
                    INVALID.at(path, doc.line_of(*key, "stale_after_days"), "stale_after_days 必须是正整数（天数）")
                )
                stale = None
            update_class = as_text(leaf.get("update_class"))
            if update_class and update_class not in UPDATE_CLASSES:
                problems.append(INVALID.at(path, doc.line_of(*key, "update_class"),
                                           f"update_class“{update_class}”不是检查指标的栏目类别：只能是 {'、'.join(UPDATE_CLASSES)} 之一"))
                update_class = ""
            audience, feedback_days = column_options(leaf, doc, key, group_default, complain)
            genres, wrong = column_genres(leaf, doc, key)
            problems.extend(wrong)
            leaves.append(Category(name, slug, gname, gslug, stale, update_class, audience=audience,
                                   feedback_days=feedback_days, party=party, genres=genres))
        if not leaves:
            problems.append(
                INVALID.at(path, doc.line_of("categories", gi), f"一级栏目“{gname}”没有二级栏目（children）")
            )
        groups.append(CategoryGroup(gname, gslug, tuple(leaves), party=party))
    if not groups:
        problems.append(INVALID.at(path, doc.line_of("categories"), "categories 不能为空：请列出公开目录"))
    count("栏目", len(groups) + sum(len(group.children) for group in groups), MAX_COLUMNS, "categories")

    audit = _audit_settings(data.get("audit"), doc, problems)
    series = load_series(data.get("series"), doc, tuple(leaf for group in groups for leaf in group.children), complain,
                         problems)
    if any(p.is_error for p in problems):
        return None, problems
    return Catalog(org_name, org_code, tuple(departments), tuple(groups), audit, series=series), problems


def _audit_settings(raw: Any, doc: SourceDocument, problems: list[Problem]) -> AuditSettings:
    """`audit: {imported_until: DATE, backdating_tolerance_days: N}` (gongkai audit)."""
    if raw is None:
        return AuditSettings()
    if not isinstance(raw, dict):
        problems.append(INVALID.at(doc.path, doc.line_of("audit"), "audit 应写成 {imported_until: 日期, backdating_tolerance_days: 天数}"))
        return AuditSettings()
    for key in raw:
        if key not in ("imported_until", "backdating_tolerance_days"):
            problems.append(INVALID.at(doc.path, doc.line_of("audit", key),
                                       f"audit 中有未知的键 `{key}`：只允许 imported_until、backdating_tolerance_days"))
    imported = parse_date(raw.get("imported_until")) if raw.get("imported_until") is not None else None
    if raw.get("imported_until") is not None and imported is None:
        problems.append(INVALID.at(doc.path, doc.line_of("audit", "imported_until"),
                                   f"audit.imported_until“{raw['imported_until']}”不是 YYYY-MM-DD 格式的真实日期"))
    tolerance = raw.get("backdating_tolerance_days", 3)
    if not isinstance(tolerance, int) or isinstance(tolerance, bool) or tolerance < 0:
        problems.append(INVALID.at(doc.path, doc.line_of("audit", "backdating_tolerance_days"),
                                   "audit.backdating_tolerance_days 必须是不小于 0 的整数（天数）"))
        tolerance = 3
    return AuditSettings(imported, tolerance)


def _get(data: Any, key: tuple[Any, ...]) -> Any:
    """The value at `key` in nested mappings and lists, or None."""
    for part in key:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data
