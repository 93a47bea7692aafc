"""What an audit is made of: indicators, the findings they report, and the context they read.

An indicator is one machine-checkable point of the 政府网站与政务新媒体检查指标: its name, the
indicator's wording, whether failing it vetoes the whole site (单项否决) or costs points (扣分), how to
fix it, and a function that inspects the context. Each module of `gongkai.audit.indicators`
declares its indicators; adding a module there adds them to every audit (see that package).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..model import AuditSettings, Item
from ..problems import Problem
from ..project import Project
from ..settings import Settings
from .heatmap import HeatMap
from .history import History

VETO = "单项否决"
DEDUCT = "扣分"
NOTE = "提示"  # information for the office, never a failure
LEVELS = (VETO, DEDUCT, NOTE)


@dataclass(frozen=True)
class Finding:
    """One thing found; `path`/`line` point to the source, `url` to the page on the site."""

    indicator: Indicator
    message: str  # Chinese: what was found, with the numbers
    path: str = ""
    line: int = 0
    url: str = ""
    details: tuple[str, ...] = ()  # e.g. the pages a dead link is on

    @property
    def level(self) -> str:
        return self.indicator.level


@dataclass(frozen=True, eq=False)
class Indicator:
    key: str  # stable identifier, e.g. "home-not-updated"
    name: str  # 指标名称, e.g. 首页不更新
    wording: str  # 指标要求（检查指标原文或其要点）
    level: str  # VETO, DEDUCT or NOTE
    fix: str  # Chinese: how to put it right
    inspect: Callable[[AuditContext], Iterable[Finding]] = field(repr=False)
    order: int = 100  # position in reports: lower first

    def finding(self, message: str, **where) -> Finding:
        return Finding(self, message, **where)


class AuditError(Exception):
    """The audit cannot run at all; the message (Chinese) says why."""


@dataclass
class AuditContext:
    """What indicators read: the project, the check's problems, the built site and the git history,
    each made on first use."""

    settings: Settings
    project: Project
    today: dt.date
    online: bool = False
    build_site: Callable[[Path], None] | None = None  # builds the site into a folder (None: no site)
    progress: Callable[[str], None] = lambda _message: None
    _work: Path | None = None
    site_error: str = ""  # why the site could not be built
    memo: dict[str, Any] = field(default_factory=dict)  # what indicators compute once and share

    @cached_property
    def problems(self) -> list[Problem]:
        from .. import checks

        return checks.run(self.project, self.today, settings=self.settings)

    @cached_property
    def site_dir(self) -> Path | None:
        """The site as `gongkai build` would publish it, built into a temporary folder; None if it failed."""
        if self.build_site is None:
            return None
        self._work = Path(tempfile.mkdtemp(prefix="gongkai-audit-"))
        target = self._work / "site"
        self.progress("生成网站（临时目录，用于检查链接）……")
        try:
            self.build_site(target)
        except Exception as exc:  # noqa: BLE001 - reported as a finding by the links indicator
            self.site_error = str(exc) or type(exc).__name__
            return None
        return target

    @cached_property
    def history(self) -> History:
        from .history import read_history

        self.progress("读取 git 历史……")
        return read_history(self.settings.root, self.project.content_dir, self.audit_settings.imported_until, self.today,
                            self.settings.limits.item_bytes, versions=True)

    @property
    def audit_settings(self) -> AuditSettings:
        catalog = self.project.catalog
        return catalog.audit if catalog is not None else AuditSettings()

    def published(self) -> list[Item]:
        """Items on the public site (withdrawn ones as tombstones), newest first."""
        return self.project.published_items(self.today)

    def item_url(self, item: Item) -> str:
        return self.settings.site_url.rstrip("/") + "/" + item.url if self.settings.site_url else item.url

    def close(self) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None


@dataclass(frozen=True)
class AuditReport:
    today: dt.date
    org_name: str
    site_url: str
    indicators: tuple[Indicator, ...]
    findings: tuple[Finding, ...]
    heatmap: HeatMap | None = None

    @property
    def vetoed(self) -> bool:
        return any(finding.level == VETO for finding in self.findings)

    def by_level(self, level: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == level]

    def failed(self, indicator: Indicator) -> bool:
        return any(finding.indicator is indicator for finding in self.findings)
