"""The built site in real Chromium: key elements, 适老化 switches, keyboard focus, phone layout, print, axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
KEY_PAGES = {
    "home": "",
    "item": "items/2021/00001/",
    "listing": "catalog/news/",
    "withdrawn": "items/2023/00001/",
    "search": "search/",
}


def open_page(page, site_url: str, url: str):
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(site_url + url)
    page.wait_for_load_state("networkidle")
    return failed


def test_item_page_shows_metadata_breadcrumbs_and_body(desktop, site_url):
    failed = open_page(desktop, site_url, KEY_PAGES["item"])
    assert failed == []
    table = desktop.locator("table.gk-meta")
    assert table.is_visible()
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "发布日期", "文号", "有效性", "关键词"):
        assert table.get_by_role("rowheader", name=label).is_visible()
    crumbs = desktop.get_by_role("navigation", name="当前位置")
    assert crumbs.get_by_role("link", name="规范性文件").is_visible()
    assert desktop.get_by_role("heading", level=1).inner_text() == "测试县农村危房改造补助资金管理办法"
    assert desktop.locator(".gk-body table").is_visible()
    assert desktop.get_by_role("link", name="补助标准表").is_visible()


def test_banners_on_withdrawn_and_repealed_items(desktop, site_url):
    open_page(desktop, site_url, KEY_PAGES["withdrawn"])
    banner = desktop.locator(".gk-banner--withdrawn")
    assert banner.is_visible() and "信息有误" in banner.inner_text()
    assert desktop.locator(".gk-body").count() == 0
    open_page(desktop, site_url, "items/2022/00001/")
    assert "本文件已废止" in desktop.locator(".gk-banner").inner_text()


def test_header_search_form_goes_to_the_search_page(desktop, site_url):
    open_page(desktop, site_url, KEY_PAGES["listing"])
    box = desktop.get_by_role("search").first.get_by_role("searchbox")
    assert box.is_visible()
    box.fill("危房改造")
    box.press("Enter")
    desktop.wait_for_url(re.compile(r"/search/\?q="))
    assert desktop.get_by_role("heading", level=1).inner_text() == "站内搜索"


def test_footer_carries_the_required_fields(desktop, site_url):
    open_page(desktop, site_url, "")
    footer = desktop.locator("footer.gk-footer")
    text = footer.inner_text()
    for label in ("主办单位", "联系地址", "联系电话", "网站标识码", "冀ICP备", "冀公网安备", "党政机关", "我为政府网站找错"):
        assert label in text
    assert footer.get_by_role("link", name="我为政府网站找错").is_visible()


def root_font_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_text_size_switch_scales_the_page_and_is_remembered(desktop, site_url):
    open_page(desktop, site_url, KEY_PAGES["item"])
    normal = root_font_size(desktop)
    larger = desktop.get_by_role("button", name="A++ 特大字号")
    larger.click()
    assert larger.get_attribute("aria-pressed") == "true"
    assert root_font_size(desktop) >= normal * 1.35
    open_page(desktop, site_url, KEY_PAGES["listing"])  # another page: the choice is remembered
    assert root_font_size(desktop) >= normal * 1.35
    assert desktop.get_by_role("button", name="A++ 特大字号").get_attribute("aria-pressed") == "true"
    desktop.get_by_role("button", name="A 标准字号").click()
    assert root_font_size(desktop) == normal


def test_high_contrast_switch_is_remembered(desktop, site_url):
    open_page(desktop, site_url, "")
    background = "getComputedStyle(document.querySelector('.md-main')).backgroundColor"
    body_bg = "getComputedStyle(document.body).backgroundColor"
    before = desktop.evaluate(body_bg)
    desktop.get_by_role("button", name="高对比度").click()
    assert desktop.evaluate(body_bg) == "rgb(0, 0, 0)" != before
    open_page(desktop, site_url, KEY_PAGES["item"])
    assert desktop.evaluate(body_bg) == "rgb(0, 0, 0)"
    assert desktop.evaluate(background) in ("rgba(0, 0, 0, 0)", "rgb(0, 0, 0)")
    assert desktop.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"


def test_keyboard_reaches_everything_with_a_visible_focus(desktop, site_url):
    open_page(desktop, site_url, KEY_PAGES["item"])
    seen = []
    for _ in range(25):
        desktop.keyboard.press("Tab")
        focus = desktop.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                       return {tag: e.tagName, text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim(),
                               outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                               visible: e.getBoundingClientRect().width > 0} }"""
        )
        assert focus["outline"] and focus["visible"], focus
        seen.append(focus["text"])
    joined = " ".join(seen)
    for expected in ("A++", "高对比度", "搜索"):
        assert expected in joined, seen


@pytest.mark.parametrize("name", ["home", "item", "listing", "withdrawn", "search"])
def test_phone_layout_has_no_sideways_scroll(phone, site_url, name):
    failed = open_page(phone, site_url, KEY_PAGES[name])
    assert failed == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.get_by_role("search").first.get_by_role("searchbox").is_visible()
    assert phone.get_by_role("button", name="高对比度").is_visible()


def test_item_prints_without_site_chrome(desktop, site_url):
    open_page(desktop, site_url, KEY_PAGES["item"])
    desktop.emulate_media(media="print")
    for hidden in (".md-header", ".gk-toolbar", ".md-sidebar--primary", "footer.gk-footer", ".gk-crumbs", ".gk-actions"):
        assert not desktop.locator(hidden).first.is_visible(), hidden
    for shown in ("table.gk-meta", "h1", ".gk-body"):
        assert desktop.locator(shown).first.is_visible(), shown


def test_pages_do_not_download_the_sitemap(desktop, site_url):
    requested: list[str] = []
    desktop.on("request", lambda request: requested.append(request.url))
    for url in KEY_PAGES.values():
        open_page(desktop, site_url, url)
    assert not [url for url in requested if url.endswith("sitemap.xml")]


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the page's CSP allows no inline script
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", ["home", "item", "listing", "search", "withdrawn"])
def test_no_serious_accessibility_violations(desktop, phone, site_url, name):
    assert AXE.exists(), "axe-core 未安装：请运行 npm ci（scripts/setup.sh --test）"
    for page in (desktop, phone):
        open_page(page, site_url, KEY_PAGES[name])
        assert axe_violations(page) == [], (name, page.viewport_size)


def test_no_serious_accessibility_violations_in_high_contrast(desktop, site_url):
    open_page(desktop, site_url, KEY_PAGES["item"])
    desktop.get_by_role("button", name="高对比度").click()
    # Material's colour transitions must have ended: axe judges the colours of the moment.
    desktop.evaluate("() => new Promise(frame => requestAnimationFrame(() => requestAnimationFrame(frame)))"
                     ".then(() => Promise.all(document.getAnimations().map(animation => animation.finished.catch(() => null))))")
    assert axe_violations(desktop) == []
