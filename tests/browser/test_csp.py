"""Under the site's Content-Security-Policy the whole site works (search included) without a single
violation, and a script injected into a page is blocked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.site.csp import HEADER_POLICY, PAGE_POLICY

pytestmark = pytest.mark.browser

PAGES = ["", "items/2021/00001/", "items/2023/00001/", "catalog/", "catalog/news/", "catalog/news/page/2/", "departments/office/",
         "years/2024/", "pages/guide/", "report/", "report/2023/", "search/?q=%E5%8D%B1%E6%88%BF", "404.html"]


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return problems


def test_every_page_carries_the_policy(desktop, site_url):
    for url in PAGES:
        desktop.goto(site_url + url)
        assert desktop.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content") == PAGE_POLICY, url


def test_the_whole_site_works_under_the_policy(desktop, site_url):
    problems = _watch(desktop)
    for url in PAGES:
        desktop.goto(site_url + url)
        desktop.wait_for_load_state("networkidle")
        assert desktop.evaluate("typeof __md_get") == "function", url  # Material's helpers loaded from a file
        if url.startswith("search/"):
            # a selector's wait: the policy refuses wait_for_function's eval once it has to poll
            desktop.locator('.gongkai-search[data-busy="false"]').wait_for(state="attached")
            assert desktop.locator(".gongkai-search__results li").count() > 0  # Pagefind ran: WebAssembly and its worker
    desktop.get_by_role("button", name=re.compile("A\\+")).first.click()
    assert [p for p in problems if "404" not in p] == []


def test_an_injected_script_is_blocked(desktop, site_url, tmp_path):
    page_html = desktop.request.get(site_url + "items/2021/00001/").text()
    injected = page_html.replace(
        '<div class="gk-body">',
        '<div class="gk-body"><script>window.__gk_ran = 1</script><img src="x" onerror="window.__gk_ran = 2">'
        '<a id="gk-click" href="javascript:window.__gk_ran=3">x</a><iframe src="https://example.invalid/"></iframe>'
        '<object data="x.swf"></object>',
    )
    assert injected != page_html
    desktop.route(site_url + "items/2021/00001/injected.html", lambda route: route.fulfill(body=injected, content_type="text/html"))
    violations: list[str] = []
    desktop.on("console", lambda message: violations.append(message.text))
    desktop.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP: ' + e.violatedDirective))"
    )
    desktop.goto(site_url + "items/2021/00001/injected.html")
    desktop.wait_for_load_state("networkidle")
    desktop.click("#gk-click")
    assert desktop.evaluate("window.__gk_ran") is None
    blocked = " ".join(violations)
    for directive in ("script-src-elem", "script-src-attr", "frame-src", "object-src"):
        assert f"CSP: {directive}" in blocked, blocked


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "网站.md"


def guide_headers() -> list[dict[str, str]]:
    """The headers each nginx server example of docs/网站.md adds (public site, members' site)."""
    blocks = re.findall(r"```nginx\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [dict(re.findall(r'add_header ([\w-]+) "([^"]*)" always;', block)) for block in blocks]


def test_every_server_example_of_the_guide_sends_the_policy_and_refuses_framing():
    examples = guide_headers()
    assert len(examples) == 2
    for headers in examples:
        assert headers["Content-Security-Policy"] == HEADER_POLICY
        assert headers["X-Frame-Options"] == "SAMEORIGIN"  # browsers that do not know frame-ancestors
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin")


def test_served_with_the_guides_headers_the_site_works_and_only_itself_can_frame_it(desktop, site_url):
    headers = guide_headers()[0]

    def with_headers(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, **headers})

    desktop.route(site_url + "**", with_headers)
    problems = _watch(desktop)
    desktop.goto(site_url + "search/?q=%E5%8D%B1%E6%88%BF")
    desktop.locator('.gongkai-search[data-busy="false"]').wait_for()  # the header's policy forbids a string predicate
    assert desktop.locator(".gongkai-search__results li").count() > 0
    assert problems == []

    framing = f'<!doctype html><title>x</title><iframe src="{site_url}items/2021/00001/"></iframe>'
    for framer in (site_url + "framer.html", "http://framer.example/"):
        desktop.route(framer, lambda route: route.fulfill(body=framing, content_type="text/html"))
        desktop.goto(framer)
        desktop.wait_for_load_state("networkidle")
        child = desktop.frames[1]
        shown = child.url.startswith(site_url) and child.locator("h1").count() == 1
        assert shown is framer.startswith(site_url), (framer, child.url)
