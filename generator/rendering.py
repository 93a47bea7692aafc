"""Markdown → HTML with exactly the site's Markdown extensions, for `gongkai check` and the build.

MkDocs renders a page with `markdown.Markdown(extensions=config.markdown_extensions,
extension_configs=config.mdx_configs)` plus its own tree processors, which only rewrite relative
link targets and read anchors and titles. `Settings.markdown` holds those same names and configs, so
a `Renderer` built from it produces the HTML the build produces, except for the rewritten
(still relative) link targets. The policy added here, in one place for both: tables align
cells with the `align` attribute instead of inline `style` (which the sanitiser removes), and
footnote back-links carry a Chinese title. Both add `plain_inline.PlainTextInline`, which only
makes plain text cheaper (same HTML).

Rendering costs ≈ 0.4 ms for a 1,400-character item; `body_views` keeps what the checks read of
it on disk by a hash of the Markdown, the extension config and the code, so a second `gongkai check`
(and the check inside `gongkai build`) renders only what changed.
"""

from __future__ import annotations

# `signal.signal` is written in Python (it turns numbers into enums), and a handler may run inside it: these deadlines
# set their handler with the function it wraps, written in C (see `_QUIET`).
import _signal
import contextlib
import ctypes
import heapq
import itertools
import json
import operator
import os
import queue
import signal
import sys
import threading
import time
from dataclasses import replace
from types import FrameType

import markdown

from . import memory_budget
from .html_budget import HtmlBudget, TooLarge, too_deep
from .plain_inline import PlainTextInline
from .settings import MarkdownOptions

# Python-Markdown's tables extension writes `style="text-align: …"` unless told otherwise.
ALIGN = {"use_align_attribute": True}
# The footnotes' back-link tooltip is English unless told otherwise; a site's own setting wins.
FOOTNOTES_CHINESE = {"BACKLINK_TITLE": "返回正文中第 %d 个脚注处"}


def site_markdown(options: MarkdownOptions) -> MarkdownOptions:
    """The options the build and the check both render with: the site's, tables aligned by attribute,
    footnote back-links titled in Chinese."""
    configs = {key: dict(value) for key, value in options.configs.items()}
    for name in options.extensions:
        short = name.removeprefix("markdown.extensions.")
        if short == "tables":
            configs[name] = {**configs.get(name, {}), **ALIGN}
        elif short == "footnotes":
            configs[name] = {**FOOTNOTES_CHINESE, **configs.get(name, {})}
    return replace(options, configs=configs)


def fingerprint(options: MarkdownOptions) -> str:
    """The extension names and configs as text (configs hold only plain YAML values)."""
    return json.dumps([list(options.extensions), options.configs], sort_keys=True, ensure_ascii=False, default=repr)


class TooDeep(ValueError):
    """Markup nested deeper than Python-Markdown can follow (it recurses once per level of lists, HTML blocks and
    the like, and a hostile body of a few kilobytes exhausts Python's stack), or HTML nested deeper than a browser
    builds it (html_budget.too_deep)."""


class Unrenderable(ValueError):
    """An extension that failed on this body ("TypeError: …"): its own code, on a text its settings' probe did not
    hold (`render_failure`), failed on every command that read the body, with no file named."""


class TooSlow(ValueError):
    """Markup that takes Python-Markdown longer than `RENDER_SECONDS` (some inline patterns cost time
    quadratic in a paragraph's length: 40 KB of `[` take most of a minute)."""


# A 1,400-character notice renders in about a millisecond and a 1 MB one in well under a second; a body
# still rendering after this long is hostile, and the check says so instead of waiting for it.
RENDER_SECONDS = 10.0
# Once the bodies that ran out of time have taken this long in one process, each later body has LATE_SECONDS: a check
# that already fails (GK509) does not wait ten seconds more for every further such body (100 of them took 17 minutes,
# 1,000 would outlast a CI job, and with it every takedown behind it).
SLOW_BUDGET_SECONDS = 60.0
LATE_SECONDS = 1.0
# How soon a deadline's exception is raised again while its block still runs (see `deadline`).
REPEAT_SECONDS = 0.1
# How long after its time a deadline's repeat waits while the thread still handles its error (see `_ending_with`).
UNWIND_SECONDS = 1.0


