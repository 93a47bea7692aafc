"""The audit's 意见征集未反馈 and 定期公开逾期 indicators: findings from the check's GK710 and GK720."""

from __future__ import annotations

import datetime as dt

from gongkai.audit.indicators.consultations import FEEDBACK
from gongkai.audit.indicators.periodic import OVERDUE
from gongkai.audit.model import DEDUCT
from gongkai.audit.run import run_audit
from gongkai.settings import Settings

ORG = "11131122MB1534702N"
CATALOG = f"""\
org: {{name: 测试县住房和城乡建设局, code: {ORG}}}
departments:
  - {{name: 办公室, slug: office}}
categories:
  - name: 互动交流
    slug: interact
    children:
      - {{name: 意见征集, slug: consult, consultation: true}}
      - {{name: 市政服务, slug: utility}}
series:
  - {{name: 供水水质检测结果, column: 市政服务, every: quarter, start: 2024Q1}}
"""
TODAY = dt.date(2024, 9, 1)


def audit(site):
    (site.content / "catalog.yml").write_text(CATALOG, encoding="utf-8")
    return run_audit(Settings(site.root, site.content), TODAY)


def findings(report, indicator):
    return [finding for finding in report.findings if finding.indicator is indicator]


def test_a_consultation_without_feedback_is_a_finding_with_its_page(site):
    notice = site.item("2024/notice.md", category="意见征集", published="2024-06-03",
                       consultation={"from": "2024-06-03", "to": "2024-07-02"})
    site.item("2024/q1.md", category="市政服务", series="供水水质检测结果", period="2024Q1", published="2024-04-20")
    site.item("2024/q2.md", category="市政服务", series="供水水质检测结果", period="2024Q2", published="2024-07-20")
    [found] = findings(audit(site), FEEDBACK)
    assert found.level == DEDUCT and found.path == site.rel(notice) and found.url.endswith("items/2024/00001/")
    assert "2024-08-01 前发布" in found.message
    assert findings(audit(site), OVERDUE) == []


def test_an_answered_consultation_and_a_complete_series_pass(site):
    notice = site.meta(category="意见征集", published="2024-06-03", consultation={"from": "2024-06-03", "to": "2024-07-02"})
    site.item("2024/notice.md", **notice)
    site.item("2024/reply.md", category="意见征集", published="2024-07-20", feedback_for=notice["index_no"])
    site.item("2024/q1.md", category="市政服务", series="供水水质检测结果", period="2024Q1", published="2024-04-20")
    site.item("2024/q2.md", category="市政服务", series="供水水质检测结果", period="2024Q2", published="2024-07-20")
    report = audit(site)
    assert findings(report, FEEDBACK) == [] and findings(report, OVERDUE) == []


def test_an_overdue_period_is_a_finding_with_its_due_date(site):
    site.item("2024/q1.md", category="市政服务", series="供水水质检测结果", period="2024Q1", published="2024-04-20")
    [found] = findings(audit(site), OVERDUE)
    assert found.level == DEDUCT and found.path == "content/catalog.yml"
    assert "2024年第2季度（2024Q2）未发布：应发布日期 2024-07-31（次月底）" in found.message
