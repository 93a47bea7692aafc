"""rendering: the site's Markdown extensions, tables aligned by attribute."""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path

import pytest

from gongkai import rendering
from gongkai.rendering import Renderer, site_markdown
from gongkai.settings import MarkdownOptions
from gongkai.site_config import load_settings

ROOT = Path(__file__).resolve().parents[1]
TABLE = "| 乡镇 | 户数 |\n|:---|---:|\n| 禾丰镇 | 16 |\n"


def test_the_sample_sites_extensions_are_rendered():
    options = load_settings(ROOT).markdown
    assert {"toc", "tables", "fenced_code", "sane_lists", "footnotes"} <= set(options.extensions)
    html = Renderer(options).render("## 一、概况\n\n正文[^1]。\n\n[^1]: 注释。\n\n" + TABLE)
    assert '<h2 id="_1">一、概况</h2>' in html
    assert 'class="footnote-ref"' in html and '<li id="fn:1">' in html
    assert '<th align="left">乡镇</th>' in html and '<td align="right">16</td>' in html
    assert "style=" not in html
    assert 'title="返回正文中第 1 个脚注处"' in html and "Jump back" not in html


def test_a_sites_own_footnote_title_wins():
    options = MarkdownOptions(("footnotes",), {"footnotes": {"BACKLINK_TITLE": "回到第 %d 处"}})
    assert site_markdown(options).configs["footnotes"] == {"BACKLINK_TITLE": "回到第 %d 处"}


def test_tables_align_by_attribute_whatever_the_site_configures():
    options = MarkdownOptions(("tables",), {"tables": {"use_align_attribute": False}})
    assert site_markdown(options).configs["tables"] == {"use_align_attribute": True}
    assert options.configs["tables"] == {"use_align_attribute": False}  # the settings are left as they were
    assert site_markdown(MarkdownOptions(("toc",), {})) == MarkdownOptions(("toc",), {})


def test_one_instance_renders_documents_independently():
    renderer = Renderer(MarkdownOptions(("toc", "footnotes"), {}))
    first = renderer.render("## 甲\n\n正文[^a]\n\n[^a]: 注。\n")
    second = renderer.render("## 乙\n")
    assert second == '<h2 id="_1">乙</h2>'  # no footnotes or heading ids carried over
    assert renderer.render("## 甲\n\n正文[^a]\n\n[^a]: 注。\n") == first


SLOW = "第一段。\n\n" + "[" * 20000 + "文字" + "]" * 20000 + "\n"  # quadratic in Python-Markdown: most of a minute


def _in_thread(work):
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the deadline did not stop the rendering"
    return outcome


def test_a_body_past_the_deadline_is_too_slow_in_any_thread(monkeypatch):
    """The preview renders in its watcher and request threads, where no signal arrives."""
    monkeypatch.setattr(rendering, "RENDER_SECONDS", 0.3)
    renderer = rendering.Renderer(MarkdownOptions())
    assert isinstance(_in_thread(lambda: renderer.render(SLOW))["error"], rendering.TooSlow)
    assert "<p>快</p>" in _in_thread(lambda: renderer.render("快"))["value"]  # and the renderer still works


def test_a_deadline_not_reached_never_fires_later():
    def quick_then_busy() -> int:
        with rendering.deadline(0.05):
            pass
        total = 0
        for step in range(3_000_000):  # pure bytecode, well past the deadline that no longer applies
            total += step
        return total

    assert _in_thread(quick_then_busy) == {"value": sum(range(3_000_000))}


def _busy() -> None:
    while True:  # pure bytecode: only a deadline ends it
        pass


def test_a_deadline_inside_another_keeps_the_outer_one():
    """A body rendered while a template renders: the inner deadline ends, and the outer one still stops what follows
    (the inner one used to switch the outer timer off, so a looping template after it ran for ever)."""
    with pytest.raises(rendering.TooSlow), rendering.deadline(0.3):
        with rendering.deadline(30):
            pass
        _busy()


def test_the_earlier_of_two_nested_deadlines_ends_the_work():
    with pytest.raises(rendering.TooSlow), rendering.deadline(0.3), rendering.deadline(30):
        _busy()
    with rendering.deadline(30):
        with pytest.raises(rendering.TooSlow), rendering.deadline(0.3):
            _busy()
        assert sum(range(1000)) == 499500  # the outer one has not fired


class _FileTooSlow(BaseException):
    """An outer deadline's own error, as a file's scans set one around the rendering of its body."""


