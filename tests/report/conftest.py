"""The annual-report tests' project: a third department, the report's day, an empty content/reports/."""

from pathlib import Path

import pytest

from tests.projects import Project
from tests.report.report_helpers import CATALOG, TODAY
from tests.review_keys import Keys


@pytest.fixture
def site(tmp_path: Path, keys: Keys) -> Project:
    project = Project(tmp_path, keys, catalog=CATALOG, today=TODAY)
    (project.content / "reports").mkdir()
    return project
