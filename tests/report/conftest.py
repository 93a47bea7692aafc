"""The annual-report tests' project (see report_helpers.report_project)."""

from pathlib import Path

import pytest

from tests.projects import Project
from tests.report.report_helpers import report_project
from tests.review_keys import Keys


@pytest.fixture
def site(tmp_path: Path, keys: Keys) -> Project:
    return report_project(tmp_path, keys)
