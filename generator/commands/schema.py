"""`gongkai schema`: the JSON Schema of an item's front matter, a register file or the lexicon."""

from __future__ import annotations

import json
from typing import Any

from ..settings import Settings
from . import site_project

KINDS = ("item", "application", "supervision", "lexicon")


def schema(kind: str, settings: Settings | None) -> str:
    """The schema as JSON text; enums (categories, departments, review levels) from the site's catalog.
    The lexicon's needs no site (`settings` None)."""
    return json.dumps(_schema(kind, settings), ensure_ascii=False, indent=2)


def _schema(kind: str, settings: Settings | None) -> dict[str, Any]:
    if kind == "lexicon":
        from ..lexicon.entries import json_schema

        return json_schema()
    assert settings is not None
    catalog = site_project(settings).catalog
    if kind == "item":
        from ..front_matter_schema import build_schema

        return build_schema(catalog)
    from ..registers.schema import register_schema

    return register_schema(kind, catalog)
