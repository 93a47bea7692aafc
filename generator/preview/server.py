"""The preview's HTTP server: pages from memory, files from where they are, never a path joined blindly.

A request names a page of the plan, a file of the plan (theme files, attachments, generated text,
feeds), the last build's search index, or the preview's own /_preview/ pages; anything else is the
theme's 404 page. `/_preview/changes?since=N` answers when the content's version is no longer N
(long polling: the page's script reloads it at once). Every answer says `noindex`, and HTML carries
the site's Content-Security-Policy.

The preview shows what the public site must not (drafts, 不予公开 items), so it answers only requests
addressed to an IP address or to localhost: a web page the editor visits cannot point a name of its
own at 127.0.0.1 (DNS rebinding) and read the preview as if it were its own site. Nor does it answer what
another site's page asks of it in the background (an image, a script, a fetch, a frame: the browser's
Sec-Fetch-* headers say so): such a page could time or count the answers to find draft URLs. Following a
link to the preview, or typing its address, still opens it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import mimetypes
import os
import re
import shutil
import stat
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from mkdocs.exceptions import PluginError

from ..attachments import resolve
from ..checks.theme import may_publish
from ..search.build import BUNDLE_DIR
from ..search.runtime import is_runtime, pagefind_runtime
from ..site.csp import HEADER_POLICY
from .pages import PREFIX, STATIC, PreviewPages, item_location
from .session import PreviewSession

WAIT_SECONDS = 25.0  # a long poll's longest wait; the script asks again at once
IDLE_SECONDS = 60.0  # a connection that sends (or reads) nothing for this long is closed: it holds a thread
MAX_CONNECTIONS = 64  # open at once; a browser keeps about six to one address, and one long poll a tab
_BUSY_TEXT = f"预览同时打开的连接已达上限 {MAX_CONNECTIONS} 个，请稍后刷新页面。\n".encode()
BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: %d\r\nRetry-After: 5\r\nCache-Control: no-store\r\nX-Robots-Tag: noindex, nofollow\r\n"
        b"X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n" % len(_BUSY_TEXT)) + _BUSY_TEXT
# The data Pagefind and gongkai write into the search bundle: the last build's site/ is not trusted to hold only
# these, and what runs in the page (scripts, WebAssembly) is never taken from it (`search.runtime`).
INDEX_TYPES = frozenset((".json", ".pf_meta", ".pf_index", ".pf_fragment", ".gkz"))
OWN_FILES = {"_preview/live.js": "live.js", "_preview/preview.css": "preview.css"}
ROBOTS = "User-agent: *\nDisallow: /\n"
TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".xml": "application/xml",
         ".json": "application/json", ".svg": "image/svg+xml", ".csv": "text/csv", ".txt": "text/plain",
         ".wasm": "application/wasm"}
# What http.server's own refusals say (in English, as HTML, without our headers) — said in Chinese instead.
REFUSALS: dict[int, str] = {
    HTTPStatus.BAD_REQUEST: "请求的格式不对，预览无法处理",
    HTTPStatus.REQUEST_URI_TOO_LONG: "地址过长，预览无法处理",
    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: "请求头过长或过多，预览无法处理",
    HTTPStatus.NOT_IMPLEMENTED: "预览只接受 GET 和 HEAD 请求（在浏览器中打开页面即可），不接受其他请求方法",
    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED: "预览只接受 HTTP/1.x 请求",
}


@dataclass
class Response:
    status: int
    content_type: str = "text/html"
    body: bytes = b""
    file: Path | None = None  # sent from disk instead of `body`
    headers: dict[str, str] = field(default_factory=dict)


def respond(session: PreviewSession, pages: PreviewPages, target: str) -> Response:
    """The answer to a GET of `target` (path and query as the browser sent them)."""
    parts = urlsplit(target)
    try:
        path = unquote(parts.path, errors="strict")
    except UnicodeDecodeError:
        return _text(HTTPStatus.BAD_REQUEST, "地址不是有效的 UTF-8")
    if "\0" in path or "\\" in path:
        return _text(HTTPStatus.BAD_REQUEST, "地址中有不允许的字符")
    url = path.lstrip("/")
    if url.startswith(PREFIX) or url == PREFIX.rstrip("/"):
        return _own(session, pages, url, parse_qs(parts.query))
    if url == "robots.txt":
        return _text(HTTPStatus.OK, ROBOTS)
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    if url == "" or url.endswith("/"):
        found = session.page(url)
        if found is not None:
            html, page = found
            return _html(pages.finish(pages.decorate(html, page, session), session))
        if url == "" and session.renderer is None:
            return Response(HTTPStatus.FOUND, headers={"Location": f"/{PREFIX}"})
    elif session.page(f"{url}/") is not None:
        return Response(HTTPStatus.MOVED_PERMANENTLY, headers={"Location": f"/{url}/"})
    else:
        static = _static(session, url)
        if static is not None:
            return static
    return _not_found(session, pages)


_ELSEWHERE = {"cross-site", "same-site"}  # same-site: another port of this machine is another site's page too
_OPENED = {"document", ""}  # a navigation of the whole tab (older browsers send no destination)


def asked_from_elsewhere(headers: Message | Mapping[str, str]) -> bool:
    """Whether another site's page made the browser send this request by itself (Fetch Metadata):
    anything but a whole-tab navigation to the preview. Without the headers (curl, older browsers) it is not."""
    def value(name: str) -> str:
        return str(headers.get(name, "") or "").strip().lower()

    if value("Sec-Fetch-Site") not in _ELSEWHERE:
        return False
    return not (value("Sec-Fetch-Mode") == "navigate" and value("Sec-Fetch-Dest") in _OPENED)


# A host (a name's letters, digits, dots and hyphens, or an IPv6 address in brackets) and an optional port.
_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def named_host(headers: Message, target: str) -> str | None:
    """The host a request is addressed to: the authority of a target in absolute form (`GET http://host/x`, which
    HTTP/1.1 puts before the Host header), else its Host header; None without one, or with two or more (which
    HTTP/1.1 says to refuse: a proxy and the server may each read a different one)."""
    hosts = headers.get_all("Host") or []
    if len(hosts) > 1:
        return None
    if not target.startswith("/"):
        parts = urlsplit(target)
        return parts.netloc if parts.scheme.lower() in ("http", "https") else None
    return hosts[0] if hosts else None


def addressed_here(host: str | None) -> bool:
    """Whether a request's Host header names an IP address or localhost (with or without a port), and nothing
    else: a user part (`evil.example@localhost`), a path, query or fragment, blanks or a port that is not digits
    make it no address of this machine (`urlsplit` read `evil.example\\@localhost` as localhost)."""
    host = host.strip(" \t") if host else ""  # the blanks HTTP allows around a header's value
    if not _HOST.fullmatch(host):
        return False
    try:
        name = (urlsplit(f"//{host}").hostname or "").rstrip(".") if host else ""
    except ValueError:  # e.g. brackets around something that is not an IPv6 address
        return False
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _own(session: PreviewSession, pages: PreviewPages, url: str, query: dict[str, list[str]]) -> Response:
    if url in ("_preview", PREFIX):
        with session.lock:
            return _html(pages.problems_page(session))
    if url in OWN_FILES:
        return _file(STATIC / OWN_FILES[url])
    if url == f"{PREFIX}changes":
        try:
            since = int(query.get("since", [""])[0])
        except ValueError:
            since = -1
        version = session.wait(since, WAIT_SECONDS)
        return _json({"version": version})
    if url == f"{PREFIX}locate":  # `gongkai preview PATH` asks a running preview where an item is
        return _json({"root": str(session.root), "location": item_location(session, query.get("path", [""])[0])})
    return _not_found(session, pages)


def _static(session: PreviewSession, url: str) -> Response | None:
    with session.lock:
        found = session.renderer.static_file(url) if session.renderer is not None else None
        attachments = session.model.project.attachments_dir
    if found is not None and found.text is not None:
        return Response(HTTPStatus.OK, _type(url), found.text.encode("utf-8"))
    if found is not None and found.attachment:
        resolved = resolve(attachments, found.attachment, session.settings.limits.attachment_bytes)
        return _file(resolved.path) if resolved.publishable else None
    if found is not None and found.path is not None:
        return _file(found.path) if _may_serve(session, found.path) else None
    if url.startswith(f"{BUNDLE_DIR}/"):  # the last build's search index, read where it lies
        name = url.removeprefix(f"{BUNDLE_DIR}/")
        if is_runtime(name):
            runtime = pagefind_runtime().get(name)
            return Response(HTTPStatus.OK, _type(name), runtime) if runtime is not None else None
        return _last_index(session.root / "site", url)
    return None


def _may_serve(session: PreviewSession, path: Path) -> bool:
    """A theme file only as the build would publish it: nothing from docs_dir (which must be empty) and, from
    the theme folder, only gongkai's own files and an agency's styles, pictures and fonts. Anything else (an
    HTML page, an SVG, a script a committer added) would run at the preview's address, which shows drafts."""
    settings = session.settings
    absolute = Path(os.path.abspath(path))
    if settings.docs_dir is not None and absolute.is_relative_to(os.path.abspath(settings.docs_dir)):
        return False
    theme = settings.theme_dir
    if theme is None or not absolute.is_relative_to(os.path.abspath(theme)):
        return True  # the installed theme's own file
    return may_publish(theme, absolute.relative_to(os.path.abspath(theme)).as_posix(), path)


