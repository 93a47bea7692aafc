"""Audiences (党务公开's two levels): `audience` and `public_from` (GK150–GK152), and links that
would lead the public to what only party members may see (GK630–GK631).

An item reaches the public on the day `Item.public_since` gives (never, for a 党内 item without
`public_from`). A link from an item the public will see to one it will not see by then would
be dead on the public site and would show that the hidden item exists: an error.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial

from selectolax.lexbor import LexborHTMLParser

from ..fields import label
from ..loading import SourceDocument
from ..model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, AUDIENCES, PUBLIC, Item
from ..past_publication import PastPublication
from ..problems import Problem
from ..project import Project
from ..reader_text import VALUE, template_html
from ..rules import ERROR, REFERENCES, SCHEMA
from ..sanitize import browser_url, is_own_url
from ..text_lines import position
from ..values import as_text, parse_date
from .addresses import Locator, attachment_file, item_page, own_links, site_path
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
    moot_when_taken_down=True,  # postponed past its public_from to take it down: see rules.blocking
)
HIDDEN_LINK = REFERENCES.rule(
    "GK630", ERROR,
    "向社会公开的条目链接了届时仍只向党员公开的条目（正文链接、解读对象或反馈对象）",
    "删除该链接，或把本条目也设为党内（audience: 党内，需要时写 public_from），或给目标条目写不晚于本条目的 public_from；"
    "目标是定时发布的公开条目时，把本条目的发布日期推迟到与它同日或更晚",
)
PAGE_HIDDEN_LINK = REFERENCES.rule(
    "GK631", ERROR,
    "页面（content/pages/）、模板或 mkdocs.yml 印在每页上的链接指向了不在公众网站上的条目（仅党内公开、不公开或尚未发布）",
    "删除该链接；页面、模板和 mkdocs.yml 的内容总是向社会公开，只能链接已向社会公开的条目",
)


UNPUBLISHED_FILE = REFERENCES.rule(
    "GK613", ERROR,
    "正文或页面链接了网站上没有的附件文件（附上它的条目不随本页面公开：不公开、已撤回、尚未发布或只向党员公开）",
    "删除该链接；链接附件请写已公开条目所附文件的地址，或把文件附在本条目上",
)
LOOSE_FILE = REFERENCES.rule(
    "GK614", ERROR,
    "正文或页面链接的附件文件没有任何条目附上（文件不存在，或附上它的条目已删除）",
    "核对链接的文件名；链接附件请写已公开条目所附文件的地址，或把文件附在本条目上。附上它的条目是有意删除的，请删除这个链接后"
    "重新审查签署（网站照常生成，这个链接暂时失效）",
    blocks_publishing=False,  # no item publishes the file: a link to it publishes nothing (see GK607)
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


class Attached:
    """The items that attach each file below content/attachments/ (by their `file`, the path the site publishes it at)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._by_file: dict[str, list[Item]] | None = None

    def by(self, file: str) -> list[Item]:
        if self._by_file is None:
            self._by_file = {}
            for item in self.project.items:
                for attachment in item.attachments:
                    self._by_file.setdefault(attachment.file, []).append(item)
        return self._by_file.get(file, [])

    def published_with(self, file: str, shown: Callable[[Item], bool]) -> bool:
        """Whether an item the linking page's readers see (`shown`) publishes `file`."""
        return any(item.withdrawn is None and shown(item) for item in self.by(file))


def shown_with(source: Item, target: Item, *, today: dt.date) -> bool:
    """Whether the readers of `source` see `target` (its page, or its attachments) from the day they see `source`."""
    if target.disclosure != PUBLIC or target.published is None:
        return False
    if target.published > max(source.published or today, today):
        return False
    return not hidden_from_public(source, target, today)


def linked(project: Project, links: tuple[str, ...], page_url: str, source: str, site_urls: tuple[str, ...], body: str,
           ) -> Iterator[tuple[str, int, Item | str]]:
    """(href, offset in `body`, target) of every address among a body's `links` (`BodyView.links`) that leads, on the
    page at `page_url`, to an item's page (the Item) or to a published file's address (its path below
    content/attachments/), however written (see `addresses`); and of every relative one that names a file below
    content/attachments/ from the body's file (`source`, a project path), as MkDocs reads it: MkDocs rewrites such a
    link to the file's address when it publishes the file, and leaves it, naming the file, when it does not."""
    org = project.catalog.org_code if project.catalog else ""
    content = project.rel(project.content_dir).rstrip("/") + "/"
    folder = posixpath.dirname(source.removeprefix(content)) + "/"
    locate = Locator(body)
    for href, path in own_links(links, page_url, site_urls):
        number = item_page(path)
        if number is not None:
            target = project.item_by_index_no(f"{org}/{number[0]}-{number[1]}")
            if target is not None:
                yield href, locate(href), target
            continue
        file = attachment_file(path)
        if file is None and is_own_url(href) and not browser_url(href).startswith("/"):
            file = attachment_file(site_path(href, folder) or "")
        if file is not None:
            yield href, locate(href), file


