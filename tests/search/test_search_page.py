"""The search page in real Chromium over a real Pagefind bundle split into several shards."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest

from gongkai.search import SearchDocument
from gongkai.search.shards import plan_shards

pytestmark = pytest.mark.browser

ORG = "11131122MB1534702N"
CATEGORIES = [("农村危房改造", "村镇建设股"), ("保障性住房", "住房保障股")]


def corpus() -> list[SearchDocument]:
    docs = []
    for n in range(1, 32):
        year = 2019 + n % 5
        category, department = CATEGORIES[n % 2]
        docs.append(
            SearchDocument(
                url=f"items/{year}/{n:05d}/",
                title=f"{year}年第{n}批农村危房改造对象公示",
                date=f"{year}-{1 + n % 12:02d}-{1 + n % 27:02d}",
                year=str(year),
                category=category,
                department=department,
                index_no=f"{ORG}/{year}-{n:05d}",
                doc_no="",
                text=f"经村民申请、乡镇审核，{n}户纳入农村危房改造计划，补助标准为每户2.5万元。\n公示期内可拨打12319反映。",
            )
        )
    docs += [
        SearchDocument(
            url="items/2021/00100/",
            title="关于印发《住房公积金提取管理办法》的通知",
            date="2021-06-16",
            year="2021",
            category="保障性住房",
            department="住房保障股",
            index_no=f"{ORG}/2021-00100",
            doc_no="X住建规〔2021〕3号",
            text="各乡镇：\n现将《住房公积金提取管理办法》印发给你们，请认真贯彻执行。\n2021年6月16日",
        ),
        SearchDocument(
            url="items/2022/00101/",
            title="开展城镇燃气安全专项检查的通知",
            date="2022-03-01",
            year="2022",
            category="农村危房改造",
            department="村镇建设股",
            index_no=f"{ORG}/2022-00101",
            doc_no="X住建发〔2022〕7号",
            text="检查范围包括燃气经营企业和老旧危房周边的燃气\u200b管道。",  # a zero-width space readers do not see
        ),
    ]
    return docs


DOCS = corpus()
MAX_SHARD = 8


def truth(query: str) -> list[SearchDocument]:
    found = [d for d in DOCS if any(query in f for f in (d.title, d.text, d.index_no, d.doc_no))]
    return sorted(found, key=lambda d: (d.date, d.index_no), reverse=True)


@pytest.fixture(scope="module")
def server(quality: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The corpus in 5 shards, served under the site's Content-Security-Policy."""
    site = tmp_path_factory.mktemp("search-page")
    stats = quality.write_search_site(DOCS, site, max_shard_documents=MAX_SHARD)
    assert stats["shards"] == 5
    with quality.StaticServer(site) as server:
        yield server


@pytest.fixture(scope="module")
def site_url(server: Any) -> str:
    return str(server.url)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A script, worker or WebAssembly module refused by the Content-Security-Policy, or a warning
    # of Pagefind's (e.g. that its worker failed and it fell back), shows in the console.
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    yield page
    context.close()
    assert not errors


def open_search(page: Any, site_url: str, params: str) -> None:
    page.goto(f"{site_url}search/?{params}")
    wait_idle(page)


def wait_idle(page: Any) -> None:
    page.locator('.gongkai-search[data-busy="false"]').wait_for(state="attached")


def status(page: Any) -> str:
    return page.locator(".gongkai-search__status").inner_text()


def shown(page: Any) -> list[dict[str, str]]:
    """Title, date, category and excerpt of the listed results."""
    return page.eval_on_selector_all(
        ".gongkai-search__result",
        """items => items.map(li => {
          const meta = Object.fromEntries([...li.querySelectorAll('.gongkai-search__meta span')]
            .map(s => s.textContent.split('：')));
          return {title: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'),
                  date: meta['发布日期'], category: meta['主题分类'], doc_no: meta['文号'] || '',
                  excerpt: li.querySelector('.gongkai-search__excerpt')?.textContent || '',
                  marks: [...li.querySelectorAll('mark')].map(m => m.textContent)};
        })""",
    )


def test_a_query_link_lists_results_newest_first_across_shards(page: Any, site_url: str) -> None:
    open_search(page, site_url, f"q={quote('危房改造')}")
    expected = truth("危房改造")
    assert status(page) == f"找到 {len(expected)} 条结果，第 1/2 页。"
    listed = shown(page)
    assert [r["title"] for r in listed] == [d.title for d in expected[:20]]
    assert [r["date"] for r in listed] == [d.date for d in expected[:20]]
    assert listed[0]["href"] == f"/{expected[0].url}"
    # The page keeps its language for people and screen readers.
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.input_value("#gongkai-search-q") == "危房改造"


