"""What the privacy and secrecy scans find in each attached file, kept instead of its text.

A file is read (`extract`) and scanned once per check run for both families, however many items
attach it; only the findings stay in memory — each personal number with a little text around it,
for the attaching item's `pii_allow` — so a site's attachments never sit in memory whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..attachments import content_hash, resolve
from ..loading import SourceDocument
from ..rules import Rule
from . import pii, secrecy
from .base import CheckContext
from .extract import Extraction, Unread, extract

CONTEXT = 200  # characters kept on each side of a personal number: room for a pii_allow match


@dataclass(frozen=True)
class Personal:
    where: str  # e.g. "第 2 页第 5 行"
    finding: pii.Finding  # offsets into `context`
    context: str


@dataclass(frozen=True)
class Marked:
    where: str
    rule: Rule
    mark: str


@dataclass(frozen=True)
class Scanned:
    personal: tuple[Personal, ...] = ()
    marks: tuple[Marked, ...] = ()
    unread: tuple[Unread, ...] = ()
    failure: str = ""  # nothing could be scanned (GK307)


@dataclass(frozen=True)
class Attached:
    index: int  # position in the item's `attachments` list
    title: str
    file: str
    scanned: Scanned

    @property
    def name(self) -> str:
        return f"附件《{self.title}》（{self.file}）" if self.title else f"附件 {self.file}"


def files(ctx: CheckContext, document: SourceDocument) -> Iterator[Attached]:
    """What was found in each attachment of a document that the resolver lets out (references reports the rest)."""
    entries = document.meta.get("attachments")
    if not isinstance(entries, list):
        return
    project = ctx.project
    cache = ctx.cache("attachments")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
            continue
        resolved = resolve(project.attachments_dir, entry["file"], ctx.attachment_limit)
        if not resolved.publishable:
            continue
        key = (resolved.suffix, content_hash(resolved))
        found = cache.get(key)
        if found is None:
            found = cache[key] = scan(extract(resolved.path, resolved.suffix), ctx.today)
        title = entry.get("title")
        yield Attached(index, title.strip() if isinstance(title, str) else "", entry["file"], found)


def scan(extraction: Extraction, today: dt.date) -> Scanned:
    personal = []
    marks = []
    for segment in extraction.segments:
        for finding in pii.find(segment.text, today):
            start = max(0, finding.start - CONTEXT)
            context = segment.text[start:finding.end + CONTEXT]
            moved = pii.Finding(finding.kind, finding.start - start, finding.end - start, finding.text, finding.number)
            personal.append(Personal(segment.locate(finding.start), moved, context))
        for rule, offset, mark in secrecy.find(segment.text):
            marks.append(Marked(segment.locate(offset), rule, mark))
    return Scanned(tuple(personal), tuple(marks), extraction.unread, extraction.failure)
