"""The preview's tests: the shared fixture project (tests/projects.py) in a preview session."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.preview.messages import MkDocsLog
from gongkai.preview.pages import PreviewPages
from gongkai.preview.session import PreviewSession
from tests.projects import TODAY, Project, make_project


class Preview:
    """A preview session of a fixture project, and what MkDocs logged while it ran."""

    def __init__(self, fixture: Project) -> None:
        self.fixture = fixture
        self.lines: list[str] = []
        self.pages = PreviewPages()
        self.session = PreviewSession(fixture.root, TODAY, MkDocsLog(self.lines.append), self.pages.page_globals)

    def save(self, path: Path, text: str) -> None:
        """Write a content file and tell the session, as the watcher would."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.session.apply([path])


@pytest.fixture
def project(tmp_path) -> Project:
    return make_project(tmp_path / "project", news=3)


@pytest.fixture
def preview(project) -> Preview:
    return Preview(project)
