"""The site's 年报 pages say only what is true on the day of the build: a year's report counts the
whole year (统计期限 1 月 1 日至 12 月 31 日), so it is published by the first build after the year ends,
never from a draft of a year still running — not as a page, a link, a sitemap entry or search text."""

from __future__ import annotations

import datetime as dt

from gongkai.project import load_project
from tests.projects import build, make_project
from tests.site.test_site_never_published import output_bytes

TITLE = "2023年政府信息公开工作年度报告"


def _as_on(fixture, day: dt.date) -> None:
    """The fixture as it stood on `day`: no item signed after it yet (a sign-off dated after today is GK219)."""
    for item in load_project(fixture.root).items:
        if any(entry.date is not None and entry.date > day for entry in item.review.entries):
            (fixture.root / item.path).unlink()


def test_a_years_report_appears_once_the_year_is_over(tmp_path):
    fixture = make_project(tmp_path / "project")
    for day in (dt.date(2023, 12, 31), dt.date(2023, 6, 1)):
        _as_on(fixture, day)
        running = build(fixture, tmp_path / f"site-{day}", today=day)
        assert not (running.site / "report" / "2023").exists()
        assert all(TITLE.encode() not in data and b"report/2023" not in data
                   for data in output_bytes(running.site).values())
    later = make_project(tmp_path / "later")
    _as_on(later, dt.date(2024, 1, 1))
    over = build(later, tmp_path / "site-over", today=dt.date(2024, 1, 1))
    heading = over.page("report/2023/").css_first("h1")
    assert heading is not None and TITLE in heading.text(strip=True)
    assert b"report/2023/" in (over.site / "sitemap.xml").read_bytes()
