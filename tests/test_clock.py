"""The date a run considers today: the pinned one, or Beijing's whatever the machine's time zone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from gongkai import clock

PRINT_TODAY = "from gongkai import clock; print(clock.today({}))"


def _today_under(zone: str) -> str:
    env = {key: value for key, value in os.environ.items() if key != clock.ENVIRONMENT_VARIABLE}
    result = subprocess.run([sys.executable, "-c", PRINT_TODAY], env={**env, "TZ": zone},
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.mark.parametrize("zone", ["UTC", "Etc/GMT-14", "Etc/GMT+12", "Asia/Tokyo", "America/Los_Angeles"])
def test_today_is_beijings_date_in_every_time_zone(zone):
    """At every instant UTC+14 or UTC−12 has another date than Beijing (UTC+8): a machine's date would
    publish a scheduled item hours early, or a day late on a UTC runner building at 0:10 Beijing time."""
    before = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    seen = _today_under(zone)
    after = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    assert seen in {before.isoformat(), after.isoformat()}


def test_a_pinned_day_wins_and_a_bad_one_is_named():
    assert clock.today({clock.ENVIRONMENT_VARIABLE: "2026-12-15"}) == dt.date(2026, 12, 15)
    with pytest.raises(ValueError, match="GONGKAI_TODAY"):
        clock.today({clock.ENVIRONMENT_VARIABLE: "2026-13-01"})


def test_only_a_day_still_to_come_is_ahead():
    now = clock.beijing_today()
    assert clock.ahead(now) is None and clock.ahead(now - dt.timedelta(days=400)) is None
    message = clock.ahead(now + dt.timedelta(days=1))
    assert message is not None and "GONGKAI_TODAY" in message and "--site-dir" in message
