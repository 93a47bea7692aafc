"""`gongkai rules`: every code with its severity, meaning and fix, in each format."""

from __future__ import annotations

from gongkai.rulebook import render_text
from gongkai.rules import all_rules


def test_the_text_list_gives_every_codes_fix():
    """The help promises 级别、含义和修正方法; the text list gave code, severity and title only."""
    text = render_text()
    for rule in all_rules():
        assert f"{rule.code} " in text and f"如何修正：{rule.fix}" in text, rule.code
