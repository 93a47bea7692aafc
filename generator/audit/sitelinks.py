"""Every link of a built site, read from its HTML with selectolax: which internal ones lead nowhere,
and which point outside the site.

Internal links (relative, root-relative, or absolute to the site's own `site_url`) must resolve to a
file of the built site (a folder URL to its index.html) without leaving it. Links elsewhere are
collected; `check_external` asks each of them once, only when the audit runs with `--online`.

The addresses come from content anyone who can commit wrote, and the audit runs inside the agency's
network (CI, an administrator's machine): an address whose host is, or resolves to, a loopback,
private, link-local or otherwise non-public IP address is never asked (nor followed to by a
redirect) — the public cannot reach it anyway, which is what the audit reports.
"""

from __future__ import annotations

import http.client
import ipaddress
import posixpath
import socket
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from .. import path_probe

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
        return path_probe.is_file(file / "index.html")
    return path_probe.is_file(file) or path_probe.is_file(file / "index.html")


def check_external(addresses: Iterable[str]) -> dict[str, str]:
    """Each outside address that does not answer, with why (Chinese); at most MAX_EXTERNAL are asked."""
    wanted = sorted(addresses)[:MAX_EXTERNAL]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(wanted, pool.map(_ask, wanted), strict=True))
    return {address: reason for address, reason in answers.items() if reason}


NOT_PUBLIC = "指向本机或内网地址，公众无法访问（未访问）"


def _internal(url: str) -> bool:
    """Whether `url` is not an http(s) address, or its host is or resolves to an address the public
    cannot reach (loopback, private, link-local, reserved, multicast …)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return True
    if parts.scheme not in ("http", "https") or not host:
        return True
    name = host.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: never a public name, whatever DNS says
        return True
    try:  # an IP address as written (an IPv6 one perhaps with a zone: fe80::1%eth0)
        return not ipaddress.ip_address(unquote(name).split("%", 1)[0]).is_global
    except ValueError:
        pass  # a name, or a short form (127.1, 2130706433) that only the resolver reads
    try:
        found = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        return False  # no such name: asking it fails, and says so
    return any(not ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]).is_global for info in found)


class _PublicRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a public http(s) address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - the stdlib's signature
        if _internal(newurl):
            raise urllib.error.URLError(f"转向 {newurl}：{NOT_PUBLIC}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _connect_public(address: tuple[str, int], timeout: float | None = None,
                    source_address: tuple[str, int] | None = None) -> socket.socket:
    """A connection to `address` only at an address `_internal` passes, resolved once, here: the name was
    judged before the request, but a name whose DNS answers a public address to that question and 127.0.0.1
    to the connection's own (rebinding, a zero TTL) would otherwise be asked inside the agency's network.
    A configured proxy is connected to as it is: it resolves the name itself."""
    host, port = address
    if host in _proxy_hosts():
        return socket.create_connection(address, timeout, source_address)
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for ip in addresses:
        if _internal(f"http://[{ip}]:{port}/" if ":" in ip else f"http://{ip}:{port}/"):
            raise OSError(f"{host} 解析为 {ip}，{NOT_PUBLIC}")
    last: OSError = OSError(f"{host} 没有可连接的地址")
    for ip in addresses:
        try:
            return socket.create_connection((ip, port), timeout, source_address)
        except OSError as exc:
            last = exc
    raise last


def _proxy_hosts() -> set[str]:
    hosts = set()
    for proxy in urllib.request.getproxies().values():
        try:
            hosts.add(urlsplit(proxy if "//" in proxy else f"//{proxy}").hostname or "")
        except ValueError:
            continue
    return hosts


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public  # http.client sets socket.create_connection on each connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTP(urllib.request.HTTPHandler):
    def http_open(self, req):  # noqa: ANN001, ANN201 - the stdlib's signature
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPS(urllib.request.HTTPSHandler):
    def https_open(self, req):  # noqa: ANN001, ANN201 - the stdlib's signature
        return self.do_open(_PublicHTTPSConnection, req, context=getattr(self, "_context", None))


_OPENER = urllib.request.build_opener(_PublicRedirects, _PublicHTTP, _PublicHTTPS)


def _ask(address: str) -> str:
    url = "https:" + address if address.startswith("//") else address
    if _internal(url):
        return NOT_PUBLIC
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers={"User-Agent": "gongkai-audit"})
        try:
            with _OPENER.open(request, timeout=TIMEOUT) as response:  # http(s) only: `_internal` refuses the rest
                if response.status < 400:
                    return ""
        except urllib.error.HTTPError as exc:
            if method == "GET" or exc.code not in (403, 405, 501):
                return f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return f"无法访问（{getattr(exc, 'reason', exc)}）"
    return "无法访问"
