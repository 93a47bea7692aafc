"""`gongkai schema --kind application|supervision`: JSON Schemas that agree with `gongkai check`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.registers import applications, supervision
from tests.registers.register_helpers import write_application, write_entry

REPO = Path(__file__).resolve().parents[2]


def schema_of(site, monkeypatch, *args: str) -> dict:
    monkeypatch.chdir(site.root)
    result = CliRunner().invoke(main, ["schema", *args], catch_exceptions=False)
    assert result.exit_code == 0
    return json.loads(result.output)


def as_json(path: Path) -> object:
    """The file as an editor's YAML plugin sees it: dates are strings."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_plain_schema_is_still_the_items(site, monkeypatch):
    assert schema_of(site, monkeypatch)["$id"].endswith("item-front-matter.json")
    assert schema_of(site, monkeypatch, "--kind", "item")["$id"].endswith("item-front-matter.json")


@pytest.mark.parametrize(("kind", "fields"), [("application", applications.FIELDS), ("supervision", supervision.FIELDS)])
def test_the_schemas_list_every_key_with_its_label(site, monkeypatch, kind, fields):
    schema = schema_of(site, monkeypatch, "--kind", kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == [field.key for field in fields]
    assert schema["required"] == [field.key for field in fields if field.required]
    assert all(schema["properties"][field.key]["title"] == field.label for field in fields)


@pytest.mark.parametrize(("kind", "folder"), [("application", "applications"), ("supervision", "supervision")])
def test_every_sample_register_file_is_valid(monkeypatch, kind, folder):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["schema", "--kind", kind], catch_exceptions=False)
    validator = jsonschema.Draft202012Validator(json.loads(result.output))
    files = sorted((REPO / "content" / folder).rglob("*.yml"))
    assert len(files) > 10
    for file in files:
        assert list(validator.iter_errors(as_json(file))) == [], file


@pytest.mark.parametrize("fields", [{"channel": "电话"}, {"applicant": "个人"}, {"姓名": "张三"}, {"outcome": "予以公开"},
                                    {"review": {"filed": "2025-04-01"}}])
def test_what_the_check_refuses_the_schema_refuses(site, monkeypatch, fields):
    schema = schema_of(site, monkeypatch, "--kind", "application")
    path = write_application(site.root, **fields)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(as_json(path)))
    assert [p for p in site.check() if p.path == site.rel(path) and p.is_error]


def test_the_department_enum_comes_from_the_catalog(site, monkeypatch):
    schema = schema_of(site, monkeypatch, "--kind", "supervision")
    assert set(schema["properties"]["department"]["enum"]) == {"办公室", "office", "住房保障股", "housing"}
    path = write_entry(site.root, department="财务科")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(as_json(path)))
