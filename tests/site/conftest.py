"""A fixture site built once per test session with the real `gongkai build` (MkDocs, Material, Pagefind)."""

from __future__ import annotations

import pytest

from tests.site.gk_fixture import BuiltSite, build, make_project


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuiltSite:
    fixture = make_project(tmp_path_factory.mktemp("project") / "site-project")
    return build(fixture, fixture.root / "site")
