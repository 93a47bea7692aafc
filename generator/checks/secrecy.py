"""Secrecy-mark checks (GK4xx): 密级标志 and “内部资料”-type notices in text meant for the public.

A mark is told from prose by its context, not by the word alone: “保守国家秘密” and “保密审查”
are ordinary prose, “秘密★1年” or a line that is only “机密” are marks. Words are found with one
fast regex; the rare hits are then judged by their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..front_matter_schema import label
from ..problems import Problem
from ..rules import ERROR, SECRECY
from .base import CheckContext, body_position, front_matter_position
from .extract import attached_texts

LOCAL = True  # reads only each item's own file

CLASSIFIED = SECRECY.rule(
    "GK401", ERROR,
    "发现密级标志（如“秘密★1年”“机密★”“密级：绝密”或单独成行的“机密”）",
    "标有密级的文件属于国家秘密，不得公开：立即停止发布该条目并报本机关保密工作机构；"
         "若只是在制度中举例，改写为不带★、不单独成行的文字",
)
INTERNAL = SECRECY.rule(
    "GK402", ERROR,
    "发现“内部资料”“不得外传”“注意保存”等内部发行标注",
    "带这类标注的文件原则上不公开：确认可以公开并经两级审查同意后删除标注，否则把公开属性改为不予公开",
)

_STAR_AFTER = re.compile(r"\s*(?:[★☆✩✭⭐＊]|\*\s*(?:\d+\s*(?:年|个月)|长期))")
_STAR_BEFORE = re.compile(r"(?:[★☆✩✭⭐]\s*|密级\s*[:：]?\s*)$")
_OPENERS = " \t#>*_【[（(〔「『"
_CLOSERS = " \t*_】]）)〕」』"

# Marks that are never prose, and marks that are only marks when they stand alone or in brackets
# (“请注意保存缴费凭证” is prose; a line “注意保存” is a mark).
_ALWAYS = ("内部资料", "不得外传", "严禁外传", "请勿外传", "禁止外传", "不准外传", "仅供内部", "内部传阅", "内部参阅", "内部发行")
_ALONE = ("内部文件", "注意保存", "内部使用", "内部刊物")
_LEVELS = ("绝密", "机密", "秘密")
# One pass over the text for both kinds of words. Plain alternatives of literals let the engine skip
# to their first characters quickly; a capture group would make it ten times slower.
_WORDS = re.compile("|".join(_LEVELS + _ALWAYS + _ALONE))


def check(ctx: CheckContext) -> Iterator[Problem]:
    attachments_dir = ctx.project.attachments_dir
    for item, doc in ctx.sources():
        for code, start, mark in find(item.body):
            line, col = body_position(item, start)
            yield code.at(doc.path, line, f"正文中有{_explain(code, mark)}", col)
        strings = ctx.strings(doc)
        for path, text in strings.items if _WORDS.search(strings.joined) else ():
            for code, start, mark in find(text):
                line, col = front_matter_position(doc, path, mark)
                yield code.at(doc.path, line, f"{label(*path)}中有{_explain(code, mark)}", col)
        for attached in attached_texts(doc.meta, attachments_dir):
            for segment in attached.extraction.segments:
                for code, start, mark in find(segment.text):
                    yield code.at(doc.path, doc.line_of("attachments", attached.index),
                                f"{attached.name}{segment.locate(start)}有{_explain(code, mark)}")


def _explain(code: str, mark: str) -> str:
    if code == CLASSIFIED:
        return (f"密级标志“{mark}”：标有密级的文件属于国家秘密，不得公开；请停止发布并报本机关保密工作机构"
                "（若只是在制度中举例，请改写为不带★、不单独成行的文字）")
    return (f"内部发行标注“{mark}”：这类文件原则上不公开；确认可以公开并经两级审查同意后删除标注，"
            "否则把公开属性改为不予公开")


def _line_around(text: str, start: int, end: int) -> tuple[str, str]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:start], text[end : len(text) if line_end == -1 else line_end]


def _alone(before: str, after: str) -> bool:
    return not before.strip(_OPENERS) and not after.strip(_CLOSERS)


def _bracketed(before: str, after: str) -> bool:
    opener, closer = before.rstrip()[-1:], after.lstrip()[:1]
    return bool(opener and closer) and opener in "【[（(〔「『" and closer in "】]）)〕」』"


def find(text: str) -> Iterator[tuple[str, int, str]]:
    """(code, offset, the mark as written) of each secrecy mark in `text`."""
    for found in _WORDS.finditer(text):
        start, end = found.span()
        word = found[0]
        if word in _LEVELS:
            before, after = _line_around(text, start, end)
            star = _STAR_AFTER.match(after)
            if star:
                tail = re.match(r"[\d\s年个月长期]*", after[star.end():])[0]
                yield CLASSIFIED, start, (word + after[: star.end()] + tail).strip()
            elif _STAR_BEFORE.search(before) or _alone(before, after):
                yield CLASSIFIED, start, (before[-4:].lstrip(_OPENERS) + word).strip()
        elif word in _ALWAYS:
            yield INTERNAL, start, word
        else:
            before, after = _line_around(text, start, end)
            if _alone(before, after) or _bracketed(before, after):
                yield INTERNAL, start, word
