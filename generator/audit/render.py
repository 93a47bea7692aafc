"""An audit as text (terminal, CI log) and as JSON (tools); the HTML page is in `audit.html`."""

from __future__ import annotations

from ..problems import printable, printable_json
from .model import DEDUCT, NOTE, VETO, AuditReport, Finding


def verdict(report: AuditReport) -> str:
    veto, deduct = len(report.by_level(VETO)), len(report.by_level(DEDUCT))
    if veto:
        return f"不合格：{veto} 个单项否决问题（另有 {deduct} 个扣分问题）"
    if deduct:
        return f"未发现单项否决问题；有 {deduct} 个扣分问题"
    return "未发现单项否决或扣分问题"


def _where(finding: Finding) -> str:
    if finding.path and finding.line:
        return f"{finding.path}:{finding.line}"
    return finding.path or finding.url


def render_text(report: AuditReport) -> str:
    lines = [f"{report.org_name} 网站自查（政府网站与政务新媒体检查指标），检查日期 {report.today}", verdict(report), ""]
    for level in (VETO, DEDUCT, NOTE):
        for finding in report.by_level(level):
            where = _where(finding)
            lines.append(f"[{level}] {finding.indicator.name}：{finding.message}" + (f"（{where}）" if where else ""))
            lines.extend(f"    {detail}" for detail in finding.details)
            lines.append(f"    指标：{finding.indicator.wording}")
            lines.append(f"    修正：{finding.indicator.fix}")
    passed = [indicator.name for indicator in report.indicators if indicator.level != NOTE and not report.failed(indicator)]
    if passed:
        lines += ["", f"通过的指标：{'、'.join(passed)}"]
    # Messages quote content (a lexicon finding's words, a link's address): shown as written on any terminal.
    return "\n".join(printable(line) for line in lines)


def render_json(report: AuditReport) -> str:
    data = {
        "today": report.today.isoformat(),
        "org": report.org_name,
        "vetoed": report.vetoed,
        "verdict": verdict(report),
        "indicators": [
            {"key": i.key, "name": i.name, "level": i.level, "wording": i.wording, "fix": i.fix,
             "passed": not report.failed(i)}
            for i in report.indicators
        ],
        "findings": [
            {"indicator": f.indicator.key, "name": f.indicator.name, "level": f.level, "message": f.message,
             "path": f.path, "line": f.line, "url": f.url, "details": list(f.details), "fix": f.indicator.fix}
            for f in report.findings
        ],
    }
    return printable_json(data, indent=2)
