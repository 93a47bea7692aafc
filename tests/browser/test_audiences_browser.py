"""In Chromium: a members-only page on the members' site, a consultation and a series on the public site."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import serving
from tests.browser.test_browser_site import axe_violations, open_page
from tests.projects import PARTY_PUBLIC_FROM, build, make_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def members_url(tmp_path_factory):
    fixture = make_project(tmp_path_factory.mktemp("members") / "project")
    with serving(build(fixture, fixture.root / "site-party", audience="党内").site) as url:
        yield url


def test_a_members_only_page_is_marked_and_accessible(desktop, phone, members_url):
    for page in (desktop, phone):
        assert open_page(page, members_url, "items/2023/00061/") == []
        banner = page.locator(".gk-banner--party")
        assert banner.is_visible()
        assert "党内公开" in banner.inner_text() and str(PARTY_PUBLIC_FROM) in banner.inner_text()
        assert page.get_by_role("note").filter(has_text="党内网站").is_visible()
        assert "不得发布到互联网" in page.locator(".gk-footer__members").inner_text()
        assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow, noarchive"
        assert axe_violations(page) == [], page.viewport_size


def test_the_members_listing_badges_members_only_items(desktop, members_url):
    open_page(desktop, members_url, "catalog/resolutions/")
    entry = desktop.locator(".gk-entry").filter(has=desktop.locator(".gk-badge--party")).first
    assert entry.is_visible() and entry.locator(".gk-badge--party").inner_text() == "党内"
    assert axe_violations(desktop) == []


def test_a_consultation_page_shows_its_state_and_leads_to_its_feedback(desktop, site_url):
    open_page(desktop, site_url, "items/2024/00060/")
    box = desktop.get_by_role("region", name="意见征集")
    assert box.is_visible()
    assert re.sub(r"\s+", "", box.locator(".gk-consultation__state").inner_text()) == "征集中还剩14天"
    assert box.get_by_role("listitem").filter(has_text="zjj@example.gov.cn").is_visible()
    assert axe_violations(desktop) == []

    open_page(desktop, site_url, "items/2023/00065/")
    assert desktop.locator(".gk-consultation__state").inner_text().strip() == "已结束"
    desktop.get_by_role("region", name="意见采纳情况").get_by_role("link").click()
    desktop.wait_for_url(re.compile(r"/items/2023/00066/$"))
    back = desktop.get_by_role("region", name="本条答复的事项").get_by_role("link")
    assert back.inner_text().startswith("关于公开征求《测试县物业管理办法")


def test_a_consultation_listing_and_a_series_page_are_accessible(desktop, phone, site_url):
    for page in (desktop, phone):
        open_page(page, site_url, "catalog/consult/")
        assert page.locator(".gk-badge--open").first.inner_text() == "征集中"
        assert axe_violations(page) == [], page.viewport_size
        open_page(page, site_url, "series/water/")
        assert page.get_by_role("table").get_by_role("row").count() == 4
        assert axe_violations(page) == [], page.viewport_size
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
