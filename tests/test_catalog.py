"""catalog.yml: every slug becomes one segment of a URL and of an output path, so it is checked first."""

from __future__ import annotations

import pytest

from gongkai.catalog import is_valid_org_code, suggest_slug
from gongkai.catalog_options import SLUG
from gongkai.project import load_project
from tests.projects import CATALOG, ORG_CODE


@pytest.mark.parametrize("slug, suggested", [
    ("../../site/items/2021/00003", "site-items-2021-00003"),
    ("Housing", "housing"),
    ("rural_house", "rural-house"),
    ("政策解读", "lanmu-1"),
    ("-lead", "lead"),
    (".hidden", "hidden"),
    ("a/b", "a-b"),
    ("x" * 65, "x" * 64),
    ("%2e%2e", "2e-2e"),
])
def test_a_slug_that_is_not_a_url_segment_is_gk905_with_a_suggestion(site, slug, suggested):
    catalog = site.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8").replace("slug: interpretation", f"slug: {slug!r}".replace("'", '"'))
    catalog.write_text(text, encoding="utf-8")
    problems = [p for p in site.check() if p.code == "GK905"]
    assert len(problems) == 1 and problems[0].path == "content/catalog.yml"
    line = next(number for number, row in enumerate(text.split("\n"), 1) if "政策解读" in row)
    assert problems[0].line == line and f"例如 {suggested}" in problems[0].message
    assert load_project(site.root).catalog is None  # nothing is planned from a catalog with errors


@pytest.mark.parametrize("where", ["departments", "group", "leaf"])
def test_every_kind_of_slug_is_checked(site, where):
    catalog = site.content / "catalog.yml"
    old = {"departments": "slug: office", "group": "slug: policy", "leaf": "slug: news"}[where]
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(old, "slug: ../x"), encoding="utf-8")
    assert [p.code for p in site.check() if p.path == "content/catalog.yml"].count("GK905") == 1


def test_good_slugs_pass():
    assert all(SLUG.fullmatch(slug) for slug in ("a", "housing", "rural-house", "2021", "x" * 64))
    assert suggest_slug("Rural House") == "rural-house"


def _catalog_problems(site, text: str | None) -> list:
    file = site.content / "catalog.yml"
    if text is None:
        file.unlink()
    else:
        file.write_text(text, encoding="utf-8")
    return [p for p in site.check() if p.path == "content/catalog.yml"]


def test_no_catalog_is_gk901_and_nothing_else_about_it(site):
    problems = _catalog_problems(site, None)
    assert [(p.code, p.line) for p in problems] == [("GK901", 1)]
    assert "catalog.yml" in problems[0].message and "content/" in problems[0].message


def test_a_catalog_that_is_not_a_mapping_is_gk902(site):
    problems = _catalog_problems(site, "- 不是映射\n")
    assert [(p.code, p.line) for p in problems] == [("GK902", 1)]
    assert "org、departments、categories" in problems[0].message


@pytest.mark.parametrize("text, line, wanted", [
    (CATALOG.replace("  name: 测试县住房和城乡建设局\n", ""), 1, "缺少机构名称（`org.name`）"),
    (CATALOG.replace("departments:\n  - {name: 办公室, slug: office}\n  - {name: 住房保障股, slug: housing}\n",
                     "departments: []\n"), 4, "departments 不能为空"),
    (CATALOG.replace("    children:\n      - {name: 动态信息, slug: news, stale_after_days: 30}\n", "    children: []\n"), 13,
     "一级栏目“工作动态”没有二级栏目"),
    (CATALOG.replace("stale_after_days: 30", "stale_after_days: 三十"), 16, "stale_after_days 必须是正整数"),
    (CATALOG.replace("stale_after_days: 30", "update_class: 新闻"), 16, "update_class“新闻”不是检查指标的栏目类别"),
])
def test_an_incomplete_or_malformed_catalog_is_gk902_at_its_line(site, text, line, wanted):
    problems = _catalog_problems(site, text + site.roster_text())
    assert [p.code for p in problems] == ["GK902"], problems
    assert problems[0].line == line and wanted in problems[0].message


def test_an_org_code_with_a_wrong_check_digit_is_gk903(site):
    wrong = ORG_CODE[:-1] + ("X" if ORG_CODE[-1] != "X" else "Y")
    assert is_valid_org_code(ORG_CODE) and not is_valid_org_code(wrong)
    problems = _catalog_problems(site, CATALOG.replace(ORG_CODE, wrong) + site.roster_text())
    assert [(p.code, p.line) for p in problems] == [("GK903", 3)]
    assert wrong in problems[0].message and "18 位统一社会信用代码" in problems[0].message


