"""Every text the site shows, for the privacy and secrecy families: what to scan and where it is.

Items (body and front matter), authored pages (body, front matter and file name: the page's address),
the annual-report files (every string; the three texts are rendered like a body), the catalog (every
name), every value of mkdocs.yml, and the templates and stylesheets of the theme folder (their
text is on every page, and nobody signs them as they sign content). A Markdown body is scanned twice:
as written, with file positions, and as readers see it once rendered (`reader_text.visible`), because
markup, comments and character references can split or disguise a number or a mark in the source; a
template likewise without its Jinja, a stylesheet with its escapes decoded. A finding in the rendered
text that the source scan did not already report is placed at the source line that holds its digits
or characters.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from ..consultations import state
from ..fields import WORDS
from ..fields import label as field_label
from ..loading import SourceDocument, read_yaml_file, yaml_document
from ..model import Item
from ..periods import parse_period
from ..problems import Problem
from ..reader_text import (
    PUNYCODE,
    ReaderText,
    css_generated,
    css_pictures,
    css_shown,
    fold_mapped,
    shown_address,
    template_html,
    template_source,
    visible,
)
from ..rendering import deadline
from ..report.inputs import TEXTS
from ..report.validation import load_inputs, report_day, report_files, year_of
from ..rules import ERROR, MARKUP, PRIVACY, Rule
from ..site_config import CONFIG_FILE, PLUGIN
from ..text_lines import line_offset, position
from . import theme as theme_files
from .base import CheckContext, front_matter_strings

RENDERED = "（网页上显示的文字）"
PAGE_NAME = "页面文件名（即网页地址，请改名）"
# Ids come from the Markdown (a heading's is its text without the Chinese: `## 电话139甲1234乙5678` → 13912345678)
# and show in the address bar when the table of contents or a footnote is clicked.
ANCHORS = "（标题、脚注生成的网址锚点 #id：锚点由标题文字去掉汉字后生成，请改写该标题或删除 id）"


@dataclass(frozen=True)
class Hit:
    """One finding of a family's detector in one string."""

    rule: Rule
    start: int  # offset in the scanned string
    key: str  # what was found, the same however it was written: the digits, the mark's word
    message: str  # Chinese, names what was found (masked), without where


@dataclass(frozen=True)
class Text:
    """A string the site shows, and how to turn an offset in it into a file position."""

    path: str  # project-relative file
    label: str  # how a message names it: "正文", "标题（title）", "年度报告的 overview"
    text: str
    document: SourceDocument | None
    key: tuple | None = None  # where the value sits in the YAML; None for a Markdown body
    body_line: int = 1  # first line of a Markdown body
    markdown: bool = False  # rendered as Markdown on the site
    shown: ReaderText | None = None  # what readers see of it, when that is not its text or its Markdown rendered
    members: bool = False  # what only the members' site shows (its notice says 请勿外传): no 内部 mark is a finding
    entries: tuple[tuple, ...] = ()  # a list's entries, one a line of `text`: where each of its values is in the YAML
    day: dt.date | None = None  # the date the text speaks of, when not the check's day (an annual report's: `report_day`)
    # Texts a template prints joined (`shown`), each read on its own as a text of its own: only what is found across
    # them is this text's (`joined_text`).
    parts: tuple[str, ...] = ()

    def position(self, offset: int, needle: str) -> tuple[int, int]:
        return self.placer()(offset, needle)

    def placer(self) -> Callable[[int, str], tuple[int, int]]:
        """Places this text's findings in its file, (offset, needle) → (line, col), each in turn in the order found."""
        if self.entries and self.document is not None:
            document, starts = self.document, [0, *(found.end() for found in re.finditer("\n", self.text))]
            cursors: dict[int, ValueCursor] = {}

            def in_entry(offset: int, needle: str) -> tuple[int, int]:
                index = bisect.bisect_right(starts, offset) - 1
                if index not in cursors:
                    cursors[index] = ValueCursor(document, self.entries[index])
                return cursors[index].at(offset - starts[index], needle)
            return in_entry
        if self.key is None:
            def in_body(offset: int, needle: str) -> tuple[int, int]:
                line, col = position(self.text, offset)
                return self.body_line + line - 1, col
            return in_body
        if self.document is None:
            return lambda offset, needle: (1, 1)
        return ValueCursor(self.document, self.key).at


Finder = Callable[[str], Iterable[Hit]]
_Found = tuple[Hit, str, int, int]  # a finding, where it was read ("正文（网页上显示的文字）"), its line and column
Describe = Callable[[Hit, str], str]  # a finding's message from its hit and where it was read ("正文", "标题（title）")

# Findings one text reports; past them, one GK314 (a body listing 400,000 mobile numbers took 17.6 s and 946 MB to
# report them all, and an editor can only replace such a text, as such an attachment: GK313).
FINDINGS = 1_000
CROWDED_TEXT = PRIVACY.rule(
    "GK314", ERROR,
    f"一段文字（正文、字段或页面）中查出的个人信息、密级标志或错敏用语超过 {FINDINGS} 处",
    "这样的文字不能公开：请删除或打码个人信息（身份证号、手机号、银行卡号的中间位用 * 代替），删除密级标志，改正用语；"
    "只列出了前面的问题，改完后再检查",
)


