"""`gongkai serve`: start the preview (generator/preview), follow every save, say what happened in
Chinese, and stop cleanly on Ctrl+C. Writes nothing: `gongkai build` alone makes site/."""

from __future__ import annotations

import datetime as dt
import ipaddress
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from .. import clock
from ..preview.messages import MkDocsLog, problem_line, summary_line
from ..preview.pages import PREFIX, PreviewPages, item_location
from ..preview.server import PreviewServer
from ..preview.session import PreviewSession
from ..preview.watching import Watcher
from ..problems import listed, printable
from ..site_config import CONFIG_FILE, SettingsError
from . import Refused

SHOWN = 30  # problems printed at a time; the problems page has them all

Echo = Callable[[str], None]


def address(dev_addr: str) -> tuple[str, int]:
    """("127.0.0.1", 8000) from "127.0.0.1:8000", or Refused: the preview shows unreviewed, withheld and
    members-only items, so it listens on this machine's loopback only, never on an address others reach."""
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise Refused(f"--dev-addr“{dev_addr}”不对：请写成 地址:端口，例如 127.0.0.1:8000")
    host = host.strip("[]")
    if not _loopback(host):
        raise Refused(f"--dev-addr“{dev_addr}”不是本机地址：预览会显示未审查、定时发布、不公开和仅党内公开的条目，"
                      "只能在本机（127.0.0.1、::1 或 localhost）上监听，否则同一网络中的任何人都能看到它们。"
                      "请改用 --dev-addr 127.0.0.1:8000；要给别人看审查通过的内容，用 gongkai build 生成网站")
    return host, int(port)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(root: Path, dev_addr: str, today: dt.date, echo: Echo, show: str | None = None,
          open_browser: bool = False) -> None:
    """Serve the preview of the site at `root` until Ctrl+C. `show`: a content file whose page to print (and open)."""
    host, port = address(dev_addr)
    log = MkDocsLog(echo)
    log.install()
    echo("正在读取和检查全部内容……")
    started = time.monotonic()
    pages = PreviewPages()
    try:
        session = PreviewSession(root, today, log, pages.page_globals, day=clock.today)
    except SettingsError as exc:
        raise Refused(str(exc)) from None
    echo(f"读取并检查了 {session.model.files_read} 个文件（{time.monotonic() - started:.1f} 秒）。")
    _report(session, echo)
    try:
        server = PreviewServer((host, port), session, pages)
    except OSError as exc:
        from ..writer import system_reason

        raise Refused(f"无法在 {host}:{port} 上启动预览（{system_reason(exc)}）：端口可能已被占用，"
                             "请用 --dev-addr 换一个端口，例如 --dev-addr 127.0.0.1:8001") from None
    base = base_address(host, server.server_address[1])
    watcher = _Following(session, echo)
    echo(f"预览已启动：{base}（按 Ctrl+C 停止）")
    echo(f"问题和未发布条目：{base}{PREFIX}")
    echo("预览只在内存中生成，不写入 site/；未审查、定时发布和不公开的条目也会显示，每页都有“预览”标记。")
    if show is not None:
        url = base + item_location(session, show)
        echo(f"条目预览：{url}")
        if open_browser:
            webbrowser.open(url)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        echo("预览已停止。")
    finally:
        watcher.stop()
        server.server_close()


def base_address(host: str, port: int) -> str:
    return f"http://{host if ':' not in host else f'[{host}]'}:{port}/"


def _report(session: PreviewSession, echo: Echo) -> None:
    """The check's result at start: the errors (the first SHOWN), the summary, the items the site lacks."""
    model = session.model
    errors = [p for p in model.problems if p.is_error]
    for problem in errors[:SHOWN]:
        echo(problem_line(problem))
    if len(errors) > SHOWN:
        echo(f"……另有 {len(errors) - SHOWN} 个错误，见预览问题页")
    echo(summary_line(model.problems))
    counts: dict[str, int] = {}
    for chips in model.chips.values():
        for chip in chips:
            label = chip.label.split(" ")[0]
            counts[label] = counts.get(label, 0) + 1
    if counts:
        echo("预览中显示、网站上没有（或还没有）的条目：" + "，".join(f"{label} {count} 个" for label, count in counts.items()))
    if session.render_error or model.plan_error:
        echo(printable(session.render_error or model.plan_error))  # an exception's words may quote a file


