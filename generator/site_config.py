"""mkdocs.yml → Settings, with MkDocs' own loader: the one place the configuration is read.

`gongkai build` and plain `mkdocs build` read it through MkDocs; every other command reads it
here the same way, so all of them agree on `content_dir` and every other setting.
"""

from __future__ import annotations

import difflib
import io
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from . import config_gate, path_probe
from .hosts import same_site
from .limits import MAX_ATTACHMENT_MB, MAX_ITEM_MB
from .mkdocs_messages import explain, where
from .problems import NOT_SHOWN, printable
from .rendering import render_failure
from .settings import MB, Limits, MarkdownOptions, Settings
from .site.options import SITE_ADDRESS, Footer, PartySite, SiteOptions, is_site_address

CONFIG_FILE = "mkdocs.yml"
PLUGIN = "gongkai"
THEME = "material"  # the one theme gongkai's templates extend
CONFIG_LIMIT = 1 << 20  # bytes of mkdocs.yml read (and judged) at most: a real one is a few KB


class SettingsError(Exception):
    """mkdocs.yml cannot be used; the message (Chinese) says why and what to do."""


def settings_from_config(config: Any, plugin_config: Any) -> Settings:
    """Settings from a loaded MkDocsConfig and the gongkai plugin's own config."""
    root = Path(config.config_file_path or CONFIG_FILE).resolve().parent
    source = getattr(config, "gongkai_source", None)
    for option in ("page_size", "feed_size", "home_latest"):
        if plugin_config[option] < 1:
            raise SettingsError(f"{where(source, ['plugins', PLUGIN, option])}gongkai 插件的 {option} 必须是正整数")
    limits = plugin_config.limits
    for option, most in (("item_mb", MAX_ITEM_MB), ("attachment_mb", MAX_ATTACHMENT_MB)):
        value = limits[option]
        if value < 1 or value > most:
            raise SettingsError(f"{where(source, ['plugins', PLUGIN, 'limits', option])}gongkai 插件的 limits.{option} "
                                f"必须是 1 至 {most} 的整数（兆字节）：更大的文件无法在网页上阅读，也会让检查耗尽内存")
    _known(config, plugin_config)
    footer = Footer(**_known(config, plugin_config.footer, "footer"))
    party = PartySite(**_known(config, plugin_config.party_site, "party_site"))
    _known(config, limits, "limits")
    if party.site_url and not is_site_address(party.site_url):
        raise SettingsError(f"{CONFIG_FILE} 中 gongkai 插件的 party_site.site_url 必须是网站的根地址（或留空）：{SITE_ADDRESS}")
    if party.site_url and config.site_url and same_site(party.site_url, config.site_url):
        # Its sitemap and feeds would list members-only pages at the public host, where its robots.txt is not read
        raise SettingsError(f"{CONFIG_FILE} 中 gongkai 插件的 party_site.site_url（{printable(party.site_url)}）与 site_url "
                            "是同一个主机（不论端口、http 或 https、www. 前缀）："
                            "党内网站只能部署在只能从单位内网访问的另一个主机名下，不能用公众网站的根目录，也不能放在它的子目录中"
                            "（见 docs/网站.md 第八节）；请改为内网的地址，例如 https://dangwu.zjj.intranet/，或留空")
    _refuse_function_options(config)
    markdown = MarkdownOptions(tuple(name for name in config.markdown_extensions if isinstance(name, str)),  # the plugin adds instances
                               {k: dict(v) for k, v in config.mdx_configs.items()})
    failure = render_failure(markdown)
    if failure is not None:  # said as MkDocs says an extension that will not load, with its line
        message = f"Config value 'markdown_extensions': Failed to load extension '{failure[0]}'.\n{failure[1]}"
        raise SettingsError(f"{CONFIG_FILE} 配置有误：\n  {explain(message, getattr(config, 'gongkai_source', None))}")
    return Settings(
        root=root,
        content_dir=_content_dir(root, plugin_config.content_dir),
        site_url=config.site_url or "",
        site=SiteOptions(plugin_config.page_size, plugin_config.feed_size, plugin_config.home_latest, footer, party,
                         search=plugin_config.search_index),
        markdown=markdown,
        limits=Limits(limits.item_mb * MB, limits.attachment_mb * MB),
        docs_dir=Path(config.docs_dir) if config.docs_dir else None,
        theme_dir=_theme_dir(root, config.theme.custom_dir) if config.theme.custom_dir else None,
        page_links=_page_links(config),
        page_scripts=_page_scripts(config),
        page_resources=_page_resources(config),
        page_behaviours=_page_behaviours(config),
        page_direction=_page_direction(config),
        site_dir=str(config.site_dir) if config.site_dir and Path(config.site_dir) != root / "site" else "",
        page_templates=page_templates(config),
        theme_name=str(config.theme.name or ""),
        theme_missing=_theme_missing(config),
        config_source=getattr(config, "gongkai_source", None),
    )


