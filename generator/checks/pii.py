"""Detectors of personal numbers in text: 身份证号 (18 and 15 digits), mobile numbers, bank cards.

Pure functions over a string, so the privacy family runs them on bodies, rendered pages, front
matter, report texts and the text of attachments alike. The text is first folded to what a reader
reads (`reader_text.fold`: character references, full-width and mathematical digits, invisible
characters), so a disguise in the encoding hides nothing.

A number is a *chain*: digit groups joined by separators (spaces, hyphens, dots, slashes, middle dots, underscores,
brackets, a lone star, in any width, with up to two spaces on either side). Any run of whole groups of a chain that
passes its own validity test is found — so `+86 139-1234-5678` and `1 3 9 1 2 3 4 5 6 7 8` are mobiles — but a number
never starts or ends inside a group, so a number inside a longer number is not one. Three guards keep ordinary text
quiet: a decimal point makes its neighbours an amount (but a tail of zeros adds nothing to a whole number,
13912345678.0, and the dot of an abbreviation, Tel.13912345678, is none); groups joined by bare spaces (table columns
in a PDF) only form a number when written the way numbers are (every group of 3 or more digits, or one digit each),
and a card number in such a table must be grouped like a card; groups joined by different separators are different
numbers, but a space may join groups of a number written with one other separator (139-1234 5678). Masked forms
(`131122********2042`, `139****5678`) break the chain and never match. A second view reads Chinese
numerals (一三九…, 幺, 壹) and letters that look like digits (O and l, and their Cyrillic, Greek and
Armenian twins, З) as digits, and every character as it is drawn (Unicode's confusables, `lookalikes.py`: Ꮾ is a
6, ৪ — a Bengali four — an 8, ᐧ and ㅡ separators), a third reads 一 between digits as the dash it was typed for
(139一1234一5678), and a line with right-to-left letters or controls is also read in the order Unicode's algorithm
draws it (`reader_text.reordered_lines`), as readers see it; never simply backwards, which made a landline beside
Uyghur words (0991-6640061) a mobile number (1600466-1990).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum.cn import uscc

from ..reader_text import (
    fold,
    fold_drawn,
    fold_mapped,
    fold_notes_apart,
    notes_read_past,
    reordered_lines,
    right_to_left,
    source_end,
)
from ..text_windows import windows
from ..values import LATEST

ID18 = "id18"
ID18_MISTYPED = "id18-mistyped"
ID15 = "id15"
MOBILE = "mobile"
CARD = "card"

KIND_LABELS = {ID18: "18 位身份证号", ID18_MISTYPED: "校验位不符的 18 位身份证号", ID15: "15 位旧身份证号", MOBILE: "手机号码",
               CARD: "银行卡号"}

# Separator characters after folding (every dash is "-", every space " "). "*" only alone: stars together are a mask's
# (139****5678, 622202020011***3446), put where digits were. Not commas or 、 (lists of numbers), not ":" (times).
# Markdown's inline marks (* _ ~ `) too: a field, a file name or a code block shows them as written (139`1234`5678),
# and a number sign or a caret (139#1234#5678), which a text file, a sheet's cell or a Word run shows as written.
#
# Signs that sums, tables, lists and quoted lists put between numbers (+ | ; ' " ；“”‘’ and a tab, which joins a sheet's
# cells; full-width ＋｜＇＂ fold to the ASCII ones, … to dots, which are separators already) join groups into an
# 18-digit 身份证号 whose date and check character hold, and into nothing else (_WEAK): a reader reads past them in
# 131122+200107146684 or 32010219760729|6720, but a mobile's test (eleven digits from 13–19) is met by ordinary text.
# Measured as separators like the others, over the sample content, the bench's 10,000 items and 60 lines of ordinary
# government text (sums, ranges, tables, phone lists), each sign turned sums or cells into mobiles or cards: "+" 9 new
# findings (135+1200+3400 万元), "|" 6 (and the ID the text plants; one is a table row of the sample, 1664 | 1 | 120 |
# 720), ";" 2, "'" 2, '"' 2, a tab 3, "；" 1, “”‘’ 2. Joining IDs only: none but the planted ID, and on 20,000 rows of
# 3–12 random counts, years and dates joined by one sign, 28–44 IDs a sign, where "-", "/", "#" and "^" find 8,600–8,900
# numbers and a space 3,049.
_SEPARATORS = " -./·・‧•∙⋅_\\~−⁃()[]（）【】ー*`#^+|;'\"\t；“”‘’"  # ー: the katakana long mark, typed for a dash
_WEAK = frozenset("+|;'\"\t；“”‘’")
_SEP = "[" + re.escape(_SEPARATORS) + "]"
_MARK = "[" + re.escape(_SEPARATORS.replace(" ", "")) + "]"
# Digit groups joined by one to three separator characters, or by up to three marks with up to two spaces on either
# side (139  -  1234  -  5678: a text file, a code block or a document keeps its spaces; bare spaces wider than three
# are a table's columns in a PDF and join nothing); an X may close an 18-digit 身份证号, written after
# up to three of them too (32010219840613632 X reads as one number). The X is drawn by Cyrillic and Greek letters too
# (a keyboard left in Russian or Greek) and by multiplication signs: 32010219840610001Х is read as the reader sees it.
_XS = "Xx×ХхΧχ✕✖╳⨯"
# A joint is the whole run of separators between two groups (a digit ends it). The two shapes overlap (`-` is both),
# so the run is judged by a lookahead, at most seven characters, and then taken whole: tried as an alternation, each
# of n joints could be read two ways, and a match that then failed (fullmatch) tried 2ⁿ of them.
_JOINT = rf"(?=(?: {{0,2}}{_MARK}{{1,3}} {{0,2}}|{_SEP}{{1,3}})[0-9]){_SEP}++"
_CHAIN = re.compile(rf"[0-9]++(?:{_JOINT}[0-9]++)*+(?:{_SEP}{{0,3}}[{_XS}](?![0-9A-Za-z\u0370-\u03ff\u0400-\u04ff]))?")
_GROUP = re.compile(r"[0-9]+")
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"
# China's calling code before a mobile number: 0086 as it is; a bare 86 only after "+", since an
# ordinary serial number may well begin with 86 (编号8613000000000 is not a phone).
_PREFIXES = ("0086", "86")
# And the trunk 0 a mobile is dialled with from a landline in another city (013912345678): no area code starts 01[3-9].
_TRUNK = "0"
_LENGTHS = frozenset((11, 12, 13, 15, 16, 17, 18, 19))  # of every kind, a prefixed mobile, an ID before its X

# The second view: Chinese numerals (and the words said for digits over the phone and the radio, 洞幺两拐勾: 幺 for 1,
# 洞 for 0, 拐 for 7, 勾 for 9) and the letters O and l.
_NUMERALS = {**dict.fromkeys("〇零○◯洞", "0"), **dict.fromkeys("一壹幺", "1"), **dict.fromkeys("二贰貳两兩", "2"),
             **dict.fromkeys("三叁參参", "3"), **dict.fromkeys("四肆", "4"), **dict.fromkeys("五伍", "5"),
             **dict.fromkeys("六陆陸", "6"), **dict.fromkeys("七柒拐", "7"), **dict.fromkeys("八捌", "8"),
             **dict.fromkeys("九玖勾", "9")}
# Letters that look like digits, in the Latin, Cyrillic, Greek and Armenian alphabets.
_LOOKALIKES = {**dict.fromkeys("OoОоΟοօ", "0"), **dict.fromkeys("lIІӀӏΙǀ", "1"), **dict.fromkeys("Зз", "3")}
_SECOND_VIEW = str.maketrans({**_NUMERALS, **_LOOKALIKES})
# A number in the second view needs at least 11 numerals, at most three separators apart: text without
# a run of 9 of them (most text: 一是、第二条) skips the second view.
_NUMERAL = "[0-9" + "".join(_NUMERALS) + "".join(_LOOKALIKES) + "]"
_SECOND_VIEW_CHARS = re.compile(rf"(?:{_NUMERAL}{_SEP}{{0,3}}){{8}}{_NUMERAL}")
_MIN_TRUE_DIGITS_WITH_LETTERS = 8
# Vertical strokes and bars (after folding: ｜ is |, ⼁ and ㇑ are 丨, ㅣ is ᅵ) drawn where a 1 would stand:
# 丨39丨2345678. Read as 1 in a view of their own, since between digit groups the same bar is a separator (139│1234│5678).
_STROKES = "|丨ᅵ׀⏐⎜⎟⎢⎥⎪⎮│┃"
_MOST_STROKES = 4
_STROKE_VIEW = str.maketrans(dict.fromkeys(_STROKES, "1"))
_STROKE_CHARS = re.compile(rf"[0-9][{re.escape(_STROKES)}]|[{re.escape(_STROKES)}][0-9]")
# A third view reads 一 between digits as the dash it stands for.
_DASHED = re.compile("[0-9] ?一 ?[0-9]")
_DASH_VIEW = str.maketrans("一", "-")  # "lO" alone are words; a number written with a few of them is not
# Every folded character some view reads as a digit or a digit's dash: what a cut must never split from its neighbours
# (search.js's RUN for excerpts, site/runs.py for titles an ellipsis may cut).
NUMERAL_DIGITS = frozenset("0123456789一") | frozenset(_NUMERALS) | frozenset(_STROKES)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # offset in the scanned text
    end: int
    text: str  # as it appears in the text
    number: str  # the digits read, e.g. "13912345678"

    @property
    def masked(self) -> str:
        return mask(self.number)


def _real_date(year: int, month: int, day: int, today: dt.date) -> bool:
    if not (1900 <= year <= today.year and 1 <= month <= 12 and 1 <= day <= 31):
        return False  # most digit runs, told without raising an exception (a run of zeros took 18 s a megabyte)
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= today


def is_id18(number: str, today: dt.date) -> bool:
    """GB 11643: 17 digits, a real birth date (1900..today) and the ISO 7064 MOD 11-2 check character."""
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] in "Xx"):
        return False
    if not _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14]), today):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11] == number[17].upper()


# The first two digits of a 身份证号: a province's code (GB/T 2260), 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证.
_PROVINCES = frozenset((11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
                        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83))


def is_id18_mistyped(number: str, today: dt.date) -> bool:
    """A 身份证号 but for its check character: a province's code, a real birth date, a wrong last character. A number
    mistyped or with a digit changed (or a made-up example) still tells a reader where and when its holder was born,
    and the real one is a digit away; among digit runs that are no ID, the province and the date are rare together."""
    return (len(number) == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] in "Xx")
            and int(number[:2]) in _PROVINCES
            and _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14]), today))


def is_id15(number: str, today: dt.date) -> bool:
    """The pre-1999 form: 6-digit region, yymmdd birth date (19yy), 3-digit sequence; no check digit."""
    return (
        len(number) == 15
        and number.isdigit()
        and _real_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), today)
    )


def is_mobile(number: str) -> bool:
    return len(number) == 11 and number[0] == "1" and number[1] in "3456789" and number.isdigit()


def is_card(number: str) -> bool:
    """16–19 digits passing Luhn; no card number starts with 0. An agency's 统一社会信用代码 (GB 32100) written
    in digits only is 18 digits too, and passes Luhn one time in ten: its own check character tells it apart."""
    return (16 <= len(number) <= 19 and number.isdigit() and number[0] != "0" and _luhn(number)
            and not uscc.is_valid(number))


_DOUBLED = tuple(sum(divmod(2 * digit, 10)) for digit in range(10))


def _luhn(number: str) -> bool:
    """Whether the digits pass Luhn's check: stdnum's `luhn.is_valid` the fast way (every run of digits of a card's
    length is checked: a megabyte of them took half a minute)."""
    total = sum(map(int, number[-1::-2])) + sum(_DOUBLED[int(digit)] for digit in number[-2::-2])
    return total % 10 == 0


def classify(number: str, today: dt.date, plus: bool = False) -> str | None:
    """The kind of personal number `number` (digits only) is; `plus`: a "+" stood before it."""
    if is_id18(number, today):
        return ID18
    if is_mobile(number):
        return MOBILE
    if is_id15(number, today):
        return ID15
    if is_card(number):
        return CARD
    for prefix in _PREFIXES:
        if number.startswith(prefix) and is_mobile(number[len(prefix):]) and (plus or prefix == "0086"):
            return MOBILE
    if number.startswith(_TRUNK) and is_mobile(number[len(_TRUNK):]):
        return MOBILE
    if is_id18_mistyped(number, today):
        return ID18_MISTYPED
    return None


# The runs of a chain's groups are judged one length after another, and a hostile text repeats them (0.0.0.0…, 5.5.5.5…:
# the same few candidates at every group): each is judged once.
_classified = functools.lru_cache(maxsize=1 << 14)(classify)


def find(text: str, today: dt.date) -> Iterator[Finding]:
    """Every personal number in `text`, in order of appearance; a long text a window at a time (`text_windows`)."""
    for window in windows(text):
        for finding in _find(window.text, today):
            if window.owns(finding.start):
                yield dataclasses.replace(finding, start=finding.start + window.start, end=finding.end + window.start)


def _find(text: str, today: dt.date) -> Iterator[Finding]:
    folded = fold(text)
    spans = list(_numbers(folded, today))
    drawn = fold_drawn(text)  # Ꮾ for 6, ৪ (a Bengali four) for 8, ᐧ for ·: as readers see them
    view = folded if drawn is None else drawn
    if _SECOND_VIEW_CHARS.search(view) and view.translate(_SECOND_VIEW) != folded:  # the same text finds nothing new
        spans += _second_view(folded, view, today, _Taken(_checked(spans)))
    # A few ones at most: a row of one-digit table cells (|1|0|2|…) is no number.
    if any(stroke in folded for stroke in _STROKES) and _STROKE_CHARS.search(folded):
        spans += [span for span in _second_view(folded, folded.translate(_STROKE_VIEW), today, _Taken(_checked(spans)))
                  if sum(folded.count(stroke, span[1], span[2]) for stroke in _STROKES) <= _MOST_STROKES]
    if _DASHED.search(folded):  # 一 typed for a dash: 139一1234一5678 (the second view read it as 1)
        taken = _Taken(_checked(spans))
        spans += [span for span in _numbers(folded.translate(_DASH_VIEW), today)
                  if "一" in folded[span[1]:span[2]] and not taken.overlaps(span)]
    apart = fold_notes_apart(text)  # 13912345678① is a mobile number and a note mark, not twelve digits
    if apart is not None and len(apart) == len(folded):
        taken = _Taken(_checked(spans))
        spans += [span for span in _numbers(apart, today) if not taken.overlaps(span)]
    past = _notes_read_past(text, folded)  # 139¹12345678: read on past the note's mark, as past a footnote's reference
    if past is not None:
        read, kept = past
        taken = _Taken(_checked(spans))
        spans += [moved for kind, start, end, number in _numbers(read, today)
                  if not taken.overlaps(moved := (kind, kept[start], kept[end - 1] + 1, number))]
    if right_to_left(text):
        spans += _in_drawn_order(text, today, _checked(spans))
    spans = _preferring_checked(spans)
    if not spans:
        return
    mapped, origins = fold_mapped(text)
    assert mapped == folded, "fold and fold_mapped must agree"
    for kind, start, end, number in sorted(spans, key=lambda span: span[1]):
        first, last = origins[start], source_end(text, origins[end - 1])
        yield Finding(kind, first, last, text[first:last], number)


Span = tuple[str, int, int, str]  # kind, start, end, digits


def _notes_read_past(text: str, folded: str) -> tuple[str, list[int]] | None:
    """`folded` without the characters folded from a note's mark beside a word or number (`notes_read_past`), and for
    each character left its offset in `folded`; None when `text` holds no such mark."""
    marked = notes_read_past(text)
    if marked is None:
        return None
    _, origins = fold_mapped(text)
    kept = [at for at, origin in enumerate(origins) if marked[origin] != "\x01"]
    return "".join(folded[at] for at in kept), kept


# What names a 身份证号 before it on its line (folded: 身份證 reads 身份证), which a number of an ID's shape but for its
# check character needs to be taken for one: unnamed, it is as likely a serial built the same way (a 施工许可证编号 is a
# region's code, the day of issue and a sequence, 18 digits, and a 住建局's 公示 lists hundreds).
_ID_LABEL = re.compile(r"身份|证件|(?<![A-Za-z])ID(?![A-Za-z])")
_LABEL_BEFORE = 16  # characters from the label's start to the number: 身份证号码（18位）：, 证件号码为


def _labelled(folded: str, start: int) -> bool:
    before = folded[max(0, start - _LABEL_BEFORE):start]
    return _ID_LABEL.search(before[before.rfind("\n") + 1:]) is not None


def _checked(spans: list[Span]) -> list[Span]:
    """The spans a later view leaves alone: a 身份证号 whose check character is wrong is no reading to keep where
    another view reads a whole number (৪, a Bengali four, is drawn as an 8: 1101051988… is not 1101051944…)."""
    return [span for span in spans if span[0] != ID18_MISTYPED]


def _preferring_checked(spans: list[Span]) -> list[Span]:
    """`spans` without the mistyped 身份证号 that another view read otherwise, nor those overlapping one kept."""
    kept = _checked(spans)
    if len(kept) == len(spans):
        return spans
    taken, reached = _Taken(kept), -1
    for span in sorted((span for span in spans if span[0] == ID18_MISTYPED), key=lambda span: span[1]):
        if span[1] >= reached and not taken.overlaps(span):
            kept.append(span)
            reached = span[2]
    return kept


class _Taken:
    """Disjoint spans found by a view, for the next view to leave alone: whether a span overlaps one of them
    in logarithmic time (a text of thousands of numbers is read by every view)."""

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans, key=lambda span: span[1])
        self.starts = [span[1] for span in ordered]
        self.ends = [span[2] for span in ordered]

    def overlaps(self, span: Span) -> bool:
        # Disjoint spans ordered by start are ordered by end too: the last one starting before `span` ends reaches furthest.
        index = bisect.bisect_left(self.starts, span[2]) - 1
        return index >= 0 and self.ends[index] > span[1]


def _in_drawn_order(text: str, today: dt.date, found: list[Span]) -> list[Span]:
    """Numbers readers see where bidirectional text reorders a line (Unicode's algorithm: 电话\u200f5678\u200f1234\u200f138
    shows 电话138 1234 5678) that the other views missed, placed in the folded text on the stretch of the line their
    characters come from."""
    drawn: list[tuple[str, str, int, int]] = []  # kind, number, first and last offset in `text`
    for start, shown, moved in reordered_lines(text):
        view, view_origins = fold_mapped(shown)
        for kind, first, end, number in _numbers(view, today):
            written = [start + (moved.stop - 1 - (at - moved.start) if at in moved else at)
                       for at in (view_origins[index] for index in range(first, end))]
            drawn.append((kind, number, min(written), max(written)))
    if not drawn:
        return []
    _, origins = fold_mapped(text)
    taken = _Taken(found)
    more = []
    for kind, number, first_written, last_written in drawn:
        first = bisect.bisect_left(origins, first_written)
        span = (kind, first, max(bisect.bisect_right(origins, last_written), first + 1), number)
        if not taken.overlaps(span):
            more.append(span)
    return more


def _second_view(folded: str, drawn: str, today: dt.date, found: _Taken) -> list[Span]:
    """Numbers written (partly) in Chinese numerals, with O/l for 0/1 or with characters drawn like digits and
    separators (`drawn`: `folded` offset for offset, each as readers see it) that the first view missed."""
    view = drawn.translate(_SECOND_VIEW)
    more = []
    for span in _numbers(view, today):
        _, start, end, _ = span
        written = folded[start:end]
        true_digits = sum(ch.isdigit() for ch in written)
        has_numeral = any(ch in _NUMERALS for ch in written)
        if view[start:end] == written or found.overlaps(span):
            continue  # the first view's business
        if has_numeral or true_digits >= _MIN_TRUE_DIGITS_WITH_LETTERS:
            more.append(span)
    return more


def _numbers(text: str, today: dt.date) -> Iterator[Span]:
    """(kind, start, end, digits) of each number in a folded text."""
    for chain in _CHAIN.finditer(text):
        yield from _in_chain(text, chain, today)


@dataclass
class _Group:
    digits: str
    start: int
    end: int
    separator: str  # the separator after it, "" for the last group
    joint: str = ""  # its kind (see _kind_of)
    amount: bool = False  # next to a decimal point


_BRACKET = "("
_BRACKETS = str.maketrans(dict.fromkeys("()[]（）【】", _BRACKET))


def _kind_of(separator: str) -> str:
    """Separators of one kind: " - " is a hyphen, "  " a space, ")(" a bracket."""
    return separator.replace(" ", "").translate(_BRACKETS) or " "


def _in_chain(text: str, chain: re.Match, today: dt.date) -> Iterator[Span]:
    if chain.end() - chain.start() < 11:  # dates, amounts, serial numbers: too short for any kind
        return
    groups = _groups(text, chain)
    check_x = chain[0][-1] in _XS
    index = 0
    while index < len(groups):
        best = None
        digits = ""
        kind = None
        spaced = False  # a space joined groups of another separator's number
        weak = False  # a sign of sums, tables or lists (_WEAK) joined them: an ID18 only
        shortest = 0  # digits of the shortest group from `index` on
        plus = text[groups[index].start - 1 : groups[index].start] == "+"
        for last in range(index, len(groups)):
            group = groups[last]
            if group.amount:
                break
            if last > index:
                joint = groups[last - 1].joint
                if "*" in joint and joint != "*":
                    break  # a mask's stars stand for digits: what is left of the number is no number
                if joint != _BRACKET:  # brackets go with any separator: (0311) 8765-4321
                    if kind is not None and joint != kind and " " not in (joint, kind):
                        break  # a space goes with one other separator: 139-1234 5678 reads as one number
                    spaced |= kind is not None and joint != kind
                    weak |= not _WEAK.isdisjoint(joint)
                    if kind is None or kind == " ":
                        kind = joint
            shortest = min(shortest, len(group.digits)) if last > index else len(group.digits)
            if spaced and shortest < _SPACED_GROUP:
                break  # no longer run of these groups fits (_grouping_fits): 1-2 1-2 … is read in steps of two
            digits += group.digits
            if len(digits) > 19:
                break
            if len(digits) not in _LENGTHS:
                continue
            candidates = [digits, digits + "X"] if check_x and last == len(groups) - 1 and len(digits) == 17 else [digits]
            for number in candidates:
                found = _classified(number, today, plus)
                if weak and found != ID18:
                    continue
                if found == CARD and not _grouping_fits(found, groups[index:last + 1], kind, spaced) \
                        and is_id18_mistyped(number, today):
                    found = ID18_MISTYPED  # one mistyped ID in ten passes Luhn: spaced as an ID is, it is one
                if found == ID18_MISTYPED and not _labelled(text, groups[index].start):
                    continue  # a serial of the same shape: a shorter number in it (a mobile) is still read
                if found and _grouping_fits(found, groups[index:last + 1], kind, spaced):
                    best = (found, groups[index].start, chain.end() if number.endswith("X") else group.end, number)
        if best is None:
            index += 1
            continue
        yield best
        index = next((i + 1 for i in range(index, len(groups)) if groups[i].end >= best[2]), len(groups))


def _groups(text: str, chain: re.Match) -> list[_Group]:
    written, offset = chain[0], chain.start()
    found = list(_GROUP.finditer(written))
    groups = []
    for number, group in enumerate(found):
        after = written[group.end():found[number + 1].start()] if number + 1 < len(found) else ""
        groups.append(_Group(group[0], offset + group.start(), offset + group.end(), after, _kind_of(after)))
    before = text[offset - 2 : offset - 1]
    if text[offset - 1 : offset] == "." and not (before.isalpha() or before == "."):
        groups[0].amount = True  # .13912345678 is the end of an amount, Tel.13912345678 and ...13912345678 are not
    dots = [i for i, group in enumerate(groups[:-1]) if "." in group.separator]
    for i in dots:
        following = groups[i + 1]
        decimal = groups[i].separator == "." and (
            len(dots) == 1 or (len(following.digits) <= 2 and "." not in following.separator)
        )
        if decimal:  # 13912345678.5 and 0.13912345678 are amounts
            following.amount = True
            # but a tail of zeros adds nothing to a whole number: 13912345678.0, as a spreadsheet column of numbers
            # exported as decimals writes a phone, still shows every digit of it
            groups[i].amount = following.digits.strip("0") != ""
    _unmask(groups, written[-1] in _XS)
    return groups


# What a masked number of each length that is a mobile's and no other kind's begins with (its stars come later).
_MASKED_STARTS = {11: "1", 12: "0", 13: "86"}


def _masked_length(length: int, first: str) -> bool:
    """Whether a masked number `length` characters long, its first group `first`, can be a number of some kind."""
    return length in _LENGTHS and first.startswith(_MASKED_STARTS.get(length, ""))


def _unmask(groups: list[_Group], check_x: bool = False) -> None:
    """Stars between digit groups that stand for no digits: a mask's stars are put where digits were, so the masked
    number, its stars counted as digits, is as long as a number of some kind (139****5678, 110105********1234) and
    begins as that kind does (a mobile with 1, one dialled with its trunk 0 or country code 86 with those); a run of
    groups joined without spaces that is no such number with its stars (440305**198704160448: twenty characters,
    139**12345678: thirteen, not after 86) shows every digit, the stars between them as a separator (a plain-text
    field shows it as written, a code block too)."""
    start = 0
    for end in range(len(groups)):
        if end + 1 < len(groups) and groups[end].joint != " ":
            continue
        run = groups[start : end + 1]
        starred = [group for group in run[:-1] if "*" in group.joint and group.joint != "*"]
        stars = sum(group.separator.count("*") for group in starred)
        length = sum(len(group.digits) for group in run) + stars + (check_x and end == len(groups) - 1)  # the ID's X
        if starred and not _masked_length(length, run[0].digits):
            for group in starred:
                group.joint = "*"
        start = end + 1


_SPACED_GROUP = 3  # digits of each group at least, where a space joins another separator's groups
_CARD_SHAPES = re.compile(r"4(?:,4){3}(?:,[1-4])?|6,\d+")


def _grouping_fits(kind: str, groups: list[_Group], separator: str | None, spaced: bool = False) -> bool:
    """Whether groups joined by bare spaces are written the way such a number is (see the module's doc); groups joined
    by a space and another separator (`spaced`) each have three digits or more (1999-12-31 12 3 is a date and more)."""
    if spaced:
        return all(len(group.digits) >= _SPACED_GROUP for group in groups)
    sizes = [len(group.digits) for group in groups]
    if kind == ID18_MISTYPED and separator == " " and len(groups) > 1:
        # as an ID is printed: without its check, no other spacing reads as one (an X ending it is no group's digit)
        return sizes in ([6, 8, 4], [6, 4, 4, 4], [6, 8, 3], [6, 4, 4, 3])
    if len(groups) == 1 or kind == ID18 or separator != " ":
        return True
    if all(size == 1 for size in sizes):
        return True
    if kind == CARD:
        return bool(_CARD_SHAPES.fullmatch(",".join(map(str, sizes))))
    return all(size >= 3 for size in sizes)


def conceal(text: str) -> str:
    """`text` with every personal number in it masked as the findings are (139****5678): for a message
    that quotes the content — a YAML key, a value, a line of context — on its way to CI logs."""
    findings = list(find(text, LATEST))  # any birth date up to the last date content may hold
    if not findings:
        return text
    parts, last = [], 0
    for finding in findings:
        if finding.start >= last:
            parts += [text[last:finding.start], finding.masked]
            last = finding.end
    return "".join([*parts, text[last:]])


def mask(number: str) -> str:
    """Keep enough to find the number again, never the whole: 1311**********2042, 139****5678."""
    keep_head = 3 if len(number) <= 11 else 4
    return number[:keep_head] + "*" * (len(number) - keep_head - 4) + number[-4:]
