"""Where a body's links and pictures lead, as the browser follows them on the page the build writes.

The check reads every address of a body from its rendered, sanitised HTML (`BodyView.links`: raw HTML anchors,
attr_list's `href`, autolinks and pictures as much as Markdown's link syntax, character references decoded by the
HTML parser), and resolves it as a browser does on the page's own address: blanks and line breaks dropped, a
backslash read as a slash, the scheme's case ignored, `.` and `..` segments removed after percent escapes are
decoded (`%2e%2e`), repeated slashes merged (the web server merges them), the site's own full address or
`//host` taken as this site. What it lands on is named by the site's own layout: an item's page
(`items/YYYY/NNNNN/`) or a published file (`attachments/…`). A link MkDocs rewrites (a Markdown link to a `.md`
file it publishes) is judged by `references.markdown_links` on the source; one it leaves alone is followed by the
browser from the page's address, as here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote, urljoin, urlsplit

from ..hosts import host_key
from ..sanitize import browser_url, url_scheme

_WEB = ("http", "https")
# An item's page: its year and serial (ASCII digits only: a browser sends others percent-encoded, another path).
_ITEM_PAGE = re.compile(r"(?:^|/)items/([0-9]{4})/([0-9]{5})(?![0-9])", re.I)
_BLANK = "".join(map(chr, range(0x21)))  # what a browser strips around an address
_ATTACHMENT = re.compile(r"^attachments/(.+)$", re.I)


def site_path(href: str, page_url: str, site_url: str = "") -> str | None:
    """The path below the site's root (no leading slash, percent escapes decoded, dot segments and repeated
    slashes resolved) that a browser on the page at `page_url` requests for `href`; None for another site or
    a scheme that is not the web's (mailto:, tel:, …) and for an address that climbs above the site's root."""
    url = browser_url(href)
    base = urlsplit(site_url) if site_url else None
    prefix = "/" + (base.path if base is not None else "").strip("/")
    prefix = prefix.rstrip("/") + "/"
    scheme = url_scheme(url)
    if scheme is not None or url.startswith("//"):
        if scheme is not None and scheme not in _WEB:
            return None
        rest = url[len(scheme) + 1:] if scheme is not None else url
        try:  # an address no URL parser takes apart (`http://[host/`, a bracket left open) leads nowhere
            parts = urlsplit("//" + rest.lstrip("/"))  # http:host/… is read as http://host/… too
            host = host_key(parts.hostname or "")
        except ValueError:
            return None
        if base is None or not host or host != host_key(base.hostname or ""):
            return None
        path = parts.path or "/"
    else:
        try:
            path = urlsplit(urljoin(prefix + page_url.lstrip("/"), url)).path
        except ValueError:
            return None
    decoded = unquote(path)
    if "\\" in decoded:  # a decoded %5C is a backslash the server may read as a separator too
        decoded = decoded.replace("\\", "/")
    resolved = posixpath.normpath("/" + decoded)
    if decoded.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    resolved = re.sub("/{2,}", "/", resolved)
    if not (resolved + "/").startswith(prefix):
        return None
    return resolved[len(prefix):]


def item_page(path: str) -> tuple[str, str] | None:
    """(year, serial) of the item page `path` (from `site_path`) names, or None. Also where more follows or stands
    before it: a dead address that still shows the item's 索引号 to whoever reads the page's source."""
    found = list(_ITEM_PAGE.finditer(path))  # the last: items/2021/00001/items/2021/00002/ names the second
    return (found[-1][1], found[-1][2]) if found else None


def attachment_file(path: str) -> str | None:
    """The file below content/attachments/ that the published address `path` names, or None."""
    found = _ATTACHMENT.match(path)
    return found[1] if found else None


def own_links(links: tuple[str, ...], page_url: str, site_urls: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(href, path) of every address in `links` that leads to this site (see `site_path`): its own address is the first
    of `site_urls`; a full address of another (the members' site) is read as one of its pages too."""
    for href in links:
        if href.lstrip(_BLANK).startswith("#"):
            continue  # a place on the page itself (a heading, a footnote)
        for site_url in site_urls or ("",):
            path = site_path(href, page_url, site_url)
            if path is not None:
                yield href, path
                break


class Locator:
    """Where each of a body's links (in document order, as the HTML parser read them) is written in its Markdown: the
    next place its text stands (after the link found last, so that the same address twice is found twice), or else
    its last path segment's, or else where the link found last stands (an address spelled quite another way).
    Linear in the body however many links it holds: the searches together read at most `BUDGET` times its length
    (a hostile body of 50,000 links spelled with character references would otherwise be searched whole for each)."""

    BUDGET = 20

    def __init__(self, body: str) -> None:
        self.body = body
        self.cursor = 0
        self.left = self.BUDGET * (len(body) + 1)

    def __call__(self, href: str) -> int:
        for needle in dict.fromkeys((href, href.rstrip("/").rsplit("/", 1)[-1])):
            for start in (self.cursor, 0):
                if not needle or self.left <= 0:
                    break
                at = self.body.find(needle, start)
                self.left -= (at if at >= 0 else len(self.body)) - start + len(needle)
                if at >= 0:
                    self.cursor = at + 1
                    return at
                if start == 0:
                    break
        return max(self.cursor - 1, 0)
