"""Fixtures for the search tests: the quality script's corpus, site writer, server and browser."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from scripts import search_quality


@pytest.fixture(scope="session")
def quality() -> ModuleType:
    """scripts/search_quality.py: corpus, site writer, static server and browser helpers."""
    return search_quality


@pytest.fixture(scope="session")
def browser(quality: ModuleType, playwright_driver: Any) -> Iterator[Any]:
    """Headless Debian Chromium (never a downloaded one)."""
    chromium = quality.launch_browser(playwright_driver)
    yield chromium
    chromium.close()
