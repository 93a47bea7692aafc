"""Traditional and variant Chinese characters → the simplified form a reader takes each for (機 → 机).

The table is OpenCC's t2s conversion taken one character at a time (a phrase table would change lengths,
and with them every offset a scan reports), with the variant forms t2s keeps that a reader takes for a standard
character (`_add_variants`). Computing it takes OpenCC ≈ 40 ms, which every gongkai process
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
    """The table from OpenCC and confusable_homoglyphs (installed with the test tools)."""
    import opencc

    converter = opencc.OpenCC("t2s.json")
    chars = [chr(code) for start, end in HAN_BLOCKS for code in range(start, end)]
    # One call for all, a line each (no phrase spans a line break): 3 ms where a call a character takes 50.
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        converted = [converter.convert(char) for char in chars]
    forms = {char: simple for char, simple in zip(chars, converted, strict=True) if simple != char and len(simple) == 1}
    _add_variants(forms, chars)
    # A form that is itself converted (薴 → 苧 → 苎) goes to the end of its chain: folding twice changes nothing.
    for char, simple in forms.items():
        seen = {char}
        while simple in forms and simple not in seen:
            seen.add(simple)
            simple = forms[simple]
        forms[char] = simple
    return forms


def _standard(char: str) -> bool:
    """Whether `char` is one of the 6,763 characters of GB 2312, the simplified characters of everyday writing."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _add_variants(forms: dict[str, str], chars: list[str]) -> None:
    """Variant forms t2s leaves as they are but a reader takes for a standard character: the Japanese forms
    (OpenCC's jp2t: 徳 德, 黒 黑, 竜 龙, 戸 户) and the ideographs Unicode lists as drawn alike (confusables:
    値 值, 郞 郎, 硏 研). Only characters outside GB 2312 are read as another, and only as one in it: two everyday
    characters drawn alike (土 士, 口 囗) stay two. Without them 朱徳 and 朱德 were two people of the roster, so one
    person registered under both spellings signed both levels of an item."""
    import unicodedata
    from importlib import resources

    import opencc

    japanese = opencc.OpenCC("jp2t.json").convert("\n".join(chars)).split("\n")
    if len(japanese) != len(chars):
        japanese = [opencc.OpenCC("jp2t.json").convert(char) for char in chars]
    extra: dict[str, str] = {}
    for char, traditional in zip(chars, japanese, strict=True):
        if traditional != char and len(traditional) == 1 and char not in forms and not _standard(char):
            simple = forms.get(traditional, traditional)
            if _standard(simple):
                extra[char] = simple
    confusables = json.loads((resources.files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    for char, homoglyphs in confusables.items():
        if len(char) != 1 or char in forms or _standard(char) or not unicodedata.name(char, "").startswith("CJK UNIFIED"):
            continue
        looks = {forms.get(look["c"], look["c"]) for look in homoglyphs if len(look["c"]) == 1}
        standard = {look for look in looks if _standard(look) and unicodedata.name(look, "").startswith("CJK UNIFIED")}
        if len(standard) == 1:
            extra.setdefault(char, standard.pop())
    forms.update(extra)


def dumps(forms: dict[str, str]) -> str:
    return json.dumps(forms, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
