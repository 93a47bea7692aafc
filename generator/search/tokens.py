"""Tokens that make Pagefind do exact Chinese substring search.

Index side: every Han character becomes one token, the bigram that starts at it; the last
character of a Han run becomes a unigram (农村危房改造 → 农村 村危 危房 房改 改造 造). Letters and
digits form whole words. A Han run of two or more characters directly after a word gets an extra
leading unigram, so that a query such as ``2021年`` can end on a single character. Spaces and
punctuation produce no token, so they are ignored by matching; a line break is a gap that no
phrase crosses.

Query side: a query is split on whitespace into terms, all of which must match. A term becomes a
chain of tokens that Pagefind matches as a quoted, contiguous phrase; consecutive positions mean
adjacent characters, so a chain of bigrams matches exactly the texts that contain the term. A term
ending in a lone Han character that no whole token can express becomes a prefix term as well.

`theme_overrides/assets/gongkai-search/tokens.js` mirrors this module in the browser (with source
offsets for excerpts); a test keeps the two in agreement.
"""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..bmp_regex import BmpFirst
from ..invisible import IGNORABLE_UNASSIGNED

# 〇, extension A, unified ideographs, compatibility ideographs, extensions B–H.
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_HAN_CHAR = BmpFirst(f"[{HAN_CLASS}]")
_SEGMENT = BmpFirst(f"([{HAN_CLASS}]+)|([^{HAN_CLASS} ]+)")

Kind = Literal["H", "W"]
HAN: Kind = "H"
WORD: Kind = "W"

# What readers do not see and the scans read past besides the format characters: the object replacement character
# (drawn as nothing, measured in Chromium), the unassigned default-ignorables, and the controls that are no blank or
# line break (a character reference brings them into the text). tokens.js's FORMAT holds the same.
_READ_PAST = BmpFirst(f"[\ufffc\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f{IGNORABLE_UNASSIGNED}]")
# A word with no letter or digit: Pagefind stores no entry for it but counts a position, so it
# keeps fields and lines apart.
GAP = "¶"
# Joins the two tokens of a pair key (`vocabulary.word_pairs`); no token holds a space.
PAIR_MARK = " "
# Only words of at most this many characters are paired: a year, a 文号's number, a count, an amount's parts are
# in every shard and need their neighbour to narrow a query; a longer word (a phone number, a serial) narrows it by
# itself, and pairing it too made the vocabulary of 100,000 number-rich notices grow by hundreds of megabytes.
PAIRED_WORD = 4


def fold(ch: str) -> str:
    """One source character as search sees it: NFKC, lower case, no marks drawn over or under a letter, and
    nothing of a format character (U+200B, U+00AD, U+2060, U+FEFF, bidirectional controls …) or of `_READ_PAST`
    (U+FFFC …), which readers do not see and the scans read past (`reader_text.fold`): 危\u200b房 is 危房 in the text and in a pasted
    query, and 13912345678\ufffc0 twelve digits, as the scans read it, never the word 13912345678.
    A spacing mark (Mc: ः, a visarga) is drawn beside its letter and kept, as the scans keep it: 139ः12345678
    is no number to the check, so it is none to search either.

    Folded per character (not per string) so the browser can map every folded character back to
    one source offset.
    """
    if unicodedata.category(ch) == "Cf" or _READ_PAST.match(ch):
        return ""
    nfd = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).lower())
    return unicodedata.normalize("NFC", "".join(c for c in nfd if unicodedata.category(c) not in ("Mn", "Me")))


class _FoldTable(dict[int, str]):
    """str.translate table: folded characters, with every non-letter/digit/Han as a space."""

    def __missing__(self, codepoint: int) -> str:
        folded = "".join(c if c.isalnum() or _HAN_CHAR.match(c) else " " for c in fold(chr(codepoint)))
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


def segments(line: str) -> Iterator[Segment]:
    """Maximal Han runs and letter/digit words of one line, in order."""
    for match in _SEGMENT.finditer(line.translate(_FOLD_TABLE)):
        han, word = match.groups()
        yield Segment(HAN, han) if han else Segment(WORD, word)


def _han_tokens(run: str, after_word: bool, complete: bool) -> list[str]:
    tokens = [run[0]] if after_word and len(run) >= 2 else []
    tokens.extend(map(operator.add, run, run[1:]))  # the bigrams
    if complete:
        tokens.append(run[-1])
    return tokens


def line_tokens(line: str, pairs: list[str] | None = None) -> list[str]:
    """Index tokens of one line; with `pairs`, each two consecutive ones of which one is a word, neither longer than
    PAIRED_WORD, are added to it (the vocabulary's pair keys, `vocabulary.word_pairs`: found here, where the words
    are known, at no cost to the Han runs)."""
    tokens: list[str] = []
    after_word = False
    # The hot loop of indexing: works on regex groups rather than Segment objects.
    for han, word in _SEGMENT.findall(line.translate(_FOLD_TABLE)):
        if word:
            if pairs is not None and tokens and len(word) <= PAIRED_WORD and len(tokens[-1]) <= PAIRED_WORD:
                pairs.append(f"{tokens[-1]}{PAIR_MARK}{word}")
            tokens.append(word)
            after_word = True
        else:
            if after_word:
                if pairs is not None and len(tokens[-1]) <= PAIRED_WORD:
                    pairs.append(f"{tokens[-1]}{PAIR_MARK}{han[0]}")  # the run's first token, whatever its length
                if len(han) >= 2:
                    tokens.append(han[0])
            tokens.extend(map(operator.add, han, han[1:]))
            tokens.append(han[-1])
            after_word = False
    return tokens


def text_tokens(text: str, pairs: list[str] | None = None) -> list[str]:
    """Index tokens of a text, with a gap between lines so that no phrase spans two (`pairs`: see line_tokens)."""
    tokens: list[str] = []
    for line in text.splitlines():
        found = line_tokens(line, pairs)
        if found:
            if tokens:
                tokens.append(GAP)
            tokens.extend(found)
    return tokens


@dataclass(frozen=True)
class Term:
    """One query term: a contiguous chain of whole tokens, or a one-character prefix."""

    kind: Literal["chain", "prefix"]
    tokens: tuple[str, ...]

    def pagefind_query(self) -> str:
        # Quoted: Pagefind's exact phrase search. Unquoted single word: its prefix lookup.
        return f'"{" ".join(self.tokens)}"' if self.kind == "chain" else self.tokens[0]


def query_terms(query: str) -> list[Term]:
    terms: list[Term] = []
    for part in query.split():
        segs = list(segments(part))
        tokens: list[str] = []
        prefix: str | None = None
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            after_word = i > 0 and segs[i - 1].kind == WORD
            if seg.kind == WORD:
                tokens.append(seg.text)
            elif last and len(seg.text) == 1 and not after_word:
                # In the text this character may start a longer run: no whole token names it.
                prefix = seg.text
            elif last and len(seg.text) == 1:
                tokens.append(seg.text)  # the text has it as a leading or run-final unigram
            else:
                tokens.extend(_han_tokens(seg.text, after_word, complete=not last))
        for term in (Term("chain", tuple(tokens)) if tokens else None, Term("prefix", (prefix,)) if prefix else None):
            if term is not None and term not in terms:  # a term given twice asks nothing more
                terms.append(term)
    return terms
