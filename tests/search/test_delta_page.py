"""The search page in real Chromium over a rebuild's bundle with a delta shard, against a full build of the
same documents: the same results in the same order (newest first and 旧→新), the same first page shown
early, totals, pager, facet counts and filters, and the same `window.gongkaiSearch`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest

from gongkai.search import BUNDLE_DIR, MANIFEST
from tests.search.test_build import text_keys
from tests.search.test_delta import DOCS, LEAK, MAX_SHARD, edit
from tests.search.test_search_page import STATUS_LOG, open_search, shown, status

pytestmark = pytest.mark.browser


def changed() -> list[Any]:
    """Several edits at once: a word in, a word out, a date moved to another shard, a deletion, an addition."""
    docs = edit(DOCS, "items/2021/00007/", text=next(d for d in DOCS if d.url == "items/2021/00007/").text.replace(LEAK, "某某"))
    docs = edit(docs, "items/2023/00004/", text="新增燃气管道巡检，危房改造同步推进。")
    docs = edit(docs, "items/2020/00001/", date="2023-11-30", year="2023")
    docs = [d for d in docs if d.url != "items/2022/00003/"]
    old = next(d for d in DOCS if d.url == "items/2021/00012/")
    return [*docs, replace(old, url="items/2021/00200/", index_no=f"{old.index_no}9", date="2021-05-20",
                           title="新增的危房改造验收公告", text="危房改造验收合格，燃气管道巡检完成。")]


@pytest.fixture(scope="module")
def servers(quality: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """(the rebuild with a delta shard, a full build of the same documents), each served."""
    root = tmp_path_factory.mktemp("delta-page")
    cache = root / "cache"
    quality.write_search_site(DOCS, root / "first", max_shard_documents=MAX_SHARD, cache=cache, text_keys=text_keys(DOCS))
    docs = changed()
    quality.write_search_site(docs, root / "delta", max_shard_documents=MAX_SHARD, cache=cache, text_keys=text_keys(docs))
    quality.write_search_site(docs, root / "full", max_shard_documents=MAX_SHARD)
    manifest = json.loads((root / "delta" / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["delta"]["documents"] >= 3
    with quality.StaticServer(root / "delta") as delta, quality.StaticServer(root / "full") as full:
        yield delta, full


@pytest.fixture
def pages(browser: Any) -> Iterator[tuple[Any, Any]]:
    contexts = [browser.new_context(locale="zh-CN") for _ in range(2)]
    opened = [context.new_page() for context in contexts]
    errors: list[str] = []
    for page in opened:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    yield opened[0], opened[1]
    for context in contexts:
        context.close()
    assert not errors


def seen(page: Any) -> dict[str, Any]:
    """Everything the page shows of a search: status, results, pager, facet options."""
    return {
        "status": status(page),
        "results": shown(page),
        "pager": page.eval_on_selector_all(".gongkai-search__pages a", "links => links.map(a => a.textContent)"),
        "facets": page.eval_on_selector_all("select option", "options => options.map(o => o.textContent)"),
    }


QUERIES = ["危房改造", "燃气管道巡检", "公示", "12319", LEAK, "张三", "危", "2021年", "验收", "X住建规〔2021〕3号"]


# What a reader may ask besides the words: each query is shown in two of these, every one of them for four queries.
VIEWS = ("q={}", "q={}&sort=asc", "q={}&page=2", f"q={{}}&category={quote('保障性住房')}", "q={}&year=2023&sort=asc")


@pytest.mark.parametrize(("number", "query"), list(enumerate(QUERIES)))
def test_every_query_shows_what_a_full_build_shows(pages: tuple[Any, Any], servers: tuple[Any, Any], number: int,
                                                   query: str) -> None:
    for params in (VIEWS[number % len(VIEWS)].format(quote(query)), VIEWS[(number + 2) % len(VIEWS)].format(quote(query))):
        views = []
        for page, server in zip(pages, servers, strict=True):
            open_search(page, str(server.url), params)
            views.append(seen(page))
        assert views[0] == views[1], params
    listed = [page.evaluate(f"window.gongkaiSearch({json.dumps(query)})") for page in pages]
    assert listed[0] == listed[1]
    if query in (LEAK, "张三"):
        assert listed[0] == []


def test_the_results_shown_early_begin_the_final_page(pages: tuple[Any, Any], servers: tuple[Any, Any]) -> None:
    page = pages[0]
    page.add_init_script(STATUS_LOG)
    for order in ("", "&sort=asc"):
        open_search(page, str(servers[0].url), f"q={quote('危房改造')}{order}")
        log = page.evaluate("window.statusLog")
        final = log[-1][1]
        early = [titles for text, titles in log if "正在检索" in text and "的信息…" in text]
        assert early and all(titles and titles == final[:len(titles)] for titles in early)
        open_search(pages[1], str(servers[1].url), f"q={quote('危房改造')}{order}")
        assert [r["title"] for r in shown(pages[1])] == final
