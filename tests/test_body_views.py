"""body_views: one rendering per body for the checks, cached by content hash and code version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import body_views
from gongkai.body_views import BodyViews
from gongkai.digest import signed_body
from gongkai.sanitize import sanitize
from gongkai.settings import MarkdownOptions

OPTIONS = MarkdownOptions(("tables",), {})
BODY = "正文<img src=x onerror=y>\n\n| 乡镇 | 电话 |\n|---|---|\n| 禾丰镇 | 13912345678 |\n"


def _file(views: BodyViews) -> Path:
    assert views.file is not None
    return views.file


def test_a_view_holds_the_removals_and_the_text_readers_see(tmp_path):
    view = BodyViews(OPTIONS, tmp_path, "code-1").of(BODY)
    assert [(removal.kind, removal.tag, removal.attribute) for removal in view.removals] == [("attribute", "img", "onerror")]
    assert view.reader.units == ("正文", "乡镇", "电话", "禾丰镇", "13912345678")


def test_a_body_viewed_before_is_read_back_without_rendering(tmp_path, monkeypatch):
    first = BodyViews(OPTIONS, tmp_path, "code-1")
    view = first.of(BODY)
    first.flush()
    assert first.file is not None and first.file.is_file()
    monkeypatch.setattr(body_views, "removals", lambda html: pytest.fail("sanitised again"))
    again = BodyViews(OPTIONS, tmp_path, "code-1")
    monkeypatch.setattr(again.renderer, "render", lambda text: pytest.fail("rendered again"))
    assert again.of(BODY) == view


def test_a_changed_body_option_or_code_is_never_served_a_stale_view(tmp_path):
    views = BodyViews(OPTIONS, tmp_path, "code-1")
    views.of("甲")
    views.flush()
    keys = {
        views.key("甲"),
        views.key("甲。"),
        BodyViews(OPTIONS, tmp_path, "code-2").key("甲"),
        BodyViews(MarkdownOptions(("tables", "footnotes"), {}), tmp_path, "code-1").key("甲"),
    }
    assert len(keys) == 4
    # A view stored under the old code is not what the new code reads for the same text.
    with sqlite3.connect(_file(views)) as connection:
        old = views._sealed(views.key("甲"), '[[], ["旧的文字"], [], [], [], null, null, [], []]')
        connection.execute("UPDATE views SET value = ?", (old,))
    assert BodyViews(OPTIONS, tmp_path, "code-2").of("甲").reader.units == ("甲",)
    assert BodyViews(OPTIONS, tmp_path, "code-1").of("甲").reader.units == ("旧的文字",)  # the same key: a hit


@pytest.mark.parametrize("stored", ["not json", "[1, 2]", '[[["attribute"]], ["x"], [], [], [], null, null, [], []]',
                                    '[[], [1], [], [], [], null, null, [], []]', '[[], ["x"], [], [2], [], null, null, [], []]',
                                    '[[], ["x"], [], [], [3], null, null, [], []]', '[[], ["x"], [], [], [], null, null, [4], []]',
                                    '[[], ["x"], [], [], [], null, null, [], [5]]', '[[], ["x"], [], [], [], null, null, []]',
                                    '[[], ["x"], []]', '{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}'])
def test_an_unreadable_entry_is_rendered_again(tmp_path, stored):
    views = BodyViews(OPTIONS, tmp_path, "code-1")
    views.of("甲")
    views.flush()
    with sqlite3.connect(_file(views)) as connection:  # as this machine's gongkai would seal it: read, then refused
        connection.execute("UPDATE views SET value = ?", (views._sealed(views.key("甲"), stored),))
    assert BodyViews(OPTIONS, tmp_path, "code-1").of("甲").reader.units == ("甲",)


def test_an_unusable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    views = BodyViews(OPTIONS, blocker, "code-1")
    assert views.of("正文").reader.units == ("正文",)
    views.flush()
    (tmp_path / "garbage").mkdir()
    garbage = BodyViews(OPTIONS, tmp_path / "garbage", "code-1")
    assert garbage.file is not None
    garbage.file.write_bytes(b"not a database")
    assert garbage.of("正文").reader.units == ("正文",)


def test_without_a_cache_folder_nothing_is_written(tmp_path):
    views = BodyViews(OPTIONS)
    assert views.of("正文").reader.units == ("正文",)
    views.flush()
    assert list(tmp_path.iterdir()) == []


def test_a_cache_committed_to_the_repository_is_never_read_on_another_machine(tmp_path, monkeypatch):
    """Keys carry this machine's secret: a poisoned views file is read only where it was made."""
    from gongkai.cache_store import code_fingerprint
    from gongkai.machine_secret import machine_secret

    def views_on(machine: str) -> BodyViews:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / machine))
        machine_secret.cache_clear()
        return BodyViews(OPTIONS, tmp_path / "cache", code_fingerprint())

    clean = "联系人王五，电话请见附件。\n"
    attacker = views_on("attacker")
    attacker.of(clean)
    attacker.of(BODY)
    attacker.flush()
    with sqlite3.connect(_file(attacker)) as connection:  # every view now says what the clean body said
        (value,) = connection.execute("SELECT value FROM views WHERE key = ?", (attacker.key(clean),)).fetchone()
        connection.execute("UPDATE views SET value = ?", (value,))
    assert "13912345678" in views_on("attacker").of(BODY).reader.text  # a value moved to another key is read nowhere …
    assert "13912345678" in views_on("ci").of(BODY).reader.text  # … neither where it was made nor elsewhere
    assert views_on("ci").page(BODY) is None  # nor does the build print what a committed file holds
    machine_secret.cache_clear()


