"""The audit as one self-contained HTML page for the office leader: the verdict with the veto items
first, the indicators passed and failed, a heat map of publications per column, and every finding
with a link to its item. Inline CSS, inline SVG, no script; every value is escaped."""

from __future__ import annotations

import base64
import hashlib
from html import escape
from urllib.parse import urlsplit

from ..problems import printable
from .heatmap import render_svg, render_table
from .model import DEDUCT, NOTE, VETO, AuditReport, Finding
from .render import verdict


def _text(value: str) -> str:
    """`value` escaped for HTML, with what would act on a terminal written out (`\\x1b`): the page goes to standard
    output too, and a finding quotes a link's address as decoded (`%1b]0;…%07` set the terminal's title)."""
    return escape(printable(value))

STYLE = """
:root { color-scheme: light; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 0; color: #1f2328;
       background: #fff; line-height: 1.6; }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 1.25rem; }
header { border-bottom: 3px solid #b71c1c; padding-top: 1rem; }
h1 { font-size: 1.6rem; margin: .4rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-left: 4px solid #b71c1c; padding-left: .5rem; }
.meta { color: #444; margin: .2rem 0 .8rem; }
.verdict { font-size: 1.2rem; font-weight: bold; padding: .8rem 1rem; border-radius: 4px; }
.verdict.fail { background: #fdecea; color: #8a1212; border: 1px solid #e3a5a0; }
.verdict.pass { background: #e8f5e9; color: #1b5e20; border: 1px solid #a5d6a7; }
.level { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .9rem; white-space: nowrap; }
.level.veto { background: #8a1212; color: #fff; }
.level.deduct { background: #8a5a00; color: #fff; }
.level.note { background: #37474f; color: #fff; }
.level.pass { background: #1b5e20; color: #fff; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { border: 1px solid #c9ced6; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f0f2f5; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
.months td { text-align: right; }
.nowrap { white-space: nowrap; }
ul.details { margin: .3rem 0 0; padding-left: 1.2rem; font-size: .9rem; color: #333; }
.scroll { overflow-x: auto; }
svg.heatmap text { font-size: 11px; fill: #333; }
a { color: #0b57d0; }
a:focus, summary:focus, .scroll:focus { outline: 3px solid #f9a825; outline-offset: 2px; }
footer { color: #444; font-size: .9rem; margin-top: 2rem; padding-bottom: 2rem; }
@media print { .scroll { overflow: visible; } a { color: inherit; } }
"""

_CLASS = {VETO: "veto", DEDUCT: "deduct", NOTE: "note"}
# The report is opened from a CI artifact or a shared folder, and quotes what anyone committed (titles, addresses):
# escaped all the same, and under a policy that runs no script and loads nothing, its one stylesheet allowed by hash.
POLICY = ("default-src 'none'; style-src 'sha256-"
          f"{base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()}'; base-uri 'none'; form-action 'none'")


def _level(level: str) -> str:
    return f'<span class="level {_CLASS[level]}">{_text(level)}</span>'


def _safe_url(url: str) -> str:
    """Only web addresses and relative paths become links."""
    scheme = urlsplit(url).scheme
    # A browser reads \\host (or /\host) as //host: another site, or an SMB share when the page is a file.
    lead = url.lstrip("".join(map(chr, range(0x21)))).replace("\\", "/")
    return url if scheme in ("", "http", "https") and not lead.startswith("//") else ""


def _place(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}" if finding.path and finding.line else finding.path
    url = _safe_url(finding.url)
    if url:
        return f'<a href="{_text(url)}">{_text(where or url)}</a>'
    return _text(where)


def _scroll(label: str, content: str) -> str:
    """A wide block that scrolls sideways on a phone; focusable so keyboard users can scroll it too."""
    return f'<div class="scroll" tabindex="0" role="region" aria-label="{_text(label)}">{content}</div>'