# A file's texts (an item's body and front matter, a page, a template …) are read by three families (privacy, secrecy,
# wording), each through every view of each text, within this: 4.5 MB of the sample site's notices, numbers and all,
# in 8 s on a busy machine (a notice of 1,400 characters in milliseconds). A body made to be slow is linear still, but
# 4 MB of 电话139一1234①5678\u200fא 1-2 3 took 28 s a check, and three hundred of them would outlast a CI job (and every
# takedown waiting behind it).
SCAN_SECONDS = 20.0
# Texts shorter than this are read in milliseconds: their time is counted against their file's, without a deadline
# of their own (setting one costs 10 µs, and a large site's check reads millions of short values).
TIMED_CHARS = 4_096
SCAN_TOO_SLOW = MARKUP.rule(
    "GK548", ERROR,
    "文件中的文字（正文、元数据）在时间上限内未能扫描完个人信息、密级标志和错敏用语",
    "文字中可能有大段重复的号码、符号或从别处粘贴的异常内容（常见于误粘贴或有意构造的内容）：请删除重复的内容，"
    "或把很长的正文拆分成几个条目后再检查；没有扫描完的文字不能发布",
)


class _ScanTooSlow(BaseException):
    """Not an Exception: the scans catch ValueError (a date that does not exist), which would swallow it."""


class _BodyUnfinished(_ScanTooSlow):
    """The body's view was abandoned unfinished by another file of the same body (`BodyViews.abandon`): read as no
    text, it would let this file pass, and be kept as clean, without its rendered text ever scanned."""


class SlowTexts:
    """What the scans of each file's texts have cost a check run, and the files they did not finish. Each file has
    SCAN_SECONDS in all; once files have taken `BUDGET_SECONDS` past `NORMAL_SECONDS` each, every later one has
    `LATE_SECONDS` (as the attachments' `SlowFiles`): a check that already fails does not wait the full time for each."""

    NORMAL_SECONDS = 2.0
    BUDGET_SECONDS = 60.0
    LATE_SECONDS = 2.0

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}  # path → seconds its texts' scans took
        self.over = 0.0  # seconds past NORMAL_SECONDS, summed over the files
        self.unfinished: dict[str, Problem] = {}  # path → its GK548

    def allowed(self) -> float:
        return SCAN_SECONDS if self.over < self.BUDGET_SECONDS else min(SCAN_SECONDS, self.LATE_SECONDS)

    def took(self, path: str, seconds: float) -> None:
        before = self.spent.get(path, 0.0)
        self.spent[path] = before + seconds
        self.over += max(0.0, before + seconds - self.NORMAL_SECONDS) - max(0.0, before - self.NORMAL_SECONDS)

    def stop(self, path: str, allowed: float, spent: float, shared: bool = False) -> Problem:
        """GK548 for `path`, whose texts took `spent` seconds of their `allowed` and were stopped (`shared`: its body is
        one another file's scans did not finish), kept for every later text of it."""
        if shared:
            said = "文件的正文与本次检查中另一个没有在时间上限内扫描完的文件相同，没有再次扫描"
        else:
            if allowed >= SCAN_SECONDS:
                why = f"每个文件限 {allowed:g} 秒，文件可能是为耗尽时间而构造的"
            else:
                why = (f"此前扫描缓慢的文件已用完 {self.BUDGET_SECONDS:g} 秒的时间预算，之后每个文件只有 "
                       f"{self.LATE_SECONDS:g} 秒")
            said = f"文件中的文字（正文、元数据）扫描个人信息、密级标志和错敏用语用时 {round(spent, 1):g} 秒仍未完成（{why}）"
        problem = self.unfinished[path] = SCAN_TOO_SLOW.at(path, 1, f"{said}，没有检查完：{SCAN_TOO_SLOW.fix}")
        return problem


def slow_texts(ctx: CheckContext) -> SlowTexts:
    """The time the scans of this check run's files share."""
    clocks: dict[str, SlowTexts] = ctx.cache("slow texts")
    return clocks.setdefault("clock", SlowTexts())


def scan(ctx: CheckContext, text: Text, finder: Finder, describe: Describe, across: Finder | None = None) -> Iterator[Problem]:
    """A problem for each finding in `text`, source first, then what only readers see, at most FINDINGS and then one
    GK314; `across` also reads each table row's cells and each list's items as one line (for what no table of figures
    forms). GK548 instead, for every text of its file, once its file's texts have taken their time (`SlowTexts`)."""
    found = _in_time(ctx, text, lambda: list(islice(_findings(ctx, text, finder, across), FINDINGS + 1)))
    if isinstance(found, Problem):
        yield found
        return
    for count, (hit, where, line, col) in enumerate(found):
        if count == FINDINGS:
            yield CROWDED_TEXT.at(text.path, line, f"{text.label}中查出的{hit.rule.family.title}超过 {FINDINGS} 处，"
                                                   f"只列出了前 {FINDINGS} 处：{CROWDED_TEXT.fix}", col)
            return
        yield hit.rule.at(text.path, line, describe(hit, where), col)


def cut_short(problem: Problem) -> bool:
    """Whether `problem` says a text was not read to its end (an allowance may be for what is there)."""
    return problem.code in (CROWDED_TEXT.code, SCAN_TOO_SLOW.code)


def _in_time(ctx: CheckContext, text: Text, work: Callable[[], list[_Found]]) -> list[_Found] | Problem:
    """`work()`, the scan of `text`, within what is left of its file's time; its file's GK548 once that has run out.
    A body's view is read within that time too (the first family to scan it renders it): one not finished is never
    read again this run (`BodyViews.abandon`), and no view of it is kept."""
    clock = slow_texts(ctx)
    stopped = clock.unfinished.get(text.path)
    if stopped is not None:
        return stopped
    views = ctx.views() if text.markdown else None  # made once a run (a Markdown instance), on no file's time
    allowed = clock.allowed()
    seconds = allowed - clock.spent.get(text.path, 0.0)
    started = time.monotonic()
    try:
        if seconds <= 0:
            raise _ScanTooSlow
        if not text.markdown and (text.shown is None or text.parts) and len(text.text) + sum(map(len, text.parts)) < TIMED_CHARS:
            return work()
        with deadline(seconds, _ScanTooSlow):
            return work()
    except _ScanTooSlow as stopped:
        if views is not None:
            views.abandon(text.text)
        spent = clock.spent.get(text.path, 0.0) + time.monotonic() - started
        return clock.stop(text.path, allowed, spent, shared=isinstance(stopped, _BodyUnfinished))
    finally:
        clock.took(text.path, time.monotonic() - started)
        if views is not None:
            views.flush_due()


