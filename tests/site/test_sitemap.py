"""sitemap.xml is well-formed XML for any page URLs and site_url (parsed with lxml)."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin
from urllib.robotparser import RobotFileParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from gongkai.site.pages import SitePage
from gongkai.site.sitemap import joining, render_robots, render_sitemaps
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


def rfc9309_allows(robots: str, address: str) -> bool:
    """Whether the `User-agent: *` group of `robots` lets a robot fetch `address` (path and query), read as
    RFC 9309 reads it: `*` matches any characters, a final `$` the end, the longest matching rule decides,
    Allow over Disallow on a tie; nothing matching allows."""
    rules, ours = [], False
    for line in robots.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            ours = value == "*"
        elif ours and key in ("allow", "disallow") and value:
            pattern = "".join(".*" if char == "*" else re.escape(char) for char in value.removesuffix("$"))
            rules.append((len(value), key == "allow", re.compile(pattern + ("\\Z" if value.endswith("$") else ""))))
    matching = [(length, allow) for length, allow, pattern in rules if pattern.match(address)]
    return max(matching)[1] if matching else True


def prefix_robot_allows(robots: str, address: str) -> bool:
    """The same, as a robot that reads rules as plain prefixes, the first that matches deciding (Python's own)."""
    parser = RobotFileParser()
    parser.parse(robots.splitlines())
    return parser.can_fetch("AnyBot", "https://zjj.example.gov.cn" + address)


# The search page answers at each of these: its folder's address, the file itself, slashes merged by the server.
SEARCH_RESULTS = ("search/?q=x", "search/?category=x", "search/index.html?q=x", "search//?q=x", "search/index.html")


@pytest.mark.parametrize(("site_url", "root"), [("https://zjj.example.gov.cn/", "/"), ("", "/"),
                                                ("https://www.example.gov.cn/zjj", "/zjj/"),
                                                ("https://www.example.gov.cn/a/../zjj/./", "/zjj/"),
                                                ("https://www.example.gov.cn/住建局/", "/%E4%BD%8F%E5%BB%BA%E5%B1%80/")])
def test_robots_stay_off_search_results_at_every_address_but_not_the_search_page(site_url, root):
    """A link to search/?q=… shows its words on a government page: no robot may index one (spam under
    the agency's domain). `Disallow: /search/?` left the same page open at search/index.html?q=… and
    search//?q=…, and a site_url with `..` in its path named a folder robots never see."""
    robots = render_robots(site_url)
    for address in SEARCH_RESULTS:
        assert not rfc9309_allows(robots, root + address), address
        assert not prefix_robot_allows(robots, root + address), address
    assert rfc9309_allows(robots, root + "search/")
    for address in ("", "items/2021/00001/", "catalog/news/page/2/", "search.html", "searching/"):
        assert rfc9309_allows(robots, root + address) and prefix_robot_allows(robots, root + address), address


def test_the_built_sites_robots_keep_off_search_results(built):
    robots = built.text("robots.txt")
    assert not any(rfc9309_allows(robots, "/" + address) or prefix_robot_allows(robots, "/" + address) for address in SEARCH_RESULTS)
    assert rfc9309_allows(robots, "/search/") and rfc9309_allows(robots, "/items/2021/00001/")


def test_the_search_page_tells_every_engine_not_to_index_it(built, tmp_path):
    """robots.txt counts only at the top of a host: for a site below a path (site_url https://www.….gov.cn/zjj/) no
    robot reads its rules, and search/?q=… would be indexed with the words of whoever made the link. The page itself
    says noindex at whatever address it answers, and the sitemap does not list it."""
    from tests.projects import build

    [robots] = built.page("search/").css('meta[name="robots"]')
    assert robots.attributes["content"] == "noindex, follow"
    assert [meta.attributes["content"] for meta in built.page("items/2021/00001/").css('meta[name="robots"]')] == []
    assert "/search/" not in built.text("sitemap.xml")
    members = build(built.fixture, tmp_path / "members", audience="党内")
    assert [meta.attributes["content"] for meta in members.page("search/").css('meta[name="robots"]')] == [
        "noindex, nofollow, noarchive"]


@settings(max_examples=1000)
@given(st.sampled_from(["/", "https://zjj.example.gov.cn/", "https://h.example/a/", "https://h.example/a/./b/", "http://h/a/b",
                        "https://h.example/x/../", "", "//h/"]),
       st.text(st.sampled_from("aZ09-_~%/.:?#@ \t\n中%2e"), max_size=12))
def test_a_joined_address_is_urljoin_s(base, path):
    assert joining(base)(path) == urljoin(base, path)
    assert joining(base)(quote(path)) == urljoin(base, quote(path))
