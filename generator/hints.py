"""“Did you mean” hints for a name that is not among the known ones, at a bounded cost.

A hint compares the word with every known name (difflib: up to the product of their lengths each), and a
problem that lists the known names prints them all. Both happen once per problem, and content can hold as
many problems as it has files or entries: 3,000 督办件 naming an unknown department, with 180 departments of
100 characters in the catalog, cost a check 161 s and printed 165 MB. So a word is compared only while the
comparison stays within a budget of character pairs, and a list of names is printed only while it is short.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

# Character pairs one hint may compare (at most about 0.3 ms of difflib, so 10,000 problems with a hint cost a
# check 3 s): a mistyped name of a catalog of 60 columns or departments of six characters each gets its hint; a
# longer word or a larger list of names gets none.
MAX_PAIRS = 2_000
# A list of names a message may print in full.
MAX_LISTED = 300  # characters


def close_name(word: str, names: Sequence[str], cutoff: float = 0.5) -> str | None:
    """The name closest to `word`, if one is close enough and finding it stays within MAX_PAIRS."""
    if len(word) * sum(len(name) for name in names) > MAX_PAIRS:
        return None
    close = difflib.get_close_matches(word, names, n=1, cutoff=cutoff)
    return close[0] if close else None


def known_names(names: Sequence[str], where: str) -> str:
    """The names joined with 、, or where to find them when that would be long."""
    joined = "、".join(names)
    return joined if len(joined) <= MAX_LISTED else f"共 {len(names)} 个，见 {where}"