def _finding_row(finding: Finding) -> str:
    details = ""
    if finding.details:
        details = '<ul class="details">' + "".join(f"<li>{_text(detail)}</li>" for detail in finding.details) + "</ul>"
    return (f"<tr><td>{_level(finding.level)}</td><td>{_text(finding.indicator.name)}</td>"
            f"<td>{_text(finding.message)}{details}</td><td>{_place(finding)}</td>"
            f"<td>{_text(finding.indicator.fix)}</td></tr>")


def _summary(report: AuditReport) -> str:
    veto = report.by_level(VETO)
    items = "".join(f"<li>{_level(VETO)} {_text(f.indicator.name)}：{_text(f.message)}</li>" for f in veto[:20])
    more = f"<li>……共 {len(veto)} 项，见下方问题清单</li>" if len(veto) > 20 else ""
    listing = f"<h3>单项否决问题（须立即整改）</h3><ul>{items}{more}</ul>" if veto else ""
    css = "fail" if veto else "pass"
    return (f'<p class="verdict {css}">{_text(verdict(report))}</p>{listing}'
            f"<p>单项否决 {len(veto)} 项，扣分 {len(report.by_level(DEDUCT))} 项，提示 {len(report.by_level(NOTE))} 项。"
            "单项否决指标任何一项未通过，网站即判为不合格。</p>")


def _indicators(report: AuditReport) -> str:
    rows = []
    for indicator in sorted(report.indicators, key=lambda i: ((i.level != VETO), i.order)):
        failed = report.failed(indicator)
        status = (_level(indicator.level) + " 未通过") if failed and indicator.level != NOTE else (
            '<span class="level pass">通过</span>' if not failed else "见问题清单")
        rows.append(f"<tr><td>{_text(indicator.name)}</td><td class=\"nowrap\">{_text(indicator.level)}</td>"
                    f"<td>{_text(indicator.wording)}</td><td>{status}</td></tr>")
    return ('<table><caption>逐项结果</caption><thead><tr><th scope="col">指标</th><th scope="col">类别</th>'
            f'<th scope="col">要求</th><th scope="col">结果</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _findings(report: AuditReport) -> str:
    ordered = report.by_level(VETO) + report.by_level(DEDUCT) + report.by_level(NOTE)
    if not ordered:
        return "<p>未发现问题。</p>"
    rows = "".join(_finding_row(finding) for finding in ordered)
    return _scroll("问题清单（可左右滚动）", '<table><caption>全部问题（单项否决在前）</caption><thead><tr>'
                   '<th scope="col">类别</th><th scope="col">指标</th><th scope="col">问题</th><th scope="col">位置</th>'
                   f'<th scope="col">修正方法</th></tr></thead><tbody>{rows}</tbody></table>')


def render_html(report: AuditReport) -> str:
    title = f"{report.org_name}网站自查报告"
    heatmap = report.heatmap
    chart = ""
    if heatmap is not None and heatmap.rows:
        table = _scroll("按月的发布条数（可左右滚动）", render_table(heatmap))
        chart = (f'<section aria-labelledby="heatmap"><h2 id="heatmap">近 12 个月各栏目发布情况</h2>'
                 f'{_scroll("发布热力图（可左右滚动）", render_svg(heatmap))}'
                 f"<details><summary>按月的发布条数（表格）</summary>{table}</details></section>")
    site = f"网站：{_text(report.site_url)}　" if report.site_url else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}"><meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_text(title)}（{report.today}）</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{_text(title)}</h1><p class=\"meta\">对照《政府网站与政务新媒体检查指标》逐项自查 · "
        f"{site}检查日期：{report.today}</p></header><main>"
        f'<section aria-labelledby="summary"><h2 id="summary">结论</h2>{_summary(report)}{_indicators(report)}</section>'
        f"{chart}"
        f'<section aria-labelledby="findings"><h2 id="findings">问题清单</h2>{_findings(report)}</section>'
        "</main><footer><p>由 gongkai audit 生成：内容、git 历史和按发布时的样子生成的网站均在本机检查，"
        "外部链接仅在使用 --online 时检查。</p></footer></body></html>\n"
    )
