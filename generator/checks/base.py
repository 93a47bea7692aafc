"""What every check family shares: the context it reads and the rules it declares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..project import Project


@dataclass(frozen=True)
class Rule:
    """One stable code: what it finds and how an editor fixes it (shown in the 编辑手册)."""

    code: str
    severity: str  # "error" | "warning"
    title: str  # Chinese, one line
    fix: str  # Chinese, how to fix


@dataclass
class CheckContext:
    project: Project
    today: dt.date
