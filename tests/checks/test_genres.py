"""Genre against column (GK171): the genres a column declares in catalog.yml, or 解读 for a 解读 column."""

from __future__ import annotations

import pytest

from gongkai.checks.genres import OTHER_GENRE


def declare(site, genre: str) -> None:
    """The test catalog's 规范性文件 column, with `genre: <genre>`."""
    catalog = site.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("{name: 规范性文件, slug: normative}", f"{{name: 规范性文件, slug: normative, genre: {genre}}}"),
                       encoding="utf-8")


def warnings(site, path):
    return [p for p in site.problems(OTHER_GENRE.code) if p.path == site.rel(path)]


@pytest.mark.parametrize("genre", ["规范性文件", "通知", " 通知 "])
def test_a_genre_the_column_declares_passes(site, genre):
    declare(site, "[规范性文件, 通知]")
    assert warnings(site, site.item(genre=genre)) == []


def test_another_genre_is_a_warning_on_its_line_naming_both(site):
    declare(site, "[规范性文件, 通知]")
    path = site.item(genre="公示")
    [warning] = warnings(site, path)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert warning.severity == "warning" and warning.line == lines.index("genre: 公示") + 1
    assert "“公示”与栏目“规范性文件”不符" in warning.message and "“规范性文件”或“通知”" in warning.message
    assert "genre: 规范性文件" in warning.message


def test_no_genre_in_a_column_that_declares_one_is_a_warning_on_the_category_line(site):
    declare(site, "规范性文件")
    path = site.item()  # no genre
    [warning] = warnings(site, path)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert warning.line == lines.index("category: 规范性文件") + 1 and "请加一行 genre: 规范性文件" in warning.message


def test_a_column_named_for_interpretations_implies_the_genre(site):
    notice = site.item(category="政策解读", genre="通知")
    interpretation = site.item("2021/b.md", category="政策解读", genre="解读")
    assert [p.line > 0 for p in warnings(site, notice)] == [True]
    assert warnings(site, interpretation) == []


def test_columns_that_imply_nothing_take_any_genre(site):
    path = site.item(category="动态信息", genre="公示")
    other = site.item("2021/b.md", genre="公告")  # 规范性文件, declaring nothing
    assert warnings(site, path) == [] and warnings(site, other) == []
