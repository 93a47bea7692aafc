"""sitemap.xml is well-formed XML for any page URLs and site_url (parsed with lxml)."""

from __future__ import annotations

from urllib.parse import quote, urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from gongkai.site.pages import SitePage
from gongkai.site.sitemap import render_robots, render_sitemaps
from gongkai.site.xml_text import xml_text

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), max_size=5), st.text())
def test_any_pages_and_site_url_give_well_formed_xml(urls, site_url):
    files = render_sitemaps([SitePage(url, "标题") for url in urls], site_url, limit=2)
    for text in files.values():
        etree.fromstring(text.encode("utf-8"))


def test_a_control_character_in_site_url_is_dropped():
    [text] = render_sitemaps([SitePage("items/2021/00001/", "t")], "https://a.cn\x01/").values()
    root = etree.fromstring(text.encode("utf-8"))
    assert root.find(f"{SITEMAP}url/{SITEMAP}loc").text == "https://a.cn/items/2021/00001/"



@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5), st.text())
def test_each_loc_reads_back_as_the_page_address(urls, site_url):
    """The urlset is written as text, not by an XML library: every address must read back whole."""
    base = xml_text(site_url if site_url.endswith("/") else site_url + "/") if site_url else "/"
    [text] = render_sitemaps([SitePage(url, "标题") for url in urls], site_url).values()
    root = etree.fromstring(text.encode("utf-8"))
    expected = [urljoin(base, quote(url)).replace("\r\n", "\n").replace("\r", "\n") for url in sorted(urls)]
    assert [loc.text for loc in root.iter(f"{SITEMAP}loc")] == expected


@pytest.mark.parametrize(("site_url", "search"), [("https://zjj.example.gov.cn/", "/search/"), ("", "/search/"),
                                                  ("https://www.example.gov.cn/zjj", "/zjj/search/")])
def test_robots_stay_off_search_results_but_not_the_search_page(site_url, search):
    """A link to search/?q=… shows its words on a government page: no robot may index one (spam under
    the agency's domain). Rules are prefixes; the first that matches decides for robots that read in order."""
    lines = render_robots(site_url).splitlines()
    assert lines[:3] == ["User-agent: *", f"Disallow: {search}?", "Allow: /"]
