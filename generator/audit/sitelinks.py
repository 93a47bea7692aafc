"""Every link of a built site, read from its HTML with selectolax: which internal ones lead nowhere,
and which point outside the site.

Internal links (relative, root-relative, or absolute to the site's own `site_url`) must resolve to a
file of the built site (a folder URL to its index.html) without leaving it. Links elsewhere are
collected; `check_external` asks each of them once, only when the audit runs with `--online`.
"""

from __future__ import annotations

import posixpath
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

# The attributes that make a browser fetch or go somewhere.
_LINKING = (("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
            ("source", "src"), ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"))
_SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:", "sms:")
MAX_EXTERNAL = 2000  # an --online audit asks at most this many outside addresses
TIMEOUT = 10  # seconds per outside address


@dataclass
class SiteLinks:
    dead: dict[str, list[str]] = field(default_factory=dict)  # target → pages (site URLs) linking it
    external: dict[str, list[str]] = field(default_factory=dict)  # address → pages linking it
    pages: int = 0


def _page_url(site_dir: Path, file: Path) -> str:
    rel = file.relative_to(site_dir).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def scan(site_dir: Path, site_url: str = "") -> SiteLinks:
    """Read every HTML page of the built site at `site_dir`."""
    own = urlsplit(site_url) if site_url else None
    base_path = own.path if own and own.path.endswith("/") else (own.path + "/" if own else "/")
    dead: dict[str, list[str]] = defaultdict(list)
    external: dict[str, list[str]] = defaultdict(list)
    known: dict[str | None, bool] = {}
    pages = 0
    for file in sorted(site_dir.rglob("*.html")):
        if "pagefind" in file.relative_to(site_dir).parts:
            continue
        pages += 1
        page = _page_url(site_dir, file)
        tree = LexborHTMLParser(file.read_bytes())
        for tag, attribute in _LINKING:
            for node in tree.css(f"{tag}[{attribute}]"):
                link = (node.attributes.get(attribute) or "").strip()
                if not link or link.startswith("#") or link.lower().startswith(_SKIPPED_SCHEMES):
                    continue
                parts = urlsplit(link)
                if parts.scheme in ("http", "https") or link.startswith("//"):
                    if own is not None and parts.netloc == own.netloc and parts.path.startswith(base_path):
                        target = parts.path[len(base_path):]
                    else:
                        external[link].append(page)
                        continue
                elif parts.scheme:  # another scheme (ftp:, file:): not something the site can serve
                    dead[link].append(page)
                    continue
                elif parts.path.startswith("/"):
                    target = parts.path[len(base_path):] if parts.path.startswith(base_path) else "\0outside"
                else:
                    target = posixpath.join(posixpath.dirname(page), parts.path) if parts.path else page
                resolved = _normalise(unquote(target))
                if resolved not in known:
                    known[resolved] = resolved is not None and _exists(site_dir, resolved)
                if not known[resolved]:
                    dead[link if resolved is None else resolved].append(page)
    return SiteLinks(dict(dead), dict(external), pages)


def _normalise(target: str) -> str | None:
    """The site-relative path of a link target, or None when it climbs out of the site."""
    if "\0" in target:
        return None
    path = posixpath.normpath("/" + target)  # like a browser, ".." stops at the site's root
    if path.startswith("//"):
        return None
    return path.lstrip("/") + ("/" if target.endswith("/") and path != "/" else "")


def _exists(site_dir: Path, target: str) -> bool:
    file = site_dir / target
    if target == "" or target.endswith("/"):
        return (file / "index.html").is_file()
    return file.is_file() or (file / "index.html").is_file()


def check_external(addresses: Iterable[str]) -> dict[str, str]:
    """Each outside address that does not answer, with why (Chinese); at most MAX_EXTERNAL are asked."""
    wanted = sorted(addresses)[:MAX_EXTERNAL]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(wanted, pool.map(_ask, wanted), strict=True))
    return {address: reason for address, reason in answers.items() if reason}


def _ask(address: str) -> str:
    url = "https:" + address if address.startswith("//") else address
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers={"User-Agent": "gongkai-audit"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only
                if response.status < 400:
                    return ""
        except urllib.error.HTTPError as exc:
            if method == "GET" or exc.code not in (403, 405, 501):
                return f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return f"无法访问（{getattr(exc, 'reason', exc)}）"
    return "无法访问"