def _known(config: Any, options: Any, section: str = "") -> dict[str, Any]:
    """The plugin's options (or a section's: footer, party_site, limits), or SettingsError naming, with its line, a key
    there is no such option for: MkDocs keeps a misspelt one as an option of its own, so `sponser:` stopped every
    command with an internal error and `page_sise:` was silently the default."""
    names = [name for name, _ in type(options)._schema]
    values = dict(options.items())
    for key in values:
        if key not in names:
            close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
            hint = f"是否想写 {close[0]}？" if close else f"可以写的有：{'、'.join(names)}"
            lead = where(getattr(config, "gongkai_source", None), ["plugins", PLUGIN, *filter(None, [section]), str(key)])
            within = f"的 {section} 中" if section else ""
            raise SettingsError(printable(f"{lead}gongkai 插件{within}没有 {key} 这一项：{hint}（见 docs/网站.md 第三节）"))
    return values


def _refuse_function_options(config: Any) -> None:
    """A Markdown extension's option that takes a function (toc's `slugify`, emoji's `emoji_generator`) can only be
    given one by a `!!python` tag, which mkdocs.yml may not hold (config_gate): any value there is a string, and every
    body using the extension would then fail with an internal error — refused here, with its name."""
    import markdown

    for name in config.markdown_extensions:
        options = config.mdx_configs.get(name) if isinstance(name, str) else None
        if not options:
            continue
        try:
            defaults = markdown.Markdown().build_extension(name, {}).config
        except Exception:  # noqa: BLE001 — an extension that cannot be built is MkDocs' to report, as it builds pages
            continue
        for key, value in options.items():
            default = defaults.get(key, [None])[0]
            # pymdownx.tabbed's slugify is 0 (none) until set: a false value keeps it so.
            if not callable(value) and (callable(default) or (key == "slugify" and value)):
                lead = where(getattr(config, "gongkai_source", None), ["markdown_extensions", name, str(key)])
                raise SettingsError(printable(f"{lead}Markdown 扩展 {name} 的选项 {key} 只能设为 Python 函数，"
                                              f"而 {CONFIG_FILE} 中不允许写 Python 代码：请删除这一项（使用扩展的默认做法）"))


def _page_links(config: Any) -> tuple[tuple[str, str], ...]:
    """The link addresses MkDocs and Material print on every page from mkdocs.yml (not gongkai's footer)."""
    extra = _extra(config)
    # edit_uri: joined to repo_url into a page's edit link (content.action.edit). No gongkai page has one today (every
    # page is generated, with no source file to edit); judged all the same, for the day one has.
    links: list[tuple[str, object]] = [("repo_url", config.repo_url), ("edit_uri", config.edit_uri),
                                       ("edit_uri_template", config.edit_uri_template), ("extra.homepage", extra.get("homepage"))]
    for key in ("alternate", "social"):
        entries = extra.get(key)
        for number, entry in enumerate(entries if isinstance(entries, list) else []):
            links.append((f"extra.{key}[{number}].link", entry.get("link") if isinstance(entry, Mapping) else None))
    return tuple((name, str(value)) for name, value in links if value)


