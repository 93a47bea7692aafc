"""What decides what a site publishes and how: the settings every command reads the same way.

They come from mkdocs.yml (`site_config` reads it with MkDocs' own loader), so `gongkai check`
judges exactly the content that `gongkai build` publishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .limits import MB, Limits
from .site.options import SiteOptions

__all__ = ["MB", "Limits", "MarkdownOptions", "Settings"]

@dataclass(frozen=True)
class MarkdownOptions:
    """The Markdown extensions of mkdocs.yml, as MkDocs hands them to Python-Markdown."""

    extensions: tuple[str, ...] = ("toc", "tables", "fenced_code")
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder of mkdocs.yml
    content_dir: Path  # resolved
    site_url: str = ""
    site: SiteOptions = field(default_factory=SiteOptions)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    limits: Limits = field(default_factory=Limits)
    # Folders whose files MkDocs publishes as they are (mkdocs.yml docs_dir, theme.custom_dir); None if unset.
    docs_dir: Path | None = None
    theme_dir: Path | None = None
    # What MkDocs and Material print on every page from the rest of mkdocs.yml, as (setting, value):
    # link addresses (repo_url, extra.homepage, extra.alternate and extra.social links) and scripts
    # (extra_javascript, extra.polyfills, extra.analytics). `gongkai check` judges them (GK520, GK521).
    page_links: tuple[tuple[str, str], ...] = ()
    page_scripts: tuple[tuple[str, str], ...] = ()
    # What every page loads besides: extra_css, theme.logo and theme.favicon as written, and theme.font
    # unless it is `false` (Material then loads Google's fonts). Judged by GK523.
    page_resources: tuple[tuple[str, str], ...] = ()
    # Material features and settings whose script, on every page, asks something of the network
    # (the sitemap beside a language link, ../versions.json, the sitemap for instant navigation) or
    # runs inline script the Content-Security-Policy blocks (cookie consent). Judged by GK524.
    page_behaviours: tuple[tuple[str, str], ...] = ()
    # theme.direction as written ("" unset): the build lays every page out left to right (GK526 for another).
    page_direction: str = ""
    # site_dir where mkdocs.yml names another folder than the project's site/ ("" else): gongkai's commands never write
    # there, but a plain `mkdocs build` empties it first (GK538).
    site_dir: str = ""
    # Settings that make MkDocs run files of the site as templates (extra_templates) or leave theme files
    # uncopied (theme.static_templates beyond the theme's own): refused by the build, GK527 for the check.
    page_templates: tuple[tuple[str, str], ...] = ()
    # theme.name as written: gongkai's templates extend Material's, so the build refuses another (GK529 for the check).
    theme_name: str = "material"
    # theme.language and theme.icon's names whose template no theme folder holds: every page fails to render (GK536).
    theme_missing: tuple[tuple[str, str], ...] = ()
    # The bytes of mkdocs.yml that were judged and that MkDocs loaded (the scans read these, not the file again);
    # None where MkDocs read the file itself (plain `mkdocs build`).
    config_source: bytes | None = field(default=None, repr=False)
