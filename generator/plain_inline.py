"""A Python-Markdown extension that skips inline processing of text no inline pattern can match.

Python-Markdown tries every inline pattern (≈ 15 regular expressions) on every text node, even
plain Chinese prose with no markup at all — ≈ half of a body's rendering time. Each pattern of the
site's extensions needs one of a few characters (or two spaces before a line break) to match; a
text without any of them comes back from the patterns unchanged, so it is returned at once. The
HTML is byte for byte what Python-Markdown writes without this extension (tests compare both).

The shortcut is taken only while the registered patterns are exactly the ones listed here, with
exactly these regular expressions; anything else (another extension, another Markdown version)
makes every text go through the patterns as before.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import InlineProcessor

# Inline patterns of Python-Markdown 3.x with the site's extensions (footnotes adds `footnote`):
# name → the regular expression it searches with. Each needs one of `TRIGGER` to match.
KNOWN = {
    "backtick": r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)",
    "escape": r"\\(.)",
    "footnote": r"\[\^([^\]]*)\]",
    "reference": r"(?<!\!)\[",
    "link": r"(?<!\!)\[",
    "image_link": r"\!\[",
    "image_reference": r"\!\[",
    "short_reference": r"(?<!\!)\[",
    "short_image_ref": r"\!\[",
    "autolink": r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>",
    "automail": r"<([^<> !]+@[^@<> ]+)>",
    "linebreak": r"  \n",
    "html": (
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
        r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""
    ),
    "entity": r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)",
    "em_strong": r"\*|_",
}
TRIGGER = re.compile(r"[`\\\[<&*_]|  \n")  # a character some pattern starts from, or a hard line break


def _all_known(processor: InlineProcessor) -> bool:
    patterns = processor.inlinePatterns
    return all(KNOWN.get(item.name) == getattr(patterns[item.name], "pattern", None) for item in patterns._priority)


class PlainTextInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, returning text without a trigger character unchanged."""

    _plain_ok = False

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        self._plain_ok = _all_known(self)
        return super().run(tree, ancestors)

    # Overrides the base class's private (name-mangled) method, which every inline step calls.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if self._plain_ok and patternIndex == 0 and TRIGGER.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class PlainTextInline(Extension):
    """Register as the last extension: replaces the `inline` tree processor at its own priority."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(PlainTextInlineProcessor(md), "inline", 20)
