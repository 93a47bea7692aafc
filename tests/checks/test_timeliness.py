"""GK701 over the whole date range, and dates out of range that never reach the working-day count."""

from __future__ import annotations

import datetime as dt


def test_the_whole_date_range_is_one_count(site):
    site.item(written="1949-01-01", published="2100-12-31", index_no=f"{site.ORG_CODE}/2100-00001")
    assert "GK701" in site.codes(today=dt.date(2100, 12, 31))


def test_dates_out_of_range_are_gk121_and_never_reach_the_arithmetic(site):
    path = site.item(written="0001-01-01", published="9999-12-31", withdrawn={"date": "9999-12-31", "reason": "有误"})
    codes = site.codes(path)
    assert codes.count("GK121") == 3 and "GK701" not in codes
