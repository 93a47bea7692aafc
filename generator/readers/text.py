"""CSV and text files: the encoding detected, CSV cells kept apart, and the cells a spreadsheet would run."""

from __future__ import annotations

import codecs
import csv
import io
import re
from fractions import Fraction

from ..file_heads import opens_as_sylk
from .core import AS_SHOWN, Reading, named

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes, utf32: bool = True) -> str:
    """Text of a CSV or TXT file: BOM, else UTF-8, else UTF-16 by its NUL bytes, else GB18030 (and Big5 too when the
    bytes read as both), else detected.
    Under a UTF-32 mark, also the text a reader without UTF-32 sees (browsers, by WHATWG's rules, take FF FE 00 00
    for UTF-16LE's mark and a NUL): read as UTF-32 only, a table in clear UTF-16 was replacement characters."""
    for bom, encoding in _BOMS if utf32 else _BOMS[2:]:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            return f"{text}\n{decode_text(data, utf32=False)}" if encoding.startswith("utf-32") else text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(0) * 4 >= len(sample) > 0:  # UTF-16 without a BOM: a NUL byte in every ASCII character
        even_nuls = sample[0::2].count(0)
        return data.decode("utf-16-be" if even_nuls > sample[1::2].count(0) else "utf-16-le", errors="replace")
    try:
        simplified = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:  # GB18030 reads nearly any bytes: a Big5 table (Traditional Chinese systems) read as it was nonsense
        try:
            traditional = data.decode("big5hkscs")
        except UnicodeDecodeError:
            return simplified
        return f"{simplified}\n{_only_where_it_differs(traditional, simplified)}"  # as either kind of system shows it
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    return data.decode(best.encoding if best else "gb18030", errors="replace")


def _only_where_it_differs(second: str, first: str) -> str:
    """`second` reading of the same bytes with what it shares with `first` blanked (lines kept): both read the bytes
    pair by pair alike, so ASCII stands at the same places, and a number in both would be reported twice."""
    if len(second) != len(first):
        return second
    return "".join(char if char != other or char == "\n" else " " for char, other in zip(second, first, strict=True))


