"""click, in Chinese: usage errors, the help page's headings and the help option.

click writes its own messages in English ("Error: Missing option '--title'", "Usage:",
"Options:"). Every message a user reads is Chinese, so the group and its commands use these
classes: a usage error is reworded from the exception's fields (option, parameter, choices,
value), never from its English text, and the help page gets Chinese headings.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import sys
from typing import Any

import click

from .commands import Refused
from .problems import printable, printable_lines
from .shown_output import guarded

# click ≥ 8.2 raises this for a group called without a command, to print the help page.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}
HELP_TEXT = "显示本说明并退出 / show this message and exit"


class BadValue(click.BadParameter):
    """A bad option value, explained by gongkai itself (in Chinese)."""


class Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _usage_args(args), prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        """A docstring's paragraph as one text: click joins its lines with a space, which Chinese does not have
        (“会使构建失败的问题 列在预览问题页上”); a line break between two Chinese characters is dropped first."""
        super().write_text(_CJK_BREAK.sub("", text))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(term, _EXTRA.sub(_extra, text)) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


# A line break inside a paragraph with Chinese (not ASCII) on both sides, and the next line's indent.
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\n[ \t]*(?=[^\x00-\x7f\n])")
# What click appends to an option's help: "[required]", "[default: text]".
_EXTRA = re.compile(r"\[(required|default: [^\]]*)\]")


def _extra(found: re.Match) -> str:
    return "[必填]" if found[1] == "required" else f"[默认：{found[1][len('default: '):]}]"


def _usage_args(args: str) -> str:
    return args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")


class Context(click.Context):
    formatter_class = Formatter


class Command(click.Command):
    context_class = Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """As click parses them, then refused where a value holds bytes that are not UTF-8 (a text, or a
        path: a site folder's name goes into every page's address): Python keeps them as lone surrogates,
        which no UTF-8 file can take, so they would fail the command halfway through its work."""
        rest = super().parse_args(ctx, args)
        for param in self.params:
            value = ctx.params.get(param.name or "")
            for text in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(text, os.PathLike):
                    text = os.fspath(text)
                if isinstance(text, str) and not _is_utf8(text):
                    shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                    raise BadValue(f"“{shown}”中有不是 UTF-8 编码的字节（显示为 \\x..）：请把终端或脚本的编码设为 UTF-8，"
                                   "文件和目录的名称也用 UTF-8，再重新运行", ctx=ctx, param=param)
        return rest


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI job's timeout, systemd stopping a service, `kill`): unwound like Ctrl+C, so that a
    build removes its half-made folder and the preview server stops cleanly."""


def _terminate(main_process: int, signum: int, frame: object) -> None:
    if os.getpid() != main_process:  # a forked worker of a build: its parent cleans up
        os._exit(128 + signum)
    raise Terminated


def _on_termination() -> Any:
    """Handle SIGTERM as `Terminated` from here on (in the main thread only); the previous handler."""
    try:
        return signal.signal(signal.SIGTERM, functools.partial(_terminate, os.getpid()))
    except ValueError:  # not the main thread (a test calling the command)
        return None


