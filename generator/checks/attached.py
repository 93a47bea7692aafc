"""What the privacy, secrecy and wording scans find in each attached file, kept instead of its text.

A file is read (`extract`) and scanned once per check run for the three families, however many
items attach it; only the findings stay in memory — each personal number and each lexicon finding
with a little text around it, for the attaching item's `pii_allow` and `lexicon_allow` — so a
site's attachments never sit in memory whole. Lexicon findings depend on the date the item speaks
of (who held which title then): they are kept per date, and a file attached by items of different
dates is read again for each further date.

The pictures an agency adds to the theme folder (its logo, under `assets/agency/`) are published on every page
and signed by nobody: they are read the same way (`theme_pictures`), for what their metadata says and what is
appended to them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, islice
from pathlib import Path

from ..attachments import Refusal, Resolved, content_hash, resolve
from ..lexicon import Hit, Matcher
from ..lexicon.compiled import compiled_lexicon
from ..loading import SourceDocument
from ..model import Item
from ..reader_text import rows_read_on
from ..readers.core import AS_SHOWN
from ..readers.extract import Extraction, Segment, SlowFiles, Unread, extract
from ..rules import Rule
from ..text_windows import windows
from . import pii, theme
from .base import CheckContext
from .marks import find as marks_in

CONTEXT = 200  # characters kept on each side of a finding: room for an allowance's match
# Personal numbers and marks, and lexicon findings, kept for one file: a file with more is no file to publish as it
# is (GK313), and each is kept with its context — 800,000 mobile numbers in a 10 MB CSV held 1.9 GB.
FINDINGS = 1_000


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
class Worded:
    where: str
    hit: Hit  # offsets into `context`
    context: str  # visible text around it (`lexicon.visible`)


@dataclass(frozen=True)
class Scanned:
    personal: tuple[Personal, ...] = ()
    marks: tuple[Marked, ...] = ()
    unread: tuple[Unread, ...] = ()
    failure: str = ""  # nothing could be scanned (GK307)
    located: tuple[str, ...] = ()  # pictures that say where they were taken ("" for the file itself)
    crowded: bool = False  # more than FINDINGS personal numbers and marks: the first FINDINGS are kept (GK313)
    formulas: tuple[str, ...] = ()  # cells a spreadsheet runs as a formula calling something (GK315)
    remote: tuple[str, ...] = ()  # parts loaded from another address when the file is opened (GK316)
    scripts: tuple[str, ...] = ()  # scripts and program launches a PDF holds (GK317)

    @property
    def skipped(self) -> bool:
        """Whether the file, or some part of it, went unread (an allowance may be for what is there)."""
        return bool(self.failure or self.unread)


@dataclass(frozen=True)
class Attached:
    index: int  # position in the item's `attachments` list
    title: str
    file: str
    scanned: Scanned
    words: tuple[Worded, ...]  # the lexicon's findings for the attaching item's date (FINDINGS + 1 at most)

    @property
    def crowded(self) -> bool:
        """More findings than FINDINGS: the first are named, the file is refused as a whole (GK313)."""
        return self.scanned.crowded or len(self.words) > FINDINGS

    @property
    def name(self) -> str:
        return f"附件《{self.title}》（{self.file}）" if self.title else f"附件 {self.file}"


def files(ctx: CheckContext, item: Item, document: SourceDocument) -> Iterator[Attached]:
    """What was found in each attachment of an item that the resolver lets out (references reports the rest)."""
    entries = document.meta.get("attachments")
    if not isinstance(entries, list):
        return
    project = ctx.project
    day = item.published or ctx.today
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
            continue
        resolved = resolve(project.attachments_dir, entry["file"], ctx.attachment_limit)
        if not resolved.publishable and set(resolved.refusals) != {Refusal.CONTENT}:
            continue  # a file of another type than its name is still read: what it holds is reported with GK616
        scanned, words = _scanned(ctx, resolved, day)
        title = entry.get("title")
        yield Attached(index, title.strip() if isinstance(title, str) else "", entry["file"], scanned, words)


@dataclass(frozen=True)
class ThemePicture:
    path: str  # project-relative
    scanned: Scanned

    @property
    def name(self) -> str:
        return f"主题图片 {self.path}（每个页面都会显示，不经审查人签署）"


def theme_pictures(ctx: CheckContext) -> Iterator[ThemePicture]:
    """The pictures of the theme folder that MkDocs publishes and gongkai does not ship, each read once a run;
    links and files that are not regular are left to the theme family (GK530, GK506), which refuses them."""
    settings = ctx.settings
    folder = settings.theme_dir if settings is not None else None
    if settings is None or folder is None or not folder.is_dir():
        return
    shipped = theme.shipped()
    found = ctx.cache("theme pictures")
    for relative, path in theme.published_theme_files(folder):
        if path.suffix.lower() not in theme.PICTURES or relative in shipped or theme.has_symlink(folder, relative):
            continue
        try:
            status = path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(status.st_mode) or status.st_size > ctx.attachment_limit:
            continue  # too large: refused by the theme family (GK525)
        absolute = Path(os.path.abspath(path))
        rel = absolute.relative_to(settings.root).as_posix() if absolute.is_relative_to(settings.root) else absolute.as_posix()
        if rel not in found:
            slow = slow_files(ctx)
            found[rel] = scan(extract(path, path.suffix.lower().lstrip("."), slow), ctx.today, slow)
        yield ThemePicture(rel, found[rel])


def _scanned(ctx: CheckContext, resolved: Resolved, day: dt.date) -> tuple[Scanned, tuple[Worded, ...]]:
    """The file's findings, read once per run (and once more for each further date of the lexicon's)."""
    key = (resolved.suffix, content_hash(resolved))
    scans, worded = ctx.cache("attachments"), ctx.cache("attachment words")
    found, words = scans.get(key), worded.get((*key, day))
    if found is None or words is None:
        slow = slow_files(ctx)
        extraction = extract(resolved.path, resolved.suffix, slow)
        if found is None:
            found = scans[key] = scan(extraction, ctx.today, slow)
        project = ctx.project
        matcher = compiled_lexicon(project.content_dir, project.root, project.limits.item_bytes, ctx.item_cache).matcher
        words = worded[(*key, day)] = _words_in_time(extraction, matcher, day, slow)
    if isinstance(words, str):  # the lexicon did not finish its reading: the file is not scanned as of that day
        return dataclasses.replace(found, failure=words), ()
    return found, words


def slow_files(ctx: CheckContext) -> SlowFiles:
    """The time budget of slow attachments, shared by this check run's files."""
    budget: dict[str, SlowFiles] = ctx.cache("slow files")
    return budget.setdefault("budget", SlowFiles())


