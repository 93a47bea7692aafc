"""The check a chunk of items at a time reports exactly what the check of the whole project reports."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gongkai import checks
from gongkai.checks import parallel
from gongkai.checks.streaming import LOCAL_KEYS, Slimmer, dated, load_judging
from gongkai.loading import parse_document
from gongkai.project import load_project
from gongkai.site_config import load_settings
from tests.projects import Project
from tests.test_item_cache import EDITS, base, copy_of, edit  # noqa: F401 - `base` is the projects' fixture

from .samples import ID, write_troubled_items


@pytest.fixture
def streamed(monkeypatch):
    """Every project is read and judged a chunk at a time, as above `parallel.MAX_FORKED_ITEMS` items."""
    monkeypatch.setattr(parallel, "MAX_FORKED_ITEMS", 0)


def whole_check(site: Project, today: dt.date | None = None) -> checks.Checked:
    """The reference: every document in memory, judged in one process with nothing cached."""
    project = load_project(site.root, site.content, limits=load_settings(site.root).limits)
    return checks.check(project, today or site.today, settings=load_settings(site.root), render_cache=False)


def streamed_check(site: Project, chunk: int, today: dt.date | None = None):
    project, verdict = load_judging(site.root, site.content, today or site.today, load_settings(site.root), chunk=chunk,
                                    meanwhile=False)
    return project, verdict()


def test_streamed_check_finds_what_the_whole_check_finds(site, streamed):
    write_troubled_items(site)  # the duplicate pair lands in different chunks
    expected = whole_check(site)
    whole = load_project(site.root, site.content)
    for chunk in (1, 2, 3, 100, 1, 2):  # the item cache is warm from the second on
        project, checked = streamed_check(site, chunk)
        assert checked == expected
        assert project.items == [dataclasses.replace(item, review=dated(item.review), pii_allow=()) for item in whole.items]
        assert project.pages == whole.pages and project.problems == whole.problems
        assert project.documents == {}  # dropped: the build plans from the items
    assert {p.code for p in expected.problems} >= {"GK111", "GK301", "GK114", "GK201", "GK608", "GK702",
                                                   "GK005", "GK002", "GK008", "GK601"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 20)), min_size=1, max_size=4),
       chunk=st.integers(1, 4))
def test_streamed_check_of_edited_projects(base, tmp_path_factory, monkeypatch, edits, chunk):  # noqa: F811
    monkeypatch.setattr(parallel, "MAX_FORKED_ITEMS", 0)
    site = copy_of(base, tmp_path_factory.mktemp("edited") / "site")
    streamed_check(site, chunk)  # the item cache knows the project before the edits
    today = None
    for what, number in edits:
        today = edit(site, what, number) or today
        expected = whole_check(site, today)
        assert streamed_check(site, chunk, today)[1] == expected
        assert streamed_check(site, chunk + 1, today)[1] == expected  # everything in the cache now


FRONT_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=8)),
                            lambda children: st.lists(children, max_size=3)
                            | st.dictionaries(st.from_regex(r"[a-z]{1,4}", fullmatch=True), children, max_size=3),
                            max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(front=st.dictionaries(st.sampled_from(["review", "pii_allow", "title"]) | st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
                             FRONT_VALUES, max_size=5),
       probes=st.lists(st.lists(st.one_of(st.from_regex(r"[a-z_]{1,4}", fullmatch=True), st.integers(0, 3)), max_size=4),
                       max_size=5))
def test_a_slim_document_tells_every_position_as_the_document(front, probes):
    import yaml

    text = f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n正文\n"
    document, _ = parse_document(text.encode("utf-8", "surrogatepass"), "content/items/2021/x.md")
    assume(document is not None)  # not a file the loader refuses (control characters, …)
    assert document is not None
    slim = Slimmer()(document)
    again = Slimmer()(document)
    assert slim.layout == again.layout and slim.text == ""
    assert slim.meta == {key: value for key, value in document.meta.items() if key not in LOCAL_KEYS}
    for path in [*document.keys, *document.values, *map(tuple, probes), ()]:
        for part in (path[:cut] for cut in range(len(path) + 1)):
            assert slim.line_of(*part) == document.line_of(*part)
            assert slim.value_line(*part) == document.value_line(*part)
            assert slim.value_col(*part) == document.value_col(*part)


def test_documents_with_the_same_keys_share_one_layout():
    slim = Slimmer()
    first, _ = parse_document("---\ntitle: 一\nindex_no: a\n---\n".encode(), "content/items/2021/a.md")
    second, _ = parse_document("---\n\ntitle: 二号\nindex_no: b\n---\n".encode(), "content/items/2021/b.md")
    assert first is not None and second is not None
    one, two = slim(first), slim(second)
    assert one.layout is two.layout
    assert (one.line_of("title"), two.line_of("title"), two.value_col("index_no")) == (2, 3, 11)


def test_the_build_streams_its_check_above_the_fork_limit(built, tmp_path, streamed):
    from tests.projects import build, hashes

    again = build(built.fixture, tmp_path / "streamed")
    assert hashes(again.site) == hashes(built.site)


def test_a_streamed_build_with_errors_leaves_the_site(site, streamed):
    from gongkai.commands.build import BuildFailed
    from tests.projects import build, earlier_site

    site.item("2021/01.md")
    site.item("2021/02.md", body=f"身份证号{ID}\n")
    target = earlier_site(site)
    with pytest.raises(BuildFailed, match="GK301"):
        build(site, target)
    assert sorted(entry.name for entry in target.iterdir()) == ["index.html", "sitemap.xml"]


def test_gongkai_check_of_a_site_above_the_limit_reads_a_chunk_at_a_time(site, monkeypatch):
    """`gongkai check` on a site larger than `max_items` (100,000 items read whole took 3.5 GB) streams as
    the build does: the same problems, the report limited to the files asked for, nothing kept whole."""
    from gongkai.checks import streaming

    write_troubled_items(site)
    expected = whole_check(site)
    chunks: list[int] = []
    original = streaming._streamed

    def counted(project, files, *args):
        chunks.append(len(files))
        return original(project, files, *args)

    monkeypatch.setattr(streaming, "_streamed", counted)
    settings_ = load_settings(site.root)
    for _ in range(2):  # the item cache cold, then warm
        problems, files_read, project = parallel.check_site(site.root, site.content, site.today, settings=settings_, max_items=1)
        assert problems == expected.problems and files_read == expected.files_read
        assert project.documents == {}
    assert len(chunks) == 2 and chunks[0] > 1
    wanted = sorted({p.path for p in expected.problems if p.path.startswith("content/items/")})[:1]
    only, _, _ = parallel.check_site(site.root, site.content, site.today, wanted, settings=settings_, max_items=1)
    assert only and {p.path for p in only} == set(wanted)
    assert parallel.check_site(site.root, site.content, site.today, settings=settings_)[0] == expected.problems
    assert len(chunks) == 3  # below the limit: not streamed


def test_a_streamed_check_stops_no_takedown_signed_after_the_link_to_it(site, streamed):
    """Reviewers sign 不予公开 for an item another item links, after that item's sign-off: the link's GK608 does not stop
    the build (`rules.blocking`), which takes the item down and leaves the link dead. A streamed check dropped the
    review records once the LOCAL families had read them, before the rules across items judged who signed later:
    the GK608 stopped the streamed build, and the page being taken down stayed online."""
    from gongkai import rules

    target = site.item("2021/down.md", disclosure="不予公开", signed=False)
    site.sign(target, date=dt.date(2021, 12, 1), opinion="不予公开")
    site.item("2021/link.md", body="见[通知](down.md)。\n")
    expected = whole_check(site)
    assert [p.code for p in expected.problems if p.is_error] == ["GK608"] and rules.blocking(expected.problems) == []
    for chunk in (1, 100):
        _, checked = streamed_check(site, chunk)
        assert checked == expected
        assert rules.blocking(checked.problems) == []


def test_a_streamed_check_of_a_site_without_items_judges_its_pages(site, monkeypatch):
    """The families that read only their own file judge the pages, catalog.yml, mkdocs.yml and the theme too, once a
    chunk of items: a site without an item yet (a new one) had them judged by nothing, and its build (streamed on a
    machine with one processor, or without fork) published a page holding an ID number."""
    from gongkai.checks.streaming import load_streamed

    (site.content / "items").mkdir(parents=True, exist_ok=True)
    (site.content / "pages").mkdir(parents=True, exist_ok=True)
    (site.content / "pages" / "contact.md").write_text(f"---\ntitle: 联系我们\n---\n联系人身份证号{ID}\n", encoding="utf-8")
    expected = whole_check(site)
    assert "GK301" in {p.code for p in expected.problems}
    assert load_streamed(site.root, site.content, site.today, load_settings(site.root))[1] == expected
    monkeypatch.setattr("os.cpu_count", lambda: 1)  # the build's check: one process, read a chunk at a time
    assert streamed_check(site, 100)[1] == expected
