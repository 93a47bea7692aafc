"""Links of a built site: internal ones resolve or are reported; outside ones are listed and asked
only when told to (a local HTTP server stands in for the outside world: the tests that ask it let the
audit treat its loopback address as public; the others check that a non-public address is never asked)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest

from gongkai.audit import sitelinks
from gongkai.audit.sitelinks import NOT_PUBLIC, check_external, scan


def page(site: Path, url: str, body: str) -> None:
    file = site / url / "index.html" if url.endswith("/") or not url else site / url
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def make_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    page(site, "", '<a href="items/2024/00001/">条目</a><a href="/about/">关于</a><img src="assets/logo.png">'
                   '<a href="#main">跳到正文</a><a href="mailto:a@b.c">信箱</a><a href="tel:0311">电话</a>'
                   '<a href="https://example.invalid/x">外部</a><a href="https://zjj.example.gov.cn/about/">本站绝对</a>')
    page(site, "items/2024/00001/", '<a href="../../../attachments/2024/a.pdf">附件</a>'
                                    '<a href="../../../attachments/2024/missing.pdf">缺失的附件</a>'
                                    '<a href="../00002/">不存在的条目</a><a href="../../../%E6%8C%87%E5%8D%97/">指南</a>'
                                    '<link rel="stylesheet" href="../../../assets/site.css">'
                                    '<a href="../../../../../../about/">越界但浏览器会停在根目录</a>')
    page(site, "about/", '<a href="../">首页</a><a href="https://zjj.example.gov.cn/gone/">本站绝对但不存在</a>')
    page(site, "指南/", "指南")
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "logo.png").write_bytes(b"png")
    (site / "attachments" / "2024").mkdir(parents=True)
    (site / "attachments" / "2024" / "a.pdf").write_bytes(b"%PDF")
    return site


def test_internal_links_resolve_or_are_reported(tmp_path):
    links = scan(make_site(tmp_path), "https://zjj.example.gov.cn/")
    assert sorted(links.dead) == ["assets/site.css", "attachments/2024/missing.pdf", "gone/", "items/2024/00002/"]
    assert links.dead["attachments/2024/missing.pdf"] == ["items/2024/00001/"]
    assert sorted(links.external) == ["https://example.invalid/x"]
    assert links.pages == 4


def test_without_site_url_an_absolute_link_to_the_site_is_external(tmp_path):
    links = scan(make_site(tmp_path))
    assert "https://zjj.example.gov.cn/about/" in links.external


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def test_online_check_asks_each_outside_address(tmp_path, monkeypatch):
    monkeypatch.setattr(sitelinks, "_internal", lambda url: False)
    served = tmp_path / "served"
    served.mkdir()
    (served / "ok.html").write_text("ok", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        failed = check_external([f"{base}/ok.html", f"{base}/missing.html", "http://127.0.0.1:9/closed"])
    finally:
        server.shutdown()
        server.server_close()
    assert set(failed) == {"http://127.0.0.1:9/closed", f"{base}/missing.html"}
    assert failed[f"{base}/missing.html"] == "HTTP 404"


class _Counting(_Quiet):
    """Records each request and answers it with a redirect to `location`."""

    asked: list[str]
    location = "/"

    def do_HEAD(self):  # noqa: N802 - the stdlib's name
        self.asked.append(self.path)
        self.send_response(302)
        self.send_header("Location", self.location)
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815


def _serve(handler: type) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_a_loopback_address_is_reported_and_never_asked():
    handler = cast(type[_Counting], type("Counting", (_Counting,), {"asked": []}))
    server, base = _serve(handler)
    try:
        failed = check_external([f"{base}/admin/delete?all=1", f"//127.0.0.1:{server.server_address[1]}/x"])
    finally:
        server.shutdown()
        server.server_close()
    assert set(failed.values()) == {NOT_PUBLIC}
    assert handler.asked == []


def test_a_redirect_to_a_non_public_address_is_not_followed(monkeypatch):
    inner = cast(type[_Counting], type("Inner", (_Counting,), {"asked": []}))
    inner_server, inner_base = _serve(inner)
    outer = cast(type[_Counting], type("Outer", (_Counting,), {"asked": [], "location": f"{inner_base}/secret"}))
    outer_server, outer_base = _serve(outer)
    public_port = outer_server.server_address[1]  # the one address taken for public
    monkeypatch.setattr(sitelinks, "_internal", lambda url: urlsplit(url).port != public_port)
    try:
        failed = check_external([f"{outer_base}/moved"])
    finally:
        for server in (inner_server, outer_server):
            server.shutdown()
            server.server_close()
    assert outer.asked and inner.asked == []
    assert "转向" in failed[f"{outer_base}/moved"] and NOT_PUBLIC in failed[f"{outer_base}/moved"]


@pytest.mark.parametrize("address", [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://[::1]/",
    "http://[::ffff:127.0.0.1]/", "http://localhost./", "http://LOCALHOST:8000/", "http://admin.localhost/", "http://10.0.0.8/", "http://192.168.1.1:8080/",
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1%25eth0]/", "http://0.0.0.0/",
    "ftp://example.org/", "file:///etc/passwd", "http:///nohost", "http://[::1/",
])
def test_addresses_the_public_cannot_reach_are_internal(address):
    assert sitelinks._internal(address)


def test_a_name_that_resolves_elsewhere_when_asked_is_never_asked(monkeypatch):
    """DNS rebinding: a name answers a public address when judged and 127.0.0.1 when the request connects
    (a zero TTL does it). The connection goes only to an address judged at that moment."""
    import socket

    asked: list[str] = []

    class Record(_Quiet):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_HEAD = do_GET  # noqa: N815

    server, _ = _serve(Record)
    real = socket.getaddrinfo
    answers = {"count": 0}

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        answers["count"] += 1
        ip = "93.184.215.14" if answers["count"] == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    try:
        failed = check_external([f"http://rebind.example:{server.server_address[1]}/admin/delete?all=1"])
    finally:
        server.shutdown()
        server.server_close()
    assert asked == [] and answers["count"] >= 2
    assert NOT_PUBLIC in next(iter(failed.values()))


def test_a_link_to_a_name_no_file_system_takes_is_dead(tmp_path):
    site = make_site(tmp_path)
    long_names = ["q" * 300, "/".join(["d" * 200] * 25)]
    page(site, "long/", "".join(f'<a href="/{name}/">甲</a><a href="../{name}.png">乙</a>' for name in long_names))
    links = scan(site)
    for name in long_names:
        assert f"{name}/" in links.dead and f"{name}.png" in links.dead
