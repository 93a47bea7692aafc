"""With JavaScript off (an old 政务 terminal, a locked-down browser): navigation, listings and their pages,
item pages, the header's search form and the phone menu work; the search page says that searching needs
JavaScript; switches that only a script could work are not shown."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def no_script(browser, request):
    context = browser.new_context(viewport=request.param, locale="zh-CN", java_script_enabled=False)
    yield context.new_page()
    context.close()


def _heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_navigation_listings_and_items_work_without_scripts(no_script, site_url):
    page = no_script
    page.goto(site_url)
    if page.viewport_size == PHONE:
        page.get_by_role("button", name="打开导航菜单").click()  # the drawer is a checkbox: no script needed
    page.locator("nav a:visible", has_text=re.compile("^\\s*发布机构\\s*$")).first.click()
    page.wait_for_url(site_url + "departments/")
    page.goto(site_url + "catalog/news/")
    first = page.locator("main li a[href*='items/']").first.inner_text()
    page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").click()
    page.wait_for_url(site_url + "catalog/news/page/2/")
    assert page.locator("main li a[href*='items/']").first.inner_text() != first
    page.goto(site_url + "items/2021/00001/")
    assert page.locator("table.gk-meta").is_visible() and page.get_by_role("link", name="补助标准表").is_visible()
    for needs_script in (".gk-switch", "[data-gk-print]", ".gk-toolbar__label"):
        assert page.locator(needs_script).first.is_hidden(), needs_script
    assert page.get_by_role("link", name="订阅").is_visible()


def test_the_search_page_says_it_needs_scripts(no_script, site_url):
    page = no_script
    page.goto(site_url + "catalog/")
    box = page.get_by_role("search").first.get_by_role("searchbox")
    box.fill("危房改造")
    box.press("Enter")  # the header's form is a plain GET form
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert _heading(page) == "站内搜索"
    assert "站内检索需要浏览器启用 JavaScript" in page.locator(".gongkai-search").inner_text()


def test_a_table_is_a_block_of_its_own_without_scripts(no_script, site_url):
    """Material draws a table inline-block until its script wraps it: text before it in the same block would run on
    into its first cell, where the scans read a line break."""
    page = no_script
    page.goto(site_url + "items/2021/00001/")  # its 补助标准 table
    table = page.locator(".gk-body table:not([class])").first
    assert table.evaluate("t => getComputedStyle(t).display") == "block"
    assert table.evaluate("t => t.parentElement.classList.contains('md-typeset__table')") is False
