"""`gongkai preview PATH`: the address of one item in the preview — asked of a preview of this site
already running at the address, else from a preview started for it (`gongkai serve`)."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
import webbrowser
from pathlib import Path

from ..preview.pages import PREFIX
from ..project import Project
from ..settings import Settings
from . import item_file
from .serve import Echo, address, base_address, serve


def preview(settings: Settings, path: Path, dev_addr: str, today: dt.date, echo: Echo, open_browser: bool = False) -> None:
    """Print (and open) the preview address of the item at `path`; serves until Ctrl+C when no preview ran."""
    rel = Project(settings.root, settings.content_dir, None).rel(item_file(settings, path))
    url = running_location(settings.root, dev_addr, rel)
    if url is None:
        serve(settings.root, dev_addr, today, echo, show=rel, open_browser=open_browser)
        return
    echo(url)
    if open_browser:
        webbrowser.open(url)


def running_location(root: Path, dev_addr: str, rel: str) -> str | None:
    """The address of the item at project path `rel` in a preview of this site already running at
    `dev_addr`, or None when no such preview answers there."""
    base = base_address(*address(dev_addr))
    query = urllib.parse.urlencode({"path": rel})
    try:
        with urllib.request.urlopen(f"{base}{PREFIX}locate?{query}", timeout=2) as answer:  # noqa: S310 - a local address
            state = json.loads(answer.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(state, dict) and state.get("root") == str(root) and isinstance(state.get("location"), str):
        return base + state["location"]
    return None
