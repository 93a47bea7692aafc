"""链接可用性: every internal link and attachment link of the built site resolves; links elsewhere are
listed, and checked only with `--online` (the audit needs no network otherwise)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import DEDUCT, NOTE, VETO, AuditContext, Finding, Indicator
from ..sitelinks import MAX_EXTERNAL, SiteLinks, check_external, scan

SHOWN_PAGES = 10
# Links named one by one: a site whose every page links to a missing file (30,000 dead links) gets a report a person
# can read, and the rest counted in one line.
SHOWN_LINKS = 200


def _links(ctx: AuditContext) -> SiteLinks | None:
    """The built site's links, read once per audit; None when the site could not be built."""
    if "links" not in ctx.memo:
        site_dir = ctx.site_dir
        if site_dir is not None:
            ctx.progress("检查网站链接……")
        ctx.memo["links"] = scan(site_dir, ctx.settings.site_url) if site_dir is not None else None
    return ctx.memo["links"]


def _pages(pages: list[str]) -> tuple[str, ...]:
    shown = tuple(f"/{page}" for page in sorted(set(pages))[:SHOWN_PAGES])
    return shown + ((f"……共 {len(set(pages))} 个页面",) if len(set(pages)) > SHOWN_PAGES else ())


def _source(ctx: AuditContext, pages: list[str]) -> tuple[str, str]:
    """The item a dead link is on (its source file and site URL), when it is on an item page."""
    if "items by url" not in ctx.memo:
        ctx.memo["items by url"] = {item.url: item for item in ctx.published()}
    urls = ctx.memo["items by url"]
    for page in sorted(set(pages)):
        if page in urls:
            return urls[page].path, ctx.item_url(urls[page])
    return "", ""


def _internal(ctx: AuditContext) -> Iterator[Finding]:
    if ctx.build_site is None:  # an audit of the content alone (run_audit without a builder)
        return
    links = _links(ctx)
    if links is None:
        yield DEAD.finding(f"网站无法生成，链接未能检查：{ctx.site_error}")
        return
    dead = sorted(links.dead.items())
    for target, pages in dead[:SHOWN_LINKS]:
        path, url = _source(ctx, pages)
        yield DEAD.finding(f"链接“{target}”指向的页面或文件不存在（出现在 {len(set(pages))} 个页面）",
                           path=path, url=url, details=_pages(pages))
    if len(dead) > SHOWN_LINKS:
        yield DEAD.finding(f"另有 {len(dead) - SHOWN_LINKS} 个不存在的链接目标没有逐一列出（共 {len(dead)} 个）："
                           "请先改正上面列出的链接，再重新运行 gongkai audit")


def _listed(ctx: AuditContext) -> Iterator[Finding]:
    links = _links(ctx)
    if links is not None and links.external and not ctx.online:
        yield EXTERNAL_LIST.finding(
            f"网站有 {len(links.external)} 个外部链接，本次未检查（加 --online 检查能否访问）",
            details=_shown_links(sorted(links.external)),
        )


def _shown_links(addresses: list[str]) -> tuple[str, ...]:
    shown = tuple(addresses[:SHOWN_LINKS])
    return shown + ((f"……共 {len(addresses)} 个外部链接",) if len(addresses) > SHOWN_LINKS else ())


def _external(ctx: AuditContext) -> Iterator[Finding]:
    links = _links(ctx)
    if links is None or not links.external or not ctx.online:
        return
    ctx.progress(f"检查 {min(len(links.external), MAX_EXTERNAL)} 个外部链接……")
    for address, reason in sorted(check_external(links.external).items()):
        pages = links.external[address]
        path, url = _source(ctx, pages)
        yield EXTERNAL_DEAD.finding(f"外部链接“{address}”不能访问：{reason}", path=path, url=url, details=_pages(pages))


DEAD = Indicator(
    "dead-link", "链接不可用（站内）",
    "网站页面上的链接（含附件、图片）不能正常访问。检查指标按个扣分；站内链接完全由本站内容决定，"
    "gongkai 按单项否决处理，发布前必须修正", VETO,
    "改正正文或页面中的链接地址；附件链接请核对附件文件是否随条目一起发布", _internal, order=50,
)
EXTERNAL_DEAD = Indicator(
    "external-dead-link", "链接不可用（外部）", "网站页面上的外部链接不能正常访问（每发现一个扣分）", DEDUCT,
    "改正或删除失效的外部链接", _external, order=75,
)
EXTERNAL_LIST = Indicator(
    "external-links", "外部链接（未检查）", "外部链接须能正常访问；不联网时只列出，加 --online 检查", NOTE,
    "定期用 gongkai audit --online 检查外部链接", _listed, order=90,
)