@pytest.mark.parametrize("edit", [("<h2", "<script>alert(1)</script><h2"), ("工作目标", "假的目标"), ("禾丰镇", "13912345678")])
def test_a_value_edited_where_it_was_made_is_never_read(tmp_path, edit):
    """Keys are visible in the file: a views file committed, restored from a CI cache or copied back
    after someone edited a row's value must never make the build print that HTML (printed as it is,
    unsanitised) nor the check read that text; the body is rendered again instead."""
    body = "## 一、工作目标\n\n| 乡镇 | 人数 |\n|---|---|\n| 禾丰镇 | 12 |\n"
    views = BodyViews(OPTIONS, tmp_path, "code-1")
    view = views.of(body)
    views.flush()
    with sqlite3.connect(_file(views)) as connection:
        (value,) = connection.execute("SELECT value FROM views").fetchone()
        assert edit[0] in value
        connection.execute("UPDATE views SET value = ?", (value.replace(edit[0], edit[1]),))
    again = BodyViews(OPTIONS, tmp_path, "code-1")
    page = again.page(body)
    assert page is None
    assert again.of(body) == view


def test_the_build_prints_the_sanitised_html_the_check_read(tmp_path):
    body = "## 一、工作目标\n\n正文<span onclick=x>说明</span>\n\n| 乡镇 | 电话 |\n|---|---|\n| 禾丰镇 | 0791-1234567 |\n"
    options = MarkdownOptions(("toc", "tables"), {})
    views = BodyViews(options, tmp_path, "code-1")
    view = views.of(body)
    views.flush()
    page = BodyViews(options, tmp_path, "code-1").page(body)
    assert page is not None
    assert page.html == sanitize(views.renderer.render(body)) and "onclick" not in page.html
    assert page.text == view.reader.text
    assert [(heading["level"], heading["id"], heading["name"]) for heading in page.headings] == [(2, "_1", "一、工作目标")]


@pytest.mark.parametrize("body", ["见[附件](a.pdf)。", "![图](a.png)", "<a href='b.md'>链接</a>", "<IMG SRC=a.png>",
                                  "脚注[^1]\n\n[^1]: 说明\n"])
def test_a_body_with_a_link_or_image_is_rendered_by_the_build(tmp_path, body):
    """MkDocs rewrites links and images relative to each page: the check's HTML is not the page's."""
    options = MarkdownOptions(("footnotes",), {})
    views = BodyViews(options, tmp_path, "code-1")
    views.of(body)
    views.flush()
    assert BodyViews(options, tmp_path, "code-1").page(body) is None


def test_no_page_body_without_a_stored_view(tmp_path):
    assert BodyViews(OPTIONS, tmp_path, "code-1").page("从未检查过的正文") is None
    assert BodyViews(OPTIONS).page("正文") is None


def test_views_are_written_in_batches(tmp_path, monkeypatch):
    """A check of many bodies never holds every rendered page in memory until its end: between files (never while one
    is read, on its clock) the views are written once BATCH wait."""
    monkeypatch.setattr(body_views, "BATCH", 3)
    views = BodyViews(OPTIONS, tmp_path, "code-1")
    for number in range(7):
        views.of(f"第{number}条")
        views.flush_due()
    with sqlite3.connect(_file(views)) as connection:
        assert connection.execute("SELECT count(*) FROM views").fetchone() == (6,)
    views.flush()
    with sqlite3.connect(_file(views)) as connection:
        assert connection.execute("SELECT count(*) FROM views").fetchone() == (7,)