def _findings(ctx: CheckContext, text: Text, finder: Finder, across: Finder | None) -> Iterator[_Found]:
    """(hit, where, line, col) of every finding in `text`, in the order `scan` reports them."""
    seen: Counter[tuple[str, str]] = Counter()
    reported_at: Counter[tuple[str, str, int, int]] = Counter()  # what the source scan reported, by line and column
    if text.parts:  # read and reported as texts of their own: only what the joined text holds besides is this one's
        if text.shown is None or next(iter(finder(text.shown.text)), None) is None:
            return  # nearly every joined text: nothing found, the parts need no reading
        for part, times in Counter(text.parts).items():
            for hit in finder(part):
                seen[(hit.rule.code, hit.key)] += times
    place = text.placer()
    for hit in finder(text.text):
        seen[(hit.rule.code, hit.key)] += 1
        line, col = place(hit.start, text.text[hit.start:hit.start + 8])
        reported_at[(hit.rule.code, hit.key, line, col)] += 1
        yield hit, _before_han(text.label), line, col
    if text.shown is not None:
        rendered = text.shown
    elif text.markdown:
        view = ctx.views().of(text.text)
        if view.unfinished:
            raise _BodyUnfinished
        rendered = view.reader
    elif _UNSPACED.search(text.text) or _PERCENT_ESCAPE.search(text.text) or PUNYCODE.search(text.text):
        # A value a page shows: HTML makes each run of white space one space, and an address (site_url, a footer's
        # link, a field printed as a link) is shown and followed with its %-escapes decoded, as a body's links are read.
        spaced = _WHITE_SPACE.sub(" ", text.text)
        decoded = shown_address(spaced)
        rendered = ReaderText((spaced,), extra=(decoded,) if decoded != spaced else ())
    else:
        return
    # Units never run into each other: no scan reads across a line break. The extra texts (alt and title texts,
    # lines joined across a <br>, reversed runs) and the units with their pictures unloaded (alt texts in their place)
    # report only what neither the source nor the rendered text did.
    found_before = seen.copy()
    place = text.placer()  # the rendered text's findings are placed in an order of their own
    locator = _Locator(text.text)
    joined = "\n".join(rendered.joined) if across is not None and rendered.joined else None
    passes = [(rendered.text, finder, RENDERED), ("\n".join(rendered.extra), finder, RENDERED)]
    # A unit's lines run together, as a screen reader names them (正文1<br>3912345678 is one number to it, while the
    # lines joined by a blank, in `extra`, read 1 3912345678): a pass of its own, so that a number found whole on one
    # of its lines, or across them, is not found once more here.
    together = [unit.replace("\n", "") for unit in rendered.units if "\n" in unit]
    if together:
        passes.append(("\n".join(together), finder, RENDERED))
    if rendered.unloaded:
        passes.append(("\n".join(rendered.unloaded), finder, RENDERED))
    if joined is not None and across is not None:
        passes.append((joined, across, RENDERED))
    if rendered.anchors:
        passes.append(("\n".join(rendered.anchors), finder, ANCHORS))
    for index, (unit, find, shown) in enumerate(passes):
        if not index:
            placed = _placed(find(unit), locator, place, seen, reported_at)
            found_before |= Counter((entry.hit.rule.code, entry.hit.key) for entry in placed)
            yield from ((entry.hit, text.label + shown, entry.line, entry.col) for entry in placed if entry.line)
            continue
        seen = found_before.copy()
        found_here: Counter[tuple[str, str]] = Counter()
        for hit in find(unit):
            found_here[(hit.rule.code, hit.key)] += 1
            if unit is joined and found_here[(hit.rule.code, hit.key)] > 1:
                continue  # a row is read alone and with each of its neighbours: one number, found up to three times
            if seen[(hit.rule.code, hit.key)]:
                seen[(hit.rule.code, hit.key)] -= 1
                continue
            offset = locator.find(hit.key)
            line, col = place(offset if offset is not None else 0, "")
            yield hit, text.label + shown, line, col
        found_before |= found_here


@dataclass
class _Placed:
    hit: Hit
    line: int  # 0: the source scan reported it already
    col: int
    located: bool  # its characters were found in the source


def _placed(hits: Iterable[Hit], locator: _Locator, place: Callable[[int, str], tuple[int, int]],
            seen: Counter[tuple[str, str]], reported_at: Counter[tuple[str, str, int, int]]) -> list[_Placed]:
    """The rendered text's findings in order, each with its place in the source, line 0 for those the source scan
    already reported: as many of each as that scan found, preferably those placed where it reported one (a number
    written plainly on one line and split by markup on another was reported twice, both times on the first line).
    No more are read than `scan` can report (a body of 400,000 numbers split by markup)."""
    placed = []
    for hit in islice(hits, sum(seen.values()) + FINDINGS + 1):
        offset = locator.find(hit.key)
        line, col = place(offset if offset is not None else 0, "")
        placed.append(_Placed(hit, line, col, offset is not None))
    by_key: dict[tuple[str, str], list[_Placed]] = {}
    for entry in placed:
        by_key.setdefault((entry.hit.rule.code, entry.hit.key), []).append(entry)
    for found, entries in by_key.items():
        known = seen[found]
        for entry in entries:  # first the ones placed where the source scan reported this finding
            if known and entry.located and reported_at[spot := (*found, entry.line, entry.col)]:
                reported_at[spot] -= 1
                entry.line, known = 0, known - 1
        for entry in entries:  # then, as before, the first ones found
            if known and entry.line:
                entry.line, known = 0, known - 1
    return placed


