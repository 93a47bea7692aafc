"""An audited project: the shared fixture site in a git repository, with one dead link planted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.projects import make_project, write_item

from .gitrepo import commit, init

DEAD_TARGET = "/banshi/zhinan/"


@pytest.fixture(scope="session")
def audited(tmp_path_factory) -> Path:
    """The fixture project, committed on the days its items say, plus an item linking nowhere."""
    fixture = make_project(tmp_path_factory.mktemp("audit") / "project")
    root = fixture.root
    init(root)
    commit(root, "2024-06-01", "导入原网站的信息")
    write_item(root, 2024, 90, f"办事指南见[这里]({DEAD_TARGET})。", title="关于调整办事指南的通知",
               category="动态信息", department="办公室", published=fixture.today)
    commit(root, fixture.today.isoformat(), "发布")
    return root
