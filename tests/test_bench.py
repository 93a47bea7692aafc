"""scripts/bench.py --check: each target judged from this run's figures, a miss reported as missed."""

from __future__ import annotations

import os
import subprocess
import threading

import pytest

from scripts import bench


def rows(full: float, rebuild: float, check: float = 2.0, peak: float = 800.0, code: int = 0) -> list:
    return [
        ("gongkai check (cold)", check, 300.0, 0, 300.0),
        ("gongkai check (warm)", check, 300.0, 0, 300.0),
        ("gongkai build (full)", full, 460.0, code, peak),
        ("gongkai build (one item changed)", rebuild, 460.0, 0, peak),
        ("bare: mkdocs build (Material)", 30.0, 150.0, 0, 150.0),
        ("bare: pagefind (default binary)", 15.0, 900.0, 0, 900.0),
    ]


def missed(verdicts: list) -> list[str]:
    return [verdict.target for verdict in verdicts if not verdict.met]


def test_a_run_within_every_target_passes():
    assert missed(bench.judge({10_000: rows(full=44.0, rebuild=4.0)}, {})) == []


def test_each_ratio_is_judged_against_its_target():
    found = missed(bench.judge({10_000: rows(full=50.0, rebuild=6.0, check=3.5, peak=1600.0)}, {}))
    assert any("full build" in target for target in found)
    assert any("one-item rebuild" in target for target in found)
    assert any("check (cold)" in target for target in found) and any("check (warm)" in target for target in found)
    assert any("1.5 GB" in target for target in found)


def test_a_failed_phase_is_a_miss_and_other_sizes_judge_only_what_they_state():
    assert missed(bench.judge({10_000: rows(full=40.0, rebuild=3.0, code=1)}, {})) == ["N=10,000: every phase succeeds"]
    assert bench.judge({1_000: rows(full=9.0, rebuild=5.0)}, {}) == []
    assert missed(bench.judge({100_000: rows(full=900.0, rebuild=90.0, peak=2100.0)}, {})) == ["tree peak ≤ 2 GB at 100,000 items"]


def test_the_preview_is_judged_at_ten_thousand_items():
    previews = {"the sample": {"median": 0.2}, "N = 10,000": {"median": 1.4}}
    assert missed(bench.judge({}, {}, previews)) == ["preview: save → page and listing ≤ 1 s (median of 10)"]
    assert missed(bench.judge({}, {}, {"N = 10,000": {"median": 0.5}})) == []


def test_the_bench_runs_as_the_documents_name_it(tmp_path):
    """`python scripts/bench.py` (the spec's name) and `python -m scripts.bench`, from anywhere."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(bench.__file__).resolve().parents[1]
    for command in ([sys.executable, str(root / "scripts" / "bench.py"), "--help"], [sys.executable, "-m", "scripts.bench", "--help"]):
        done = subprocess.run(command, cwd=root if "-m" in command else tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "--items" in done.stdout, done.stderr


def test_threads_share_memory_and_a_forked_child_does_not():
    """What keeps a child between vfork and exec (subprocess's way of starting a program) from counting
    its parent's memory twice in the tree peak."""
    ready, done = threading.Event(), threading.Event()
    native: list[int] = []

    def wait() -> None:
        native.append(threading.get_native_id())
        ready.set()
        done.wait()

    thread = threading.Thread(target=wait)
    thread.start()
    ready.wait()
    try:
        assert bench._same_memory(native[0], os.getpid())
    finally:
        done.set()
        thread.join()
    held, release = os.pipe()
    child = os.fork()
    if child == 0:  # a copy of this process, alive until the pipe closes
        os.close(release)
        os.read(held, 1)
        os._exit(0)
    os.close(held)
    try:
        assert not bench._same_memory(child, os.getpid())
    finally:
        os.close(release)
        os.waitpid(child, 0)


def test_a_spawning_process_is_counted_once():
    big = bytearray(300 * 2**20)
    for page in range(0, len(big), 4096):  # resident, not only reserved
        big[page] = 1
    alone = bench._tree_rss(os.getpid())
    peak, stop = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, bench._tree_rss(os.getpid()))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for _ in range(300):
            subprocess.run(["/bin/true"], check=True)
    finally:
        stop.set()
        sampler.join()
    assert peak < alone + 200 * 2**20  # never the 300 MB twice