_HAN = re.compile(r"[\u3400-\u9fff]")
# White space other than a space, which the scans take for the end of a line; and HTML's white space.
_UNSPACED = re.compile(r"[\t\n\r\f]")
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")


def _before_han(label: str) -> str:
    """`label` ready to run into Chinese text: "overview" + "中" reads as "overview 中"."""
    return f"{label} " if label[-1:].isascii() and label[-1:].isalnum() else label


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


class _Locator:
    """Finds in one Markdown source where the characters of each key a finding read begin (`find`)."""

    def __init__(self, source: str) -> None:
        self.source = source
        # the digits (or Chinese characters) readers read, outside comments, and where each stands in the source:
        # made once a source, not once a finding (3,000 numbers split by markup in a 60 KB body took 44 s)
        self._kept: dict[bool, tuple[str, list[int]]] = {}
        self._resume: dict[bool, int] = {}  # where in the kept characters the next key is looked for first

    def find(self, key: str) -> int | None:
        """Offset in the source where the characters of `key` begin when everything else (markup, spaces,
        comments and the words inside them) is left out, else where its first half or first characters do;
        None if they are not there in order. Keys are looked for on from the one found before (the findings
        of one text come in order), then from the start."""
        digits = key.isdigit()
        joined, origins = self.kept(digits)
        after = self._resume.get(digits, 0)
        starts = (after, 0) if after else (0,)
        for length in (len(key), len(key) // 2, min(3, len(key))):  # what readers read past (struck text) splits the key
            for start in starts if length else ():
                found = joined.find(key[:length], start)
                if found >= 0:
                    self._resume[digits] = found + 1
                    return origins[found]
        return None

    def kept(self, digits: bool) -> tuple[str, list[int]]:
        if digits not in self._kept:
            folded, origins = fold_mapped(self.source)
            hidden: set[int] = set()
            for comment in _COMMENT.finditer(folded) if "<!--" in folded else ():
                hidden.update(range(*comment.span()))
            wanted = str.isdigit if digits else (lambda ch: bool(_HAN.match(ch)))
            kept = [(ch, origin) for index, (ch, origin) in enumerate(zip(folded, origins, strict=True))
                    if wanted(ch) and index not in hidden]
            self._kept[digits] = ("".join(ch for ch, _ in kept), [origin for _, origin in kept])
        return self._kept[digits]


# A value's characters stand in the file no earlier than they stand in the value (quotes, escapes and folded lines only
# add characters to the source), so `needle`, found at `offset` in the value, is looked for from there on, within
# this many characters: every finding of a summary with 100,000 mobile numbers searched it from its start (minutes).
_SEARCHED = 4096


class ValueCursor:
    """Places the needles found in one YAML value (front matter or a whole-YAML file) in its file, in turn."""

    def __init__(self, document: SourceDocument, key: tuple) -> None:
        self.document, self.key = document, key
        self.line, self.col = document.value_line(*key), document.value_col(*key)
        # (offset in the value, offset in the file) of the last needle found: the next one, further on in the
        # value, lies at least as far on in the file
        self._last = (0, 0)

    def at(self, offset: int, needle: str) -> tuple[int, int]:
        """Where `needle`, at `offset` in the value, stands in the file; the value's start when it is not found
        near where it must be (written with escapes)."""
        text = self.document.text
        if not needle:
            return self.line, self.col
        start = line_offset(text, self.line) + self.col - 1 + offset
        last_offset, last_found = self._last
        if offset >= last_offset:
            start = max(start, last_found + offset - last_offset)
        found = text.find(needle, start, start + _SEARCHED + len(needle))
        if found < 0:
            return self.line, self.col
        found_line, found_col = position(text, found)
        if 1 < self.document.body_line <= found_line + 1:  # past the front matter (its closing line included)
            return self.line, self.col
        self._last = (offset, found)
        return found_line, found_col


def value_position(document: SourceDocument, key: tuple, needle: str, offset: int = 0) -> tuple[int, int]:
    """Where `needle`, at `offset` in the YAML value at `key`, stands in the file (one needle; `ValueCursor` for many)."""
    return ValueCursor(document, key).at(offset, needle)


def item_texts(ctx: CheckContext, item: Item, document: SourceDocument) -> Iterator[Text]:
    """An item's body and the content strings of its front matter (not `review`, not `pii_allow`)."""
    yield Text(document.path, "正文", item.body, document, body_line=item.body_line, markdown=True)
    strings = ctx.strings(document).items
    content = {key: value for key, value in document.meta.items() if key not in ("review", "pii_allow", "lexicon_allow")}
    lists = {**_string_lists(strings), **dict(_named_lists(content, _TITLE))}  # the attachments' titles, listed in turn
    for path, value in strings:
        if path[:-1] not in lists and not (path[-1:] == (_TITLE,) and path[:-2] in lists):
            yield Text(document.path, field_label(*path), value, document, key=path)
        if path[-1:] == (_FILE,) and (parts := _name_parts(value)) != value:
            yield Text(document.path, field_label(*path), parts, document, key=path)
    for path, (texts, entries) in lists.items():
        yield _list_text(document.path, field_label(*path), texts, document, path, entries)
    for path, value in _yaml_numbers(document.meta, skip=("review", "pii_allow")):
        yield Text(document.path, field_label(*path), value, document, key=path)
    yield from item_joins(ctx, item, document)


def item_joins(ctx: CheckContext, item: Item, document: SourceDocument) -> Iterator[Text]:
    """An item's title where the site prints it beside other texts: the title bar, and each listing's line (one text:
    a scan each for three families and every item)."""
    if not item.title or item.published is None or item.department is None:
        return
    name = site_name(ctx)[:_SITE_NAME_READ]
    badge = " 已撤回" if item.withdrawn is not None else "" if item.validity == "有效" else f" 已{item.validity}"
    if item.consultation and item.withdrawn is None:
        badge += f" {state(item.consultation, ctx.today).label}"
    day, department = item.published.isoformat(), item.department.name
    shown = [f"{item.title}{badge} {day} {department}"]
    parts = [item.title, day, department]
    if name:
        shown.append(f"{item.title} - {name}")
        parts += [item.title, name]
    yield joined_text(document.path, field_label("title") + (_JOINED_TITLE if name else _LISTING_LINE), tuple(parts),
                      "\n".join(shown), document, ("title",))
    catalog = ctx.project.catalog
    series = catalog.series_named(item.series) if catalog is not None and item.series else None
    if series is not None and item.period:  # the item's page: 定期公开 <series>（<period>）
        period = parse_period(item.period, series.every)
        label = f"（{period.label if period else item.period}）"
        yield joined_text(document.path, field_label("series") + _SERIES_LINE, (series.name, label), series.name + label,
                          document, ("series",))


# Where a template prints two texts side by side, a number or a mark split between them is read where they meet: the
# browser's title bar (a page's title, then “ - ” and mkdocs.yml's site_name), a listing's line (an item's title, the
# date and its department), a column's feed (the agency's name, a blank and the column's), an annual report's title
# (the agency's name straight before the year), a series item's row (the series, its period in brackets) and the
# footer's lines. Each text is read alone as well; of the site's name, which every title bar prints, only its start (a
# number or a mark across the join is short).
_SITE_NAME_READ = 256
_TITLE_BAR = "（网页标题栏中与网站名称 site_name 连在一起显示）"
_LISTING_LINE = "（信息列表中与发布日期、发布机构连在一起显示）"
_FEED_TITLE = "（栏目订阅源的标题中与机构名称连在一起显示）"
_SERIES_LINE = "（信息页面中与期别连在一起显示）"
_REPORT_TITLE = "（年度报告的标题中与年份连在一起显示）"
_JOINED_TITLE = "（信息列表中与发布日期、发布机构，网页标题栏中与网站名称 site_name 连在一起显示）"


def joined_text(path: str, label: str, parts: tuple[str, ...], shown: str, document: SourceDocument | None,
                key: tuple) -> Text:
    """`parts` as a template prints them, `shown`: what is found in it beyond what each part holds alone, at `key`."""
    lines = tuple(_WHITE_SPACE.sub(" ", line) for line in shown.split("\n"))
    # each part as the page shows it, its white space one space (a title's 139\t1234\t5678 is its own finding)
    alone = tuple(_WHITE_SPACE.sub(" ", part) for part in parts)
    return Text(path, label, "", document, key=key, shown=ReaderText(lines), parts=alone)


def site_name(ctx: CheckContext) -> str:
    """mkdocs.yml's site_name as every page's title bar prints it ("" when unknown); read once a run."""
    cache = ctx.cache("site name")
    if "name" not in cache:
        source = ctx.settings.config_source if ctx.settings is not None else None
        data = yaml_document(source, CONFIG_FILE)[0] if source is not None else None
        if not isinstance(data, dict):
            data = _as_mkdocs_reads(source)
        name = data.get("site_name") if isinstance(data, dict) else None
        cache["name"] = "" if name is None else str(name)
    return cache["name"]


def title_bar(ctx: CheckContext, path: str, label: str, title: str, document: SourceDocument | None, key: tuple) -> Iterator[Text]:
    """A page's title as the browser's title bar shows it, `title - site_name`."""
    name = site_name(ctx)[:_SITE_NAME_READ]
    if title and name:
        yield joined_text(path, label + _TITLE_BAR, (title, name), f"{title} - {name}", document, key)


def published_texts(ctx: CheckContext) -> Iterator[Text]:
    """Authored pages, the annual-report files and the catalog."""
    project = ctx.project
    for page in project.pages:
        document = page.document
        # The file's name is the page's address, in every page's navigation and in the sitemap.
        yield Text(page.path, PAGE_NAME, page.slug, None, key=())
        yield Text(page.path, "页面正文", page.body, document, body_line=page.body_line, markdown=True)
        if document is not None:
            # A title written as a number (title: 13912345678) is shown as its text in every page's navigation.
            for path, value in [*front_matter_strings(document.meta, skip=()), *_yaml_numbers(document.meta, skip=("order",))]:
                yield Text(page.path, f"页面元数据 {_dotted(path)}", value, document, key=path)
        yield from title_bar(ctx, page.path, "页面标题", page.title, document, ("title",))
    yield from report_texts(ctx)
    yield from catalog_texts(ctx)
    yield from site_config_texts(ctx)
    yield from theme_texts(ctx)


def report_texts(ctx: CheckContext) -> Iterator[Text]:
    """Every string and number of the annual-report files."""
    project = ctx.project
    # The reports as the build publishes them: read once a build (load_inputs), not again here — a file edited
    # between the two readings was scanned as one version and published as another. A file no report is made of
    # (its name is no year, it has errors) is read here for its findings alone: nothing of it is published.
    judged = {report.path: report.document for report in load_inputs(project, ctx.today)[0].values()}
    for file in report_files(project):
        rel = project.rel(file)
        document = judged.get(rel)
        if document is None:
            data, document, _ = read_yaml_file(file, rel, project.limits.item_bytes)
        else:
            data = document.meta
        if document is not None and data is not None:
            day = report_day(year_of(file), ctx.today)
            for path, value in [*_yaml_strings(data), *_yaml_numbers(data)]:
                yield Text(rel, f"年度报告数据 {_dotted(path)}", value, document, key=path, markdown=bool(path) and path[0] in TEXTS,
                           day=day)


def catalog_texts(ctx: CheckContext) -> Iterator[Text]:
    """Every name of the catalog (the agency's, its departments', its columns'), and every other value of it; the names
    of a list of departments or columns also one after another, as the navigation and the listings show them."""
    document = ctx.project.catalog_document
    if document is None:
        return
    lists = dict(_named_lists(document.meta, _NAME))
    listed = {key for _, keys in lists.values() for key in keys}  # a name a list reads (not one written as a float)
    for path, value in [*_yaml_strings(document.meta), *_yaml_numbers(document.meta)]:
        if path not in listed:
            yield Text(document.path, f"目录配置 {_dotted(path)}", value, document, key=path)
    for path, (names, entries) in lists.items():
        yield _list_text(document.path, f"目录配置 {_dotted(path)}", names, document, path, entries)
    yield from _catalog_joins(ctx, document)


def _catalog_joins(ctx: CheckContext, document: SourceDocument) -> Iterator[Text]:
    """The names the site prints beside others: each department's, group's, column's and series' page in the title
    bar, each column's feed titled with the agency's name before the column's, each annual report titled with the
    agency's name before its year."""
    data = document.meta

    def entries(*key: Any) -> range:
        found = _get_path(data, key)
        return range(len(found) if isinstance(found, list) else 0)

    def name_at(key: tuple) -> str:
        value = _get_path(data, key)
        return "" if value is None or isinstance(value, dict | list) else str(value)

    keys: list[tuple] = [("departments", index, "name") for index in entries("departments")]
    keys += [("series", index, "name") for index in entries("series")]
    columns: list[tuple] = []
    for group in entries("categories"):
        keys.append(("categories", group, "name"))
        columns += [("categories", group, "children", child, "name") for child in entries("categories", group, "children")]
    org = name_at(("org", "name"))
    for key in keys + columns:
        yield from title_bar(ctx, document.path, f"目录配置 {_dotted(key)}", name_at(key), document, key)
    for key in columns:
        if org and (name := name_at(key)):
            yield joined_text(document.path, f"目录配置 {_dotted(key)}{_FEED_TITLE}", (org, name), f"{org} {name}",
                              document, key)
    if org:  # each annual report is titled with the agency's name straight before its year: 测试局1391234 + 2023年…
        from ..report.build import available_years
        from ..report.model import TITLE_SUFFIX

        for year in available_years(ctx.project):
            title = f"{year}年{TITLE_SUFFIX}"
            yield joined_text(document.path, f"目录配置 org.name{_REPORT_TITLE}", (org, title), org + title, document,
                              ("org", "name"))


def _get_path(data: Any, key: tuple) -> Any:
    for part in key:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


_NAME, _TITLE, _FILE = "name", "title", "file"
_EXTENSION_DOT = re.compile(r"\.(?=[^./]*$)")


def _name_parts(path: str) -> str:
    """An attachment's path with each folder and its file's stem on a line of its own (as long as the path, so a
    finding's place in it holds): the saved file and the download bar show `机密.csv`, whose word stands alone."""
    return _EXTENSION_DOT.sub("\n", path).replace("/", "\n")


def _named_lists(data: Any, shown: str, path: tuple = ()) -> Iterator[tuple[tuple, tuple[tuple[str, ...], tuple[tuple, ...]]]]:
    """Each list of two or more mappings with a value of the key `shown` in the YAML `data`: its path, those values in
    order and their paths."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _named_lists(value, shown, path + (key,))
    elif isinstance(data, list):
        named = [(str(entry[shown]), (*path, index, shown)) for index, entry in enumerate(data)
                 if isinstance(entry, dict) and isinstance(entry.get(shown), str | int)]
        if len(named) > 1:
            yield path, (tuple(name for name, _ in named), tuple(key for _, key in named))
        for index, value in enumerate(data):
            yield from _named_lists(value, shown, path + (index,))


def _string_lists(values: Iterable[tuple[tuple, str]]) -> dict[tuple, tuple[tuple[str, ...], tuple[tuple, ...]]]:
    """The lists of two or more strings among `values` ((path, text) pairs of a front matter): by path, the strings in
    order and their paths."""
    found: dict[tuple, list[tuple[int, str]]] = {}
    for path, value in values:
        if len(path) > 1 and isinstance(path[-1], int):
            found.setdefault(path[:-1], []).append((path[-1], value))
    return {path: (tuple(text for _, text in sorted(entries)), tuple((*path, index) for index, _ in sorted(entries)))
            for path, entries in found.items() if len(entries) > 1}


def _list_text(file: str, label: str, texts: tuple[str, ...], document: SourceDocument, key: tuple,
               entries: tuple[tuple, ...]) -> Text:
    """A list's entries as a page shows them one after another (the keywords joined by “，”, channels or columns as the
    items of a list): each entry read alone as written, and across them as shown (a 身份证号 in three keywords)."""
    spaced = [_WHITE_SPACE.sub(" ", text) for text in texts]
    return Text(file, label, "\n".join(text.replace("\n", " ") for text in texts), document, key=key,
                shown=ReaderText((WORDS.text(spaced),), joined=(" ".join(spaced),)), entries=entries)


def report_tables(ctx: CheckContext) -> Iterator[Text]:
    """Each report's page as the site prints it, its tables' rows alone, to be read joined (a row of counts, 1101011 |
    990030700 | 38 | 0, reads as a 身份证号, as a body's table row would): `published_texts` gives the values one by
    one. Only the privacy scan reads rows joined, so only it asks for these."""
    from ..report.build import ReportError, assemble_report
    from ..report.html import render_html

    if ctx.project.catalog is None:
        return  # no report is made without the catalog (the agency's name): its problems are the catalog's
    inputs = load_inputs(ctx.project, ctx.today)[0]  # read once a check: the inputs `published_texts` read
    for year, entered in sorted(inputs.items()):
        try:
            html = render_html(assemble_report(ctx.project, inputs, year, ctx.today))
        except (ReportError, KeyError, ValueError, TypeError):
            continue  # an input with gaps makes no report: its problems are the report check's
        rows = visible(html).joined
        if rows:
            yield Text(entered.path, f"年度报告（{year} 年）网页的表格", "", entered.document, key=(),
                       shown=ReaderText((), joined=rows))


# mkdocs.yml is read whole, whatever the key: its values end up on every page (the site's name, the footer, the
# addresses of the site, its pages, its style sheets, logo and favicon, the Markdown extensions' texts written into
# bodies …), and a key the theme prints next year is read already. The members' site settings (party_site: its
# address and its notice, which may say 请勿外传) are on the members' site alone: no 内部 mark is a finding there
# (`Text.members`).
_PARTY_SITE = "party_site"


def site_config_texts(ctx: CheckContext) -> Iterator[Text]:
    """The strings of mkdocs.yml, with their lines; when the file holds YAML the project's reader refuses (MkDocs'
    own tags such as !ENV), the footer and the members' site settings as MkDocs read them, at line 1."""
    project = ctx.project
    file = project.root / CONFIG_FILE
    source = ctx.settings.config_source if ctx.settings is not None else None
    if source is not None:  # the bytes judged and loaded: the file may have changed since
        data, document, _ = yaml_document(source, CONFIG_FILE)
    else:
        data, document, _ = read_yaml_file(file, CONFIG_FILE, project.limits.item_bytes) if file.is_file() else (None, None, [])
    if document is None or not isinstance(data, dict):
        # A tag or an alias the project's reader refuses (MkDocs' !relative, !!binary, !!set, an anchor …) leaves the
        # file to MkDocs' reading: every value of it as MkDocs reads it, without lines, rather than none. Only bytes
        # the gate judged (their aliases' expansion bounded, none refers to itself): a walk of unjudged ones may not end.
        data = _as_mkdocs_reads(source)
    if not isinstance(data, dict):
        site = ctx.settings.site if ctx.settings is not None else None
        for group, attribute, only_members in (("footer", "footer", False), (_PARTY_SITE, "party", True)):
            values = getattr(site, attribute, None) if site is not None else None
            for name, value in (vars(values).items() if values is not None else ()):
                if isinstance(value, str) and value:
                    yield Text(CONFIG_FILE, f"网站配置 {group}.{name}", value, None, key=(name,), members=only_members)
        return
    shown: list[tuple[tuple, Any]] = [((key,), value) for key, value in data.items() if key != "plugins"]
    plugins = data.get("plugins")
    # A list of `- gongkai: {…}` entries, or one mapping of plugin names to options: MkDocs takes both.
    entries = [((index,), entry) for index, entry in enumerate(plugins)] if isinstance(plugins, list) else [((), plugins)]
    members: list[tuple[tuple, Any]] = []  # what only the members' site prints
    for where, entry in entries:
        if not isinstance(entry, dict):
            shown.append((("plugins", *where), entry))
            continue
        for name, options in entry.items():
            if name == PLUGIN and isinstance(options, dict):
                for option, value in options.items():
                    (members if option == _PARTY_SITE else shown).append((("plugins", *where, PLUGIN, option), value))
            else:
                shown.append((("plugins", *where, name), options))
    for only_members, values in ((False, shown), (True, members)):
        for start, value in values:
            for path, text in [*_yaml_strings(value, start), *_yaml_numbers(value, start)]:
                label = _dotted(path[path.index(PLUGIN) + 1:] if PLUGIN in path[:3] else path)
                yield Text(CONFIG_FILE, f"网站配置 {label}", text, document, key=path, members=only_members)
    for start, value in shown:
        if start[-2:] == (PLUGIN, "footer") and isinstance(value, dict):
            yield from _footer_lines(value, start, document)


