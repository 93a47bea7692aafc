"""A page's key is the SHA-256 of its JSON (build_cache.page_key): a page whose output would differ must have other
JSON. orjson says a dataclass by its field names and values, without its type, drops fields named `_…` and writes a
NaN as null; these tests hold the page types to what it says exactly, and hold it to every field of real pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import types
import typing
from pathlib import Path

import orjson
import pytest

from gongkai.build_cache import page_json, page_key
from gongkai.project import load_project
from gongkai.site import plan_site
from gongkai.site.pages import ItemPage, Link, ListingPage, SitePage
from gongkai.site.views import ItemView, MetaCell, WithdrawnView
from gongkai.site_config import load_settings

ROOT = Path(__file__).resolve().parents[1]
LEAVES = {str: "string", dt.date: "string", int: "number", bool: "boolean", type(None): "null"}


def _page_types() -> list[type]:
    found: list[type] = []
    todo: list[type] = [SitePage]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo.extend(kind.__subclasses__())
    return found


def _members(hint: object) -> tuple[object, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def _json_shape(hint: object, where: str, seen: set[type]) -> str:
    """What JSON a value of type `hint` is written as; fails where two values of it could be written alike."""
    members = _members(hint)
    if len(members) > 1:
        shapes = [_json_shape(member, where, seen) for member in members]
        objects = [member for member in members if dataclasses.is_dataclass(member)]
        field_sets = [frozenset(field.name for field in dataclasses.fields(member)) for member in objects]
        assert len(set(field_sets)) == len(field_sets), f"{where}: {objects} are written with the same field names"
        others = [shape for shape in shapes if shape != "object"]
        assert len(set(others)) == len(others), f"{where}: {hint} has two members written as one JSON kind"
        return "|".join(shapes)
    if hint in LEAVES:
        return LEAVES[hint]
    if typing.get_origin(hint) is tuple:
        for argument in typing.get_args(hint):
            if argument is not Ellipsis:
                _json_shape(argument, f"{where}[]", seen)
        return "array"
    assert dataclasses.is_dataclass(hint) and isinstance(hint, type), f"{where}: {hint} has no exact JSON here"
    if hint not in seen:
        seen.add(hint)
        hints = typing.get_type_hints(hint)
        for field in dataclasses.fields(hint):
            assert not field.name.startswith("_"), f"{where}.{field.name}: orjson leaves out a field named _…"
            _json_shape(hints[field.name], f"{hint.__name__}.{field.name}", seen)
    return "object"


@pytest.mark.parametrize("page_type", _page_types(), ids=lambda kind: kind.__name__)
def test_every_field_of_every_page_type_has_json_that_says_it_exactly(page_type):
    _json_shape(page_type, page_type.__name__, set())


def test_the_schema_check_refuses_what_json_says_alike():
    @dataclasses.dataclass
    class Alike:
        title: str
        url: str

    @dataclasses.dataclass
    class Hidden:
        _secret: str

    with pytest.raises(AssertionError, match="same field names"):
        _json_shape(Link | Alike, "view", set())
    with pytest.raises(AssertionError, match="one JSON kind"):
        _json_shape(str | dt.date, "published", set())
    with pytest.raises(AssertionError, match="no exact JSON"):
        _json_shape(float, "rate", set())
    with pytest.raises(AssertionError, match="named _"):
        _json_shape(Hidden, "page", set())


def _plain(value: object) -> object:
    """What the JSON of `value` should say: every field of every dataclass in it."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(part) for part in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_the_json_of_every_page_of_the_sample_site_is_every_field_of_it():
    settings = load_settings(ROOT)
    plan = plan_site(load_project(ROOT, settings.content_dir), dt.date(2026, 11, 27), settings.site)
    assert {type(page) for page in plan.pages} >= {ItemPage} and len(plan.pages) > 100
    for page in plan.pages:
        assert page_json(page) == orjson.dumps(page) and orjson.loads(page_json(page)) == _plain(page), page.url


def _item(view: ItemView | WithdrawnView | None, **changes: typing.Any) -> ItemPage:
    return dataclasses.replace(ItemPage(url="items/2026/00001/", title="通知", view=view, markdown="正文"), **changes)


def test_pages_that_differ_anywhere_have_other_keys():
    cell: dict[str, typing.Any] = dict(title="通知", index_no="X/2026-00001", category="通知公告", department="办公室", doc_no="",
                published=dt.date(2026, 1, 5), validity="有效", metadata=())
    shown = ItemView(**cell, summary="")
    withdrawn = WithdrawnView(**cell, withdrawn_date=None, withdrawn_reason="")
    pages = [_item(shown), _item(withdrawn), _item(None), _item(shown, markdown="正文\u200b"),
             _item(shown, markdown="正文\ud800"), _item(shown, breadcrumbs=(Link("首页", ""),)),
             _item(shown, period="2026年第1季度")]
    keys = {page_key("common", page, ()) for page in pages}
    keys |= {page_key("other", pages[0], ()), page_key("common", pages[0], (("a/", "items/"),))}
    assert len(keys) == len(pages) + 2
    assert page_key("common", _item(shown), ()) == page_key("common", _item(shown), ())


def test_values_json_cannot_say_are_keyed_by_their_repr():
    huge = [ListingPage(url="list/", title="列表", total=2**64 + extra) for extra in (0, 1)]  # past orjson's 64 bits
    odd = [_item(None, title=title) for title in ("通知\udc80", "通知\udc81", "通知\ud800\udc80")]
    assert len({page_key("common", page, ()) for page in huge + odd}) == 5


def test_keying_a_page_leaves_no_utf8_copy_in_its_strings():
    """CPython keeps a string's UTF-8 with it once asked for (≈ 7 KB a body, 500 MB at 100,000 items); a string that
    keeps one is larger by its size."""
    body, title, cell = "正文" * 1000, "关于开展危房改造的通知", "住建局办公室"
    shown = ItemView(title=title, index_no="X/2026-00001", category="通知公告", department=cell, doc_no="",
                     published=dt.date(2026, 1, 5), validity="有效", metadata=(MetaCell("发布机构", cell),), summary="")
    page = _item(shown, markdown=body, title=title, breadcrumbs=(Link(title, ""),))
    sizes = [sys.getsizeof(text) for text in (body, title, cell)]
    page_key("common", page, ())
    assert [sys.getsizeof(text) for text in (body, title, cell)] == sizes
    orjson.dumps(page)  # what the key was made of before: the test can fail
    assert sys.getsizeof(body) > sizes[0]