def deadline(seconds: float, error: type[BaseException] = TooSlow) -> contextlib.AbstractContextManager[None]:
    """`error` (TooSlow) if the block runs longer than `seconds`, in whichever thread it runs: the check's
    main thread by SIGALRM, a preview's watcher and request threads by an exception that one thread watching them all
    posts to the thread (PyThreadState_SetAsyncExc). Either arrives between two bytecodes, which is
    where Python-Markdown's slow patterns spend their time (Python loops over short regex calls).

    It arrives again every REPEAT_SECONDS until the block has ended: raised inside a destructor or a garbage
    collector's callback that happened to run then, Python reports the exception as unraisable and goes on, and a
    block that was to be stopped ran to its end (a scan of 35 s past its 2 s). A block that ends without it after it
    came ends with it all the same: code that catches what it raises (Python-Markdown's tables catch ValueError, which
    TooSlow is) went on differently, and what it made is not what the block makes in its time.

    Inside another deadline (a body rendered while its file is scanned), the earlier of the two ends the block, with
    its own error: a file's scans stopped while its body renders are the scans' timeout (GK548), not the rendering's
    (GK509)."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _Alarm(seconds, error)
    return _Posted(seconds, error)


class _Alarm:
    """A deadline of the main thread. Its error is never raised while a deadline begins or ends (`_QUIET`): raised
    there, it left that deadline's handler and timer behind, which raised its error again every REPEAT_SECONDS in
    whatever the process ran next (a test run failed in tests that never set a deadline, and in pytest's own report)."""

    def __init__(self, seconds: float, error: type[BaseException]) -> None:
        self.seconds, self.error = seconds, error
        self.ends, self.fired = 0.0, False

    def __enter__(self) -> None:
        self.ends = time.monotonic() + self.seconds
        _ALARMS.begin(self)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: object) -> None:
        _ALARMS.end(self)
        if self.fired and kind is None:  # came, and was swallowed: the block ended, perhaps otherwise than it would have
            raise self.error


class _Alarms:
    """The main thread's deadlines, outermost first, and the SIGALRM handler and timer they share while any runs
    (put back as they were once none does)."""

    def __init__(self) -> None:
        self.running: list[_Alarm] = []
        self.previous: object = signal.SIG_DFL

    def begin(self, alarm: _Alarm) -> None:
        if not self.running:
            self.previous = _signal.signal(signal.SIGALRM, self.expire)
        self.running.append(alarm)
        self.arm()

    def end(self, alarm: _Alarm) -> None:
        self.running.remove(alarm)
        if self.running:
            self.arm()
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _signal.signal(signal.SIGALRM, self.previous)

    def arm(self) -> None:
        soonest = min(map(_ENDS, self.running))
        signal.setitimer(signal.ITIMER_REAL, max(soonest - time.monotonic(), 0.001), REPEAT_SECONDS)

    def expire(self, signum: int, frame: FrameType | None) -> None:
        if frame is not None and frame.f_code in _QUIET:
            return  # the timer repeats; by then the deadline has begun, or ended
        now = time.monotonic()
        for alarm in self.running:  # the outermost whose time is up: its time ended all that runs inside it
            if alarm.ends <= now:
                if _ending_with(alarm.error, sys.exc_info()[1], now - alarm.ends):
                    return
                alarm.fired = True
                raise alarm.error
        self.arm()  # a timer may come a little before the monotonic clock says it is time


def _ending_with(error: type[BaseException], handled: BaseException | None, overdue: float) -> bool:
    """Whether a deadline's repeat waits: the thread is handling its error (in an except or finally clause, or an
    `__exit__` the error passes through), which is the block ending with it. Raised there, it cut that short: an
    ExitStack's `__exit__`, cut short, never ended the deadline it held. Not for longer than UNWIND_SECONDS, for code
    that catches the error and goes on inside its except clause."""
    return isinstance(handled, error) and overdue < UNWIND_SECONDS


_ENDS = operator.attrgetter("ends")
_ALARMS = _Alarms()
# Python's signal handlers run between two bytecodes of the main thread, in whichever of its functions runs then: none
# of these calls a function written in Python, so while they run, `frame` is one of them. A memory cap set up or
# lifted inside a deadline (a template's render) is as much a part of the block's beginning and end: cut short there,
# the cap stayed on for the rest of the process.
_MEMORY_CAP = (memory_budget.capped.__enter__, memory_budget.capped.__exit__, memory_budget._cap, memory_budget._held)
_QUIET = frozenset(function.__code__ for function in (_Alarm.__enter__, _Alarm.__exit__, _Alarms.begin, _Alarms.end,
                                                       _Alarms.arm, _Alarms.expire, *_MEMORY_CAP))


class _Withdrawn(BaseException):
    """Posted by a thread to itself, and raised at once, to take back what its deadline posted (`_withdraw`)."""


