"""Titles that CSS may cut (the header's one line ends in an ellipsis wherever the window ends it) keep each run the
scans read as one number in a box of its own: an ellipsis hides such a box whole, so a title's 12-digit run (no number
to the scans) never shows as its first 11 digits (a mobile number) and "…". search.js's RUN does the same for excerpts."""

from __future__ import annotations

import functools
import re
from itertools import groupby

from markupsafe import Markup, escape

from ..checks.pii import NUMERAL_DIGITS
from ..reader_text import fold

# What ends a run, as search.js's RUN has it: Han and Hiragana characters and Chinese punctuation — but the numerals.
_BREAKS = re.compile("[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                     "\U00020000-\U000323af\u3040-\u309f\u3001\u3002\u3008-\u3011\u3014-\u301b\uff01\uff08\uff09\uff0c"
                     "\uff1a\uff1b\uff1f\u201c\u201d\u2018\u2019\u2026]")


@functools.cache
def _in_run(char: str) -> bool:
    return not _BREAKS.match(char) or bool(fold(char)) and set(fold(char)) <= NUMERAL_DIGITS


@functools.cache
def _has_digit(char: str) -> bool:
    return any(part.isdigit() or part in NUMERAL_DIGITS for part in fold(char))


def runs_whole(text: object) -> Markup:
    """`text` escaped, each run holding a digit wrapped in `<span class="gk-run">` (an inline block: see site.css)."""
    pieces = []
    for in_run, chars in groupby(str(text), key=_in_run):
        run = "".join(chars)
        if in_run and any(map(_has_digit, run)):
            pieces.append(Markup('<span class="gk-run">{}</span>').format(run))
        else:
            pieces.append(escape(run))
    return Markup("").join(pieces)
