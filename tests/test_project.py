"""The project as loaded: authored pages get URL-safe names, and every bad file is reported on its own."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import checks
from gongkai.loading import parse_document
from gongkai.project import load_project


def _page(site, name: str, title: str = "指南") -> None:
    path = site.content / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\n---\n\n正文\n", encoding="utf-8")


@pytest.mark.parametrize("name, suggested", [
    ("办事指南.md", "lanmu-1"), ("Apply Guide.md", "apply-guide"), ("guide_v2.md", "guide-v2"), ("sub/Guide.md", "sub/guide"),
    (".hidden.md", "hidden"), ("-x.md", "x"),
])
def test_a_page_name_that_is_not_a_url_segment_is_gk025(site, name, suggested):
    _page(site, "guide.md")
    _page(site, name, "另一页")
    problems = [p for p in site.check() if p.code == "GK025"]
    assert [p.path for p in problems] == [f"content/pages/{name}"] and f"{suggested}.md" in problems[0].message
    assert [page.slug for page in load_project(site.root).pages] == ["guide"]


def test_good_page_names_become_their_slugs(site):
    for name in ("guide.md", "apply-2021.md", "more/rules.md"):
        _page(site, name)
    assert sorted(page.slug for page in load_project(site.root).pages) == ["apply-2021", "guide", "more/rules"]


_broken = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"---\n", b"---\ntitle: [\n---\n", b"---\n1: x\n---\n", b"---\na: &a x\nb: *a\n---\n",
                     "---\ntitle：通知\n---\n".encode(), "---\ntitle: 通知\n---\n".encode("utf-16"),
                     b"---\nkeywords: !!set {a: null}\n---\n", b"\x00\x01\x02", "---\ntitle: 关于 #x\n---\n".encode()]),
)


@pytest.mark.long
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.lists(_broken, min_size=1, max_size=4))
def test_each_bad_file_is_reported_with_its_path_and_the_good_ones_are_still_checked(site, bad):
    for old in (site.content / "items" / "2021").glob("bad*.md"):
        old.unlink()
    good = site.item("2021/good.md", body="电话13912345678\n")
    for number, data in enumerate(bad):
        site.write(f"2021/bad{number}.md", data)
    problems = checks.run(load_project(site.root), site.today)
    paths = {p.path for p in problems}
    assert "GK303" in {p.code for p in problems if p.path == site.rel(good)}
    for number, data in enumerate(bad):
        document, _ = parse_document(data, "x.md")
        if document is None:  # a file that cannot be read is named, with a reason
            assert f"content/items/2021/bad{number}.md" in paths


@pytest.mark.parametrize("fields", [
    {"disclosure": "不予公开"},
    {"audience": "党内"},
    {"published": "2099-01-05"},
    {"withdrawn": {"date": "2021-07-01", "reason": "撤回"}},
])
def test_an_item_moved_under_pages_is_refused_not_published_as_a_page(site, fields):
    """An item's file moved (or copied) into content/pages/ was published to the public as an authored page,
    its 不予公开, 党内, later date and review ignored without a word."""
    item = site.item("2021/2021-00001.md", body="拟推荐人选的考察材料qxmovedpage。\n", **fields)
    moved = site.content / "pages" / "kaocha.md"
    moved.parent.mkdir()
    item.rename(moved)
    [problem] = [p for p in site.check() if p.code == "GK026"]
    assert problem.path == "content/pages/kaocha.md" and "是条目而不是页面" in problem.message
    assert moved.read_text(encoding="utf-8").split("\n")[problem.line - 1].startswith(("title", "index_no"))


def test_a_key_pages_do_not_use_is_gk026_on_its_line(site):
    path = site.content / "pages" / "guide.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: 指南\norder: 2\ndescription: 说明\nlexicon_allow: []\n---\n\n正文\n", encoding="utf-8")
    [problem] = [p for p in site.check() if p.code == "GK026"]
    assert (problem.line, "description" in problem.message) == (4, True)
    path.write_text("---\ntitle: 指南\norder: 2\n---\n\n正文\n", encoding="utf-8")
    assert [p for p in site.check() if p.code == "GK026"] == []


def test_a_page_title_longer_than_an_items_is_gk008_and_the_page_is_not_published(site):
    """A page's title is in every page's navigation: unbounded, 300,000 characters made each page of the site
    0.9 MB bigger. An item's title is bounded at 300 characters; a page's now too."""
    path = site.content / "pages" / "guide.md"
    path.parent.mkdir()
    path.write_text("---\norder: 2\ntitle: " + "指南" * 151 + "\n---\n\n正文\n", encoding="utf-8")
    [problem] = [p for p in site.check() if p.code == "GK008"]
    assert (problem.path, problem.line, "302" in problem.message) == ("content/pages/guide.md", 3, True)
    assert load_project(site.root).pages == []
    path.write_text("---\norder: 2\ntitle: " + "指南" * 150 + "\n---\n\n正文\n", encoding="utf-8")
    assert [p for p in site.check() if p.code == "GK008"] == []


def test_the_titles_of_all_pages_are_bounded_together(site):
    """Every page's navigation lists every page's title: 200 pages of 300 characters made a site of 245 pages 57 MB
    (output grows as pages²). Past the sum of 32,000 characters a page is GK008 and left out."""
    from gongkai.project import MAX_PAGE_TITLES

    folder = site.content / "pages"
    folder.mkdir()
    count = MAX_PAGE_TITLES // 300 + 1
    for number in range(count):
        (folder / f"p{number:03d}.md").write_text(f"---\norder: {number}\ntitle: {'页' * 300}\n---\n\n正文\n", encoding="utf-8")
    problems = [p for p in site.check() if p.code == "GK008"]
    assert [(p.path, p.line) for p in problems] == [(f"content/pages/p{count - 1:03d}.md", 3)]
    assert sum(len(page.title) for page in load_project(site.root).pages) <= MAX_PAGE_TITLES