# Records every status the page shows and the results listed when it was set (`window.statusLog`).
STATUS_LOG = """addEventListener('DOMContentLoaded', () => {
  window.statusLog = [];
  const root = document.querySelector('.gongkai-search');
  const status = root.querySelector('.gongkai-search__status');
  new MutationObserver(() => window.statusLog.push([status.textContent,
    [...root.querySelectorAll('.gongkai-search__result a')].map(a => a.textContent)]))
    .observe(status, {childList: true, characterData: true, subtree: true});
})"""


def test_the_first_results_are_shown_before_the_total_is_known(page: Any, site_url: str) -> None:
    page.add_init_script(STATUS_LOG)
    open_search(page, site_url, f"q={quote('危房改造')}")
    expected = [d.title for d in truth("危房改造")]
    log = page.evaluate("window.statusLog")
    partial = [(int(text.removeprefix("已找到 ").split(" ")[0]), titles) for text, titles in log if "正在检索更早的信息" in text]
    # The newest shards' hits were listed while older shards were searched: always the newest results, in their final
    # order, each list the one before it and more, as many as were found up to a page.
    assert partial and partial[-1][1] == expected[:20]
    for (found, titles), (_, later) in zip(partial, [*partial[1:], (0, expected[:20])], strict=True):
        assert titles == expected[:len(titles)] and len(titles) == min(found, 20) and later[:len(titles)] == titles
    assert log[-1][0] == f"找到 {len(expected)} 条结果，第 1/2 页。"
    shown, filled, complete = (float(page.evaluate(f"document.querySelector('.gongkai-search').dataset.{name}"))
                               for name in ("shownMs", "filledMs", "completeMs"))
    assert shown <= filled <= complete
    # Read out: the first results, then the summary (the counts between them only update the text).
    assert page.get_attribute(".gongkai-search__status", "aria-busy") is None


def test_only_shards_that_can_hold_the_query_are_opened(page: Any, server: Any) -> None:
    server.counter.take()
    open_search(page, server.url, f"q={quote('燃气安全')}")
    assert [r["title"] for r in shown(page)] == ["开展城镇燃气安全专项检查的通知"]
    opened = [path for path, _, _ in server.counter.log if path.split("?")[0].endswith(".pf_meta")]
    (holding,) = [s.language for s in plan_shards(DOCS, MAX_SHARD) if any(d.url == "items/2022/00101/" for d in s.documents)]
    assert len(opened) == 1 and f"pagefind.{holding}_" in opened[0]
    server.counter.take()
    open_search(page, server.url, f"q={quote('量子纠缠')}")
    assert status(page) == "没有找到包含“量子纠缠”的公开信息。"
    assert not [path for path, _, _ in server.counter.log if "pagefind" in path.split("/")[-1]]


def test_a_doc_no_made_of_tokens_every_shard_has_opens_only_its_shard(
        page: Any, quality: ModuleType, tmp_path: Path) -> None:
    """Every shard has 2016, 36 and 号, one has them side by side: the vocabulary's pairs of a word and its
    neighbours open that shard alone, where the tokens would open all three."""
    docs = [SearchDocument(url=f"items/2020/{n:05d}/", title=f"第{n}号通知", date=f"2020-{n:02d}-01", year="2020",
                           category="农村危房改造", department="村镇建设股", index_no=f"{ORG}/2020-{n:05d}",
                           doc_no="青禾住建函〔2016〕36号" if n == 4 else "",
                           text="依据〔2016〕12号文件和第36号令办理。")
            for n in range(1, 7)]
    site = tmp_path / "site"
    assert quality.write_search_site(docs, site, max_shard_documents=2)["shards"] == 3
    with quality.StaticServer(site) as server:
        open_search(page, server.url, f"q={quote('〔2016〕36号')}")
        assert [r["title"] for r in shown(page)] == ["第4号通知"]
        opened = [path for path, _, _ in server.counter.log if path.split("?")[0].endswith(".pf_meta")]
        (holding,) = [s.language for s in plan_shards(docs, 2) if any(d.doc_no for d in s.documents)]
        assert len(opened) == 1 and f"pagefind.{holding}_" in opened[0]
        server.counter.take()
        open_search(page, server.url, f"q={quote('2016 36号')}")  # two terms: no pair across them
        assert len(shown(page)) == 6


