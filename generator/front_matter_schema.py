"""The JSON Schema of an item's front matter, for editors (`gongkai schema`), assembled from `fields.FIELDS`."""

from __future__ import annotations

from typing import Any

from .fields import FIELDS
from .model import Catalog


def build_schema(catalog: Catalog | None) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an item's front matter; enums come from the catalog when known."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gongkai.invalid/schema/item-front-matter.json",
        "title": "政务公开条目元数据（gongkai）",
        "description": "content/items/ 下每个 Markdown 文件开头 --- 之间的 YAML 元数据。",
        "type": "object",
        "properties": {key: field.fragment(catalog) for key, field in FIELDS.items()},
        "required": [key for key, field in FIELDS.items() if field.required],
        "additionalProperties": False,
    }