def _page_scripts(config: Any) -> tuple[tuple[str, str], ...]:
    """The scripts mkdocs.yml would add to every page beside gongkai's own."""
    extra = _extra(config)
    polyfills = extra.get("polyfills")
    scripts = [("extra_javascript", str(getattr(script, "path", script))) for script in config.extra_javascript or ()]
    scripts += [("extra.polyfills", str(getattr(script, "path", script))) for script in _listed(polyfills)]
    if extra.get("analytics"):
        scripts.append(("extra.analytics", str(extra["analytics"].get("provider", "")) if isinstance(extra["analytics"], Mapping) else ""))
    return tuple(scripts)


def _page_resources(config: Any) -> tuple[tuple[str, str], ...]:
    """The files every page loads from mkdocs.yml's settings, and the fonts unless `font: false`."""
    resources = [("extra_css", str(getattr(sheet, "path", sheet))) for sheet in config.extra_css or ()]
    theme = config.theme
    resources += [(f"theme.{name}", str(theme[name])) for name in ("logo", "favicon") if name in theme and theme[name]]
    if "font" in theme and theme["font"] is not False:  # Material's default: Roboto from fonts.googleapis.com
        resources.append(("theme.font", str(theme["font"])))
    return tuple(resources)


# Material's features that work on gongkai's pages as they are. The others (and any name Material
# may add) are refused: instant navigation and link previews download the whole sitemap.xml on
# every page view, a dismissable announcement needs an inline script the CSP blocks, and tooltips
# (content.tooltips) put an element's title into the page as HTML: a link's or abbreviation's
# title in a body, or a column's name, would become markup (and script, but for the CSP).
FEATURES = frozenset((
    "content.action.edit", "content.action.view", "content.code.annotate", "content.code.copy", "content.code.select",
    "content.footnote.tooltips", "content.tabs.link", "header.autohide", "navigation.expand",
    "navigation.footer", "navigation.indexes", "navigation.path", "navigation.prune", "navigation.sections",
    "navigation.tabs", "navigation.tabs.sticky", "navigation.top", "navigation.tracking", "toc.follow", "toc.integrate",
))
# `extra` settings whose script acts on every page: the sitemap.xml beside every language link is
# downloaded (from another site: blocked), ../versions.json is asked for, the cookie consent runs inline.
BEHAVING_EXTRA = ("alternate", "version", "consent")


def _page_behaviours(config: Any) -> tuple[tuple[str, str], ...]:
    """Material settings that make every page ask the network or run blocked inline script (see FEATURES)."""
    theme = config.theme
    found = [("theme.features", str(name)) for name in _listed(theme.get("features")) if name not in FEATURES]
    extra = _extra(config)
    found += [(f"extra.{key}", "") for key in BEHAVING_EXTRA if extra.get(key)]
    return tuple(found)


def _theme_missing(config: Any) -> tuple[tuple[str, str], ...]:
    """theme.language and the icons named under theme.icon whose template (Material's `partials/languages/<language>.html`,
    `.icons/<icon>.svg`, or the theme folder's) no theme folder holds: each page would fail to render with it."""
    wanted = [("theme.language", str(config.theme.get("language") or "en"), "partials/languages/{}.html")]
    icons = config.theme.get("icon")
    for key, value in icons.items() if isinstance(icons, Mapping) else ():
        if isinstance(value, str):
            wanted.append((f"theme.icon.{key}", value, ".icons/{}.svg"))
        elif isinstance(value, Mapping):  # admonition: {note: …}, tag: {…}: Material inlines each into every page's styles
            wanted.extend((f"theme.icon.{key}.{kind}", icon, ".icons/{}.svg") for kind, icon in value.items() if isinstance(icon, str))
    folders = [Path(folder) for folder in config.theme.dirs]
    return tuple((name, value) for name, value, template in wanted if not _in_theme(folders, template.format(value)))


def _in_theme(folders: list[Path], relative: str) -> bool:
    """Whether a file `relative` to one of the theme's folders is there; never one outside them, nor a name no file
    system takes (a NUL, a name thousands of characters long)."""
    if ".." in Path(relative).parts:
        return False
    return any(path_probe.is_file(folder / relative) for folder in folders)


def _page_direction(config: Any) -> str:
    """theme.direction as written (Material writes it into every page's <body dir>), "" when unset."""
    direction = config.theme.get("direction")
    return str(direction) if direction else ""