def read_csv(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    try:
        cells = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # not really comma-separated: read it as lines
        cells = [[line] for line in text.split("\n")]
    reading.add(named(prefix, "第 {line} 行"), "\n".join("\t".join(row + _formulas_shown(row)) for row in cells))
    shown = ["\t".join(converted(cell) for cell in row) for row in cells]
    reading.add(named(prefix, f"第 {{line}} 行{AS_SHOWN}"),
                "\n".join(line if line != "\t".join(row) else "" for line, row in zip(shown, cells, strict=True)))
    if prefix and opens_as_sylk(data):  # an attached CSV is refused for it before it is read (GK616)
        reading.formula(named(prefix, "开头的“ID”（Excel 会把它当作 SYLK 格式打开，能执行宏公式）"))
    for number, row in enumerate(cells, 1):
        for column, cell in enumerate(row, 1):
            if _FORMULA.match(cell) and _CALLS.search(cell):
                reading.formula(named(prefix, f"第 {number} 行第 {column} 列的单元格"))


# What Excel, WPS and LibreOffice run when they open a CSV: a cell starting as a formula (after tabs, returns or
# spaces some of them drop; full-width forms too, which an input method types), that calls a function
# (=HYPERLINK(…), =WEBSERVICE(…)) or another program (DDE: =cmd|' /C calc'!A0). "-5", "+86 138…" and "=A1" call
# nothing and are let be.
_FORMULA = re.compile(r"[\t\r\n ]*[=+\-@＝＋－＠]")
# A name is tried only where one starts, and read without giving back: a cell of 100,000 letters is one try.
_CALLS = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_.][A-Za-z0-9_.]*+\s*+[(（]|[|｜]")


def calls_out(formula: str) -> bool:
    """Whether a formula of a workbook (where formulas belong) calls another program (DDE: `cmd|' /C calc'!A0`), a
    library (CALL, REGISTER) or fetches a web address (WEBSERVICE) when the workbook is opened."""
    bare = _STRINGS.sub('""', formula)
    return "|" in bare or bool(_OUTSIDE.search(bare))


_STRINGS = re.compile(r'"[^"]*"')
_OUTSIDE = re.compile(r"\b(?:WEBSERVICE|CALL|REGISTER|REGISTER\.ID|EXEC)\s*\(", re.I)


# The constants a formula joins into what its cell shows: strings, numbers, and characters by their codes.
_CONSTANTS = re.compile(r'"((?:[^"]|"")*+)"|\b(?:UNI)?CHAR\s*\(\s*(\d{1,7})\s*\)|(?<![A-Za-z0-9_.$])(\d+)', re.I)


def _formulas_shown(row: list[str]) -> list[str]:
    """What the formula cells of a CSV row show, after the row (Excel and WPS evaluate them on opening)."""
    return [shown for cell in row if _FORMULA.match(cell) and (shown := formula_shows(cell))]


# A field a spreadsheet opening the CSV takes for a number: a sign, thousands separators, leading zeros, a decimal part.
_NUMBER = re.compile(r"\s*+([+-]?)((?:\d{1,3}(?:,\d{3})++|\d++))(?:\.(\d*+))?\s*+")


def converted(cell: str) -> str:
    """What a spreadsheet shows for a CSV field: a number as General writes it (`0013912345678` → 13912345678,
    `13,912,345,678` → 13912345678), an arithmetic formula's result, else the field as it is."""
    if (number := _NUMBER.fullmatch(cell)) is not None:
        whole = number[2].replace(",", "").lstrip("0") or "0"
        fraction = (number[3] or "").rstrip("0")
        return ("-" if number[1] == "-" else "") + whole + (f".{fraction}" if fraction else "")
    if cell.lstrip().startswith("=") and (value := arithmetic(cell.lstrip()[1:])) is not None:
        return value
    return cell


def formula_shows(formula: str) -> str:
    """The constants of `formula` joined in order, as `="1101011990"&"03074514"`, `CONCAT("139","1234",5678)` or
    `"机"&UNICHAR(23494)&"★"` show them: read as written, an ID number, a phone number or 机密★ built of pieces
    passed the scans."""
    pieces = []
    for found in _CONSTANTS.finditer(formula):
        if found[1] is not None:
            pieces.append(found[1].replace('""', '"'))
        elif found[2] is not None:
            code = int(found[2])
            pieces.append(chr(code) if 0x20 <= code < 0x110000 and not 0xD800 <= code <= 0xDFFF else "")
        else:
            pieces.append(found[3])
    return "".join(pieces)


# Arithmetic on number constants, which Excel and LibreOffice compute when they open the file: `=139*100000000+12345678`
# shows 13912345678. Read by a small parser of + - * / and brackets, never `eval`; bounded in length and depth.
_ARITHMETIC = re.compile(r"\s*+(?:((?:\d++\.?\d*+|\.\d++)(?:[eE][+-]?\d{1,3})?)|([-+*/()]))")
_ARITHMETIC_CHARS = 256
_ARITHMETIC_DEPTH = 32


def arithmetic(formula: str) -> str | None:
    """The number a formula of number constants, + - * / and brackets shows (as Excel's General format writes it), or
    None for any other formula, a division by zero or one too long to work out."""
    formula = formula.strip()
    if len(formula) > _ARITHMETIC_CHARS:
        return None
    tokens: list[str | Fraction] = []
    at = 0
    while at < len(formula):
        found = _ARITHMETIC.match(formula, at)
        if found is None:
            return None
        tokens.append(Fraction(found[1]) if found[1] else found[2])
        at = found.end()
    try:
        value, end = _sum(tokens, 0, 0)
    except (_NotArithmetic, ZeroDivisionError):
        return None
    return general(value) if end == len(tokens) and abs(value) < 10**300 else None


class _NotArithmetic(Exception):
    pass


def _sum(tokens: list[str | Fraction], at: int, depth: int) -> tuple[Fraction, int]:
    value, at = _product(tokens, at, depth)
    while at < len(tokens) and tokens[at] in ("+", "-"):
        right, end = _product(tokens, at + 1, depth)
        value, at = (value + right if tokens[at] == "+" else value - right), end
    return value, at


def _product(tokens: list[str | Fraction], at: int, depth: int) -> tuple[Fraction, int]:
    value, at = _factor(tokens, at, depth)
    while at < len(tokens) and tokens[at] in ("*", "/"):
        right, end = _factor(tokens, at + 1, depth)
        value, at = (value * right if tokens[at] == "*" else value / right), end
    return value, at


def _factor(tokens: list[str | Fraction], at: int, depth: int) -> tuple[Fraction, int]:
    if depth > _ARITHMETIC_DEPTH or at >= len(tokens):
        raise _NotArithmetic
    token = tokens[at]
    if isinstance(token, Fraction):
        return token, at + 1
    if token in ("+", "-"):
        value, end = _factor(tokens, at + 1, depth + 1)
        return (-value if token == "-" else value), end
    if token == "(":
        value, end = _sum(tokens, at + 1, depth + 1)
        if end < len(tokens) and tokens[end] == ")":
            return value, end + 1
    raise _NotArithmetic


def general(value: Fraction) -> str:
    """A number as Excel's General format writes it in a wide cell: whole numbers in full up to 20 digits, others to 15
    significant digits."""
    if value.denominator == 1 and abs(value) < 10**20:
        return str(value.numerator)
    text = f"{float(value):.15g}"
    return str(int(float(text))) if "e" in text and float(text).is_integer() and abs(float(text)) < 1e20 else text


def read_txt(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    reading.add(named(prefix, "第 {line} 行"), decode_text(data).replace("\r\n", "\n"))
