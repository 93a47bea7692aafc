"""Unsafe-markup checks (GK5xx): HTML that would run code or restyle the site, in the body and in
every front-matter string that reaches a page.

Markdown passes raw HTML through, so an item could carry a script into a government site. The URL
patterns see through the usual disguises: letter case, HTML character references
(`java&#115;cript:`) and tabs or line breaks inside the scheme, all of which browsers ignore.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..front_matter_schema import label
from ..problems import Problem
from ..rules import ERROR, MARKUP
from .base import CheckContext, body_position, front_matter_position

LOCAL = True  # reads only each item's own file

TAG = MARKUP.rule(
    "GK501", ERROR,
    "不安全的 HTML 标签（script、iframe、object、embed、style、frame、applet、base、link、meta、form）",
    "删除该标签；网站不允许嵌入脚本、框架、插件、样式或表单，内容请用 Markdown 书写，视频等请作为附件或外链",
)
EVENT = MARKUP.rule(
    "GK502", ERROR,
    "HTML 标签带事件属性（onclick、onerror、onload 等）",
    "删除 on… 属性；正文中不需要任何脚本",
)
URL = MARKUP.rule(
    "GK503", ERROR,
    "链接使用了可执行脚本的地址（javascript:、vbscript:、data:text/html）",
    "删除该链接，或改为以 https:// 开头的正常网址",
)

_TAGS = ("script", "iframe", "object", "embed", "style", "frame", "frameset", "applet", "base", "link", "meta", "form")
_TAG = re.compile(r"<(" + "|".join(_TAGS) + r")(?=[\s/>])", re.I)
_EVENT = re.compile(r"<[a-z][^<>]*?[\s/\"'](on[a-z]+)\s*=", re.I)

# Browsers drop tabs and line breaks inside a URL and decode character references first.
_GAP = r"(?:[\t\n\r]|&#0*(?:9|10|13);?|&#x0*[9ad];?|&tab;|&newline;)*"


def _char(ch: str) -> str:
    alternatives = [re.escape(ch), f"&#0*{ord(ch)};?", f"&#x0*{ord(ch):x};?"]
    if ch == ":":
        alternatives.append("&colon;")
    if ch == "/":
        alternatives.append("&sol;")
    return "(?:" + "|".join(alternatives) + ")"


def _disguisable(word: str) -> str:
    return _GAP.join(_char(ch) for ch in word)


_URL = re.compile("|".join(_disguisable(word) for word in ("javascript:", "vbscript:", "data:text/html")), re.I)


def find(text: str) -> Iterator[tuple[str, int, str]]:
    """(code, offset, what was found) of each unsafe construct in `text`."""
    # Cheap membership tests first: most bodies have no ASCII '<', ':' or '&' at all.
    if "<" in text:
        for found in _TAG.finditer(text):
            yield TAG, found.start(), f"<{found[1].lower()}>"
        for found in _EVENT.finditer(text):
            yield EVENT, found.start(1), found[1].lower()
    if ":" in text or "&" in text:
        for found in _URL.finditer(text):
            yield URL, found.start(), found[0]


def _explain(code: str, what: str) -> str:
    if code == TAG:
        return f"不安全的 HTML 标签 {what}：网站不允许嵌入脚本、框架、插件、样式或表单，请删除该标签，内容改用 Markdown 书写"
    if code == EVENT:
        return f"HTML 事件属性 {what}=：这会在读者的浏览器里执行脚本，请删除该属性"
    shown = re.sub(r"\s+", " ", what)[:40]
    return f"可执行脚本的链接地址“{shown}”：请删除该链接，或改为以 https:// 开头的正常网址"


def check(ctx: CheckContext) -> Iterator[Problem]:
    for item, doc in ctx.sources():
        for code, start, what in find(item.body):
            line, col = body_position(item, start)
            yield code.at(doc.path, line, f"正文中有{_explain(code, what)}", col)
        strings = ctx.strings(doc)
        for path, text in strings.items if next(find(strings.joined), None) else ():
            for code, start, what in find(text):
                line, col = front_matter_position(doc, path, text[start : start + 8])
                yield code.at(doc.path, line, f"{label(*path)}中有{_explain(code, what)}", col)
