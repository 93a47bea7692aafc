"""What makes a preview page unmistakably a preview, and the preview's own page of problems.

Every page the site's templates render gets, on its way out: 【预览】 before its title, `noindex`,
the preview banner (with an item's own banners: 草稿, 待复核, 定时发布 …) and the live-reload script.
The preview's templates are its own (templates/, autoescaped); the site's templates only ask for an
entry's banners (`gk_preview.chips`), which is undefined, and so empty, in a build.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..rules import blocking
from ..site.csp import PAGE_POLICY
from ..site.pages import ItemPage, SearchPage, SitePage

if TYPE_CHECKING:
    from .session import PreviewSession

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
# Where the check's summary goes in a page kept between saves; filled in when the page is sent.
SUMMARY_SLOT = "<span data-gkp-summary></span>"
HEAD = '<meta name="robots" content="noindex, nofollow">\n<link rel="stylesheet" href="/_preview/preview.css">\n'
TITLE_MARK = "【预览】"
_SITE_ROBOTS = re.compile(r'<meta name="robots" content="[^"<>]*">\s*')
PREFIX = "_preview/"  # the preview's own addresses: /_preview/ (problems), its script, style and endpoints


@dataclass(frozen=True)
class FileProblems:
    path: str
    anchor: str
    url: str  # the item's preview page, "" if it has none
    problems: list


def anchor(path: str) -> str:
    """The id of a file's section on the problems page (a path may hold any character)."""
    return "f-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:12]


class PreviewPages:
    """Renders the preview's additions with its own templates."""

    def __init__(self) -> None:
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                               trim_blocks=True, lstrip_blocks=True)

    def page_globals(self, session: PreviewSession) -> dict[str, Any]:
        """`gk_preview` for the site's templates: an entry's banners beside its title in lists."""
        template = self.env.get_template("chips.html")

        def chips(url: str) -> Markup:
            shown = session.model.chips.get(url)
            return Markup(template.render(chips=shown)) if shown else Markup("")

        return {"chips": chips}

    def decorate(self, html: str, page: SitePage | None, session: PreviewSession) -> str:
        """A rendered page of the site as a preview page (without the parts `finish` adds when it is sent)."""
        chips = session.model.chips.get(page.url, ()) if isinstance(page, ItemPage) else ()
        search = _search_note(session.root) if isinstance(page, SearchPage) else ""
        path = session.model.path_of.get(page.url, "") if page is not None else ""
        banner = self.env.get_template("banner.html").render(summary=Markup(SUMMARY_SLOT), chips=chips, path=path,
                                                             search=search)
        html = html.replace("<title>", f"<title>{TITLE_MARK}", 1)
        html = _SITE_ROBOTS.sub("", html, count=1)  # the search page's `noindex, follow`: the preview's says more
        head = html.find("</head>")
        if head >= 0:
            html = html[:head] + HEAD + html[head:]
        body = html.find("<body")
        opened = html.find(">", body) + 1 if body >= 0 else 0
        return html[:opened] + banner + html[opened:]

    def finish(self, html: str, session: PreviewSession) -> str:
        """The parts of a page that change with every save: the check's summary and the reload script's version."""
        problems = session.model.problems
        errors = sum(p.is_error for p in problems)
        stopping = len(blocking(problems))
        summary = self.env.get_template("summary.html").render(errors=stopping, duties=errors - stopping,
                                                                 warnings=len(problems) - errors)
        html = html.replace(SUMMARY_SLOT, summary, 1)
        script = f'<script src="/_preview/live.js" data-version="{session.version}"></script>\n'
        end = html.rfind("</body>")
        return html[:end] + script + html[end:] if end >= 0 else html + script

    def problems_page(self, session: PreviewSession) -> str:
        model = session.model
        url_of = {path: url for url, path in model.path_of.items()}
        errors: dict[str, list] = defaultdict(list)
        for problem in model.problems:
            if problem.is_error:
                errors[problem.path].append(problem)
        pending = []
        for url, chips in model.chips.items():
            page = session.renderer.pages.get(url) if session.renderer else None
            pending.append({"url": url, "chips": chips, "path": model.path_of.get(url, ""),
                            "title": page.title if page is not None else url})
        return self.env.get_template("problems.html").render(
            csp=PAGE_POLICY,
            site_name=session.site_name,
            plan_error=session.render_error or model.plan_error,
            errors=[p for p in model.problems if p.is_error],
            blocking=len(blocking(model.problems)),
            error_files=[FileProblems(path, anchor(path), url_of.get(path, ""), found) for path, found in errors.items()],
            warnings=[p for p in model.problems if not p.is_error],
            pending=sorted(pending, key=lambda entry: entry["path"]),
            left_out=sorted(model.left_out.items()),
            notes=[note.text + (f"（MkDocs 原文：{note.original}）" if note.original else "") for note in session.log.notes],
            version=session.version,
        )


def item_location(session: PreviewSession, rel: str) -> str:
    """Where the preview shows the item at project path `rel`: its page, or its problems."""
    with session.lock:
        for url, path in session.model.path_of.items():
            if path == rel:
                return url
    return f"{PREFIX}#{anchor(rel)}"


def _search_note(root: Path) -> str:
    if (root / "site" / "pagefind").is_dir():
        return ("预览中的站内搜索用的是上次 gongkai build 生成的索引（site/pagefind/），不含此后的修改："
                "新的、未审查的和不公开的条目搜不到。")
    return "还没有生成过网站（gongkai build），预览中的站内搜索没有索引可用。"
