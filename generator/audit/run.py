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


def build_into(root: Path, project: Project, today: dt.date, target: Path) -> None:
    """The real MkDocs build of the site into `target`, from the project already loaded.

    Unlike `gongkai build`, content with check errors is built anyway: the audit reports what such a
    site would show (its check errors appear among the findings they belong to).
    """
    from mkdocs.commands.build import build

    from ..mkdocs_plugin import BuildContext
    from ..site_config import PLUGIN, load_mkdocs_config, mkdocs_logging

    with mkdocs_logging(lambda _message: None) as failures:
        config = load_mkdocs_config(root, failures, target)
        config.plugins[PLUGIN].prepare(BuildContext(project, today))
        try:
            build(config)
        except Exception as exc:
            raise AuditError("；".join(failures) or f"{type(exc).__name__}: {exc}") from None


def run_audit(settings: Settings, today: dt.date, *, online: bool = False, build_site: bool = True,
              progress: Callable[[str], None] = lambda _message: None) -> AuditReport:
    project = load_project(settings.root, settings.content_dir)
    if project.catalog is None:
        raise AuditError("catalog.yml 无法读取：请先运行 `gongkai check` 并按提示修正")
    builder = partial(build_into, settings.root, project, today) if build_site else None
    context = AuditContext(settings, project, today, online, builder, progress)
    findings: list[Finding] = []
    indicators = all_indicators()
    try:
        for indicator in indicators:
            findings.extend(indicator.inspect(context))
    finally:
        context.close()
    return AuditReport(today, project.catalog.org_name, settings.site_url, indicators, tuple(findings),
                       build_heatmap(project, today))