def site_urls(ctx: CheckContext) -> tuple[str, ...]:
    """This site's address, then the members' site's: a link to either's item page shows the public the item."""
    settings = ctx.settings
    if settings is None:
        return ()
    return (settings.site_url, settings.site.party.site_url)


def _unpublished_file(path: str, line: int, col: int, href: str, file: str, attached: Attached,
                      referrer: Item | None = None, past: PastPublication | None = None) -> Problem:
    owners = attached.by(file)
    if not owners:
        return LOOSE_FILE.at(path, line, f"链接“{href}”指向附件 {file}，但没有条目附上它，网站上没有这个文件：请核对或删除该链接", col)
    whose = "、".join(item.path for item in owners[:3])
    found = UNPUBLISHED_FILE.referring(path, line, f"链接“{href}”指向附件 {file}，附上它的 {whose} 不随本页面公开，网站上没有这个文件："
                                       "请删除该链接", col, referrer=referrer, target=owners)
    if referrer is None and all(item.disclosure != PUBLIC or (past is not None and past.where(item)) for item in owners):
        return replace(found, target_signed_later=True)  # from a page, as GK631 (`_page_hidden_link`): a dead link
    return found


def check(ctx: CheckContext) -> Iterator[Problem]:
    from .references import UNPUBLISHED_LINK  # references imports this module for GK630

    addresses = site_urls(ctx)
    views = ctx.views()
    attached = Attached(ctx.project)
    for item, doc in ctx.sources():
        yield from _fields(item, doc)
        links = views.links(item.body) if item.disclosure == PUBLIC and item.url and item.withdrawn is None else ()
        if links:
            for href, offset, linked_to in linked(ctx.project, links, item.url, item.path, addresses, item.body):
                line, col = body_position(item, offset)
                if isinstance(linked_to, str):
                    if not attached.published_with(linked_to, partial(shown_with, item, today=ctx.today)):
                        yield _unpublished_file(doc.path, line, col, href, linked_to, attached, item)
                    continue
                linked_item = linked_to
                if linked_item.disclosure != PUBLIC:
                    yield UNPUBLISHED_LINK.referring(doc.path, line, f"链接“{href}”指向的条目 {linked_item.path} 的公开属性是"
                                                     f"“{linked_item.disclosure}”，不会出现在网站上：请删除该链接", col,
                                                     referrer=item, target=linked_item)
                elif hidden_from_public(item, linked_item, ctx.today):
                    yield HIDDEN_LINK.referring(doc.path, line,
                                f"本条目向社会公开，但链接“{href}”指向的 {hidden_reason(linked_item)}：公众网站上不能出现指向它的链接；"
                                f"请删除该链接，或{hidden_fix(linked_item)}", col, referrer=item, target=linked_item)
        for key, number in (("interprets", item.interprets), ("feedback_for", item.feedback_for)):
            target = ctx.project.item_by_index_no(number) if number else None
            if target is not None and target is not item and target.disclosure == PUBLIC and item.disclosure == PUBLIC \
                    and hidden_from_public(item, target, ctx.today):
                yield HIDDEN_LINK.referring(doc.path, doc.line_of(key),
                            f"本条目向社会公开，但{label(key)} {number} 指向的 {hidden_reason(target)}：公众网站上不能出现指向它的链接；"
                            f"请{hidden_fix(target)}", doc.value_col(key), referrer=item, target=target)
    past = PastPublication(ctx.project, ctx.today)  # asked only of items the unsigned files link
    try:
        yield from _pages(ctx, past)
        yield from _settings(ctx, past)
        yield from _templates(ctx, past)
    finally:
        past.close()


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


def _pages(ctx: CheckContext, past: PastPublication) -> Iterator[Problem]:
    """Authored pages are public: every item they link must be on the public site."""
    from .references import file_links, item_at, link_path  # references imports this module for GK630

    project = ctx.project
    if project.catalog is None:  # nothing is published; catalog.yml's own problem says why
        return
    by_path = {item.path: item for item in project.items}
    content = project.rel(project.content_dir)
    addresses = site_urls(ctx)
    views = ctx.views()
    attached = Attached(project)
    for page in project.pages:
        folder = posixpath.dirname(page.path)
        body_links = views.links(page.body)
        links: list[tuple[str, int, Item | str | None]] = [
            (href, offset, item_at(ctx, by_path, link_path(folder, href, content)))
            for href, offset in file_links(page.body, body_links)]
        links += linked(project, body_links, f"pages/{page.slug}/", page.path, addresses, page.body)
        for href, offset, target in sorted(links, key=lambda link: link[1]):
            line, col = position(page.body, offset)
            line += page.body_line - 1
            if isinstance(target, str):
                if not attached.published_with(target, lambda other: other.is_published(ctx.today)):
                    yield _unpublished_file(page.path, line, col, href, target, attached, past=past)
                continue
            if target is None or target.is_published(ctx.today):
                continue
            yield _page_hidden_link(past, page.path, line, col, f"页面链接“{href}”", target)


