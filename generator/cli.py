"""The `gongkai` command: a thin adapter from the shell to the core."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, clock
from .click_chinese import BadValue, Group
from .model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, AUDIENCES
from .problems import format_github, format_json, format_text, summary
from .project import Project, find_root, load_project
from .settings import Settings
from .values import date_problem, parse_date

if TYPE_CHECKING:
    from .registers.loading import Registers


def today() -> dt.date:
    """The run's date (GONGKAI_TODAY pins it), or a refusal in Chinese."""
    try:
        return clock.today()
    except ValueError as exc:
        raise Refused(str(exc)) from None


def _date(value: str | None, option: str) -> dt.date:
    if value is None:
        return today()
    date = parse_date(value)
    if date is None:
        reason, out_of_range = date_problem(value) or ("", False)
        fix = "请核对年份" if out_of_range else "请写成 YYYY-MM-DD，例如 2021-06-16"
        raise BadValue(f"{reason}：{fix}", param_hint=option)
    return date


def _settings() -> Settings:
    """The site's settings from mkdocs.yml, read as `gongkai build` reads them."""
    from .site_config import SettingsError, load_settings

    try:
        settings = load_settings(find_root())
    except SettingsError as exc:
        raise Refused(str(exc)) from None
    if not settings.content_dir.is_dir():
        raise Refused(f"找不到内容目录 {settings.content_dir}：请检查 mkdocs.yml 中 gongkai 插件的 content_dir，"
                      "并在站点根目录（mkdocs.yml 所在目录）运行")
    return settings


def _project() -> Project:
    settings = _settings()
    return load_project(settings.root, settings.content_dir, limits=settings.limits)


class Refused(click.ClickException):
    """A refusal explained to the user in Chinese, without click's English prefix."""

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gongkai", message="%(prog)s %(version)s",
                      help="显示版本号并退出 / show the version and exit")
def main() -> None:
    """gongkai：政务公开网站生成工具 / static-site generator for government information disclosure.

    在站点根目录（mkdocs.yml 所在目录）运行。Run from the site's root (where mkdocs.yml is).
    """


@main.command()
@click.option("--title", required=True, help="标题 / the item's title")
@click.option("--category", required=True, help="主题分类（二级栏目名称或代号）/ a leaf category, by name or slug")
@click.option("--department", required=True, help="发布机构 / the publishing department, by name or slug")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="发布日期，默认今天 / publication date, default today")
def new(title: str, category: str, department: str, date_: str | None) -> None:
    """新建条目：分配下一个空闲索引号，生成元数据骨架并输出文件路径。

    Create an item with the next free 索引号 for its year and print its path.
    """
    from .archetypes import NewItemRefused, create_item

    project = _project()
    try:
        path = create_item(project, title, category, department, _date(date_, "--date"))
    except NewItemRefused as exc:
        raise Refused(str(exc)) from None
    click.echo(project.rel(path))


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--category", required=True, help="主题分类（二级栏目名称或代号）/ a leaf category, by name or slug")
@click.option("--department", required=True, help="发布机构 / the publishing department, by name or slug")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="发布日期，默认今天 / publication date, default today")
@click.option("--attach-original", is_flag=True, help="把 Word 原文也作为附件 / keep the .docx itself as an attachment")
def import_(file: Path, category: str, department: str, date_: str | None, attach_original: bool) -> None:
    """从 Word 公文（.docx）新建条目：识别标题、文号、成文日期，正文转为 Markdown，图片和嵌入文件
    存为附件，随即做个人信息和密级标志检查。条目尚未审查。

    Create an item from a Word document (.docx): title, 文号 and 成文日期 recognised, the body as
    Markdown, pictures and embedded files as attachments, then the privacy and secrecy scan.
    """
    from .importing import ImportRefused, NewItemRefused, import_docx

    if not file.is_file():
        raise Refused(f"找不到文件 {file}：请检查路径")
    project = _project()
    published = _date(date_, "--date")
    try:
        imported = import_docx(project, file, category, department, published, attach_original)
    except (ImportRefused, NewItemRefused) as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        raise Refused(f"写入失败：{exc.strerror or exc}（{exc.filename or ''}），没有留下半成品") from None
    rel = project.rel(imported.path)
    click.echo(rel)
    guessed = "" if imported.title_from == "文档" else f"（未在正文中识别到标题，取自{imported.title_from}，请核对）"
    click.echo(f"  标题：{imported.title}{guessed}")
    click.echo(f"  文号：{imported.doc_no or '未识别到（没有发文字号的可不填）'}")
    click.echo(f"  成文日期：{imported.written or '未识别到，请在 written 中补填'}")
    if imported.genre:
        click.echo(f"  体裁：{imported.genre}（按标题末尾的文种判断）")
    for saved in imported.attachments:
        click.echo(f"  附件：{saved.title} → content/attachments/{saved.file}")
    for note in imported.notes:
        click.echo(f"  注意：{note}")
    _scan_imported(rel)


