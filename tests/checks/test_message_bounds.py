"""A value a message quotes is cut: a 50,000-character anchor, reviewer or attachment path was echoed whole, one
50 KB line per problem (100 KB for a link, named twice), where every other message cuts at 40 characters."""

from __future__ import annotations

import re

import pytest

LONG = "x" * 5_000
REWRITES = {
    "anchor": (r"^(title: )", rf"\1&{LONG} "),
    "alias": (r"^(title: .*)$", rf"\1\nkeywords: *{LONG}"),
    "tag": (r"^(title: )", rf"\1!{LONG} "),
    "reviewer": (r"^(\s+reviewer: \S+)", rf"\1{LONG}"),
    "opinion": (r"^(\s+opinion: \S+)", rf"\1{LONG}"),
    "attachment": (r"^(title: .*)$", rf"\1\nattachments: [{{title: 附件, file: {LONG}.pdf}}]"),
    "link": (r"\Z", f"\n\n见[附件]({LONG}.md)。\n"),
}


@pytest.mark.parametrize("what", REWRITES)
def test_no_message_quotes_a_value_whole(site, what):
    path = site.item("2021/a.md", body="正文。\n")
    pattern, replacement = REWRITES[what]
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    problems = [p for p in site.check() if p.path == site.rel(path)]
    assert problems, what
    assert max(len(p.message) for p in problems) < 600, [p.message[:120] for p in problems if len(p.message) >= 600]
