"""Finding the Pagefind binary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("override", [None, "/opt/pagefind/bin/pagefind"])
def test_the_binary_is_the_one_the_pagefind_package_finds(monkeypatch, override):
    """gongkai looks where `pagefind.service.get_executable` looks, without importing it (it imports asyncio)."""
    from pagefind.service import get_executable

    from gongkai.search import pagefind_cli

    if override is None:
        monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    else:
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", override)
    pagefind_cli.pagefind_binary.cache_clear()
    try:
        found = get_executable()
        assert found is not None
        assert pagefind_cli.pagefind_binary() == str(found.resolve().absolute())
    finally:
        pagefind_cli.pagefind_binary.cache_clear()
