"""Benchmark gongkai against the bare tools on the same synthetic content (spec §11).

    .venv/bin/python -m scripts.bench                 # N = 1,000 and 10,000, search at 10,000
    .venv/bin/python -m scripts.bench --items 2000    # one size
    .venv/bin/python -m scripts.bench --search-100k   # also search at 100,000 items (≈ 15 minutes more)
    .venv/bin/python -m scripts.bench --check         # also judge the figures against the targets; exit 1 on a miss

Each phase runs as its own process; wall time and peak resident memory are reported side by side.
Up to 10,000 items the warm check, the builds and the bare tools run in rounds (`--rounds`, default 3): each round
starts from the state the warm check left (its .gongkai-cache/, no site, the changed item as generated) and runs
gongkai's builds and the bare tools one after the other; the tables give each phase's median time (the ratios are
ratios of medians) and its largest peaks, so that one slow moment of a shared machine does not decide a target.
Between rounds the sites and caches are set aside (renamed into the work folder's .set-aside/), not removed: ext4
without a journal (this machine's root file system) passes over every inode freed in the last minutes, one by one,
to make each new file, so the round after a removal paid for the removal of the one before it.
"peak" is the largest single process (gongkai's Python or one Pagefind run), "tree peak" the most
the phase's processes held at the same time (sampled from /proc every 0.1 s).
The project carries a synthetic 5,000-entry content/lexicon.yml (错敏词库), as a large agency's would.
  gongkai check, cold (no .gongkai-cache/: every signature verified) and warm (bodies rendered and
  signatures verified by the first check reused) ·
  gongkai build (full: a fresh project, its .gongkai-cache/ holding only the check's rendered
  bodies and verified signatures; as the first build of a site it leaves a hard-linked copy of it in
  .gongkai-cache/replaced/) ·
  gongkai build after one changed item (incremental: reuses the first build's cache and brings that copy up to
  date in place; judged) and after the same item changed again (the site the first rebuild replaced is brought up
  to date in place, as after every build: reported, not judged)
  bare mkdocs build (MkDocs + Material, same item pages, home-only nav) · bare pagefind (default binary on that output)
  · hugo on the same pages with the plainest layouts, when installed (`scripts/setup.sh --bench`): a reference, not a target
The preview phase starts `gongkai serve` on the project (and on a copy of the sample content) and edits
the title and body of the 10 newest items one at a time: the figure is the time from the save until
both the item's page and its year's listing, polled over HTTP every 10 ms, show the edit (median of 10).
The search phase runs scripts/search_quality.py (its own synthetic notices, the real index, the real
search page in headless Chromium over loopback) and reports its index build, the first query on a
cold page, later queries, and recall and precision against the items that contain the query.

--check judges the run against the targets (spec §11, issue 15) and exits 1 when one is missed. Time
targets are ratios within this run, never absolute seconds (the machine is shared): a full build
against bare MkDocs + bare Pagefind on the same items, a one-item rebuild against the full build, and
the check against bare MkDocs (3 s where bare MkDocs took 30 s, the reference machine's figures).
Memory targets are absolute (tree peak); search latency targets are absolute too (the issue's ms).
"""

from __future__ import annotations

import argparse
import compileall
import ctypes
import datetime as dt
import json
import os
import platform
import py_compile
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import partial
from pathlib import Path

if not __package__:  # run as `python scripts/bench.py` (not `-m scripts.bench`): the project root holds `scripts`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkai.cache_store import package_digest  # noqa: E402 - as the line below
from scripts.search_quality import browser_missing  # noqa: E402 - as the line below
from scripts.synthetic import LEXICON_SIZE, generate, lexicon, sign  # noqa: E402 - after the path above

HERE = Path(__file__).resolve().parent

BIN = Path(sys.executable).parent


SHARED_CHECK_BYTES = 100 * 2**20  # a second process this large may share pages with the first (a fork)


