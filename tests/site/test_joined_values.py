"""Values printed side by side on a page read apart: the scans judge each value alone (a department, a column, a
title, a date), so no page may join two of them into a number no scan saw. A listing entry printed its date and its
department with nothing between them: 2024-06-13 and a department 123456789股 read 2024-06-13123456789股, a mobile
number to a crawler, a copied selection or a page read without its styles (rt26)."""

from __future__ import annotations

import datetime as dt

from selectolax.lexbor import LexborHTMLParser

from gongkai.checks import pii
from tests.projects import build, make_project, write_item

# Nine digits a side: no number alone, eleven with any two digits beside them.
DIGITS = "123456789"


def test_no_page_joins_values_into_a_number(tmp_path):
    project = make_project(tmp_path / "project", news=2)
    catalog = project.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace("  - {name: 村镇建设股, slug: rural}\n",
                        f"  - {{name: 村镇建设股, slug: rural}}\n  - {{name: {DIGITS}股, slug: lead}}\n"
                        f"  - {{name: 股{DIGITS}, slug: tail}}\n", 1)
    text += f"  - name: {DIGITS}专栏\n    slug: digits\n    children:\n      - {{name: {DIGITS}动态, slug: digitnews}}\n"
    catalog.write_text(text, encoding="utf-8")
    for serial, department in ((300, f"{DIGITS}股"), (301, f"股{DIGITS}")):
        write_item(project.root, 2024, serial, "正文。", title=f"{DIGITS}号通知{DIGITS}", category=f"{DIGITS}动态",
                   department=department, published=dt.date(2024, 6, 13), doc_no=f"测住建〔2024〕{DIGITS}号")
    assert not [problem for problem in project.check(dt.date(2024, 6, 30)) if problem.severity == "error"]
    built = build(project, tmp_path / "site", today=dt.date(2024, 6, 30))
    joined = []
    for page in built.site.rglob("*.html"):
        body = LexborHTMLParser(page.read_text(encoding="utf-8")).body
        text = body.text(separator="") if body is not None else ""  # what a page read without its styles joins
        joined += [f"{page.relative_to(built.site)}: …{text[max(0, found.start - 20):found.end + 5]}…"
                   for found in pii.find(text, dt.date(2024, 6, 30))]
    assert not joined, "\n".join(joined[:20])
