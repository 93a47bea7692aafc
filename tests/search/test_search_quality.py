"""The quality bar, end to end: synthetic notices, the real index, the real page in Chromium."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_chinese_queries_meet_the_bar(quality: ModuleType, browser: Any) -> None:
    # Several shards, so that results are merged across them and some shards are skipped.
    result = quality.run(150, 40, browser=browser, max_shard_documents=40)
    summary = result["summary"]
    assert result["build"]["shards"] >= 4
    worst = [
        (m.query.text, len(m.expected), len(m.returned))
        for m in result["measurements"]
        if m.query.in_bar and (m.recall < 1 or m.precision < 1)
    ]
    assert summary["bar"]["queries"] >= 60
    # Exact substring search: every item that contains the query, and no other.
    assert (summary["bar"]["recall"], summary["bar"]["precision"]) == (1.0, 1.0), worst
    # A query found nowhere returns nothing.
    assert summary["nonsense"]["queries"] >= 5 and summary["nonsense_returned"] == 0
    # Single characters and mixed queries (numbers, 文号, 索引号) find exactly what they name.
    for kind in ("single", "mixed"):
        assert (summary[kind]["recall"], summary[kind]["precision"]) == (1.0, 1.0), kind
