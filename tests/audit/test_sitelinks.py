"""Links of a built site: internal ones resolve or are reported; outside ones are listed and asked
only when told to (a local HTTP server stands in for the outside world)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from gongkai.audit.sitelinks import check_external, scan


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


def test_online_check_asks_each_outside_address(tmp_path):
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
