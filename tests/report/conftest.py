"""Fixtures of the annual-report tests; the helpers themselves are in report_helpers.py."""

from pathlib import Path

import pytest

from tests.report.report_helpers import Site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)
