"""The search index holds exactly the reader-visible text the privacy and secrecy scans read."""

from __future__ import annotations

import gzip
import json

from gk_fixture import TODAY

from gongkai.checks.base import CheckContext
from gongkai.checks.published import Text, ctx_visible
from gongkai.project import load_project
from gongkai.search.records import LINE_SEPARATOR
from gongkai.site.text import plain_text
from gongkai.site_config import load_settings


def _indexed(site) -> dict[str, str]:
    """URL → the text Pagefind keeps for the result snippet, from every fragment of the built index."""
    texts = {}
    for fragment in (site / "pagefind").rglob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        texts[record["url"].strip("/") + "/"] = record["meta"]["text"]
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
        scanned = ctx_visible(context, Text(item.path, "正文", item.body, None, markdown=True)).text
        assert indexed[item.url] == LINE_SEPARATOR.join(line.strip() for line in scanned.splitlines() if line.strip())
        compared += 1
    assert compared > 40


def test_plain_text_is_the_reader_text():
    assert plain_text("<p>电话139<!-- x -->1234<b>5678</b></p><table><tr><td>密级</td><td>机密</td></tr></table>") == \
        "电话13912345678\n密级\n机密"
