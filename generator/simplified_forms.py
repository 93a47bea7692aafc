"""Traditional and variant Chinese characters → the simplified form a reader takes each for (機 → 机).

The table is OpenCC's t2s conversion taken one character at a time (a phrase table would change lengths,
and with them every offset a scan reports). Computing it takes OpenCC ≈ 40 ms, which every gongkai process
paid at start, so it ships as `simplified_forms.json`: `scripts/simplified_forms.py` writes it from the
OpenCC installed with the test tools, and a test checks that the file is what that OpenCC gives.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

FILE = Path(__file__).with_name("simplified_forms.json")
# CJK ideographs: extension A, the unified block, compatibility ideographs, extensions B to H.
HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x323B0))


@cache
def load() -> dict[str, str]:
    """The shipped table (read once a process)."""
    return json.loads(FILE.read_text(encoding="utf-8"))


@cache
def _by_code() -> dict[int, str]:
    return {ord(char): simple for char, simple in load().items()}


def simplified(text: str) -> str:
    """`text` with each traditional or variant character as its simplified form (one for one)."""
    return text.translate(_by_code())


def compute() -> dict[str, str]:
    """The table from OpenCC (installed with the test tools)."""
    import opencc

    converter = opencc.OpenCC("t2s.json")
    chars = [chr(code) for start, end in HAN_BLOCKS for code in range(start, end)]
    # One call for all, a line each (no phrase spans a line break): 3 ms where a call a character takes 50.
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        converted = [converter.convert(char) for char in chars]
    forms = {char: simple for char, simple in zip(chars, converted, strict=True) if simple != char and len(simple) == 1}
    # A form that is itself converted (薴 → 苧 → 苎) goes to the end of its chain: folding twice changes nothing.
    for char, simple in forms.items():
        seen = {char}
        while simple in forms and simple not in seen:
            seen.add(simple)
            simple = forms[simple]
        forms[char] = simple
    return forms


def dumps(forms: dict[str, str]) -> str:
    return json.dumps(forms, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
