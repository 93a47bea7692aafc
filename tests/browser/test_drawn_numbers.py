"""The numbers and line breaks Chromium draws are the ones the scans read: a numbered list is numbered in digits at
every depth, the lists the templates number end each number with 、, and a printed page breaks inline code and keys
into no lines the screen does not show."""

from __future__ import annotations

import pytest

from tests.browser.conftest import served_item

pytestmark = pytest.mark.browser

BODY = "\n\n".join([
    "正文。",
    "1. 甲\n    1. 乙\n        1. 丙\n            1. 丁\n                1. 戊\n                    1. 己",
    "- 甲\n    12. 乙",
    '<ol><li>甲<ol start="12"><li>乙<ol start="50"><li>丙</li></ol></li></ol></li></ol>',
    '<p id="probe-code">正文<code>甲\n<b>机密</b>\n乙</code>正文</p>',
    '<p id="probe-kbd">说明如下：<kbd>甲\n注意<i></i>保存\n乙</kbd>。</p>',
])


@pytest.fixture(scope="module")
def item_url(tmp_path_factory):
    with served_item(tmp_path_factory.mktemp("drawn"), 91, BODY, "关于列表编号的测试通知") as url:
        yield url


def _markers(page) -> list[str]:
    """The list markers of the page's accessibility tree, as a screen reader reads them."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    return [n["name"]["value"] for n in tree if n.get("role", {}).get("value") == "ListMarker" and n.get("name")]


@pytest.mark.parametrize("media", ["screen", "print"])
def test_every_numbered_list_of_the_text_is_numbered_in_digits(desktop, item_url, media):
    page = desktop
    page.emulate_media(media=media)
    page.goto(item_url)
    styles = page.locator(".gk-body ol").evaluate_all("lists => lists.map(ol => getComputedStyle(ol).listStyleType)")
    assert len(styles) == 10 and set(styles) == {"decimal"}, styles


def test_the_lists_of_the_templates_keep_their_own_style(desktop, item_url, site_url):
    """The breadcrumbs draw no numbers; the attachments and search results end theirs with 、."""
    page = desktop
    for address in (item_url, site_url + "items/2021/00001/", site_url + "search/?q=补助"):
        page.goto(address)
        assert page.locator(".gk-crumbs ol").evaluate("ol => getComputedStyle(ol).listStyleType") == "none"
        outside = page.locator("ol").evaluate_all(
            "lists => lists.filter(ol => !ol.closest('.gk-body')).map(ol => getComputedStyle(ol).listStyleType)")
        assert set(outside) <= {"none", "gk-enumeration"}, (address, outside)


def test_the_printed_page_keeps_inline_code_and_keys_on_the_lines_the_screen_shows(desktop, item_url):
    page = desktop
    page.goto(item_url)
    on_screen = {probe: page.locator(f"#{probe}").inner_text() for probe in ("probe-code", "probe-kbd")}
    page.emulate_media(media="print")
    for probe, text in on_screen.items():
        printed = page.locator(f"#{probe}").inner_text()
        assert "\n" not in text and printed == text, (probe, printed)


def test_the_attachments_are_numbered_with_a_mark_that_joins_no_digits(desktop, site_url):
    page = desktop
    page.goto(site_url + "items/2021/00001/")
    assert page.locator(".gk-attachments ol").evaluate("ol => getComputedStyle(ol).listStyleType") == "gk-enumeration"
    enumerated = [marker.strip() for marker in _markers(page) if "、" in marker]
    assert enumerated == [f"{n}、" for n in range(1, page.locator(".gk-attachments li").count() + 1)], _markers(page)


def test_search_results_are_numbered_with_a_mark_that_joins_no_digits(desktop, site_url):
    page = desktop
    page.goto(site_url + "search/?q=补助")
    page.locator('.gongkai-search[data-busy="false"]').wait_for(state="attached")
    results = page.locator("ol.gongkai-search__results")
    assert results.locator("li").count() > 0
    assert results.evaluate("ol => getComputedStyle(ol).listStyleType") == "gk-enumeration"
    enumerated = [marker.strip() for marker in _markers(page) if "、" in marker]
    assert enumerated == [f"{n}、" for n in range(1, results.locator("li").count() + 1)], _markers(page)


def test_a_catalog_count_reads_apart_from_the_name_before_it(desktop, site_url):
    """A badge's count was read with the name before it: 身份证11010119900307014 and 2 条 named 110101199003070142."""
    page = desktop
    for address in (site_url, site_url + "catalog/"):
        page.goto(address)
        counts = page.locator(".gk-count-badge, li > .gk-count").all_text_contents()
        assert counts and all(count.startswith("，共") and count.endswith("条") for count in counts), (address, counts)


def test_the_breadcrumbs_show_the_pages_title_whole(desktop, site_url):
    page = desktop
    page.goto(site_url + "items/2021/00001/")
    current = page.locator(".gk-crumbs li[aria-current]")
    assert current.evaluate("li => getComputedStyle(li).textOverflow") != "ellipsis"
    assert current.evaluate("li => li.scrollWidth <= li.clientWidth + 1")
