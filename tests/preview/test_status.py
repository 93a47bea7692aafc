"""An item's banners in the preview: what it waits for (by the catalog's own review levels), and why
the public does not see it."""

from __future__ import annotations

import datetime as dt

from gongkai.model import IndexNo
from gongkai.preview.model import PreviewModel
from gongkai.site_config import load_settings

THREE_LEVELS = """\
review:
  levels:
    - {key: initial, name: 初审}
    - {key: second, name: 复审}
    - {key: final, name: 终审}
"""


def chips(site, path, today: dt.date = dt.date(2021, 12, 31)) -> list[tuple[str, str]]:
    model = PreviewModel(load_settings(site.root), today)
    text = path.read_text(encoding="utf-8")
    number = IndexNo.parse(text.split("index_no: ", 1)[1].split("\n", 1)[0].strip("'\""))
    assert number is not None
    return [(chip.label, chip.kind) for chip in model.chips.get(f"items/{number.year}/{number.serial}/", ())]


def test_a_reviewed_published_item_has_no_banner(site):
    assert chips(site, site.item()) == []


def test_an_unreviewed_item_waits_for_the_first_level(site):
    assert chips(site, site.item(signed=False)) == [("待初审", "review")]


def test_an_item_signed_at_the_first_level_waits_for_the_next(site):
    path = site.item(signed=False)
    site.sign_level(path, "initial", "李明")
    assert chips(site, path) == [("待复核", "review")]


def test_an_item_changed_after_review_waits_for_the_first_level_again(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8") + "\n审查后加的一句。\n", encoding="utf-8")
    model = PreviewModel(load_settings(site.root), dt.date(2021, 12, 31))
    [banners] = model.chips.values()
    assert [chip.label for chip in banners] == ["待初审"]
    assert "审查后内容有修改" in banners[0].detail


def test_an_item_refused_and_changed_asks_for_a_reading_in_full(site):
    """An item signed 不予公开 and then edited: not "see gongkai diff", which shows only the edit (rt30 R1)."""
    path = site.item(signed=False)
    site.sign(path, opinion="不予公开")
    path.write_text(path.read_text(encoding="utf-8") + "\n审查后加的一句。\n", encoding="utf-8")
    model = PreviewModel(load_settings(site.root), dt.date(2021, 12, 31))
    [banners] = model.chips.values()
    assert "上次审查意见是“不予公开”" in banners[0].detail and "对照全文" in banners[0].detail


def test_the_levels_are_named_as_catalog_yml_names_them(site):
    site.write_catalog({"李明": ("[全部]", "[initial]"), "王芳": ("[全部]", "[second]"), "赵强": ("[全部]", "[final]")},
                       review=THREE_LEVELS)
    path = site.item(signed=False)
    site.sign_level(path, "initial", "李明")
    assert chips(site, path) == [("待复审", "review")]
    site.sign_level(path, "second", "王芳")
    assert chips(site, path) == [("待终审", "review")]


def test_an_item_with_errors_of_its_own_is_a_draft(site):
    path = site.item(signed=False, body="（在此撰写正文）\n")
    assert chips(site, path) == [("草稿", "draft")]


def test_scheduled_not_public_and_withdrawn_items(site):
    scheduled = site.item("2021/s.md", published="2022-03-01")
    assert chips(site, scheduled) == [("定时发布 2022-03-01", "scheduled")]
    assert chips(site, scheduled, today=dt.date(2022, 3, 1)) == []
    hidden = site.item("2021/h.md", disclosure="依申请公开")
    assert chips(site, hidden) == [("不公开", "private")]
    withdrawn = site.item("2021/w.md", withdrawn={"date": "2021-07-01", "reason": "名单有误"})
    assert chips(site, withdrawn) == [("已撤回 2021-07-01", "withdrawn")]


def test_a_preview_left_running_past_midnight_judges_the_new_day(project):
    """The day a scheduled item goes online, a preview started the day before shows it without its banner (the
    next request reads and judges everything on the new day, and tells the browsers)."""
    from gongkai.preview.messages import MkDocsLog
    from gongkai.preview.pages import PreviewPages
    from gongkai.preview.session import PreviewSession
    from gongkai.preview.status import SCHEDULED
    from tests.projects import TODAY

    days = [TODAY]
    session = PreviewSession(project.root, TODAY, MkDocsLog(lambda _: None), PreviewPages().page_globals,
                             day=lambda: days[-1])
    url = "items/2024/00001/"
    assert [chip.kind for chip in session.model.chips[url]] == [SCHEDULED]
    assert session.page(url) is not None and session.today == TODAY  # the same day: nothing read again
    version = session.version
    days.append(TODAY + dt.timedelta(days=10))
    assert session.page(url) is not None
    assert session.today == days[-1] and url not in session.model.chips and session.version > version
