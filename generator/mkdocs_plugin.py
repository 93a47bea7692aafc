"""The `gongkai` MkDocs plugin: a thin adapter from the site plan to MkDocs.

content/ is read and checked in `on_config`; every page, feed and attachment of the plan becomes
a generated File in `on_files`; templates in theme_overrides/gongkai/ render the typed page objects,
which `on_page_context` hands them as `gk`. Pages keep their content path as `src_uri`
(items/2021/2021-00003.md), so Markdown links between items, pages and attachments resolve.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import posixpath
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import jinja2
import markdown
from markupsafe import Markup
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.theme import Theme
from mkdocs.utils import is_error_template
from mkdocs.utils.templates import TemplateContext

from . import checks, clock, interrupts, page_workers
from .attachments import ChangedSince, copy_published
from .body_views import BodyViews, PageBody
from .build_cache import BaseTree, PageLinker
from .cache_store import CACHE_DIR, cache_folder, code_fingerprint
from .checks.page_settings import TEMPLATES
from .checks.theme import guarded_page, judged_stamp, page_roots
from .digest import signed_body
from .gc_pause import made_to_last
from .html_budget import HtmlBudget
from .model import AUDIENCE_PARTY, AUDIENCE_PUBLIC
from .plain_inline import PlainTextInline
from .problems import format_text, printable
from .project import Project, load_project
from .rendering import site_markdown
from .rules import blocking
from .sanitize import sanitize
from .search.build import BUNDLE_DIR
from .search.staging import Staging
from .settings import Settings
from .site import SitePlan, plan_site
from .site.context import BuildContext
from .site.csp import PAGE_POLICY
from .site.feeds import render_feed
from .site.indexing import BackgroundIndexer, ForkedIndexer, IndexingCancelled, IndexingFailed, PageTexts, start_indexer
from .site.pages import ItemPage, NavNode, SitePage
from .site.planning import SEARCH
from .site.runs import runs_whole
from .site.sitemap import render_robots, render_sitemaps
from .site.text import plain_text
from .site_config import THEME, SettingsError, page_templates, refuse_code, settings_from_config
from .template_cache import TEMPLATES_FILE, TemplateCache
from .template_sandbox import sandboxed, shown_settings
from .writer import BuildFolder, WriteRefused, check_folders

log = logging.getLogger("mkdocs.plugins.gongkai")
PAGES = "pages"  # the meter's task
EARLY_PAGES = 200  # a build rendering at most this many pages (a rebuild) indexes from on_config and converts its items first


class FooterConfig(base.Config):
    sponsor = c.Type(str, default="")
    address = c.Type(str, default="")
    phone = c.Type(str, default="")
    site_code = c.Type(str, default="")
    icp = c.Type(str, default="")
    icp_url = c.Type(str, default="https://beian.miit.gov.cn/")
    police = c.Type(str, default="")
    police_url = c.Type(str, default="")
    conac_url = c.Type(str, default="")
    error_report_url = c.Type(str, default="")


class PartySiteConfig(base.Config):
    site_url = c.Type(str, default="")  # the members' site on the intranet
    notice = c.Type(str, default="")  # the footer's word on where it may be shown


class LimitsConfig(base.Config):
    item_mb = c.Type(int, default=5)  # an item, page, report or catalog file
    attachment_mb = c.Type(int, default=100)


class GongkaiConfig(base.Config):
    content_dir = c.Type(str, default="content")
    page_size = c.Type(int, default=20)
    feed_size = c.Type(int, default=50)
    home_latest = c.Type(int, default=10)
    search_index = c.Type(bool, default=True)
    footer = c.SubConfig(FooterConfig)
    limits = c.SubConfig(LimitsConfig)
    party_site = c.SubConfig(PartySiteConfig)


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    # Given by `gongkai build`, `gongkai serve` and the audit (`prepare`); plain `mkdocs build` and
    # `mkdocs serve` build the public site of today, reading and checking the content themselves.
    context: BuildContext | None = None

    def prepare(self, context: BuildContext) -> None:
        self.context = context

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.plain = self.context is None  # run by MkDocs' own commands, which write into site_dir in place
        context = self.context or self._context_of(config)
        settings = context.settings
        self.content_dir = settings.content_dir
        self.progress = context.progress
        self.meter = context.meter
        self.cache = context.cache
        self.audience = context.audience
        if config.theme.name != THEME:  # our templates extend Material's: another fails deep in Jinja, in English
            raise PluginError(f"mkdocs.yml 的 theme.name 必须是 {THEME}（gongkai 的页面模板基于 Material for MkDocs），"
                              f"现在是 {config.theme.name or '空'}：请改为 `name: {THEME}`")
        _refuse_theme_without_pages(config.theme)
        _list_visible_theme_files(config.theme)
        # extra_templates and theme.static_templates beyond the theme's own (GK527 in the check): refused here too, for
        # a plain `mkdocs build` and a build of settings the check has not seen.
        refused = page_templates(config)
        if refused:
            names = "、".join(f"{setting} 的 {name}" for setting, name in refused)
            raise PluginError(f"mkdocs.yml 中 {printable(names)[:200]}：{TEMPLATES.title}。{TEMPLATES.fix}")
        # Every page is laid out left to right, whatever theme.direction or a right-to-left theme.language (ar, he, fa …)
        # would make Material write into <body dir>: in a right-to-left page digit groups apart from Chinese swap
        # places (a table cell stored `5678 1234 139` shows 139 1234 5678), and the scans read numbers in the order of
        # a left-to-right page. A direction written in mkdocs.yml is GK526 besides.
        config.theme["direction"] = "ltr"
        try:  # before MkDocs empties site_dir: it must not be the project, its content or its theme
            check_folders(settings.root, Path(config.site_dir), read_folders(config, settings))
        except WriteRefused as exc:
            raise PluginError(str(exc)) from None
        # MkDocs renders with exactly the options `gongkai check` renders with (rendering.site_markdown).
        config.mdx_configs = dict(site_markdown(settings.markdown).configs)
        if not any(isinstance(extension, PlainTextInline) for extension in config.markdown_extensions):
            config.markdown_extensions.append(PlainTextInline())  # same HTML, faster
        if not any(isinstance(extension, HtmlBudget) for extension in config.markdown_extensions):
            config.markdown_extensions.append(HtmlBudget())  # a body whose HTML would fill the memory: TooLarge
        project = context.project or _checked_project(settings, context.today)
        self.settings = settings
        options = settings.site
        if options.footer.bad_urls():
            names = "、".join(f"footer.{name}" for name in options.footer.bad_urls())
            raise PluginError(f"mkdocs.yml 中 gongkai 插件的 {names} 必须是 https:// 或 http:// 开头的网址（或留空）")
        if options.footer.missing():
            log.warning("mkdocs.yml 的 gongkai.footer 缺少：" + "、".join(options.footer.missing()) + "（政府网站页脚必备信息）")
        if self.audience == AUDIENCE_PARTY:  # the members' site has its own address (or none: relative links)
            config.site_url = options.party.site_url or None
        # The plan lives as long as the build: made without the cycle collector walking it again and again.
        with made_to_last():
            try:
                self.plan: SitePlan = plan_site(project, context.today, options, self.audience)
            except Exception as exc:  # e.g. a report that cannot be built: a message, not a traceback
                raise PluginError(f"无法生成网站页面：{exc}") from exc
            self.options = options
            self.use_plan(self.plan, config)
            # Each item's search text: rendered here or by the worker, or kept by the cache with the page it reuses.
            self.texts = PageTexts(self.cache.texts, self.cache) if self.cache is not None else PageTexts()
            self.page_texts: PageTexts | dict[str, str] = self.texts  # where on_page_content puts a text
            self.indexer: BackgroundIndexer | ForkedIndexer | None = None
            self.linker: PageLinker | None = None
            self.base: BaseTree | None = None  # adopted in on_files
            # gongkai's commands build into a folder they have just made (links appear in it only with a replaced tree,
            # which BaseTree.adopt rids of them); MkDocs' own commands into site_dir, whose hidden names MkDocs leaves.
            self.folder = BuildFolder(Path(config.site_dir), linkless=not self.plain)
            self.settled = threading.Event()  # set once on_files has made the build folder ready for the search bundle
            self.abandoned = False
            self.previous: dict[str, str | None] = {}  # page URL → the previous build's output it reuses (None: rendered)
            self.prefilled: dict[str, str] = {}  # item URL → the search text given to the index before its page is rendered
            self.shared: page_workers.SharedPages | None = None
            self.highlighted: Page | None = None
            self.written = 0
            self.counting = threading.Lock()
            self.started = time.monotonic()
            self.compiled: TemplateCache | None = None  # the templates compiled by earlier builds (`gongkai build`)
            if self.cache is not None:
                custom_dir = config.theme.custom_dir
                fingerprint = code_fingerprint(
                    Path(config.config_file_path or "mkdocs.yml"), extra_dirs=[Path(custom_dir)] if custom_dir else []
                )
                folder = self.cache.folder
                self.compiled = TemplateCache(folder / TEMPLATES_FILE, fingerprint) if folder is not None else None
                self.cache.plan_texts(self.plan, self.source_of, fingerprint, self.options, config.site_url, self.audience,
                                      bodies=_body_keys(project, self.plan))
            if self.cache is None:
                self._judged(context)
            else:  # the verdict waited for while a child keys the pages, before anything is rendered
                def meanwhile() -> None:
                    withheld = self._index_early(config)
                    self._judged(context)
                    if withheld:  # only now: no text the check has not passed reaches the index
                        self.texts.update(withheld)

                self.cache.plan_pages(self.plan, meanwhile=meanwhile)
                self.previous = {page.url: self._reusable(page) for page in self.plan.pages}
        # Our own sitemap.xml dates pages by their content; MkDocs' uses the build date.
        config.theme.static_templates.discard("sitemap.xml")
        return config

    @staticmethod
    def _judged(context: BuildContext) -> None:
        """Wait for the check's verdict (a failed check stops the build): before anything is rendered, the early
        index's text of a changed item included."""
        if context.judged is not None:
            context.judged()

    def _context_of(self, config: MkDocsConfig) -> BuildContext:
        """Plain `mkdocs build` / `mkdocs serve` / `mkdocs gh-deploy`: the settings of this configuration and
        today. MkDocs has read mkdocs.yml without the gate `gongkai` commands pass it through first, so the
        gate judges it here: a file it refuses (pymdownx.snippets pasting a register into a body, !ENV
        printing a secret on every page) builds nothing, as under `gongkai build`."""
        source = config.config_file_path
        if not source or not Path(source).is_file():
            raise PluginError("无法重新读取 MkDocs 使用的配置文件，不能确认它可以安全生成网站：请在网站根目录运行 `gongkai build`")
        try:
            refuse_code(Path(source))
            settings = settings_from_config(config, self.config)
            today = clock.today()
        except (SettingsError, ValueError) as exc:
            raise PluginError(str(exc)) from None
        early = clock.ahead(today)  # MkDocs writes site_dir, the folder that is deployed
        if early is not None:
            raise PluginError(early)
        return BuildContext(settings, today)

    def use_plan(self, plan: SitePlan, config: MkDocsConfig) -> None:
        """Render `plan`: its pages by source path and its navigation (the preview re-plans after each save)."""
        self.plan = plan
        self.source_of: dict[str, str] = _sources(plan)
        self.by_source: dict[str, SitePage] = {self.source_of[page.url]: page for page in plan.pages}
        config.nav = [_nav_entry(node, self.source_of) for node in plan.nav]

    def plan_files(self, config: MkDocsConfig) -> Iterator[tuple[SitePage | None, File]]:
        """Every page (with its model), attachment and generated text file of the plan as a MkDocs File; a page
        outside the navigation that the previous build's output serves as a `_ReusedPage` (made once: ≈ 0.2 s of
        File objects at 10,000 items)."""
        in_nav = {self.source_of[url] for url in _nav_urls(self.plan.nav)}
        for page in self.plan.pages:
            source = self.source_of[page.url]
            inclusion = InclusionLevel.INCLUDED if source in in_nav else InclusionLevel.NOT_IN_NAV
            previous = self.previous.get(page.url)
            if previous is not None and inclusion.is_not_in_nav():
                yield page, _ReusedPage(source, previous, config, f"{page.url}index.html", inclusion)
                continue
            file = File.generated(config, source, content="", inclusion=inclusion)
            file.dest_uri = f"{page.url}index.html"
            yield page, file
        for published in self.plan.files:
            attachment = File(f"attachments/{published.source}", str(self.content_dir), config.site_dir,
                              config.use_directory_urls, dest_uri=published.url)
            yield None, _JudgedFile(attachment, published.stamp, "附件")
        for path, text in self.plan.assets.items():
            yield None, _generated(config, path, text)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.plain:
            _refuse_dirty(Path(config.site_dir))
        self.files = files
        self.reused = 0
        self._link_reused()  # first: MkDocs has just emptied the build folder, and linking is the longest wait
        # Reused pages in the navigation stay pages until MkDocs has read them (its navigation shows
        # their titles), and are taken out of its loop before their templates are rendered (on_env).
        self.reused_in_nav: dict[str, str] = {}  # src_uri → the previous output
        planned: list[File] = []
        rendered: list[tuple[SitePage, File]] = []
        for page, file in self.plan_files(config):
            previous = self.previous.get(page.url) if page is not None else None
            if previous is not None:
                self.reused += 1
                if isinstance(file, _ReusedPage):
                    planned.append(file)
                    continue
                self.reused_in_nav[file.src_uri] = previous
            planned.append(file)
            if page is not None and previous is None:
                rendered.append((page, file))
        if len(rendered) >= page_workers.MIN_PAGES:
            self._let_go_of_documents()
        self.deferred = self._share_items(rendered)
        for file in planned:
            files.append(self.deferred.get(file.src_uri, file))
        if self.progress and self.cache is not None:
            self.progress(f"  沿用上次生成的页面：{self.reused}/{len(self.plan.pages)} 个")
        if self.meter is not None:
            self.meter.start(PAGES, "生成页面", len(self.plan.pages) - self.reused)
        site_url = config.site_url or ""
        for feed in self.plan.feeds:
            files.append(_generated(config, feed.url, render_feed(feed, site_url)))
        theme_sitemap = files.get_file_from_path("sitemap.xml")  # MkDocs' template, unrendered now
        if theme_sitemap is not None:
            files.remove(theme_sitemap)
        for path, text in render_sitemaps(self.plan.pages, site_url).items():
            files.append(_generated(config, path, text))
        files.append(_generated(config, "robots.txt", render_robots(site_url, crawl=self.audience == AUDIENCE_PUBLIC)))
        _theme_files_as_judged(files, config)
        files = self._confine(files, config)
        self.settled.set()
        if not self.deferred or self.early:  # no worker will be forked: the index need not wait for on_nav
            self._start_index()
        return files

    def _index_early(self, config: MkDocsConfig) -> dict[str, str]:
        """A build whose item pages are nearly all as the last build made them (a rebuild's) starts its index while
        its pages are keyed and the check's verdict is waited for: shards reused from the cache are settled, and the
        old copy of a changed item is taken out of its shard (delta.py), while MkDocs reads its files; the texts of
        unchanged items come from texts.sqlite. A changed item's shard is indexed with the text of the body the
        check rendered (bodies-<version>.sqlite), before its page is rendered; on_page_content makes sure the page's own text
        is that very text. Those texts are returned, not given to the index: the caller gives them once the check
        has passed, and the index waits for them. Not where many pages may be rendered: their worker is forked at
        on_nav, and must not inherit the index's thread (`_share_items` forks none once it runs)."""
        assert self.cache is not None
        if not self.config.search_index:
            return {}
        missing = [page for page in self.plan.items() if not page.withdrawn and page.url not in self.cache.stored]
        if len(missing) > EARLY_PAGES or (not self.cache.same_shell and page_workers.wanted(len(self.plan.pages))):
            # A full build (a 100,000-page one would read every stored body twice and hold its text twice), or one
            # whose every page shows something new (e.g. the navigation) and would fork a worker.
            return {}
        bodies = self._checked_bodies(config) if self._sole_page_handler(config) else None
        for page in missing:
            body = bodies.page(page.markdown) if bodies is not None else None
            if body is not None:
                self.prefilled[page.url] = body.text
        self._start_index()
        return dict(self.prefilled)

    def _sole_page_handler(self, config: MkDocsConfig) -> bool:
        """Whether no other plugin changes a page's Markdown or HTML (its search text is then the check's)."""
        events = config.plugins.events
        return all(getattr(method, "__self__", None) is self for name in ("page_markdown", "page_content")
                   for method in events[name])

    def _bundle_folder_ready(self) -> None:
        """Called by the index before it moves the bundle into the build folder: waits until on_files
        has made that folder ready (MkDocs empties it after on_config)."""
        self.settled.wait()
        if self.abandoned:
            raise IndexingCancelled

    def _staging(self) -> Staging:
        """Where the index puts the bundle together: in the build folder once on_files has made it ready,
        beside it before (MkDocs empties it after on_config); from the search bundle of the site an
        earlier build replaced where there is one."""
        waiting = self.cache.base if self.cache is not None else None
        previous = None
        if self.base is not None:  # adopted: its bundle waits inside the build folder
            previous = self.base.search
        elif waiting is not None:
            previous = waiting.folder / BUNDLE_DIR
        if self.settled.is_set():
            return Staging.make(self.folder.folder, previous)
        return Staging.beside(self.folder.folder, previous)

    def _link_reused(self) -> None:
        """Into the build folder (the replaced site's tree, adopted, where there is one), the reused pages
        it does not hold yet, hard-linked from site/ by a process of its own (PageLinker)."""
        reused = {url: previous for url, previous in self.previous.items() if previous is not None}
        outputs = {url: f"{url}index.html" for url in reused}  # as plan_files names them
        kept = self._adopt_base({outputs[url]: self.cache.identity(url) for url in reused} if self.cache else {})
        try:
            pairs = [(previous, self.folder.destination(outputs[url], self.source_of[url]))
                     for url, previous in reused.items() if outputs[url] not in kept]
        except WriteRefused as exc:
            raise PluginError(str(exc)) from None
        try:
            self.linker = PageLinker(pairs) if pairs else None
        except OSError as exc:  # no process to be had (memory, the process limit)
            raise PluginError(f"无法启动沿用上次生成页面的进程（{printable(str(exc))}）："
                              "请稍后重新生成，或删除 .gongkai-cache/ 后完整生成") from None

    def _adopt_base(self, keep: dict[str, list[int]]) -> set[str]:
        """The site an earlier build replaced, made the new folder in place (build_cache.BaseTree), keeping
        the outputs in `keep` (path → identity of site/'s file) it holds; the paths of those it kept."""
        base = self.cache.base if self.cache is not None else None
        if base is None:
            return set()
        try:
            base.adopt(str(self.folder.folder), keep)
        except OSError as exc:
            raise PluginError(f"无法沿用上次替换下来的网站目录 {base.folder}：请删除 .gongkai-cache/replaced/ 后重新生成") from exc
        self.base = base
        return base.kept

    def _let_go_of_documents(self) -> None:
        """Before many pages are rendered (a full build, whose peak memory is theirs), the checked project's source
        documents go: each file's text and the position of every YAML value, kept for the check's messages (≈ 15 KB an
        item); the site is planned and rendered from the items. A rebuild keeps them to its end, which frees nothing
        (cli.run): freed right after the verdict, while the keys' child and the index's share this process's memory,
        they cost a one-item rebuild ≈ 0.3 s at 10,000 items, most of it copying the pages each free writes to."""
        if self.context is not None and self.context.judged is not None and self.context.project is not None:
            self.context.project.documents.clear()

    def _share_items(self, rendered: list[tuple[SitePage, File]]) -> dict[str, _DeferredPage]:
        """Item pages to render leave MkDocs' loop, newest first (the order the index reads them).
        With enough pages to render, `SharedPages` renders them on two processes (on_nav,
        on_post_build). With a few (a rebuild's), their bodies are converted first, at on_nav, so
        the search index of their shards starts while MkDocs renders the rest; their templates are
        rendered at on_post_build. Above `page_workers.MAX_PAGES` (no worker: its copy of this process
        would add to the peak memory) this process renders them one at a time at on_post_build:
        MkDocs' loop converts every page before it writes any, and would hold the HTML of them all
        (≈ 4 KB an item)."""
        items = [(page, file) for page, file in rendered if isinstance(page, ItemPage)]
        # No worker once the index runs (`_index_early`): a child forked beside a thread inherits its locks as they are.
        self.early = self.indexer is not None or not page_workers.wanted(len(rendered))
        self.one_by_one = self.early and len(rendered) > page_workers.MAX_PAGES
        if self.early and len(items) > EARLY_PAGES and not self.one_by_one:
            return {}
        items.sort(key=lambda pair: _newest_first(pair[0]), reverse=True)
        return {file.src_uri: _DeferredPage(file) for _page, file in items}

    def _confine(self, files: Files, config: MkDocsConfig) -> Files:
        """Every file MkDocs will write, pinned to the destination the build folder's writer checked."""
        try:
            for file in files:
                file.abs_dest_path = self.folder.destination(file.dest_uri, file.src_uri)
            self.folder.path(BUNDLE_DIR, "搜索索引")
        except WriteRefused as exc:
            raise PluginError(str(exc)) from None
        return files

    def _reusable(self, page: SitePage) -> str | None:
        """The previous build's output of this page, if it is built from the same inputs."""
        if self.cache is None:
            return None
        indexed = isinstance(page, ItemPage) and not page.withdrawn and self.config.search_index
        return self.cache.reusable(page.url, needs_text=indexed)

    @event_priority(-100)  # after every other plugin's: the child inherits the finished navigation
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        self.mkdocs_config = config
        self.converter: markdown.Markdown | None = None  # made by each process when it first renders an item
        self.bodies = self._checked_bodies(config)
        self.documentation = files.documentation_pages()
        self.converted: list[Page] = []  # item pages converted here, their templates rendered at on_post_build
        if self.deferred and not self.early:
            self.shared = page_workers.SharedPages(list(self.deferred), self._render_deferred, self._take_texts,
                                                   self._received)
            self.shared.start(self._prepare_child)
        self._start_index()  # after the fork: the child has no thread of ours
        if self.deferred and self.early and not self.one_by_one:
            # Their search texts now: the index of their shards need not wait for MkDocs' loop.
            self.converted = [self._convert_deferred(source) for source in self.deferred]
        return nav

    def _checked_bodies(self, config: MkDocsConfig) -> BodyViews | None:
        """The bodies as the check rendered and sanitised them (its `.gongkai-cache/bodies-<version>.sqlite`), for
        item pages to print instead of rendering them again; None where that could differ from what
        MkDocs renders: no cache, or Markdown extensions other than those the check renders with.
        Each process opens the database itself, when it first reads it."""
        if self.cache is None:
            return None
        settings = self.settings
        bodies = BodyViews(settings.markdown, cache_folder(settings.root), code_fingerprint())
        names = tuple(extension for extension in config.markdown_extensions if isinstance(extension, str))
        added = [extension for extension in config.markdown_extensions if not isinstance(extension, str)]
        same = (names == bodies.renderer.options.extensions and config.mdx_configs == bodies.renderer.options.configs
                and len(added) == 2 and isinstance(added[0], PlainTextInline) and isinstance(added[1], HtmlBudget))
        return bodies if same else None

    def _start_index(self) -> None:
        """The index waits for each shard's texts as the pages are rendered, newest first; Pagefind
        runs as its own process, so it overlaps the rendering."""
        if self.indexer is not None or not self.config.search_index:
            return
        search_cache = self.cache.search_dir if self.cache is not None else None
        with interrupts.deferred():  # the staging folder made is the index's to remove, or abandon's
            self.indexer = start_indexer(self.plan, self.texts, self.folder.folder,
                                         forked=page_workers.wanted(len(self.plan.pages)),
                                         progress=self.progress or log.info, cache=search_cache, meter=self.meter,
                                         lanes=self._search_lanes,
                                         text_keys=self.cache.text_keys if self.cache is not None else None,
                                         staging=self._staging(), ready=self._bundle_folder_ready)

    def _search_lanes(self) -> int:
        """Search shards Pagefind may index at once: two once the worker is done (its core is free,
        and its memory), else one."""
        shared = self.shared
        return 2 if shared is not None and shared.child_done.is_set() else 1

    def _prepare_child(self) -> None:
        """In the worker: no progress of its own (the parent counts its batches), texts kept for
        the batch, its own template environment."""
        self.meter = None
        self.progress = None
        self.page_texts = {}
        config = self.mkdocs_config
        env = config.theme.get_env()
        self.env = config.plugins.on_env(env, config=config, files=self.files)

    def _take_texts(self) -> dict[str, str]:
        texts = self.page_texts
        self.page_texts = {}
        assert isinstance(texts, dict)
        return texts

    def _received(self, batch: page_workers.Batch) -> None:
        """A batch of the worker's pages (in the parent's receiving thread)."""
        self.texts.update(batch.texts)
        self._count(batch.pages)

    def _render_deferred(self, source: str) -> None:
        """Render and write one of the item pages taken out of MkDocs' loop, as the loop would."""
        page = self._convert_deferred(source)
        _build_page(page, self.mkdocs_config, self.documentation, self.nav, self.env)

    def _convert_deferred(self, source: str) -> Page:
        """One of the item pages taken out of MkDocs' loop, read and converted as the loop would
        (its search text is known from here on); `_build_page` renders its template and writes it."""
        deferred = self.deferred[source]
        config = self.mkdocs_config
        file = File.generated(config, deferred.src_uri, content="", inclusion=deferred.inclusion)
        file.dest_uri = deferred.dest_uri
        file.abs_dest_path = deferred.abs_dest_path
        if self.converter is None:
            self.converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
        page = _ConvertedPage(None, file, config)
        page.converter = self.converter
        page.bodies = self.bodies
        _populate_page(page, config, self.files)
        return page

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        model = self.by_source.get(page.file.src_uri)
        if model is None:
            return markdown
        page.meta = {"title": model.title, "template": model.template, "hide": list(model.hidden)}
        summary = getattr(getattr(model, "entry", None), "summary", "")
        if summary:
            page.meta["description"] = summary
        return signed_body(getattr(model, "markdown", ""))  # what the reviewers signed, no more

    def on_page_content(self, output: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # The one place a rendered body becomes HTML the templates print as is: sanitised first
        # (`gongkai check` has reported anything this would remove, so on checked content it removes nothing).
        checked = getattr(page, "checked", None)
        if isinstance(checked, PageBody) and output == checked.html:  # sanitised by the check, read as is
            body, text = Markup(checked.html), checked.text
        else:
            body = Markup(sanitize(output))
            text = None
        _plain_toc_titles(page.toc)
        model = self.by_source.get(page.file.src_uri)
        if isinstance(model, ItemPage) and not model.withdrawn and self.config.search_index:
            text = text if text is not None else plain_text(body)
            if self.prefilled.pop(model.url, text) != text:
                raise PluginError(f"{model.url}：搜索索引所用的正文与页面不一致，网站未生成；请删除 .gongkai-cache/ 后重新生成")
            self.page_texts[model.url] = text
        return body

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        model = self.by_source.get(page.file.src_uri)
        ours = cast(dict[str, Any], context)  # gongkai's keys beside MkDocs' own
        ours["config"] = shown_settings(config)
        ours["gk"] = model
        ours["gk_nav_key"] = None
        if model is not None and page.file.inclusion.is_not_in_nav():
            # No navigation entry lies at or below an item or a listing's page 2, so their
            # navigation depends only on the entry they highlight and on their parent folder
            # (which fixes every relative link): render it once per such pair (gk_cache).
            ours["gk_nav_key"] = f"{model.nav_url}|{posixpath.dirname(model.url.rstrip('/'))}"
            # An item shows where it belongs: its category is highlighted in the navigation.
            target = self.files.get_file_from_path(self.source_of.get(model.nav_url, ""))
            if target is not None and target.page is not None:
                target.page.active = True
                self.highlighted = target.page
        return context

    def on_template_context(self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig) -> TemplateContext:
        cast(dict[str, Any], context)["config"] = shown_settings(config)  # the 404 page and sitemap.xml
        return context

    def on_env(self, env, /, *, config: MkDocsConfig, files: Files):
        # Every template, Material's included, renders in the sandbox (theme_overrides/ is committed like
        # content) and escapes what it prints; HTML is marked safe where it is made.
        env = sandboxed(env, config.theme, self.compiled)
        self._take_out_reused(files, config)
        if self.progress:
            self.progress(f"  转换正文：{len(self.plan.pages)} 个页面（{time.monotonic() - self.started:.1f} 秒）")
        self.started = time.monotonic()
        self.env = env
        self.rendered: dict[str, str] = {}
        env.globals["gk_cache"] = self._cached
        env.filters["gk_runs"] = runs_whole  # a title the header's ellipsis may cut: no run of digits cut in two
        env.globals["gk_site"] = {
            "org_name": self.plan.org_name,
            "footer": self.options.footer,
            "csp": PAGE_POLICY,  # printed by the main.html agencies copied before the build put the policy itself
            "feed": self.plan.feeds[0].url,
            "feed_title": self.plan.feeds[0].title,  # the members' site's says so
            "search": SEARCH.url if self.options.search else None,  # search_index: false has no search page
            # The members' site: marked on every page, kept out of search engines, its footer says where it may be shown.
            "members": self.audience == AUDIENCE_PARTY,
            # Only the members' site holds its notice: the scans leave it out as not public (checks/published.py),
            # so the public site's templates are never given it to print.
            "members_notice": self.options.party.notice_for(self.plan.org_name) if self.audience == AUDIENCE_PARTY else "",
        }
        return env

    def _take_out_reused(self, files: Files, config: MkDocsConfig) -> None:
        """The reused pages of the navigation leave MkDocs' loop now that it has read them: each becomes
        a `_ReusedPage` (linked, not rendered) that still leads to its Page, which the navigation and
        the highlighting of an item's category use."""
        for source in getattr(self, "reused_in_nav", {}):
            file = files.get_file_from_path(source)
            if file is None or file.page is None:
                continue
            reused = _ReusedPage(source, self.reused_in_nav[source], config, file.dest_uri, file.inclusion)
            reused.abs_dest_path = file.abs_dest_path
            reused.page = file.page
            files.remove(file)
            files.append(reused)

    def _cached(self, key: str | None, caller: Callable[[], str]) -> str:
        """The output of a template block, rendered once per key (no key: not cached). Only a `{% call %}` block's
        own macro is called: this global runs outside the sandbox's checks, so any other callable a template reached
        (a plugin's event list's `clear`, the theme's `get_env`) would run unchecked."""
        if not isinstance(caller, jinja2.runtime.Macro):
            raise jinja2.exceptions.SecurityError("gk_cache 只能包住模板块（{% call gk_cache(键) %}…{% endcall %}）")
        if not key:
            return caller()
        if key not in self.rendered:
            self.rendered[key] = caller()
        return self.rendered[key]

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self.highlighted is not None:
            self.highlighted.active = False
            self.highlighted = None
        # The body is in `output` now; MkDocs would keep every page's HTML until the build ends.
        page.content = None
        # Every page passes here before it is written (MkDocs' loop, the item pages of either process, the preview).
        output, why = guarded_page(output, page.file.dest_uri, page_roots(page.file.dest_uri))
        if why:
            raise PluginError(why)
        self._count(1)
        return output

    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name.endswith(".html"):  # the 404 page (GK527 allows no other), linked from the site's own path
            roots = (urlsplit(config.site_url or "/").path,) if is_error_template(template_name) else page_roots(template_name)
            output, why = guarded_page(output, template_name, roots)
            if why:
                raise PluginError(why)
        return output

    def _count(self, pages: int) -> None:
        """Pages written (here, or by the worker: from the receiving thread)."""
        with self.counting:
            before = self.written
            self.written += pages
        if self.meter is not None:
            self.meter.advance(PAGES, pages)
        elif self.progress and self.written // 2000 > before // 2000:
            total = len(self.plan.pages)
            self.progress(f"  生成页面：{self.written}/{total}（{time.monotonic() - self.started:.1f} 秒）")

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._finish_pages(config)
        finally:
            if self.compiled is not None:  # every template is loaded: the one flush of what was compiled
                self.compiled.close()

    def _finish_pages(self, config: MkDocsConfig) -> None:
        if self.shared is not None:
            self.page_texts = {}  # taken a chunk at a time (`_take_texts`)
            try:
                self.shared.render_here(self.texts.update)  # the item pages the worker has not taken
            finally:
                self.page_texts = self.texts
            try:
                self.shared.finish()
            except page_workers.RenderFailed as exc:
                raise PluginError(f"生成页面失败：{exc}") from None
        elif self.one_by_one:
            for source in self.deferred:
                self._render_deferred(source)
        elif self.deferred:  # converted at on_nav
            for page in self.converted:
                _build_page(page, config, self.documentation, self.nav, self.env)
        if self.meter is not None:
            self.meter.finish(PAGES)
        if self.linker is not None:
            try:
                self.linker.finish()
            except OSError as exc:
                raise PluginError(str(exc)) from exc
        if self.cache is not None and self.indexer is not None:
            # Every page is written: their record now, while Pagefind indexes the last shards.
            self.cache.stage(Path(config.site_dir))
        if self.indexer is not None:
            try:
                self.indexer.finish()
            except IndexingFailed as exc:
                raise PluginError(f"搜索索引失败：{exc}") from exc
        if self.base is not None:
            self.base.drop_search()
            self.base.prune()

    def on_build_error(self, *, error: Exception) -> None:
        self.abandon()

    def abandon(self) -> None:
        """Stop the worker, the linker and the index (the caller is about to remove the half-built
        site; MkDocs tells plugins of exceptions only, `gongkai build` of an interrupt too)."""
        shared: page_workers.SharedPages | None = getattr(self, "shared", None)
        if shared is not None:  # stop the worker before the caller removes the half-built site
            shared.abandon()
        linker: PageLinker | None = getattr(self, "linker", None)
        if linker is not None:
            linker.abandon()
        indexer: BackgroundIndexer | ForkedIndexer | None = getattr(self, "indexer", None)
        if indexer is not None:  # let it end before the caller removes the half-built site
            self.abandoned = True
            self.settled.set()
            indexer.abandon()
        compiled: TemplateCache | None = getattr(self, "compiled", None)
        if compiled is not None:
            compiled.close()
        folder: BuildFolder | None = getattr(self, "folder", None)
        if folder is not None:  # a staging folder beside it whose index was killed before it could remove it
            Staging.remove_beside(folder.folder)

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        server.watch(str(self.content_dir))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server


def _refuse_dirty(site_dir: Path) -> None:
    """Stop `mkdocs build --dirty` (or `gh-deploy --dirty`, or a dirty `serve`): MkDocs then keeps what
    the folder held, so the pages and attachments of items deleted, made non-public, members-only or
    postponed since the last build would stay published. MkDocs has emptied the folder (but for hidden
    names, which no build writes) before this point unless told --dirty."""
    try:
        stale = any(not entry.name.startswith(".") for entry in os.scandir(site_dir))
    except FileNotFoundError:
        return
    if stale:
        raise PluginError(f"网站目录 {site_dir} 中还有上次生成的文件（使用了 --dirty？）：这样已删除、不再公开、仅党内公开或推迟发布的"
                          "条目的旧页面和附件会留在网站上。请去掉 --dirty 重新生成，最好用 `gongkai build`")


def _checked_project(settings: Settings, today: dt.date) -> Project:
    """The content read and checked here, as `gongkai build` does before it builds."""
    project = load_project(settings.root, settings.content_dir, limits=settings.limits)
    errors = blocking(checks.run(project, today, settings=settings))
    if errors:
        raise PluginError(
            f"内容检查未通过（{len(errors)} 个错误），网站未生成：\n{format_text(errors)}\n"
            "请修改后重新运行；`gongkai check` 列出全部问题。"
        )
    return project


class _JudgedFile(File):
    """A file MkDocs publishes by copying — an attachment of a published item, a file of the theme folder (gongkai's
    own scripts and styles, an agency's) — copied only while it is the file the build judged (`stamp`, see
    attachments.copy_published): MkDocs' own copy follows a link and reads a FIFO, and one swapped after the check
    (a shipped script replaced by another, a stylesheet's `content:` given a 身份证号) would go online unjudged."""

    def __init__(self, file: File, stamp: tuple[int, ...] | None, what: str):
        # Published whatever mkdocs.yml's exclude_docs or draft_docs say (see `_generated`): the check judged it.
        super().__init__(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls, dest_uri=file.dest_uri,
                         inclusion=InclusionLevel.INCLUDED)
        self.stamp, self.what = stamp, what

    def is_documentation_page(self) -> bool:
        return False  # copied as judged, never rendered (a Markdown file added to docs_dir after the check)

    def copy_file(self, dirty: bool = False) -> None:
        assert self.abs_src_path is not None
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        try:
            copy_published(Path(self.abs_src_path), Path(self.abs_dest_path), self.stamp, self.what)
        except ChangedSince as exc:
            raise PluginError(str(exc)) from None


def _generated(config: MkDocsConfig, path: str, text: str) -> File:
    """A file gongkai writes (feed, sitemap, robots.txt, a stylesheet of its own), published whatever mkdocs.yml's
    `exclude_docs` and `draft_docs` say: MkDocs applies their patterns after `on_files` to every file whose inclusion
    is left open, and `exclude_docs: robots.txt` dropped the members' site's `Disallow: /` (and the public site's
    rule for search results), `draft_docs: attachments/` every attachment the pages link."""
    return File.generated(config, path, content=text, inclusion=InclusionLevel.INCLUDED)


def _body_keys(project: Project, plan: SitePlan) -> dict[str, str]:
    """Item page URL → the key of the file (item_cache) its Markdown is the body of, for each page whose Markdown is
    its item's body as read (the very string); none where the items were not read through the cache."""
    cache = project.item_cache
    if cache is None:
        return {}
    items = {item.url: item for item in project.items}
    keys: dict[str, str] = {}
    for page in plan.items():
        item = items.get(page.url)
        key = cache.documents.get(item.path) if item is not None and page.markdown and page.markdown is item.body else None
        if key:
            keys[page.url] = key
    return keys


class _VisibleLoader(jinja2.FileSystemLoader):
    """Lists the files of the theme's folders but hidden ones and those in hidden folders, which MkDocs' own filter
    drops from the files it copies anyway: Material's `.icons` alone holds ≈ 14,000, walked and matched against a
    dozen patterns each on every build (≈ 0.1 s of a one-item rebuild)."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for folder, folders, names in os.walk(searchpath, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath)
                found.update(posixpath.join(*Path(relative).parts, name) if relative != "." else name
                             for name in names if not name.startswith("."))
        return sorted(found)



def _refuse_theme_without_pages(theme: Theme) -> None:
    """A theme folder must hold gongkai's main.html and page templates: without them (no `custom_dir`) Material's own
    pages were written, whose inline scripts the page guard refuses (GK545 "printed by theme_overrides", of a folder
    the project does not have), and no item page could be rendered at all."""
    folder = theme.custom_dir
    wanted = ["main.html", *sorted({page.template for page in SitePage.__subclasses__()})]
    missing = [name for name in wanted if not folder or not os.path.isfile(os.path.join(folder, name))]
    if missing:
        where = f"主题目录 {printable(folder)} 中没有 gongkai 的页面模板 {missing[0]}" if folder else "mkdocs.yml 的 theme 没有 custom_dir"
        raise PluginError(f"{where}：gongkai 的页面由项目的 theme_overrides/ 中的模板生成（main.html 和 gongkai/ 下的页面模板）。"
                          f"请在 theme 下写 `custom_dir: theme_overrides`，并从示例项目复制完整的 theme_overrides/ 目录")

def _list_visible_theme_files(theme: Theme) -> None:
    """Have the environment MkDocs makes for `theme` (to list the files it copies, then handed to `on_env`) list
    through _VisibleLoader."""
    made = theme.get_env

    def get_env() -> jinja2.Environment:
        env = made()
        if type(env.loader) is jinja2.FileSystemLoader:
            env.loader = _VisibleLoader(env.loader.searchpath, followlinks=env.loader.followlinks)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def _theme_files_as_judged(files: Files, config: MkDocsConfig) -> None:
    """Each file MkDocs took from docs_dir (a Markdown file too: docs_dir must be empty, GK507, and one added after
    the check would have been rendered as a page) or from the theme folder (`theme.custom_dir`) becomes a
    `_JudgedFile`."""
    docs = os.path.abspath(config.docs_dir) + os.sep
    theme = os.path.abspath(config.theme.custom_dir) + os.sep if config.theme.custom_dir else None
    for file in list(files):
        source = file.abs_src_path
        if file.generated_by is not None or source is None:
            continue
        source = os.path.abspath(source)
        if source.startswith(docs):
            what = "docs_dir 中的文件"
        elif theme is not None and source.startswith(theme) and not file.is_documentation_page():
            what = "主题文件"
        else:
            continue
        files.remove(file)
        files.append(_JudgedFile(file, judged_stamp(source), what))


class _ReusedPage(File):
    """A page unchanged since the previous build: its output is linked, not rendered.

    It keeps the page's `src_uri`, so Markdown links to it still resolve; MkDocs takes it for a
    media file, and the plugin's `PageLinker` links it while MkDocs renders the other pages.
    """

    def __init__(self, src_uri: str, previous: str, config: MkDocsConfig, dest_uri: str, inclusion: InclusionLevel):
        super().__init__(src_uri, None, config.site_dir, config.use_directory_urls, dest_uri=dest_uri, inclusion=inclusion)
        self.previous = previous

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        """Nothing: the plugin's `PageLinker` links it."""


class _DeferredPage(File):
    """An item page rendered outside MkDocs' loop (`SharedPages`, on two processes). It keeps the
    page's `src_uri` and destination, so Markdown links to it still resolve; MkDocs neither renders
    nor copies it."""

    def __init__(self, file: File):
        super().__init__(file.src_uri, None, file.dest_dir, file.use_directory_urls, dest_uri=file.dest_uri,
                         inclusion=file.inclusion)

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        pass  # written by whichever process rendered it


class _ConvertedPage(Page):
    """An item page rendered outside MkDocs' loop: `Page.render` (MkDocs 1.6) with one Python-Markdown
    instance per process, reset between pages as the check's Renderer does, instead of one built for
    every page (≈ 0.5 ms each); or, for a body without links or images, the HTML the check rendered
    and sanitised (`checked`). The same HTML: the tests compare whole sites built these ways."""

    converter: markdown.Markdown
    bodies: BodyViews | None
    checked: PageBody | None = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        self.checked = self.bodies.page(self.markdown) if self.bodies is not None else None
        if self.checked is not None:
            # MkDocs' tree processors would change nothing: they rewrite links and images, and read
            # anchors (validated before these pages are rendered) and a title (the item's is set).
            self.content = self.checked.html
            self.toc = get_toc(self.checked.headings)
            return
        md = self.converter
        md.reset()
        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)
        self.content = md.convert(self.markdown)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors


def _newest_first(page: ItemPage) -> tuple[bool, str]:
    """Descending, the order the search index takes its shards and documents (records.sort_key);
    pages without search text last."""
    entry = page.entry
    if page.withdrawn or entry is None:
        return (False, "")
    return (True, f"{entry.published.isoformat()} {entry.index_no}")


def read_folders(config: MkDocsConfig, settings: Settings) -> dict[str, Path]:
    """The folders and files a build reads, which its output must never replace (writer.check_folders)."""
    folders = {
        "项目配置文件": Path(config.config_file_path or settings.root / "mkdocs.yml"),
        "内容目录": settings.content_dir,
        "docs_dir": Path(config.docs_dir),
        "缓存目录": settings.root / CACHE_DIR,
    }
    if config.theme.custom_dir:
        folders["theme.custom_dir"] = Path(config.theme.custom_dir)
    return folders


def _plain_toc_titles(toc: Iterable[AnchorLink]) -> None:
    """Table-of-contents titles as plain text (Python-Markdown gives them as HTML with the tags
    stripped), so the templates escape them like every other text."""
    for link in toc:
        link.title = html.unescape(link.title)
        _plain_toc_titles(link.children)


def _nav_nodes(nodes: tuple[NavNode, ...]) -> Iterator[NavNode]:
    for node in nodes:
        yield node
        yield from _nav_nodes(node.children)


def _nav_urls(nodes: tuple[NavNode, ...]) -> Iterator[str]:
    return (node.url for node in _nav_nodes(nodes) if node.url is not None)


def _sources(plan: SitePlan) -> dict[str, str]:
    """Each page's `src_uri`. Items and authored pages keep their content path, so Markdown
    links between them resolve; only a section's own page is an `index.md`, which is how
    Material (navigation.indexes) recognises the page of a section."""
    sections = {node.url for node in _nav_nodes(plan.nav) if node.children and node.url is not None}
    sources = {}
    for page in plan.pages:
        path = getattr(page, "source_path", "")
        if path:
            sources[page.url] = path
        elif page.url == "" or page.url in sections:
            sources[page.url] = f"{page.url}index.md"
        else:
            sources[page.url] = f"{page.url.rstrip('/')}.md"
    return sources


def _nav_entry(node: NavNode, source_of: dict[str, str]) -> Any:
    """A NavNode as MkDocs' `nav` config; a section's own page comes first as its index."""
    if not node.children:
        return {node.title: source_of[node.url or ""]}
    children = [_nav_entry(child, source_of) for child in node.children]
    if node.url is not None:
        children.insert(0, source_of[node.url])
    return {node.title: children}