def _last_index(site: Path, url: str) -> Response | None:
    segments = url.split("/")
    if any(segment in ("", ".", "..") for segment in segments) or Path(url).suffix.lower() not in INDEX_TYPES:
        return None
    # Where the last build wrote it, reached through no link: a `site` or `site/pagefind` committed as one (to
    # `~/.docker`) made that folder's `.json` files the preview's.
    bundle = os.path.join(os.path.realpath(site.parent), site.name, BUNDLE_DIR)
    real = os.path.realpath(site.joinpath(*segments))
    if not real.startswith(bundle + os.sep) or not os.path.isfile(real):
        return None
    return _file(Path(real))


def _not_found(session: PreviewSession, pages: PreviewPages) -> Response:
    with session.lock:
        try:
            html = session.renderer.not_found() if session.renderer is not None else None
        except PluginError as exc:  # a <script> the templates assembled: shown, not served
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        if html is None:
            return _text(HTTPStatus.NOT_FOUND, f"预览中没有这个地址。问题和未发布条目见 /{PREFIX}")
        body = pages.finish(pages.decorate(html, None, session), session)
    response = _html(body)
    response.status = HTTPStatus.NOT_FOUND
    return response


def _html(text: str) -> Response:
    return Response(HTTPStatus.OK, "text/html", text.encode("utf-8"), headers={"Content-Security-Policy": HEADER_POLICY})


