"""RTF (a Word altChunk, an embedded or zipped file): the text of every group a reader can show or reveal.

Headers, footers, notes, comments, field codes and document properties are text a reader of the file
sees or reveals, so they are kept — a converter for display drops them. Skipped are only the groups
that hold no text but data (fonts, colours, styles, pictures, embedded objects in hex), whose long
runs of hex digits would read as numbers; an embedded object is named as not read (GK305).
"""

from __future__ import annotations

import codecs
import re

from .core import Reading, named

# One token at a time; the alternatives start with different characters, so matching is linear.
_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S
)
# Groups of data, not text.
_DATA = frozenset((
    "fonttbl", "colortbl", "stylesheet", "listtable", "listoverridetable", "pict", "themedata", "colorschememapping",
    "datastore", "latentstyles", "rsidtbl", "blipuid", "panose", "fontemb", "fontfile", "passwordhash", "objdata",
    "shppict", "nonshppict", "bkmkend", "xmlnstbl", "wgrffmtfilter", "generator", "mmodsoudldata",
    "datafield", "protusertbl", "revtbl", "filetbl",
))
# Groups that are parts of their own (a header, a note, a property, a field's code): a line apart from the text
# around them. Formatting groups ({\\b …}) run on in their line, so a number split by them stays one.
_PARTS = frozenset((
    "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "annotation",
    "atnauthor", "atnid", "info", "title", "subject", "author", "operator", "keywords", "comment", "doccomm", "company",
    "manager", "category", "hlinkbase", "fldinst", "fldrslt", "shptxt", "sn", "sv", "txe", "xe", "tc", "propname",
    "staticval", "userprops", "docvar", "ffname", "ffdeftext", "ffhelptext", "ffstattext", "ffl", "bkmkstart",
))
_BREAKS = {"par": "\n", "line": "\n", "row": "\n", "sect": "\n", "page": "\n", "cell": "\t", "nestcell": "\t",
           "tab": "\t", "emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’",
           "ldblquote": "“", "rdblquote": "”", "emspace": " ", "enspace": " ", "qmspace": " "}
_SYMBOLS = {b"~": " ", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n", b"\r": "\n"}


def _codec(page: int) -> str:
    try:
        return codecs.lookup(f"cp{page}").name
    except LookupError:
        return "gb18030"


def rtf_text(data: bytes) -> tuple[str, bool]:
    """The text of an RTF file, and whether it embeds objects that were not read."""
    out: list[str] = []
    pending = bytearray()  # \'hh bytes and raw bytes, decoded together (a GBK character is two of them)
    encoding = "cp936"  # Word writes \ansicpg; Chinese files without it are GBK
    skip = False
    part = False  # the group is a part of its own (_PARTS)
    skip_chars = 0  # characters still to drop after a \uN (its fallback)
    uc = 1
    stack: list[tuple[bool, bool, int]] = []
    objects = False
    position = 0

    def flush() -> None:
        if pending:
            out.append(pending.decode(encoding, errors="replace"))
            pending.clear()

    while position < len(data):
        token = _TOKEN.match(data, position)
        if token is None:  # a lone "\" at the end
            break
        position = token.end()
        word, parameter, hexa, symbol, brace, run = token.groups()
        if brace == b"{":
            stack.append((skip, part, uc))
            part = False
            continue
        if brace == b"}":
            flush()
            if part:
                out.append("\n")
            skip, part, uc = stack.pop() if stack else (skip, False, uc)
            skip_chars = 0
            continue
        if word is not None:
            name = word.decode("ascii")
            if name == "bin" and parameter:  # raw binary data follows: never text
                position += max(0, int(parameter))
                continue
            if name in _DATA:
                objects = objects or name == "objdata"
                skip = True
            elif name in _PARTS and not part:
                flush()
                out.append("\n")
                part = True
            elif name == "ansicpg" and parameter:
                flush()
                encoding = _codec(int(parameter))
            elif name == "uc" and parameter:
                uc = max(0, int(parameter))
            elif name == "u" and parameter and not skip:
                flush()
                out.append(chr(int(parameter) % 65536))
                skip_chars = uc
            elif name in _BREAKS and not skip:
                flush()
                out.append(_BREAKS[name])
            continue
        if skip:
            continue
        if hexa is not None:
            if skip_chars:
                skip_chars -= 1
            else:
                pending.append(int(hexa, 16))
        elif symbol is not None:
            if symbol != b"*" and symbol in _SYMBOLS:
                flush()
                out.append(_SYMBOLS[symbol])
        elif run:
            dropped = min(skip_chars, len(run))
            skip_chars -= dropped
            pending.extend(run[dropped:])
    flush()
    return "".join(out), objects


def read_rtf(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    text, objects = rtf_text(data)
    reading.add(named(prefix, "第 {line} 行"), text)
    if objects:
        reading.skip(named(prefix, "嵌入的对象"), "RTF 中嵌入的对象（其他文件）无法自动读取")
