"""What the site will do by itself: scheduled items, a 党内 item's public_from, consultations opening,
counting down and closing — listed by `gongkai check` and `gongkai build --next-change`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from gongkai.model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, NOT_PUBLIC, Category, Consultation, Department, Item, Review, Withdrawal
from gongkai.project import Project
from gongkai.upcoming import (
    ANNUAL_REPORT,
    CONSULTATION_CLOSES,
    CONSULTATION_DAY,
    CONSULTATION_OPENS,
    PUBLIC_FROM,
    SCHEDULED,
    upcoming,
)

GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")
TODAY = dt.date(2024, 6, 30)
DAY = dt.timedelta(days=1)


def _item(serial: int, **changes) -> Item:
    item = Item(
        f"content/items/2024/2024-{serial:05d}.md", f"条目{serial}", f"11131122MB1534702N/2024-{serial:05d}",
        Category("动态信息", "news", "工作动态", "updates"), Department("办公室", "office"), TODAY, "主动公开", Review(), "正文",
    )
    return dataclasses.replace(item, **changes)


def events(*items: Item, audience: str = AUDIENCE_PUBLIC) -> list[tuple[dt.date, str, str]]:
    project = Project(Path("/nowhere"), Path("/nowhere/content"), None, items=list(items))
    return [(event.date, event.what, event.title) for event in upcoming(project, TODAY, audience)]


def test_scheduled_items_in_date_order_and_nothing_for_the_others():
    assert events(_item(2, published=TODAY + 9 * DAY), _item(1, published=TODAY + 3 * DAY), _item(3),
                  _item(4, published=TODAY + DAY, disclosure=NOT_PUBLIC), _item(5, published=TODAY + DAY, category=None)) == [
        (TODAY + 3 * DAY, SCHEDULED, "条目1"), (TODAY + 9 * DAY, SCHEDULED, "条目2")]


def test_a_members_only_item_reaches_the_public_on_its_public_from():
    party = _item(1, audience=AUDIENCE_PARTY, public_from=TODAY + 5 * DAY)
    assert events(party) == [(TODAY + 5 * DAY, PUBLIC_FROM, "条目1")]
    assert events(party, audience=AUDIENCE_PARTY) == []  # the members' site shows it already
    assert events(dataclasses.replace(party, public_from=None)) == []  # never public
    later = dataclasses.replace(party, published=TODAY + 2 * DAY)
    assert events(later, audience=AUDIENCE_PARTY) == [(TODAY + 2 * DAY, SCHEDULED, "条目1")]


def test_an_item_withdrawn_while_members_only_never_reaches_the_public():
    """The public never had it: on its public_from day the public site showed its title, 索引号 and the reason."""
    for withdrawn_on in (TODAY, TODAY + 4 * DAY, None):
        party = _item(1, audience=AUDIENCE_PARTY, public_from=TODAY + 5 * DAY, withdrawn=Withdrawal(withdrawn_on, "暂停任用"))
        assert party.public_since is None and events(party) == []
        assert not party.is_published(TODAY + 9 * DAY) and party.is_published(TODAY + 9 * DAY, AUDIENCE_PARTY)
    after = _item(1, audience=AUDIENCE_PARTY, public_from=TODAY + 5 * DAY, withdrawn=Withdrawal(TODAY + 6 * DAY, "撤回"))
    assert after.public_since == TODAY + 5 * DAY and after.is_published(TODAY + 9 * DAY)  # the public had it: a notice


def test_consultations_open_count_down_and_close():
    upcoming_one = _item(1, consultation=Consultation(TODAY + 2 * DAY, TODAY + 9 * DAY))
    assert events(upcoming_one) == [(TODAY + 2 * DAY, CONSULTATION_OPENS, "条目1"), (TODAY + 10 * DAY, CONSULTATION_CLOSES, "条目1")]
    open_one = _item(2, consultation=Consultation(TODAY - 2 * DAY, TODAY + 4 * DAY))
    assert events(open_one) == [(TODAY + DAY, CONSULTATION_DAY, "条目2"), (TODAY + 5 * DAY, CONSULTATION_CLOSES, "条目2")]
    last_day = _item(3, consultation=Consultation(TODAY - 2 * DAY, TODAY))
    assert events(last_day) == [(TODAY + DAY, CONSULTATION_CLOSES, "条目3")]
    assert events(_item(4, consultation=Consultation(TODAY - 9 * DAY, TODAY - DAY))) == []
    assert events(dataclasses.replace(open_one, withdrawn=Withdrawal(TODAY, "撤回"))) == []
    # Scheduled after it opens: the page appears open; it closes later.
    scheduled = _item(5, published=TODAY + 3 * DAY, consultation=Consultation(TODAY + DAY, TODAY + 9 * DAY))
    assert events(scheduled) == [(TODAY + 3 * DAY, SCHEDULED, "条目5"), (TODAY + 10 * DAY, CONSULTATION_CLOSES, "条目5")]


def _run(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GONGKAI, *args], cwd=site.root, env={**os.environ, "GONGKAI_TODAY": "2021-12-31"},
                          capture_output=True, text=True, timeout=120)


def test_check_ends_with_the_scheduled_items_and_build_says_when_the_site_changes_next(site):
    site.item("2021/a.md")
    site.item("2022/s.md", published="2022-02-01", title="定时发布的通知")
    checked = _run(site, "check")
    assert checked.returncode == 0, checked.stdout
    lines = checked.stdout.splitlines()
    assert lines[-2].startswith("定时发布：1 项")
    assert lines[-1] == "  2022-02-01  定时发布  content/items/2022/s.md  定时发布的通知"
    following = _run(site, "build", "--next-change")
    assert following.returncode == 0 and not (site.root / "site").exists()
    assert following.stdout.startswith("网站下一次自行变化：2022-02-01（32 天后，按 2021-12-31 计算）")
    (site.root / "content" / "items" / "2022" / "s.md").unlink()
    assert _run(site, "build", "--next-change").stdout.startswith("网站不会自行变化")
    assert "定时发布" not in _run(site, "check").stdout


def test_a_years_report_is_announced_for_the_day_after_the_year_ends(tmp_path):
    from gongkai.project import load_project
    from tests.projects import make_project

    project = load_project(make_project(tmp_path / "project").root)  # it has content/reports/2023.yml
    reports = [event for event in upcoming(project, dt.date(2023, 12, 31)) if event.what == ANNUAL_REPORT]
    assert [(event.date, event.path) for event in reports] == [(dt.date(2024, 1, 1), "content/reports/2023.yml")]
    assert [event for event in upcoming(project, TODAY) if event.what == ANNUAL_REPORT] == []


def test_a_report_file_of_the_last_year_there_is_announces_nothing(tmp_path):
    """content/reports/9999.yml (GK801: no year a report is written for) ended `gongkai check` in an internal error:
    its report was announced for 10000-01-01, a date Python has no room for."""
    from gongkai.commands.check import check
    from gongkai.site_config import load_settings
    from tests.projects import make_project

    project = make_project(tmp_path / "project")
    (project.root / "content" / "reports" / "9999.yml").write_text(
        (project.root / "content" / "reports" / "2023.yml").read_text(encoding="utf-8"), encoding="utf-8")
    report = check(load_settings(project.root), TODAY)
    assert "GK801" in {p.code for p in report.problems if p.path == "content/reports/9999.yml"}


def test_a_title_with_terminal_sequences_is_listed_written_out(site):
    """An item's title with an OSC sequence (which retitles the terminal or writes a link) or a bidi override
    is an error, and still listed as coming: `check` and `build --next-change` printed it to the terminal as is."""
    site.write("2022/s.md", "---\n" + "\n".join([
        'title: "恶意\\e]0;被改的标题\\a通知\\u202e反"', f"index_no: {site.ORG_CODE}/2022-00001", "category: 规范性文件",
        "department: 办公室", "published: 2022-02-01", "written: 2021-12-01", "disclosure: 主动公开", "review: {}",
    ]) + "\n---\n\n正文。\n")
    for args in (("check",), ("build", "--next-change")):
        shown = _run(site, *args).stdout
        assert "2022-02-01" in shown and "\\x1b]0;被改的标题\\x07通知\\u202e反" in shown, shown
        assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
