"""Secrecy marks (密级标志 and “内部资料”-type notices) in a text: what the secrecy family and the attachment scans read.

A mark is told from prose by its context, not by the word alone: “保守国家秘密” and “保密审查”
are ordinary prose, “秘密★1年” or a line that is only “机密” are marks. Words are found with one
fast regex; the rare hits are then judged by their line.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator

from .. import lookalikes
from ..reader_text import displayed, fold, fold_mapped, notes_read_past, source_end, zeros_as_dots
from ..rules import ERROR, SECRECY, Rule
from ..text_windows import windows

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

# Stars of every shape (★ ☆ ✦ ✩ … ⭐, and every symbol Unicode names a star, a pentagram, a sparkle or an asterisk:
# 🟊 ⚝ ✡ …); "*" and its look-alikes only before a period, as Markdown uses "*".
_STARS = "".join(sorted(set("✾✿❀❁") | set(lookalikes.stars())))
# What a reader takes for a dot or a dash between the characters of 机密 or before its star: the separators the number
# scans read (a letter drawn as a dot, ꞏ ᐧ ㆍ, is no \W), ー typed for a dash, and the asterisk and backtick the number
# scans read between digit groups (a plain-text field shows 内*部*资料 as written; a body's escaped \* too), "#" and "^";
# and the plus and straight quotes the ID scan reads past (`pii._WEAK`): 绝+密★10年 and 内'部'资料 read as marks. Not
# a semicolon, a tab, a comma or 、, which part a list's or a sheet's neighbours: “加强内部；资料归档” is prose.
_DOTS = re.escape("".join(sorted({*" ·・‧•∙⋅_~-./\\ー*`#^+'\"＋＇＂",
                                  *(form for char in lookalikes.separators() for form in (char, fold(char))
                                    if len(form) == 1 and not form.isdecimal() and not "\u3400" <= form <= "\u9fff")})))
_NOT_WORD = rf"(?:[^\w\n]|[{_DOTS}])"
_PERIOD = r"(?:[\d一二三四五六七八九十两]+\s*(?:年|个月)|长期)"
_CLOSERS = " \t*_】]）)〕」』〗〙〛|”’\"'》〉"  # quotation marks too: 说明“秘密\★”
# A star right after the word is a mark; one set apart by a little punctuation (“绝密. ★ 长期”, “秘密（★1年）”) is one
# when a period or nothing but closers follows it (“国家秘密。★重要提示” is prose and a bullet).
_STAR_AFTER = re.compile(rf"\s*(?:[{_STARS}]|[*∗⁎﹡]\s*{_PERIOD})"
                         rf"|{_NOT_WORD}{{1,3}}?(?:[{_STARS}]\s*(?:{_PERIOD}|[{re.escape(_CLOSERS)}]*$)|[*∗⁎﹡]\s*{_PERIOD})")
# A level with its period and no star, ending its line (“机密5年”, “机密（5年）”, “绝密·长期”): the mark of a copy
# whose star was left out; in prose a period follows other words (“机密级事项一般不超过20年”).
_PERIOD_AFTER = re.compile(rf"[^\w\n]{{0,3}}?{_PERIOD}[{re.escape(_CLOSERS)}]*$")
# A star before the word, or a label naming its level (密级：机密, and the long forms a form's field says: 保密等级,
# 秘密等级, 涉密等级, 定密级别).
_STAR_BEFORE = re.compile(rf"(?:[{_STARS}]{_NOT_WORD}{{0,3}}|(?:密级|[保秘涉]密等级|定密级别){_NOT_WORD}{{0,3}})$")
_TAIL = re.compile(r"[\d\s年个月长期一二三四五六七八九十两]*")
_OPENERS = " \t#>*_【[（(〔「『〖〘〚|-+"

# Marks that are never prose; notices that are marks when their clause says nothing else (“此件不得外传”, “内部
#资料，严禁外传” are marks, “涉密文件严禁外传、复印” and “建立内部传阅制度” are rules in prose); and marks that are
# only marks when they stand alone or in brackets (“请注意保存缴费凭证” is prose; a line “注意保存” is a mark).
_ALWAYS = ("内部资料", "仅供内部", "仅限内部", "内部参考资料")
_NOTICES = ("不得外传", "严禁外传", "请勿外传", "禁止外传", "不准外传", "内部传阅", "内部参阅", "内部发行", "内部参考")
# 注意保密 and 严禁复制 are watermarks Chinese Word offers ready-made; “版权所有，严禁复制” stays prose.
_ALONE = ("内部文件", "注意保存", "内部使用", "内部刊物", "内部材料", "工作秘密", "注意保密", "严禁复制", "禁止复制")
_LEVELS = ("绝密", "机密", "秘密")
# Words that hold a mark's word but name something else: the 内部资料性出版物管理办法 is public law (a cover
# that says it is a 内部资料性出版物 is still marked).
_NOT_MARKS = ("内部资料性出版物管理",)
# One pass over the text for both kinds of words. Plain alternatives of literals let the engine skip
# to their first characters quickly; a capture group would make it ten times slower.
_WORDS_LIST = _ALONE + _LEVELS + _ALWAYS + _NOTICES
_WORDS = re.compile("|".join(_WORDS_LIST))
# The notices a cover stacks on one line (内部使用 注意保存): each stands alone but for the others, and the first is
# named (内部资料 注意保存 is named once, for 内部资料).
_NOTICE_WORDS = re.compile("|".join(_ALONE + _ALWAYS + _NOTICES))

# What a reader reads as the same word: the folding makes traditional characters simplified (機密 is 机密); a
# variant of 密 that the traditional table does not hold; the words with spaces or dots between their
# characters (“机 密”, “机·密”).
_VARIANTS = str.maketrans("宻袐", "密秘")  # 袐: the common miswriting of 祕 (秘)
_VARIANT_CHARS = re.compile("[宻袐]")
_HAN = "\u3400-\u9fff"
_GAP_CHARS = f"[{_DOTS}]"
# Filler between two Han characters or a Han character and a star (“秘密\★”: a Markdown escape the page shows), or
# spaces anywhere. Written to start with the filler (its lookbehind after it): the regex engine then skips to the next
# filler character instead of trying every position of the text.
_GAP = re.compile(rf"{_GAP_CHARS}(?<=[{_HAN}]{_GAP_CHARS}){_GAP_CHARS}*(?=[{_HAN}{_STARS}])| +")


_CONTEXT = 48  # characters of the line read on each side of a word: a mark's context is short


def _line_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The line's text before and after the word, at most _CONTEXT characters each (a longer side is
    cut after a "\0", which no opener or closer strips, so the word does not stand alone)."""
    line_start = text.rfind("\n", max(0, start - _CONTEXT - 1), start) + 1
    if not line_start and start > _CONTEXT:
        line_start = start - _CONTEXT
    line_end = text.find("\n", end, end + _CONTEXT + 1)
    before = text[line_start:start]
    if line_start and text[line_start - 1] != "\n":
        before = "\0" + before
    after = text[end : end + _CONTEXT] if line_end == -1 else text[end:line_end]
    if line_end == -1 and end + _CONTEXT < len(text):
        after += "\0"
    return before, after