def _withdraw(thread: ctypes.c_ulong) -> None:
    """Take back what a deadline posted to the calling thread, raised or not. Not by posting None: CPython 3.11 then
    keeps its interpreter-wide "an exception is posted" flag set, which only raising a posted exception clears, and
    every thread checked for one at every loop and call from then on; under sys.settrace a function's first instruction
    was retried for ever (a test run hung at a call after a preview thread's deadline). So an exception of our own
    takes its place and is raised here (as the call returns, or at the loop's first backward jump)."""
    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(_Withdrawn))
        for _ in range(1_000_000):
            pass
    except _Withdrawn:
        pass


class _Posted:
    """A deadline of any other thread: `_WATCHER` posts the error to the thread when its time is up. A posted exception
    can't be taken back (see `_withdraw`), so none is posted while the thread begins or ends a deadline
    (`_POSTED_QUIET`; the GIL keeps the thread where the watcher saw it until the watcher has posted), and the thread
    takes back, as the deadline ends, one posted and not yet raised."""

    def __init__(self, seconds: float, error: type[BaseException]) -> None:
        self.seconds, self.error = seconds, error
        self.thread = ctypes.c_ulong(threading.get_ident())
        self.guard = threading.Lock()
        self.ends, self.done, self.posted = 0.0, False, False

    def __enter__(self) -> None:
        self.ends = time.monotonic() + self.seconds
        _WATCHER.watch(self, self.ends)

    def expire(self) -> bool:
        """Post the error to the thread unless the deadline has ended; whether to come again (see `deadline`)."""
        with self.guard:
            if self.done:
                return False
            frame = sys._current_frames().get(self.thread.value)
            if frame is None:  # the thread has ended
                return False
            handled = sys._current_exceptions().get(self.thread.value, (None, None, None))[1]
            if frame.f_code not in _POSTED_QUIET and not _ending_with(self.error, handled, time.monotonic() - self.ends):
                self.posted = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(self.thread, ctypes.py_object(self.error))
            return True

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: object) -> None:
        # A posted exception may surface here too, between two bytecodes: `done` must be set whatever arrives
        # meanwhile, or the repeats go on posting into this thread's later code for ever (a test run hung for hours).
        while True:
            try:
                with self.guard:
                    self.done = True  # the watcher sees it and posts nothing more
                    if self.posted:  # perhaps not raised yet: it must not surface in the caller's later code
                        _withdraw(self.thread)
                break
            except self.error:
                continue
        if self.posted and kind is None:  # came, or was about to: as `_Alarm`, the block ends with it
            raise self.error


class _Watcher:
    """One thread that posts every other thread's deadlines when their time is up. Not a timer thread for each: a
    thread started by the deadline's own thread has that thread's identity until it runs, and an exception posted to
    the one went to the other (an outer deadline's, into the inner deadline's timer, which then never fired)."""

    def __init__(self) -> None:
        self.inbox: queue.SimpleQueue[tuple[float, _Posted]] = queue.SimpleQueue()
        self.started = threading.Lock()
        self.running = False

    def watch(self, deadline: _Posted, at: float) -> None:
        with self.started:
            if not self.running:
                threading.Thread(target=self._run, name="gongkai-deadlines", daemon=True).start()
                self.running = True
        self.inbox.put((at, deadline))

    def _run(self) -> None:
        due: list[tuple[float, int, _Posted]] = []
        order = itertools.count()
        while True:
            wait = max(due[0][0] - time.monotonic(), 0.0) if due else None
            with contextlib.suppress(queue.Empty):
                at, deadline = self.inbox.get(timeout=wait)
                heapq.heappush(due, (at, next(order), deadline))
            while due and due[0][0] <= time.monotonic():
                _, _, deadline = heapq.heappop(due)
                if deadline.expire():
                    heapq.heappush(due, (time.monotonic() + REPEAT_SECONDS, next(order), deadline))



def _watch_anew() -> None:
    """A forked child has none of its parent's threads, the watcher's neither."""
    global _WATCHER
    _WATCHER = _Watcher()


_WATCHER = _Watcher()
os.register_at_fork(after_in_child=_watch_anew)
_POSTED_QUIET = frozenset(function.__code__ for function in (_Posted.__enter__, _Posted.__exit__, _Watcher.watch, _withdraw,
                                                              *_MEMORY_CAP))


