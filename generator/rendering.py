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

import contextlib
import ctypes
import json
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from types import FrameType

import markdown

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


@contextlib.contextmanager
def deadline(seconds: float, error: type[BaseException] = TooSlow) -> Iterator[None]:
    """`error` (TooSlow) if the block runs longer than `seconds`, in whichever thread it runs: the check's
    main thread by SIGALRM, a preview's watcher and request threads by an exception the timer
    posts to the thread (PyThreadState_SetAsyncExc). Either arrives between two bytecodes, which is
    where Python-Markdown's slow patterns spend their time (Python loops over short regex calls).

    It arrives again every REPEAT_SECONDS until the block has ended: raised inside a destructor or a garbage
    collector's callback that happened to run then, Python reports the exception as unraisable and goes on, and a
    block that was to be stopped ran to its end (a scan of 35 s past its 2 s). A block that ends without it after it
    came ends with it all the same: code that catches what it raises (Python-Markdown's tables catch ValueError, which
    TooSlow is) went on differently, and what it made is not what the block makes in its time."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds, error):
            yield
    else:
        with _posted(seconds, error):
            yield


@contextlib.contextmanager
def _alarm(seconds: float, error: type[BaseException]) -> Iterator[None]:
    started, outer, ending, fired = time.monotonic(), 0.0, False, False

    def expire(signum: int, frame: FrameType | None) -> None:
        # The outer deadline's time, not this one's: its own error (a file's scans stopped while its body renders are
        # the scans' timeout, GK548, not the rendering's GK509). Not while this block ends: its handler is put back
        # first, and the outer timer, set again, fires at once.
        nonlocal fired
        if not ending and outer and outer < seconds and time.monotonic() - started < seconds and callable(previous):
            previous(signum, frame)
        fired = True
        raise error

    previous = signal.signal(signal.SIGALRM, expire)
    # Inside another deadline (a body rendered while a template renders), the earlier of the two ends it; the
    # outer one's timer runs on afterwards with what is left of it.
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
    if outer and outer < seconds:
        signal.setitimer(signal.ITIMER_REAL, outer, REPEAT_SECONDS)
    try:
        yield
    finally:
        ending = True
        # An alarm already delivered raises at the next bytecode, here too: the handler must be put back whatever
        # arrives meanwhile, or its repeats go on raising in whatever code runs next (a test run hung for hours).
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except error:
                continue
        if outer:  # its handler is back: it fires at once if its time ran out meanwhile
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001), REPEAT_SECONDS)
    if fired:  # came, and was swallowed: the block ended all the same, perhaps otherwise than it would have
        raise error


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


@contextlib.contextmanager
def _posted(seconds: float, error: type[BaseException]) -> Iterator[None]:
    thread = ctypes.c_ulong(threading.get_ident())
    guard = threading.Lock()
    state = {"done": False, "posted": False}

    def expire() -> None:
        with guard:
            if state["done"]:
                return
            state["posted"] = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(error))
            again = threading.Timer(REPEAT_SECONDS, expire)  # should this one be swallowed (see `deadline`)
            again.daemon = True
            again.start()

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        # A posted exception may surface here too, between two bytecodes: `done` must be set whatever arrives
        # meanwhile, or the repeats go on posting into this thread's later code for ever (a test run hung for hours).
        while True:
            try:
                with guard:
                    state["done"] = True  # a repeat already started sees it and posts nothing
                    if state["posted"]:  # perhaps not raised yet: it must not surface in the caller's later code
                        _withdraw(thread)
                break
            except error:
                continue
        timer.cancel()
    if state["posted"]:  # came, or was about to: as `_alarm`, the block ends with it
        raise error


class Renderer:
    """One reused Python-Markdown instance with the site's extensions (not thread-safe: one per thread)."""

    def __init__(self, options: MarkdownOptions) -> None:
        self.options = site_markdown(options)
        self._markdown = markdown.Markdown(extensions=[*self.options.extensions, PlainTextInline(), HtmlBudget()],
                                           extension_configs=self.options.configs)
        self._slow_spent = 0.0  # seconds taken by the bodies that ran out of time

    def render(self, text: str) -> str:
        """The HTML of `text`, as the build renders it (before the sanitiser); TooDeep when its
        nesting is too deep to render, TooSlow when it takes longer than RENDER_SECONDS (LATE_SECONDS once earlier
        bodies ran out of time for SLOW_BUDGET_SECONDS), TooLarge when its
        HTML would be longer than html_budget.HTML_CHARS or hold more than html_budget.MAX_ELEMENTS elements."""
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


def _failure(options: MarkdownOptions) -> str | None:
    try:
        Renderer(options).render(PROBE_BODY)
    except Exception as exc:  # noqa: BLE001 — an extension's own code, whatever it raises
        return f"{type(exc).__name__}: {exc}"
    return None