def _scan_imported(rel: str) -> None:
    """Every check on the new item at once; all but the missing review is for the editor to fix now."""
    from . import checks
    from .checks.review import NOT_REVIEWED

    settings = _settings()
    project = load_project(settings.root, settings.content_dir)
    # One new item: nothing worth caching, and the import writes nothing outside content/.
    found = checks.run(project, today(), only=[rel], settings=settings, render_cache=False)
    problems = [p for p in found if p.code != NOT_REVIEWED.code]
    if problems:
        click.echo(f"检查发现 {len(problems)} 个问题（行号指新文件中的行），请改正后再送审：")
        click.echo(format_text(problems))
    else:
        click.echo("检查通过（个人信息、密级标志等均未发现问题）。")
    click.echo(f"下一步：核对内容后，由初审人执行 gongkai review {rel} --level initial --reviewer 姓名，再由复核人复核。")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "format_", type=click.Choice(["text", "github", "json"]), default="text",
    help="输出格式，默认 text / output format",
)
@click.option("--base", "base", metavar="REF",
              help="与该 git 引用（如目标分支 origin/main）比较审查人名册，列出新增、移除的人和密钥 / "
                   "list roster changes against this git ref")
def check(paths: tuple[Path, ...], format_: str, base: str | None) -> None:
    """检查内容：元数据、保密审查（含签名验证）、个人信息、密级标志、不安全标记、引用和时效。有错误时退出码为 1。

    Check content (schema, confidentiality review with signature verification, privacy, secrecy marks,
    unsafe markup, references, timeliness). Exits 1 on any error. PATHS limit the report to those files
    or folders. --base REF also lists how the reviewer roster differs from REF's, as a notice.
    """
    from .checks.parallel import check_site

    settings = _settings()
    only = _expand(settings.root, paths) if paths else None
    notice = _roster_notice(settings, base, format_) if base else ""
    problems, files_read = check_site(settings.root, settings.content_dir, today(), only=only, settings=settings)
    if format_ == "json":
        click.echo(format_json(problems))
    elif format_ == "github":
        if problems:
            click.echo(format_github(problems))
        click.echo(summary(problems, files_read), err=True)
    else:
        if problems:
            click.echo(format_text(problems))
        click.echo(summary(problems, files_read))
    if notice:
        click.echo(notice, err=format_ == "json")  # json: stdout stays the list of problems
    sys.exit(1 if any(p.is_error for p in problems) else 0)


def _roster_notice(settings: Settings, base: str, format_: str) -> str:
    """The roster's changes against `base`, formatted for `format_` (read before the check runs)."""
    from .catalog import load_catalog
    from .roster_changes import BaseUnavailable, compare, format_github, roster_at
    from .roster_changes import format_text as roster_text

    catalog, document, _ = load_catalog(settings.content_dir, settings.root)
    if catalog is None or catalog.roster is None or document is None:
        return ""  # the check itself reports why catalog.yml is unusable
    try:
        old = roster_at(settings.root, settings.content_dir / "catalog.yml", base)
    except BaseUnavailable as exc:
        raise Refused(str(exc)) from None
    changes = compare(old, catalog.roster, {department.slug: department.name for department in catalog.departments})
    if format_ == "github":
        return format_github(changes, base, document.path)
    return roster_text(changes, base, document.path)