def _json(data: dict) -> Response:
    return Response(HTTPStatus.OK, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _text(status: int, text: str) -> Response:
    return Response(status, "text/plain", text.encode("utf-8"))


def _file(path: Path) -> Response:
    return Response(HTTPStatus.OK, _type(path.name), file=path)


def _type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


class PreviewServer(ThreadingHTTPServer):
    """One thread a connection, at most `max_connections` at once: the next is told the preview is busy and
    closed at once, so connections opened and left hanging cannot make the preview start threads without end."""

    daemon_threads = True  # a browser's waiting long poll never keeps the preview from stopping
    max_connections = MAX_CONNECTIONS

    def __init__(self, address: tuple[str, int], session: PreviewSession, pages: PreviewPages) -> None:
        self.session = session
        self.pages = pages
        self.slots = threading.BoundedSemaphore(self.max_connections)
        self._holding: set[int] = set()  # the connections holding a slot (their sockets' ids)
        self._holding_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(BUSY)
            self.shutdown_request(request)
            return
        with self._holding_lock:
            self._holding.add(id(request))
        try:
            super().process_request(request, client_address)
        except BaseException:
            # Its thread may have started all the same (Ctrl+C while Thread.start waits for it): the slot is freed once,
            # by whichever comes first. Freed twice, the semaphore's ValueError replaced the KeyboardInterrupt, which
            # socketserver printed and went on serving: the preview did not stop.
            self._free(request)
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._free(request)

    def _free(self, request) -> None:
        with self._holding_lock:
            if id(request) not in self._holding:
                return
            self._holding.remove(id(request))
        self.slots.release()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "gongkai-preview"
    timeout = IDLE_SECONDS  # many connections that never finish their request must not pile up threads for ever

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's refusals (bad request line, too long, too many headers, other methods) in Chinese,
        as plain text; the request's own words (the method, the line) are never echoed back."""
        text = REFUSALS.get(code, "预览无法处理这个请求")
        self.error_message_format = f"{text}（HTTP %(code)d）。问题和未发布条目见 /{PREFIX}\n"
        self.error_content_type = "text/plain; charset=utf-8"
        super().send_error(code)

    def end_headers(self) -> None:
        """Every answer says noindex and nosniff, http.server's own refusals included."""
        self.send_header("X-Robots-Tag", "noindex, nofollow")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _answer(self, send_body: bool) -> None:
        host = named_host(self.headers, self.path)
        if host is None:
            response = _text(HTTPStatus.BAD_REQUEST, "请求没有 Host 头，或有不止一个：预览无法判断它访问的地址")
        elif not addressed_here(host):
            response = _text(HTTPStatus.MISDIRECTED_REQUEST,
                             "预览只接受以 IP 地址或 localhost 访问（例如 http://127.0.0.1:8000/），不接受其他域名")
        elif asked_from_elsewhere(self.headers):
            response = _text(HTTPStatus.FORBIDDEN, "预览不回应其他网站页面发出的请求（图片、脚本、框架等）："
                             "请直接在浏览器地址栏打开预览地址")
        else:
            response = respond(self.server.session, self.server.pages, self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the browser went away (e.g. a reload)
            self._send(response, send_body)

    def _send(self, response: Response, send_body: bool) -> None:
        stream = None
        if response.file is not None:
            # never a link, and never a FIFO put in a file's place since it was judged (its read would hold the thread)
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            try:
                stream = os.fdopen(os.open(response.file, flags), "rb")
                if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                    stream.close()
                    raise OSError("not a regular file")
            except OSError:
                stream = None
                response = _text(HTTPStatus.NOT_FOUND, "文件不存在或无法读取")
        size = os.fstat(stream.fileno()).st_size if stream is not None else len(response.body)
        self.send_response(response.status)
        charset = "; charset=utf-8" if response.content_type.startswith("text/") or response.content_type.endswith(
            ("json", "javascript", "xml")) else ""
        self.send_header("Content-Type", response.content_type + charset)
        self.send_header("Content-Length", str(size))
        self.send_header("Cache-Control", "no-store")
        headers = {"Content-Security-Policy": HEADER_POLICY, **response.headers}  # files too: an SVG opened alone
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if stream is not None:
            with stream:
                if send_body:
                    shutil.copyfileobj(stream, self.wfile)
        elif send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        """No access log: http.server writes it in English, and editors need none of it."""
