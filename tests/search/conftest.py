"""Fixtures for the search tests: the repository on sys.path and the quality script as a module."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def quality() -> ModuleType:
    """scripts/search_quality.py: corpus, site writer, static server and browser helpers."""
    spec = importlib.util.spec_from_file_location("search_quality", ROOT / "scripts" / "search_quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_quality"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def browser(quality: ModuleType, playwright_driver: Any) -> Iterator[Any]:
    """Headless Debian Chromium (never a downloaded one)."""
    chromium = quality.launch_browser(playwright_driver)
    yield chromium
    chromium.close()
