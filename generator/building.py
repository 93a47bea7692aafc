"""`gongkai build` and `gongkai serve`: MkDocs run in-process around the gongkai plugin.

A build is atomic: content is read and checked first, MkDocs writes into a fresh folder next to
site/, and only a finished site (search index included) replaces the old one. Any failure leaves
the previous site/ exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import checks
from .build_cache import PageCache
from .model import AUDIENCE_PUBLIC
from .problems import format_text, summary
from .project import load_project
from .site_config import CONFIG_FILE, PLUGIN, SettingsError, load_mkdocs_config, mkdocs_logging, settings_from_config
from .writer import WriteRefused, check_folders


class BuildFailed(Exception):
    """The site was not built; the message (Chinese) says why and what to do."""


def build_site(root: Path, site_dir: Path, *, today: dt.date, echo: Callable[[str], None],
               audience: str = AUDIENCE_PUBLIC) -> None:
    """Build the site for readers of `audience` (公众, or 党内 for the members' site) into `site_dir`."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_plugin import BuildContext, read_folders

    site_dir = site_dir.resolve()
    started = time.monotonic()
    with mkdocs_logging(echo) as failures:
        new_dir = site_dir.parent / f".{site_dir.name}.new-{os.getpid()}"
        try:
            config = load_mkdocs_config(root, failures, new_dir)
            settings = settings_from_config(config, config.plugins[PLUGIN].config)
            check_folders(settings.root, site_dir, read_folders(config, settings))
        except (SettingsError, WriteRefused) as exc:
            raise BuildFailed(str(exc)) from None
        plugin = config.plugins[PLUGIN]

        clock = time.monotonic()
        project = load_project(root, settings.content_dir, limits=settings.limits)
        problems = checks.run(project, today, settings=settings)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise BuildFailed(
                f"{format_text(errors)}\n{summary(problems, project.files_read)}\n"
                f"内容检查未通过，网站未生成；原有的 {site_dir.name}/ 保持不变。"
            )
        echo(f"读取并检查内容：{summary(problems, project.files_read)}（{time.monotonic() - clock:.1f} 秒）")

        # Pages and search shards unchanged since the build now in site_dir are reused (build_cache).
        plugin.prepare(BuildContext(project, today, audience, echo, PageCache(root, site_dir)))
        clock = time.monotonic()
        try:
            new_dir.mkdir(parents=True, exist_ok=False)
            build(config)
        except BaseException as exc:
            shutil.rmtree(new_dir, ignore_errors=True)
            if isinstance(exc, KeyboardInterrupt):
                raise
            reason = "；".join(failures) or (str(exc) if isinstance(exc, MkDocsException) else f"{type(exc).__name__}: {exc}")
            raise BuildFailed(f"生成网站失败：{reason}\n原有的 {site_dir.name}/ 保持不变。") from None
        echo(f"生成网站：{len(plugin.plan.pages)} 个页面，{len(plugin.plan.files)} 个附件（{time.monotonic() - clock:.1f} 秒）")

    _replace(new_dir, site_dir)
    plugin.save_cache()
    echo(f"完成：网站已写入 {site_dir}（共 {time.monotonic() - started:.1f} 秒）")


def _replace(new_dir: Path, site_dir: Path) -> None:
    """Put the new site in place with renames only, so site/ is always a complete site."""
    old_dir = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    if site_dir.exists():
        os.rename(site_dir, old_dir)
    try:
        os.rename(new_dir, site_dir)
    except OSError:
        if old_dir.exists():
            os.rename(old_dir, site_dir)
        shutil.rmtree(new_dir, ignore_errors=True)
        raise BuildFailed(f"无法把新网站移动到 {site_dir}：原有网站保持不变") from None
    shutil.rmtree(old_dir, ignore_errors=True)


def serve_site(root: Path, dev_addr: str, *, today: dt.date) -> None:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, ConfigurationError

    # Every live rebuild loads a fresh plugin, which reads "today" from the environment.
    os.environ["GONGKAI_TODAY"] = today.isoformat()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        serve(config_file=str(root / CONFIG_FILE), dev_addr=dev_addr, livereload=True)
    except (Abort, ConfigurationError) as exc:
        # MkDocs' Abort only says "Aborted with a BuildError!"; the reason is the error logged above it.
        reason = "原因见上面以 ERROR 开头的一行" if isinstance(exc, Abort) else f"mkdocs.yml 配置有误（{exc}）"
        print(f"预览未能启动：{reason}", file=sys.stderr)
        raise SystemExit(1) from None
