"""`gongkai build`: check, then MkDocs in-process around the gongkai plugin, then swap the site in.

A build is atomic: content is read and checked first, MkDocs writes into a fresh folder next to
site/, and only a finished site (search index included) replaces the old one. Any failure leaves
the previous site/ exactly as it was.

One build of a site runs at a time: a second one (a cron job meeting a manual build, two CI jobs on
one server) waits for the first at a lock in `.gongkai-cache/`, so their swaps never interleave.

The replaced site is moved to `.gongkai-cache/replaced/`; the next build takes the newest one as its
new folder and brings it up to date in place (`build_cache.BaseTree`), which spares it making and
removing ≈ 11,500 folders; anything else waiting there is removed in a thread while it renders pages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import interrupts
from ..build_cache import BaseTree, PageCache, PageLinker, site_name
from ..cache_store import CACHE_DIR, cache_folder
from ..checks.streaming import load_judging
from ..clock import ahead
from ..folder_swap import exchange
from ..gc_pause import kept_frozen
from ..model import AUDIENCE_PARTY, AUDIENCE_PUBLIC
from ..problems import format_text, printable, summary
from ..progress import Meter
from ..project import Project, load_project
from ..rules import blocking
from ..settings import Settings
from ..site.context import BuildContext
from ..site.sitemap import render_robots
from ..site_config import PLUGIN, SettingsError, load_mkdocs_config, mkdocs_logging, settings_from_config
from ..template_sandbox import template_failure
from ..upcoming import Upcoming, upcoming
from ..writer import WriteRefused, beside_site_names, check_folders
from . import Refused

REPLACED_DIR = "replaced"  # in .gongkai-cache/: sites replaced by a build, removed by the next one


class BuildFailed(Refused):
    """The site was not built; the message (Chinese) says why and what to do."""


def output_folder(root: Path, site_dir: Path | None, audience: str, today: dt.date) -> Path:
    """Where the site for `audience` goes: `site_dir` (relative to the root), by default site/ for the public
    and site-party/ for the members; the members' site never into the public one's folder, and a site of a
    day still to come (GONGKAI_TODAY, for a preview) never into a folder that is deployed."""
    public_dir = root / "site"
    early = ahead(today)
    members_dir = Path(os.path.abspath(root / "site-party"))
    if early is not None and (site_dir is None or _public_site_around(root, root / site_dir, members_too=True) is not None
                              or Path(os.path.abspath(root / site_dir)).is_relative_to(members_dir)):
        if site_dir is not None:  # the folder named holds a site (the last preview's too): a new one is what to name
            early += (f"。--site-dir {printable(str(site_dir))} 中已经存放着网站（也可能是上一次预览生成的）："
                      "每次预览请指定一个新的空目录，例如 --site-dir /tmp/预览-" + str(today))
        raise Refused(early)  # a members' site too (site-party/, `--site-dir /srv/party`): it is deployed, on the intranet
    if site_dir is None:
        site_dir = public_dir if audience == AUDIENCE_PUBLIC else root / "site-party"
    site_dir = root / site_dir if not site_dir.is_absolute() else site_dir
    _refuse_linked(root, site_dir)
    public = _public_site_around(root, site_dir) if audience == AUDIENCE_PARTY else None
    if public is not None and public.resolve() == public_dir.resolve():
        raise Refused("党内网站不能生成到公众网站的目录 site/ 或它的子目录中（部署 site/ 时会一起发布到互联网）："
                      "请用 --site-dir 另选目录（默认 site-party），并且只部署到单位内网")
    if public is not None:
        where = "中是" if public.resolve() == site_dir.resolve() else f"的上级目录 {printable(str(public))} 中是"
        raise Refused(f"{printable(str(site_dir))} {where}公众网站（它的 robots.txt 允许搜索引擎收录）：党内网站生成到这里，"
                      "部署公众网站时会一起发布到互联网。请用 --site-dir 另选目录（默认 site-party），并且只部署到单位内网")
    return site_dir


def _public_site_around(root: Path, site_dir: Path, members_too: bool = False) -> Path | None:
    """The folder, `site_dir` itself or one above it, that holds the public site (with `members_too`, or the members'
    site) or is its default folder (site/): a site written there is deployed with it (`--site-dir site/dangwu`, or a
    folder below the web server's root)."""
    folder = Path(os.path.abspath(site_dir))
    public_dir = Path(os.path.abspath(root / "site"))
    for candidate in (folder, *folder.parents):
        if candidate == public_dir or _holds_public_site(candidate, members_too):
            return candidate
    return None


def _refuse_linked(root: Path, site_dir: Path) -> None:
    """Refused where the site folder, or a folder on its way down from the project, is a symbolic link: anyone who
    commits could make `site` a link, and the build would replace whatever folder it names (another agency's site
    on a shared build machine, a web server's root). A folder outside the project is named as it is, with --site-dir."""
    inside = site_dir.is_relative_to(root)
    steps = site_dir.relative_to(root).parts if inside else (site_dir.name,)
    folder = root if inside else site_dir.parent
    for step in steps:
        folder = folder / step
        if folder.is_symlink():
            target = printable(os.readlink(folder))
            raise Refused(f"网站目录 {printable(str(site_dir))} 经过符号链接 {printable(str(folder))}（指向 {target}）："
                          "gongkai build 不跟随链接把网站写到别处"
                          "（提交进仓库的链接能让构建替换本机上的任何网站目录）。请删除这个链接；确需生成到别的目录时，"
                          "用 --site-dir 写出那个目录的真实路径")


def _holds_public_site(folder: Path, members_too: bool = False) -> bool:
    """Whether `folder` holds a public site a build wrote (with `members_too`, or a members' site), wherever it is
    (`--site-dir public` for a host that serves that folder, mkdocs.yml's site_dir, the web server's root, the
    intranet's `/srv/party`): its robots.txt lets robots in, the members' site's shuts them all out."""
    robots = folder / "robots.txt"
    if not (folder / "index.html").is_file() or not robots.is_file() or robots.is_symlink():
        return False
    if members_too:
        return True
    with robots.open("rb") as stream:
        return stream.read(4096) != render_robots("", crawl=False).encode("utf-8")


def build_site(root: Path, site_dir: Path, *, today: dt.date, echo: Callable[[str], None],
               audience: str = AUDIENCE_PUBLIC) -> None:
    """Build the site for readers of `audience` (公众, or 党内 for the members' site) into `site_dir`."""
    site_dir = site_dir.resolve()
    replaced = cache_folder(root.resolve(), REPLACED_DIR)  # None where the cache folder is a link: removed at once
    sweeper = threading.Thread(target=_sweep, args=(replaced, site_dir))
    with _one_build_at_a_time(root.resolve(), site_dir, echo):
        try:
            # What a build makes lives until it ends: frozen (the page worker freezes it), it stays frozen to the end
            # rather than be scanned by the collections of the last phases, and is let go then.
            with kept_frozen():
                _build(root, site_dir, today, Meter.for_terminal(echo), audience, replaced, sweeper)
        finally:
            if sweeper.ident is not None:  # started once the content is read (and the check forked, where it is)
                sweeper.join()


@contextlib.contextmanager
def _one_build_at_a_time(root: Path, site_dir: Path, echo: Callable[[str], None]) -> Iterator[None]:
    """Hold the project's lock for builds of `site_dir` (an advisory lock the system drops when the
    process ends, however it ends); wait, saying so, while another build holds it. Where no lock file
    can be had (a read-only folder, a cache folder or lock committed as a link: never followed) the
    build runs without one."""
    folder = cache_folder(root)
    try:
        if folder is None:
            raise OSError("no cache folder of our own")
        folder.mkdir(exist_ok=True)
        descriptor = os.open(folder / f"build-{site_name(site_dir)}.lock",
                             os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo(f"另一个 gongkai build 正在生成 {site_dir.name}/，等它完成后再开始……")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _build(root: Path, site_dir: Path, today: dt.date, meter: Meter, audience: str, replaced: Path | None,
           sweeper: threading.Thread) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from ..mkdocs_plugin import read_folders

    started = time.monotonic()
    with meter.shown(), mkdocs_logging(meter.line) as failures:
        new_dir = beside_site(site_dir, "new")
        try:
            config = load_mkdocs_config(root, failures, new_dir)
            settings = settings_from_config(config, config.plugins[PLUGIN].config)
            check_folders(settings.root, site_dir, read_folders(config, settings))
        except (SettingsError, WriteRefused) as exc:
            raise BuildFailed(str(exc)) from None

        clock = time.monotonic()
        # The site an earlier build replaced, to be brought up to date in place: surveyed while the content is read.
        taken = _take_base(replaced, site_dir)
        base = BaseTree(taken) if taken is not None else None
        if base is not None:
            base.survey()
        try:
            project, verdict = load_judging(root, settings.content_dir, today, settings, meter)
        except BaseException:
            _put_back(base, replaced, site_dir)
            raise

        said: list[bool] = []

        def judged() -> None:
            """Stop the build when the check fails, and say what it found. A rebuild's verdict comes from a child that
            judges the project while the site is planned: the plugin waits for it before it renders anything."""
            checked = verdict()
            if said:
                return
            errors = blocking(checked.problems)
            if errors:
                raise BuildFailed(
                    f"{format_text(errors)}\n{summary(checked.problems, checked.files_read)}\n"
                    f"内容检查未通过，网站未生成；原有的 {site_dir.name}/ 保持不变。"
                )
            duties = [p for p in checked.problems if p.is_error]  # none stops the build: declared so, or waived
            if duties:
                meter.line(f"{format_text(duties)}\n以上错误不影响发布，网站照常生成；请尽快处理（`gongkai check` 仍会报错）。")
            meter.line(f"读取并检查内容：{summary(checked.problems, checked.files_read)}（{time.monotonic() - clock:.1f} 秒）")
            said.append(True)

        # Pages and search shards unchanged since the build now in site_dir are reused (build_cache),
        # into the site an earlier build replaced where there is one (its folders are made already).
        cache = PageCache(root, site_dir)
        cache.base = base
        # Not earlier: the check forks, and a child should not inherit a thread's half-done work.
        sweeper.start()
        plugin = config.plugins[PLUGIN]
        plugin.prepare(BuildContext(settings, today, project, audience=audience, progress=meter.line, cache=cache,
                                    meter=meter, judged=judged))
        built = time.monotonic()
        try:
            new_dir.mkdir(parents=True, exist_ok=False)
            build(config)
            judged()  # the plugin has asked already: nothing is published unjudged, whatever it did
        except BaseException as exc:
            if not isinstance(exc, Exception):
                plugin.abandon()
            shutil.rmtree(new_dir, ignore_errors=True)
            cache.discard()
            _put_back(cache.base, replaced, site_dir)
            if isinstance(exc, KeyboardInterrupt):
                raise
            judged()  # a failed check says so, whatever the plan of the content it refuses then tripped on
            if isinstance(exc, BuildFailed):
                raise
            # MkDocs' words quote a page's links and the files it met as written: no terminal control.
            system = _system_error(exc)
            reason = template_failure(exc, settings.root) or printable("；".join(failures))
            if system is not None:  # the file system's words (English) in Chinese, with the file
                reason = _system_failure(reason, system)
            reason = reason or printable(str(exc) if isinstance(exc, MkDocsException) else f"{type(exc).__name__}: {exc}")
            remedy = _remedy(reason, site_dir, settings.root, system.errno if system is not None else None)
            raise BuildFailed(f"生成网站失败：{reason}{remedy}\n原有的 {site_dir.name}/ 保持不变。") from None
        meter.line(f"生成网站：{len(plugin.plan.pages)} 个页面，{len(plugin.plan.files)} 个附件（{time.monotonic() - built:.1f} 秒）")

    _put_back(cache.base, replaced, site_dir)
    try:
        with interrupts.deferred():  # Ctrl+C or SIGTERM between its two renames would leave no site/
            kept = _replace(new_dir, site_dir, replaced)
    except BuildFailed:
        cache.discard()
        raise
    spare = _leave_spare(site_dir, replaced) if not kept and len(plugin.plan.pages) >= SPARE_FROM else None
    unsaved = cache.save()
    if unsaved:
        meter.line(f"注意：未能保存本次生成的页面记录（{unsaved}）；网站已生成，下次生成时会重新渲染这次的页面。")
    if spare is not None:
        spare()
    meter.line(f"完成：网站已写入 {site_dir}（共 {time.monotonic() - started:.1f} 秒）")


# What to do about the failures the file system reports (MkDocs passes them on in English).
_REMEDIES = {
    # Both folders a build writes are named: a full disk under the project (its cache, the search shards) was reported
    # as the site's, and an operator freed the wrong one.
    errno.ENOSPC: "磁盘空间不足：请清理 {parent}（网站）或 {cache}（生成缓存）所在的磁盘后重新生成（生成时新网站与原网站同时存在，"
                  "约需两倍于 site/ 的空间）",
    errno.EDQUOT: "磁盘配额已满：请清理后重新生成",
    errno.EFBIG: "文件大小超过了系统对单个文件的限制（ulimit -f）：请解除这一限制后重新生成",
    errno.EACCES: "没有写入权限：请确认运行 gongkai 的用户可以写入 {parent} 和 {cache}",
    errno.EROFS: "文件系统是只读的：请把网站生成到可写的目录（--site-dir）",
}


def _system_error(exc: BaseException) -> OSError | None:
    """The file system's error behind `exc` (itself, or what a step passed on: 搜索索引失败 wraps Pagefind's)."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, OSError) and current.errno:
            return current
        current, seen = current.__cause__ or current.__context__, seen + 1
    return None


def _system_failure(told: str, system: OSError) -> str:
    """A file the build could not read or write, said in Chinese (the system's own words are English under the C
    locale of a CI job): the file, and the one it was copied from — in place of those words where `told` (what the
    build's steps said, e.g. 搜索索引失败：…) quotes them."""
    from ..writer import system_reason

    files = [str(name) for name in (system.filename, system.filename2) if name]
    what = f"复制 {files[0]} 到 {files[1]}" if len(files) == 2 else f"读写 {files[0]}" if files else "读写文件"
    said = printable(f"{what} 时出错：{system_reason(system)}")
    own = printable(str(system))
    return told.replace(own, said) if told and own in told else told or said


def _remedy(reason: str, site_dir: Path, root: Path, errno_number: int | None = None) -> str:
    for number, remedy in _REMEDIES.items():
        if errno_number == number or f"[Errno {number}]" in reason:
            return "\n" + remedy.format(parent=site_dir.parent, cache=root / CACHE_DIR)
    return ""


def _replace(new_dir: Path, site_dir: Path, replaced: Path | None) -> bool:
    """Put the new site in place by swapping the two folders in one step (two renames where the file
    system cannot), so site/ is always a complete site; the old one goes to `replaced` (removed by the
    next build), or is removed now where it cannot be moved. Whether an old site waits in `replaced`."""
    if _exchanged(new_dir, site_dir):
        old_dir = new_dir  # the old site, now under the new one's name
    else:
        old_dir = beside_site(site_dir, "old")
        _replace_in_two_steps(new_dir, site_dir, old_dir)
    if not old_dir.exists():
        return False
    try:
        if replaced is None:
            raise OSError("no cache folder of our own")
        replaced.mkdir(parents=True, exist_ok=True)
        os.rename(old_dir, _replaced_name(replaced, site_dir))
        return True
    except OSError:  # e.g. a --site-dir on another file system
        shutil.rmtree(old_dir, ignore_errors=True)
        return False


def _replaced_name(replaced: Path, site_dir: Path) -> Path:
    """Where a site replaced now waits (`_take_base` takes the newest)."""
    return replaced / f"{site_dir.name}-{os.getpid()}-{time.time_ns()}"


SPARE_FROM = 1000  # pages: a smaller site links its whole tree in a moment


def _leave_spare(site_dir: Path, replaced: Path | None) -> Callable[[], None] | None:
    """A build that replaced no site (the first, or the first since site/ was removed) leaves a copy of the one it
    wrote, hard-linked where a replaced site waits, so that the next build brings that copy up to date in place
    (`BaseTree`) instead of making a folder for each of ≈ 11,500 pages again: most of what a rebuild costs on a
    file system where earlier builds removed many folders. Started here, waited for by calling what it returns;
    a copy that cannot be made whole is removed (the next build then links a new tree, as before)."""
    if replaced is None:
        return None
    spare = _replaced_name(replaced, site_dir)
    try:
        replaced.mkdir(parents=True, exist_ok=True)
        spare.mkdir()
        # The linker walks the site itself: beside the record's save, not before it.
        linker = PageLinker([(str(site_dir), str(spare))], copy=False, tree=True)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)
        return None

    def wait() -> None:
        try:
            linker.finish()
        except OSError:  # e.g. the cache on another file system, or the disk full
            shutil.rmtree(spare, ignore_errors=True)

    return wait


def _exchanged(new_dir: Path, site_dir: Path) -> bool:
    try:
        return exchange(new_dir, site_dir)
    except OSError:  # no site yet, or e.g. one on another file system: the two renames deal with it
        return False


def _replace_in_two_steps(new_dir: Path, site_dir: Path, old_dir: Path) -> None:
    """Where the file system cannot swap two folders: a process killed between the renames leaves no
    site/ (its next build makes one)."""
    if site_dir.exists():
        os.rename(site_dir, old_dir)
    try:
        os.rename(new_dir, site_dir)
    except OSError:
        if old_dir.exists():
            os.rename(old_dir, site_dir)
        shutil.rmtree(new_dir, ignore_errors=True)
        raise BuildFailed(f"无法把新网站移动到 {site_dir}：原有网站保持不变") from None


def _take_base(replaced: Path | None, site_dir: Path) -> Path | None:
    """The newest site an earlier build of `site_dir` replaced, moved beside it (the sweeper leaves it)."""
    if replaced is None:
        return None
    name = re.compile(rf"{re.escape(site_dir.name)}-[0-9]+-([0-9]+)")  # as _replace names them (not site-party's)
    try:
        found = [(int(match[1]), entry.path) for entry in os.scandir(replaced)
                 if (match := name.fullmatch(entry.name)) and entry.is_dir(follow_symlinks=False)]
    except OSError:
        return None
    if not found:
        return None
    newest = max(found)[1]
    base = beside_site(site_dir, "base")
    try:
        os.rename(newest, base)
    except OSError:  # e.g. site_dir on another file system: build without it
        return None
    return base


def _put_back(base: BaseTree | None, replaced: Path | None, site_dir: Path) -> None:
    """A base the build did not make its site (it failed before, or never got that far) goes back to
    `replaced`, for the next build."""
    if base is not None:
        base.stop_survey()
    if base is None or base.adopted or not base.folder.is_dir():
        return
    try:
        if replaced is None:
            raise OSError("no cache folder of our own")
        os.rename(base.folder, _replaced_name(replaced, site_dir))
    except OSError:
        shutil.rmtree(base.folder, ignore_errors=True)


def _sweep(replaced: Path | None, site_dir: Path) -> None:
    remove_replaced_sites(replaced)
    remove_abandoned_folders(site_dir)


ABANDONED_AFTER = 3600  # seconds: a folder beside site/ this old, of a process gone, is a killed build's


def beside_site(site_dir: Path, kind: str) -> Path:
    """A folder of this build beside `site_dir` (its new tree, the old one, the base it updates): named after the
    process, whose end the sweeper waits for, and a random part, so no name a committer planted beside the site (a
    file `.site.new-1` … for every likely process id of a CI container) stops the build."""
    while True:
        path = site_dir.parent / f".{site_dir.name}.{kind}-{os.getpid()}-{secrets.token_hex(8)}"
        if not os.path.lexists(path):
            return path


def remove_abandoned_folders(site_dir: Path) -> None:
    """Remove what builds of `site_dir` killed outright (SIGKILL, a power cut) left beside it: their
    `.site.new-PID` folders (a whole site each) and the like. Only real folders named as gongkai names
    them, whose process is gone and which have not changed for `ABANDONED_AFTER` seconds, so a build
    running now (here, or in another container sharing the folder) is never touched."""
    name = beside_site_names(site_dir.name)  # also as builds before this one named them, without the random part
    try:
        entries = list(os.scandir(site_dir.parent))
    except OSError:
        return
    for entry in entries:
        match = name.fullmatch(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False) or _alive(int(match[1])):
            continue
        try:
            if time.time() - entry.stat(follow_symlinks=False).st_mtime < ABANDONED_AFTER:
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:  # another user's process
        return True
    except (ProcessLookupError, OverflowError):  # none, or a number no process can have
        return False
    return pid > 0  # 0 would mean our process group


REMOVING = ".removing-"  # in `replaced`: a site a sweeper has claimed (no build takes it)


def remove_replaced_sites(replaced: Path | None) -> None:
    """Remove the sites earlier builds replaced (nothing else is ever moved into `replaced`, a real
    folder of the project's cache: `cache_store.cache_folder` never hands out a link). Each is first
    claimed by a rename: a build of another site folder (the members' site built at the same time)
    may take one as its base meanwhile (`_take_base`), and only one of the two renames can succeed;
    removed in place, it would be emptied while that build made it its new site (the removal goes
    on inside a folder it has opened, wherever the folder has moved)."""
    if replaced is None:
        return
    try:
        entries = list(os.scandir(replaced))
    except OSError:
        return
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            continue
        claimed = entry.path
        if not entry.name.startswith(REMOVING):  # one a killed sweeper claimed is removed as it is
            claimed = os.path.join(replaced, f"{REMOVING}{os.getpid()}-{entry.name}")
            try:
                os.rename(entry.path, claimed)
            except OSError:  # taken by a build (or claimed by another sweeper) since the listing
                continue
        shutil.rmtree(claimed, ignore_errors=True)



def build_into(settings: Settings, project: Project, today: dt.date, target: Path) -> None:
    """The real MkDocs build of the site into `target`, from the project already loaded, whatever
    its check says (the audit builds the site it inspects this way); Refused on failure."""
    from mkdocs.commands.build import build

    with mkdocs_logging(lambda _message: None) as failures:
        try:
            config = load_mkdocs_config(settings.root, failures, target)
        except SettingsError as exc:
            raise Refused(str(exc)) from None
        config.plugins[PLUGIN].prepare(BuildContext(settings, today, project))
        try:
            build(config)
        except Exception as exc:
            raise Refused("；".join(failures) or f"{type(exc).__name__}: {exc}") from None


def next_changes(settings: Settings, today: dt.date, audience: str) -> list[Upcoming]:
    """Every change after `today` the site built for `audience` makes by itself (`--next-change`), soonest first."""
    return upcoming(load_project(settings.root, settings.content_dir, limits=settings.limits), today, audience)
