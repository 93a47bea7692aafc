"""JSON Schemas (draft 2020-12) of the two register files, built from their field declarations."""

from __future__ import annotations

from typing import Any

from ..fields import DATE_PATTERN, index_no_pattern
from ..model import Catalog
from . import applications, supervision
from .fields import AMOUNT, CHOICE, DATE, FLAG, GROUP, Field

KINDS = {
    "application": (applications.FIELDS, "依申请公开登记（gongkai）",
                    "content/applications/<年份>/<编号>.yml：一件政府信息公开申请。申请人只登记类型，不登记姓名和证件号码。"),
    "supervision": (supervision.FIELDS, "督查督办登记（gongkai）",
                    "content/supervision/<年份>/<编号>.yml：一件督办件（含人大代表建议、政协委员提案）。"),
}


def _property(spec: Field, catalog: Catalog | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": spec.label, "description": spec.description}
    if spec.kind == GROUP:
        schema |= _object(spec.children, catalog)
    elif spec.kind == DATE:
        schema |= {"type": "string", "pattern": DATE_PATTERN}
    elif spec.kind == CHOICE:
        schema |= {"type": "string", "enum": [*spec.choices, *spec.aliases]}
    elif spec.kind == FLAG:
        schema |= {"type": "boolean"}
    elif spec.kind == AMOUNT:
        schema |= {"type": "number", "minimum": 0}
    else:
        schema |= {"type": "string", "minLength": 1}
    if spec.key == "department" and catalog is not None:
        schema["enum"] = sorted({key for department in catalog.departments for key in (department.name, department.slug)})
    if spec.key == "reply":
        schema["pattern"] = index_no_pattern(catalog.org_code if catalog else None)
    return schema


def _object(fields: tuple[Field, ...], catalog: Catalog | None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {spec.key: _property(spec, catalog) for spec in fields},
        "required": [spec.key for spec in fields if spec.required],
        "additionalProperties": False,
    }


def register_schema(kind: str, catalog: Catalog | None) -> dict[str, Any]:
    """The schema of an `application` or a `supervision` register file."""
    fields, title, description = KINDS[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gongkai.invalid/schema/{kind}-register.json",
        "title": title,
        "description": description,
        **_object(fields, catalog),
    }