# The footer's lines as every page prints them: its values side by side, a blank between (footer.html).
_FOOTER_LINES = ((("sponsor", "主办单位："), ("address", "联系地址："), ("phone", "联系电话：")),
                 (("site_code", "网站标识码："), ("icp", ""), ("police", "")))


def _footer_lines(footer: dict, start: tuple, document: SourceDocument | None) -> Iterator[Text]:
    """The footer's lines as printed: a number split between two values (the ICP number's end, the police record's
    start) is one on every page."""
    for line in _FOOTER_LINES:
        written = [(key, label, str(footer[key])) for key, label in line if footer.get(key) not in (None, "")]
        if len(written) > 1:
            yield joined_text(CONFIG_FILE, f"网站配置 footer.{'、'.join(key for key, _, _ in written)}（页脚中连在一起显示）",
                              tuple(value for _, _, value in written), " ".join(label + value for _, label, value in written),
                              document, (*start, written[0][0]))


_TEMPLATE = "模板（每个网页都会显示其中的文字）"
_STYLESHEET = "样式表（content 属性的文字会显示在网页上）"
_THEME_NAME = "主题文件的文件名（即网址，请改名）"
_THEME_TYPES = {".html": _TEMPLATE, ".css": _STYLESHEET}
# The members' site's own wording (its notice 请勿外传) is not public: the public site is printed without it.
_MEMBERS_ONLY = "gk_site.members"


