"""Atom feeds (RFC 4287) of the latest items: dates come from the items, never from the clock."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from ..clock import CHINA  # items carry dates only; publish them at 00:00 Beijing time
from .pages import Entry, Feed
from .xml_text import base_url, xml_text

ATOM = "http://www.w3.org/2005/Atom"
# What a members-only entry of the members' site's feeds carries, as its page's banner does.
MEMBERS_ONLY_MARK = "【党内】"
MEMBERS_ONLY_NOTICE = "本信息仅向全体党员公开，请勿向党外传播。"


def _timestamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), CHINA).isoformat()


def render_feed(feed: Feed, site_url: str) -> str:
    """The feed as XML text. `site_url` makes links absolute; without it they are root-relative."""
    base = base_url(site_url)
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "zh-CN"})
    ET.SubElement(root, "id").text = urljoin(base, feed.url)
    ET.SubElement(root, "title").text = xml_text(feed.title)
    newest = max((entry.reached or entry.published for entry in feed.entries), default=dt.date(2000, 1, 1))
    ET.SubElement(root, "updated").text = _timestamp(newest)
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": urljoin(base, feed.url)})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": urljoin(base, feed.page_url)})
    ET.SubElement(root, "generator").text = "gongkai"
    for entry in feed.entries:
        root.append(_entry(entry, base))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _entry(entry: Entry, base: str) -> ET.Element:
    # A members-only entry says so as its page's banner does: a reader shows it without the page, and may pass it on.
    mark, notice = (MEMBERS_ONLY_MARK, MEMBERS_ONLY_NOTICE) if entry.members_only else ("", "")
    element = ET.Element("entry")
    url = urljoin(base, entry.url)
    ET.SubElement(element, "id").text = url
    ET.SubElement(element, "title").text = mark + xml_text(entry.title)
    ET.SubElement(element, "link", {"rel": "alternate", "type": "text/html", "href": url})
    ET.SubElement(element, "published").text = _timestamp(entry.published)
    ET.SubElement(element, "updated").text = _timestamp(entry.reached or entry.published)
    author = ET.SubElement(element, "author")
    ET.SubElement(author, "name").text = xml_text(entry.department)
    ET.SubElement(element, "category", {"term": xml_text(entry.category)})
    if entry.members_only:
        ET.SubElement(element, "category", {"term": "党内"})
    details = [f"索引号：{entry.index_no}"] + ([f"文号：{entry.doc_no}"] if entry.doc_no else [])
    summary = notice + "；".join(details) + (f"。{entry.summary}" if entry.summary else "")
    ET.SubElement(element, "summary").text = xml_text(summary)
    return element
