"""A result's excerpt never starts or ends inside a run of digits: its first or last digits alone would read as a number
the body holds as none (a 20-digit run cut after 11 digits shows 13912345678…, ２０13912345678 cut after ２０ shows
13912345678)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest

from gongkai.checks import pii
from gongkai.search import SearchDocument

pytestmark = pytest.mark.browser

RUNS = {  # title → body: a long run of digits where the excerpt's window of 120 characters would end
    "测试条目一": "正文" + "甲" * 107 + "13912345678000000000。",
    "测试条目二": "甲" * 109 + "13912345678000000000\n正文",  # found by its title: the excerpt is its first line
    "测试条目三": "正文" + "乙" * 100 + "11010119900307003800000。",
    # where the window's 30 characters before the match would start: after ２０, after 20 past 20 letters, after ٢٠
    "测试条目四": "正文" + "２０13912345678" + "，" + "己" * 18 + "丙丙丙",
    "测试条目五": "正文" + "ABCDEFGHIJKLMNOPQRST2013912345678_X" + "，" + "己" * 16 + "丁丁丁",
    "测试条目六": "正文" + "٢٠13912345678" + "，" + "己" * 18 + "戊戊戊",
    # where the window would end: after 11 of 20 Chinese numerals
    "测试条目七": "庚庚庚" + "甲" * 106 + "一三九一二三四五六七八〇〇〇〇〇〇〇〇〇。",
}


@pytest.fixture(scope="module")
def site_url(quality: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    docs = [SearchDocument(url=f"items/2024/{n:05d}/", title=title, date=f"2024-03-{n:02d}", year="2024",
                           category="动态信息", department="办公室", index_no=f"11131122MB1534702N/2024-{n:05d}",
                           doc_no="", text=text)
            for n, (title, text) in enumerate(RUNS.items(), start=1)]
    site = tmp_path_factory.mktemp("search-excerpts")
    quality.write_search_site(docs, site)
    with quality.StaticServer(site) as server:
        yield str(server.url)


@pytest.mark.parametrize(("query", "found"), [("甲甲甲", 3), ("测试条目二", 1), ("乙乙乙", 1), ("丙丙丙", 1), ("丁丁丁", 1),
                                              ("戊戊戊", 1), ("庚庚庚", 1)])
def test_an_excerpt_starts_and_ends_outside_a_run_of_digits_it_would_cut(browser: Any, site_url: str, query: str, found: int) -> None:
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{site_url}search/?q={quote(query)}")
    page.locator('.gongkai-search[data-busy="false"]').wait_for(state="attached")
    excerpts = page.locator(".gongkai-search__excerpt").all_inner_texts()
    page.context.close()
    assert len(excerpts) == found and all(excerpt.strip() for excerpt in excerpts), excerpts
    # read without the ellipses around it, which the scans would read as dots joining the digits to nothing
    assert [f.number for excerpt in excerpts for f in pii.find(excerpt.strip("…"), dt.date(2026, 12, 4))] == [], excerpts
