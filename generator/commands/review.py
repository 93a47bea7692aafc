"""`gongkai review`: one review level signed into an item, every other byte of the file kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..catalog import load_catalog
from ..content_files import read_limited
from ..project import Project
from ..reviewing import ReviewRefused, Signed, SignOff, sign
from ..settings import Settings
from . import Refused, item_file


@dataclass(frozen=True)
class Reviewed:
    path: str  # project-relative
    signed: Signed


def review(settings: Settings, file: Path, sign_off: SignOff) -> Reviewed:
    file = item_file(settings, file)
    catalog, _, problems = load_catalog(settings.content_dir, settings.root, settings.limits.item_bytes)
    if catalog is None:
        first = next((p for p in problems if p.is_error), None)
        raise Refused(f"catalog.yml 有错误，无法确认审查人名册{f'（{first.path}:{first.line}：{first.message}）' if first else ''}")
    rel = Project(settings.root, settings.content_dir, catalog).rel(file)
    data, refused = read_limited(file, rel, settings.limits.item_bytes)
    if data is None:  # a link, a device, too large: never read through it
        message = refused[0].message
        raise Refused(message if message.startswith(rel) else f"{rel}: {message}")
    try:
        signed = sign(file, sign_off, catalog, settings.content_dir / "attachments", rel)
    except ReviewRefused as exc:
        raise Refused(f"{rel}: {exc}") from None
    return Reviewed(rel, signed)
