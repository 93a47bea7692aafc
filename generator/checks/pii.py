"""Detectors of personal numbers in text: 身份证号 (18 and 15 digits), mobile numbers, bank cards.

Pure functions over a string, so the privacy family can run them on bodies, front matter and the
text of attachments alike. A number only counts when it stands alone (not inside a longer run of
digits) and passes its own validity test; masked forms (`131122********2042`, `139****5678`)
break the digit run and so never match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum import luhn

ID18 = "id18"
ID15 = "id15"
MOBILE = "mobile"
CARD = "card"

KIND_LABELS = {ID18: "18 位身份证号", ID15: "15 位旧身份证号", MOBILE: "手机号码", CARD: "银行卡号"}

_D = "[0-9０-９]"  # editors paste full-width digits from Word too
# One pass finds both shapes: maximal digit runs long enough to matter (an X may end an 18-digit
# ID), and grouped forms — mobiles as 139-1234-5678 / 139 1234 5678, cards as 6222 0212 3456 7890 123.
# The explicit first-character class lets the regex engine skip Chinese text quickly.
_CANDIDATE = re.compile(
    rf"{_D}(?:{_D}{{10,}}[Xx]?|{_D}{{2,3}}(?P<sep>[ -]){_D}{{4}}(?:(?P=sep){_D}{{4}}){{1,3}}(?:(?P=sep){_D}{{1,3}})?)"
)
_DIGITS = "0123456789０１２３４５６７８９"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # offset in the scanned text
    end: int
    text: str  # as it appears in the text

    @property
    def masked(self) -> str:
        return mask(self.text)


def _real_date(year: int, month: int, day: int, today: dt.date) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= today


def is_id18(number: str, today: dt.date) -> bool:
    """GB 11643: 17 digits, a real birth date (1900..today) and the ISO 7064 MOD 11-2 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if not _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14]), today):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number, _ID_WEIGHTS))
    return _CHECK_CHARS[total % 11] == number[17].upper()


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
    """16–19 digits passing Luhn; no card number starts with 0."""
    return 16 <= len(number) <= 19 and number.isdigit() and number[0] != "0" and luhn.is_valid(number)


def classify(number: str, today: dt.date) -> str | None:
    if is_id18(number, today):
        return ID18
    if is_mobile(number):
        return MOBILE
    if is_id15(number, today):
        return ID15
    if is_card(number):
        return CARD
    return None


def _is_decimal_part(text: str, start: int, end: int) -> bool:
    """12345678901.5 or 0.13912345678 is an amount, not a number of a person."""
    before = text[start - 1] if start else ""
    after = text[end : end + 2]
    return before == "." or (len(after) == 2 and after[0] == "." and after[1].isdigit())


def find(text: str, today: dt.date) -> Iterator[Finding]:
    """Every personal number in `text`, in order of appearance."""
    for found in _CANDIDATE.finditer(text):
        start, end = found.span()
        if start and text[start - 1] in _DIGITS:  # a group that begins inside a longer number
            continue
        separator = found["sep"]
        if separator is None:  # a whole run, thanks to greedy matching
            number = found[0].translate(_FULL_WIDTH)
            kind = classify(number, today)
            if kind is None and number[-1] in "Xx":
                number, end = number[:-1], end - 1
                kind = classify(number, today)
            if kind and not _is_decimal_part(text, start, end):
                yield Finding(kind, start, end, text[start:end])
            continue
        if end < len(text) and text[end] in _DIGITS:
            continue
        groups = found[0].translate(_FULL_WIDTH).split(separator)
        number = "".join(groups)
        if is_mobile(number) and [len(group) for group in groups] == [3, 4, 4]:
            yield Finding(MOBILE, start, end, found[0])
        elif is_card(number):
            yield Finding(CARD, start, end, found[0])


def mask(text: str) -> str:
    """Keep enough to find the number again, never the whole: 1311**********2042, 139****5678."""
    digits = [i for i, ch in enumerate(text) if ch.isalnum()]
    keep_head = 3 if len(digits) <= 11 else 4
    hidden = set(digits[keep_head:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))
