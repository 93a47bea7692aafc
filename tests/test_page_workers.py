"""Item pages rendered on two processes (page_workers): the same bytes as one process, and a worker
that fails or dies fails the build in Chinese, leaves site/ as it was and never hangs."""

from __future__ import annotations

import gc
import os
import shutil
import time

import pytest

from gongkai import gc_pause, page_workers
from gongkai.body_views import BodyViews
from gongkai.commands.build import BuildFailed
from gongkai.mkdocs_plugin import GongkaiPlugin
from tests.projects import build, hashes, make_project, write_item


@pytest.fixture
def shared(monkeypatch):
    """Every item page of the fixture site is dealt to the two processes, a few at a time."""
    monkeypatch.setattr(page_workers, "MIN_PAGES", 1)
    monkeypatch.setattr(page_workers, "CHUNK_PAGES", 3)


def test_pages_rendered_on_two_processes_equal_one_process(built, tmp_path, shared, monkeypatch):
    dealt: list[str] = []
    render_here = page_workers.SharedPages.render_here

    def counted(self, gathered):
        dealt.extend(self.sources)
        render_here(self, gathered)

    monkeypatch.setattr(page_workers.SharedPages, "render_here", counted)
    twice = build(built.fixture, tmp_path / "shared")
    assert len(dealt) == len(_item_pages(built.fixture))  # every item page went to the workers
    assert hashes(twice.site) == hashes(built.site)  # search index included: every text came back


def test_items_are_rendered_newest_first(built, tmp_path, shared, monkeypatch):
    """The order the search index takes them, so that its first shards are ready first."""
    order: list[str] = []
    monkeypatch.setattr(page_workers.SharedPages, "start", lambda self, prepare: order.extend(self.sources))
    build(built.fixture, tmp_path / "one")
    plugin_pages = {page.source_path: page for page in _item_pages(built.fixture)}
    indexed = [plugin_pages[source] for source in order if not plugin_pages[source].withdrawn]
    dates = [page.entry.published for page in indexed if page.entry is not None]
    assert dates == sorted(dates, reverse=True) and len(order) == len(plugin_pages)


def test_item_pages_print_the_bodies_the_check_rendered(tmp_path, shared, monkeypatch):
    """A body without links or images is printed as the check rendered and sanitised it: the same
    bytes as MkDocs rendering it; a body with a link is rendered by MkDocs, which rewrites it."""
    fixture = make_project(tmp_path / "project")
    linked = "见[上一份文件](../2021/2021-00001.md)。"
    write_item(fixture.root, 2024, 90, linked, title="有链接的动态", category="动态信息")
    for serial, body in enumerate(MARKUP_AS_TEXT, start=91):  # bodies the check passes that read like markup
        write_item(fixture.root, 2024, serial, body, title=f"写出标记的动态{serial}", category="动态信息")
    printed: list[str] = []
    rendered: list[str] = []
    page_of = BodyViews.page

    def recorded(self, markdown):
        found = page_of(self, markdown)
        (printed if found is not None else rendered).append(markdown)
        return found

    monkeypatch.setattr(BodyViews, "page", recorded)
    monkeypatch.setattr(page_workers.SharedPages, "start", lambda self, prepare: None)  # every page here, seen
    printing = build(fixture, tmp_path / "printing")
    # Sets: a rebuild-sized build also looks each body up once before rendering, to index it early.
    assert len(set(printed)) >= 10 and {markdown.strip() for markdown in rendered if markdown} == {linked}  # "": a withdrawn item
    monkeypatch.setattr(GongkaiPlugin, "_checked_bodies", lambda self, config: None)
    rendering = build(fixture, tmp_path / "rendering")
    assert hashes(printing.site) == hashes(rendering.site)
    assert all(body.strip() in [markdown.strip() for markdown in printed] for body in MARKUP_AS_TEXT)
    pages = "".join(page.read_text(encoding="utf-8") for page in (printing.site / "items" / "2024").rglob("index.html"))
    assert "<script>alert" not in pages and "&lt;script&gt;alert(1)&lt;/script&gt;" in pages


# Text that looks like markup where the check lets it be: code, escapes, entities, headings and cells
# with angle brackets and ampersands (their table-of-contents titles are printed from the stored headings).
MARKUP_AS_TEXT = (
    "代码 `<script>alert(1)</script>` 只是文字。",
    "不等式 a < b 且 c > d，书名号 << 文件 >>，尖括号 < img >。",
    "实体 &lt;iframe src=javascript:alert(1)&gt; 与 &amp;amp;。",
    "## 标题 <数据> & “引号” `<b>`\n\n正文。\n\n### 二级 &lt;script&gt;\n\n正文。",
    "| 项目 | 说明 |\n|---|---|\n| `<svg onload=alert(1)>` | a &lt; b &gt; c |\n",
    "```\n<script>alert(1)</script>\n```\n",
)


def _item_pages(fixture):
    from gongkai.project import load_project
    from gongkai.site import plan_site
    from gongkai.site.pages import ItemPage
    from gongkai.site_config import load_settings

    settings = load_settings(fixture.root)
    project = load_project(fixture.root, settings.content_dir)
    return [page for page in plan_site(project, fixture.today, settings.site).pages if isinstance(page, ItemPage)]