class Renderer:
    """One reused Python-Markdown instance with the site's extensions (not thread-safe: one per thread)."""

    def __init__(self, options: MarkdownOptions) -> None:
        self.options = site_markdown(options)
        self._markdown = self._instance()
        self._slow_spent = 0.0  # seconds taken by the bodies that ran out of time

    def render(self, text: str) -> str:
        """The HTML of `text`, as the build renders it (before the sanitiser); TooDeep when its
        nesting is too deep to render, TooSlow when it takes longer than RENDER_SECONDS (LATE_SECONDS once earlier
        bodies ran out of time for SLOW_BUDGET_SECONDS), TooLarge when its
        HTML would be longer than html_budget.HTML_CHARS or hold more than html_budget.MAX_ELEMENTS elements;
        Unrenderable when an extension fails on it."""
        self._markdown.reset()
        seconds = RENDER_SECONDS if self._slow_spent < SLOW_BUDGET_SECONDS else LATE_SECONDS
        try:
            with deadline(seconds):
                html = self._markdown.convert(text)
            if too_deep(html):
                raise TooDeep
            return html
        except RecursionError:
            self._markdown.reset()
            raise TooDeep from None
        except TooSlow:
            self._slow_spent += seconds
            self._markdown.reset()
            raise
        except TooLarge:
            self._markdown.reset()
            raise
        except (TooDeep, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 — an extension's own code, whatever it raises
            self._markdown = self._instance()  # one that failed midway may keep state the next body would render with
            raise Unrenderable(f"{type(exc).__name__}: {exc}"[:300]) from None

    def _instance(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=[*self.options.extensions, PlainTextInline(), HtmlBudget()],
                                 extension_configs=self.options.configs)

    def headings(self) -> list:
        """The headings of the text rendered last, as the toc extension lists them (MkDocs' page.toc)."""
        return list(getattr(self._markdown, "toc_tokens", []))


# Every construct an item body commonly holds, so an extension option that loads but fails while rendering (codehilite's
# `pygments_style: 不存在的样式` fails on the first code block) is found when mkdocs.yml is read, not as an internal
# error on whichever item first holds one.
PROBE_BODY = """# 标题 {#probe}

*强调* **加粗** `代码` [链接](https://example.gov.cn/ "标题") ![图](a.png) <abbr title="x">HTML</abbr> -- "引号"

> 引用

- 列表
    1. 子项

| 甲 | 乙 |
|:---|---:|
| 1 | 2 |

```python
print("代码块")
```

    缩进的代码块

术语
:   定义

!!! note "提示"
    提示内容

??? note "详情"
    折叠的内容

=== "甲"
    标签页内容

- [ ] 待办 ==标记== ^^插入^^ ~~删除~~ H~2~O x^2^ ++ctrl+c++ {++增加++} :smile: $x$ (c) 1/2 -->
- [x] 已办 `#!python print(1)` @someone #1

脚注[^1]。[[维基链接]]

*[HTML]: 超文本

[^1]: 脚注内容。
"""


def render_failure(options: MarkdownOptions) -> tuple[str, str] | None:
    """(extension, "Error: message") of an extension in `options` whose settings fail to render PROBE_BODY (the first
    such when rendered alone; the last in the list when only their combination fails), or None when it renders."""
    failed = _failure(options)
    if failed is None:
        return None
    for name in options.extensions:
        alone = _failure(MarkdownOptions((name,), {name: options.configs[name]} if name in options.configs else {}))
        if alone is not None:
            return name, alone
    return options.extensions[-1], failed


def _probe(options: MarkdownOptions) -> str:
    """PROBE_BODY, and the words the options name as keys of a mapping (abbr's glossary, pymdownx.keys' key_map): an
    option keyed on a word acts only on a body holding it (`glossary: {"2026": 1}` failed on every item with a year),
    so each is written out as a word, a key and an emoji would be."""
    words: list[str] = []

    def collect(value: object, depth: int) -> None:
        if isinstance(value, dict) and depth < 4:
            for key, inner in value.items():
                words.append(str(key))
                collect(inner, depth + 1)
        elif isinstance(value, list | tuple) and depth < 4:
            for inner in value:
                collect(inner, depth + 1)

    for config in options.configs.values():
        for value in config.values():
            collect(value, 0)
    named = [word for word in dict.fromkeys(words) if word.strip() and "\n" not in word][:2_000]
    return PROBE_BODY + "".join(f"\n{word} ++{word}++ :{word}:\n" for word in named)


def _failure(options: MarkdownOptions) -> str | None:
    try:
        Renderer(options).render(_probe(options))
    except Unrenderable as exc:  # already "TypeError: …"
        return str(exc)
    except Exception as exc:  # noqa: BLE001 — an extension's own code, whatever it raises
        return f"{type(exc).__name__}: {exc}"
    return None
