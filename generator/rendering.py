"""Markdown → HTML with exactly the site's Markdown extensions, for `gongkai check` and the build.

MkDocs renders a page with `markdown.Markdown(extensions=config.markdown_extensions,
extension_configs=config.mdx_configs)` plus its own tree processors, which only rewrite relative
link targets and read anchors and titles. `Settings.markdown` holds those same names and configs, so
a `Renderer` built from it produces the HTML the build produces, except for the rewritten
(still relative) link targets. The policy added here, in one place for both: tables align
cells with the `align` attribute instead of inline `style` (which the sanitiser removes), and
footnote back-links carry a Chinese title. Both add `plain_inline.PlainTextInline`, which only
makes plain text cheaper (same HTML).

Rendering costs ≈ 0.7 ms for a 1,400-character item; `RenderCache` keeps the HTML on disk by a
hash of the Markdown, the extension config and the code, so a second `gongkai check` (and the
check inside `gongkai build`) renders only what changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import markdown

from .plain_inline import PlainTextInline
from .settings import MarkdownOptions
from .writer import write_whole

# Python-Markdown's tables extension writes `style="text-align: …"` unless told otherwise.
ALIGN = {"use_align_attribute": True}
# The footnotes' back-link tooltip is English unless told otherwise; a site's own setting wins.
FOOTNOTES_CHINESE = {"BACKLINK_TITLE": "返回正文中第 %d 个脚注处"}
RENDER_DIR = "render"


def site_markdown(options: MarkdownOptions) -> MarkdownOptions:
    """The options the build and the check both render with: the site's, tables aligned by attribute,
    footnote back-links titled in Chinese."""
    configs = {key: dict(value) for key, value in options.configs.items()}
    for name in options.extensions:
        short = name.removeprefix("markdown.extensions.")
        if short == "tables":
            configs[name] = {**configs.get(name, {}), **ALIGN}
        elif short == "footnotes":
            configs[name] = {**FOOTNOTES_CHINESE, **configs.get(name, {})}
    return replace(options, configs=configs)


def fingerprint(options: MarkdownOptions) -> str:
    """The extension names and configs as text (configs hold only plain YAML values)."""
    return json.dumps([list(options.extensions), options.configs], sort_keys=True, ensure_ascii=False, default=repr)


class RenderCache:
    """Rendered HTML on disk, one file per key, in `<cache>/render/`. Missing or unreadable means render.

    Other results derived from the same Markdown (e.g. the sanitiser's verdict) may be kept beside
    it under the same key with their own `kind` (file suffix)."""

    def __init__(self, cache_dir: Path, code_version: str) -> None:
        self.folder = cache_dir / RENDER_DIR
        self.code_version = code_version

    def key(self, options_fingerprint: str, text: str) -> str:
        digest = hashlib.sha256(self.code_version.encode())
        for part in (options_fingerprint, text):
            digest.update(b"\0")
            digest.update(part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _path(self, key: str, kind: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.{kind}"

    def get(self, key: str, kind: str = "html") -> str | None:
        try:
            return self._path(key, kind).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, html: str, kind: str = "html") -> None:
        path = self._path(key, kind)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_whole(path, html.encode("utf-8"))  # readers see a whole file or none
        except OSError:
            pass  # a cache that cannot be written only costs time


class Renderer:
    """One reused Python-Markdown instance with the site's extensions (not thread-safe: one per thread)."""

    def __init__(self, options: MarkdownOptions, cache: RenderCache | None = None) -> None:
        self.options = site_markdown(options)
        self._fingerprint = fingerprint(self.options)
        self._markdown = markdown.Markdown(extensions=[*self.options.extensions, PlainTextInline()],
                                           extension_configs=self.options.configs)
        self.cache = cache

    def key(self, text: str) -> str | None:
        """The cache key of `text` with these options (None without a cache)."""
        return None if self.cache is None else self.cache.key(self._fingerprint, text)

    def render(self, text: str) -> str:
        """The HTML of `text`, as the build renders it (before the sanitiser)."""
        if self.cache is None:
            return self._convert(text)
        key = self.cache.key(self._fingerprint, text)
        html = self.cache.get(key)
        if html is None:
            html = self._convert(text)
            self.cache.put(key, html)
        return html

    def _convert(self, text: str) -> str:
        self._markdown.reset()
        return self._markdown.convert(text)
