"""What a build of the site is given: the one hand-off from `gongkai build` (or serve, or the audit)
to the MkDocs adapter, instead of environment variables and attributes set on the plugin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..build_cache import PageCache
from ..model import AUDIENCE_PUBLIC
from ..progress import Meter
from ..project import Project
from ..settings import Settings


@dataclass(frozen=True)
class BuildContext:
    settings: Settings  # from the same mkdocs.yml MkDocs builds with
    today: dt.date  # scheduled items appear from their date on
    project: Project | None = None  # read and checked already; None: the build reads and checks it
    audience: str = AUDIENCE_PUBLIC  # 公众: the public site; 党内: the members' site
    progress: Callable[[str], None] | None = None  # prints what the build is doing
    cache: PageCache | None = None  # pages of the previous build that may be reused (`gongkai build`)
    meter: Meter | None = None  # counts pages rendered and search shards indexed for whoever waits
    # Waits for the check of `project` (a rebuild's goes on while the site is planned) and raises when it stops the
    # build: called before anything is rendered.
    judged: Callable[[], None] | None = None
