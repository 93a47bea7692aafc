"""The preview's MkDocs adapter: the site's configuration, Material's templates and the gongkai plugin,
set up once and kept; a page is rendered when a browser asks for it, exactly as `gongkai build`
renders it (the same plugin events, templates and sanitiser), and nothing is written anywhere.

A new plan replaces the plugin's page models; MkDocs' files and navigation are made again only when
the set of pages or the navigation changed (a new item, a new year), not for an edited one.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from .. import rendering as markdown_rendering
from ..checks.theme import guarded_page
from ..html_budget import TooLarge
from ..mkdocs_plugin import GongkaiPlugin
from ..project import Project
from ..site import SitePlan
from ..site.context import BuildContext
from ..site.feeds import render_feed
from ..site.pages import SitePage
from ..site_config import PLUGIN, load_mkdocs_config, settings_from_config

TOO_DEEP_BODY = "<p>（正文嵌套层次过深，无法预览；问题列表中有 GK508 说明怎样改。）</p>"
TOO_LARGE_BODY = "<p>（正文生成的页面过大，无法预览；问题列表中有 GK528 说明怎样改。）</p>"
TOO_SLOW_BODY = f"<p>（正文生成页面超过 {markdown_rendering.RENDER_SECONDS:.0f} 秒仍未完成，无法预览；问题列表中有 GK509 说明怎样改。）</p>"


@dataclass(frozen=True)
class Static:
    """A file of the site served as it is: one of three kinds."""

    path: Path | None = None  # a theme file
    attachment: str = ""  # a file below content/attachments/ (served through the attachment resolver)
    text: str | None = None  # generated text


class SiteRenderer:
    """Renders the pages of a plan with the site's own MkDocs configuration and theme."""

    def __init__(self, root: Path, project: Project, today: dt.date, plan: SitePlan, preview_globals: dict[str, Any],
                 failures: list[str]) -> None:
        # MkDocs wants a site_dir; the preview never writes, so it names a folder that is never made.
        nowhere = Path(tempfile.gettempdir()) / f"gongkai-preview-{os.getpid()}-never-written"
        config = load_mkdocs_config(root, failures, nowhere)
        plugin = config.plugins[PLUGIN]
        assert isinstance(plugin, GongkaiPlugin)
        plugin.prepare(BuildContext(settings_from_config(config, plugin.config), today, project))
        plugin.config.search_index = False  # the preview serves the last build's search index
        self.config: MkDocsConfig = config.plugins.on_config(config)
        self.plugin = plugin
        self.env: Environment = self.config.theme.get_env()
        self.theme_files = Files(list(get_files(self.config)))
        self.theme_files.add_files_from_theme(self.env, self.config)
        self._shape: object = None
        self.use(plan)
        self.env = self.config.plugins.on_env(self.env, config=self.config, files=self.files)
        self.env.globals["gk_preview"] = preview_globals

    def use(self, plan: SitePlan) -> bool:
        """Render `plan` from now on; whether its set of pages or its navigation changed."""
        plugin, config = self.plugin, self.config
        plugin.use_plan(plan, config)
        shape = (tuple(plugin.source_of.items()), repr(plan.nav), tuple(file.url for file in plan.files),
                 tuple(plan.assets))
        self.pages: dict[str, SitePage] = {page.url: page for page in plan.pages}
        self.feeds = {feed.url: feed for feed in plan.feeds}
        self.attachments = {f"attachments/{file.source}": file.source for file in plan.files}
        if shape == self._shape:
            return False
        self._shape = shape
        files = Files([file for _, file in plugin.plan_files(config)])
        for file in self.theme_files:
            if files.get_file_from_path(file.src_uri) is None:
                files.append(file)
        plugin.files = files
        self.files = files
        self.nav: Navigation = get_navigation(files, config)
        self.documentation = files.documentation_pages()
        self.static = {file.dest_uri: file for file in files if not file.is_documentation_page()}
        # The plugin's template blocks rendered once per navigation entry hold the old navigation.
        getattr(plugin, "rendered", {}).clear()
        return True

    def page(self, url: str) -> str | None:
        """The HTML of the page at `url` (e.g. `items/2021/00003/`), or None if there is none."""
        source = self.plugin.source_of.get(url)
        file = self.files.get_file_from_path(source) if source else None
        if file is None or file.page is None:
            return None
        page: Page = file.page
        config, plugins = self.config, self.config.plugins
        config._current_page = page
        try:
            page = plugins.on_pre_page(page, config=config, files=self.files)
            page.read_source(config)
            assert page.markdown is not None
            page.markdown = plugins.on_page_markdown(page.markdown, page=page, config=config, files=self.files)
            try:
                with markdown_rendering.deadline(markdown_rendering.RENDER_SECONDS):
                    page.render(config, self.files)
            except RecursionError:  # nesting Python-Markdown cannot follow; the check reports it (GK508)
                page.content = TOO_DEEP_BODY
            except markdown_rendering.TooSlow:  # markup that would keep this request busy for minutes; the check reports it (GK509)
                page.content = TOO_SLOW_BODY
            except TooLarge:  # HTML that would fill the memory; the check reports it (GK528)
                page.content = TOO_LARGE_BODY
            assert page.content is not None
            page.content = plugins.on_page_content(page.content, page=page, config=config, files=self.files)
            page.active = True
            context = get_context(self.nav, self.documentation, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            output = plugins.on_post_page(template.render(context), page=page, config=config)
        finally:
            page.active = False
            config._current_page = None
        return output

    def not_found(self) -> str:
        """The theme's 404 page, with links from the server's root."""
        context = get_context(self.nav, self.documentation, self.config, base_url="/")
        output = self.env.get_template("404.html").render(context)
        # Judged as the build judges its 404 page, its root being the server's here.
        output, why = guarded_page(output, "404.html", ("/",))
        if why:
            raise PluginError(why)
        return output

    def static_file(self, url: str) -> Static | None:
        """A file of the site that is not a page: theme files, attachments, generated text, feeds."""
        file = self.static.get(url)
        if file is not None and file.generated_by is not None:
            return Static(text=file.content_string)
        if file is not None and file.src_uri in self.attachments:
            return Static(attachment=self.attachments[file.src_uri])
        if file is not None:
            return Static(Path(file.abs_src_path or ""))
        feed = self.feeds.get(url)
        if feed is not None:
            return Static(text=render_feed(feed, self.config.site_url or ""))
        return None
