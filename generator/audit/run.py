"""Run every indicator against a site: the one entry point of `gongkai audit`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..project import Project, load_project
from ..settings import Settings
from .heatmap import build_heatmap
from .indicators import all_indicators
from .model import AuditContext, AuditError, AuditReport, Finding

# Builds the site of (settings, project, today) into a folder, as `gongkai build` would publish it,
# even when the content has check errors (the audit reports what such a site would show).
SiteBuilder = Callable[[Settings, Project, dt.date, Path], None]


def run_audit(settings: Settings, today: dt.date, *, builder: SiteBuilder | None = None, online: bool = False,
              progress: Callable[[str], None] = lambda _message: None) -> AuditReport:
    """The audit of the site; without `builder`, of its content alone (the link indicators say so)."""
    project = load_project(settings.root, settings.content_dir, limits=settings.limits)
    if project.catalog is None:
        raise AuditError("catalog.yml 无法读取：请先运行 `gongkai check` 并按提示修正")
    build_site = partial(builder, settings, project, today) if builder is not None else None
    context = AuditContext(settings, project, today, online, build_site, progress)
    findings: list[Finding] = []
    indicators = all_indicators()
    try:
        for indicator in indicators:
            findings.extend(indicator.inspect(context))
    finally:
        context.close()
    return AuditReport(today, project.catalog.org_name, settings.site_url, indicators, tuple(findings),
                       build_heatmap(project, today))
