"""Secrecy-mark checks (GK4xx): 密级标志 and “内部资料”-type notices (`marks`) in text meant for the public."""

from __future__ import annotations

from collections.abc import Iterator

from ..problems import Problem
from ..rules import Rule
from . import attached
from .base import CheckContext
from .marks import CLASSIFIED, find_marks
from .published import Hit, Text, item_texts, published_texts, scan

LOCAL = True  # reads only each item's own file


def check(ctx: CheckContext) -> Iterator[Problem]:
    for item, doc in ctx.sources():
        for text in item_texts(ctx, item, doc):
            yield from _problems(ctx, text)
        for file in attached.files(ctx, item, doc):
            for marked in file.scanned.marks:
                yield marked.rule.at(doc.path, doc.line_of("attachments", file.index),
                                     f"{file.name}{marked.where}有{_explain(marked.rule, marked.mark)}")
    for text in published_texts(ctx):
        yield from _problems(ctx, text)
    for picture in attached.theme_pictures(ctx):
        for marked in picture.scanned.marks:
            yield marked.rule.at(picture.path, 1, f"{picture.name}{marked.where}有{_explain(marked.rule, marked.mark)}")


def _problems(ctx: CheckContext, text: Text) -> Iterator[Problem]:
    return scan(ctx, text, _classified if text.members else _hits, lambda hit, where: f"{where}中有{hit.message}")


def _hits(text: str) -> Iterator[Hit]:
    return (Hit(rule, start, word, _explain(rule, mark)) for rule, start, mark, word in find_marks(text))


def _classified(text: str) -> Iterator[Hit]:
    """The 密级 marks: what the members' site alone shows may say 内部 (its notice is 请勿外传), never 机密."""
    return (hit for hit in _hits(text) if hit.rule is CLASSIFIED)


def _explain(rule: Rule, mark: str) -> str:
    if rule is CLASSIFIED:
        return (f"密级标志“{mark}”：标有密级的文件属于国家秘密，不得公开；请停止发布并报本机关保密工作机构"
                "（若只是在制度中举例，请改写为不带★、不单独成行的文字）")
    return (f"内部发行标注“{mark}”：这类文件原则上不公开；确认可以公开并经两级审查同意后删除标注，"
            "否则把公开属性改为不予公开")
