"""The commands' tests: the shared fixture project (tests/projects.py)."""

from __future__ import annotations

import pytest

from tests.projects import Project, make_project


@pytest.fixture
def project(tmp_path) -> Project:
    return make_project(tmp_path / "project", news=3)
