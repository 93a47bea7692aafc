"""The preview's first check reads half the items in a forked child: the same problems as one process, and where
the system refuses a fork (its process limit, its memory), from one process."""

from __future__ import annotations

import os

from gongkai.preview import model
from gongkai.preview.model import PreviewModel
from gongkai.site_config import load_settings
from tests.projects import TODAY


def test_the_preview_checks_on_two_processes_or_one(project, monkeypatch):
    monkeypatch.setattr(model, "MIN_ITEMS", 1)
    settings = load_settings(project.root)
    alone = PreviewModel(settings, TODAY).problems
    assert alone and PreviewModel(settings, TODAY, parallel=True).problems == alone
    forks: list[int] = []

    def refused():
        forks.append(1)
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert PreviewModel(settings, TODAY, parallel=True).problems == alone
    assert forks == [1]
