"""`gongkai new`: the next free 索引号 per year, and a skeleton that fails the check until reviewed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.cli import main
from gongkai.loading import parse_document


@pytest.fixture
def run(site, monkeypatch):
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-18")
    return lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_next_free_index_no_per_year(site, run):
    site.item("2021/a.md", index_no=f"{site.ORG_CODE}/2021-00007")
    site.item("2020/b.md", index_no=f"{site.ORG_CODE}/2020-00031", published="2020-05-06", written="2020-05-06")
    result = run("new", "--title", "关于开展安全检查的通知", "--category", "规范性文件", "--department", "office")
    assert result.exit_code == 0, result.output
    path = site.root / result.output.strip()
    assert path.name == "2021-00008.md"
    assert f"index_no: {site.ORG_CODE}/2021-00008" in path.read_text(encoding="utf-8")
    second = run("new", "--title", "另一条", "--category", "normative", "--department", "办公室", "--date", "2020-03-01")
    assert (site.root / second.output.strip()).name == "2020-00032.md"
    third = run("new", "--title", "新年第一条", "--category", "动态信息", "--department", "办公室", "--date", "2022-01-04")
    assert (site.root / third.output.strip()).name == "2022-00001.md"


def _content_in(git_site, content: str) -> None:
    (git_site.root / "content").rename(git_site.root / content)
    config = git_site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - gongkai\n", f"  - gongkai:\n      content_dir: {content}\n"), encoding="utf-8")


@pytest.mark.parametrize("content", ["content", "内容", "moved later"])
def test_a_deleted_items_serial_is_never_given_again(git_site, content):
    """An item taken down by deleting its file left its 索引号 named by links, a 解读's interprets and bookmarks: the
    next new item took the same number and file name, and answered them all (rt32 N1). In a content folder named in
    Chinese too, whose names git quotes on a line of its own, and after content_dir moved to another folder."""
    if content == "内容":
        _content_in(git_site, content)
    run = lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)  # noqa: E731
    made = [run("new", "--title", f"第{n}条通知", "--category", "规范性文件", "--department", "办公室").output.strip()
            for n in (1, 2)]
    assert [name.rsplit("/", 1)[-1] for name in made] == ["2021-00001.md", "2021-00002.md"]
    git_site.commit("两条")
    git_site.git("rm", "-q", made[1])
    git_site.commit("删除第二条")
    if content == "moved later":
        _content_in(git_site, "data")
        git_site.commit("移动内容目录")
    again = run("new", "--title", "第三条通知", "--category", "规范性文件", "--department", "办公室").output.strip()
    assert again.endswith("2021-00003.md"), again


def test_skeleton_fails_on_the_review_and_its_placeholder_until_written_and_signed(site, run):
    result = run("new", "--title", "关于开展安全检查的通知", "--category", "规范性文件", "--department", "办公室")
    path = site.root / result.output.strip()
    rel = site.rel(path)
    assert sorted(p.code for p in site.check() if p.path == rel and p.is_error) == ["GK140", "GK201"]
    path.write_text(path.read_text(encoding="utf-8").replace("（在此撰写正文）", "定于下周开展安全检查。"), encoding="utf-8")
    for level, name in (("initial", "李明"), ("final", "王芳")):
        result = run("review", rel, "--level", level, "--reviewer", name, "--date", "2021-06-17", "--key", str(site.keys.file(name)))
        assert result.exit_code == 0, result.output
    assert [p for p in site.check() if p.path == rel] == []


def test_unknown_category_and_group_are_refused_with_suggestions(site, run):
    result = run("new", "--title", "x", "--category", "规范文件", "--department", "办公室")
    assert result.exit_code == 1 and "规范性文件" in result.output
    result = run("new", "--title", "x", "--category", "规范性文件", "--department", "财务")
    assert result.exit_code == 1 and "发布机构" in result.output
    assert not list((site.content / "items").rglob("*.md"))


@pytest.mark.parametrize(("column", "declared", "written"), [
    ("规范性文件", None, "通知"),  # a column that implies no genre
    ("政策解读", None, "解读"),  # a 解读 column by its name
    ("规范性文件", "[规范性文件, 通知]", "规范性文件"),  # the first it declares
    ("规范性文件", "'公告: 说明'", "公告: 说明"),  # a value YAML must quote reads back as it is
    ("规范性文件", "'true'", "true"),
    ("规范性文件", "\"#说明\"", "#说明"),
])
def test_the_skeleton_has_the_genre_its_column_implies(site, run, column, declared, written):
    if declared is not None:
        catalog = site.content / "catalog.yml"
        catalog.write_text(catalog.read_text(encoding="utf-8").replace(
            "{name: 规范性文件, slug: normative}", f"{{name: 规范性文件, slug: normative, genre: {declared}}}"), encoding="utf-8")
    result = run("new", "--title", "关于开展安全检查的通知", "--category", column, "--department", "办公室")
    assert result.exit_code == 0, result.output
    path = site.root / result.output.strip()
    document, problems = parse_document(path.read_bytes(), site.rel(path))
    assert document is not None and not [p for p in problems if p.is_error]
    assert document.meta["genre"] == written
    assert "GK171" not in site.codes(path)


# Unassigned code points (noncharacters, the default-ignorable ones a browser draws as nothing) are refused in values.
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Cn", "Zl", "Zp")), min_size=1, max_size=40)
       .filter(lambda title: title.strip()))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_one_line_title_reads_back_exactly(site, run, title):
    result = run("new", "--title", title, "--category", "规范性文件", "--department", "办公室")
    assert result.exit_code == 0, result.output
    path = site.root / result.output.strip()
    document, _ = parse_document(path.read_bytes(), site.rel(path))
    path.unlink()
    assert document is not None and document.meta["title"] == title.strip()


@pytest.mark.parametrize("title", ["通知\x7f", "通知\u200b二", "关于\u202e知通", "a\x1bb"])
def test_a_title_with_hidden_characters_is_refused_in_chinese(site, run, title):
    result = run("new", "--title", title, "--category", "规范性文件", "--department", "办公室")
    assert result.exit_code == 1 and "看不见的字符" in result.output
    assert not list((site.content / "items").rglob("*.md"))


def test_a_serial_past_99999_is_never_written(site, run):
    """After a 99999 (a typo, or the 99,999th item of a year) `gongkai new` wrote 2021-100000.md with a 索引号 of six
    digits, which no check accepts (GK108): every later item of the year was born broken. It says why, and where."""
    site.item("2021/a.md", index_no=f"{site.ORG_CODE}/2021-99999")
    result = run("new", "--title", "关于开展安全检查的通知", "--category", "规范性文件", "--department", "办公室")
    assert result.exit_code == 1 and "99999" in result.output and "content/items/2021/a.md" in result.output
    assert "Traceback" not in result.output and not (site.content / "items" / "2021" / "2021-100000.md").exists()


def test_a_title_longer_than_a_title_is_refused(site, run):
    result = run("new", "--title", "关于" * 200, "--category", "规范性文件", "--department", "办公室")
    assert result.exit_code == 1 and "GK122" in result.output and "400" in result.output
    assert not list((site.content / "items").rglob("20*-*.md"))


@pytest.mark.parametrize(("link", "year_there"), [("items/2022", False), ("items", True), ("items", False)])
def test_a_folder_linked_out_of_content_is_never_written_through(site, run, tmp_path, link, year_there):
    """Neither through a linked year's folder, nor through a linked items/ with or without the year's folder
    in it (without, the year's folder was made through the link and the item written there)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    target = site.content / link
    if year_there:
        (outside / "2022").mkdir()  # the linked items folder already holds the year's folder
    if target.exists():
        target.rename(tmp_path / "moved")
    target.symlink_to(outside, target_is_directory=True)
    result = run("new", "--title", "通知", "--category", "规范性文件", "--department", "办公室", "--date", "2022-01-04")
    assert result.exit_code == 1 and "指向 content/ 之外" in result.output
    assert not any(path.is_file() for path in outside.rglob("*"))
    assert not (outside / "2022").exists() or year_there


@pytest.mark.parametrize("planted", ["file", "link"])
def test_a_file_saved_at_the_placed_name_meanwhile_is_never_replaced(site, run, monkeypatch, tmp_path, planted):
    """The name is checked when the 索引号 is chosen and written later: an editor's save (or a link planted)
    there in between is kept as it was, never replaced by the skeleton."""
    from gongkai import archetypes

    outside = tmp_path / "outside.md"
    place = archetypes.place_item

    def place_then_save(*args, **kwargs):
        placement = place(*args, **kwargs)
        placement.path.parent.mkdir(parents=True, exist_ok=True)
        if planted == "file":
            placement.path.write_text("编辑刚保存的条目\n", encoding="utf-8")
        else:
            placement.path.symlink_to(outside)
        return placement

    monkeypatch.setattr(archetypes, "place_item", place_then_save)
    result = run("new", "--title", "通知", "--category", "规范性文件", "--department", "办公室", "--date", "2022-01-04")
    assert result.exit_code == 1 and "已存在" in result.output
    saved = site.content / "items" / "2022" / "2022-00001.md"
    if planted == "file":
        assert saved.read_text(encoding="utf-8") == "编辑刚保存的条目\n"
    else:
        assert saved.is_symlink() and not outside.exists()


_NAME = st.lists(st.sampled_from(list(":#'\"*&!%@`|>-?,[]{} ") + ["办公室", "工作", "a"]), min_size=1, max_size=12).map("".join)


@given(category=_NAME, department=_NAME)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_catalog_name_reads_back_exactly(site, run, category, department):
    """The skeleton names the column and the department as the catalog does: a name YAML would read otherwise
    (`工作: 总结` a second key, `办公室 #二` cut at the comment, `*x` an alias) is quoted, never written bare."""
    category, department = category.strip() or "栏目", department.strip() or "机构"
    catalog = site.content / "catalog.yml"
    original = catalog.read_text(encoding="utf-8")
    named = original.replace("{name: 规范性文件, slug: normative}", f"{{name: {json.dumps(category)}, slug: normative}}")
    named = named.replace("{name: 办公室, slug: office}", f"{{name: {json.dumps(department)}, slug: office}}")
    assert "{name: 规范性文件, slug: normative}" in original and "{name: 办公室, slug: office}" in original
    catalog.write_text(named, encoding="utf-8")
    try:
        result = run("new", "--title", "通知", "--category", "normative", "--department", "office")
        assert result.exit_code == 0, result.output
        path = site.root / result.output.strip()
        document, problems = parse_document(path.read_bytes(), site.rel(path))
        path.unlink()
        assert document is not None and not [p for p in problems if p.is_error], problems
        assert (document.meta["category"], document.meta["department"]) == (category, department)
    finally:
        catalog.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("to", ["nothing", "outside"])
def test_a_link_at_the_next_name_is_named_not_retried(site, run, tmp_path, to):
    """A link where the next item would go (to nothing, or to a file outside) is no item the project reads, so its
    name was chosen again on every run, each ending in "已存在…请重新运行": it is named as a link to delete."""
    folder = site.content / "items" / "2022"
    folder.mkdir(parents=True, exist_ok=True)
    outside = tmp_path / "outside.md"
    if to == "outside":
        outside.write_text("外部文件\n", encoding="utf-8")
    (folder / "2022-00001.md").symlink_to(outside)
    result = run("new", "--title", "通知", "--category", "规范性文件", "--department", "办公室", "--date", "2022-01-04")
    assert result.exit_code == 1 and "content/items/2022/2022-00001.md 是一个符号链接" in result.output
    assert "重新运行 `gongkai new`" in result.output and "已存在" not in result.output
    assert (folder / "2022-00001.md").is_symlink() and sorted(p.name for p in folder.iterdir()) == ["2022-00001.md"]
    assert not outside.exists() or outside.read_text(encoding="utf-8") == "外部文件\n"



@pytest.mark.parametrize("unreadable", [b"\xb9\xd8\xd3\xda GBK", b"---\ntitle: x\n---\n" + b"a" * (6 * 1024 * 1024)],
                         ids=["not-utf8", "over-the-size-limit"])
def test_a_file_the_loader_cannot_read_still_takes_its_number(site, run, unreadable):
    """A file at the next number that the loader refuses has no 索引号 to count: every later `new` picked its name and
    stopped, sending the editor to check an index_no that was right."""
    site.item("2021/2021-00001.md", index_no=f"{site.ORG_CODE}/2021-00001")
    (site.content / "items" / "2021" / "2021-00002.md").write_bytes(unreadable)
    result = run("new", "--title", "通知", "--category", "规范性文件", "--department", "办公室")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("2021-00003.md")
    assert (site.content / "items" / "2021" / "2021-00002.md").read_bytes() == unreadable


def test_the_skeleton_says_what_a_consultation_or_party_column_asks(site, run):
    """A 意见征集 column's skeleton failed GK156 with nothing in it saying so; a 党内 column's did not say its items
    stay off the public site. Both say it in comments, and the skeleton still reads as before."""
    catalog = site.content / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("reviewers:", (
        "  - name: 公众参与\n    slug: participation\n    children:\n"
        "      - {name: 意见征集, slug: consult, consultation: true}\n"
        "  - name: 党务公开\n    slug: party\n    party: true\n    children:\n"
        "      - {name: 党内制度, slug: party-rules}\n      - {name: 联系服务党员群众, slug: outreach, audience: 公众}\n"
        "reviewers:"), 1), encoding="utf-8")
    texts = {}
    for column in ("意见征集", "党内制度", "联系服务党员群众", "动态信息"):
        result = run("new", "--title", f"关于{column}的通知", "--category", column, "--department", "办公室")
        assert result.exit_code == 0, result.output
        texts[column] = (site.root / result.output.strip()).read_text(encoding="utf-8")
        document, problems = parse_document(texts[column].encode(), "a.md")
        assert document is not None and not problems and document.meta["category"] == column
    assert "consultation: {from:" in texts["意见征集"] and "feedback_for" in texts["意见征集"]
    assert "仅向党员公开" in texts["党内制度"]
    assert "consultation" not in texts["动态信息"] + texts["联系服务党员群众"]
    assert "仅向党员公开" not in texts["动态信息"] + texts["联系服务党员群众"]
    problems = site.check()
    assert not [p for p in problems if p.code.startswith(("GK0", "GK1")) and p.code not in ("GK140", "GK156")], problems
