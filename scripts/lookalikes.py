#!/usr/bin/env python3
"""Regenerate generator/lookalikes.json from the installed confusable_homoglyphs (after upgrading it or Python)."""

from __future__ import annotations

from gongkai import lookalikes

if __name__ == "__main__":
    lookalikes.FILE.write_text(lookalikes.dumps(lookalikes.compute()), encoding="utf-8")
    print(f"wrote {lookalikes.FILE.name}")
