"""What a 公文 says about itself (GB/T 9704-2012): 份号, 密级, 紧急程度 and the 发文机关标志 (红头)
above; the 发文字号; the 标题; then 主送机关, 正文, 附件说明, 发文机关署名, 成文日期; 版记 at the end.

The 标题 is the first text after the head (centred lines, possibly two), the 发文字号 a line
like “青住建〔2025〕3号” (an 签发人 on the same line is dropped), the 成文日期 the first line after
the 标题 that is nothing but a date, in Chinese numerals (二〇二五年三月五日) or digits.
Head lines and the 版记 (抄送, 印发) are not body text; everything else stays in the body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .blocks import Block, Paragraph

NUMERALS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4,
            "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = "0-9０-９〇○零Ｏ一二三四五六七八九十"
DATE_LINE = re.compile(rf"^([{_NUM}Oo]{{4}})\s*年\s*([{_NUM}]{{1,3}})\s*月\s*([{_NUM}]{{1,3}})\s*日$")
DOC_NO = re.compile(r"^(?P<no>[^\s\d〔\[［(（][^\s]{0,24}?[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,5}\s*号)(?:\s+.*签发人.*)?$")
SERIAL_NO = re.compile(r"^\d{6}$")  # 份号
SECRECY = re.compile(r"^(绝密|机密|秘密)(★.*)?$")
URGENCY = re.compile(r"^(特急|加急|特提|平急)$")
MASTHEAD = re.compile(r".{2,40}文件$")
COPY_TO = re.compile(r"^(抄送|主送|分送)[:：]")
PRINTED = re.compile(r".*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")
MAIN_RECIPIENT = re.compile(r".{2,}[:：]$")
TITLE_MAX = 200


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _number(text: str) -> int | None:
    """二十八 → 28, 十 → 10, 3 / ３ → 3."""
    text = text.translate({ord(ch): ord(ch) - 0xFEE0 for ch in "０１２３４５６７８９"})
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        high = NUMERALS.get(tens, -1) if tens else 1
        low = NUMERALS.get(ones, -1) if ones else 0
        return None if high < 0 or low < 0 else high * 10 + low
    if len(text) == 1 and text in NUMERALS:
        return NUMERALS[text]
    return None


def parse_date(text: str) -> dt.date | None:
    """The date of a line like 二〇二五年三月五日 or 2025年3月5日; None if it is not exactly a real date."""
    found = DATE_LINE.match(_squeeze(text))
    if not found:
        return None
    year_text = found[1].translate({ord(ch): ord(ch) - 0xFEE0 for ch in "０１２３４５６７８９"})
    year_digits = [NUMERALS.get(ch) if not ch.isdigit() else int(ch) for ch in year_text]
    month, day = _number(found[2]), _number(found[3])
    if any(d is None for d in year_digits) or month is None or day is None:
        return None
    year = int("".join(str(d) for d in year_digits))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass
class Recognised:
    title: str = ""
    doc_no: str = ""
    written: dt.date | None = None
    body: list[Block] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # what was left out of the body, for the editor


def recognise(blocks: Sequence[Block]) -> Recognised:
    found = Recognised()
    index = 0
    # The head: everything before the 标题 — 份号, 密级, 紧急程度, 红头, 发文字号, blank lines.
    while index < len(blocks):
        block = blocks[index]
        if not isinstance(block, Paragraph):
            break
        text = _squeeze(block.text)
        spaced = block.text.strip()
        if not text and not block.media:
            index += 1
            continue
        doc_no = DOC_NO.match(re.sub(r"[\s\u3000]+", " ", spaced))
        if doc_no and not found.doc_no:
            found.doc_no = _squeeze(doc_no["no"])
        elif SERIAL_NO.match(text) or URGENCY.match(text):
            found.dropped.append(f"版头“{text}”")
        elif SECRECY.match(text):
            found.body.append(block)  # kept, so that the secrecy scan stops the item
        elif (block.red or MASTHEAD.match(text)) and not found.doc_no and len(text) <= 40:
            found.dropped.append(f"发文机关标志“{text}”")
        else:
            break
        index += 1
    # The 标题: centred lines in a row (one or two), else the first line.
    title_lines: list[str] = []
    before_title = index
    while index < len(blocks) and isinstance(blocks[index], Paragraph):
        block = blocks[index]
        assert isinstance(block, Paragraph)
        text = block.text.strip()
        if not text:
            if title_lines:
                break
            index += 1
            continue
        centred = block.align == "center"
        if title_lines and (not centred or MAIN_RECIPIENT.match(text) or len(title_lines) == 3):
            break
        if block.media or parse_date(text):
            break
        title_lines.append(re.sub(r"\s+", " ", text.replace("\n", "")))
        index += 1
        if not centred:
            break
    found.title = "".join(title_lines).strip()
    if len(found.title) > TITLE_MAX:  # body text, not a title: cut to a title, the rest of it was lost
        found.title, index = "", before_title
    for block in blocks[index:]:
        if isinstance(block, Paragraph):
            text = _squeeze(block.text)
            if found.written is None and (date := parse_date(text)):
                found.written = date
            if COPY_TO.match(text) or PRINTED.match(text):
                found.dropped.append(f"版记“{block.text.strip()[:40]}”")
                continue
        found.body.append(block)
    while found.body and isinstance(found.body[-1], Paragraph) and not found.body[-1].text.strip() and not found.body[-1].media:
        found.body.pop()
    return found