# The theme's own pages that MkDocs renders from templates: Material's 404 page and MkDocs' sitemap (replaced by ours).
STATIC_TEMPLATES = frozenset(("404.html", "sitemap.xml"))


def page_templates(config: Any) -> tuple[tuple[str, str], ...]:
    """extra_templates, and theme.static_templates beyond the theme's own, as (setting, name): MkDocs runs each file of
    the site extra_templates names as a template and publishes what it prints (not the bytes the reviewers signed and
    the scans read), and copies no theme file a static_templates pattern matches (`*.css`: gongkai's stylesheet)."""
    found = [("extra_templates", str(name)) for name in config.extra_templates or ()]
    found += [("theme.static_templates", str(name)) for name in config.theme.static_templates if name not in STATIC_TEMPLATES]
    return tuple(found)


def _extra(config: Any) -> Mapping[str, Any]:
    """mkdocs.yml's `extra` (a mapping MkDocs hands to the theme as it is)."""
    return config.extra if isinstance(config.extra, Mapping) else {}


def _listed(value: object) -> list:
    """A setting Material loops over: a list as it is, anything else set as one entry."""
    return value if isinstance(value, list) else [value] if value else []


def _content_dir(root: Path, configured: str) -> Path:
    """The content folder, resolved; it must be a folder inside the site's root (not the root itself), named with
    characters that show as themselves (its path starts every problem line: a line break in it forged lines)."""
    try:
        folder = None if NOT_SHOWN.search(configured) else (root / configured).resolve()
        written = Path(os.path.normpath(root.resolve() / configured))
    except (OSError, RuntimeError, ValueError):  # a NUL byte, a symlink loop
        folder = written = None
    if folder is not None and folder != written:
        # A content folder reached through a link (a committed `content -> real`): review rules that protect files by
        # their path (CODEOWNERS' /content/pages/) no longer see the files that are read and published.
        raise SettingsError(
            f"{CONFIG_FILE} 中 gongkai 插件的内容目录“{printable(configured)}”是符号链接或经由符号链接到达（实际为"
            f"{printable(str(folder))}）：内容目录不能经由链接读取，请把内容直接放在该目录中，或把 content_dir 改为实际目录"
        )
    if folder is None or folder == root or not folder.is_relative_to(root):
        raise SettingsError(
            f"{CONFIG_FILE} 中 gongkai 插件的 content_dir“{printable(configured)}”不可用（名称中不能有换行、控制字符或双向控制符）："
            f"内容目录必须是站点根目录（{printable(str(root))}）"
            "下的一个子目录，不能是根目录本身，也不能在它之外（不能用 ..、绝对路径或指向外部的链接），例如 content_dir: content"
        )
    return folder


def _theme_dir(root: Path, configured: str) -> Path:
    """The theme folder (theme.custom_dir), refused when a link leads to another folder of the project: the rules that
    protect `theme_overrides/` by its path (the example CODEOWNERS) no longer saw the templates printed on every page.
    A link to a theme shared from outside the project is taken (its files are checked one by one)."""
    written = Path(os.path.normpath(os.path.abspath(configured)))
    real = Path(os.path.realpath(written))
    project = Path(os.path.realpath(root))
    if real != written and real.is_relative_to(project):
        raise SettingsError(
            f"{CONFIG_FILE} 的 theme.custom_dir“{printable(configured)}”经由符号链接指向站点项目中的另一个目录"
            f"（{printable(str(real.relative_to(project)))}）：主题目录不能经由链接读取，请把模板直接放在该目录中，"
            "或把 custom_dir 改为实际目录"
        )
    return Path(configured)