def _tree_rss(root: int) -> int:
    """Memory (bytes) of a process and all its descendants, from /proc (Linux): the sum of their
    resident sizes, except that while two or more of them are large (a forked child shares the
    parent's pages until either writes them) their proportional sizes (PSS) count instead, so
    a shared page counts once, not once per process."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)  # fields[1]: the parent's pid
        rss[pid] = int(fields[21]) * page  # fields[21]: resident pages
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        for child in children.get(pid, []):
            if rss.get(child, 0) >= SHARED_CHECK_BYTES:
                # A child between vfork and exec (how subprocess starts Pagefind) is its parent's memory,
                # not a copy: counted, it doubled a large build for that instant. Read again once it is
                # known not to be: it may have become the small program since.
                if _same_memory(child, pid):
                    continue
                rss[child] = _resident(child, page)
            todo.append(child)
    if sum(rss.get(pid, 0) >= SHARED_CHECK_BYTES for pid in tree) >= 2:
        return sum(_pss(pid, rss.get(pid, 0)) for pid in tree)
    return sum(rss.get(pid, 0) for pid in tree)


def _resident(pid: int, page: int) -> int:
    """Resident bytes of a process now (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[21]) * page
    except OSError:
        return 0


KCMP = {"x86_64": 312, "aarch64": 272}  # the kcmp(2) system call's number
KCMP_VM = 1


def _same_memory(pid: int, other: int) -> bool:
    """Whether two processes (or threads) share one address space (Linux kcmp(2); False where unknown)."""
    number = KCMP.get(platform.machine())
    if number is None:
        return False
    return ctypes.CDLL(None, use_errno=True).syscall(number, pid, other, KCMP_VM, 0, 0) == 0


