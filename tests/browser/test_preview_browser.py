"""The preview in real Chromium: banners on items the site does not show, the problems page, a page that
reloads itself after a save, all under the site's Content-Security-Policy, without serious axe-core findings."""

from __future__ import annotations

import threading

import pytest

from gongkai.preview.messages import MkDocsLog
from gongkai.preview.pages import PreviewPages
from gongkai.preview.server import PreviewServer
from gongkai.preview.session import PreviewSession
from tests.browser.test_browser_site import AXE, axe_violations
from tests.browser.test_csp import _watch
from tests.projects import TODAY, make_project, unreviewed_item

pytestmark = pytest.mark.browser

DRAFT = unreviewed_item(901, "尚未审查的燃气安全通知", "{body}")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    fixture = make_project(tmp_path_factory.mktemp("preview") / "project", news=3)
    draft = fixture.item_path(2024, 901)
    draft.write_text(DRAFT.replace("{body}", "第一版正文。"), encoding="utf-8")
    pages = PreviewPages()
    session = PreviewSession(fixture.root, TODAY, MkDocsLog(lambda _: None), pages.page_globals)
    server = PreviewServer(("127.0.0.1", 0), session, pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield session, draft, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_an_unreviewed_item_shows_its_banner(desktop, preview):
    _, _, base = preview
    problems = _watch(desktop)
    desktop.goto(base + "items/2024/00901/")
    banner = desktop.locator(".gkp-banner__item")
    assert banner.is_visible()
    assert banner.locator(".gkp-chip").all_inner_texts() == ["待初审"]
    assert desktop.title().startswith("【预览】")
    assert desktop.locator(".gkp-corner").is_visible()
    desktop.goto(base + "items/2024/00001/")
    assert desktop.locator(".gkp-banner__item .gkp-chip").all_inner_texts() == ["定时发布 2024-07-10"]
    desktop.goto(base + "items/2023/00002/")
    assert desktop.locator(".gkp-banner__item .gkp-chip").all_inner_texts() == ["不公开"]
    desktop.goto(base + "catalog/news/")
    assert "待初审" in desktop.locator(".gk-entries").inner_text()
    assert problems == []


def test_the_problems_page_lists_what_would_stop_the_build(desktop, preview):
    _, _, base = preview
    problems = _watch(desktop)
    desktop.goto(base + "_preview/")
    assert desktop.get_by_role("heading", name="问题和未发布条目").is_visible()
    errors = desktop.locator("#errors ~ h3").first
    assert "content/items/2024/2024-00901.md" in errors.inner_text()
    desktop.get_by_role("link", name="预览此条目").first.click()
    desktop.wait_for_url(base + "items/2024/00901/")
    assert problems == []


def test_a_save_reloads_the_page(desktop, preview):
    session, draft, base = preview
    desktop.goto(base + "items/2024/00901/")
    assert "第一版正文" in desktop.locator(".gk-body").inner_text()
    draft.write_text(DRAFT.replace("{body}", "第二版正文。"), encoding="utf-8")
    session.apply([draft])  # as the watcher does after a save
    desktop.locator(".gk-body", has_text="第二版正文").wait_for(timeout=30000)


@pytest.mark.parametrize("url", ["items/2024/00901/", "_preview/", "catalog/news/"])
def test_no_serious_accessibility_violations(desktop, preview, url):
    assert AXE.exists(), "axe-core 未安装：请运行 npm ci（scripts/setup.sh --test）"
    _, _, base = preview
    desktop.goto(base + url)
    assert axe_violations(desktop) == []
