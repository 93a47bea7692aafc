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

from ..front_matter_schema import label
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
_PLACEHOLDER = re.compile(
    rf"[（(]\s*(?:请?在此|此处|这里|请)\s*{_FILL}[^）)\n]{{0,20}}[）)]"
    r"|[【\[]\s*[^】\]\n]{0,10}(?:待补充|待填写|待完善|待定|请填写|占位)[^】\]\n]{0,10}[】\]]"
    r"|(?<![A-Za-z])(?:TODO|TBD|FIXME|Lorem ipsum)(?![A-Za-z])",
)
# A summary that says nothing: the whole value is one of these.
_EMPTY_SUMMARIES = {"待补充", "待填写", "暂无", "无", "略", "内容概述", "摘要", "概述", "此处填写内容概述", "TODO", "TBD", "xxx", "XXX"}
_CJK_OR_DIGIT = "\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff65〔〕0-9"
_BLANK = re.compile(
    rf"(?:(?<![A-Za-z])[xX]{{2,}}(?![A-Za-z])|[×＊○□]{{2,}}|[Ｘｘ]{{2,}})"
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NOT_WORDS = re.compile(r"[\s\W_]+")


def check(ctx: CheckContext) -> Iterator[Problem]:
    for item, doc in ctx.sources():
        if item.disclosure != PUBLIC:
            continue
        yield from _placeholders(item, doc)
        if item.withdrawn is None and not _HTML_COMMENT.sub("", item.body).strip():
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


def _placeholders(item: Item, doc: SourceDocument) -> Iterator[Problem]:
    texts = [(("title",), item.title), (("summary",), item.summary)]
    for key, text in texts:
        if not text:
            continue
        line, col = doc.value_line(*key), doc.value_col(*key)
        found = _PLACEHOLDER.search(text)
        if found or (key == ("summary",) and text.strip(" 。.") in _EMPTY_SUMMARIES):
            shown = found[0] if found else text.strip()
            yield PLACEHOLDER.at(doc.path, line, f"{label(*key)}留有占位文字“{shown}”：请换成真正的内容"
                                 + ("，没有可写的就删除 summary 这一行" if key == ("summary",) else ""), col)
        for blank in _blanks(text):
            yield TEMPLATE_BLANK.at(doc.path, line, f"{label(*key)}中“{blank}”疑似未填写的模板空位：请填上真实内容", col)
    if item.withdrawn is not None:
        return
    for found in _PLACEHOLDER.finditer(item.body):
        line, col = body_position(item, found.start())
        message = ("正文仍是 `gongkai new` 生成的骨架“（在此撰写正文）”" if found[0] == SKELETON_TEXT
                   else f"正文留有占位文字“{found[0]}”")
        yield PLACEHOLDER.at(doc.path, line, f"{message}：请换成真正的内容", col)
    for found in _BLANK.finditer(item.body):
        if _beside_words(item.body, found.start(), found.end()):
            line, col = body_position(item, found.start())
            yield TEMPLATE_BLANK.at(doc.path, line, f"正文中“{_around(item.body, found.start(), found.end())}”"
                                    "疑似未填写的模板空位：请填上真实内容", col)


def _blanks(text: str) -> Iterator[str]:
    for found in _BLANK.finditer(text):
        if _beside_words(text, found.start(), found.end()):
            yield _around(text, found.start(), found.end())


def _beside_words(text: str, start: int, end: int) -> bool:
    """A blank stands in for a word: Chinese or a number right before or after it."""
    neighbours = text[start - 1 : start] + text[end : end + 1]
    return bool(re.search(f"[{_CJK_OR_DIGIT}]", neighbours))


def _around(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 4) : start].rsplit("\n", 1)[-1]
    return (before + text[start:end] + text[end : end + 4].split("\n", 1)[0]).strip()
