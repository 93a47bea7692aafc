"""`gongkai rules`: every check code with its severity, title and fix (the 编辑手册's table)."""

from __future__ import annotations

from ..rulebook import render_json, render_markdown, render_text

FORMATS = ("text", "markdown", "json")


def rules(format_: str) -> str:
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    return renderers[format_]()
