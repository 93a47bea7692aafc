"""Templates see views, not items: a view holds only what its page may show.

Unit tests pin what each view kind holds; the fixture site (every template: home, item, listing,
directory, article, report, search, with normal, invalid and withdrawn items) is grepped for
markers planted in what no page may show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gongkai.model import NOT_PUBLIC, ON_REQUEST, Attachment, Category, Department, Item, PiiAllowance, Review, Withdrawal
from gongkai.site.views import ItemView, WithdrawnView, item_view
from tests.projects import SECRET_MARKERS
from tests.site.test_site_never_published import output_bytes

TODAY = dt.date(2024, 6, 30)


def _item(**changes) -> Item:
    item = Item(
        "content/items/2021/2021-00001.md", "标题", "11131122MB1534702N/2021-00001",
        Category("通知公告", "notice", "工作动态", "updates"), Department("办公室", "office"), dt.date(2021, 6, 18),
        "主动公开", Review(), "正文qxbody", summary="概述qxsummary",
        attachments=(Attachment("附件qxattachment", "a.pdf"),), pii_allow=(PiiAllowance("x", "qxpii"),),
    )
    return dataclasses.replace(item, **changes)


def test_a_published_item_shows_its_metadata_and_summary_only():
    view = item_view(_item(), TODAY)
    assert isinstance(view, ItemView) and not view.withdrawn
    assert (view.category, view.department, view.summary, view.changed) == ("通知公告", "办公室", "概述qxsummary", dt.date(2021, 6, 18))
    assert "qxbody" not in repr(view) and "qxattachment" not in repr(view) and "qxpii" not in repr(view)


def test_a_withdrawn_item_has_no_body_summary_or_attachments():
    view = item_view(_item(withdrawn=Withdrawal(dt.date(2022, 1, 5), "信息有误")), TODAY)
    assert isinstance(view, WithdrawnView) and view.withdrawn
    assert (view.withdrawn_reason, view.changed) == ("信息有误", dt.date(2022, 1, 5))
    names = {f.name for f in dataclasses.fields(view)}
    assert not names & {"body", "summary", "attachments", "review", "pii_allow", "path"}
    assert all(marker not in repr(view) for marker in ("qxbody", "qxsummary", "qxattachment", "qxpii"))


@pytest.mark.parametrize("changes", [{"disclosure": ON_REQUEST}, {"disclosure": NOT_PUBLIC}, {"published": TODAY + dt.timedelta(days=1)}])
def test_an_item_that_is_not_published_has_no_view(changes):
    with pytest.raises(ValueError):
        item_view(_item(**changes), TODAY)


def test_views_are_frozen():
    view = item_view(_item(), TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.title = "改"  # type: ignore[misc,unused-ignore]  # frozen: the assignment is the point


def test_no_page_shows_what_its_view_leaves_out(built):
    files = output_bytes(built.site)
    kinds = {name.split("/")[0] for name in files if name.endswith("index.html")}
    assert {"items", "catalog", "departments", "years", "pages", "report", "search", "index.html"} <= kinds
    withdrawn = built.text("items/2023/00001/index.html")
    assert "已撤回的一条动态信息" in withdrawn and "信息有误，已撤回" in withdrawn  # the tombstone itself is shown
    wanted = [SECRET_MARKERS["pii_allow"].encode()] + [
        f"{SECRET_MARKERS['withdrawn']}{part}".encode() for part in ("summary", "atttitle", "body")
    ]
    assert [(name, marker) for name, data in files.items() for marker in wanted if marker in data] == []


def test_a_members_only_item_has_a_view_on_the_members_site_only():
    party = _item(audience="党内", public_from=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValueError):
        item_view(party, TODAY)  # the public's site
    view = item_view(party, TODAY, "党内")
    assert view.members_only and view.public_from == TODAY + dt.timedelta(days=1)
    public_now = item_view(party, TODAY + dt.timedelta(days=1))
    assert not public_now.members_only and public_now.changed == TODAY + dt.timedelta(days=1)
