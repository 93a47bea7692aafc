"""The 年报 pages: a list of years and one page per 政府信息公开工作年度报告 (from `gongkai.report`)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from ..project import Project
from ..report import build_report, published_years, render_html, report_css
from .pages import CountedLink, DirectoryGroup, DirectoryPage, Link, ReportPage, SitePage

STYLESHEET = "assets/gongkai/report.css"


def report_assets() -> dict[str, str]:
    """Generated files the report pages need: their stylesheet, owned by the report module."""
    return {STYLESHEET: report_css()}


def report_pages(project: Project, today: dt.date, index: Link, crumbs: tuple[Link, ...]) -> list[SitePage]:
    org = project.catalog.org_name if project.catalog else ""
    years = sorted(published_years(project, today), reverse=True)
    links = tuple(CountedLink(f"{org}{year}年政府信息公开工作年度报告", f"{index.url}{year}/", 0) for year in years)
    pages: list[SitePage] = [
        DirectoryPage(
            index.url,
            index.title,
            crumbs,
            intro="根据《中华人民共和国政府信息公开条例》第四十九条，本机关每年1月31日前公布上一年度政府信息公开工作年度报告。",
            groups=(DirectoryGroup("", "", links),) if links else (),
            show_counts=False,
        )
    ]
    for year, link in zip(years, links, strict=True):
        # The one place the report's HTML is marked safe: render_html escapes every value it writes.
        html = Markup(render_html(build_report(project, year, today)))
        pages.append(ReportPage(link.url, link.title, (*crumbs, index), year=year, html=html, index_url=index.url))
    return pages