def _pss(pid: int, fallback: int) -> int:
    """Proportional set size (bytes) of a process: its private pages plus its share of shared ones."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return fallback


def settle() -> None:
    """Have the disk write back what the steps before wrote, before a phase is timed (not counted). Else a phase pays
    for the large write before it, whichever tool it times: the first round's full build for the copy of the project
    made for the bare tools, each one-item rebuild for the full build's ≈ 2 GB, bare MkDocs for the rebuild's."""
    if hasattr(os, "sync"):
        os.sync()


def measure(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int, float]:
    """(seconds, peak MB, exit code, tree peak MB) of one command.

    peak: the largest single process (it or one of its waited-for children, e.g. one Pagefind run);
    tree peak: the most memory the command and its children held at the same time (sampled every
    0.1 s, so a shorter spike may be missed; pages a fork shares counted once: `_tree_rss`).
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not done.wait(0.1):
            if os.path.isdir("/proc"):
                tree_peak = max(tree_peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode and process.stderr is not None:
        sys.stderr.write(process.stderr.read().decode("utf-8", "replace")[-3000:])
    peak = usage.ru_maxrss / 1024
    return seconds, peak, process.returncode, max(peak, tree_peak / 2**20)


def bare_project(project: Path, target: Path) -> None:
    """The same item pages as plain MkDocs + Material input: one Markdown page per item."""
    docs = target / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    for file in sorted((project / "content" / "items").rglob("*.md")):
        text = file.read_text(encoding="utf-8")
        front, body = text[4:].split("\n---\n", 1)
        title = next(line[7:] for line in front.splitlines() if line.startswith("title: "))
        out = docs / "items" / file.parent.name / file.stem / "index.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"# {title}\n{body}", encoding="utf-8")
    (target / "mkdocs.yml").write_text(
        "site_name: bare\ntheme:\n  name: material\n  language: zh\nplugins: []\nnav:\n  - index.md\n", encoding="utf-8"
    )


HUGO_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>
"""
HUGO_LIST = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""


def hugo_project(bare: Path, target: Path) -> None:
    """The bare MkDocs pages as a Hugo site with the plainest layouts (Hugo is a reference, not a target)."""
    for file in sorted((bare / "docs" / "items").rglob("index.md")):
        title, body = file.read_text(encoding="utf-8")[2:].split("\n", 1)
        out = target / "content" / "items" / f"{file.parent.parent.name}-{file.parent.name}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n{body}", encoding="utf-8")
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_PAGE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (target / "hugo.toml").write_text(
        'baseURL = "/"\nlanguageCode = "zh-cn"\ndisableKinds = ["taxonomy", "term"]\n', encoding="utf-8"
    )


def changed_item(project: Path) -> Path:
    """The item the rebuild phases change."""
    files = sorted((project / "content" / "items").rglob("*.md"))
    return files[len(files) // 2]


def change_one_item(project: Path) -> None:
    file = changed_item(project)
    text = file.read_text(encoding="utf-8")
    head, body = text[4:].split("\n---\n", 1)
    head = head.split("review:\n", 1)[0].rstrip("\n")
    published = next(line.split(": ")[1] for line in head.splitlines() if line.startswith("published: "))
    file.write_text(sign(f"---\n{head}\n---\n{body}\n本条目已更新。\n", project, dt.date.fromisoformat(published)), encoding="utf-8")


PREVIEW_EDITS = 10
AGAIN = "gongkai build (one item changed again)"


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8", "replace")


def _newest_items(project: Path, count: int) -> list[Path]:
    """The `count` items with the latest publication dates (each on page 1 of its year's listing)."""
    dated = []
    for file in (project / "content" / "items").rglob("*.md"):
        found = re.search(r"^published: (\d{4}-\d{2}-\d{2})", file.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            dated.append((found[1], file.name, file))
    return [file for *_, file in sorted(dated, reverse=True)[:count]]


def preview_phase(project: Path, env: dict) -> dict:
    """`gongkai serve` on `project`: seconds until it answers, and seconds from each save until the edited
    item's page and its year's listing both show the edit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    log = project / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen([str(BIN / "gongkai"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                                  env=env, stdout=output, stderr=subprocess.STDOUT)
    started = time.perf_counter()
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gongkai serve stopped (exit {server.returncode}):\n{log.read_text(encoding='utf-8')}")
            try:
                _get(base)
                break
            except OSError:
                time.sleep(0.1)
        startup = time.perf_counter() - started
        latencies = []
        for number, file in enumerate(_newest_items(project, PREVIEW_EDITS)):
            year, serial = file.stem.split("-")
            page, listing = f"{base}items/{year}/{serial}/", f"{base}years/{year}/"
            marker = f"预览测量第{number + 1}次"
            text = file.read_text(encoding="utf-8")
            title = re.compile(r"^title: ([\"']?)(.*?)\1[ \t]*$", re.MULTILINE)
            edited = title.sub(partial(_marked_title, marker=marker), text, count=1)
            file.write_text(f"{edited}\n{marker}：正文也改了。\n", encoding="utf-8")
            saved = time.perf_counter()
            waiting = {page, listing}
            while waiting:
                waiting = {url for url in waiting if marker not in _get(url)}
                if waiting:
                    time.sleep(0.01)
                if time.perf_counter() - saved > 120:
                    raise SystemExit(f"the preview did not show edit {number + 1} within 120 s: {sorted(waiting)}")
            latencies.append(time.perf_counter() - saved)
        rss = _tree_rss(server.pid) / 2**20
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"startup": startup, "latencies": latencies, "median": statistics.median(latencies), "rss_mb": rss}


def print_preview(results: dict[str, dict]) -> None:
    print("\n| preview of | serve: first page after | save → page and listing (median of 10) | fastest | slowest | server memory |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['startup']:.1f} s | {r['median']:.2f} s | {min(r['latencies']):.2f} s"
              f" | {max(r['latencies']):.2f} s | {r['rss_mb']:.0f} MB |")


FOLDERS = 2000  # made (then set aside) to tell how fast the work folder's file system makes folders
SET_ASIDE = ".set-aside"  # what the benchmark is done with, removed at its end


def compiled_package() -> int:
    """Compile gongkai's modules to bytecode, as installing a wheel does (as `scripts/setup.sh` does): pip compiles
    no editable install, and where PYTHONDONTWRITEBYTECODE is set (CI machines) each gongkai command compiled ≈ 200
    modules again, ≈ 0.2 s a start, while the bare tools' modules were compiled when pip installed them. The
    number of modules compiled."""
    import gongkai

    package = Path(gongkai.__file__).parent
    if not compileall.compile_dir(package, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH):
        raise SystemExit(f"could not compile gongkai's modules in {package}")
    return sum(1 for _ in package.rglob("*.py"))


def folder_speed(work: Path) -> float:
    """Seconds to make `FOLDERS` empty folders in `work` (then set aside). A rebuild links ≈ 11,500 pages, each
    into a folder of its own: on a disk worn by many builds this costs ten times what it costs on a new one,
    so the figure tells how to read the rebuild's (a new ext4 disk: ≈ 0.06 s)."""
    probe = Path(tempfile.mkdtemp(prefix=".folder-speed-", dir=work))
    try:
        started = time.perf_counter()
        for number in range(FOLDERS):
            os.mkdir(probe / str(number))
        return time.perf_counter() - started
    finally:
        set_aside(probe, work)


def set_aside(path: Path, work: Path) -> None:
    """Move `path` into work/SET_ASIDE, removed when the benchmark ends (see the module's docstring)."""
    aside = work / SET_ASIDE
    aside.mkdir(exist_ok=True)
    os.rename(path, tempfile.mkdtemp(prefix=path.name, dir=aside))


def sample_project(work: Path) -> Path:
    """A copy of the repository's sample site (content/, mkdocs.yml, the theme)."""
    target = work / "sample"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(HERE.parent / "content", target / "content")
    shutil.copy(HERE.parent / "mkdocs.yml", target / "mkdocs.yml")
    (target / "theme_overrides").symlink_to(HERE.parent / "theme_overrides")
    return target


Row = tuple[str, float, float, int, float]  # phase, seconds, peak MB, exit code, tree peak MB


def run(count: int, work: Path, rounds: int = 1) -> list[Row]:
    """The phases at `count` items; the builds and the bare tools `rounds` times, each round from the same state
    (the warm check's .gongkai-cache/, no site, the changed item as generated), a round's phases side by side."""
    project = work / f"site-{count}"
    print(f"\n== N = {count:,}: generating items …", flush=True)
    generate(project, count)
    lexicon(project, LEXICON_SIZE)
    env = dict(os.environ, GONGKAI_TODAY="2026-11-27")
    samples: list[Row] = []

    def phase(name: str, command: list[str], cwd: Path, round_: str = "") -> None:
        settle()
        seconds, peak, code, tree = measure(command, cwd, env)
        same_code(name)
        samples.append((name, seconds, peak, code, tree))
        print(
            f"  {name:<38} {seconds:8.1f} s {peak:9.0f} MB {tree:9.0f} MB (tree){round_}{'' if code == 0 else f'  (exit {code})'}",
            flush=True,
        )

    phase("gongkai check (cold)", [str(BIN / "gongkai"), "check"], project)
    for _ in range(rounds):
        phase("gongkai check (warm)", [str(BIN / "gongkai"), "check"], project)  # bodies and signatures checked by the first check
    checked = work / f"checked-{count}"
    if rounds > 1:
        shutil.copytree(project / ".gongkai-cache", checked, symlinks=True)
    changed = changed_item(project)
    generated = changed.read_bytes()
    bare = work / f"bare-{count}"
    bare_project(project, bare)
    for number in range(1, rounds + 1):
        round_ = f"  (round {number}/{rounds})" if rounds > 1 else ""
        if number > 1:  # back to the state after the check: a full build of a site built by nothing before
            set_aside(project / "site", work)
            set_aside(project / ".gongkai-cache", work)
            shutil.copytree(checked, project / ".gongkai-cache", symlinks=True)
            set_aside(bare / "site", work)  # and the bare tools' too, as in the first round
            changed.write_bytes(generated)
        phase("gongkai build (full)", [str(BIN / "gongkai"), "build"], project, round_)
        change_one_item(project)
        phase("gongkai build (one item changed)", [str(BIN / "gongkai"), "build"], project, round_)
        # Not judged: an editor's next rebuild, with the site the first one replaced waiting to be brought up to date.
        change_one_item(project)
        phase(AGAIN, [str(BIN / "gongkai"), "build"], project, round_)
        phase("bare: mkdocs build (Material)", [str(BIN / "mkdocs"), "build", "-q"], bare, round_)
        phase("bare: pagefind (default binary)", [str(BIN / "python"), "-m", "pagefind", "--site", "site", "--silent"], bare, round_)
    hugo = shutil.which("hugo")
    if hugo is None:
        print("  (hugo is not installed: `scripts/setup.sh --bench` installs Debian's; no Hugo row)", flush=True)
    else:
        hugo_project(bare, work / f"hugo-{count}")
        phase("reference: hugo (not a target)", [hugo, "--quiet"], work / f"hugo-{count}")
    return summarise(samples)


_CODE = package_digest()


def same_code(phase: str) -> None:
    """Stop when gongkai's code changed since the benchmark began: every cache is keyed by the code, so a build after
    an edit measures a cold build, and the next round starts from caches of other code (a round's full build took
    48–60 s instead of 31 s, its rebuild 49 s instead of 3)."""
    if package_digest() != _CODE:
        raise SystemExit(f"gongkai's code changed during the benchmark (noticed after “{phase}”): its figures mean nothing. "
                         "Run it from a checkout nobody edits meanwhile.")


def summarise(samples: list[Row]) -> list[Row]:
    """One row a phase, in the order first run: the median time of its rounds, the largest peaks, a failed
    round's exit code."""
    names = list(dict.fromkeys(name for name, *_ in samples))
    rows: list[Row] = []
    for name in names:
        runs = [sample for sample in samples if sample[0] == name]
        code = next((sample[3] for sample in runs if sample[3] != 0), 0)
        rows.append((name, statistics.median(sample[1] for sample in runs), max(sample[2] for sample in runs), code,
                     max(sample[4] for sample in runs)))
    return rows


def search_phase(count: int, queries: int, work: Path, query_file: Path | None = None) -> dict:
    """scripts/search_quality.py at `count` items, as its own process; its JSON summary."""
    out = work / f"search-{count}.json"
    command = [str(BIN / "python"), str(HERE / "search_quality.py"), "--items", str(count), "--queries", str(queries), "--json", str(out)]
    if query_file is not None:
        command += ["--query-file", str(query_file.resolve())]
    print(f"\n== search at N = {count:,} …", flush=True)
    seconds, _, code, tree = measure(command, HERE.parent)
    if code != 0 and not out.exists():
        raise SystemExit(f"search phase at {count} items failed (exit {code})")
    result = json.loads(out.read_text(encoding="utf-8"))
    result.update(seconds=seconds, tree_peak_mb=tree)
    return result


def print_search(results: dict[int, dict]) -> None:
    print(
        "\n| items | shards | index build | Pagefind peak | cold: first page | cold: bytes to first page | cold: total shown |"
        " cold: bytes until idle | later: first page (median) | later: total (median) | later: bytes (median) | recall | precision |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for count, r in results.items():
        build, cold, bar = r["build"], r["cold"], r["summary"]["bar"]
        print(
            f"| {count:,} | {build['shards']} | {build['seconds']:.1f} s | {build['peak_rss_bytes'] / 2**20:.0f} MB"
            f" | {cold['ms']:.0f} ms | {cold['bytes'] / 1000:.0f} KB | {cold['complete_ms']:.0f} ms | {cold['all_bytes'] / 1000:.0f} KB"
            f" | {bar['ui_ms_median']:.0f} ms | {bar['complete_ms_median']:.0f} ms | {bar['bytes_median'] / 1000:.0f} KB"
            f" | {bar['recall']:.4f} | {bar['precision']:.4f} |"
        )
    for count, r in results.items():
        rare = r.get("cold_rare")
        if rare:
            print(f"N = {count:,}, cold, the rarest generated phrase ({rare['query']}, {rare['hits']} hits): first results"
                  f" {rare['first_ms']:.0f} ms, first page {rare['ms']:.0f} ms, total {rare['complete_ms']:.0f} ms")


TARGET_ITEMS = 10_000  # the size the time targets are stated at
MEMORY_ITEMS = 100_000
# The check's budget as a share of bare MkDocs on the same items: 3 s where bare MkDocs took 30 s.
CHECK_SHARE = 3.0 / 30.2


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool


def judge(results: dict[int, list[tuple[str, float, float, int, float]]], searches: dict[int, dict],
          previews: dict[str, dict] | None = None) -> list[Verdict]:
    """Each target this run measured, with its figure and whether it is met."""
    verdicts: list[Verdict] = []
    preview = (previews or {}).get(f"N = {TARGET_ITEMS:,}")
    if preview is not None:
        median = preview["median"]
        verdicts.append(Verdict("preview: save → page and listing ≤ 1 s (median of 10)", f"{median:.2f} s", median <= 1.0))
    for count, rows in results.items():
        failed = [name for name, _, _, code, _ in rows if code != 0]
        if failed:
            verdicts.append(Verdict(f"N={count:,}: every phase succeeds", "failed: " + ", ".join(failed), False))
        seconds = {name: time for name, time, *_ in rows}
        tree = {name: peak for name, _, _, _, peak in rows if name.startswith("gongkai")}  # not the tools beside it
        if count == TARGET_ITEMS:
            bare_mkdocs = seconds["bare: mkdocs build (Material)"]
            bare = bare_mkdocs + seconds["bare: pagefind (default binary)"]
            full = seconds["gongkai build (full)"]
            rebuild = seconds["gongkai build (one item changed)"]
            verdicts.append(Verdict("full build ≤ bare MkDocs + bare Pagefind (ratio ≤ 1.00)", f"{full / bare:.2f}", full <= bare))
            verdicts.append(Verdict("one-item rebuild ≤ 10 % of the full build", f"{rebuild / full:.0%}", rebuild <= 0.10 * full))
            for phase in ("gongkai check (cold)", "gongkai check (warm)"):
                share = seconds[phase] / bare_mkdocs
                verdicts.append(Verdict(f"{phase} ≤ {CHECK_SHARE:.0%} of bare MkDocs (3 s of 30 s)", f"{share:.0%}", share <= CHECK_SHARE))
            peak = max(tree.values())
            verdicts.append(Verdict("tree peak ≤ 1.5 GB at 10,000 items", f"{peak:,.0f} MB", peak <= 1536))
        if count == MEMORY_ITEMS:
            peak = max(tree.values())
            verdicts.append(Verdict("tree peak ≤ 2 GB at 100,000 items", f"{peak:,.0f} MB", peak <= 2048))
    for count, result in searches.items():
        cold, bar = result["cold"], result["summary"]["bar"]
        exact = bar["recall"] == 1.0 and bar["precision"] == 1.0
        verdicts.append(Verdict(f"search N={count:,}: recall and precision 1.0", f"{bar['recall']:.4f} / {bar['precision']:.4f}", exact))
        if count == TARGET_ITEMS:
            verdicts.append(Verdict("search: cold first page ≤ 1 s", f"{cold['ms']:.0f} ms", cold["ms"] <= 1000))
            kilobytes = cold["bytes"] / 1000
            verdicts.append(Verdict("search: cold bytes to the first page ≤ 400 KB", f"{kilobytes:.0f} KB", kilobytes <= 400))
            verdicts.append(Verdict("search: later queries ≤ 200 ms (median)", f"{bar['ui_ms_median']:.0f} ms", bar["ui_ms_median"] <= 200))
        if count == MEMORY_ITEMS:
            verdicts.append(Verdict("search N=100,000: cold first page ≤ 2 s", f"{cold['ms']:.0f} ms", cold["ms"] <= 2000))
    return verdicts


def print_verdicts(verdicts: list[Verdict]) -> None:
    print("\n| target | this run | |")
    print("|---|---|---|")
    for verdict in verdicts:
        print(f"| {verdict.target} | {verdict.measured} | {'met' if verdict.met else '**missed**'} |")


def rounds_count(text: str) -> int:
    """--rounds: a whole number of at least 1 (none would leave no figure to judge)."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:  # not int(): it takes "٣" and " 3 "
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, action="append", help="item count (repeatable); default 1000 and 10000")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--search-items", type=int, action="append", help="search phase item count (repeatable); default 10000")
    parser.add_argument("--search-100k", action="store_true", help="also run the search phase at 100,000 items")
    parser.add_argument("--search-queries", type=int, default=60, help="random corpus substrings a search phase queries (default 60)")
    parser.add_argument("--search-query-file", type=Path,
                        help="the search phase also asks these queries (one a line): e.g. a held-out set")
    parser.add_argument("--no-search", action="store_true", help="skip the search phase")
    parser.add_argument("--preview-only", action="store_true",
                        help="only the preview phase (on the sample and on the largest --items project)")
    parser.add_argument("--check", action="store_true", help="judge the figures against the targets; exit 1 when one is missed")
    parser.add_argument("--rounds", type=rounds_count, default=3,
                        help=f"rounds of the builds and bare tools up to {TARGET_ITEMS:,} items, medians reported (default 3); "
                             "larger sizes run one")
    args = parser.parse_args()
    counts = args.items or [1000, 10000]
    search_counts = [] if args.no_search else (args.search_items or [10000]) + ([100000] if args.search_100k else [])
    missing = browser_missing() if search_counts and not args.preview_only else None
    if missing is not None:  # said now, not after the builds' quarter of an hour
        raise SystemExit(f"{missing}; or pass --no-search")
    work = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, GONGKAI_TODAY="2026-11-27")
    print(f"gongkai's {compiled_package()} modules compiled to bytecode, as a wheel install leaves them", flush=True)
    print(f"work folder {work}: {FOLDERS:,} folders made in {folder_speed(work):.2f} s (a new ext4 disk: ≈ 0.06 s; "
          "a worn one makes the rebuild's linking slower)", flush=True)
    try:
        if args.preview_only:
            project = work / f"site-{max(counts)}"
            print(f"\n== N = {max(counts):,}: generating items …", flush=True)
            generate(project, max(counts))
            lexicon(project, LEXICON_SIZE)
            results = {}
            search_counts = []
        else:
            results = {count: run(count, work, args.rounds if count <= TARGET_ITEMS else 1) for count in counts}
            project = work / f"site-{max(counts)}"
        print("\n== preview (gongkai serve) …", flush=True)
        previews = {"the sample": preview_phase(sample_project(work), env),
                    f"N = {max(counts):,}": preview_phase(project, env)}
        same_code("preview (gongkai serve)")
        searches = {count: search_phase(count, args.search_queries, work, args.search_query_file) for count in search_counts}
    finally:
        shutil.rmtree(work if not args.keep else work / SET_ASIDE, ignore_errors=True)
    print_preview(previews)
    if not results:
        return
    print("\n| phase | " + " | ".join(f"N={c:,} time | N={c:,} peak | N={c:,} tree peak" for c in counts) + " |")
    print("|---|" + "---|---|---|" * len(counts))
    for index, (name, *_rest) in enumerate(results[counts[0]]):
        cells = " | ".join(
            f"{results[c][index][1]:.1f} s | {results[c][index][2]:.0f} MB | {results[c][index][4]:.0f} MB" for c in counts
        )
        print(f"| {name} | {cells} |")
    def medians(count: int) -> str:
        rounds = args.rounds if count <= TARGET_ITEMS else 1
        return f" (medians of {rounds} rounds)" if rounds > 1 else ""

    for count in counts:
        rows = {name: seconds for name, seconds, *_ in results[count]}
        bare = rows["bare: mkdocs build (Material)"] + rows["bare: pagefind (default binary)"]
        full = rows["gongkai build (full)"]
        print(
            f"N={count:,}{medians(count)}: full build {full:.1f} s vs bare tools {bare:.1f} s ({full / bare:.2f}×); "
            f"one-item rebuild {rows['gongkai build (one item changed)'] / full:.0%} of full"
            + (f", the next one {rows[AGAIN] / full:.0%}" if AGAIN in rows else "")
        )
    if searches:
        print_search(searches)
    if args.check:
        verdicts = judge(results, searches, previews)
        if not verdicts:
            raise SystemExit(f"--check: no target is stated at the sizes run (time targets at {TARGET_ITEMS:,} items)")
        print_verdicts(verdicts)
        if not all(verdict.met for verdict in verdicts):
            raise SystemExit(1)


def _marked_title(found: re.Match[str], marker: str) -> str:
    return f"title: {found[1]}{found[2]}{marker}{found[1]}"


if __name__ == "__main__":
    main()