def load_mkdocs_config(root: Path, failures: list[str], site_dir: Path | None = None, **overrides: Any) -> Any:
    """MkDocsConfig of the site at `root` (with `overrides` of its options); its warnings and errors are
    collected in `failures`."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    config_file = root / CONFIG_FILE
    if config_file.is_symlink():  # its folder would become the site's root: another project's, a machine folder
        raise SettingsError(f"{CONFIG_FILE} 是符号链接（指向 {printable(os.readlink(config_file))}）：站点配置必须是项目中的普通文件，"
                            "链接会让 gongkai 把链接目标所在的目录当作站点（读取、生成的都是别处的内容）；请用真实文件替换它")
    if not config_file.is_file():
        raise SettingsError(f"找不到 {config_file}：请在站点根目录（mkdocs.yml 所在目录）运行")
    source = refuse_code(config_file)
    options = {"site_dir": str(site_dir), **overrides} if site_dir is not None else overrides
    # MkDocs loads the very bytes judged, not the file again: one changed in between (a `!!python` tag written after
    # the judging) would run its code, and the scans would read another version than every page prints.
    judged: str | IO[bytes] = io.BytesIO(source) if source is not None else str(config_file)
    try:
        config = load_config(judged, config_file_path=str(config_file), **options)
    except (ConfigurationError, Abort, ValueError) as exc:  # ValueError: a value MkDocs' own parsing refuses (an IPv6 site_url cut short)
        details = "\n".join(f"  {explain(failure, source)}" for failure in failures) or f"  MkDocs：{printable(str(exc))}"
        raise SettingsError(f"{CONFIG_FILE} 配置有误：\n{details}") from None
    if config.plugins.get(PLUGIN) is None:
        raise SettingsError(f"{CONFIG_FILE} 没有启用 gongkai 插件：请在 plugins 下加入 `- gongkai`")
    config.gongkai_source = source  # type: ignore[attr-defined]  # for settings_from_config: what the scans read
    return config


def refuse_code(config_file: Path) -> bytes | None:
    """Stop before MkDocs reads a mkdocs.yml that would run code, read other files or publish the
    environment while it is loaded (config_gate): every such line named at once. The bytes judged, for
    MkDocs' own complaints to name their lines; None when they cannot be read (MkDocs says so)."""
    try:
        with open(config_file, "rb") as stream:  # as MkDocs hands it to PyYAML, which reads UTF-16 as well as UTF-8
            data = stream.read(CONFIG_LIMIT + 1)
    except OSError:
        return None  # MkDocs' own loader reports it
    if len(data) > CONFIG_LIMIT:
        raise SettingsError(f"{CONFIG_FILE} 超过 {CONFIG_LIMIT // 1024} KB，不像是网站配置文件（通常只有几 KB）：请检查是否误存了别的内容")
    unreadable = config_gate.unreadable(data)
    if unreadable is not None:
        raise SettingsError(f"{CONFIG_FILE} 无法读取：\n  {CONFIG_FILE}:{unreadable[0]}: {unreadable[1]}")
    unbuilt = config_gate.unbuildable(data)
    if unbuilt:
        lines = "\n".join(f"  {CONFIG_FILE}:{line}: {reason}" for line, reason in unbuilt)
        raise SettingsError(f"{CONFIG_FILE} 无法读取：\n{lines}")
    found = config_gate.refusals(data)
    if found:
        lines = "\n".join(f"  {CONFIG_FILE}:{line}: {reason}" for line, reason in found)
        raise SettingsError(f"{CONFIG_FILE} 中有不能使用的设置（会执行代码、读取其他文件、泄露环境变量或耗尽时间和内存），"
                            f"请按下列说明修改：\n{lines}")
    return data


def load_settings(root: Path) -> Settings:
    with mkdocs_logging(lambda _: None) as failures:
        config = load_mkdocs_config(root, failures)
    return settings_from_config(config, config.plugins[PLUGIN].config)


class _Collector(logging.Handler):
    """Shows MkDocs' warnings as they come and keeps its errors for the failure message."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.echo = echo
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
        else:
            self.echo(f"警告：{printable(explain(message))}")  # a page's link, as written: no terminal control


@contextmanager
def mkdocs_logging(echo: Callable[[str], None]) -> Iterator[list[str]]:
    """MkDocs' log while the block runs: warnings echoed, errors collected in the yielded list."""
    logger = logging.getLogger("mkdocs")
    collector = _Collector(echo)
    saved = logger.handlers[:], logger.propagate, logger.level
    logger.handlers[:] = [collector]
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield collector.errors
    finally:
        logger.handlers[:], logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])
