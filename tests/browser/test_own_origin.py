"""Readers' browsers talk to the site alone: every kind of page of the public and the members' site,
built with every Material setting `gongkai check` accepts (all supported features, a repository on
GitHub, home and social links), asks nothing of another origin, breaks no rule of the
Content-Security-Policy and logs no error — the CSP would block a foreign request, so a violation is
how a page that tried shows itself."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from gongkai.site_config import FEATURES
from tests.browser.conftest import _QuietHandler
from tests.projects import build, make_project, write_item

pytestmark = pytest.mark.browser

PAGES = ["", "items/2021/00001/", "items/2023/00001/", "items/2022/00001/", "catalog/", "catalog/policy/",
         "catalog/news/", "catalog/news/page/2/", "departments/", "departments/office/", "years/", "years/2021/",
         "pages/guide/", "report/", "report/2023/", "catalog/consult/", "items/2024/00060/", "series/water/",
         "catalog/party/", "search/", "search/?q=%E5%8D%B1%E6%88%BF#gk-x", "search/?q=%E9%80%9A%E7%9F%A5&page=2&sort=asc",
         "404.html"]
MEMBERS_PAGES = ["", "items/2023/00061/", "catalog/party/", "search/?q=%E5%85%9A"]
# Titles (a link's, an abbreviation's) whose text is markup: a reader must see it as text, wherever
# a script shows a title (Material's tooltips put it into the page as HTML).
TITLED = ('见[国务院网站](https://www.gov.cn/ "<b gkinjected=1>说明</b><img src=x onerror=__gk_xss(1)>")和'
          '<abbr title="<i gkinjected=1>缩写</i><img src=x onerror=__gk_xss(2)>">住建</abbr>。')
SETTINGS = (
    "repo_url: https://github.com/qinghe-zjj/site\n"
    "extra:\n  homepage: https://www.qinghe.gov.cn/\n"
    "  social:\n    - icon: fontawesome/brands/weixin\n      link: https://weixin.qq.com/\n"
)


def _serve(site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    fixture = make_project(tmp_path_factory.mktemp("origin") / "project", news=25)
    config = fixture.root / "mkdocs.yml"
    features = "".join(f"    - {name}\n" for name in sorted(FEATURES))
    text = config.read_text(encoding="utf-8").replace("  features:\n    - navigation.tabs\n", "  features:\n" + features, 1)
    assert features in text
    config.write_text(text + SETTINGS, encoding="utf-8")
    write_item(fixture.root, 2023, 901, TITLED, title="带说明文字的链接", category="动态信息", published=dt.date(2023, 6, 1))
    servers = [_serve(build(fixture, fixture.root / "site").site),
               _serve(build(fixture, fixture.root / "site-party", audience="党内").site)]
    yield [f"http://127.0.0.1:{server.server_address[1]}/" for server in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


def test_no_page_asks_another_origin_or_breaks_the_policy(browser, sites):
    public, members = sites
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    page = context.new_page()
    found: list[tuple[str, str]] = []
    at = {"url": ""}
    own = (public, members, "data:")
    page.on("request", lambda request: None if request.url.startswith(own) else found.append((at["url"], request.url)))
    page.on("console", lambda message: found.append((at["url"], message.text)) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: found.append((at["url"], str(error))))
    for url in [public + path for path in PAGES] + [members + path for path in MEMBERS_PAGES]:
        at["url"] = url
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if "?q=" in url:
            page.locator('.gongkai-search[data-busy="false"]').wait_for(state="attached")
        page.mouse.move(300, 300)  # hover and focus features act on what the pointer is over
        page.keyboard.press("Tab")
    context.close()
    assert found == []


def test_a_link_to_another_site_tells_it_at_most_our_origin_and_the_members_site_nothing(browser, sites):
    public, members = sites
    told: list[str | None] = []

    def another_site(route) -> None:
        told.append(route.request.headers.get("referer"))
        route.fulfill(body="", content_type="text/html")

    context = browser.new_context(locale="zh-CN")
    context.route("https://beian.mps.gov.cn/**", another_site)
    page = context.new_page()
    for site in (public, members):
        page.goto(site + "search/?q=%E5%8D%B1%E6%88%BF")
        page.locator('a[href^="https://beian.mps.gov.cn/"]').first.click()
        page.wait_for_url("https://beian.mps.gov.cn/**")
    context.close()
    assert told == [public, None]


def test_a_title_is_never_read_as_markup(browser, sites):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)  # what the escaping does, not the policy
    context.add_init_script("window.__gk_xss = n => { (window.__gk_ran = window.__gk_ran || []).push(n) }")
    page = context.new_page()
    page.goto(sites[0] + "items/2023/00901/")
    page.wait_for_load_state("networkidle")
    for element in (page.locator(".gk-body a[href^='https://www.gov.cn']"), page.locator(".gk-body abbr")):
        element.hover()  # Material's tooltips (content.tooltips) made one from the title at once, as HTML
        element.focus()
    found = page.evaluate("() => [document.querySelectorAll('[gkinjected]').length, window.__gk_ran || []]")
    context.close()
    assert found == [0, []]
