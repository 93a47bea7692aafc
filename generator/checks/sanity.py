"""Content sanity (GK140–GK144): placeholders left in and empty shells, which inspectors count as
content that was never really published.

- the skeleton's own text (`gongkai new` writes 「（在此撰写正文）」) or any placeholder such as
  （此处填写内容概述）, 【待补充】, TODO, or a summary that is only “待补充”/“暂无”;
- a 主动公开 item with no body (a page with a title and nothing under it);
- a title that only repeats its column's name (“动态信息” in 动态信息);
- template blanks such as “xxxx年”“××单位” (a warning: “x县” may be deliberate anonymisation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..fields import label
from ..loading import SourceDocument
from ..model import PUBLIC, Item
from ..problems import Problem
from ..rules import ERROR, SCHEMA, WARNING
from .base import CheckContext, body_position

LOCAL = True  # reads only each item's own file

SKELETON_TEXT = "（在此撰写正文）"

PLACEHOLDER = SCHEMA.rule(
    "GK140", ERROR,
    "留有占位文字（如骨架的“（在此撰写正文）”、“（此处填写内容概述）”、“【待补充】”、TODO）",
    "把占位文字换成真正的内容；内容概述没有可写的就删除 summary 这一行",
)
EMPTY_BODY = SCHEMA.rule(
    "GK141", ERROR,
    "主动公开的条目正文为空",
    "写出正文；内容全在附件中的，至少写一句说明（例如“现将……予以公示，详见附件。”）",
)
TITLE_IS_COLUMN = SCHEMA.rule(
    "GK142", ERROR,
    "标题只是栏目名称",
    "写出这条信息自己的标题（说明何事、何时、何地），不要只写栏目名称",
)
TEMPLATE_BLANK = SCHEMA.rule(
    "GK143", WARNING,
    "疑似未填写的模板空位（如“xxxx年”“××单位”“〔XX〕X号”）",
    "填上真实内容；确属有意隐去的（如“x县”），可改用“某县”等说法",
)

_FILL = "(?:撰写|填写|输入|编写|录入|粘贴|补充)"
# Placeholders (errors) and template blanks (warnings), found in one scan of the text. The pattern
# starts with a lookahead on the first character, so the regex engine skips ahead quickly over
# ordinary text instead of trying the whole pattern at every position.
_FINDS = re.compile(
    r"(?=[（(【\[TFLxX×＊○□Ｘｘ])(?:"
    rf"(?P<placeholder>[（(]\s*(?:请?在此|此处|这里|请)\s*{_FILL}[^）)\n]{{0,20}}[）)]"
    r"|[【\[]\s*[^】\]\n]{0,10}(?:待补充|待填写|待完善|待定|请填写|占位)[^】\]\n]{0,10}[】\]]"
    r"|(?<![A-Za-z])(?:TODO|TBD|FIXME|Lorem ipsum)(?![A-Za-z]))"
    r"|(?P<blank>(?<![A-Za-z])[xX]{2,}(?![A-Za-z])|[×＊○□]{2,}|[Ｘｘ]{2,}))"
)
# A summary that says nothing: the whole value is one of these.
_EMPTY_SUMMARIES = {"待补充", "待填写", "暂无", "无", "略", "内容概述", "摘要", "概述", "此处填写内容概述", "TODO", "TBD", "xxx", "XXX"}
_SHOWN = 8  # characters of a blank the message shows
_CJK_OR_DIGIT = re.compile("[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff65〔〕0-9]")
_NOT_WORDS = re.compile(r"[\s\W_]+")


def check(ctx: CheckContext) -> Iterator[Problem]:
    for item, doc in ctx.sources():
        if item.disclosure != PUBLIC:
            continue
        yield from _placeholders(item, doc)
        if item.withdrawn is None and _empty(item.body):
            yield EMPTY_BODY.at(doc.path, item.body_line,
                          "正文为空：主动公开的信息不能只有标题；请写出正文，内容全在附件中的，至少写一句说明"
                          "（例如“现将……予以公示，详见附件。”）")
        if item.category is not None and item.title:
            shown = _NOT_WORDS.sub("", item.title)
            names = {item.category.name, item.category.group}
            if shown in {_NOT_WORDS.sub("", name) for name in names}:
                yield TITLE_IS_COLUMN.at(doc.path, doc.line_of("title"),
                              f"{label('title')}“{item.title}”只是栏目名称：请写出这条信息自己的标题，"
                              "说明何事、何时、何地（例如“县住建局开展冬季建筑施工安全检查”）", doc.value_col("title"))


def _empty(body: str) -> bool:
    """No text a reader would see (HTML comments are not shown)."""
    return not body.strip() or ("<!--" in body and not _without_comments(body).strip())


def _without_comments(body: str) -> str:
    """`body` without its closed HTML comments. Found with str.find, not a lazy pattern: that one tried
    every `<!--` of a body with no `-->` against the rest of the body (quadratic time)."""
    pieces = []
    at = 0
    while (start := body.find("<!--", at)) >= 0 and (end := body.find("-->", start + 4)) >= 0:
        pieces.append(body[at:start])
        at = end + 3
    pieces.append(body[at:])
    return "".join(pieces)


def _placeholders(item: Item, doc: SourceDocument) -> Iterator[Problem]:
    for key, text in (("title",), item.title), (("summary",), item.summary):
        if not text:
            continue
        line, col = doc.value_line(*key), doc.value_col(*key)
        if key == ("summary",) and text.strip(" 。.") in _EMPTY_SUMMARIES:
            yield PLACEHOLDER.at(doc.path, line, f"{label(*key)}只有占位文字“{text.strip()}”：请写出内容概述，"
                                 "没有可写的就删除 summary 这一行", col)
            continue
        for kind, shown, _ in _finds(text):
            if kind == "placeholder":
                yield PLACEHOLDER.at(doc.path, line, f"{label(*key)}留有占位文字“{shown}”：请换成真正的内容", col)
            else:
                yield TEMPLATE_BLANK.at(doc.path, line, f"{label(*key)}中“{shown}”疑似未填写的模板空位：请填上真实内容", col)
    if item.withdrawn is not None:
        return
    for kind, shown, start in _finds(item.body):
        line, col = body_position(item, start)
        if kind == "blank":
            yield TEMPLATE_BLANK.at(doc.path, line, f"正文中“{shown}”疑似未填写的模板空位：请填上真实内容", col)
        elif shown == SKELETON_TEXT:
            yield PLACEHOLDER.at(doc.path, line, "正文仍是 `gongkai new` 生成的骨架“（在此撰写正文）”：请换成真正的内容", col)
        else:
            yield PLACEHOLDER.at(doc.path, line, f"正文留有占位文字“{shown}”：请换成真正的内容", col)


def _finds(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, what to show, offset) of each placeholder and template blank in `text`."""
    for found in _FINDS.finditer(text):
        start, end = found.span()
        if found["placeholder"]:
            yield "placeholder", found[0], start
        elif _CJK_OR_DIGIT.search(text[start - 1 : start] + text[end : end + 1]):  # stands in for a word
            before = text[max(0, start - 4) : start].rsplit("\n", 1)[-1]
            blank = found[0] if end - start <= _SHOWN else found[0][:_SHOWN] + "…"  # a run of any length, shown short
            yield "blank", (before + blank + text[end : end + 4].split("\n", 1)[0]).strip(), start
