#!/usr/bin/env python3
"""Regenerate generator/theme_manifest.json: the theme files gongkai ships (theme_overrides/) and their
sha256, which `gongkai check` (GK506) accepts as published theme assets. Run after changing a theme asset."""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.checks.theme import MANIFEST, published_theme_files, sha256_of

REPO = Path(__file__).resolve().parents[1]


def manifest(theme: Path) -> dict[str, str]:
    return {relative: sha256_of(path) for relative, path in published_theme_files(theme)}


if __name__ == "__main__":
    target = REPO / "generator" / MANIFEST
    target.write_text(json.dumps(manifest(REPO / "theme_overrides"), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)}")