def _expand(root: Path, paths: tuple[Path, ...]) -> list[str]:
    """Project-relative paths of the files named on the command line (folders: all files below)."""
    wanted = []
    for path in paths:
        if not path.exists():
            raise BadValue(f"{path} 不存在", param_hint="PATHS")
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                absolute = file.resolve()
                wanted.append(absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else file.as_posix())
    return wanted


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--level", required=True, help="审查级别：initial＝初审，final＝复核（或 catalog.yml 配置的级别）/ review level")
@click.option("--reviewer", required=True, help="审查人姓名，须在 catalog.yml 的审查人名册中 / reviewer's name, as in the roster")
@click.option("--key", "key", type=click.Path(dir_okay=False, path_type=Path),
              help="本人私钥文件，交给 ssh-keygen 签名；不写则用 git 的 user.signingkey 或 ssh-agent / private key file for ssh-keygen")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="审查日期，默认今天 / review date, default today")
@click.option(
    "--opinion", type=click.Choice(["同意公开", "不予公开"]), default="同意公开",
    help="审查意见，默认 同意公开 / opinion",
)
def review(path: Path, level: str, reviewer: str, key: Path | None, date_: str | None, opinion: str) -> None:
    """保密审查签署：用本人 SSH 密钥签署一级审查（审查人、日期、意见、当前内容摘要和下一级签名），文件其余部分逐字节不变。

    Sign one review level with the reviewer's SSH key (ssh-keygen -Y sign); the statement binds the
    item, the level, the reviewer, date, opinion, the current digest and the level below's signature.
    Re-signing a level removes the levels above it. Every other byte of the file stays.
    """
    from .catalog import load_catalog
    from .content_files import read_limited
    from .reviewing import ReviewRefused, SignOff, sign

    settings = _settings()
    catalog, _, problems = load_catalog(settings.content_dir, settings.root, settings.limits.item_bytes)
    if catalog is None:
        first = next((p for p in problems if p.is_error), None)
        raise Refused(f"catalog.yml 有错误，无法确认审查人名册{f'（{first.path}:{first.line}：{first.message}）' if first else ''}")
    rel = Project(settings.root, settings.content_dir, catalog).rel(path)
    sign_off = SignOff(level, reviewer, _date(date_, "--date"), opinion, key)
    data, refused = read_limited(path, rel, settings.limits.item_bytes)
    if data is None:  # a link, a device, too large: never read through it
        message = refused[0].message
        raise Refused(message if message.startswith(rel) else f"{rel}: {message}")
    try:
        signed = sign(path, sign_off, catalog, settings.content_dir / "attachments", rel)
    except ReviewRefused as exc:
        raise Refused(f"{rel}: {exc}") from None
    how = f"签名密钥 {signed.fingerprint}" if signed.fingerprint else "未签名（catalog.yml 允许不签名）"
    click.echo(f"{rel}: 已写入{signed.level_name}（{signed.reviewer}，{sign_off.date.isoformat()}，{opinion}，{how}）")
    if signed.removed:
        click.echo(f"{rel}: 已移除{'、'.join(signed.removed)}：它们的签名针对的是本级原来的记录，须在本级之后重新签署")


