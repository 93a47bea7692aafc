"""A fixture site built once per test session with the real `gongkai build` (MkDocs, Material, Pagefind)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from generator.building import build_site
from gk_fixture import Fixture, make_project


@dataclass
class BuiltSite:
    fixture: Fixture
    site: Path
    log: list[str] = field(default_factory=list)

    def page(self, url: str) -> LexborHTMLParser:
        """The written page at a site URL such as `items/2021/00001/`."""
        return LexborHTMLParser((self.site / url / "index.html").read_text(encoding="utf-8"))

    def text(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def build(fixture: Fixture, site: Path) -> BuiltSite:
    built = BuiltSite(fixture, site)
    build_site(fixture.root, site, today=fixture.today, echo=built.log.append)
    return built


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuiltSite:
    fixture = make_project(tmp_path_factory.mktemp("project") / "site-project")
    return build(fixture, fixture.root / "site")
