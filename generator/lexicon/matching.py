"""One pass over a text with an Aho–Corasick automaton finds every lexicon term in it.

The automaton holds every term (wrong forms, forbidden expressions, their exceptions, people's
names and title words) and reports all matches, overlapping ones included, in one scan of the
visible text. daachorse's character-wise double-array automaton was measured fastest
(10,000 synthetic bodies, 16 M characters, 5,000 terms: daachorse 0.12 s, ahocorasick-rs 0.32 s,
pyahocorasick 1.9 s).

Then, per match:
- a term inside one of its own exceptions (登陆 in 台风登陆后) is no finding;
- a term inside a longer term of the same kind (登陆 inside 登陆网站) gives way to it;
- a name with a title right before or after it (局长张军卫, 张军卫局长) is checked against the
  titles the person held on the day the text speaks of; 时任/原/前任 before it marks a past title.
Punctuation is matched in both widths ("(" and "（"); letters and digits are folded to half width
by `visible`, in the text and in the terms alike.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import daachorse

from .entries import Forbidden, Lexicon, Person, Replacement, Tenure
from .visible import Visible, seen_views

# Punctuation a reader takes for the same mark in either width.
_WIDTHS = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F) if not chr(code).isalnum()}
# Each punctuation mark read in one width, the text and the terms alike, character for character: a reader takes
# either for the same mark, and a term with more marks than its spellings could be listed for (禁用(甲)(乙)(丙)(丁))
# was matched as written or with every mark swapped, so one mark in the other width escaped it.
_ONE_WIDTH = str.maketrans({**{full: half for half, full in _WIDTHS.items()}, "“": '"', "”": '"', "‘": "'", "’": "'"})
_MARKS = frozenset(_ONE_WIDTH.values())  # what a mark reads as in either width
# Words before a title that make it a past one: 时任局长张军卫, 原局长张军卫.
_PAST = ("时任", "原任", "前任", "曾任")
_SENTENCE_END = "。；！？!?;\n"

WORD, EXCEPTION, NAME, TITLE = range(4)


def one_width(text: str) -> str:
    """`text` with each punctuation mark in one width (`_ONE_WIDTH`), offset for offset."""
    return text.translate(_ONE_WIDTH)


@dataclass(frozen=True)
class WordHit:
    """A wrong form or a forbidden expression at visible [start, end)."""

    start: int
    end: int
    entry: Replacement | Forbidden


@dataclass(frozen=True)
class TitleHit:
    """A person named with a title they did not hold on `day`; [start, end) covers name and title."""

    start: int
    end: int
    person: Person
    title: str
    day: dt.date
    held: tuple[Tenure, ...]  # the person's tenures of this title (empty: never held it)


@dataclass(frozen=True)
class CrowdedHit:
    """The lexicon's terms overlap more than MAX_MATCHES times in the text read up to `start`: it was not read further
    (a lexicon of 啊啊, 啊啊啊 … over a body of 啊 held 10,000 times the body's size in matches)."""

    start: int
    end: int


Hit = WordHit | TitleHit | CrowdedHit
# Matches (overlapping ones included) read of one text at most; real text holds a few per hundred characters.
MAX_MATCHES = 200_000
_CHUNK = 4096  # characters scanned at a time: the matches of one chunk are held at once, not the text's


def same_title(found: str, held: str) -> bool:
    """办公室主任 is a 主任; 副局长 is not a 局长 (nor the other way round)."""
    if found == held:
        return True
    longer, shorter = (found, held) if len(found) > len(held) else (held, found)
    return longer.endswith(shorter) and not longer[: -len(shorter)].endswith("副")


class Matcher:
    """The lexicon compiled into one automaton."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.words: list[Replacement | Forbidden] = [*lexicon.replacements, *lexicon.forbidden]
        # Each spelling's meanings once: an exception is one meaning of its own, however many entries share it (one
        # meaning per entry made every 的 of every text cost as many spans as entries excepting 的).
        patterns: dict[str, dict[tuple[int, int], None]] = defaultdict(dict)
        self._exceptions: list[tuple[str, ...]] = []  # each word's exceptions' spellings
        for index, entry in enumerate(self.words):
            term = entry.wrong if isinstance(entry, Replacement) else entry.text
            patterns[one_width(term)][(WORD, index)] = None
            spellings = tuple(dict.fromkeys(one_width(exception) for exception in entry.exceptions))
            self._exceptions.append(spellings)
            for spelling in spellings:
                patterns[spelling][(EXCEPTION, 0)] = None
        for index, person in enumerate(lexicon.people):
            patterns[one_width(person.name)][(NAME, index)] = None
        if lexicon.people:  # titles only matter next to a name
            for index, title in enumerate(lexicon.titles):
                patterns[one_width(title)][(TITLE, index)] = None
        self._meanings = [tuple(meanings) for meanings in patterns.values()]
        self._spellings = list(patterns)
        self._longest = max(map(len, patterns), default=1)
        self._automaton = daachorse.CharwiseDoubleArrayAhoCorasick(list(patterns)) if patterns else None
        # Only a lexicon with a punctuated term needs the text's marks in one width: no other term covers a mark (the
        # built-in list has none), and the copy cost every scanned text a pass.
        self._one_width = any(mark in spelling for spelling in patterns for mark in _MARKS)
        self._held: dict[tuple[int, str], tuple[Tenure, ...]] = {}  # (person, title) → the tenures of that title

    def find_seen(self, source: str, day: dt.date) -> Iterator[tuple[Visible, Hit]]:
        """Every finding in what readers see of `source` (`seen_views`), each once, with the view it was read in."""
        views = list(seen_views(source))
        if len(views) == 1:
            yield from ((views[0], hit) for hit in self.find(views[0].text, day))
            return
        found: set[tuple[int, str]] = set()
        for seen in views:
            for hit in self.find(seen.text, day):
                spot = (seen.source_offset(hit.start), seen.text[hit.start:hit.end])
                if spot not in found:
                    found.add(spot)
                    yield seen, hit

    def find(self, text: str, day: dt.date) -> list[Hit]:
        """Every finding in `text` (visible text), by position; `day` is the date the text speaks of."""
        if self._automaton is None:
            return []
        words: list[tuple[int, int, int]] = []
        exceptions: dict[str, list[tuple[int, int]]] = defaultdict(list)  # by spelling
        names: list[tuple[int, int, int]] = []
        titles_ending: dict[int, list[str]] = defaultdict(list)
        titles_starting: dict[int, list[str]] = defaultdict(list)
        read = 0
        crowded = None
        for chunk, matches in self._matches(text):
            read += sum(len(self._meanings[pattern]) for _, _, pattern in matches)  # what each match costs
            if read > MAX_MATCHES:
                crowded = CrowdedHit(chunk, chunk + 1)
                break
            for start, end, pattern in matches:
                for kind, index in self._meanings[pattern]:
                    if kind == WORD:
                        words.append((start, end, index))
                    elif kind == EXCEPTION:
                        exceptions[self._spellings[pattern]].append((start, end))
                    elif kind == NAME:
                        names.append((start, end, index))
                    else:
                        title = self.lexicon.titles[index]
                        titles_ending[end].append(title)
                        titles_starting[start].append(title)
        hits: list[Hit] = []
        covering = {spelling: _Covering(spans) for spelling, spans in exceptions.items()}
        for start, end, index in _outermost(words, lambda i: isinstance(self.words[i], Replacement)):
            if not any(spelling in covering and covering[spelling].covers(start, end) for spelling in self._exceptions[index]):
                hits.append(WordHit(start, end, self.words[index]))
        for start, end, index in _outermost(names, lambda i: True):
            hits.extend(self._titles(text, start, end, index, day, titles_ending, titles_starting))
        hits.sort(key=lambda hit: (hit.start, hit.end))
        if crowded is not None:
            hits.append(crowded)
        return hits

    def _matches(self, text: str) -> Iterator[tuple[int, list[tuple[int, int, int]]]]:
        """(chunk's start, the matches starting in it) of each _CHUNK characters of `text`, each chunk read on by the
        longest term's length so that a match across its end is found whole, once."""
        assert self._automaton is not None
        reach = self._longest - 1
        for chunk in range(0, len(text), _CHUNK):
            # daachorse reads the text as UTF-8, which CPython then keeps inside the str for as long as it lives (3 bytes
            # a Chinese character): a copy of the chunk takes it and goes away with it.
            part = text[chunk:chunk + _CHUNK + reach]
            if self._one_width:
                part = one_width(part)
            elif part is text:  # a slice of the whole text is the text itself
                part = text[:1] + text[1:]
            found = self._automaton.find_overlapping(part)
            yield chunk, [(chunk + start, chunk + end, pattern) for start, end, pattern in found if start < _CHUNK]

    def _titles(self, text: str, start: int, end: int, index: int, day: dt.date,
                ending: dict[int, list[str]], starting: dict[int, list[str]]) -> list[TitleHit]:
        person = self.lexicon.people[index]
        if not person.titles:
            return []
        found = []
        before = max(ending.get(start, ()), key=len, default="")
        if before:
            found.append((start - len(before), end, before, _past(text, start - len(before))))
        after = max(starting.get(end, ()), key=len, default="")
        if after:
            found.append((start, end + len(after), after, _past(text, start)))
        hits = []
        for low, high, title, past in found:
            held = self._held.get((index, title))
            if held is None:  # once per person and title, not per mention
                held = self._held[index, title] = tuple(tenure for tenure in person.titles if same_title(title, tenure.title))
            if any(tenure.covers(day) for tenure in held):
                continue
            if past and any(tenure.start is None or tenure.start <= day for tenure in held):
                continue
            hits.append(TitleHit(low, high, person, title, day, held))
        return hits


class _Covering:
    """The spans of a term's exceptions in a text, asked whether one covers a match in logarithmic time (a text of many
    excused matches, 台风登陆后 repeated, asked every exception for every match: 0.7 MB took a minute)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [start for start, _ in spans]
        self.reach = list(itertools.accumulate((end for _, end in spans), max))  # the furthest end so far

    def covers(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start)
        return index > 0 and self.reach[index - 1] >= end


def _past(text: str, start: int) -> bool:
    """Whether the words just before `start`, in the same sentence, make a title a past one."""
    window = text[max(0, start - 12) : start]
    cut = max(window.rfind(mark) for mark in _SENTENCE_END)
    window = window[cut + 1 :]
    return any(word in window for word in _PAST) or window.endswith("原")


def _outermost(found: list[tuple[int, int, int]], nests: Callable[[int], bool]) -> list[tuple[int, int, int]]:
    """Drop a match lying inside a longer one when both are of a kind that nests (`nests(index)`)."""
    found.sort(key=lambda match: (match[0], -match[1]))
    kept = []
    reach = -1  # the furthest end of a nesting match so far
    for start, end, index in found:
        if nests(index):
            if end <= reach:
                continue
            reach = end
        kept.append((start, end, index))
    return kept