@pytest.mark.parametrize("old, new, line, message", [
    ("{name: 住房保障股, slug: housing}", "{name: 办公室, slug: housing}", 6, "部门的名称或代号 `办公室` 重复（第 5 行已使用）"),
    ("{name: 政策解读, slug: interpretation}", "{name: 政策解读, slug: normative}", 12,
     "栏目的名称或代号 `normative` 重复（第 11 行已使用）"),
    ("    slug: updates\n", "    slug: policy\n", 13, "栏目的名称或代号 `policy` 重复（第 8 行已使用）"),  # two groups
])
def test_a_name_or_slug_used_twice_is_gk904_naming_the_first_line(site, old, new, line, message):
    problems = _catalog_problems(site, CATALOG.replace(old, new) + site.roster_text())
    assert [(p.code, p.line, p.message) for p in problems] == [("GK904", line, message)]


@pytest.mark.parametrize("twin", ["辦公室", "办 公室", "办公室\u200b", "办公\u2060室", "办公室\u3000", "ｏｆｆｉｃｅ", "OFFICE"])
def test_a_department_or_column_that_only_looks_different_is_gk904(site, twin):
    """Names a reader cannot tell apart are one name: a second 办公室 spelled with a traditional character, a blank, an
    invisible character or full-width letters let a reviewer the roster allows for it sign, as the site and the
    queue show it, 办公室's items (and the office leader approving the catalog sees the same name twice)."""
    department = CATALOG.replace("{name: 住房保障股, slug: housing}", f'{{name: "{twin}", slug: housing}}')
    column = CATALOG.replace("{name: 政策解读, slug: interpretation", f'{{name: "{twin}", slug: interpretation')
    column = column.replace("{name: 动态信息, slug: news", "{name: 办公室, slug: office")
    for text, kind, line in ((department, "部门", 6), (column, "栏目", None)):
        problems = [p for p in _catalog_problems(site, text + site.roster_text()) if p.code == "GK904"]
        assert len(problems) == 1 and f"{kind}的名称或代号" in problems[0].message, (twin, kind, problems)
        assert line is None or problems[0].line == line


def test_a_department_and_a_column_may_share_a_name(site):
    text = CATALOG.replace("{name: 动态信息, slug: news", "{name: 办公室, slug: office") + site.roster_text()
    assert [p for p in _catalog_problems(site, text) if p.code.startswith("GK9")] == []


NAMES = {"departments": "部门", "columns": "栏目"}
NEWS = "      - {name: 动态信息, slug: news, stale_after_days: 30}\n"  # the test catalog's column the others follow


def with_entries(catalog: str, where: str, names: list[str]) -> str:
    """The test catalog's text with departments or columns of `names` added (slugs d0…, c0…)."""
    if where == "departments":
        return catalog.replace("departments:\n", "departments:\n" + "".join(
            f"  - {{name: {name}, slug: d{n}}}\n" for n, name in enumerate(names)), 1)
    return catalog.replace(NEWS, NEWS + "".join(f"      - {{name: {name}, slug: c{n}}}\n" for n, name in enumerate(names)), 1)


@pytest.mark.parametrize("where, count, message", [
    ("departments", 199, "列出了 201 个部门，超过上限 200 个"),  # and the test catalog's two
    ("columns", 296, "列出了 301 个栏目，超过上限 300 个"),  # and its two groups of three columns
])
def test_a_catalog_of_too_many_departments_or_columns_is_gk907(site, where, count, message):
    """Every page's navigation lists every column and the listings every department: 1,000 departments made a build
    of the sample site write 1,200 pages of 260 KB each in 114 s."""
    catalog = site.content / "catalog.yml"
    text = with_entries(catalog.read_text(encoding="utf-8"), where, [f"{NAMES[where]}{n}" for n in range(count)])
    catalog.write_text(text, encoding="utf-8")
    [problem] = [p for p in site.check() if p.code == "GK907"]
    assert problem.path == "content/catalog.yml" and message in problem.message
    if where == "departments":
        assert "住房保障股" in text.split("\n")[problem.line - 1]  # the 201st
    assert load_project(site.root).catalog is None


