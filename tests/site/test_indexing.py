"""PageTexts: the index waits for a shard's texts while the pages are rendered, and never forever."""

from __future__ import annotations

import threading

import pytest

from gongkai.site.indexing import IndexingCancelled, PageTexts


def waiting(texts: PageTexts, urls: list[str]) -> tuple[threading.Thread, list]:
    found: list = []

    def wait() -> None:
        try:
            found.append(texts.wait(urls))
        except IndexingCancelled as exc:
            found.append(exc)

    thread = threading.Thread(target=wait)
    thread.start()
    return thread, found


def test_waits_until_every_text_is_known():
    known = {"a/": "甲"}
    texts = PageTexts(known)
    thread, found = waiting(texts, ["a/", "b/", "c/"])
    texts["b/"] = "乙"
    thread.join(0.2)
    assert thread.is_alive()  # c/ is still being rendered
    texts.update({"c/": "丙", "d/": "丁"})
    thread.join(5)
    assert found == [{"a/": "甲", "b/": "乙", "c/": "丙"}]
    assert known == {"a/": "甲", "b/": "乙", "c/": "丙", "d/": "丁"}  # kept in the dict it was given (the page cache's)


def test_closed_texts_give_what_is_there():
    texts = PageTexts()
    thread, found = waiting(texts, ["a/", "b/"])
    texts["a/"] = "甲"
    texts.close()  # every page rendered: b/ has no text (indexed by its title alone, as before)
    thread.join(5)
    assert found == [{"a/": "甲"}]


def test_cancelled_texts_end_the_wait():
    texts = PageTexts()
    thread, found = waiting(texts, ["a/"])
    texts.cancel()
    thread.join(5)
    assert not thread.is_alive() and isinstance(found[0], IndexingCancelled)
    with pytest.raises(IndexingCancelled):
        texts.wait(["a/"])