def _outer_ends_inner() -> None:
    with rendering.deadline(0.3, _FileTooSlow), rendering.deadline(30):
        _busy()


def test_an_outer_deadline_ends_an_inner_one_with_its_own_error():
    """A body rendered within its file's scanning time: the file's time ran out, not the rendering's (which would be
    GK509, and charged 10 s to the rendering's budget), in the check's main thread and in the preview's threads alike."""
    with pytest.raises(_FileTooSlow):
        _outer_ends_inner()
    assert isinstance(_in_thread(_outer_ends_inner)["error"], _FileTooSlow)
    with pytest.raises(rendering.TooSlow), rendering.deadline(30, _FileTooSlow), rendering.deadline(0.3):
        _busy()  # the inner one's own time: its own error


def test_once_bodies_ran_out_of_time_for_the_budget_later_ones_wait_less(monkeypatch):
    """A check that already fails (GK509) does not give every further hostile body the full wait: 100 of them took
    17 minutes, 1,000 would outlast a CI job. Each body is still refused; an ordinary one still renders."""
    import time

    monkeypatch.setattr(rendering, "RENDER_SECONDS", 0.4)
    monkeypatch.setattr(rendering, "SLOW_BUDGET_SECONDS", 0.5)
    monkeypatch.setattr(rendering, "LATE_SECONDS", 0.05)
    renderer = Renderer(MarkdownOptions())
    hostile = "[" * 200_000
    waits = []
    for _ in range(4):
        started = time.monotonic()
        with pytest.raises(rendering.TooSlow):
            renderer.render(hostile)
        waits.append(time.monotonic() - started)
    assert waits[0] >= 0.4 and waits[1] >= 0.4  # the full wait until 0.8 s were spent past the 0.5 s budget
    assert max(waits[2:]) < 0.4
    assert renderer.render("一段正文。") == "<p>一段正文。</p>"


