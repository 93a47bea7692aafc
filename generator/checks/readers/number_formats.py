"""What a spreadsheet cell shows under a number format whose own text holds digits.

A format can write part of a number itself: under `"139"00000000` the cell holds 12345678 and the reader
sees 13912345678; under `000-0000-0000` a stored 13912345678 shows as 139-1234-5678. The cell's value is
read anyway, so only formats with digits in their literal text need this; dates, times, fractions and
exponents are left alone (their digits are the value's own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_UNSUPPORTED = frozenset("yYmMdDhHsSeEbBgG/")  # date, time, era, exponent and fraction codes


@dataclass
class _Section:
    tokens: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): "lit", "ph" (0 # ?), "dot", "at", "general"
    supported: bool = True
    percent: int = 0
    grouping: bool = False
    scale: int = 0  # thousands the number is divided by (commas after the last digit placeholder)


def sections(code: str) -> list[_Section]:
    """The sections of a format code (positive;negative;zero;text), tokenised."""
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
        if char == "[":  # a colour, a condition or a locale
            end = code.find("]", index)
            index = len(code) if end == -1 else end + 1
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
        elif char in _UNSUPPORTED:
            section.supported = False
        else:
            section.tokens.append(("lit", char))
        index += 1
    for section in found:
        _commas(section)
    return found


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


def shown(value: str, code: str, *, text: bool = False) -> str | None:
    """The text the cell shows for `value` (a number, or a text when `text`), None where this is not worked out."""
    parts = sections(code)
    if text:
        section = next((part for part in parts if any(kind == "at" for kind, _ in part.tokens)), None)
        return _render(section, 0.0, value) if section is not None else None
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
        sign = "-" if number < 0 else ""
    if not section.supported or number != number or abs(number) > 1e20:
        return None
    return sign + _render(section, abs(number), value)


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