class Group(click.Group):
    """The `gongkai` group: Chinese usage errors and help; a message, never a traceback."""

    context_class = Context
    command_class = Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        previous = _on_termination()
        try:
            with guarded():
                return self._main(args, prog_name, complete_var, **extra)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def _main(self, args: Any, prog_name: str | None, complete_var: str | None, **extra: Any) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except (KeyboardInterrupt, BrokenPipeError, click.Abort) as exc:  # click makes an interrupt an Abort
            terminated = isinstance(exc.__context__ or exc, Terminated)
            if not isinstance(exc, BrokenPipeError):  # a reader that stopped reading (`| head`) needs no word
                say_interrupted(terminated)
            sys.exit(128 + signal.SIGTERM if terminated else 130)
        except _NO_ARGS_IS_HELP as exc:  # `gongkai` alone prints the help page
            exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            _show_usage_error(exc)
            sys.exit(exc.exit_code)
        except Refused as exc:  # a command that cannot do its work, in its own words
            # It may quote a file (a zip member's name, a path): escapes and bidirectional marks shown, not obeyed; its
            # lines after the first indented, so no value it quotes starts a line of its own (`path:1:1: …` forged).
            click.echo("错误：" + printable_lines(str(exc), indent="  "), err=True)
            sys.exit(1)
        except click.ClickException as exc:
            if type(exc).show is click.ClickException.show:  # click's own, English: say it in Chinese
                click.echo(f"错误：{_chinese(exc)}", err=True)
            else:
                exc.show()
            sys.exit(exc.exit_code)
        except Exception as exc:  # a bug: still a message, not a traceback (GONGKAI_DEBUG=1 shows it)
            if os.environ.get("GONGKAI_DEBUG"):
                raise
            click.echo(f"错误：gongkai 内部错误（{type(exc).__name__}：{printable(str(exc))}）。"
                       "请把这条信息和当时处理的文件报告给维护人员；设置环境变量 GONGKAI_DEBUG=1 再运行可看到详细信息", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def say_interrupted(terminated: bool) -> None:
    why = "收到 SIGTERM（例如 CI 任务超时或系统停止服务）" if terminated else "收到 Ctrl+C"
    with contextlib.suppress(OSError):  # stderr may be gone with the terminal that sent the signal
        click.echo(f"已中断：{why}，命令没有完成（gongkai build 没写完的网站已删除，原有的 site/ 保持不变）；需要时请重新运行。", err=True)


def _show_usage_error(exc: click.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        click.echo(f"用法：{ctx.command_path} {_usage_args(' '.join(ctx.command.collect_usage_pieces(ctx)))}", err=True)
    click.echo(f"错误：{_chinese(exc)}", err=True)
    if ctx is not None:
        click.echo(f"运行 `{ctx.command_path} --help` 查看说明。", err=True)


def _chinese(exc: click.ClickException) -> str:
    """The exception in Chinese, from its fields."""
    if isinstance(exc, click.exceptions.NoSuchOption):
        close = f"；是否想用 {'、'.join(sorted(exc.possibilities))}？" if exc.possibilities else ""
        return f"没有 {exc.option_name} 这个选项{close}"
    if isinstance(exc, click.exceptions.BadOptionUsage):
        if "requires an argument" in exc.message or "requires" in exc.message:
            return f"选项 {exc.option_name} 后面要写一个值"
        return f"选项 {exc.option_name} 的用法不对"
    if isinstance(exc, click.exceptions.MissingParameter):
        kind = "选项" if isinstance(exc.param, click.Option) else "参数"
        return f"缺少{kind} {_name(exc.param) or exc.param_hint or ''}".rstrip()
    if isinstance(exc, click.BadParameter):
        return f"{_name(exc.param) or exc.param_hint or '参数'} 的值无效：{_bad_value(exc)}"
    if isinstance(exc, click.exceptions.FileError):
        return f"无法打开文件 {exc.ui_filename}"
    if isinstance(exc, click.UsageError):
        command = re.match(r"No such command '(.*)'", exc.message)
        if command:
            names = "、".join(exc.ctx.command.list_commands(exc.ctx)) if exc.ctx and isinstance(exc.ctx.command, click.Group) else ""
            return f"没有 {command[1]} 这个命令" + (f"；可用的命令：{names}" if names else "")
        extra = re.search(r"unexpected extra arguments? \((.*)\)", exc.message)
        if extra:
            return f"多余的参数：{extra[1]}（含空格的值请加引号）"
        if "Missing command" in exc.message:
            return "缺少命令"
        return "命令行的写法不对"
    return "命令行的写法不对"


def _name(param: click.Parameter | None) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.name or "").upper()


def _bad_value(exc: click.BadParameter) -> str:
    """Our own messages are Chinese already; click's conversions are explained from the parameter's type."""
    if isinstance(exc, BadValue):
        return exc.message
    quoted = re.match(r"'([^']*)'", exc.message) or re.search(r"'([^']*)'", exc.message)
    shown = f"“{quoted[1]}”" if quoted else "这个值"
    kind = exc.param.type if exc.param is not None else None
    if isinstance(kind, click.Choice):
        return f"{shown}不是可选的值，只能是 {'、'.join(map(str, kind.choices))} 之一"
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return f"{shown}不是数字，请写{'整数' if isinstance(kind, click.types.IntParamType) else '数字'}"
    if isinstance(kind, click.Path):
        if "does not exist" in exc.message:
            return f"{shown}不存在：请检查路径（在站点根目录运行时，路径相对于该目录）"
        if "is a directory" in exc.message:
            return f"{shown}是一个目录，这里要写文件"
        return f"{shown}不是可用的路径"
    return f"{shown}不是有效的值"
