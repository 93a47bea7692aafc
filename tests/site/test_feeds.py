"""Atom feeds are well-formed XML whatever the titles, summaries and names hold (parsed with lxml)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from gongkai.site.feeds import render_feed
from gongkai.site.pages import Entry, Feed

ATOM = "{http://www.w3.org/2005/Atom}"


def _entry(title: str, summary: str = "概述", department: str = "办公室", category: str = "通知公告") -> Entry:
    return Entry(title, "items/2021/00001/", dt.date(2021, 6, 18), "X/2021-00001", "测〔2021〕1号", category,
                 department, "有效", False, summary)


def _parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def test_a_control_character_in_a_title_keeps_the_feed_valid():
    feed = Feed("feed.xml", "机构\x0b 最新公开信息", "", (_entry("通知\x01\x1f标题\ufffe", "概述\x08"),))
    root = _parse(render_feed(feed, "https://zjj.qinghe.gov.cn/"))
    assert root.find(f"{ATOM}entry/{ATOM}title").text == "通知标题"
    assert root.find(f"{ATOM}title").text == "机构 最新公开信息"


def test_markup_in_a_title_is_text_in_the_feed():
    root = _parse(render_feed(Feed("feed.xml", "t", "", (_entry('<img src=x onerror=alert(1)>&amp;"'),)), ""))
    assert root.find(f"{ATOM}entry/{ATOM}title").text == '<img src=x onerror=alert(1)>&amp;"'


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(), st.text(), st.text())
def test_any_text_gives_well_formed_xml(title, summary, department, category):
    feed = Feed("catalog/news/feed.xml", title, "catalog/news/", (_entry(title, summary, department, category),))
    root = _parse(render_feed(feed, "https://zjj.qinghe.gov.cn/"))
    assert root.tag == f"{ATOM}feed" and len(root.findall(f"{ATOM}entry")) == 1
