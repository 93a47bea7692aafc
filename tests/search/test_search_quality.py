"""The quality bar, end to end: synthetic notices, the real index, the real page in Chromium."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_a_query_file_is_read_line_by_line_and_sorted_by_kind(quality: ModuleType, tmp_path: Path) -> None:
    file = tmp_path / "held-out.txt"
    file.write_text("\ufeff# 评测方的查询\n危房改造\n\n  镇  \nC级危房\n不存在的词语\n", encoding="utf-8")
    assert [(q.text, q.kind) for q in quality.read_query_file(file)] == [
        ("危房改造", "held-out"), ("镇", "single"), ("C级危房", "mixed"), ("不存在的词语", "held-out"),
    ]


def test_chinese_queries_meet_the_bar(quality: ModuleType, browser: Any, tmp_path: Path) -> None:
    held_out = tmp_path / "held-out.txt"
    held_out.write_text("危房改造\n改造工程\n不存在的词语\n", encoding="utf-8")
    # Several shards, so that results are merged across them and some shards are skipped.
    result = quality.run(150, 40, browser=browser, max_shard_documents=40, held_out=quality.read_query_file(held_out))
    summary = result["summary"]
    assert result["build"]["shards"] >= 4
    worst = [
        (m.query.text, len(m.expected), len(m.returned))
        for m in result["measurements"]
        if m.query.in_bar and (m.recall < 1 or m.precision < 1)
    ]
    assert summary["bar"]["queries"] >= 60
    assert summary["held-out"]["queries"] == 3
    assert [m.query.text for m in result["measurements"][-3:]] == ["危房改造", "改造工程", "不存在的词语"]
    # Exact substring search: every item that contains the query, and no other.
    assert (summary["bar"]["recall"], summary["bar"]["precision"]) == (1.0, 1.0), worst
    # A query found nowhere returns nothing.
    assert summary["nonsense"]["queries"] >= 5 and summary["nonsense_returned"] == 0
    # Single characters and mixed queries (numbers, 文号, 索引号) find exactly what they name.
    for kind in ("single", "mixed"):
        assert (summary[kind]["recall"], summary[kind]["precision"]) == (1.0, 1.0), kind


def test_a_rebuild_with_a_delta_shard_meets_the_bar(quality: ModuleType, browser: Any, tmp_path: Path) -> None:
    """--delta: the rebuild after edits (its bundle with a delta shard) is measured, queries also taken from
    the edited documents' old texts; recall and precision stay exactly 1."""
    import json

    result = quality.run(150, 30, browser=browser, max_shard_documents=40, delta=6, keep=tmp_path / "site")
    manifest = json.loads((tmp_path / "site" / "pagefind" / "gongkai-search.json").read_text(encoding="utf-8"))
    assert manifest["delta"]["documents"] == 6
    summary = result["summary"]
    assert result["build"]["shards"] >= 4
    assert summary["random"]["queries"] > 30  # the old texts' queries too
    assert (summary["bar"]["recall"], summary["bar"]["precision"]) == (1.0, 1.0)
    assert summary["nonsense_returned"] == 0