class _TagsAsWritten(yaml.SafeLoader):
    """PyYAML's safe reading, with a tag of MkDocs' own (`!relative`) read as the value it tags: the values of a
    mkdocs.yml the gate let through (no code, no environment, a bounded expansion of its aliases)."""


_TagsAsWritten.add_multi_constructor("!", lambda loader, suffix, node: (
    loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else
    loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_mapping(node)))


def _as_mkdocs_reads(source: bytes | None) -> Any:
    if source is None:
        return None
    try:
        return yaml.load(source, Loader=_TagsAsWritten)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None  # MkDocs cannot read it either: the gate or MkDocs says so


def theme_texts(ctx: CheckContext) -> list[Text]:
    """The templates and stylesheets of the theme folder (mkdocs.yml theme.custom_dir): a template as written and
    as its HTML shows without its Jinja; a stylesheet as written and with its escapes decoded. Links and files
    that are not regular are left to the theme family (GK530), which refuses them: reading one could hang.
    Read once a run: three families ask, and a streamed check asks again for each chunk of items."""
    cache = ctx.cache("theme texts")
    if "texts" not in cache:
        cache["texts"] = list(_theme_texts(ctx))
    return cache["texts"]


def _theme_texts(ctx: CheckContext) -> Iterator[Text]:
    settings = ctx.settings
    theme = settings.theme_dir if settings is not None else None
    if settings is None or theme is None or not theme.is_dir():
        return
    root, limit = settings.root, settings.limits.item_bytes
    theme_files.note_scanned_folder(theme)  # a template the build meets that is not read here was added since
    templates_read = theme_files.templates_within_budget(theme)  # else GK535 is enough
    for path in theme_files.regular_files(theme):
        label = _THEME_TYPES.get(path.suffix.lower())
        if label is None:
            continue
        try:
            if path.stat().st_size > limit:
                continue  # refused by the theme family (GK525); an item's limit bounds the memory
            source = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        theme_files.note_scanned(path, source)
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        if label is _TEMPLATE and not templates_read:
            continue
        if label is _TEMPLATE and theme_files.template_too_deep(source):  # GK547: read as written only
            yield Text(rel, label, template_source(source, _MEMBERS_ONLY), None, shown=ReaderText(()))
            continue
        if label is _TEMPLATE:
            shown = visible(template_html(source, _MEMBERS_ONLY))
            if _MEMBERS_ONLY in source:  # and as the members' site prints it: what that alone shows is read too
                members = visible(template_html(source, _MEMBERS_ONLY, holds=True))
                yield Text(rel, label, template_source(source, _MEMBERS_ONLY, holds=True), None,
                           shown=_only_in(members, shown), members=True)
            source = template_source(source, _MEMBERS_ONLY)
        else:
            decoded = css_shown(source)
            # and what its `content:` (and `quotes:`) strings draw, joined as the browser joins them
            shown = ReaderText((decoded,) if decoded != source else (), css_generated(source) + css_pictures(source))
        yield Text(rel, label, source, None, shown=shown)
    shipped = theme_files.shipped()
    for relative, path in theme_files.published_theme_files(theme):
        if relative not in shipped:  # an agency's file: its name is its address, in every page that links it
            shown_path = Path(os.path.abspath(path))
            rel = shown_path.relative_to(root).as_posix() if shown_path.is_relative_to(root) else shown_path.as_posix()
            yield Text(rel, _THEME_NAME, relative, None, key=())



