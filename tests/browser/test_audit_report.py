"""The audit's HTML report in real Chromium: it renders the verdict, the heat map and the findings,
runs no script, loads nothing from outside, and axe-core finds no violation at all."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest

from gongkai.audit.html import render_html
from gongkai.commands.audit import audit
from gongkai.site_config import load_settings
from tests.projects import make_project, write_item

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TODAY = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    """The report of the fixture site (not a git repository) with a dead link planted."""
    root = make_project(tmp_path_factory.mktemp("audit-report") / "project").root
    write_item(root, 2024, 90, "办事指南见[这里](/banshi/zhinan/)。", title="关于调整办事指南的通知",
               category="动态信息", department="办公室", published=TODAY)
    with contextlib.chdir(root):
        report = audit(load_settings(root), TODAY)
    file = root.parent / "自查报告.html"
    file.write_text(render_html(report), encoding="utf-8")
    return file


def test_the_report_renders_offline_without_scripts(report_file, desktop):
    requests: list[str] = []
    refused: list[str] = []
    desktop.on("request", lambda request: requests.append(request.url))
    desktop.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    desktop.goto(report_file.as_uri())
    assert desktop.locator("h1").inner_text().endswith("网站自查报告")
    assert "不合格" in desktop.locator(".verdict").inner_text()
    vetoes = desktop.locator("section#summary li, section[aria-labelledby=summary] li").all_inner_texts()
    assert any("链接不可用" in text for text in vetoes) and any("发稿日期无法核查" in text for text in vetoes)
    assert desktop.locator("svg.heatmap rect").count() > 53
    link = desktop.get_by_role("link", name="content/items/2024/2024-00090.md")
    assert link.get_attribute("href") == "https://zjj.qinghe.gov.cn/items/2024/00090/"
    assert desktop.evaluate("document.scripts.length") == 0
    assert all(url.startswith("file://") for url in requests), requests
    # under its policy (no script, nothing loaded, its one stylesheet by hash) the report is styled as written
    policy = desktop.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    assert "default-src 'none'" in policy and "script-src" not in policy and "unsafe" not in policy
    assert desktop.locator(".verdict").evaluate("node => getComputedStyle(node).fontWeight") == "700"
    assert refused == []


def test_the_month_table_opens_with_the_keyboard(report_file, desktop):
    desktop.goto(report_file.as_uri())
    desktop.locator("details summary").focus()
    desktop.keyboard.press("Enter")
    assert desktop.locator("table.months").is_visible()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_axe_finds_no_violation(report_file, desktop, viewport):
    assert AXE.exists(), "axe-core 未安装：请运行 npm ci（scripts/setup.sh --test）"
    desktop.set_viewport_size(viewport)
    desktop.goto(report_file.as_uri())
    desktop.locator("details summary").click()  # the month table is checked too
    desktop.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the report's policy allows none
    result = desktop.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
