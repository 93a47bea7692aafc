#!/usr/bin/env python3
"""Regenerate generator/simplified_forms.json from the installed OpenCC and confusable_homoglyphs (after upgrading either)."""

from __future__ import annotations

from gongkai import simplified_forms

if __name__ == "__main__":
    simplified_forms.FILE.write_text(simplified_forms.dumps(simplified_forms.compute()), encoding="utf-8")
    print(f"wrote {simplified_forms.FILE.name}")
