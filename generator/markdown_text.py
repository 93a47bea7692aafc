"""Text written as Markdown that renders to exactly that text, under every extension mkdocs.yml may enable.

Markdown and HTML syntax in it is escaped, and so is what only an extension reads as markup (~~, ==, {--, $,
:emoji:, !!!, ///, a `Key:` first line), so nothing in the text can become markup or be hidden wherever the
Markdown is rendered. `gongkai import` writes a Word file's text with it, `gongkai report --format markdown`
the clerk's texts and the table cells of the annual report.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([`*_|])")
_ORDERED = re.compile(r"^(?:\d+|[A-Za-z]{1,8})(?=[.)](\s|$))")  # 1. · a) · iv. (PyMdown's fancy lists)
# Characters that open markup only in an extension an agency may enable (every one of PyMdown's is accepted):
# ~~del~~ ~sub~ ~~~fence, ^^ins^^ ^sup^, ==mark==, ++keys++, {--critic--} {: attrs}, $math$. Written as character
# references, which every extension leaves alone and the page shows as the character.
# Backslashes and brackets too: escaped with a backslash, `[1]` became `\[1\]`, which arithmatex reads as display
# math (and `\(…\)` as inline math) and writes into a <script>, so "[1]" vanished from the page.
_EXTENSION_MARKS = re.compile(r"[~^{}$\\\[\]]|\+{2,}|={2,}")
# :emoji: shortcodes, and a `Key:` line that the meta extension would hide from the page at the body's start
# (a time like 10:30 stays as written).
_COLON = re.compile(r"^([ \t\u3000]*[A-Za-z0-9_-]+):|:(?=[+\-\w]+:)")
# At a line's start: !!! admonitions, ??? details, /// blocks, : definitions, ... (the end of meta lines).
_LINE_MARKS = {"!": "&#33;", ".": "&#46;", "?": "&#63;", "/": "&#47;", ":": "&#58;"}


def escape(text: str) -> str:
    """`text` as Markdown that renders to exactly `text`: no markup, no raw HTML, line breaks kept."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _EXTENSION_MARKS.sub(lambda found: "".join(f"&#{ord(char)};" for char in found[0]), text)
    text = _INLINE.sub(r"\\\1", text)  # after the references: its backslashes are Markdown's escapes
    lines = [_COLON.sub(_colon, line) for line in text.split("\n")]
    for at, line in enumerate(lines):
        if at:  # a continuation line: leading spaces would make code
            line = line.lstrip(" \t\u3000")
        if at < len(lines) - 1:
            line = line.rstrip(" \t\u3000")
        rest = line.lstrip(" \t\u3000")  # the paragraph's own indent is dropped later: judge what follows it
        lead = line[: len(line) - len(rest)]
        if number := _ORDERED.match(rest):  # "1. " would start a list
            rest = rest[: number.end()] + "\\" + rest[number.end():]
        elif rest[:1] in ("#", "+", "-"):  # heading, list, rule
            rest = "\\" + rest
        elif rest[:1] in _LINE_MARKS:
            rest = _LINE_MARKS[rest[0]] + rest[1:]
        elif rest[:1] == ">":  # quote
            rest = "&gt;" + rest[1:]
        elif rest[:1] == "=":  # setext underline
            rest = "&#61;" + rest[1:]
        lines[at] = lead + rest
    text = "  \n".join(lines)
    # Word splits text into runs anywhere: a "!" that ends this piece would make a link written next to it
    # an image (![…](url), a picture fetched from that address).
    return text[:-1] + "\\!" if text.endswith("!") else text


def _colon(found: re.Match[str]) -> str:
    """The colon of a `Key:` line (meta) or of a shortcode's start, as a character reference."""
    return (found[1] or "") + "&#58;"