def test_the_folder_speed_probe_is_set_aside_not_removed(tmp_path):
    """Removed at the benchmark's end, not before a phase that makes files (see the module's docstring)."""
    seconds = bench.folder_speed(tmp_path)
    assert 0 < seconds < 60
    assert [path.name for path in tmp_path.iterdir()] == [bench.SET_ASIDE]
    [probe] = (tmp_path / bench.SET_ASIDE).iterdir()
    assert len(list(probe.iterdir())) == bench.FOLDERS


def test_rounds_are_summed_up_as_medians_with_the_largest_peaks_and_any_failure():
    samples = [
        ("gongkai check (cold)", 9.0, 300.0, 0, 310.0),
        ("gongkai build (full)", 30.0, 400.0, 0, 900.0),
        ("bare: mkdocs build (Material)", 20.0, 180.0, 0, 180.0),
        ("gongkai build (full)", 24.0, 420.0, 0, 850.0),
        ("bare: mkdocs build (Material)", 17.0, 190.0, 0, 190.0),
        ("gongkai build (full)", 26.0, 410.0, 1, 870.0),
        ("bare: mkdocs build (Material)", 18.0, 185.0, 0, 185.0),
    ]
    assert bench.summarise(samples) == [
        ("gongkai check (cold)", 9.0, 300.0, 0, 310.0),
        ("gongkai build (full)", 26.0, 420.0, 1, 900.0),
        ("bare: mkdocs build (Material)", 18.0, 190.0, 0, 190.0),
    ]


def test_rounds_must_be_at_least_one(tmp_path):
    import sys
    from pathlib import Path

    root = Path(bench.__file__).resolve().parents[1]
    for bad in ("0", "-1", "x", "1.5", "٣", " 3 ", ""):
        done = subprocess.run([sys.executable, "-m", "scripts.bench", "--rounds", bad, "--items", "10"], cwd=root,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "at least 1" in done.stderr and "Traceback" not in done.stderr, bad
    assert bench.rounds_count("2") == 2


def test_a_benchmark_whose_code_changes_under_it_stops(monkeypatch):
    """Every cache is keyed by gongkai's code: a build after an edit is a cold build, and the next round starts from
    caches of other code. A benchmark that goes on measures nothing; it stops and says so."""
    bench.same_code("gongkai check (cold)")  # the code it began with
    monkeypatch.setattr(bench, "package_digest", lambda: b"edited")
    with pytest.raises(SystemExit, match="changed during the benchmark.*gongkai build"):
        bench.same_code("gongkai build (full)")


def test_every_phase_is_timed_once_the_disk_has_written_back_what_came_before(tmp_path, monkeypatch):
    events: list[str] = []
    monkeypatch.setattr(bench.os, "sync", lambda: events.append("sync"))

    def measured(command: list[str], cwd, env=None) -> tuple[float, float, int, float]:
        events.append(command[-1])
        return 1.0, 1.0, 0, 1.0

    monkeypatch.setattr(bench, "measure", measured)
    bench.run(3, tmp_path)
    assert len(events) >= 14 and events[0::2] == ["sync"] * (len(events) // 2)
    assert "sync" not in events[1::2]


def test_a_machine_without_the_browser_is_told_before_any_work(tmp_path):
    """The search phase drives Chromium: without it the bench stops at once with what to run, not after the builds."""
    import sys
    from pathlib import Path

    root = Path(bench.__file__).resolve().parents[1]
    env = dict(os.environ, GONGKAI_CHROMIUM=str(tmp_path / "no-chromium"))
    work = tmp_path / "work"
    done = subprocess.run([sys.executable, "-m", "scripts.bench", "--items", "10", "--keep", str(work)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "scripts/setup.sh --bench" in done.stderr and "--no-search" in done.stderr
    assert "Traceback" not in done.stderr and not (work / "site-10").exists()
    alone = subprocess.run([sys.executable, str(root / "scripts" / "search_quality.py"), "--items", "10"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=120)
    assert alone.returncode == 2 and "scripts/setup.sh --bench" in alone.stderr and "Traceback" not in alone.stderr
