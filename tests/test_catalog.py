"""catalog.yml: every slug becomes one segment of a URL and of an output path, so it is checked first."""

from __future__ import annotations

import pytest

from gongkai.catalog import SLUG, suggest_slug
from gongkai.project import load_project


@pytest.mark.parametrize("slug, suggested", [
    ("../../site/items/2021/00003", "site-items-2021-00003"),
    ("Housing", "housing"),
    ("rural_house", "rural-house"),
    ("政策解读", "lanmu-1"),
    ("-lead", "lead"),
    (".hidden", "hidden"),
    ("a/b", "a-b"),
    ("x" * 65, "x" * 64),
    ("%2e%2e", "2e-2e"),
])
def test_a_slug_that_is_not_a_url_segment_is_gk905_with_a_suggestion(site, slug, suggested):
    catalog = site.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8").replace("slug: interpretation", f"slug: {slug!r}".replace("'", '"'))
    catalog.write_text(text, encoding="utf-8")
    problems = [p for p in site.check() if p.code == "GK905"]
    assert len(problems) == 1 and problems[0].path == "content/catalog.yml"
    line = next(number for number, row in enumerate(text.split("\n"), 1) if "政策解读" in row)
    assert problems[0].line == line and f"例如 {suggested}" in problems[0].message
    assert load_project(site.root).catalog is None  # nothing is planned from a catalog with errors


@pytest.mark.parametrize("where", ["departments", "group", "leaf"])
def test_every_kind_of_slug_is_checked(site, where):
    catalog = site.content / "catalog.yml"
    old = {"departments": "slug: office", "group": "slug: policy", "leaf": "slug: news"}[where]
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(old, "slug: ../x"), encoding="utf-8")
    assert [p.code for p in site.check() if p.path == "content/catalog.yml"].count("GK905") == 1


def test_good_slugs_pass():
    assert all(SLUG.fullmatch(slug) for slug in ("a", "housing", "rural-house", "2021", "x" * 64))
    assert suggest_slug("Rural House") == "rural-house"
