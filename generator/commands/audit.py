"""`gongkai audit`: the site as it would be published, against the inspection indicators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..audit.model import AuditError, AuditReport
from ..audit.run import run_audit
from ..settings import Settings
from . import Refused
from .build import build_into


def audit(settings: Settings, today: dt.date, *, online: bool = False,
          progress: Callable[[str], None] = lambda _message: None) -> AuditReport:
    try:
        return run_audit(settings, today, builder=build_into, online=online, progress=progress)
    except AuditError as exc:
        raise Refused(str(exc)) from None
