"""Characters a reader cannot see, and how to name them in a message.

Control characters (Unicode Cc), format characters (Cf: zero-width spaces, bidirectional
overrides, soft hyphens, a BOM) and the line/paragraph separators make two texts that look the
same differ, or make a text read differently than it shows; none belongs in a disclosure item.
The ranges are written out (Unicode 15) because computing them from `unicodedata` at import time
costs a noticeable fraction of a second on every command; a test compares them with `unicodedata`.
"""

from __future__ import annotations

import re

from .bmp_regex import BmpFirst

# Unicode's 66 noncharacters: not text at all. XML cannot hold U+FFFE/U+FFFF (a Word report with one fails to
# write), and a browser reads every one as an error in the page.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
# The unassigned code points Unicode reserves as Default_Ignorable_Code_Point (DerivedCoreProperties.txt): not
# characters yet, but browsers already draw each as nothing, so one inside a number or a 密级 mark leaves it whole
# to a reader and split to a scan. No text has a use for them.
IGNORABLE_UNASSIGNED = "\u2065\ufff0-\ufff8\U000e0000\U000e0002-\U000e001f\U000e0080-\U000e00ff\U000e01f0-\U000e0fff"
# Cc without tab and line feed, Cf, Zl, Zp, the noncharacters and the unassigned default-ignorables.
_INVISIBLE_RANGES = NONCHARACTERS + IGNORABLE_UNASSIGNED + (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
INVISIBLE = BmpFirst(f"[{_INVISIBLE_RANGES}]")
# Of those, what no text value may hold: controls, line and paragraph separators, and the marks and
# overrides that reorder how a line is displayed. Zero-width spaces, joiners and soft hyphens only hide
# between letters; the privacy, secrecy and wording scans read the text with them folded away.
# The marks and overrides that reorder how a line is displayed (Unicode's Bidi_Control): the Arabic letter mark,
# LRM and RLM, the embeddings and overrides, the isolates. `problems.printable` writes them out as escapes too.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Unicode's tag characters: each an ASCII letter, digit or sign drawn as nothing. A text spelled in them (a personal
# number, a sentence) reached the page whole, read by any program and seen by no reviewer; the scans folded them away.
# Their one use, the flags of subdivisions in emoji, has no place in a disclosure item.
TAG_CHARACTERS = "\U000e0001\U000e0020-\U000e007f"
_CONTROLS = f"\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029{NONCHARACTERS}{IGNORABLE_UNASSIGNED}{TAG_CHARACTERS}"
CONTROL = BmpFirst(f"[{_CONTROLS}]")
# What `without_controls` drops from text brought in from elsewhere: CONTROL, and a BOM, which the loader refuses
# inside a file (GK009). The line-like ones become a space first: Word marks its own line breaks otherwise (<w:br/>).
_LINE_LIKE = re.compile("[\x0b-\x0d\x85\u2028\u2029]")
_DROPPED = BmpFirst(f"[{_CONTROLS}\ufeff]")


def without_controls(text: str) -> tuple[str, int]:
    """`text` without the characters an item may not hold (GK009, GK016), and how many there were."""
    spaced, lines = _LINE_LIKE.subn(" ", text)
    kept = _DROPPED.sub("", spaced)
    return kept, len(spaced) - len(kept) + lines


# Spaces that are not the ASCII space (Zs): they look like one but YAML does not treat them as one.
ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

_NAMES = {
    0x00: "空字符 NUL", 0x09: "制表符 Tab", 0x0B: "垂直制表符（常见于从 Word 复制的文字）", 0x0C: "换页符",
    0x0D: "回车符 CR", 0x1B: "转义符 ESC", 0x7F: "删除符 DEL", 0x85: "换行符 NEL", 0xA0: "不换行空格",
    0xAD: "软连字符", 0x200B: "零宽空格", 0x200C: "零宽不连字", 0x200D: "零宽连字", 0x200E: "从左到右标记",
    0x200F: "从右到左标记", 0x2028: "行分隔符", 0x2029: "段分隔符", 0x202A: "双向文字控制符",
    0x202B: "双向文字控制符", 0x202C: "双向文字控制符", 0x202D: "双向文字覆盖符", 0x202E: "从右到左覆盖符",
    0x2060: "零宽不换行符", 0x3000: "全角空格", 0xFEFF: "BOM（零宽不换行空格）",
}


def describe(char: str) -> str:
    """“U+200B（零宽空格）”."""
    code = ord(char)
    if code in _NAMES:
        name = _NAMES[code]
    elif code < 0x20 or 0x7F <= code <= 0x9F:
        name = "控制字符"
    elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        name = "非字符：不是文字，常见于损坏的文件或转码错误"
    elif ODD_SPACE.match(char):
        name = "特殊空格"
    elif code == 0xE0001 or 0xE0020 <= code <= 0xE007F:
        name = "标签字符：看不见，却能把一段文字藏在页面里"
    else:
        name = "看不见的格式字符"
    return f"U+{code:04X}（{name}）"
