"""sitemap.xml and robots.txt: every public page, dated by its content, never by the build."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote, urljoin

from .pages import ItemPage, SitePage

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _base(site_url: str) -> str:
    if not site_url:
        return "/"
    return site_url if site_url.endswith("/") else site_url + "/"


def render_sitemap(pages: list[SitePage], site_url: str) -> str:
    base = _base(site_url)
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for page in sorted(pages, key=lambda page: page.url):
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = urljoin(base, quote(page.url))
        if isinstance(page, ItemPage) and page.item is not None:
            changed = page.item.withdrawn.date if page.item.withdrawn and page.item.withdrawn.date else page.item.published
            if changed is not None:
                ET.SubElement(url, "lastmod").text = changed.isoformat()
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_robots(site_url: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {urljoin(_base(site_url), 'sitemap.xml')}"]
    return "\n".join(lines) + "\n"