@main.command()
@click.option("--today", "today_", metavar="YYYY-MM-DD", help="按哪一天检查，默认今天 / the day to audit as of, default today")
@click.option(
    "--format", "format_", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
    help="输出格式；html 是给领导看的单页报告 / output format; html is a one-page report",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件而不是屏幕 / write to this file")
@click.option("--online", is_flag=True, help="同时检查外部链接能否访问（需要联网）/ also check external links (needs network)")
def audit(today_: str | None, format_: str, output: Path | None, online: bool) -> None:
    """按《政府网站与政务新媒体检查指标》自查网站：首页和栏目更新、空白栏目、链接、伪造发稿日期、
    错敏用语、年度报告。有单项否决问题时退出码为 1。

    Audit the site as it would be published against the machine-checkable inspection indicators.
    Exits 1 when any veto (单项否决) indicator fails.
    """
    from .audit.html import render_html
    from .audit.model import AuditError
    from .audit.render import render_json, render_text
    from .audit.run import run_audit

    settings = _settings()
    try:
        report = run_audit(settings, _date(today_, "--today"), online=online,
                           progress=lambda message: click.echo(message, err=True))
    except AuditError as exc:
        raise Refused(str(exc)) from None
    text = {"text": render_text, "json": render_json, "html": render_html}[format_](report)
    if output is None:
        click.echo(text)
    else:
        _write_whole(output, text)
        click.echo(f"自查报告已写入 {output}", err=True)
    sys.exit(1 if report.vetoed else 0)


def _write_whole(path: Path, text: str) -> None:
    """Write `text` to `path` so that it is either the old file or the whole new one, never half."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise Refused(f"无法写入 {path}（{exc.strerror}）：请检查目录是否存在、是否有写权限") from None


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / output format")
def diff(path: Path, format_: str) -> None:
    """显示条目自上次审查签署以来的改动：元数据（旧 → 新）、正文增删的行、被替换的附件。

    Show what changed in an item since its last sign-off: front-matter keys (old → new), body lines
    added and removed, attachments replaced. The signed version is found in the git history.
    """
    from .catalog import load_catalog
    from .loading import read_document
    from .review_diff import diff_item
    from .review_diff import format_text as diff_text

    settings = _settings()
    catalog, _, _ = load_catalog(settings.content_dir, settings.root)
    project = Project(settings.root, settings.content_dir, catalog)
    rel = project.rel(path)
    document, problems = read_document(path, rel)
    if document is None:
        first = problems[0] if problems else None
        raise Refused(f"{rel}: 文件无法解析{f'（第 {first.line} 行：{first.message}）' if first else ''}")
    result = diff_item(settings.root, project.attachments_dir, document, catalog)
    click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str) if format_ == "json" else diff_text(result))


@main.command()
@click.option("--reviewer", metavar="NAME", help="只列出该审查人可以签署的条目 / only what this reviewer may sign")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / output format")
def queue(reviewer: str | None, format_: str) -> None:
    """待审查队列：新条目、审查后有修改的条目和等待下一级的条目，按级别和部门分组，列出可签署的人和改动。

    The review queue: every item waiting for a sign-off (new, changed since its last review, or waiting
    for the next level), grouped by level and department, with who may sign it and what changed.
    """
    from .review_queue import build_queue
    from .review_queue import format_text as queue_text

    project = _project()
    roster = project.catalog.roster if project.catalog else None
    if reviewer and (roster is None or roster.person(reviewer) is None):
        close = roster.closest(reviewer) if roster else None
        raise Refused(f"“{reviewer}”不在审查人名册中{f'：是否想写“{close}”？' if close else ''}")
    waiting = build_queue(project, today(), reviewer)
    if format_ == "json":
        click.echo(json.dumps([entry.as_json() for entry in waiting], ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(queue_text(waiting, reviewer))


@main.command()
@click.option(
    "--format", "format_", type=click.Choice(["text", "markdown", "json"]), default="text",
    help="输出格式，默认 text / output format",
)
def rules(format_: str) -> None:
    """列出全部检查代码：级别、含义和修正方法（编辑手册的代码表由此生成）。

    List every check code with its severity, title and fix (the 编辑手册's table is generated from it).
    """
    from .rulebook import render_json, render_markdown
    from .rules import all_rules

    if format_ == "markdown":
        click.echo(render_markdown(), nl=False)
    elif format_ == "json":
        click.echo(render_json())
    else:
        for rule in all_rules():
            click.echo(f"{rule.code} {rule.severity_label} {rule.title}")


@main.command()
@click.option(
    "--kind", type=click.Choice(["item", "application", "supervision", "lexicon"]), default="item", show_default=True,
    help="item＝条目元数据，application＝依申请公开登记，supervision＝督查督办登记，lexicon＝错敏词库 / which file's schema",
)
def schema(kind: str) -> None:
    """输出 JSON Schema，供编辑器的 YAML 插件校验与补全：默认为条目元数据，--kind 可选登记文件或错敏词库。

    Print the JSON Schema of an item's front matter (default), of a register file or of content/lexicon.yml.
    """
    if kind == "lexicon":
        from .lexicon.entries import json_schema

        click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))
        return
    project = _project()
    if kind == "item":
        from .front_matter_schema import build_schema

        built = build_schema(project.catalog)
    else:
        from .registers.schema import register_schema

        built = register_schema(kind, project.catalog)
    click.echo(json.dumps(built, ensure_ascii=False, indent=2))


@main.command()
@click.option("--site-dir", type=click.Path(path_type=Path), metavar="DIR",
              help="输出目录，默认 site（党内网站默认 site-party）/ output folder, default site (site-party for 党内)")
@click.option("--audience", type=click.Choice(AUDIENCES), default=AUDIENCE_PUBLIC,
              help="默认 公众：对社会公开的网站；党内：党员内网网站（另含仅党内公开的信息）/ the public site, or the members' intranet site")
def build(site_dir: Path | None, audience: str) -> None:
    """生成网站：检查 → MkDocs 构建 → 搜索索引；失败时保留原有网站不变。

    Build the site (check → MkDocs → search index) atomically: a failed build leaves the previous site untouched.
    """
    from .building import BuildFailed, build_site

    root = find_root()
    public_dir = root / "site"
    if site_dir is None:
        site_dir = public_dir if audience == AUDIENCE_PUBLIC else root / "site-party"
    site_dir = root / site_dir if not site_dir.is_absolute() else site_dir
    if audience == AUDIENCE_PARTY and site_dir.resolve() == public_dir.resolve():
        raise Refused("党内网站不能生成到公众网站的目录 site/：请用 --site-dir 另选目录（默认 site-party），"
                      "并且只部署到单位内网")
    try:
        build_site(root, site_dir, today=today(), echo=click.echo, audience=audience)
    except BuildFailed as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help="监听地址，默认 127.0.0.1:8000 / address to serve on")
def serve(dev_addr: str) -> None:
    """本地预览网站，content/ 下任何修改都会自动刷新。

    Serve the site locally; live-reloads on any change under content/.
    """
    from .building import serve_site

    serve_site(find_root(), dev_addr, today=today())


@main.command()
@click.argument("year", type=int)
@click.option(
    "--format", "format_", type=click.Choice(["markdown", "json", "csv", "docx"]), default="markdown",
    help="输出格式，默认 markdown；docx 为 Word 文档，须同时给出 --output / output format; docx needs --output",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="写入该文件而不是屏幕（已有的文件被替换）/ write to FILE instead of standard output",
)
def report(year: int, format_: str, output: Path | None) -> None:
    """生成政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）。先列出与该年年报有关的
    GK8xx 问题（屏幕错误输出），有错误时不生成年报、退出码为 1。

    Print the annual report on government information disclosure for YEAR, after the GK8xx
    problems that bear on it (on standard error); exits 1 without a report when any is an error.
    """
    from .report import ReportError, checked_report, render

    if format_ == "docx" and output is None:
        raise Refused(f"Word 格式（--format docx）须用 --output 指定要写入的文件，例如 --output {year}年政府信息公开工作年度报告.docx")
    project = _project()
    try:
        annual, problems = checked_report(project, year, today())
    except ReportError as exc:
        _show_report_problems(exc.problems, year)
        raise Refused(str(exc)) from None
    _show_report_problems(problems, year)
    content = render(annual, format_)
    if output is None:
        assert isinstance(content, str)
        click.echo(content)
        return
    data = content if isinstance(content, bytes) else (content + "\n").encode("utf-8")
    _write_atomically(output, data)
    click.echo(f"已写入 {output}（{annual.title}）", err=True)


def _show_report_problems(problems: list, year: int) -> None:
    if not problems:
        return
    errors = sum(p.is_error for p in problems)
    click.echo(format_text(problems), err=True)
    click.echo(f"与 {year} 年年报有关的问题：{errors} 个错误，{len(problems) - errors} 个警告（见上）。", err=True)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file beside it: never a half-written file."""
    import os
    import tempfile

    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise Refused(f"无法写入 {target}：目录 {folder} 不存在")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".gongkai-", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, target)
    except OSError as exc:
        if "temporary" in locals():
            Path(temporary).unlink(missing_ok=True)
        raise Refused(f"无法写入 {target}：{exc.strerror or exc}（请检查路径和权限；文件是否正被 Word 或 WPS 打开？）") from None


def _register_errors(registers: Registers, paths: Collection[str]) -> bool:
    """Print the reading errors of the given register files to stderr; whether there were any."""
    problems = sorted(p for p in registers.problems if p.is_error and p.path in paths)
    if problems:
        click.echo(format_text(problems), err=True)
        files = len({p.path for p in problems})
        click.echo(f"以上 {files} 个登记文件有错误，没有列入：请改正后重新运行（`gongkai check` 列出全部问题）。", err=True)
    return bool(problems)


@main.command()
@click.option("--today", "today_", metavar="YYYY-MM-DD", help="按这一天计算剩余期限，默认今天 / the day to count from, default today")
@click.option(
    "--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="输出格式 / output format",
)
def applications(today_: str | None, format_: str) -> None:
    """依申请公开登记：每件申请的法定答复期限，办理中的剩余工作日（含调休，不含节假日）。

    List every application of the register with its statutory due date and, for open ones, the
    working days left. Exits 1 when an application cannot be listed because a date its deadline
    depends on is wrong (the others are still listed; `gongkai check` shows every problem).
    """
    from .registers.deadline_list import render_json, render_text, rows
    from .registers.loading import load_registers

    registers = load_registers(_project())
    day = _date(today_, "--today")
    found = rows(registers.timed(), day)
    click.echo(render_json(found) if format_ == "json" else render_text(found, day))
    sys.exit(1 if _register_errors(registers, registers.untimed) else 0)


@main.command()
@click.argument("year", type=int, required=False)
@click.option("--today", "today_", metavar="YYYY-MM-DD", help="统计截至这一天，默认今天 / count as of this day, default today")
@click.option(
    "--format", "format_", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
    help="输出格式 / output format",
)
def supervision(year: int | None, today_: str | None, format_: str) -> None:
    """督查督办登记：本年（或 YEAR 年）督办件按来源、状态统计，办结率和逾期未办结的督办件。

    Count the 督办件 received in YEAR (default: this year) by source and status, with the
    办结率 (办结 ÷ (received − 取消), never above 100 %) and the overdue ones.
    """
    from .registers.loading import load_registers
    from .registers.supervision_summary import render_csv, render_json, render_text, summarize

    if year is not None and not 1000 <= year <= 9999:
        raise Refused(f"年份“{year}”不对：请写四位年份，例如 2025")
    registers = load_registers(_project())
    day = _date(today_, "--today")
    summary = summarize(registers.supervision, year or day.year, day)
    renderers = {"json": render_json, "csv": render_csv, "text": render_text}
    click.echo(renderers[format_](summary).rstrip("\n"))
    sys.exit(1 if _register_errors(registers, registers.unusable_entries) else 0)
