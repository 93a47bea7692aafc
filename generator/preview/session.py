"""One running preview: the model of the content, the renderer of its pages, and the rendered pages
kept until something they show changes. Browsers and the file watcher meet here, under one lock.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import MkDocsException, PluginError

from ..gc_pause import cycle_collection_paused
from ..site.pages import HomePage, ItemPage, ListingPage, SitePage
from ..site_config import SettingsError, load_settings
from ..template_sandbox import template_failure
from .messages import MkDocsLog
from .model import PreviewModel, Update
from .rendering import SiteRenderer
from .status import Chip


@dataclass(frozen=True)
class _Rendered:
    page: SitePage  # the model it was rendered from
    chips: tuple[tuple[Chip, ...], ...]  # the banners it shows (its own, or its entries')
    html: str


class PreviewSession:
    """The preview's state; every public method takes the lock."""

    def __init__(self, root: Path, today: dt.date, log: MkDocsLog,
                 page_globals: Callable[[PreviewSession], dict], day: Callable[[], dt.date] | None = None) -> None:
        """`day`: what today is as time goes on (`clock.today`), for a preview left running past midnight in Beijing
        to judge the new day as the next build will (scheduled items, consultations, time limits); None: `today` for
        good."""
        self.root = root
        self.today = today
        self._day = day
        self.log = log
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.settings = load_settings(root)
        self.model = PreviewModel(self.settings, today, parallel=True)  # no other thread runs yet
        self._page_globals = page_globals
        self.renderer: SiteRenderer | None = None
        self.render_error = ""
        self._rendered: dict[str, _Rendered] = {}
        self._start_renderer()

    @property
    def version(self) -> int:
        return self.model.version

    @property
    def site_name(self) -> str:
        return str(self.renderer.config.site_name) if self.renderer is not None else "网站"

    def apply(self, paths: Iterable[Path]) -> Update:
        """The content files at `paths` changed: bring everything up to date and wake the browsers."""
        # A save remakes the plan's pages and every cross-item finding, all acyclic: the collector's scans of them
        # took a third of a save's time at 10,000 items (0.68 → 0.48 s, median of 30).
        with self.lock, cycle_collection_paused():
            self._follow_the_day()
            update = self.model.update(paths)
            self._follow_plan(restart=update.reloaded)
            self.changed.notify_all()
            return update

    def restart(self) -> None:
        """mkdocs.yml or the theme changed: read the settings, the content and the templates again."""
        with self.lock:
            try:
                settings = load_settings(self.root)
            except SettingsError as exc:
                self.render_error = f"{exc}（改正后保存 mkdocs.yml，预览随即恢复）"
                self.renderer = None
            else:
                self.settings = settings
                self.model.settings = settings
                self.model.load()
                self.renderer = None
                self._start_renderer()
            self.changed.notify_all()

    def wait(self, since: int, seconds: float) -> int:
        """The version, once it is no longer `since` or after `seconds`."""
        with self.lock:
            self.changed.wait_for(lambda: self.model.version != since, timeout=seconds)
            return self.model.version

    def page(self, url: str) -> tuple[str, SitePage] | None:
        """The rendered page at `url` (served from what was rendered before if nothing it shows changed)."""
        with self.lock:
            self._follow_the_day()
            if self.renderer is None:
                return None
            model = self.renderer.pages.get(url)
            if model is None:
                return None
            chips = tuple(self.model.chips.get(shown, ()) for shown in _shown_items(model))
            kept = self._rendered.get(url)
            if kept is None or kept.page != model or kept.chips != chips:
                try:
                    html = self.renderer.page(url)
                except PluginError as exc:  # e.g. a <script> the templates assembled (the build stops on it too)
                    return _failed_page(str(exc)), model
                except Exception as exc:
                    reason = template_failure(exc, self.root)
                    if reason is None:
                        raise
                    return _failed_page(reason), model  # not kept: the next request tries the template again
                if html is None:
                    return None
                kept = self._rendered[url] = _Rendered(model, chips, html)
            return kept.html, model

    def _follow_the_day(self) -> None:
        """A new day since the content was judged: everything is read and judged again on it."""
        day = self._day() if self._day is not None else self.today
        if day == self.today:
            return
        self.today = self.model.today = day
        self.model.load()
        self.renderer = None
        self._start_renderer()
        self.changed.notify_all()

    def _start_renderer(self) -> None:
        self._rendered.clear()
        plan = self.model.plan
        if plan is None:
            return
        try:
            self.renderer = SiteRenderer(self.root, self.model.project, self.today, plan, self._page_globals(self), [])
            self.render_error = ""
        except (MkDocsException, SettingsError) as exc:  # mkdocs.yml's plugin settings (e.g. footer URLs)
            self.renderer = None
            self.render_error = f"无法生成网站页面：{exc}"

    def _follow_plan(self, restart: bool) -> None:
        plan = self.model.plan
        if plan is None:
            self.renderer = None
            self._rendered.clear()
        elif self.renderer is None or restart:
            self._start_renderer()
        elif self.renderer.use(plan):
            self._rendered.clear()  # pages came or went, or the navigation changed: every page shows it


def _shown_items(page: SitePage) -> tuple[str, ...]:
    """The URLs of the items whose banners a page shows."""
    if isinstance(page, ItemPage):
        return (page.url,)
    if isinstance(page, ListingPage):
        return tuple(entry.url for entry in page.entries)
    if isinstance(page, HomePage):
        return tuple(entry.url for entry in page.latest)
    return ()


def _failed_page(reason: str) -> str:
    """The page the preview shows where a template could not render it (the build would fail the same way)."""
    return ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面无法生成</title></head>'
            f"<body><h1>页面无法生成</h1><p>{html.escape(reason)}</p><p>构建网站时也会因此失败。</p></body></html>")
