"""Benchmark gongkai against the bare tools on the same synthetic content (spec §11).

    .venv/bin/python scripts/bench.py                 # N = 1,000 and 10,000, search at 10,000
    .venv/bin/python scripts/bench.py --items 2000    # one size
    .venv/bin/python scripts/bench.py --search-100k   # also search at 100,000 items (≈ 15 minutes more)

Each phase runs as its own process; wall time and peak resident memory are reported side by side:
"peak" is the largest single process (gongkai's Python or one Pagefind run), "tree peak" the most
the phase's processes held at the same time (sampled from /proc every 0.1 s).
The project carries a synthetic 5,000-entry content/lexicon.yml (错敏词库), as a large agency's would.
  gongkai check, cold (no .gongkai-cache/: every signature verified) and warm (bodies rendered and
  signatures verified by the first check reused) ·
  gongkai build (full: a fresh project, its .gongkai-cache/ holding only the check's rendered
  bodies and verified signatures) ·
  gongkai build after one changed item (incremental: reuses the first build's cache)
  bare mkdocs build (MkDocs + Material, same item pages, home-only nav) · bare pagefind (default binary on that output)
The search phase runs scripts/search_quality.py (its own synthetic notices, the real index, the real
search page in headless Chromium over loopback) and reports its index build, the first query on a
cold page, later queries, and recall and precision against the items that contain the query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import LEXICON_SIZE, generate, lexicon, sign  # noqa: E402

BIN = Path(sys.executable).parent


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc (Linux)."""
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
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def measure(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int, float]:
    """(seconds, peak MB, exit code, tree peak MB) of one command.

    peak: the largest single process (it or one of its waited-for children, e.g. one Pagefind run);
    tree peak: the most memory the command and its children held at the same time (sampled every
    0.1 s, so a shorter spike may be missed; never below `peak`).
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


def change_one_item(project: Path) -> None:
    files = sorted((project / "content" / "items").rglob("*.md"))
    file = files[len(files) // 2]
    text = file.read_text(encoding="utf-8")
    head, body = text[4:].split("\n---\n", 1)
    head = head.split("review:\n", 1)[0].rstrip("\n")
    published = next(line.split(": ")[1] for line in head.splitlines() if line.startswith("published: "))
    file.write_text(sign(f"---\n{head}\n---\n{body}\n本条目已更新。\n", project, dt.date.fromisoformat(published)), encoding="utf-8")


def run(count: int, work: Path) -> list[tuple[str, float, float, int, float]]:
    project = work / f"site-{count}"
    print(f"\n== N = {count:,}: generating items …", flush=True)
    generate(project, count)
    lexicon(project, LEXICON_SIZE)
    env = dict(os.environ, GONGKAI_TODAY="2026-11-27")
    rows = []

    def phase(name: str, command: list[str], cwd: Path) -> None:
        seconds, peak, code, tree = measure(command, cwd, env)
        rows.append((name, seconds, peak, code, tree))
        print(
            f"  {name:<38} {seconds:8.1f} s {peak:9.0f} MB {tree:9.0f} MB (tree){'' if code == 0 else f'  (exit {code})'}",
            flush=True,
        )

    phase("gongkai check (cold)", [str(BIN / "gongkai"), "check"], project)
    phase("gongkai check (warm)", [str(BIN / "gongkai"), "check"], project)  # bodies and signatures checked by the first check
    phase("gongkai build (full)", [str(BIN / "gongkai"), "build"], project)
    change_one_item(project)
    phase("gongkai build (one item changed)", [str(BIN / "gongkai"), "build"], project)
    bare = work / f"bare-{count}"
    bare_project(project, bare)
    phase("bare: mkdocs build (Material)", [str(BIN / "mkdocs"), "build", "-q"], bare)
    phase("bare: pagefind (default binary)", [str(BIN / "python"), "-m", "pagefind", "--site", "site", "--silent"], bare)
    return rows


def search_phase(count: int, queries: int, work: Path) -> dict:
    """scripts/search_quality.py at `count` items, as its own process; its JSON summary."""
    out = work / f"search-{count}.json"
    command = [str(BIN / "python"), str(HERE / "search_quality.py"), "--items", str(count), "--queries", str(queries), "--json", str(out)]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, action="append", help="item count (repeatable); default 1000 and 10000")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--search-items", type=int, action="append", help="search phase item count (repeatable); default 10000")
    parser.add_argument("--search-100k", action="store_true", help="also run the search phase at 100,000 items")
    parser.add_argument("--search-queries", type=int, default=60, help="random corpus substrings a search phase queries (default 60)")
    parser.add_argument("--no-search", action="store_true", help="skip the search phase")
    args = parser.parse_args()
    counts = args.items or [1000, 10000]
    search_counts = [] if args.no_search else (args.search_items or [10000]) + ([100000] if args.search_100k else [])
    work = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = {count: run(count, work) for count in counts}
        searches = {count: search_phase(count, args.search_queries, work) for count in search_counts}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n| phase | " + " | ".join(f"N={c:,} time | N={c:,} peak | N={c:,} tree peak" for c in counts) + " |")
    print("|---|" + "---|---|---|" * len(counts))
    for index, (name, *_rest) in enumerate(results[counts[0]]):
        cells = " | ".join(
            f"{results[c][index][1]:.1f} s | {results[c][index][2]:.0f} MB | {results[c][index][4]:.0f} MB" for c in counts
        )
        print(f"| {name} | {cells} |")
    for count in counts:
        rows = {name: seconds for name, seconds, *_ in results[count]}
        bare = rows["bare: mkdocs build (Material)"] + rows["bare: pagefind (default binary)"]
        full = rows["gongkai build (full)"]
        print(
            f"N={count:,}: full build {full:.1f} s vs bare tools {bare:.1f} s ({full / bare:.2f}×); "
            f"one-item rebuild {rows['gongkai build (one item changed)'] / full:.0%} of full"
        )
    if searches:
        print_search(searches)


if __name__ == "__main__":
    main()
