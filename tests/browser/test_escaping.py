"""Escaping by construction, in Chromium: a battery of payloads in every text field reaches the pages
as text. No script runs, no navigation or refresh happens, no attribute or element is injected.

The check is bypassed for this site (it would refuse most payloads) and the browser ignores the
Content-Security-Policy, so what is tested is the templates' escaping alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from lxml import etree

from gongkai import checks
from gongkai import project as project_module
from gongkai.checks import parallel
from tests.browser.conftest import serving
from tests.projects import ORG_CODE, build, make_project

pytestmark = pytest.mark.browser

PAYLOAD = (
    '<img src=x onerror="__gk_xss(1)" gkinjected=1><script>__gk_xss(2)</script>'
    "\" gkinjected=\"1' gkinjected='1 \" http-equiv=\"refresh\" content=\"0;url=about:blank\" "
    '<svg onload=__gk_xss(3)></svg></title></textarea></style></script><script>__gk_xss(4)</script>'
    '<meta http-equiv="refresh" content="0;url=about:blank"><base href="https://evil.invalid/">'
    '<a href="javascript:__gk_xss(5)" gkinjected=1>x</a>{{7*7}}${7*7}&lt;b gkinjected=1&gt;&amp;-->]]>'
)
PAGES = ["", "items/2021/00001/", "items/2023/00001/", "catalog/", "catalog/policy/", "catalog/normative/",
         "departments/", "departments/rural/", "years/", "years/2021/", "pages/guide/", "report/", "report/2023/",
         "search/?q=%E9%80%9A%E7%9F%A5", "404.html", "items/2024/00060/", "catalog/consult/", "series/water/",
         "items/2023/00068/", "catalog/party/"]


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _plant(root: Path) -> None:
    """The payload in every text field that reaches a page: item fields, catalog and department
    names, page titles, footer settings, site name, report texts."""
    catalog = {
        "org": {"name": f"测试县住房和城乡建设局{PAYLOAD}", "code": ORG_CODE},
        "departments": [{"name": "办公室", "slug": "office"}, {"name": "住房保障股", "slug": "housing"},
                        {"name": f"村镇建设股{PAYLOAD}", "slug": "rural"}],
        "categories": [
            {"name": f"政策文件{PAYLOAD}", "slug": "policy", "children": [
                {"name": f"规范性文件{PAYLOAD}", "slug": "normative"}, {"name": "政策解读", "slug": "interpretation"}]},
            {"name": "重点领域", "slug": "focus", "children": [
                {"name": "农村危房改造", "slug": "ruralhouse"}, {"name": "保障性住房", "slug": "housing"}]},
            {"name": "工作动态", "slug": "updates", "children": [{"name": "动态信息", "slug": "news"}]},
            {"name": "公共服务", "slug": "services", "children": [{"name": "市政服务", "slug": "utility"}]},
            {"name": "公众参与", "slug": "participation", "children": [
                {"name": f"意见征集{PAYLOAD}", "slug": "consult", "consultation": True}]},
            {"name": f"党务公开{PAYLOAD}", "slug": "party", "party": True, "children": [
                {"name": "党组织决议", "slug": "resolutions"}, {"name": "联系服务党员群众", "slug": "outreach", "audience": "公众"},
                {"name": "党内制度", "slug": "party-rules"}]},
        ],
        "series": [{"name": f"供水水质检测结果{PAYLOAD}", "slug": "water", "column": "市政服务", "every": "quarter", "start": "2023Q3"}],
    }
    (root / "content" / "catalog.yml").write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    item = root / "content" / "items" / "2021" / "2021-00001.md"
    front, body = item.read_text(encoding="utf-8").split("\n---\n", 1)
    fields = {
        "title": f"通知{PAYLOAD}", "summary": f"概述{PAYLOAD}", "doc_no": f"测{PAYLOAD}", "keywords": [PAYLOAD, "危房"],
        "category": "normative", "department": "rural",
        "attachments": [{"title": f"附件{PAYLOAD}", "file": "2021/补助标准.csv"}],
    }
    lines = [line for line in front.split("\n") if line.split(":", 1)[0] not in fields]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    item.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    for name in ("2023/2023-00068.md", "2024/2024-00061.md"):  # the series' items name it
        water = root / "content" / "items" / name
        water.write_text(water.read_text(encoding="utf-8").replace('"供水水质检测结果"', _quoted(f"供水水质检测结果{PAYLOAD}")),
                         encoding="utf-8")
    consultation = root / "content" / "items" / "2024" / "2024-00060.md"
    channel = _quoted(f"电子邮件{PAYLOAD}")[1:-1]
    text = consultation.read_text(encoding="utf-8").replace("电子邮件：zjj@example.gov.cn", channel)
    consultation.write_text(text.replace('category: "意见征集"', "category: consult"), encoding="utf-8")
    withdrawn = root / "content" / "items" / "2023" / "2023-00001.md"
    reason = _quoted(f"撤回{PAYLOAD}")[1:-1]
    withdrawn.write_text(withdrawn.read_text(encoding="utf-8").replace("信息有误，已撤回", reason), encoding="utf-8")
    page = root / "content" / "pages" / "guide.md"
    title = f"title: {_quoted('指南' + PAYLOAD)}"
    page.write_text(page.read_text(encoding="utf-8").replace("title: 政府信息公开指南", title), encoding="utf-8")
    config = root / "mkdocs.yml"
    settings = config.read_text(encoding="utf-8").replace("site_name: 青禾县住房和城乡建设局", f"site_name: {_quoted('青禾' + PAYLOAD)}")
    for key in ("sponsor", "address", "phone", "site_code", "icp", "police"):
        settings = "\n".join(
            f"{line.split(':', 1)[0]}: {_quoted(key + PAYLOAD)}" if line.strip().startswith(f"{key}:") else line
            for line in settings.split("\n")
        )
    config.write_text(settings, encoding="utf-8")
    report = root / "content" / "reports" / "2023.yml"
    text = report.read_text(encoding="utf-8")
    for key in ("overview", "problems", "other_matters"):
        text = text.replace(f"{key}: |", f"{key}: |\n  {PAYLOAD}\n", 1)
    report.write_text(text.replace("村镇建设股:", f"{_quoted('村镇建设股' + PAYLOAD)}:"), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    fixture = make_project(tmp_path_factory.mktemp("hostile") / "project", news=2)
    _plant(fixture.root)
    with pytest.MonkeyPatch.context() as patch:
        # let the payloads through to the templates
        patch.setattr(parallel, "judge_loaded", lambda *args, **kwargs: lambda: checks.Checked([], 0))
        patch.setattr(project_module, "MAX_TITLE", 10 * len(PAYLOAD))  # the loader leaves out a page of a longer title
        site = build(fixture, fixture.root / "site").site
    feed = etree.fromstring((site / "feed.xml").read_bytes())
    assert f"通知{PAYLOAD}" in [title.text for title in feed.iter("{http://www.w3.org/2005/Atom}title")]
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def no_csp(browser):
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    context.add_init_script("window.__gk_xss = n => { (window.__gk_ran = window.__gk_ran || []).push(n) }")
    yield context
    context.close()


@pytest.mark.parametrize("url", PAGES)
def test_no_payload_runs_navigates_or_injects(no_csp, hostile_url, url):
    page = no_csp.new_page()
    navigations: list[str] = []
    dialogs: list[str] = []
    def navigated(frame) -> None:
        if frame == page.main_frame:
            navigations.append(frame.url)

    def dialog_opened(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("framenavigated", navigated)
    page.on("dialog", dialog_opened)
    page.goto(hostile_url + url)
    page.wait_for_load_state("networkidle")
    if url.startswith("search/"):
        page.locator('.gongkai-search[data-busy="false"]').wait_for(state="attached")
        assert page.locator(".gongkai-search__results li").count() > 0
    for link in page.locator("a[href]").all()[:400]:  # a javascript: link would only run when clicked
        assert not (link.get_attribute("href") or "").strip().lower().startswith("javascript:")
    found = page.evaluate(
        """() => ({
            ran: window.__gk_ran || [],
            injected: document.querySelectorAll('[gkinjected], svg[onload], img[onerror], base').length,
            refresh: document.querySelectorAll('meta[http-equiv="refresh" i]').length,
            text: document.body.innerText,
            title: document.title,
        })"""
    )
    page.close()
    assert found["ran"] == [] and dialogs == []
    assert found["injected"] == 0 and found["refresh"] == 0
    assert navigations == [hostile_url + url]
    assert "<script>__gk_xss(2)</script>" in found["text"] + found["title"]  # shown as text, not dropped
