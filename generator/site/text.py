"""Rendered HTML → plain text for the search index: one line per block, inline markup joined."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements that start a new line; everything else (strong, a, span …) runs on inside its line,
# so that a phrase split by markup (`农村<b>危房</b>改造`) stays one searchable string.
BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
)
SKIPPED = frozenset(("script", "style", "template"))
_SPACE = re.compile(r"\s+")


def plain_text(html: str) -> str:
    body = LexborHTMLParser(html).body
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        current.clear()
        if line:
            lines.append(line)

    def walk(node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                current.append(child.text_content or "")
            elif child.tag in SKIPPED:
                continue
            elif child.tag in BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    if body is not None:
        walk(body)
    flush()
    return "\n".join(lines)