def _only_in(shown: ReaderText, other: ReaderText) -> ReaderText:
    """What `shown` holds that `other` does not, field by field (as many of each text as `other` lacks)."""
    def minus(texts: tuple[str, ...], others: tuple[str, ...]) -> tuple[str, ...]:
        left = Counter(others)
        kept = []
        for text in texts:
            if left[text]:
                left[text] -= 1
            else:
                kept.append(text)
        return tuple(kept)
    return ReaderText(minus(shown.units, other.units), minus(shown.extra, other.extra), minus(shown.joined, other.joined),
                      minus(shown.anchors, other.anchors), minus(shown.unloaded, other.unloaded))


def _yaml_strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string value and every string key (a key is shown too, e.g. a department's name); bytes (`!!binary`) as
    a page prints them (b'…'), and the members of sets and pairs (`!!set`, `!!omap`, `!!pairs`) as those of lists."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, bytes):
        yield path, str(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield path + (key,), key
            yield from _yaml_strings(value, path + (key,))
    elif isinstance(data, (list, tuple, set, frozenset)):
        for index, value in enumerate(data):
            yield from _yaml_strings(value, path + (index,))


def _yaml_numbers(data: Any, path: tuple = (), skip: tuple[str, ...] = ()) -> Iterator[tuple[tuple, str]]:
    """Every number value as the page shows it (a count of 13912345678 is a mobile number too); a whole number written
    as a float also without its “.0”."""
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        yield path, str(data)
        if isinstance(data, float) and data.is_integer() and abs(data) < 1e18:
            yield path, str(int(data))  # 1.3912345678e+10 is shown as 13912345678.0: the number a reader reads
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                yield from _yaml_numbers(value, path + (key,))
    elif isinstance(data, (list, tuple, set, frozenset)):
        for index, value in enumerate(data):
            yield from _yaml_numbers(value, path + (index,))


def _dotted(path: tuple) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