@pytest.fixture
def project(tmp_path):
    """A built project whose next build renders every page again (no page cache)."""
    fixture = make_project(tmp_path / "project", news=3)
    build(fixture, fixture.root / "site")
    shutil.rmtree(fixture.root / ".gongkai-cache")
    return fixture


def test_a_worker_that_dies_fails_the_build_and_leaves_the_site(project, shared, monkeypatch):
    before = hashes(project.root / "site")
    monkeypatch.setattr(GongkaiPlugin, "_prepare_child", lambda self: os._exit(9))  # as if killed for memory
    with pytest.raises(BuildFailed) as failed:
        build(project, project.root / "site")
    message = str(failed.value)
    assert "生成页面的子进程意外退出" in message and "原有的 site/ 保持不变" in message
    assert "Traceback" not in message
    assert hashes(project.root / "site") == before
    assert sorted(p.name for p in project.root.iterdir() if p.name != ".gongkai-cache") == [
        "content", "mkdocs.yml", "site", "theme_overrides"]


def test_a_worker_that_fails_reports_why(project, shared, monkeypatch):
    before = hashes(project.root / "site")

    def broken(self, source):
        if os.getpid() != parent:
            raise ValueError("模板出错")
        render(self, source)

    parent = os.getpid()
    render = GongkaiPlugin._render_deferred
    monkeypatch.setattr(GongkaiPlugin, "_render_deferred", broken)
    with pytest.raises(BuildFailed, match="生成页面失败：模板出错"):
        build(project, project.root / "site")
    assert hashes(project.root / "site") == before


def test_a_failure_here_stops_the_worker(project, shared, monkeypatch):
    before = hashes(project.root / "site")

    failed = project.root / "parent-failed"

    def broken(self, source):
        if os.getpid() == parent:
            failed.touch()
            raise ValueError("本进程出错")
        render(self, source)

    def slow(self):
        deadline = time.monotonic() + 60  # the parent takes the first chunk, however loaded the machine
        while not failed.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        prepare(self)

    parent = os.getpid()
    render, prepare = GongkaiPlugin._render_deferred, GongkaiPlugin._prepare_child
    monkeypatch.setattr(GongkaiPlugin, "_render_deferred", broken)
    monkeypatch.setattr(GongkaiPlugin, "_prepare_child", slow)
    with pytest.raises(BuildFailed, match="本进程出错"):
        build(project, project.root / "site")
    assert hashes(project.root / "site") == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site.new")]


def test_a_script_assembled_on_the_pages_of_either_process_stops_the_build(project, shared, monkeypatch):
    """The item pages rendered outside MkDocs' loop are judged as its own (rt31 H6): in the child, and here."""
    from tests.projects import own_theme

    before = hashes(project.root / "site")
    footer = own_theme(project.root) / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "{% if page and page.url.startswith('items/') %}"
                      '<scr{# x #}ipt src="/attachments/a.pdf"></script>{% endif %}\n', encoding="utf-8")
    with pytest.raises(BuildFailed, match=r"页面 items/\d{4}/\d{5}/index\.html 中有 gongkai 和 Material 自带脚本以外的"):
        build(project, project.root / "site")  # whichever process meets it first
    assert hashes(project.root / "site") == before
    monkeypatch.setattr(page_workers.SharedPages, "render_here", lambda self, gathered: None)  # every chunk the child's
    with pytest.raises(BuildFailed, match=r"生成页面失败：页面 items/\d{4}/\d{5}/index\.html 中有 gongkai 和 Material"):
        build(project, project.root / "site")
    assert hashes(project.root / "site") == before


def test_small_sites_render_in_one_process():
    assert not page_workers.wanted(page_workers.MIN_PAGES - 1)
    assert page_workers.wanted(page_workers.MIN_PAGES) == ((os.cpu_count() or 1) >= 2)
    assert not page_workers.wanted(page_workers.MAX_PAGES + 1)


def test_above_the_fork_limit_items_are_rendered_here_one_at_a_time(built, tmp_path, shared, monkeypatch):
    """Out of MkDocs' loop (which would hold every page's HTML until it writes the first), without a worker."""
    monkeypatch.setattr(page_workers, "MAX_PAGES", 0)
    forked: list[object] = []
    rendered: list[str] = []
    render = GongkaiPlugin._render_deferred
    monkeypatch.setattr(page_workers.SharedPages, "start", lambda self, prepare: forked.append(self))

    def counted(self, source):
        rendered.append(source)
        render(self, source)

    monkeypatch.setattr(GongkaiPlugin, "_render_deferred", counted)
    again = build(built.fixture, tmp_path / "here")
    assert not forked and len(rendered) == len(_item_pages(built.fixture))
    assert hashes(again.site) == hashes(built.site)


def test_a_build_on_two_processes_leaves_no_object_frozen(built, tmp_path, shared):
    """The objects frozen for the child (so that neither process's collector scans them) are let go when the pages
    are done, and nothing frozen is left for the next build: a leftover freeze made every later build keep its
    garbage cycles and walk a growing frozen list."""
    holds = gc_pause._holds
    gc.unfreeze()  # what earlier tests in this process froze is not this build's
    build(built.fixture, tmp_path / "shared")
    assert gc_pause._holds == holds
    assert gc.get_freeze_count() == 0 or holds > 0
