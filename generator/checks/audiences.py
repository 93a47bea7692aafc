"""Audiences (党务公开's two levels): `audience` and `public_from` (GK150–GK152), and links that
would lead the public to what only party members may see (GK630–GK631).

An item reaches the public on the day `Item.public_since` gives (never, for a 党内 item without
`public_from`). A link from an item the public will see to one it will not see by then would
be dead on the public site and would show that the hidden item exists: an error.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from ..fields import label
from ..loading import SourceDocument
from ..model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, AUDIENCES, PUBLIC, Item
from ..problems import Problem
from ..rules import ERROR, REFERENCES, SCHEMA
from ..text_lines import position
from ..values import as_text, parse_date
from .base import CheckContext, body_position
from .schema import BAD_DATE

BAD_AUDIENCE = SCHEMA.rule(
    "GK150", ERROR,
    "公开范围（audience）不是允许的取值",
    f"写 {AUDIENCE_PARTY}（仅向党员公开）或 {AUDIENCE_PUBLIC}（向社会公开）；不写则取栏目的默认范围",
)
PUBLIC_FROM_NOT_PARTY = SCHEMA.rule(
    "GK151", ERROR,
    "向社会公开日期（public_from）只用于党内条目",
    "public_from 表示党内条目从哪天起也向社会公开：写 audience: 党内，或删除 public_from",
)
PUBLIC_FROM_EARLY = SCHEMA.rule(
    "GK152", ERROR,
    "向社会公开日期早于发布日期（先党内、后党外）",
    "public_from 应不早于发布日期；同时向党员和社会公开的，写 audience: 公众 并删除 public_from",
)
HIDDEN_LINK = REFERENCES.rule(
    "GK630", ERROR,
    "向社会公开的条目链接了届时仍只向党员公开的条目（正文链接、解读对象或反馈对象）",
    "删除该链接，或把本条目也设为党内（audience: 党内，需要时写 public_from），或给目标条目写不晚于本条目的 public_from；"
    "目标是定时发布的公开条目时，把本条目的发布日期推迟到与它同日或更晚",
)
PAGE_HIDDEN_LINK = REFERENCES.rule(
    "GK631", ERROR,
    "页面（content/pages/）链接了不在公众网站上的条目（仅党内公开、不公开或尚未发布）",
    "删除该链接；页面总是向社会公开，只能链接已向社会公开的条目",
)


def hidden_from_public(source: Item, target: Item, today: dt.date) -> bool:
    """Whether `source` reaches the public while `target` does not (yet): a link would betray it."""
    since = source.public_since
    if since is None:
        return False  # seen by party members only, who see both
    target_since = target.public_since
    return target_since is None or target_since > max(since, today)


def hidden_reason(target: Item) -> str:
    """Why the public does not see `target`, for messages."""
    if target.public_since is None:
        return f"{target.path} 只向党员公开（audience: {target.audience}，没有 public_from）"
    return f"{target.path} 到 {target.public_since} 才向社会公开"


def hidden_fix(target: Item) -> str:
    """What keeps a link from showing `target` before its day: a scheduled public item is waited for (the
    linking item published with it or later), a members-only one is hidden with it."""
    if target.audience == AUDIENCE_PUBLIC and target.public_since is not None:
        return f"把本条目的发布日期（published）推迟到 {target.public_since} 或以后"
    return "把本条目也设为党内，或给目标条目写不晚于本条目的 public_from"


# A link to an item's page by its address (not its file): `/items/2026/00040/`, `../../items/2026/00040/`,
# or the site's full address; in Markdown links, reference definitions and HTML href attributes. One pattern
# that looked for the address lazily after every start tried each `href=` of a long run against the rest of
# the run (quadratic time), so the starts, each link's target and the addresses in it are found apart: every
# position a start matches at (overlapping ones too, as the pattern tried them), its target the run of
# characters that may stand in an address, and in it the first address at or after the start.
_LINK_START = re.compile(r"(?=(\]\(\s*<?|^ {0,3}\[[^\[\]]+\]:\s*<?|href\s*=\s*[\"']?))", re.M | re.I)
_TARGET = re.compile(r"[^\s\"'<>()]+")
_ITEM_PAGE = re.compile(r"\bitems/(\d{4})/(\d{5})\b", re.I)
_ITEMS = re.compile("items/", re.I)
_ESCAPED = re.compile(r"%[0-9a-f]{2}|&#?[0-9a-z]+;?", re.I)  # what a browser decodes in an address


def page_links(body: str, site_url: str) -> Iterator[tuple[str, int, str, str]]:
    """(href, offset, year, serial) of every link in `body` to an item page of this site by its address, as the
    browser reads it: percent escapes and character references decoded (`items/2026/%30%30040/` is 00040)."""
    if _ITEMS.search(body) is None and not _ESCAPED.search(body):  # most bodies: one quick scan
        return
    resume = run_start = run_end = 0
    page: re.Match[str] | None = None  # the first address in the current run at or after the last start
    for start in _LINK_START.finditer(body):
        at = start.end(1)
        if start.start() < resume:
            continue  # inside the link found last
        if not run_start <= at < run_end:  # a reference definition's target lies after the starts in its label
            run = _TARGET.match(body, at)
            if run is None:
                continue
            run_start, run_end, page = at, run.end(), _ITEM_PAGE.search(body, at, run.end())
            if page is None and _ESCAPED.search(body, at, run_end):  # as the browser reads it (the run is then done)
                page = _ITEM_PAGE.search(unquote(html.unescape(body[at:run_end])))
        elif page is not None and page.start() < at:
            page = _ITEM_PAGE.search(body, at, run_end)
        if page is None:
            continue  # no address from here to the run's end
        href = body[at:run_end]
        resume = run_end
        if "://" in href and not (site_url and href.startswith(site_url.rstrip("/") + "/")):
            continue  # another site's page
        yield href, at, page[1], page[2]


def check(ctx: CheckContext) -> Iterator[Problem]:
    from .references import UNPUBLISHED_LINK  # references imports this module for GK630

    site_url = ctx.settings.site_url if ctx.settings else ""
    org = ctx.project.catalog.org_code if ctx.project.catalog else ""
    for item, doc in ctx.sources():
        yield from _fields(item, doc)
        if item.disclosure == PUBLIC:
            for href, offset, year, serial in page_links(item.body, site_url):
                target = ctx.project.item_by_index_no(f"{org}/{year}-{serial}")
                if target is not None and target.disclosure != PUBLIC:
                    line, col = body_position(item, offset)
                    yield UNPUBLISHED_LINK.at(doc.path, line, f"链接“{href}”指向的条目 {target.path} 的公开属性是"
                                              f"“{target.disclosure}”，不会出现在网站上：请删除该链接", col, target=target.path)
                elif target is not None and hidden_from_public(item, target, ctx.today):
                    line, col = body_position(item, offset)
                    yield HIDDEN_LINK.at(doc.path, line,
                                f"本条目向社会公开，但链接“{href}”指向的 {hidden_reason(target)}：公众网站上不能出现指向它的链接；"
                                f"请删除该链接，或{hidden_fix(target)}", col, target=target.path)
        for key, number in (("interprets", item.interprets), ("feedback_for", item.feedback_for)):
            target = ctx.project.item_by_index_no(number) if number else None
            if target is not None and target is not item and target.disclosure == PUBLIC and item.disclosure == PUBLIC \
                    and hidden_from_public(item, target, ctx.today):
                yield HIDDEN_LINK.at(doc.path, doc.line_of(key),
                            f"本条目向社会公开，但{label(key)} {number} 指向的 {hidden_reason(target)}：公众网站上不能出现指向它的链接；"
                            f"请{hidden_fix(target)}", doc.value_col(key), target=target.path)
    yield from _pages(ctx)


def _fields(item: Item, doc: SourceDocument) -> Iterator[Problem]:
    if "audience" in doc.meta:
        value = as_text(doc.meta.get("audience"))
        if value not in AUDIENCES:
            shown = f"“{value}”" if value else "为空或不是文字"
            yield BAD_AUDIENCE.at(doc.path, doc.line_of("audience"),
                        f"{label('audience')}{shown}不是允许的取值：只能是 {'、'.join(AUDIENCES)} 之一"
                        f"（{AUDIENCE_PARTY}：仅向党员公开；{AUDIENCE_PUBLIC}：向社会公开）", doc.value_col("audience"))
    if "public_from" not in doc.meta:
        return
    text = as_text(doc.meta.get("public_from"))
    if parse_date(doc.meta.get("public_from")) is None:
        yield BAD_DATE.at(doc.path, doc.line_of("public_from"),
                    f"{label('public_from')}“{text}”不是 YYYY-MM-DD 格式的真实日期", doc.value_col("public_from"))
    elif item.audience != AUDIENCE_PARTY:
        yield PUBLIC_FROM_NOT_PARTY.at(doc.path, doc.line_of("public_from"),
                    f"本条目的公开范围是“{item.audience}”，{label('public_from')}只用于党内条目："
                    "写 audience: 党内（先党内、后党外），或删除 public_from")
    elif item.public_from and item.published and item.public_from < item.published:
        yield PUBLIC_FROM_EARLY.at(doc.path, doc.line_of("public_from"),
                    f"{label('public_from')} {item.public_from} 早于{label('published')} {item.published}：先党内、后党外，"
                    "向社会公开不能早于向党员公开；同时公开的请写 audience: 公众 并删除 public_from")


def _pages(ctx: CheckContext) -> Iterator[Problem]:
    """Authored pages are public: every item they link must be on the public site."""
    from .references import markdown_links  # references imports this module for GK630

    project = ctx.project
    if project.catalog is None:  # nothing is published; catalog.yml's own problem says why
        return
    by_path = {item.path: item for item in project.items}
    site_url = ctx.settings.site_url if ctx.settings else ""
    org = project.catalog.org_code
    for page in project.pages:
        folder = posixpath.dirname(page.path)
        links = [(href, offset, by_path.get(posixpath.normpath(posixpath.join(folder, href))))
                 for href, offset in markdown_links(page.body)]
        links += [(href, offset, project.item_by_index_no(f"{org}/{year}-{serial}"))
                  for href, offset, year, serial in page_links(page.body, site_url)]
        for href, offset, target in sorted(links, key=lambda link: link[1]):
            if target is None or target.is_published(ctx.today):
                continue
            reason = f"{target.path} 的公开属性是“{target.disclosure}”" if target.disclosure != PUBLIC else hidden_reason(target)
            line, col = position(page.body, offset)
            line += page.body_line - 1
            yield PAGE_HIDDEN_LINK.at(page.path, line, f"页面链接“{href}”：{reason}，公众网站上没有它：请删除该链接", col,
                                      target=target.path)
