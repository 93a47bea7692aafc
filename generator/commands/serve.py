"""`gongkai serve`: a live preview of the site, rebuilt on every change under content/ and the theme.

MkDocs' development server (`LiveReloadServer`) around builds that are handed the day explicitly:
each rebuild loads mkdocs.yml afresh and prepares the gongkai plugin with a `BuildContext`.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..site.context import BuildContext
from ..site_config import PLUGIN, SettingsError, load_mkdocs_config, settings_from_config
from . import Refused


def serve_site(root: Path, dev_addr: str, *, today: dt.date) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, ConfigurationError
    from mkdocs.livereload import LiveReloadServer

    site_dir = tempfile.mkdtemp(prefix="gongkai-serve-")
    _log_to_terminal()

    def load(site_url: str | None = None) -> Any:
        try:
            config = load_mkdocs_config(root, [], Path(site_dir), dev_addr=dev_addr)
            settings = settings_from_config(config, config.plugins[PLUGIN].config)
        except SettingsError as exc:
            raise Refused(str(exc)) from None
        config.plugins[PLUGIN].prepare(BuildContext(settings, today))
        if site_url is not None:  # pages link to the preview, not to the published site
            config.site_url = site_url
        return config

    try:
        config = load()
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        server = LiveReloadServer(builder=lambda: build(load(server.url), serve_url=server.url),
                                  host=host, port=port, root=site_dir, mount_path=mount_path)
        config.site_url = server.url
        build(config, serve_url=server.url)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=server.builder)
        for item in config.watch:
            server.watch(item)
    except (Abort, ConfigurationError) as exc:
        shutil.rmtree(site_dir, ignore_errors=True)
        # MkDocs' Abort only says "Aborted with a BuildError!"; the reason is the error logged above it.
        reason = "原因见上面以 ERROR 开头的一行" if isinstance(exc, Abort) else f"mkdocs.yml 配置有误（{exc}）"
        raise Refused(f"预览未能启动：{reason}") from None
    except BaseException:
        shutil.rmtree(site_dir, ignore_errors=True)
        raise
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def _log_to_terminal() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