class _SpinsWhenCollected:
    """Busy past a deadline in its destructor, where Python can only report an exception as unraisable."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __del__(self) -> None:
        import time

        end = time.monotonic() + self.seconds
        while time.monotonic() < end:
            pass


def _deadline_swallowed_first() -> None:
    with rendering.deadline(0.1):
        _SpinsWhenCollected(0.4)  # the deadline passes inside its destructor
        _SpinsWhenCollected(5).__del__()  # not a destructor here: ended by the deadline raised again


def test_a_deadline_swallowed_by_a_destructor_still_ends_the_block(monkeypatch):
    """A garbage collector's callback or a destructor that happens to run when the deadline passes swallows its
    exception (a 2 s scan ran its 35 s to the end under a test runner's callback); the deadline raises again.

    The swallowed ones go to a hook that only counts them: the test runner's own hook formats a traceback and imports
    modules, long enough for a repeat to land inside it (CI failed so once)."""
    swallowed: list[type[BaseException] | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable.exc_type))
    with pytest.raises(rendering.TooSlow):
        _deadline_swallowed_first()
    outcome = _in_thread(_deadline_swallowed_first)
    assert isinstance(outcome["error"], rendering.TooSlow)
    assert swallowed and set(swallowed) == {rendering.TooSlow}


def _deadline_caught_then_done() -> str:
    with rendering.deadline(0.05):
        with contextlib.suppress(ValueError):  # as Python-Markdown's tables catch it, and go on otherwise
            _busy()
        return "made otherwise"  # well before the deadline's repeat


def test_a_deadline_caught_inside_its_block_still_ends_the_block():
    """Code that catches what a deadline raises (TooSlow is a ValueError, which Python-Markdown's tables catch) goes on
    otherwise than it would have, and may end before the deadline comes again: what it made is not what the block
    makes in its time, so the block ends with the deadline's error all the same, in any thread (rt36)."""
    with pytest.raises(rendering.TooSlow):
        _deadline_caught_then_done()
    assert isinstance(_in_thread(_deadline_caught_then_done).get("error"), rendering.TooSlow)


def _code(function: object) -> object:
    return getattr(function, "__func__", function).__code__  # type: ignore[attr-defined]


_Left = tuple[object, tuple[float, float]]  # SIGALRM's handler, the timer


def _deadlines_ended_by_an_alarm_at_every_call(nested: bool) -> tuple[_Left, _Left]:
    """Blocks ended by their deadline, its alarm then coming again at every call of a function written in Python (as
    a repeat may, at whichever such call runs then) until they have ended; what they leave behind once the frames it
    came in are let go: SIGALRM's handler and the timer."""
    import signal
    import time

    came_in: list[object] = []  # the traceback of an error raised there keeps these frames, and their objects, as long as it is kept

    def alarm_at_every_call(frame, event: str, arg: object) -> None:
        handler = signal.getsignal(signal.SIGALRM)
        if event == "call" and handler is not before and callable(handler) and frame.f_code is not _code(handler):
            came_in.append(frame)
            handler(signal.SIGALRM, frame)

    before = signal.getsignal(signal.SIGALRM)
    try:
        with pytest.raises(rendering.TooSlow), contextlib.ExitStack() as deadlines:
            if nested:
                deadlines.enter_context(rendering.deadline(30, _FileTooSlow))
            deadlines.enter_context(rendering.deadline(0.01))
            sys.setprofile(alarm_at_every_call)
            time.sleep(5)  # ended by the first alarm, the real one
        sys.setprofile(None)
        came_in.clear()
        left = signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)
    finally:
        sys.setprofile(None)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    return left, (before, (0.0, 0.0))


@pytest.mark.parametrize("nested", [False, True], ids=["alone", "nested"])
def test_an_alarm_as_a_deadline_ends_leaves_nothing_behind(nested):
    """Python runs a signal's handler between two bytecodes of the main thread, wherever it then is: raised as a
    deadline ended, its error left the deadline's handler and timer behind, or put an outer one's back after it had
    ended, and its repeats raised it every 0.1 s in whatever ran next (CI failed in tests that set no deadline, and in
    pytest's own report). A repeat that comes as a deadline begins or ends, or while the block ends with its error (an
    ExitStack's `__exit__` cut short never ended the deadline it held), waits for the next."""
    left, clean = _deadlines_ended_by_an_alarm_at_every_call(nested)
    assert left == clean


def _caught_then_busy_in_its_except_clause() -> float:
    import time

    started = time.monotonic()
    try:
        with rendering.deadline(0.05):
            try:
                _busy()
            except ValueError:  # as Python-Markdown catches what it raises, and goes on there
                _busy()
    except rendering.TooSlow:
        return time.monotonic() - started
    raise AssertionError("not stopped")


def test_code_that_catches_the_deadline_and_goes_on_in_its_except_clause_is_stopped_all_the_same():
    """A repeat waits while the thread handles the deadline's error (the block ending with it), for UNWIND_SECONDS at
    most: hostile markup that keeps the code busy in the except clause costs that second more, not for ever."""
    bound = 0.05 + rendering.UNWIND_SECONDS + 5 * rendering.REPEAT_SECONDS
    assert _caught_then_busy_in_its_except_clause() < bound
    assert _in_thread(_caught_then_busy_in_its_except_clause)["value"] < bound


def _hundred_deadlines() -> int:
    for _ in range(100):
        with rendering.deadline(30):
            pass
    return threading.get_ident()


def test_a_threads_deadlines_start_no_thread_each(monkeypatch):
    """A thread's deadline started a timer thread, which has the identity of the thread that starts it until it runs:
    an outer deadline's error, posted then, went to the inner one's timer, which died of it and never fired (twice in
    8,000 nested deadlines). One thread watches every thread's deadlines."""
    starters: list[int] = []
    start = threading.Thread.start

    def counted(thread: threading.Thread) -> None:
        starters.append(threading.get_ident())
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counted)
    ident = _in_thread(_hundred_deadlines)["value"]
    assert starters.count(ident) <= 1  # the watcher, if no deadline started it before


def test_a_deadline_in_a_thread_leaves_nothing_posted_behind():
    """A thread's deadline took back what it posted by posting None, which left CPython's "an exception is posted"
    flag set for the whole process: under sys.settrace the next function call was retried for ever (a test run hung
    at a call after a preview thread's deadline). Run in a child process, whose hang the timeout ends."""
    import subprocess

    script = (
        "import sys, threading\n"
        "from gongkai import rendering\n"
        "def busy():\n"
        "    try:\n"
        "        with rendering.deadline(0.05):\n"
        "            while True:\n"
        "                pass\n"
        "    except rendering.TooSlow:\n"
        "        print('stopped')\n"
        "worker = threading.Thread(target=busy)\n"
        "worker.start()\n"
        "worker.join()\n"
        "def called():\n"
        "    return 'called'\n"
        "sys.settrace(lambda frame, event, arg: None)\n"
        "print(called())\n"
    )
    try:
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("a call under sys.settrace never returned after a thread's deadline")
    assert result.stdout.split() == ["stopped", "called"], result.stderr
