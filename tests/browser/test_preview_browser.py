"""The preview in real Chromium: banners on items the site does not show, the problems page, a page that
reloads itself after a save, all under the site's Content-Security-Policy, without serious axe-core findings."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from gongkai.preview import server
from gongkai.preview.messages import MkDocsLog
from gongkai.preview.pages import PreviewPages
from gongkai.preview.server import PreviewServer
from gongkai.preview.session import PreviewSession
from tests.browser.conftest import _QuietHandler
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


def test_another_sites_page_cannot_load_the_preview_but_its_links_open_it(desktop, preview, tmp_path, monkeypatch):
    """A page the editor visits elsewhere (here: another port of this machine) that embeds preview URLs gets
    nothing of the preview, whether the draft exists or not; a link from it still opens the preview."""
    _, _, base = preview
    draft, missing = base + "items/2024/00901/", base + "items/2024/00999/"
    probes = [draft + "?img", missing + "?img", draft + "?script", draft + "?frame", draft + "?fetch"]
    (tmp_path / "index.html").write_text(
        f'<!doctype html><img src="{probes[0]}"><img src="{probes[1]}"><script src="{probes[2]}"></script>'
        f'<iframe src="{probes[3]}"></iframe><script>fetch("{probes[4]}", {{mode: "no-cors"}})</script>'
        f'<a id="go" href="{draft}">预览</a>', encoding="utf-8")
    served: list[str] = []
    respond = server.respond

    def answering(session, pages, path):  # what the preview made an answer for (the real answer)
        served.append(path)
        return respond(session, pages, path)

    monkeypatch.setattr(server, "respond", answering)
    asked: list[str] = []
    desktop.on("request", lambda request: asked.append(request.url))
    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        desktop.goto(f"http://127.0.0.1:{elsewhere.server_address[1]}/", wait_until="networkidle")
        assert set(probes) <= set(asked)  # Chromium did send them
        assert served == []
        desktop.click("#go")
        desktop.wait_for_url(draft)
        assert served[0] == "/items/2024/00901/" and desktop.locator(".gkp-banner__item").is_visible()
    finally:
        elsewhere.shutdown()
        elsewhere.server_close()


@pytest.mark.parametrize("url", ["items/2024/00901/", "_preview/", "catalog/news/"])
def test_no_serious_accessibility_violations(desktop, preview, url):
    assert AXE.exists(), "axe-core 未安装：请运行 npm ci（scripts/setup.sh --test）"
    _, _, base = preview
    desktop.goto(base + url)
    assert axe_violations(desktop) == []