@pytest.mark.parametrize("old", ["name: 办公室", "name: 动态信息", "name: 政策文件", "name: 测试县住房和城乡建设局"])
def test_a_name_longer_than_500_characters_is_gk907_at_its_line(site, old):
    """A name is printed in the navigation, the listings and every item's page: one of 4 MB (catalog.yml may hold 5 MB)
    would be printed on every page of its column."""
    catalog = site.content / "catalog.yml"
    original = catalog.read_text(encoding="utf-8")
    name = old.removeprefix("name: ")
    catalog.write_text(original.replace(old, old + "长" * (501 - len(name)), 1), encoding="utf-8")
    [problem] = [p for p in site.check() if p.code == "GK907"]
    assert problem.path == "content/catalog.yml" and "有 501 个字，超过 500 个字" in problem.message
    assert old in original.split("\n")[problem.line - 1]
    catalog.write_text(original.replace(old, old + "长" * (500 - len(name)), 1), encoding="utf-8")
    assert [p for p in site.check() if p.code == "GK907"] == []


@pytest.mark.parametrize("where", ["departments", "columns"])
def test_the_names_of_the_catalog_are_bounded_together(site, where):
    """Each name within 500 characters and each list within its count, the navigation, the home page and the listings
    still printed them all together: 150 groups and 200 departments of 500 characters made every item page 315 KB
    (25 KB with the sample's names) and a site of 72 items 198 MB. Their sum is bounded (32,000 characters, the bound
    of the pages' titles and of what mkdocs.yml prints on every page), at the line of the name past it."""
    catalog = site.content / "catalog.yml"
    original = catalog.read_text(encoding="utf-8")

    def write(count: int) -> str:
        text = with_entries(original, where, [f"{NAMES[where]}{n:03d}{'长' * 495}" for n in range(count)])
        catalog.write_text(text, encoding="utf-8")
        return text

    text = write(64)  # 64 × 500 characters = 32,000 with the test catalog's short names
    [problem] = [p for p in site.check() if p.code == "GK907"]
    assert problem.path == "content/catalog.yml" and "名称合计" in problem.message and "32,000" in problem.message
    assert ("部门063" if where == "departments" else "栏目063") in text.split("\n")[problem.line - 1]
    assert load_project(site.root).catalog is None
    write(60)
    assert [p for p in site.check() if p.code == "GK907"] == []


@pytest.mark.parametrize("old", ["name: 办公室", "name: 动态信息", "name: 政策文件", "name: 测试县住房和城乡建设局"])
@pytest.mark.parametrize("brk", ["\\n", "\\r", "\\u2028", "\\x85"])
def test_a_name_holding_a_line_break_is_gk902_at_its_line(site, old, brk):
    """A name is printed on a line of the navigation and of every command's output: a line break in it made the rest a
    line of its own (a forged `path:1:1: …` problem, a roster notice saying nothing changed)."""
    catalog = site.content / "catalog.yml"
    original = catalog.read_text(encoding="utf-8")
    name = old.removeprefix("name: ")
    catalog.write_text(original.replace(old, f'name: "{name}{brk}fake.md:1:1: GK000 error: x"', 1), encoding="utf-8")
    [problem] = [p for p in site.check() if p.path == "content/catalog.yml"]
    # YAML's reader refuses the other breaks as controls (GK016); a `\n` is a block's line break to it
    assert problem.code in ("GK902", "GK016") and "换行" in problem.message or problem.code == "GK016", problem
    assert old in original.split("\n")[problem.line - 1]


@pytest.mark.parametrize(("edit", "wanted"), [
    (("      - {name: 动态信息, slug: news, stale_after_days: 30}",
      "      - {name: 动态信息, slug: news, stale_after_day: 30}"),
     "二级栏目中有未知的键 `stale_after_day`：是否想写 `stale_after_days`？"),
    (("  - name: 工作动态\n", "  - name: 工作动态\n    partyy: true\n"), "一级栏目中有未知的键 `partyy`：是否想写 `party`？"),
    (("  - {name: 办公室, slug: office}", "  - {name: 办公室, slug: office, code: 1}"), "部门一项中有未知的键 `code`"),
    (("  name: 测试县住房和城乡建设局\n", "  nmae: 测试县住房和城乡建设局\n  name: 测试县住房和城乡建设局\n"), "org 中有未知的键 `nmae`"),
    (("departments:\n", "categorys: []\ndepartments:\n"), "catalog.yml 中有未知的键 `categorys`：是否想写 `categories`？"),
])
def test_a_misspelt_catalog_key_is_an_error_not_nothing(site, edit, wanted):
    """`audiance: 公众` left a column members-only and `consultaton: true` made no 意见征集 column, without a word:
    every part of catalog.yml names a key it does not have, at its line."""
    old, new = edit
    catalog = site.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    assert old in text
    catalog.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = [p for p in site.check() if wanted in p.message]
    assert [(p.code, p.path) for p in found] == [("GK902", "content/catalog.yml")], found
    assert load_project(site.root).catalog is None
