"""The shared fixtures; the projects they make are in tests/projects.py.

`site` gives a project root with mkdocs.yml and a minimal catalog; `site.item(...)` writes an item
(and by default signs it with the real `gongkai review` code path); `site.check()` runs the real
loader and every check family. `built` is the fixture site of tests/projects.py, built once per
test process with the real `gongkai build`.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.projects import BuiltSite, Project, build, make_project
from tests.review_keys import Keys

# Speed is measured by scripts/bench.py, not by timed tests: Hypothesis's default of 200 ms an example failed a test
# whose first example waited 350 ms on the loaded machine (its retry took 0.15 ms). A test that bounds the time of
# hostile input says so with its own deadline.
settings.register_profile("gongkai", deadline=None)
settings.load_profile("gongkai")


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> Keys:
    return Keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session", autouse=True)
def _private_signature_cache(tmp_path_factory) -> None:
    """The signature cache's secret lives in the user's cache folder: keep the tests' out of $HOME."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


def _process_bounds() -> tuple[object, ...]:
    """What a deadline or a memory cap sets for the whole process while it runs, and must put back."""
    from gongkai import memory_budget

    return (signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL), resource.getrlimit(resource.RLIMIT_AS),
            memory_budget._running)


@pytest.fixture(autouse=True)
def _bounds_put_back() -> Iterator[None]:
    """A test leaves no deadline nor memory cap running: one left behind failed later tests of the same worker, where
    it was nobody's (a deadline's repeats raised in pytest's own report, and crashed the worker)."""
    before = _process_bounds()
    yield
    after = _process_bounds()
    if after != before:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before[0])  # type: ignore[arg-type]
        resource.setrlimit(resource.RLIMIT_AS, before[2])  # type: ignore[arg-type]
        pytest.fail(f"left behind (SIGALRM's handler, the timer, RLIMIT_AS, capped steps): {after}, not {before}")


@pytest.fixture
def site(tmp_path: Path, keys: Keys) -> Project:
    """A small project (two departments, three columns, two reviewers) to write items into and check."""
    return Project(tmp_path / "site", keys)


@pytest.fixture
def git_site(site: Project, monkeypatch) -> Project:
    """The site as a git repository (branch main) and the working folder, for diff, queue and --base; it ignores what
    the checks and builds write, as an agency's repository does (examples/content-repo/.gitignore)."""
    monkeypatch.chdir(site.root)
    shutil.copy(Path(__file__).parents[1] / "examples" / "content-repo" / ".gitignore", site.root / ".gitignore")
    monkeypatch.setenv("GONGKAI_TODAY", "2021-12-31")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    site.git("init", "-q", "-b", "main")
    site.git("config", "user.email", "office@example.invalid")
    site.git("config", "user.name", "办公室")
    return site


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuiltSite:
    """The fixture site built once per test process with the real `gongkai build` (MkDocs, Material, Pagefind)."""
    fixture = make_project(tmp_path_factory.mktemp("project") / "site-project")
    return build(fixture, fixture.root / "site")


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver per test process: a second sync_playwright() while the first runs fails
    ("Sync API inside the asyncio loop"), and pytest-xdist may give one process both browser suites."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def count_git(monkeypatch) -> Callable[[], list[list[str]]]:
    """Call it to list, from then on, the command line of every git process the test starts (a batched read is
    counted, not timed)."""

    def start() -> list[list[str]]:
        started: list[list[str]] = []
        popen = subprocess.Popen

        class Counted(popen):  # type: ignore[misc,valid-type]
            def __init__(self, args, *rest, **kwargs):
                if isinstance(args, list) and args and args[0] == "git":
                    started.append(args)
                super().__init__(args, *rest, **kwargs)

        monkeypatch.setattr(subprocess, "Popen", Counted)
        return started

    return start


@pytest.hookimpl(tryfirst=True)  # before xdist's, which reads the group marks into the tests' ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup` (scripts/test.sh) the tests of a module that share a module-scoped fixture (a built
    site, a served bundle) run on one worker: spread over the workers, each would make that fixture again.
    The `long` tests that share none go first: handed out last, one of them kept a worker busy a minute or more
    after the other had finished."""
    grouped = set()
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is not None and any(defs[-1].scope == "module" for defs in info.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
            grouped.add(item)
    items.sort(key=lambda item: item in grouped or item.get_closest_marker("long") is None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The module fixtures' tests reach xdist as groups: without them in the tests' ids it sends each test to any
    worker and every module fixture is made once a worker. That happened without a word (pytest 9.2 ignores the id
    xdist 3.8 sets; the suite's tests took 1,079 s instead of 726 s): now a worker that meets it stops the run.
    Asked in the worker, which knows which tests have a group (a run of tests that have none is not stopped)."""
    config = session.config
    if not hasattr(config, "workerinput") or not config.getvalue("loadgroup"):  # as the worker is told (xdist.remote)
        return
    grouped = [item.nodeid for item in session.items if item.get_closest_marker("xdist_group") is not None]
    if grouped and not any("@" in nodeid for nodeid in grouped):
        message = "no test reached pytest-xdist with its group (pytest and pytest-xdist disagree: see pyproject.toml)"
        os.write(2, f"\n{message}\n".encode())  # the worker's own stderr is the run's: what the controller says is not
        pytest.exit(message, returncode=3)