# A file's text of up to 32M characters is scanned in well under this (4M characters of prose with figures: 0.44 s);
# digits made to look like numbers everywhere (a 32 KB workbook of "1<tab>" runs) took 92 s and 1.5 GB, once per
# changed byte.
SCAN_SECONDS = 20.0


class _ScanTooSlow(BaseException):
    """Not an Exception: the scans catch ValueError (a date that does not exist), which swallowed a TooSlow."""


def scan(extraction: Extraction, today: dt.date, slow: SlowFiles | None = None) -> Scanned:
    """What the scans find in a file's text: GK307 for a text they cannot finish in `SCAN_SECONDS` (or in what is left
    to each file once this run's `slow` files have spent their budget)."""
    from ..rendering import deadline

    slow = slow or SlowFiles()
    seconds, started = slow.allowed(SCAN_SECONDS), time.monotonic()
    try:
        with deadline(seconds, _ScanTooSlow):
            return _scan(extraction, today)
    except _ScanTooSlow:
        why = "数字过多，" + slow.reason(seconds)
        return Scanned(unread=extraction.unread, failure=f" 的文字扫描超过 {seconds:g} 秒仍未完成（{why}）")
    finally:
        slow.took(time.monotonic() - started)


def _words_in_time(extraction: Extraction, matcher: Matcher, day: dt.date, slow: SlowFiles) -> tuple[Worded, ...] | str:
    """`find_words` within a file's time as the other scans have it; past it, why it did not finish (GK307)."""
    from ..rendering import deadline

    seconds, started = slow.allowed(SCAN_SECONDS), time.monotonic()
    try:
        with deadline(seconds, _ScanTooSlow):
            return find_words(extraction, matcher, day)
    except _ScanTooSlow:
        return f" 的文字查找错敏用语超过 {seconds:g} 秒仍未完成（{slow.reason(seconds)}）"
    finally:
        slow.took(time.monotonic() - started)


def _scan(extraction: Extraction, today: dt.date) -> Scanned:
    personal: list[Personal] = []
    marks: list[Marked] = []
    named: set[tuple[str, str]] = set()  # (place, what was found there), so a reading as displayed repeats nothing
    for segment in extraction.segments:
        personal.extend(islice((item for item in _personal(segment, today) if _new(named, item.where, item.finding.number)),
                               FINDINGS + 1))
        marks.extend(islice((Marked(segment.locate(offset), rule, mark) for rule, offset, mark in marks_in(segment.text)
                             if _new(named, segment.locate(offset), mark)), FINDINGS + 1))
        if len(personal) + len(marks) > FINDINGS:
            break
    else:
        found = {item.finding.number for item in personal}
        marked = {item.mark for item in marks}
        for row in _rows(extraction.segments):
            personal.extend(islice((item for item in _personal(row, today, ACROSS) if item.finding.number not in found),
                                   FINDINGS + 1))
            # a mark split across a row's cells (机 | 密★1年): a table without borders draws it as one line
            marks.extend(islice((Marked(row.locate(offset), rule, mark) for rule, offset, mark in marks_in(row.text)
                                 if mark not in marked), FINDINGS + 1))
            if len(personal) + len(marks) > FINDINGS:
                break
    crowded = len(personal) + len(marks) > FINDINGS
    return Scanned(tuple(personal[:FINDINGS]), tuple(marks[:FINDINGS - min(len(personal), FINDINGS)]), extraction.unread,
                   extraction.failure, extraction.located, crowded, extraction.formulas, extraction.remote,
                   extraction.scripts)