def test_a_new_code_version_removes_the_views_of_the_others_when_it_writes(tmp_path):
    """An upgrade re-renders every body under new keys: the old ones would stay forever (≈ 11 KB a body). Each version
    has a file of its own, removed whole by the first write of another: deleting its rows from one shared file took a
    minute and a write-ahead log as large as the file at 100,000 bodies."""
    old = BodyViews(OPTIONS, tmp_path, "code-1")
    for number in range(5):
        old.of(f"第{number}条")
    old.flush()
    other_options = BodyViews(MarkdownOptions(("footnotes",), {}), tmp_path, "code-1")
    other_options.of("第0条")
    other_options.flush()
    assert other_options.file == old.file  # one version, one file, whatever the options
    earlier = tmp_path / "bodies.sqlite"  # the one file of every version before each had its own
    earlier.write_bytes(b"views of an earlier gongkai")
    (tmp_path / "bodies.sqlite-wal").write_bytes(b"")
    kept = [tmp_path / "items.sqlite", tmp_path / "bodies-notes.txt"]
    for path in kept:
        path.write_bytes(b"not a file of the views")
    reader = BodyViews(OPTIONS, tmp_path, "code-2")
    assert reader.of("第0条").reader.units == ("第0条",)  # only read: nothing removed yet
    assert old.file is not None and old.file.is_file() and earlier.is_file()
    assert BodyViews(OPTIONS, tmp_path, "code-1").page("第0条") is not None
    reader.flush()
    assert reader.file is not None
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("bodies")) == sorted(
        [reader.file.name, reader.file.name + "-shm", reader.file.name + "-wal", "bodies-notes.txt"])
    assert all(path.is_file() for path in kept)
    assert BodyViews(OPTIONS, tmp_path, "code-1").page("第0条") is None
    again = BodyViews(OPTIONS, tmp_path, "code-2")  # the same version keeps what it wrote
    again.of("第9条")
    again.flush()
    with sqlite3.connect(_file(reader)) as connection:
        assert connection.execute("SELECT count(*) FROM views").fetchone() == (2,)


@settings(max_examples=150, deadline=None)
@given(body=st.lists(st.sampled_from([*"Ab: \t\n#*-|>1.", "Note: ", "正文", "    "]), max_size=30).map("".join),
       before=st.text(alphabet=" \t\n", max_size=6), after=st.text(alphabet=" \t\n", max_size=6))
def test_a_body_renders_as_signed_whatever_blank_lines_surround_it(body, before, after):
    """What the review digest leaves out (blank lines around the body) cannot change what readers see."""
    if before and not before.endswith("\n"):
        before += "\n"
    views = BodyViews(MarkdownOptions(("meta", "tables", "footnotes", "md_in_html"), {}))
    plain, padded = views.of(signed_body(body)), views.of(before + body + "\n" + after)
    assert padded == plain
    assert views.key(signed_body(before + body + "\n" + after)) == views.key(signed_body(body))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["甲", " ", "\n", "[", "]", "(", ")", "<", ">", "a", "href=", '"', "{:", "}", "/items/", "x.md",
                                  "https://", "www.", "ftp.", "example.org", "&#91;", "&lt;", ":", "!", "^1", "#",
                                  "/// html | a\n    attrs:\n      href: /items/\n\n", "/// note\n    attrs:\n      href: x\n\n",
                                  "///\n"]),
                max_size=30).map("".join))
def test_a_body_without_a_links_sign_has_no_link(body):
    """`BodyViews.links` skips reading the view of a body without any sign a link needs: it must hold none."""
    views = BodyViews(MarkdownOptions(("tables", "footnotes", "attr_list", "md_in_html", "toc", "pymdownx.magiclink",
                                       "pymdownx.blocks.html", "pymdownx.blocks.admonition"), {}))
    if views.links(body) == ():
        assert views.of(body).links == ()


def test_links_outlive_the_views_a_streamed_check_drops(monkeypatch):
    """A streamed check drops each chunk's views (`forget`); the families that follow links across items read every
    body's links afterwards: from what the chunk's rendering kept, not by rendering it again or keeping its view."""
    views = BodyViews(OPTIONS)
    body = '见[通知](../../2021/00001/)和<img src="a.png" alt="图">。'
    assert views.of(body).links == ("../../2021/00001/", "a.png")
    views.forget()
    monkeypatch.setattr(views.renderer, "render", lambda text: pytest.fail("rendered again"))
    assert views.links(body) == ("../../2021/00001/", "a.png") and views._memory == {}
    assert views.links("没有链接的正文。") == ()
