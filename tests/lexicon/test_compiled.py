"""The compiled lexicon: its entries kept in the item cache read back exactly as the file reads, only
for the very bytes they were read from, and only when this machine's secret authenticates them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gongkai.item_cache import FILE, ItemCache
from gongkai.lexicon import compiled
from gongkai.lexicon.compiled import compiled_lexicon
from gongkai.lexicon.entries import load_lexicon
from gongkai.limits import Limits

LIMIT = Limits().item_bytes
SECRET = b"this machine's secret, 32 bytes!"
AGENCY = """\
replace:
  - {wrong: 帐户, right: 账户, note: 本局写法, except: [帐户名]}
forbidden:
  - {text: 某某禁用语, reason: 测试}
people:
  - {name: 张军卫, titles: [{title: 局长, from: 2016-03-01, until: 2021-12-31}, {title: 调研员}]}
titles: [督导员]
disable: [做为]
"""
BROKEN = "replace:\n  - {wrong: 登陆}\nforbidden: 不是列表\n"


def fresh(root: Path, secret: bytes = SECRET) -> ItemCache:
    """A cache as a new process opens it (nothing compiled in this one)."""
    compiled._compiled.clear()
    return ItemCache(root / ".gongkai-cache", secret, "code")


def kept(root: Path, content: Path, secret: bytes = SECRET):
    cache = fresh(root, secret)
    found = compiled_lexicon(content, root, LIMIT, cache)
    cache.flush()
    return found


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("text", [AGENCY, BROKEN, "defaults: false\n", None])
def test_kept_entries_read_back_exactly_as_the_file_reads(tmp_path, content, text, monkeypatch):
    if text is not None:
        (content / "lexicon.yml").write_text(text, encoding="utf-8")
    expected = load_lexicon(content, tmp_path, LIMIT)
    first = kept(tmp_path, content)
    monkeypatch.setattr(compiled, "load_lexicon", lambda *args: pytest.fail("read again"))
    again = kept(tmp_path, content)
    assert (again.lexicon, list(again.problems)) == (first.lexicon, list(first.problems)) == expected


def test_an_edit_of_the_file_is_read(tmp_path, content):
    (content / "lexicon.yml").write_text(AGENCY, encoding="utf-8")
    kept(tmp_path, content)
    (content / "lexicon.yml").write_text(AGENCY.replace("某某禁用语", "另一禁用语"), encoding="utf-8")
    assert "另一禁用语" in {entry.text for entry in kept(tmp_path, content).lexicon.forbidden}


def test_entries_not_written_with_this_machines_secret_are_not_used(tmp_path, content):
    (content / "lexicon.yml").write_text(AGENCY, encoding="utf-8")
    kept(tmp_path, content, b"another machine's secret 32 byte")  # kept under the other machine's key
    database = tmp_path / ".gongkai-cache" / FILE
    with sqlite3.connect(database) as connection:  # and under ours, without our HMAC
        other_key = connection.execute("SELECT key FROM entries").fetchone()[0]
        key, _ = fresh(tmp_path).lookup(b"lexicon", compiled._version(content / "lexicon.yml", LIMIT),
                                        str(content).encode(), str(tmp_path).encode())
        assert key != other_key
        connection.execute("INSERT INTO entries (key, value, mac) SELECT ?, value, mac FROM entries", (key,))
        connection.execute("UPDATE entries SET value = CAST(replace(CAST(value AS TEXT), '某某禁用语', '无害') AS BLOB)")
    assert "某某禁用语" in {entry.text for entry in kept(tmp_path, content).lexicon.forbidden}
