"""The fixture site built with `gongkai build`, served over HTTP on 127.0.0.1, driven by real Chromium."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on loopback, as a static host would serve a built site; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def served_item(folder: Path, serial: int, body: str, title: str) -> Iterator[str]:
    """A fixture project with one more item of this year, `body` under `title`, built and served: yields its page's address."""
    from tests.projects import TODAY, build, make_project, write_item

    fixture = make_project(folder / "project", news=1)
    write_item(fixture.root, TODAY.year, serial, body, title=title, category="动态信息", published=TODAY)
    with serving(build(fixture, fixture.root / "site").site) as url:
        yield f"{url}items/{TODAY.year}/{serial:05d}/"


@pytest.fixture(scope="session")
def site_url(built):
    """The session's fixture site (tests/conftest.py), served: the browser only reads it."""
    with serving(built.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(playwright_driver):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"浏览器测试需要 {CHROMIUM}：请运行 scripts/setup.sh --test")
    # A launch from a cold disk under the suite's load took more than Playwright's 180 s once (scripts/test.sh reads
    # Chromium ahead): waiting longer costs less than failing every browser test of the worker.
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=600_000)
    yield chromium
    chromium.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2)
    yield context.new_page()
    context.close()
