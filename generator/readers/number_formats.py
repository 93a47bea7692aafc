"""What a spreadsheet cell shows under its number format.

A format can write part of a number itself: under `"139"00000000` the cell holds 12345678 and the reader
sees 13912345678; under `000-0000-0000` a stored 13912345678 shows as 139-1234-5678. It can change the digits
too: `0,` divides by a thousand, `0` rounds 13912345678.4, `0%` multiplies by a hundred, and a date code writes
the day a serial number stands for (`"110101"yyyymmdd"0038"` on 32939 shows 110101199003070038). Eras,
fractions, exponents and elapsed times are not worked out (`shown` gives None).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

_UNSUPPORTED = frozenset("eEbBgG/")  # era, exponent and fraction codes (a date's "/" is read as a literal)
_DATE_CODES = frozenset("yYmMdDhHsS")


@dataclass
class _Section:
    tokens: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): "lit", "ph" (0 # ?), "dot", "at",
    # "general", "date" (a run of one date or time letter, lower case: "yyyy", "m", "ss"), "ampm" ("AM/PM", "A/P")
    supported: bool = True
    percent: int = 0
    grouping: bool = False
    scale: int = 0  # thousands the number is divided by (commas after the last digit placeholder)


@functools.lru_cache(maxsize=1024)
def sections(code: str) -> tuple[_Section, ...]:
    """The sections of a format code (positive;negative;zero;text), tokenised; cached, since every cell is shown."""
    found = [_Section()]
    index = 0
    while index < len(code):
        char = code[index]
        section = found[-1]
        if char == '"':
            end = code.find('"', index + 1)
            end = len(code) if end == -1 else end
            section.tokens.append(("lit", code[index + 1:end]))
            index = end + 1
            continue
        if char in "\\_*":
            if char != "*":  # \x shows x, _x a space as wide as x, *x repeats x to fill the cell
                section.tokens.append(("lit", code[index + 1:index + 2] if char == "\\" else " "))
            index += 2
            continue
        if char == "[":  # a colour, a condition or a locale; [h] [mm] [ss] are elapsed times, not worked out
            end = code.find("]", index)
            end = len(code) if end == -1 else end
            if _ELAPSED.fullmatch(code[index + 1:end]):
                section.supported = False
            index = end + 1
            continue
        if (ampm := _AMPM.match(code, index)) is not None:
            section.tokens.append(("ampm", ampm[0]))
            index = ampm.end()
            continue
        if char in _DATE_CODES:
            end = index
            while end < len(code) and code[end].lower() == char.lower():
                end += 1
            section.tokens.append(("date", code[index:end].lower()))
            index = end
            continue
        if code[index:index + 7].lower() == "general":
            section.tokens.append(("general", ""))
            index += 7
            continue
        if char == ";":
            found.append(_Section())
        elif char in "0#?":
            section.tokens.append(("ph", char))
        elif char == ".":
            section.tokens.append(("dot", "."))
        elif char == ",":
            section.tokens.append(("comma", ","))
        elif char == "%":
            section.percent += 1
            section.tokens.append(("lit", "%"))
        elif char == "@":
            section.tokens.append(("at", ""))
        elif char == "/" and not any(kind == "ph" for kind, _ in section.tokens):  # a date's separator, not a fraction
            section.tokens.append(("lit", "/"))
        elif char in _UNSUPPORTED:
            section.supported = False
        else:
            section.tokens.append(("lit", char))
        index += 1
    for section in found:
        if any(kind == "date" for kind, _ in section.tokens):
            # In a date, dots and commas are written as they are (yyyy.m.d); a digit placeholder (ss.00) is not worked out.
            section.supported = section.supported and not any(kind == "ph" for kind, _ in section.tokens)
            section.tokens = [("lit", text) if kind in ("dot", "comma") else (kind, text) for kind, text in section.tokens]
        _commas(section)
    return tuple(found)


_AMPM = re.compile(r"AM/PM|A/P", re.I)
_ELAPSED = re.compile(r"h+|m+|s+", re.I)


def _commas(section: _Section) -> None:
    """A comma between digit placeholders groups thousands; commas after the last one divide by a thousand each."""
    tokens = section.tokens
    integer_end = next((i for i, (kind, _) in enumerate(tokens) if kind == "dot"), len(tokens))
    last = max((i for i, (kind, _) in enumerate(tokens[:integer_end]) if kind == "ph"), default=-1)
    for i, (kind, _) in enumerate(tokens):
        if kind == "comma":
            if i > last and i < integer_end:
                section.scale += 1
            elif i < last:
                section.grouping = True
    section.tokens = [token for token in tokens if token[0] != "comma"]


_LITERAL_DIGIT = re.compile(r"\d")


def writes_digits(code: str) -> bool:
    """Whether the format's literal text holds a digit (only then does the shown text differ in its digits)."""
    return any(kind == "lit" and _LITERAL_DIGIT.search(text)
               for section in sections(code) for kind, text in section.tokens)


