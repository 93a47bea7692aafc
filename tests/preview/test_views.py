"""The preview's own views: only for items the public does not see, never in a build's plan."""

from __future__ import annotations

import dataclasses
import datetime as dt

from gongkai.model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, NOT_PUBLIC, Category, Department, Item, Review, Withdrawal
from gongkai.preview.views import PreviewItemView, PreviewWithdrawnView, preview_items, preview_view
from gongkai.project import load_project
from gongkai.site import plan_site
from gongkai.site.pages import ItemPage
from gongkai.site.views import ItemView, WithdrawnView
from gongkai.site_config import load_settings

TODAY = dt.date(2024, 6, 30)


def _item(serial: int = 1, **changes) -> Item:
    item = Item(
        f"content/items/2021/2021-{serial:05d}.md", "标题", f"11131122MB1534702N/2021-{serial:05d}",
        Category("动态信息", "news", "工作动态", "updates"), Department("办公室", "office"), dt.date(2021, 6, 18),
        "主动公开", Review(), "正文",
    )
    return dataclasses.replace(item, **changes)


def test_a_published_item_keeps_the_public_view():
    assert type(preview_view(_item(), TODAY, AUDIENCE_PUBLIC)) is ItemView
    assert type(preview_view(_item(withdrawn=Withdrawal(TODAY, "有误")), TODAY, AUDIENCE_PUBLIC)) is WithdrawnView
    members = preview_view(_item(audience=AUDIENCE_PARTY), TODAY, AUDIENCE_PARTY)
    assert type(members) is ItemView and members.members_only


def test_items_the_public_does_not_see_get_the_preview_views():
    for changes in ({"disclosure": NOT_PUBLIC}, {"published": TODAY + dt.timedelta(days=3)}):
        view = preview_view(_item(**changes), TODAY, AUDIENCE_PARTY)
        assert type(view) is PreviewItemView and view.title == "标题"
    withdrawn = preview_view(_item(disclosure=NOT_PUBLIC, withdrawn=Withdrawal(TODAY, "有误")), TODAY, AUDIENCE_PARTY)
    assert type(withdrawn) is PreviewWithdrawnView and withdrawn.withdrawn_reason == "有误"


def test_preview_items_are_newest_first_one_per_address_and_say_why_others_are_left_out():
    older = _item(1, published=dt.date(2021, 1, 1))
    newer = _item(2, published=dt.date(2021, 5, 1))
    same_address = _item(2, path="content/items/2021/copy.md", index_no="11131122MB1534702N/2021-00002")
    no_category = _item(3, category=None)
    shown, left_out = preview_items([older, same_address, newer, no_category])
    assert [item.path for item in shown] == ["content/items/2021/2021-00002.md", "content/items/2021/2021-00001.md"]
    assert "content/items/2021/2021-00002.md" in left_out["content/items/2021/copy.md"]
    assert "主题分类" in left_out["content/items/2021/2021-00003.md"]


def test_a_build_plan_has_no_preview_view(project):
    settings = load_settings(project.root)
    plan = plan_site(load_project(project.root), TODAY, settings.site)
    views = [page.view for page in plan.pages if isinstance(page, ItemPage)]
    assert views and all(type(view) in (ItemView, WithdrawnView) for view in views)


def test_a_build_plan_holds_each_body_once(project):
    """An item page holds the item's body itself, not a trimmed copy: at 100,000 items the copies were 345 MB held
    through the whole build. Pages render `signed_body` of it (tests/test_digest.py)."""
    settings = load_settings(project.root)
    loaded = load_project(project.root)
    bodies = {id(item.body) for item in loaded.items}
    pages = [page for page in plan_site(loaded, TODAY, settings.site).pages if isinstance(page, ItemPage) and page.markdown]
    assert pages and all(id(page.markdown) in bodies for page in pages)
