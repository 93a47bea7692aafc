"""The search index holds exactly the reader-visible text the privacy and secrecy scans read."""

from __future__ import annotations

import gzip
import json

from gongkai.checks.base import CheckContext
from gongkai.project import load_project
from gongkai.site.text import plain_text
from gongkai.site_config import load_settings
from tests.projects import TODAY


def _indexed(site) -> dict[str, list[str]]:
    """URL → the body lines the search index keeps for result excerpts, from every result file of the
    built index (gongkai's files under pagefind/gongkai/doc/, gzip'd JSON)."""
    texts = {}
    for path in (site / "pagefind" / "gongkai" / "doc").glob("*.gkz"):
        record = json.loads(gzip.decompress(path.read_bytes()))
        texts[record["url"]] = record["lines"]
    return texts


def test_the_index_holds_what_the_scans_read(built):
    settings = load_settings(built.fixture.root)
    project = load_project(settings.root, settings.content_dir)
    context = CheckContext(project, TODAY, settings, render_cache=False)
    indexed = _indexed(built.site)
    compared = 0
    for item in project.published_items(TODAY):
        if item.withdrawn is not None:
            assert item.url not in indexed
            continue
        scanned = context.views().of(item.body).reader.text
        assert indexed[item.url] == [line.strip() for line in scanned.splitlines() if line.strip()]
        compared += 1
    assert compared > 40


def test_plain_text_is_the_reader_text():
    assert plain_text("<p>电话139<!-- x -->1234<b>5678</b></p><table><tr><td>密级</td><td>机密</td></tr></table>") == \
        "电话13912345678\n密级\n机密"