def shown(value: str, code: str, *, text: bool = False, date1904: bool = False) -> str | None:
    """The text the cell shows for `value` (a number, or a text when `text`), None where this is not worked out.
    `date1904`: the workbook counts days from 1904-01-01 (`<workbookPr date1904="1"/>`), not from 1900."""
    parts = sections(code)
    if text:  # the fourth section is for texts (an empty one hides them); else the one that writes the text (@)
        section = parts[3] if len(parts) >= 4 else next((part for part in parts if any(kind == "at" for kind, _ in part.tokens)), None)
        return _render(section, 0.0, value) if section is not None and section.supported else None
    try:
        number = float(value)
    except ValueError:
        return None
    sign = ""
    if number < 0 and len(parts) >= 2:
        section, number = parts[1], -number
    elif number == 0 and len(parts) >= 3:
        section = parts[2]
    else:
        section = parts[0]
        sign = "-" if number < 0 and section.tokens else ""
    if not section.supported or number != number or abs(number) > 1e20:
        return None
    if any(kind in ("date", "ampm") for kind, _ in section.tokens):
        return None if sign else _dated(section, number, date1904)
    return sign + _render(section, abs(number), value)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
           "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LAST_DAY = 2958465  # 9999-12-31; later serial numbers show as ####


def _day(days: int, date1904: bool) -> tuple[int, int, int, int]:
    """(year, month, day, weekday with Monday 0) of a serial day number. In the 1900 system day 1 is 1900-01-01, day 0
    shows as 1900-01-00, and day 60 is 1900-02-29, a day that never was (kept from Lotus 1-2-3)."""
    if date1904:
        day = dt.date(1904, 1, 1) + dt.timedelta(days)
    elif days == 0:
        return 1900, 1, 0, 5
    elif days == 60:
        return 1900, 2, 29, 2
    elif days < 60:  # Excel's weekdays before the day that never was are one off too
        day = dt.date(1899, 12, 31) + dt.timedelta(days)
        return day.year, day.month, day.day, (day.weekday() - 1) % 7
    else:
        day = dt.date(1899, 12, 30) + dt.timedelta(days)
    return day.year, day.month, day.day, day.weekday()


def _dated(section: _Section, number: float, date1904: bool) -> str | None:
    """A date and time section on a serial day number (the day's fraction is the time, shown to the rounded second)."""
    days, seconds = divmod(round(number * 86400), 86400)
    if days > _LAST_DAY - (1462 if date1904 else 0):
        return None
    year, month, day, weekday = _day(days, date1904)
    hour, minute, second = seconds // 3600, seconds // 60 % 60, seconds % 60
    twelve = any(kind == "ampm" for kind, _ in section.tokens)
    codes = [(i, text) for i, (kind, text) in enumerate(section.tokens) if kind == "date"]
    out = []
    for i, (kind, text) in enumerate(section.tokens):
        if kind == "ampm":
            half = ("AM", "PM") if text.upper() == "AM/PM" else (text[0], text[2])
            out.append(half[hour >= 12])
        elif kind == "date":
            out.append(_date_code(text, codes, i, (year, month, day, weekday, hour % 12 or 12 if twelve else hour, minute,
                                                   second)))
        elif kind == "general":
            out.append(str(int(number)) if number.is_integer() else repr(number))
        elif kind != "at":
            out.append(text)
    return "".join(out)


def _date_code(code: str, codes: list[tuple[int, str]], at: int, when: tuple[int, int, int, int, int, int, int]) -> str:
    year, month, day, weekday, hour, minute, second = when
    letter, width = code[0], len(code)
    if letter == "m":  # minutes right after hours or right before seconds, else the month
        place = next(n for n, (i, _) in enumerate(codes) if i == at)
        after_hours = place > 0 and codes[place - 1][1][0] == "h"
        before_seconds = place + 1 < len(codes) and codes[place + 1][1][0] == "s"
        if after_hours or before_seconds:
            return f"{minute:0{min(width, 2)}d}"
        return f"{month:0{width}d}" if width <= 2 else _MONTHS[month - 1][:3 if width == 3 else 1 if width == 5 else None]
    if letter == "y":
        return f"{year % 100:02d}" if width <= 2 else f"{year:04d}"
    if letter == "d":
        return f"{day:0{width}d}" if width <= 2 else _WEEKDAYS[weekday][:3 if width == 3 else None]
    return f"{hour if letter == 'h' else second:0{min(width, 2)}d}"


def _render(section: _Section, number: float, value: str) -> str:
    tokens = section.tokens
    dot = next((i for i, (kind, _) in enumerate(tokens) if kind == "dot"), len(tokens))
    integer_slots = [i for i, (kind, _) in enumerate(tokens[:dot]) if kind == "ph"]
    fraction_slots = [i for i, (kind, _) in enumerate(tokens) if kind == "ph" and i > dot]
    number = number * 100 ** section.percent / 1000 ** section.scale
    whole, _, fraction = f"{number:.{len(fraction_slots)}f}".partition(".")
    zeros = sum(tokens[i][1] == "0" for i in integer_slots)
    whole = whole.lstrip("0").rjust(zeros, "0")
    filled: dict[int, str] = {}
    if section.grouping and integer_slots:
        filled = dict.fromkeys(integer_slots, "")
        filled[integer_slots[0]] = f"{int(whole or 0):,}" if whole else ""
    else:
        digits = list(whole)
        for slot in reversed(integer_slots):
            placeholder = tokens[slot][1]
            filled[slot] = digits.pop() if digits else ("0" if placeholder == "0" else " " if placeholder == "?" else "")
        if integer_slots:
            filled[integer_slots[0]] = "".join(digits) + filled[integer_slots[0]]
    for slot, digit in zip(fraction_slots, fraction, strict=False):
        filled[slot] = digit
    out = []
    for i, (kind, literal) in enumerate(tokens):
        if kind == "ph":
            out.append(filled.get(i, ""))
        elif kind == "dot":
            out.append("." if fraction_slots else "")
        elif kind == "at":
            out.append(value)
        elif kind == "general":
            out.append(str(int(number)) if number.is_integer() else repr(number))
        else:
            out.append(literal)
    return "".join(out)
