"""Unsafe-markup checks (GK5xx): what the site's sanitiser would remove from a rendered body, and
HTML written into front-matter text.

Every Markdown body that reaches the site (items and content/pages/) is rendered with the site's
own Markdown extensions (`gongkai.rendering`) and passed to `gongkai.sanitize.removals`, which
accounts for exactly what the build's sanitiser removes; each removal is an error here. So check
and build cannot disagree: content that passes has nothing for the sanitiser to remove.

Front-matter values are plain text that the templates escape: markup there cannot run, but it
would be shown to readers as code, so a tag in it is an error too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..body_views import BodyViews
from ..fields import label
from ..html_budget import HTML_CHARS, MAX_ELEMENTS
from ..problems import Problem, printable
from ..rendering import LATE_SECONDS, RENDER_SECONDS, SLOW_BUDGET_SECONDS
from ..rules import ERROR, MARKUP
from ..sanitize import ATTRIBUTE, CHANGE, ELEMENT, HIDDEN_TEXT_CLASSES, URL, Removal
from ..text_lines import position
from .base import CheckContext
from .published import value_position

LOCAL = True  # reads only each item's own file (and the authored pages, which every process loads)

TAG = MARKUP.rule(
    "GK501", ERROR,
    "网站不显示的 HTML 标签（script、iframe、style、form、meta、svg、font 等）",
    "删除该标签；网站不允许嵌入脚本、框架、插件、样式或表单，内容请用 Markdown 书写，视频等请作为附件或外链",
)
ATTRIBUTE_RULE = MARKUP.rule(
    "GK502", ERROR,
    "网站不保留的 HTML 属性（onclick 等事件属性、style、class、id 等）",
    "删除该属性：正文不能带脚本和内联样式；class 和 id 只能用 Markdown 自动生成的；表格对齐请用 Markdown 的 `:---:` 写法",
)
URL_RULE = MARKUP.rule(
    "GK503", ERROR,
    "不允许的链接或图片地址（javascript:、data: 等，或外站图片）",
    "链接只能用 https://、http://、mailto:、tel: 或站内相对地址；图片只能引用本站附件（相对地址）",
)
CHANGED = MARKUP.rule(
    "GK504", ERROR,
    "网站会改写的 HTML 写法",
    "检查该处的 HTML：标签嵌套或写法不规范，网站显示的会和原文不同；请改用 Markdown 书写",
)
FRONT_MATTER = MARKUP.rule(
    "GK505", ERROR,
    "元数据文字中有 HTML 标记",
    "元数据（标题、概述、文号、关键词、附件标题、撤回原因等）是纯文本，网站原样显示其中的字符；请删除 < > 标记",
)
TOO_DEEP = MARKUP.rule(
    "GK508", ERROR,
    "正文嵌套层次过深，无法生成页面",
    "列表、引用或 HTML 标签一层套一层（几百层），网站无法处理：请把正文改成层次少的普通段落和列表（公文最多四级标题层次）",
)
TOO_SLOW = MARKUP.rule(
    "GK509", ERROR,
    "正文结构异常复杂，生成页面耗时过长",
    "正文中可能有成千上万个连续的 [、*、< 等符号（常见于误粘贴或有意构造的内容）：请删除它们，正文用普通段落书写",
)
UNRENDERABLE = MARKUP.rule(
    "GK550", ERROR,
    "Markdown 扩展在生成这篇正文的页面时出错",
    "mkdocs.yml 的 markdown_extensions 中某个扩展（或它的选项）处理不了这篇正文中的某处写法：请把消息中的错误告诉网站管理员，"
    "由其修改或删除该扩展的选项；在此之前可改写正文中用到该扩展的地方",
)
TOO_LARGE = MARKUP.rule(
    "GK528", ERROR,
    "正文生成的页面过大",
    "同一个引用链接、缩写或目录标记（[TOC]）被使用成千上万次，每次都会把它的全部内容再写一遍；或正文有成千上万个标题"
    "（每个标题还会在页面两侧的目录中各出现一次）；或表格有几万个单元格：请删除重复的引用，长网址直接写在链接处，"
    "正文用普通段落书写，标题只用于章节；大的表格、名单请另存为 Excel 等文件作为附件",
)
RULES = {ELEMENT: TAG, ATTRIBUTE: ATTRIBUTE_RULE, URL: URL_RULE, CHANGE: CHANGED}

# What a browser would read as the start of a tag (or comment, doctype, processing instruction).
_TAG_START = re.compile(r"<[A-Za-z/!?]")


def check(ctx: CheckContext) -> Iterator[Problem]:
    views = ctx.views()
    for item, doc in ctx.sources():
        yield from body_problems(views, doc.path, item.body, item.body_line)
        strings = ctx.strings(doc)
        for path, text in strings.items if _TAG_START.search(strings.joined) else ():
            found = _TAG_START.search(text)
            if found:
                line, col = value_position(doc, path, found[0], found.start())
                message = f"{label(*path)}中有 HTML 标记“{_excerpt(text, found.start())}”：{FRONT_MATTER.fix}"
                yield FRONT_MATTER.at(doc.path, line, message, col)
    for page in ctx.project.pages:  # both processes of a parallel check read them; problems are deduplicated
        yield from body_problems(views, page.path, page.body, page.body_line)


def body_problems(views: BodyViews, path: str, body: str, body_line: int) -> Iterator[Problem]:
    """One error for each thing the sanitiser would remove from the rendered `body`."""
    view = views.of(body)
    if view.unfinished:
        return  # not read to its end in its file's time: the scans report it (GK548)
    if view.too_deep:
        yield TOO_DEEP.at(path, body_line, f"正文的列表、引用或 HTML 标签嵌套过深，无法生成页面：{TOO_DEEP.fix}")
        return
    if view.too_slow:
        yield TOO_SLOW.at(path, body_line, f"正文生成页面超过 {RENDER_SECONDS:.0f} 秒仍未完成（本次检查中超时的正文合计用去 "
                                            f"{SLOW_BUDGET_SECONDS:.0f} 秒后，其余正文只等 {LATE_SECONDS:.0f} 秒）：{TOO_SLOW.fix}")
        return
    if view.failed:
        yield UNRENDERABLE.at(path, body_line, f"正文无法生成页面，Markdown 扩展出错（{printable(view.failed)}）：{UNRENDERABLE.fix}")
        return
    if view.too_large:
        chars, elements = HTML_CHARS // 10_000, MAX_ELEMENTS // 10_000
        yield TOO_LARGE.at(path, body_line, f"正文生成的页面超过 {chars} 万字符或 {elements} 万个元素（段落、单元格、链接等；"
                                            f"网站能处理的上限）：{TOO_LARGE.fix}")
        return
    found = list(view.removals)
    for removal, offset in zip(found, locate(body, found), strict=True):
        line, col = position(body, offset)
        line += body_line - 1
        yield RULES[removal.kind].at(path, line, f"正文中的{removal.describe()}会被网站删除：{_why(removal)}", col)


def locate(body: str, found: list[Removal]) -> list[int]:
    """An offset into the Markdown `body` for each removal: where its most specific text occurs,
    searched from the previous one on (removals come in document order)."""
    lowered = body.lower()
    offsets = []
    cursor = 0
    for removal in found:
        offset = None
        for needle in removal.needles():
            needle = needle.lower()
            position = lowered.find(needle, cursor)
            if position < 0:
                position = lowered.find(needle)
            if needle and position >= 0:
                offset = position
                break
        if offset is None:
            offset = max(cursor - 1, 0)  # not in the source as written (e.g. entities): where the previous one was
        offsets.append(offset)
        cursor = offset + 1
    return offsets


def _why(removal: Removal) -> str:
    if removal.kind == ELEMENT:
        return "网站不允许嵌入脚本、框架、插件、样式、表单或其他不支持的标签；请删除该标签，内容改用 Markdown 书写"
    if removal.kind == URL:
        if removal.tag == "img":
            return ("图片只能引用本站附件（相对地址，如 ../../attachments/2021/图.png），地址中不能有 #"
                    "（网站主题会按 #only-dark、#only-light 等在浅色或深色模式下隐藏图片）")
        return "链接只能用 https://、http://、mailto:、tel: 或站内相对地址"
    if removal.kind == CHANGE:
        return CHANGED.fix
    name = removal.attribute
    if name.startswith("on"):
        return "事件属性会在读者的浏览器里执行脚本，请删除该属性"
    if name == "style":
        return "不允许内联样式；表格对齐请用 Markdown 的 `:---`、`:---:`、`---:` 写法"
    if name == "class" and HIDDEN_TEXT_CLASSES.intersection(removal.value.split()):
        return ("这个 class 会让网站隐藏链接的文字（脚注的返回链接只显示图标，标题的锚点链接只在鼠标悬停时显示），"
                "只能用在 Markdown 自动生成的符号链接上；请删除该属性")
    if name in ("class", "id"):
        return f"{name} 只能用 Markdown 自动生成的值（id 不能以 __、gk-、gongkai-、md- 开头），请删除该属性"
    return "网站只保留必要的属性（链接地址、图片说明、表格合并单元格等），请删除该属性"


def _excerpt(text: str, start: int) -> str:
    shown = text[start : start + 30].replace("\n", " ")
    return shown + ("…" if len(text) > start + 30 else "")
