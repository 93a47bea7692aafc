"""`gongkai schema`: a JSON Schema of the front matter that agrees with `gongkai check`."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.fields import FIELDS
from gongkai.front_matter_schema import build_schema
from gongkai.project import load_project


@pytest.fixture
def schema(site, monkeypatch):
    monkeypatch.chdir(site.root)
    result = CliRunner().invoke(main, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    return json.loads(result.output)


def test_shape(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(FIELDS)
    assert schema["required"] == ["title", "index_no", "category", "department", "published", "disclosure", "review"]
    for key, field in FIELDS.items():
        assert schema["properties"][key]["title"] == field.label


def test_enums_and_patterns_come_from_the_catalog(site, schema):
    properties = schema["properties"]
    assert set(properties["category"]["enum"]) == {"规范性文件", "normative", "政策解读", "interpretation", "动态信息", "news"}
    assert "政策文件" not in properties["category"]["enum"]  # groups are not leaves
    assert set(properties["department"]["enum"]) == {"办公室", "office", "住房保障股", "housing"}
    index_no = re.compile(properties["index_no"]["pattern"])
    assert index_no.match(f"{site.ORG_CODE}/2021-00001") and not index_no.match("000000000/2021-00001")
    assert not index_no.match(f"{site.ORG_CODE}/2021-0001")
    assert properties["disclosure"]["enum"] == ["主动公开", "依申请公开", "不予公开"]
    entry = properties["review"]["properties"]["final"]
    assert entry["required"] == ["reviewer", "date", "opinion", "digest"] and entry["additionalProperties"] is False


def _valid(schema: dict, instance: object) -> bool:
    """A small validator for the keywords the schema uses (no extra dependency)."""
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(instance, dict) or any(key not in instance for key in schema.get("required", [])):
            return False
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False and set(instance) - set(properties):
            return False
        return all(_valid(properties[key], value) for key, value in instance.items() if key in properties)
    if kind == "array":
        return isinstance(instance, list) and all(_valid(schema["items"], value) for value in instance)
    if kind == "string":
        if not isinstance(instance, str) or len(instance) < schema.get("minLength", 0):
            return False
        if "enum" in schema and instance not in schema["enum"]:
            return False
        return "pattern" not in schema or re.search(schema["pattern"], instance) is not None
    return True


def test_a_signed_item_validates_and_broken_ones_do_not(site, schema):
    site.item(keywords=["住房"], attachments=[])
    document = next(iter(load_project(site.root).documents.values()))
    assert _valid(schema, document.meta)
    assert not _valid(schema, {**document.meta, "pubished": "2021-06-18"})
    assert not _valid(schema, {**document.meta, "category": "政策文件"})
    assert not _valid(schema, {key: v for key, v in document.meta.items() if key != "review"})


def test_without_a_catalog_it_still_builds():
    schema = build_schema(None)
    assert "enum" not in schema["properties"]["category"]
    assert re.match(schema["properties"]["index_no"]["pattern"], "11131122MB1534702N/2021-00001")
    json.dumps(schema, ensure_ascii=False)
    yaml.safe_dump(schema)


# Digits of other scripts a Unicode-aware validator reads as `\d` (Python's re, as jsonschema uses it).
_OTHER_DIGITS = ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "߀߁߂߃߄߅߆߇߈߉", "０１２３４５６７８９", "𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿")
_EXAMPLES = ("2021-06-18", "11131122MB1534702N/2021-00001", "2026Q3", "2026-03", "2026W09", "2026")


def _patterns(value: object) -> list[str]:
    if isinstance(value, dict):
        found = [value["pattern"]] if isinstance(value.get("pattern"), str) else []
        return found + [p for child in value.values() for p in _patterns(child)]
    if isinstance(value, list):
        return [p for child in value for p in _patterns(child)]
    return []


def test_every_schema_pattern_takes_ascii_digits_only(site):
    """The editors' form and the check agree: a date, 索引号 or period in another script's digits is refused by both."""
    from gongkai.lexicon.entries import json_schema
    from gongkai.registers.schema import register_schema

    catalog = load_project(site.root).catalog
    schemas = [build_schema(catalog), build_schema(None), json_schema(),
               *(register_schema(kind, catalog) for kind in ("application", "supervision"))]
    matched = 0
    for pattern in {p for s in schemas for p in _patterns(s) if "[0-9]" in p or "\\d" in p}:  # patterns of digits
        for example in _EXAMPLES:
            if re.search(pattern, example) is None:
                continue
            matched += 1
            for digits in _OTHER_DIGITS:
                disguised = example.translate(str.maketrans("0123456789", digits))
                assert re.search(pattern, disguised) is None, (pattern, disguised)
    assert matched >= 4  # the date, 索引号 and period patterns were tried
