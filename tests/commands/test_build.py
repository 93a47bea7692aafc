"""`gongkai build` and the errors that do not stop publishing (an application falling overdue by the calendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import checks
from gongkai.commands import Refused
from gongkai.project import load_project
from gongkai.site_config import load_settings
from tests.registers.register_helpers import write_application
from tests.site.gk_fixture import build, make_project


def errors(root, today):
    return sorted(p.code for p in checks.run(load_project(root), today, settings=load_settings(root)) if p.is_error)


def test_an_overdue_application_fails_the_check_but_not_the_build(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    write_application(fixture.root, received=dt.date(2024, 5, 6))  # due 3 June, unanswered on 30 June
    assert errors(fixture.root, fixture.today) == ["GK841"]

    built = build(fixture, tmp_path / "site")
    assert (built.site / "index.html").is_file()
    log = "\n".join(built.log)
    assert "GK841" in log and "不影响发布" in log


def test_an_error_the_site_depends_on_still_stops_the_build(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    write_application(fixture.root, received=dt.date(2024, 5, 6), answered=dt.date(2024, 5, 20))  # no outcome
    assert errors(fixture.root, fixture.today) == ["GK840"]
    with pytest.raises(Refused, match="GK840"):
        build(fixture, tmp_path / "site")
    assert not (tmp_path / "site").exists()
