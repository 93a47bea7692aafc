"""progress: phase lines without a terminal, live bars on one; counts never pass the total."""

from __future__ import annotations

import io

from gongkai.progress import Meter


def test_without_a_terminal_a_task_prints_its_start_every_step_and_its_end():
    lines: list[str] = []
    meter = Meter(lines.append)
    with meter.shown():
        meter.start("pages", "生成页面", 5, step=2)
        for _ in range(7):  # more steps than the total: the count stops at it
            meter.advance("pages")
        meter.line("搜索索引：完成")
        meter.finish("pages")
    assert lines[0] == "生成页面：共 5 个"
    assert [line.split("（")[0] for line in lines[1:]] == ["生成页面：2/5", "生成页面：4/5", "搜索索引：完成", "生成页面：5/5"]


def test_a_task_never_started_or_already_finished_is_ignored():
    lines: list[str] = []
    meter = Meter(lines.append)
    meter.advance("shards")
    meter.finish("shards")
    assert lines == []


def test_on_a_terminal_bars_show_count_elapsed_and_remaining():
    stream = io.StringIO()
    meter = Meter(lambda _line: None, live=True, stream=stream)
    with meter.shown():
        meter.start("shards", "搜索索引（分片）", 3)
        meter.advance("shards")
        meter.line("沿用上次生成的页面：0/3 个")
        meter.finish("shards")
    shown = stream.getvalue()
    assert "沿用上次生成的页面：0/3 个" in shown
    assert "搜索索引（分片）" in shown and "3/3" in shown and "已用" in shown and "剩余" in shown


def test_a_pipe_is_not_a_terminal():
    lines: list[str] = []
    meter = Meter.for_terminal(lines.append, io.StringIO())
    meter.start("pages", "生成页面", 1)
    assert lines == ["生成页面：共 1 个"]


def test_on_a_terminal_a_line_is_shown_as_written():
    """Above the bars, a message quoting content (a link MkDocs warns about) keeps `:cross_mark:` as written and
    shows an ESC sequence as an escape; the bars themselves draw on the terminal."""
    stream = io.StringIO()
    meter = Meter(lambda _line: None, live=True, stream=stream)
    with meter.shown():
        meter.line("链接 ':cross_mark:a.md' \x1b]0;标题\x07 找不到")
    shown = stream.getvalue()
    assert ":cross_mark:a.md" in shown and "❌" not in shown
    assert "\\x1b]0;标题\\x07" in shown and "\x07" not in shown