def _new(named: set[tuple[str, str]], where: str, what: str) -> bool:
    """Whether to name `what` at `where`: not when a reading as displayed (`AS_SHOWN`) finds what its place's stored
    reading found."""
    if where.endswith(AS_SHOWN):
        return (where[:where.rindex("（")], what) not in named
    named.add((where, what))
    return True


# Read across a row's cells only for the 18-digit 身份证号, whose check character and birth date tell it from a row of
# figures (any three columns of counts would read as a phone number).
ACROSS = frozenset((pii.ID18,))


def _personal(segment: Segment, today: dt.date, kinds: frozenset[str] | None = None) -> Iterator[Personal]:
    for finding in pii.find(segment.text, today):
        if kinds is not None and finding.kind not in kinds:
            continue
        start = max(0, finding.start - CONTEXT)
        context = segment.text[start:finding.end + CONTEXT]
        moved = pii.Finding(finding.kind, finding.start - start, finding.end - start, finding.text, finding.number)
        yield Personal(segment.locate(finding.start), moved, context)


def _rows(segments: tuple[Segment, ...]) -> Iterator[Segment]:
    """Each row read as one line: a sheet's or a CSV's rows (cells apart by tabs), and a Word table's row (its
    cells' paragraphs are segments of the same place, one after another); and each row read on into the next, as a
    page's table is (a number split at a row's end, or in a cell of two lines)."""
    index = 0
    table: list[tuple[str, list[str]]] = []  # the rows of the Word table being read: (where, cells' paragraphs)
    table_name = ""
    while index < len(segments):
        segment = segments[index]
        if "\t" in segment.text:
            yield Segment(segment.where, segment.text.replace("\t", " "))
        if "\t" in segment.text or _LINES_ARE_ROWS.search(segment.where):
            yield from _read_on(segment)
        last = index
        while last + 1 < len(segments) and segments[last + 1].where == segment.where and "{line}" not in segment.where:
            last += 1
        if last > index:
            yield Segment(segment.where, " ".join(part.text for part in segments[index:last + 1]))
        in_table = _WORD_TABLE_ROW.match(segment.where)
        name = in_table[1] if in_table else ""
        if table and name != table_name:
            yield from _table_read_on(table)
            table = []
        if name:
            table.append((segment.where, [part.text for part in segments[index:last + 1]]))
            table_name = name
        index = last + 1
    yield from _table_read_on(table)


# A Word table's row: "正文第 1 个表格第 3 行" (the table, then the row).
_WORD_TABLE_ROW = re.compile(r"(.*表格)第 \d+ 行$")


def _table_read_on(table: list[tuple[str, list[str]]]) -> Iterator[Segment]:
    """Where a Word table's row reads on into the next: each break, at its upper row."""
    for index, text in rows_read_on(cells for _, cells in table):
        yield Segment(table[index][0], text)


# Lines that are a table's rows though no tab parts their cells: a sheet's or a CSV's rows of one column, a text file's
# lines; not a PDF's or an OFD's lines of a page (their cells are apart by spaces, a table of counts reads as digits).
_LINES_ARE_ROWS = re.compile(r"(?<!页)第 \{line\} 行")


def _read_on(segment: Segment) -> Iterator[Segment]:
    """Where a table's row (a line of `segment`, cells apart by tabs) reads on into the next: each break, at its upper
    row."""
    lines = segment.text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    for index, text in rows_read_on(line.split("\t") for line in lines):
        yield Segment(segment.locate(starts[index]), text)


def find_words(extraction: Extraction, matcher: Matcher, day: dt.date) -> tuple[Worded, ...]:
    """The lexicon's findings in the text readers see of each part, as of `day`."""
    found = []
    for segment in extraction.segments:
        for window in windows(segment.text):  # what reading a long text holds per character is bounded by a window's
            for seen, hit in matcher.find_seen(window.text, day):
                offset = seen.source_offset(hit.start)
                if not window.owns(offset):
                    continue
                start = max(0, hit.start - CONTEXT)
                moved = dataclasses.replace(hit, start=hit.start - start, end=hit.end - start)
                found.append(Worded(segment.locate(window.start + offset), moved, seen.text[start:hit.end + CONTEXT]))
                if len(found) > FINDINGS:  # one more than are named: the file is crowded (Attached.crowded)
                    return tuple(found)
    return tuple(found)