def test_excerpts_highlight_the_real_text(page: Any, site_url: str) -> None:
    open_search(page, site_url, f"q={quote('危房改造')}")
    first = shown(page)[0]
    assert set(first["marks"]) == {"危房改造"}
    assert "纳入农村危房改造计划，补助标准为每户2.5万元。" in first["excerpt"]
    assert first["category"] in {"农村危房改造", "保障性住房"}


def test_a_pasted_query_with_invisible_characters_lists_and_marks_the_text(page: Any, site_url: str) -> None:
    """A query copied from a page keeps its zero-width characters; the text found keeps its own."""
    pasted = "燃\u200b气\u00ad管道"
    open_search(page, site_url, f"q={quote(pasted)}")
    (result,) = shown(page)
    assert result["title"] == "开展城镇燃气安全专项检查的通知"
    assert [mark.replace("\u200b", "") for mark in result["marks"]] == ["燃气管道"]


def test_gongkai_search_returns_every_result(page: Any, site_url: str) -> None:
    open_search(page, site_url, "")
    results = page.evaluate("window.gongkaiSearch('危房')")
    expected = truth("危房")
    assert [r["url"] for r in results] == [d.url for d in expected]
    assert results[0] == {"url": expected[0].url, "title": expected[0].title, "date": expected[0].date}
    assert page.evaluate("window.gongkaiSearch('量子纠缠')") == []


def test_filters_narrow_the_results_and_show_counts(page: Any, site_url: str) -> None:
    open_search(page, site_url, f"q={quote('危房改造')}")
    page.select_option("select[name=category]", "保障性住房")
    wait_idle(page)
    expected = [d for d in truth("危房改造") if d.category == "保障性住房"]
    assert f"category={quote('保障性住房')}" in page.url
    assert status(page).startswith(f"找到 {len(expected)} 条结果，筛选前共 {len(truth('危房改造'))} 条")
    assert {r["category"] for r in shown(page)} == {"保障性住房"}
    label = page.locator("select[name=category] option[value='保障性住房']").inner_text()
    assert label == f"保障性住房（{len(expected)}）"

    page.select_option("select[name=year]", "2021")
    wait_idle(page)
    expected = [d for d in expected if d.year == "2021"]
    assert [r["date"] for r in shown(page)] == [d.date for d in expected]


def test_oldest_first_and_paging(page: Any, site_url: str) -> None:
    open_search(page, site_url, f"q={quote('危房改造')}&sort=asc")
    expected = list(reversed(truth("危房改造")))
    assert [r["date"] for r in shown(page)] == [d.date for d in expected[:20]]
    page.get_by_role("link", name="下一页").click()
    wait_idle(page)
    assert "page=2" in page.url
    assert page.evaluate("document.querySelector('.gongkai-search__results').start") == 21
    assert [r["title"] for r in shown(page)] == [d.title for d in expected[20:]]
    page.go_back()
    page.wait_for_function("() => document.querySelector('.gongkai-search__results').start === 1")
    wait_idle(page)
    assert [r["title"] for r in shown(page)] == [d.title for d in expected[:20]]


def test_the_form_searches_without_reloading(page: Any, site_url: str) -> None:
    open_search(page, site_url, "")
    assert status(page) == "请输入检索词。"
    page.fill("#gongkai-search-q", "燃气安全")
    page.press("#gongkai-search-q", "Enter")
    wait_idle(page)
    assert f"q={quote('燃气安全')}" in page.url
    assert [r["title"] for r in shown(page)] == ["开展城镇燃气安全专项检查的通知"]


def test_nothing_found(page: Any, site_url: str) -> None:
    open_search(page, site_url, f"q={quote('不存在的词语')}")
    assert status(page) == "没有找到包含“不存在的词语”的公开信息。"
    assert shown(page) == []


def test_a_query_link_of_any_length_is_answered_for_its_first_100_characters(page: Any, site_url: str) -> None:
    """A link anyone can make: a long query is cut to the search box's 100 characters, not searched whole."""
    query = "危房改造" * 1_750  # 7,000 characters: 63 KB encoded, within the test server's limit for a URL
    started = time.monotonic()
    open_search(page, site_url, f"q={quote(query)}")
    assert time.monotonic() - started < 10
    assert page.input_value("#gongkai-search-q") == query[:100]
    assert status(page) == f"没有找到包含“{query[:100]}”的公开信息。"