def _settings(ctx: CheckContext, past: PastPublication) -> Iterator[Problem]:
    """The addresses mkdocs.yml prints on every page (repo_url, extra's homepage, alternate and social links) or
    loads on every page (extra_css, theme.logo and favicon): every page is public, so none may lead to an item or a
    file the public site does not have. Material prints a relative one as it is written, relative to each page: it is
    read here from the home page, the site's root."""
    from .page_settings import CONFIG_FILE, _line

    settings = ctx.settings
    project = ctx.project
    if settings is None or project.catalog is None:
        return
    values = (*settings.page_links, *settings.page_resources)
    if not values:
        return
    try:
        lines = (settings.root / CONFIG_FILE).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    attached = Attached(project)
    for name, value in values:
        line = _line(lines, name, value)
        yield from _every_page(ctx, past, attached, CONFIG_FILE, line, (value,), value, f"{CONFIG_FILE} 的 {name}")


# Every attribute through which a browser follows or loads an address (a template is not sanitised).
_ADDRESSES = ("href", "src", "poster", "action", "formaction", "data", "cite", "longdesc", "xlink:href", "background")


def _templates(ctx: CheckContext, past: PastPublication) -> Iterator[Problem]:
    """The templates of the theme folder print their literal addresses on every page of the public site (what only the
    members' site prints left out): none may lead to an item or a file the public site does not have. A relative one
    is read from the site's root (it is printed on pages at every depth)."""
    from .published import theme_texts

    if ctx.project.catalog is None:
        return
    attached = Attached(ctx.project)
    for text in theme_texts(ctx):
        if not text.path.endswith(".html") or text.shown is None or text.members:
            continue
        html = template_html(text.text)
        if not any(f"{name}=" in html.lower() for name in ("href", "src", "action", "data", "cite", "poster")):
            continue
        body = LexborHTMLParser(html)
        values = tuple(value for node in body.css("*") for name, value in node.attributes.items()
                       if value and name.lower() in _ADDRESSES and VALUE not in value)
        locate = Locator(text.text)
        for value in values:
            line, col = position(text.text, locate(value))
            yield from _every_page(ctx, past, attached, text.path, line, (value,), value, "模板", col)


def _every_page(ctx: CheckContext, past: PastPublication, attached: Attached, path: str, line: int, links: tuple[str, ...], written: str,
                where: str, col: int = 1) -> Iterator[Problem]:
    """Problems of addresses printed on every page of the public site (mkdocs.yml's, a template's)."""
    for href, _offset, target in linked(ctx.project, links, "", path, site_urls(ctx), written):
        if isinstance(target, str):
            if not attached.published_with(target, lambda other: other.is_published(ctx.today)):
                yield _unpublished_file(path, line, col, href, target, attached, past=past)
        elif not target.is_published(ctx.today):
            yield _page_hidden_link(past, path, line, col, f"{where}的地址“{href}”印在每个页面上", target)


def _page_hidden_link(past: PastPublication, path: str, line: int, col: int, what: str, target: Item) -> Problem:
    """GK631. A page, a template and mkdocs.yml are never signed: a link of theirs to an item decided off the public
    site for good (不予公开, 依申请公开), or to a file only such items attach (GK613), stops no build, as a link from
    an item signed before the target's takedown does not (`rules.blocking`): the link is dead, its text the page's
    own. Stopping the build kept the very item the link names on the site when an editor and the reviewers took it
    down on one day, before the page was fixed. A link to an item due on the public site later (scheduled, or
    members-only for now) still stops the build — its text would announce the item before its day — unless the
    item's history shows it public already (`past_publication`: taken down by postponing or by narrowing to 党内)."""
    if target.disclosure != PUBLIC:
        message = (f"{what}：{target.path} 的公开属性是“{target.disclosure}”，公众网站上没有它（本次构建照常撤下它，"
                   "这个链接暂时失效）：请删除该链接")
        return replace(PAGE_HIDDEN_LINK.at(path, line, message, col, targets=(target.path,)), target_signed_later=True)
    if where := past.where(target):
        message = (f"{what}：{hidden_reason(target)}，公众网站上不能有指向它的链接（它此前已经公开过，见 git 历史{where}；"
                   "本次构建照常撤下它，这个链接暂时失效）：请删除该链接")
        return replace(PAGE_HIDDEN_LINK.at(path, line, message, col, targets=(target.path,)), target_signed_later=True)
    message = (f"{what}：{hidden_reason(target)}，公众网站上不能有指向它的链接；删除该链接之前网站不会更新"
               "（仍是上次构建的内容）：请删除该链接")
    return PAGE_HIDDEN_LINK.at(path, line, message, col, targets=(target.path,))
