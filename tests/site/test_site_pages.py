"""What the built site shows: home, item pages, tombstones, listings, the 公开 section, header and footer."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from tests.projects import ORG_CODE


def resolve(page_url: str, href: str) -> str:
    """A relative link on the page at `page_url`, as a site URL (`items/2021/00001/`)."""
    joined = posixpath.normpath(posixpath.join(page_url or ".", href))
    return "" if joined == "." else joined + ("/" if href.endswith("/") or href.endswith(".") else "")


def texts(tree, selector: str) -> list[str]:
    return [node.text(strip=True) for node in tree.css(selector)]


def meta_table(tree) -> dict[str, str]:
    cells = tree.css("table.gk-meta th, table.gk-meta td")
    return {cells[i].text(strip=True): cells[i + 1].text(strip=True) for i in range(0, len(cells), 2)}


def test_every_page_is_chinese_with_header_search_and_footer(built):
    for url in ("", "items/2021/00001/", "catalog/news/", "search/", "pages/guide/"):
        tree = built.page(url)
        assert tree.css_first("html").attributes["lang"] == "zh-CN"
        form = tree.css_first("header form[role=search]")
        assert form.attributes["method"] == "get"
        assert resolve(url, form.attributes["action"]) == "search/"
        assert form.css_first("input").attributes["name"] == "q"
        footer = tree.css_first("footer").text()
        for label in ("主办单位：青禾县住房和城乡建设局", "联系地址：", "联系电话：", "网站标识码：1311220001",
                      "冀ICP备12345678号-1", "冀公网安备13112202000123号", "党政机关", "我为政府网站找错"):
            assert label in footer, (url, label)
        assert tree.css_first('footer a[href^="https://beian.miit.gov.cn"]') is not None
        assert tree.css_first('footer a[href*="jiucuo"]') is not None
        assert [b.text(strip=True) for b in tree.css("[data-gk-size-value]")] == ["A标准字号", "A+大字号", "A++特大字号"]
        assert tree.css_first("[data-gk-contrast-toggle]") is not None
        assert tree.css_first('link[rel~="alternate"][type="application/atom+xml"]') is not None


def test_home_page(built):
    home = built.page("")
    assert home.css_first("h1").text(strip=True) == "测试县住房和城乡建设局"
    latest = texts(home, ".gk-home__latest .gk-entry__title")
    assert latest[:2] == ["住建工作动态第45期", "住建工作动态第44期"]
    assert len(latest) == 10
    assert "已撤回的一条动态信息" not in latest
    quick = texts(home, ".gk-quick a")
    assert quick == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开工作年度报告", "依申请公开"]
    grid = {card.css_first("h3 a").text(strip=True): texts(card, "li") for card in home.css(".gk-card")}
    assert grid["工作动态"] == ["动态信息，共46条"]
    assert grid["重点领域"] == ["农村危房改造，共0条", "保障性住房，共1条"]


def test_item_page_has_the_metadata_header_body_attachments_and_links(built):
    page = built.page("items/2021/00001/")
    assert meta_table(page) == {
        "索引号": f"{ORG_CODE}/2021-00001",
        "主题分类": "规范性文件",
        "发布机构": "村镇建设股",
        "成文日期": "2021-06-10",
        "文号": "测住建规〔2021〕1号",
        "发布日期": "2021-06-18",
        "生效日期": "2021-08-01",
        "有效性": "有效",
        "关键词": "危房改造，补助资金",
    }
    assert list(meta_table(page))[5:7] == ["发布日期", "生效日期"]  # shown after 发布日期 where written
    assert "生效日期" not in meta_table(built.page("items/2021/00002/"))
    assert page.css_first("h1").text(strip=True) == "测试县农村危房改造补助资金管理办法"
    body = page.css_first(".gk-body")
    assert "适用于全县农村危房改造补助资金" in body.text()
    assert len(body.css("table tr")) == 3
    attachment = page.css_first(".gk-attachments li")
    assert attachment.css_first("a").text(strip=True) == "补助标准表"
    assert "CSV 表格" in attachment.text() and "27 B" in attachment.text()
    href = attachment.css_first("a").attributes["href"]
    assert resolve("items/2021/00001/", unquote(href)) == "attachments/2021/补助标准.csv"
    assert (built.site / "attachments/2021/补助标准.csv").read_text(encoding="utf-8").startswith("档次")
    crumbs = texts(page, ".gk-crumbs a")
    assert crumbs == ["首页", "法定主动公开内容", "政策文件", "规范性文件"]
    assert page.css(".gk-crumbs a")[-1].attributes["href"] == "../../../catalog/normative/"
    related = page.css_first(".gk-related")
    assert related.css_first("h2").text(strip=True) == "相关解读"
    assert texts(related, "a") == ["《测试县农村危房改造补助资金管理办法》政策解读"]
    assert page.css_first(".gk-banner") is None


def test_interpretation_links_back_to_its_policy(built):
    page = built.page("items/2021/00002/")
    related = page.css_first(".gk-related")
    assert related.css_first("h2").text(strip=True) == "解读对象"
    assert related.css_first("a").attributes["href"] == "../00001/"


def test_repealed_item_has_a_validity_banner(built):
    page = built.page("items/2022/00001/")
    banner = page.css_first(".gk-banner")
    assert "本文件已废止" in banner.text()
    assert meta_table(page)["有效性"] == "废止"


def test_withdrawn_item_is_a_tombstone(built):
    page = built.page("items/2023/00001/")
    banner = page.css_first(".gk-banner--withdrawn").text()
    assert "2023-05-06" in banner and "信息有误，已撤回" in banner
    assert page.css_first("h1").text(strip=True) == "已撤回的一条动态信息"
    assert meta_table(page)["索引号"] == f"{ORG_CODE}/2023-00001"
    assert meta_table(page)["有效性"] == "已撤回"  # not “有效” under a withdrawal banner
    assert page.css_first(".gk-body") is None
    assert page.css_first(".gk-attachments") is None
    assert page.css_first('meta[name="description"]').attributes["content"] != "不应公开的概述"


def test_category_listing_is_paginated_newest_first(built):
    first = built.page("catalog/news/")
    titles = texts(first, ".gk-entry__title")
    assert len(titles) == 20 and titles[0] == "住建工作动态第45期"
    dates = texts(first, ".gk-entry time")
    assert dates == sorted(dates, reverse=True)
    assert "共 46 条信息，第 1 / 3 页" in first.css_first(".gk-count").text()
    assert first.css_first('.gk-pager a[rel="next"]').attributes["href"] == "page/2/"
    third = built.page("catalog/news/page/3/")
    assert len(texts(third, ".gk-entry__title")) == 6
    assert "已撤回" in third.css_first(".gk-badge--withdrawn").text()
    assert third.css_first('.gk-pager a[aria-current="page"]').text(strip=True) == "3"
    assert not (built.site / "catalog/news/page/4").exists()
    empty = built.page("catalog/ruralhouse/")
    assert "本栏目暂无信息" in empty.text()


def test_department_and_year_listings(built):
    department = built.page("departments/rural/")
    assert texts(department, ".gk-entry__title") == [
        "《测试县农村危房改造补助资金管理办法》政策解读", "测试县农村危房改造补助资金管理办法",
    ]
    years = built.page("years/")
    assert texts(years, ".gk-directory li a") == ["2024年", "2023年", "2022年", "2021年"]
    assert len(texts(built.page("years/2021/"), ".gk-entry__title")) == 2


def test_the_disclosure_section(built):
    catalog = built.page("catalog/")
    assert texts(catalog, ".gk-directory h2 a") == ["政策文件", "重点领域", "工作动态", "公共服务", "公众参与"]
    assert "动态信息，共46条" in [li.text(strip=True) for li in catalog.css(".gk-directory li")]
    guide = built.page("pages/guide/")
    assert guide.css_first("h1").text(strip=True) == "政府信息公开指南"
    # A Markdown link to an item's source file becomes a link to the item page.
    assert guide.css_first('.md-content a[href="../../items/2021/00001/"]') is not None
    reports = built.page("report/")
    assert reports.css_first("h1").text(strip=True) == "政府信息公开工作年度报告"
    assert texts(reports, ".gk-directory a") == ["测试县住房和城乡建设局2023年政府信息公开工作年度报告"]
    report = built.page("report/2023/")
    assert report.css_first("h1").text(strip=True) == "测试县住房和城乡建设局2023年政府信息公开工作年度报告"
    assert len(report.css("article table")) >= 4
    assert report.css_first('link[href="../../assets/gongkai/report.css"]') is not None
    assert (built.site / "assets/gongkai/report.css").stat().st_size > 0
    search = built.page("search/")
    assert search.css_first("h1").text(strip=True) == "站内搜索"


def test_navigation_lists_sections_and_categories_never_items(built):
    urls = ("items/2021/00001/", "catalog/news/", "pages/guide/")
    nav_sources = [built.page(url).css_first(".md-sidebar--primary nav").html for url in urls]
    for nav in nav_sources:
        assert not re.search(r'href="[^"]*items/\d{4}/', nav)
    tabs = texts(built.page("catalog/news/"), ".md-tabs__link")
    assert tabs == ["首页", "政府信息公开", "党务公开", "发布机构", "发布年份", "站内搜索"]
    item_nav = built.page("items/2021/00001/").css_first(".md-sidebar--primary nav")
    # An item page opens the navigation at its own category.
    assert "规范性文件" in [a.text(strip=True) for a in item_nav.css(".md-nav__item--active > a")]


ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feeds_list_the_latest_items(built):
    import xml.etree.ElementTree as ET

    feed = ET.fromstring(built.text("feed.xml"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50  # feed_size: the latest 50 of the 54 published items that are not withdrawn
    assert entries[0].findtext(f"{ATOM}title") == "住建工作动态第45期"
    assert entries[0].findtext(f"{ATOM}id") == "https://zjj.qinghe.gov.cn/items/2024/00144/"
    assert feed.findtext(f"{ATOM}updated") == "2024-05-13T00:00:00+08:00"
    policy = ET.fromstring(built.text("catalog/normative/feed.xml"))
    assert [e.findtext(f"{ATOM}title") for e in policy.findall(f"{ATOM}entry")] == ["测试县农村危房改造补助资金管理办法"]
    first = policy.find(f"{ATOM}entry")
    assert first is not None and "规定农村危房改造补助对象" in (first.findtext(f"{ATOM}summary") or "")
    listing = built.page("catalog/normative/")
    assert listing.css_first('link[type="application/atom+xml"][href="feed.xml"]') is not None


def test_sitemap_and_robots(built):
    import xml.etree.ElementTree as ET

    sitemap = ET.fromstring(built.text("sitemap.xml"))
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in sitemap.findall(f"{SITEMAP}url")}
    assert len(urls) == 94  # every page but the search page, which is noindex
    assert all(loc and loc.startswith("https://zjj.qinghe.gov.cn/") for loc in urls)
    assert urls["https://zjj.qinghe.gov.cn/items/2021/00001/"] == "2021-06-18"
    assert urls["https://zjj.qinghe.gov.cn/items/2023/00001/"] == "2023-05-06"  # withdrawn: the withdrawal date
    assert urls["https://zjj.qinghe.gov.cn/items/2023/00062/"] == "2023-06-10"  # 先党内、后党外: the day it reached the public
    assert urls["https://zjj.qinghe.gov.cn/catalog/news/page/2/"] is None
    assert not (built.site / "sitemap.xml.gz").exists()
    assert "Sitemap: https://zjj.qinghe.gov.cn/sitemap.xml" in built.text("robots.txt")
    assert "Disallow: /search/\n" in built.text("robots.txt") and "https://zjj.qinghe.gov.cn/search/" not in urls


def test_a_large_sitemap_is_split_under_an_index():
    from gongkai.site.pages import SitePage
    from gongkai.site.sitemap import render_sitemaps

    files = render_sitemaps([SitePage(f"p{i}/", "页") for i in range(5)], "https://example.gov.cn/", limit=2)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    assert "<sitemapindex" in files["sitemap.xml"] and "https://example.gov.cn/sitemap-3.xml" in files["sitemap.xml"]
    assert files["sitemap-3.xml"].count("<url>") == 1