class _Following:
    """Watches mkdocs.yml and the folders it names, and the new ones once a change of mkdocs.yml names others
    (a pulled branch moving content_dir or custom_dir): the old folders' watch alone kept the preview on the text
    of before while the check and the build read the new. A named folder that does not exist yet is awaited: once it
    is made (or moved into place), it is watched and everything is read again."""

    def __init__(self, session: PreviewSession, echo: Echo) -> None:
        self.session = session
        self.echo = echo
        self.folders, self.awaited = _watched(session), _awaited(session)
        self.watcher = self._watch()

    def _watch(self) -> Watcher:
        watcher = Watcher(self.folders, [self.session.settings.root / CONFIG_FILE], self._changed, self.awaited)
        watcher.start()
        return watcher

    def _changed(self, paths: set[Path]) -> None:
        appeared = paths & set(self.awaited)
        if paths - appeared:
            _changed(self.session, paths - appeared, self.echo)
        folders, awaited = _watched(self.session), _awaited(self.session)
        if (folders, awaited) != (self.folders, self.awaited):
            previous = self.watcher
            self.folders, self.awaited = folders, awaited
            self.watcher = self._watch()
            previous.stop()  # from its own worker thread, whose loop then ends: stop() never joins that thread
            # What was written into the new folders before they were watched (while the settings were read) is read now.
            _changed(self.session, {self.session.settings.root / CONFIG_FILE}, self.echo)

    def stop(self) -> None:
        self.watcher.stop()


def _named(session: PreviewSession) -> list[Path]:
    """The folders the preview reads: the content and the agency's theme folder."""
    settings = session.settings
    return [settings.content_dir] + ([settings.theme_dir] if settings.theme_dir else [])


def _watched(session: PreviewSession) -> list[Path]:
    return [folder for folder in _named(session) if folder.is_dir()]


def _awaited(session: PreviewSession) -> list[Path]:
    """The first missing folder on the way to each named folder that does not exist: its parent exists and is
    watched for it (`mkdir -p content/items` makes `content`, then the next one is awaited)."""
    root = session.settings.root
    awaited = []
    for folder in _named(session):
        if folder.is_dir() or not folder.is_relative_to(root):
            continue
        missing = folder
        while missing.parent != root and not missing.parent.is_dir():
            missing = missing.parent
        awaited.append(missing)
    return awaited


def _changed(session: PreviewSession, paths: set[Path], echo: Echo) -> None:
    started = time.monotonic()
    try:
        settings = session.settings
        theme = settings.theme_dir
        if settings.root / CONFIG_FILE in paths or (theme is not None and any(p.is_relative_to(theme) for p in paths)):
            session.restart()
            echo(f"{_now()} mkdocs.yml 或主题有修改：已重新读取全部内容和模板（{time.monotonic() - started:.1f} 秒）")
            _report(session, echo)
            return
        update = session.apply(paths)
    except Exception as exc:  # noqa: BLE001 - the preview keeps running; the next save tries again
        echo(f"{_now()} 处理修改时出错（{type(exc).__name__}）：{printable(str(exc))}。"
             "保存文件后会再试；仍不行请按 Ctrl+C 后重新运行 gongkai serve")
        return
    if not update.paths:
        return
    # A name may hold a line break or a terminal's escape sequence (GK030): shown escaped, as problems are.
    shown = listed([printable(path) for path in update.paths], "个文件", limit=3)
    how = "，已重新读取全部内容" if update.reloaded else ""
    echo(f"{_now()} 已更新：{shown}（{time.monotonic() - started:.2f} 秒{how}）")
    found = sorted(update.problems, key=lambda p: (not p.is_error, p))
    for problem in found[:SHOWN]:
        echo(f"  {problem_line(problem)}")
    if len(found) > SHOWN:
        echo(f"  ……另有 {len(found) - SHOWN} 个问题，见预览问题页")
    echo(f"  {summary_line(session.model.problems)}")


def _now() -> str:
    return time.strftime("%H:%M:%S")
