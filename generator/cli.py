"""The `gongkai` command: the click layer only — options, what is printed (Chinese) and exit codes.

Each command's work is done by its module in `commands/`; a refusal there (`commands.Refused`) is
printed as “错误：…” with exit code 1 by the group (`click_chinese.Group`).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import signal
import sys
from pathlib import Path

import click

from . import __version__, clock, path_probe
from .click_chinese import BadValue, Group
from .commands import Refused, site_settings
from .model import AUDIENCE_PUBLIC, AUDIENCES
from .problems import (
    Problem,
    format_github,
    format_json,
    format_text,
    printable,
    printable_json,
    printable_lines,
    summary,
)
from .progress import Meter
from .project import find_root
from .shown_output import annotating
from .upcoming import Upcoming
from .values import date_problem, parse_date


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


def run() -> None:
    """The `gongkai` program (the entry point pyproject.toml names): `main`, then an exit that runs the exit
    handlers and flushes the output but leaves the memory to the system. Freeing a built site's objects one by
    one took ≈ 0.5 s at 10,000 items, a tenth of a one-item rebuild. (Tests call `main`, which returns.)"""
    code: object = None
    try:
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        # The command is done (its file written, its site in place): Ctrl+C now would only cut off its exit handlers
        # and output with a traceback.
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:  # outside the command's own handling: before it began, or just as it ended
        if code is None:
            from .click_chinese import say_interrupted

            say_interrupted(terminated=False)
            code = 130
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # as the interpreter does with `sys.exit("…")`
    status = code if isinstance(code, int) else 0 if code is None else 1
    atexit._run_exitfuncs()  # the attachment readers' sandbox, multiprocessing's children, logging
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone (`| head`), or a stream closed
            stream.flush()
    os._exit(status)


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
    from .commands.new import new_item

    click.echo(new_item(site_settings(), title, category, department, _date(date_, "--date")))


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--category", required=True, help="主题分类（二级栏目名称或代号）/ a leaf category, by name or slug")
@click.option("--department", required=True, help="发布机构 / the publishing department, by name or slug")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="发布日期，默认今天 / publication date, default today")
@click.option("--attach-original", is_flag=True, help="把 Word 原文也作为附件 / keep the .docx itself as an attachment")
def import_(file: Path, category: str, department: str, date_: str | None, attach_original: bool) -> None:
    """从 Word 公文（.docx）新建条目：识别标题、文号、成文日期，正文转为 Markdown，图片和嵌入文件
    存为附件，随即对新条目做全部检查（个人信息、密级标志、栏目要求等，保密审查除外）。条目尚未审查。

    Create an item from a Word document (.docx): title, 文号 and 成文日期 recognised, the body as
    Markdown, pictures and embedded files as attachments, then every check of the new item but its review.
    """
    from .commands.import_docx import import_item

    settings = site_settings()
    done = import_item(settings, file, category, department, _date(date_, "--date"), attach_original, today())
    imported = done.imported
    # What the Word file says is shown as printable(): its text may hold C1 controls (U+009B starts a terminal's
    # escape sequence as ESC [ does) and bidirectional marks, which XML allows and the title's one_line keeps.
    click.echo(printable(done.path))
    guessed = "" if imported.title_from == "文档" else f"（未在正文中识别到标题，取自{imported.title_from}，请核对）"
    click.echo(f"  标题：{printable(imported.title)}{guessed}")
    click.echo(f"  文号：{printable(imported.doc_no) or '未识别到（没有发文字号的可不填）'}")
    click.echo(f"  成文日期：{imported.written or '未识别到，请在 written 中补填'}")
    if imported.genre:
        click.echo(f"  体裁：{printable(imported.genre)}（{imported.genre_from}）")
    for saved in imported.attachments:
        click.echo(f"  附件：{printable(saved.title)} → content/attachments/{saved.file}")
    for note in imported.notes:
        click.echo(f"  注意：{printable(note)}")
    if done.problems:
        click.echo(f"检查发现 {len(done.problems)} 个问题（行号指新文件中的行），请改正后再送审：")
        click.echo(format_text(done.problems))
    else:
        click.echo("检查通过（个人信息、密级标志等均未发现问题）。")
    click.echo(f"下一步：核对内容后，由初审人执行 gongkai review {done.path} --level initial --reviewer 姓名，再由复核人复核。")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "format_", type=click.Choice(["text", "github", "json"]), default="text",
    help="输出格式，默认 text / output format",
)
@click.option("--base", "base", metavar="REF",
              help="与该 git 引用（如目标分支 origin/main）比较：列出审查人名册和部门、栏目名称的变化及往年登记的改动（GK848），"
                   "并拒绝换回旧的已签署版本（GK220）、没有签名的新审查记录（GK221）、用已停用密钥（GK222）或已结束的权限（GK223）"
                   "签署的新审查；合并请求的 CI 中使用 / compare with this git ref (a merge request's target): roster "
                   "changes listed, rolled-back, unsigned, retired-key and ended-role sign-offs refused")
def check(paths: tuple[Path, ...], format_: str, base: str | None) -> None:
    """检查内容：元数据、保密审查（含签名验证）、个人信息、密级标志、不安全标记、引用和时效。有错误时退出码为 1。

    Check content (schema, confidentiality review with signature verification, privacy, secrecy marks,
    unsafe markup, references, timeliness). Exits 1 on any error. PATHS limit the report to those files
    or folders. --base REF also lists how the reviewer roster differs from REF's, as a notice, and refuses
    sign-offs that are rolled back, unsigned, by a retired key or dated into an ended role (GK220–GK223).
    """
    from .commands.check import check as check_content
    from .commands.check import unread_paths

    for path in paths:
        if not path_probe.exists(path) and not path.is_symlink():  # a link is named as it is: GK011 says what to do
            raise BadValue(f"{path} 不存在", param_hint="PATHS")
    if base is not None and not base.strip():  # `--base "$TARGET"` with the variable unset: never a check without it
        raise BadValue("是空的：请写出要比较的 git 引用，例如 --base origin/main（CI 中检查所用的变量是否有值）",
                       param_hint="--base")
    settings = site_settings()
    for path in paths:
        named = Path(os.path.abspath(path))
        if not (named.parent.resolve() / named.name).is_relative_to(settings.root):  # a mistyped path in a hook passed
            raise BadValue(f"{path} 不在本项目（{settings.root}）中：只能检查项目中的文件或文件夹", param_hint="PATHS")
    for path in unread_paths(settings, paths):
        click.echo(f"注意：{printable(str(path))} 不是网站的内容，gongkai check 不读它（只读 mkdocs.yml、内容文件夹 "
                   f"{printable(settings.content_dir.name)}/ 和主题文件夹中的文件），下面的结果与它无关", err=True)
    meter = Meter.for_terminal(lambda message: click.echo(message, err=True))
    with meter.shown():
        found = check_content(settings, today(), paths, base, format_, meter)
    problems = found.problems
    if format_ == "json":
        click.echo(format_json(problems))
    elif format_ == "github":
        if problems:
            with annotating():
                click.echo(format_github(problems))
        click.echo(summary(problems, found.files_read), err=True)
        _echo_lines(_scheduled(found.scheduled), err=True)
    else:
        if problems:
            click.echo(format_text(problems))
        click.echo(summary(problems, found.files_read))
        _echo_lines(_scheduled(found.scheduled))
    if found.roster_notice:
        with annotating():
            click.echo(found.roster_notice, err=format_ == "json")  # json: stdout stays the list of problems
    sys.exit(1 if any(p.is_error for p in problems) else 0)


def _scheduled(events: list[Upcoming]) -> list[str]:
    """The items a later build publishes by itself (定时发布, 对公众公开), with their dates."""
    if not events:
        return []
    return [f"定时发布：{len(events)} 项，到期当天或之后的 gongkai build 发布（每天定时构建即自动发布；"
            "gongkai build --next-change 列出网站的全部自动变化）："] + [
        _event_line(event) for event in events]


def _event_line(event: Upcoming) -> str:
    """One coming change; its path and title shown, never acted on (an item with an ESC sequence or a bidi mark
    in its title is an error, and still listed)."""
    return f"  {event.date}  {event.what}  {printable(event.path)}  {printable(event.title)}"


def _echo_lines(lines: list[str], err: bool = False) -> None:
    for line in lines:
        click.echo(line, err=err)


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
@click.option("--digest", "pin", metavar="SHA256",
              help="核对时看到的内容摘要（gongkai queue、gongkai diff 和预览页显示）：内容此后有改动则拒绝签署 / "
                   "the digest of the content as you read it; refused if the content has changed since")
def review(path: Path, level: str, reviewer: str, key: Path | None, date_: str | None, opinion: str, pin: str | None) -> None:
    """保密审查签署：用本人 SSH 密钥签署一级审查（审查人、日期、意见、当前内容摘要和下一级签名），文件其余部分逐字节不变。

    Sign one review level with the reviewer's SSH key (ssh-keygen -Y sign); the statement binds the
    item, the level, the reviewer, date, opinion, the current digest and the level below's signature.
    Re-signing a level removes the levels above it. Every other byte of the file stays. With --digest,
    only the content the reviewer read is signed.
    """
    from .commands.review import review as sign_review
    from .reviewing import SignOff

    settings = site_settings()
    sign_off = SignOff(level, reviewer, _date(date_, "--date"), opinion, key, pin)
    if sign_off.date > today():  # a right or a key that starts later would be used before it starts (GK219)
        raise BadValue(f"审查日期 {sign_off.date} 晚于今天 {today()}：审查记录写签署的实际日期，不能预先签署", param_hint="--date")
    done = sign_review(settings, path, sign_off)
    signed, rel = done.signed, done.path
    how = f"签名密钥 {signed.fingerprint}" if signed.fingerprint else "未签名（catalog.yml 允许不签名）"
    rel = printable(rel)  # a file's name may hold an ESC sequence or a line break: shown, never acted on
    who = printable(signed.reviewer)
    click.echo(f"{rel}: 已写入{printable(signed.level_name)}（{who}，{sign_off.date.isoformat()}，{opinion}，{how}）")
    if signed.removed:
        click.echo(f"{rel}: 已移除{printable('、'.join(signed.removed))}：它们的签名针对的是本级原来的记录，须在本级之后重新签署")


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", required=True, help="撤回原因，一行文字 / why the item is withdrawn (one line)")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="撤回日期，默认今天 / date of the withdrawal, default today")
def withdraw(path: Path, reason: str, date_: str | None) -> None:
    """撤回一条已主动公开的信息：写入 withdrawn（日期和原因），文件其余部分逐字节不变。网页只保留标题、
    元数据和撤回原因；撤回属于审查内容，须重新审查后才能生成网站。

    Withdraw a published item: write `withdrawn: {date, reason}` and change no other byte. The page keeps
    its title, metadata and the reason; the item must be reviewed again before the site can be built.
    """
    from .commands.withdraw import withdraw as withdraw_item

    for line in withdraw_item(site_settings(), path, reason, _date(date_, "--date"), today()):
        click.echo(printable(line))  # the file's name may hold an ESC sequence: shown, never acted on


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
    from .audit.render import render_json, render_text
    from .commands import output_file, write_output
    from .commands.audit import audit as audit_site

    settings = site_settings()
    if output is not None:
        output = output_file(settings, output)
    report = audit_site(settings, _date(today_, "--today"), online=online,
                        progress=lambda message: click.echo(message, err=True))
    text = {"text": render_text, "json": render_json, "html": render_html}[format_](report)
    if output is None:
        click.echo(text)
    else:
        write_output(output, text.encode("utf-8"))
        click.echo(f"自查报告已写入 {output}", err=True)
    sys.exit(1 if report.vetoed else 0)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / output format")
def diff(path: Path, format_: str) -> None:
    """显示条目自上次审查签署以来的改动：元数据（旧 → 新）、正文增删的行、被替换的附件。

    Show what changed in an item since its last sign-off: front-matter keys (old → new), body lines
    added and removed, attachments replaced. The signed version is found in the git history.
    """
    from .commands.diff import diff as item_diff
    from .review_diff import format_text as diff_text

    result = item_diff(site_settings(), path)
    click.echo(printable_json(result.as_json(), indent=2, default=str) if format_ == "json" else diff_text(result))


@main.command()
@click.option("--reviewer", metavar="NAME", help="只列出该审查人可以签署的条目 / only what this reviewer may sign")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / output format")
def queue(reviewer: str | None, format_: str) -> None:
    """待审查队列：新条目、审查后有修改的条目和等待下一级的条目，按级别和部门分组，列出可签署的人和改动。

    The review queue: every item waiting for a sign-off (new, changed since its last review, or waiting
    for the next level), grouped by level and department, with who may sign it and what changed.
    """
    from .commands.queue import queue as review_queue
    from .review_queue import format_text as queue_text
    from .review_queue import unread_note

    waiting, unread = review_queue(site_settings(), today(), reviewer)
    if format_ == "json":
        click.echo(printable_json([entry.as_json() for entry in waiting], indent=2, default=str))
        if unread:
            click.echo(unread_note(unread).rstrip("\n"), err=True)
    else:
        click.echo(queue_text(waiting, reviewer, unread))


@main.command()
@click.option(
    "--format", "format_", type=click.Choice(["text", "markdown", "json"]), default="text",
    help="输出格式，默认 text / output format",
)
def rules(format_: str) -> None:
    """列出全部检查代码：级别、含义和修正方法（编辑手册的代码表由此生成）。

    List every check code with its severity, title and fix (the 编辑手册's table is generated from it).
    """
    from .commands.rules import rules as rule_table

    click.echo(rule_table(format_), nl=format_ != "markdown")


@main.command()
@click.option(
    "--kind", type=click.Choice(["item", "application", "supervision", "lexicon"]), default="item", show_default=True,
    help="item＝条目元数据，application＝依申请公开登记，supervision＝督查督办登记，lexicon＝错敏词库 / which file's schema",
)
def schema(kind: str) -> None:
    """输出 JSON Schema，供编辑器的 YAML 插件校验与补全：默认为条目元数据，--kind 可选登记文件或错敏词库。

    Print the JSON Schema of an item's front matter (default), of a register file or of content/lexicon.yml.
    """
    from .commands.schema import schema as json_schema

    click.echo(json_schema(kind, None if kind == "lexicon" else site_settings()))


@main.command()
@click.option("--site-dir", type=click.Path(path_type=Path), metavar="DIR",
              help="输出目录，默认 site（党内网站默认 site-party）/ output folder, default site (site-party for 党内)")
@click.option("--audience", type=click.Choice(AUDIENCES), default=AUDIENCE_PUBLIC,
              help="默认 公众：对社会公开的网站；党内：党员内网网站（另含仅党内公开的信息）/ "
                   "the public site, or the members' intranet site")
@click.option("--next-change", is_flag=True,
              help="不生成网站，只列出网站下一次（及以后）自行变化的日期和原因 / only print when the site next changes by itself")
def build(site_dir: Path | None, audience: str, next_change: bool) -> None:
    """生成网站：检查 → MkDocs 构建 → 搜索索引；失败时保留原有网站不变。

    Build the site (check → MkDocs → search index) atomically: a failed build leaves the previous site untouched.
    """
    from .commands.build import BuildFailed, build_site, output_folder

    if next_change:
        _next_change(audience)
        return
    root = find_root()
    try:
        day = today()
        build_site(root, output_folder(root, site_dir, audience, day), today=day, echo=click.echo, audience=audience)
    except BuildFailed as exc:  # its problem lines as `gongkai check` prints them; what it quotes shown, not obeyed
        click.echo(printable_lines(str(exc)), err=True)
        sys.exit(1)


def _next_change(audience: str) -> None:
    """When the site built for `audience` changes next by itself, and every later change."""
    from .commands.build import next_changes

    day = today()
    events = next_changes(site_settings(), day, audience)
    site = "网站" if audience == AUDIENCE_PUBLIC else "党内网站"
    if not events:
        click.echo(f"{site}不会自行变化：没有定时发布或定时对公众公开的条目，也没有未结束的意见征集（按 {day} 计算）。")
        return
    first = events[0].date
    click.echo(f"{site}下一次自行变化：{first}（{(first - day).days} 天后，按 {day} 计算）")
    for event in events:
        click.echo(_event_line(event))
    click.echo("这些变化在当天或之后的 gongkai build 中出现：每天定时构建并部署，网站就会按时变化"
               "（见编辑手册“定时发布与每天自动构建”）。")


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help="监听地址，默认 127.0.0.1:8000 / address to serve on")
def serve(dev_addr: str) -> None:
    """本地预览网站：未审查、审查后有修改、定时发布和不公开的条目也显示（各有标记），会使构建失败的问题
    列在预览问题页上；每次保存后自动刷新。不写入 site/。

    Preview the site locally with every item (unreviewed, changed, scheduled, not public ones marked),
    the problems that would fail the build on a page of their own; follows every save. Writes nothing.
    """
    from .commands.serve import serve as serve_preview

    serve_preview(site_settings().root, dev_addr, today(), click.echo)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help="预览的地址，默认 127.0.0.1:8000 / the preview's address")
@click.option("--open", "open_browser", is_flag=True, help="在浏览器中打开 / open it in the browser")
def preview(path: Path, dev_addr: str, open_browser: bool) -> None:
    """预览一个条目：输出它在预览中的地址（--open 在浏览器中打开）；预览没有在运行时先启动预览。

    Print (or --open) the preview address of one item, starting the preview if it is not running.
    """
    from .commands.preview import preview as preview_item

    preview_item(site_settings(), path, dev_addr, today(), click.echo, open_browser)


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
    from .commands import output_file, write_output
    from .commands.report import ReportRefused, annual_report

    if format_ == "docx" and output is None:
        raise Refused(f"Word 格式（--format docx）须用 --output 指定要写入的文件，例如 --output {year}年政府信息公开工作年度报告.docx")
    settings = site_settings()
    if output is not None:
        suffix = {"markdown": "md"}.get(format_, format_)
        output = output_file(settings, output, example=f"{year}年政府信息公开工作年度报告.{suffix}")
    try:
        made = annual_report(settings, year, format_, today())
    except ReportRefused as exc:
        _show_report_problems(exc.problems, year)
        raise
    _show_report_problems(made.problems, year)
    content = made.content
    if output is None:
        click.echo(content)
        return
    write_output(output, content if isinstance(content, bytes) else (content + "\n").encode("utf-8"))
    click.echo(f"已写入 {output}（{made.report.title}）", err=True)


def _show_report_problems(problems: list[Problem], year: int) -> None:
    if not problems:
        return
    errors = sum(p.is_error for p in problems)
    click.echo(format_text(problems), err=True)
    click.echo(f"与 {year} 年年报有关的问题：{errors} 个错误，{len(problems) - errors} 个警告（见上）。", err=True)


def _show_left_out(problems: list[Problem]) -> None:
    """The reading errors of the register files a listing leaves out, on stderr."""
    if problems:
        click.echo(format_text(problems), err=True)
        files = len({p.path for p in problems})
        click.echo(f"以上 {files} 个登记文件有错误，没有列入：请改正后重新运行（`gongkai check` 列出全部问题）。", err=True)


@main.command()
@click.option("--today", "today_", metavar="YYYY-MM-DD", help="登记在这一天的样子（此后的补正、延期、答复尚未发生），默认今天 / "
                   "the register as it stood on this day, default today")
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
    from .commands.applications import applications as list_applications
    from .registers.deadline_list import render_json, render_text

    settings = site_settings()
    day = _date(today_, "--today")
    listed = list_applications(settings, day)
    click.echo(render_json(listed.rows) if format_ == "json" else render_text(listed.rows, day))
    _show_left_out(listed.problems)
    sys.exit(1 if listed.problems else 0)


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
    from .commands.supervision import supervision as summarize_supervision
    from .registers.supervision_summary import render_csv, render_json, render_text

    settings = site_settings()
    summarised = summarize_supervision(settings, year, _date(today_, "--today"))
    renderers = {"json": render_json, "csv": render_csv, "text": render_text}
    click.echo(renderers[format_](summarised.summary).rstrip("\n"))
    _show_left_out(summarised.problems)
    sys.exit(1 if summarised.problems else 0)