def _alone(before: str, after: str) -> bool:
    return not before.strip(_OPENERS) and not after.strip(_CLOSERS)


_CLAUSE = re.compile(r"[，,、；;。！!：:？?\0]")
_SUBJECT = 4  # characters a notice's clause may hold before its words: 此件, 本文件, 内部资料, 仅供


def _notice(before: str, after: str) -> bool:
    """Whether the words end a clause that says little else (“此件不得外传。”, “（仅供内部传阅）”)."""
    clause_before = _CLAUSE.split(before)[-1].strip(_OPENERS)
    clause_after = _CLAUSE.split(after)[0].strip(_CLOSERS)
    return not clause_after and len(clause_before) <= _SUBJECT


def _bracketed(before: str, after: str) -> bool:
    opener, closer = before.rstrip()[-1:], after.lstrip()[:1]
    return bool(opener and closer) and opener in "【[（(〔「『〖〘〚" and closer in "】]）)〕」』〗〙〛"


def find(text: str) -> Iterator[tuple[Rule, int, str]]:
    """(rule, offset in `text`, the mark as written) of each secrecy mark in `text`."""
    for rule, start, mark, _ in find_marks(text):
        yield rule, start, mark


def find_marks(text: str) -> Iterator[tuple[Rule, int, str, str]]:
    """(rule, offset in `text`, the mark as written, its word as read: 机密, 内部资料 …) of each mark, in the order
    the text holds it and in the order readers see it where a right-to-left override reverses it; a long text a window
    at a time (`text_windows`)."""
    for window in windows(text):
        for rule, first, mark, word in _marks_of(window.text):
            if window.owns(first):
                yield rule, first + window.start, mark, word