@pytest.mark.parametrize("control", ["\u202e", "\u2067", "\u202b", "\u200f", "\u200b", "\u2028", "\x1b", "\u061c"])
def test_the_status_repeats_a_query_without_what_would_turn_or_hide_the_pages_words(page: Any, site_url: str, control: str) -> None:
    """The status and the title repeat the query of a link anyone can make: a right-to-left override in it turned
    the page's own words after it around (“…”的公开信息 shown backwards), a zero-width or line separator hid them."""
    open_search(page, site_url, f"q={quote(f'不存在{control}的词语')}")
    assert status(page) == "没有找到包含“不存在的词语”的公开信息。"
    assert page.title().startswith("不存在的词语 - ")
    assert page.input_value("#gongkai-search-q") == f"不存在{control}的词语"  # the box keeps what was asked


@pytest.mark.parametrize("query", ["", f"q={quote('危房改造')}&"])
def test_a_filter_no_document_has_lists_nothing_and_never_shows_the_links_text(page: Any, site_url: str, query: str) -> None:
    """A link anyone can make names any 分类, 机构 or 年份: its text was put into the page as a choice of the
    list, of any length (a sentence of 17 KB under the agency's name), with or without a query."""
    planted = "本网站已停止服务请访问qxfilterplanted" * 150  # 17 KB encoded a filter: the three within the test server's limit
    started = time.monotonic()
    open_search(page, site_url, f"{query}category={quote(planted)}&department={quote(planted)}&year={quote(planted)}")
    assert time.monotonic() - started < 10
    shown_text = page.evaluate("document.body.innerText + [...document.querySelectorAll('option')].map(o => o.text).join()")
    assert "qxfilterplanted" not in shown_text and "已停止服务" not in shown_text
    for field in ("category", "department", "year"):
        assert page.input_value(f"select[name={field}]") == planted  # the list stays as asked
    if query:
        assert status(page) == "没有找到包含“危房改造”的公开信息。"  # a filter no document has is not searched
        assert shown(page) == []
        page.select_option("select[name=category]", "")
        page.select_option("select[name=department]", "")
        page.select_option("select[name=year]", "")
        wait_idle(page)
        assert [r["title"] for r in shown(page)] == [d.title for d in truth("危房改造")][:20]


@pytest.mark.parametrize(
    "query, urls",
    [
        ("X住建规〔2021〕3号", ["items/2021/00100/"]),
        ("x住建规(2021)3号", ["items/2021/00100/"]),  # case, brackets and width do not matter
        (f"{ORG}/2022-00101", ["items/2022/00101/"]),
        ("2021年6月", ["items/2021/00100/"]),
        ("12319", [d.url for d in truth("12319")]),
        ("2.5万元", [d.url for d in truth("2.5万元")]),
        ("公积金 通知", ["items/2021/00100/"]),  # words separated by spaces must all occur
        # format characters are nothing, in the text and in a pasted query (zero-width space, soft hyphen, word joiner)
        ("燃气管道", ["items/2022/00101/"]),
        ("燃\u200b气\u00ad管\u2060道", ["items/2022/00101/"]),
        ("公积\u200b金 通\ufeff知", ["items/2021/00100/"]),
    ],
)
def test_mixed_queries(page: Any, site_url: str, query: str, urls: list[str]) -> None:
    open_search(page, site_url, "")
    assert [r["url"] for r in page.evaluate("q => window.gongkaiSearch(q)", query)] == urls


def test_a_doc_no_query_highlights_the_doc_no(page: Any, site_url: str) -> None:
    open_search(page, site_url, f"q={quote('X住建规〔2021〕3号')}")
    (result,) = shown(page)
    assert result["doc_no"] == "X住建规〔2021〕3号"
    assert result["marks"] == ["X住建规〔2021〕3号"]


def test_a_single_character(page: Any, site_url: str) -> None:
    open_search(page, site_url, f"q={quote('燃')}")
    assert status(page).startswith("找到 1 条结果。单字检索")
    assert [r["url"] for r in page.evaluate("window.gongkaiSearch('房')")] == [d.url for d in truth("房")]


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_results_have_no_accessibility_violations(browser: Any, site_url: str, viewport: dict[str, int]) -> None:
    assert AXE.exists(), "axe-core 未安装：请运行 npm ci（scripts/setup.sh --test）"
    # axe is injected as an inline script, which the site's policy forbids.
    page = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
    page.set_viewport_size(viewport)
    open_search(page, site_url, f"q={quote('危房改造')}")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the page's CSP allows no inline script
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    assert [(v["id"], v["impact"]) for v in result["violations"]] == []
