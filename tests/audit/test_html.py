"""The HTML report escapes every value and links only to web addresses."""

from __future__ import annotations

import datetime as dt
from html import escape

from gongkai.audit.html import render_html
from gongkai.audit.model import DEDUCT, VETO, AuditReport, Indicator
from gongkai.audit.render import render_json, render_text

HOSTILE = '<script>alert(1)</script>"onmouseover="x'


def report(url: str) -> AuditReport:
    veto = Indicator("v", "否决项", f"要求{HOSTILE}", VETO, f"改法{HOSTILE}", lambda ctx: iter(()))
    deduct = Indicator("d", "扣分项", "要求", DEDUCT, "改法", lambda ctx: iter(()))
    findings = (veto.finding(f"问题{HOSTILE}", path=f"content/{HOSTILE}.md", line=3, url=url, details=(HOSTILE,)),
                deduct.finding("小问题"))
    return AuditReport(dt.date(2026, 11, 29), f"机构{HOSTILE}", "https://zjj.example.gov.cn/", (veto, deduct), findings)


def test_every_value_is_escaped():
    html = render_html(report("https://zjj.example.gov.cn/items/2026/00001/"))
    assert "<script>" not in html and 'onmouseover="x' not in html
    assert html.count("&lt;script&gt;") >= 6
    assert 'href="https://zjj.example.gov.cn/items/2026/00001/"' in html


def test_only_web_addresses_become_links():
    for url in ("javascript:alert(1)", "data:text/html,x", "//evil.example/", "\\\\evil.example\\share", "/\\evil.example/",
                " //evil.example/", "\t\\/evil.example/", " javascript:alert(1)", "java\tscript:alert(1)"):
        assert f'href="{escape(url)}"' not in render_html(report(url)), url


def test_veto_findings_come_first_in_every_format():
    text = render_text(report(""))
    assert text.index("[单项否决]") < text.index("[扣分]") and "不合格" in text
    html = render_html(report(""))
    assert html.index("否决项") < html.index("扣分项")
    assert '"vetoed": true' in render_json(report(""))


def test_the_text_report_shows_quoted_content_as_written():
    text = render_text(report("").__class__(dt.date(2026, 11, 29), "机构\u202e构机", "", (), ()))
    assert "机构\\u202e构机" in text and "\u202e" not in text


def test_the_html_report_shows_what_would_act_on_a_terminal_as_written():
    """The page goes to standard output when no file is named: a finding quoting a link's decoded address
    (`%1b]0;…%07`) set the terminal's title, in CI logs too. Every control, C1 and bidirectional character of a
    value is written out as its escape, in every part of the page."""
    import re

    hostile = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202e\r\n\x00"
    veto = Indicator("v", f"否决项{hostile}", f"要求{hostile}", VETO, f"改法{hostile}", lambda ctx: iter(()))
    findings = (veto.finding(f"问题{hostile}", path=f"content/{hostile}.md", line=3,
                             url=f"https://zjj.example.gov.cn/{hostile}", details=(hostile,)),)
    html = render_html(AuditReport(dt.date(2026, 11, 29), f"机构{hostile}", f"https://zjj.example.gov.cn/{hostile}",
                                   (veto,), findings))
    acting = re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", html)
    assert acting == []
    assert html.count("\\x1b]0;PWNED\\x07") >= 6