def _marks_of(text: str) -> Iterator[tuple[Rule, int, str, str]]:
    found = list(_spans(text))
    # A note mark read past (机密①★, 机²密★, a line 机密①), as a footnote's reference is: offsets are the text's own.
    apart = notes_read_past(text)
    if apart is not None:
        found = _with(found, ((rule, start, end, word) for rule, start, end, word in _spans(apart)))
    shown = displayed(text)
    if shown is not None:
        reordered, order = shown
        found = _with(found, ((rule, min(order[start:end]), max(order[start:end]) + 1, word)
                              for rule, start, end, word in _spans(reordered)))
    for rule, first, last, word in found:
        yield rule, first, text[first:last].strip(), word


def _with(found: list[tuple[Rule, int, int, str]], more: Iterable[tuple[Rule, int, int, str]]) -> list[tuple[Rule, int, int, str]]:
    """`found` (in order) and each span of `more` that overlaps none of them, in order."""
    # Whether a span overlaps one found: of those starting before it ends, the furthest reach.
    starts = [start for _, start, _, _ in found]
    reach = list(itertools.accumulate((end for _, _, end, _ in found), max))
    added = []
    for rule, first, last, word in more:
        before = bisect.bisect_left(starts, last) - 1
        if before < 0 or reach[before] <= first:
            added.append((rule, first, last, word))
    return sorted(found + added, key=lambda span: span[1]) if added else found


def _spans(text: str) -> Iterator[tuple[Rule, int, int, str]]:
    """(rule, start, end in `text`, word as read) of each mark in the order `text` holds it."""
    text = zeros_as_dots(text)
    view = fold(text)
    if _VARIANT_CHARS.search(view):
        view = view.translate(_VARIANTS)
    if not _WORDS.search(_GAP.sub("", view)):
        return
    view, origins = _view_mapped(text)
    for rule, start, end, word in _marks(view):
        yield rule, origins[start], source_end(text, origins[end - 1]), word


def _view_mapped(text: str) -> tuple[str, list[int]]:
    folded, origins = fold_mapped(text)
    folded = folded.translate(_VARIANTS)
    pieces, kept, position = [], [], 0
    for gap in _GAP.finditer(folded):
        pieces.append(folded[position:gap.start()])
        kept.extend(origins[position:gap.start()])
        position = gap.end()
    pieces.append(folded[position:])
    kept.extend(origins[position:])
    return "".join(pieces), kept


def _marks(text: str) -> Iterator[tuple[Rule, int, int, str]]:
    for found in _WORDS.finditer(text):
        start, end = found.span()
        word = found[0]
        if word in _LEVELS:
            before, after = _line_around(text, start, end)
            star = _STAR_AFTER.match(after) or (_PERIOD_AFTER.match(after) if not before.strip(_OPENERS) else None)
            if star:
                tail = _TAIL.match(after, star.end())
                yield CLASSIFIED, start, end + (tail.end() if tail else star.end()), word
            elif _STAR_BEFORE.search(before) or _alone(before, after) or (after[:1] == "级" and _alone(before, after[1:])):
                marker = _STAR_BEFORE.search(before)
                yield CLASSIFIED, start - (len(marker[0]) if marker else 0), end, word
        elif word in _ALWAYS:
            if not any(text.startswith(name, start) for name in _NOT_MARKS):
                yield INTERNAL, start, end, word
        elif word in _NOTICES:
            before, after = _line_around(text, start, end)
            if _notice(before, after):
                yield INTERNAL, start, end, word
        else:
            before, after = _line_around(text, start, end)
            if (_alone(before, after) or _bracketed(before, after)  # the line's first notice stands for them all:
                    or (not _NOTICE_WORDS.search(before) and _alone(before, _NOTICE_WORDS.sub("", after)))):
                yield INTERNAL, start, end, word


# What a stylesheet's generated text may complete beside the page's own (`.a::before { content: "机" }` before a title
# that starts with 密★): a star, or a mark's word begun at the text's end or ended at its start ("密级" opens a mark too).
_PARTS = tuple(word[:cut] for word in (*_WORDS_LIST, "密级") for cut in range(1, len(word)))
_ENDS = tuple(word[cut:] for word in (*_WORDS_LIST, "密级") for cut in range(1, len(word)))


def mark_part(text: str) -> str | None:
    """The star or the part of a mark's word `text` begins or ends with (read as `find_marks` reads it), or None."""
    view = fold(zeros_as_dots(text)).translate(_VARIANTS)
    view = _GAP.sub("", view).strip()
    if star := next((ch for ch in view if ch in _STARS), None):
        return star
    if ending := next((part for part in _PARTS if view.endswith(part)), None):
        return ending
    return next((part for part in _ENDS if view.startswith(part)), None)
