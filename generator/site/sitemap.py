"""sitemap.xml and robots.txt: every public page, dated by its content, never by the build."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import quote, urljoin, urlsplit
from xml.sax.saxutils import escape

from .pages import ItemPage, SearchPage, SitePage
from .planning import SEARCH
from .xml_text import base_url

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_~%-]+/)*[A-Za-z0-9_~%-]*")


def render_sitemaps(pages: list[SitePage], site_url: str, *, limit: int = 50_000) -> dict[str, str]:
    """sitemap.xml, split into sitemap-1.xml … under a sitemap index beyond the protocol's
    50,000 URLs per file."""
    # The search page is `noindex` (its template): a sitemap lists only what an engine may index.
    ordered = sorted((page for page in pages if not isinstance(page, SearchPage)), key=lambda page: page.url)
    chunks = [ordered[start : start + limit] for start in range(0, len(ordered), limit)] or [[]]
    if len(chunks) == 1:
        return {"sitemap.xml": _urlset(chunks[0], site_url)}
    files = {f"sitemap-{number}.xml": _urlset(chunk, site_url) for number, chunk in enumerate(chunks, start=1)}
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP})
    for name in files:
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = urljoin(base_url(site_url), name)
    return {"sitemap.xml": _xml(index), **files}


def _urlset(pages: list[SitePage], site_url: str) -> str:
    """The urlset as `_xml` would serialise it, written directly: ElementTree takes ≈ 10 µs a page
    (0.1–0.25 s at 10,000 items, on every build)."""
    if not pages:
        return f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP}" />\n'
    join = joining(base_url(site_url))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP}">']
    for page in pages:
        lines.append(f"  <url>\n    <loc>{escape(join(quote(page.url)))}</loc>")
        if isinstance(page, ItemPage) and page.view is not None:
            lines.append(f"    <lastmod>{page.view.changed.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


def joining(base: str) -> Callable[[str], str]:
    """`urljoin(base, path)`, as a concatenation where that is what urljoin gives (≈ 10 µs a page less): `base` ends
    in `/` and merges plainly, and the path is segments of letters, digits and `-_~%` each ended by `/` but the last (a
    percent-encoded page URL: no dot or empty segment, scheme, query or blank for urljoin to read)."""
    if base.endswith("/") and urljoin(base, "a/b/") == base + "a/b/":
        return lambda path: base + path if _PLAIN_PATH.fullmatch(path) else urljoin(base, path)
    return lambda path: urljoin(base, path)


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_robots(site_url: str, *, crawl: bool = True) -> str:
    """robots.txt; `crawl=False` (the members' site) asks every robot to stay out.

    The public site keeps robots off the search page's results (`search/?q=…`): anyone can make such a
    link, and a robot that runs the page's script would index a government page showing the link's text
    (“没有找到包含‘…’的公开信息”, a filter's value in its list) under the link's words: spam published
    through the agency's own domain. The same page answers at other addresses too — `search/index.html?q=…`
    (the file itself), `search//?q=…` (servers merge the slashes) —, so the whole folder is disallowed and
    only the search page's own address allowed (`$`: the address ends there, RFC 9309; the longer rule
    wins). A robot that reads rules as plain prefixes in order stays off the folder altogether. Robots read
    robots.txt only at the top of a host, so for a site below a path the search page's own `noindex` is what
    keeps it out (its template; the sitemap does not list it). The path
    is the one a robot compares: site_url's, its `.` and `..` segments resolved and percent-encoded
    (`/a/../zjj/` is `/zjj/`, as a browser and a robot read it).
    """
    if not crawl:
        return "User-agent: *\nDisallow: /\n"
    base = base_url(site_url)
    search = f"{_robots_path(base)}{SEARCH.url}"
    lines = ["User-agent: *", f"Allow: {search}$", f"Disallow: {search}", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {urljoin(base, 'sitemap.xml')}"]
    return "\n".join(lines) + "\n"


def _robots_path(base: str) -> str:
    """The path of `base` as robots match it: dot segments resolved, ending in `/`, what a URL may not
    hold percent-encoded (escapes already written are kept)."""
    path = urlsplit(base).path or "/"
    resolved = posixpath.normpath("/" + path.lstrip("/")).rstrip("/") + "/"  # normpath keeps a leading "//"
    return quote(resolved, safe="/%!$&'()*+,;=:@~")
