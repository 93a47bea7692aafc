"""item_cache: a check that takes items from the cache reports exactly what a cold check reports,
and the cache serves nothing it did not write for these exact inputs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import item_cache
from gongkai.cache_store import code_fingerprint
from gongkai.checks.parallel import check_loaded, check_site, judge_loaded
from gongkai.item_cache import FILE, ItemCache
from gongkai.items import MAX_ATTACHMENTS
from gongkai.limits import Limits
from gongkai.loading import SourceDocument, parse_document
from gongkai.machine_secret import machine_secret
from gongkai.project import load_project
from gongkai.signatures import MAX_ARMOUR
from gongkai.site_config import load_settings

from .checks.samples import ID
from .projects import REPO, Project

LIMIT = Limits().item_bytes
LEXICON = "forbidden:\n  - {text: 认真落实, reason: 测试用的禁用词}\n"


def cached_check(site: Project, today: dt.date | None = None, cached: bool = True) -> list:
    """`gongkai check`'s problems (both processes, min_items=1), with or without the item cache."""
    settings = load_settings(site.root)
    return check_site(site.root, site.content, today or site.today, min_items=1, settings=settings, cached=cached).problems


def build_check(site: Project, today: dt.date | None = None) -> list:
    """`gongkai build`'s check: the project read through the cache, then judged in two processes."""
    settings = load_settings(site.root)
    project = load_project(site.root, site.content, limits=settings.limits, cached=True)
    return check_loaded(project, today or site.today, settings=settings, min_items=1).problems


def rebuild_check(site: Project, today: dt.date | None = None) -> list:
    """`gongkai build`'s check where the cache knows all items but one: judged by a child while the build plans."""
    settings = load_settings(site.root)
    project = load_project(site.root, site.content, limits=settings.limits, cached=True)
    return judge_loaded(project, today or site.today, settings=settings, min_items=2)().problems


@pytest.fixture(scope="module")
def base(tmp_path_factory, keys) -> Project:
    """A small signed project: items with an attachment, a table, a 解读, one unsigned."""
    site = Project(tmp_path_factory.mktemp("item-cache") / "base", keys)
    (site.attachments / "2021").mkdir()
    (site.attachments / "2021" / "标准.csv").write_text("档次,金额\n一类,20000\n", encoding="utf-8")
    policy = site.meta(published="2021-06-10")
    site.item("2021/01.md", **policy)
    site.item("2021/02.md", category="政策解读", interprets=policy["index_no"], body="见[文件](01.md)。\n")
    site.item("2021/03.md", attachments=[{"title": "标准", "file": "2021/标准.csv"}])
    site.item("2021/04.md", body="| 乡镇 | 金额 |\n|---|---|\n| 东河乡 | 100 |\n")
    site.item("2021/05.md", signed=False)
    # What only the review digest reads of an item (an attachment named by a number), and a title the site's name
    # (mkdocs.yml) is printed after in the title bar, its ID number's first 16 digits waiting for the last 2.
    (site.attachments / "2022").write_bytes(b"reviewed\n")
    site.item("2021/07.md", attachments=[{"title": "名单", "file": 2022}])
    site.item("2021/08.md", title=f"关于住房补助的通知{ID[:16]}")
    return site


def copy_of(base: Project, target: Path) -> Project:
    site = Project.__new__(Project)
    site.__dict__.update(base.__dict__)
    shutil.copytree(base.root, target, symlinks=True)
    site.root, site.content, site.attachments = target, target / "content", target / "content" / "attachments"
    return site


EDITS = ("pii", "broken yaml", "touch", "delete", "catalog", "lexicon", "attachment", "next day", "new item", "crlf",
         "numbered attachment", "site name", "padded signature", "twin")


def edit(site: Project, what: str, number: int) -> dt.date | None:
    """Change the project as an editor might; returns another day to check on, if the edit is the day."""
    items = sorted((site.content / "items").rglob("*.md"))
    file = items[number % len(items)] if items else None
    if what == "pii" and file is not None:
        file.write_text(file.read_text(encoding="utf-8") + f"\n联系人身份证号{ID}\n", encoding="utf-8")
    elif what == "broken yaml" and file is not None:
        file.write_text("---\ntitle: [坏\n---\n正文\n", encoding="utf-8")
    elif what == "touch" and file is not None:
        file.write_bytes(file.read_bytes())
    elif what == "delete" and file is not None:
        file.unlink()
    elif what == "catalog":
        site.write_catalog(reviewers={"李明": site.reviewers["李明"]})  # 王芳 leaves the roster: her sign-offs fail
    elif what == "lexicon":
        (site.content / "lexicon.yml").write_text(LEXICON, encoding="utf-8")
    elif what == "attachment":
        (site.attachments / "2021" / "标准.csv").write_text(f"档次,金额\n一类,{number}\n", encoding="utf-8")
    elif what == "next day":
        return dt.date(2026, 1, 1) + dt.timedelta(days=number)
    elif what == "new item":
        site.write(f"2021/n{number}.md", f"---\ntitle: 新条目\n---\n正文{number}。\n")
    elif what == "crlf" and file is not None:
        file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    elif what == "numbered attachment":
        (site.attachments / "2022").write_bytes(f"changed {number}\n".encode())
    elif what == "site name":
        config = site.root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("site_name: 测试", f"site_name: {ID[16:]}测试"),
                          encoding="utf-8")
    elif what == "padded signature" and file is not None:
        text = file.read_text(encoding="utf-8")
        begin = "-----BEGIN SSH SIGNATURE-----\n"
        if begin in text:  # blanks inside the base64, past the length the parser reads an armour to
            at = text.index("\n", text.index(begin) + len(begin)) - 10
            file.write_text(text[:at] + " " * (MAX_ARMOUR + 1) + text[at:], encoding="utf-8")
    elif what == "twin" and file is not None:  # the same bytes in two files: one 索引号 twice (GK111)
        shutil.copy(file, file.with_name(f"twin-{file.name}"))
    return None


def cold_check(site: Project, today: dt.date | None = None) -> list:
    """`gongkai check`'s problems on a machine that has never checked the project: no item cache, no body views, no
    verified signatures (the check without the item cache still keeps and reads those two)."""
    kept = site.root / ".gongkai-cache"
    aside = site.root.parent / f"{site.root.name}-cache-aside"
    if kept.exists():
        kept.rename(aside)
    try:
        return cached_check(site, today, cached=False)
    finally:
        shutil.rmtree(kept, ignore_errors=True)
        if aside.exists():
            aside.rename(kept)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 20)), min_size=1, max_size=4))
def test_a_cached_check_finds_exactly_what_a_cold_check_finds(base, tmp_path_factory, edits):
    site = copy_of(base, tmp_path_factory.mktemp("edited") / "site")
    cached_check(site)  # the cache knows the project before the edits
    today = None
    for what, number in edits:
        today = edit(site, what, number) or today
        cold = cold_check(site, today)
        assert cached_check(site, today) == cold
        assert build_check(site, today) == cold
        assert rebuild_check(site, today) == cold
        assert cached_check(site, today) == cold  # and once everything is in the cache


def test_an_edit_after_the_cache_was_filled_is_found(base, tmp_path):
    site = copy_of(base, tmp_path / "site")
    cached_check(site)
    item = site.content / "items" / "2021" / "04.md"
    item.write_text(item.read_text(encoding="utf-8") + f"\n身份证号{ID}\n", encoding="utf-8")
    problems = cached_check(site)
    assert "GK301" in {p.code for p in problems if p.path == site.rel(item)}
    assert problems == cached_check(site, cached=False)


def test_a_site_name_joined_with_a_kept_title_is_found(base, tmp_path):
    """The title bar prints every item's title then mkdocs.yml's site_name: an ID number's first 16 digits ending a
    title and its last 2 starting the site's name is one on every item's page. The cache keeps an item's problems
    by its file: a new site_name must not be answered with what the old one gave."""
    site = copy_of(base, tmp_path / "site")
    item = site.content / "items" / "2021" / "04.md"
    site.item("2021/04.md", title=f"关于住房补助的通知{ID[:16]}", body="| 乡镇 | 金额 |\n|---|---|\n| 东河乡 | 100 |\n")
    assert "GK301" not in {p.code for p in cached_check(site) if p.path == site.rel(item)}
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: 测试", f"site_name: {ID[16:]}测试"),
                      encoding="utf-8")
    cold = cached_check(site, cached=False)
    assert "GK301" in {p.code for p in cold if p.path == site.rel(item)}
    assert cached_check(site) == cold
    assert build_check(site) == cold


@pytest.mark.parametrize("listed", ["a number", "past the limit"])
def test_every_attachment_the_review_digest_hashes_keys_the_kept_problems(base, tmp_path, listed):
    """The review digest hashes the file of every attachment entry, however many and whatever YAML read its name as
    (`file: 2022` names content/attachments/2022); the item cache keyed an item's problems by its first
    MAX_ATTACHMENTS entries with a text name only. An attachment changed after review outside those was GK207 to a
    cold check and to no warm one, nor to the build's."""
    site = copy_of(base, tmp_path / "site")
    attached = site.attachments / "2022"
    attached.write_bytes(b"reviewed\n")
    entries: list[Any]
    if listed == "a number":
        entries = [{"title": "名单", "file": 2022}]
    else:
        entries = [{"title": "标准", "file": "2021/标准.csv"} for _ in range(MAX_ATTACHMENTS)] + [{"title": "名单", "file": "2022"}]
    item = site.item("2021/06.md", attachments=entries)
    assert "GK207" not in {p.code for p in cached_check(site) if p.path == site.rel(item)}
    attached.write_bytes(b"changed after review\n")
    cold = cached_check(site, cached=False)
    assert "GK207" in {p.code for p in cold if p.path == site.rel(item)}
    assert cached_check(site) == cold
    assert build_check(site) == cold


def test_the_twin_a_rule_finds_by_its_index_number_is_the_same_in_every_check(base, tmp_path):
    """Two files of one 索引号 (GK111): the rules that find an item by its 索引号 take the last read, and a check whose
    processes read half of the files each (a cold one) put the other half after its own, naming the other twin in
    the 解读's GK702 than a warm check in one process, or the build's."""
    site = copy_of(base, tmp_path / "site")
    policy = site.content / "items" / "2021" / "01.md"
    shutil.copy(policy, policy.with_name("twin-01.md"))
    cold = cold_check(site)
    assert {p.path for p in cold if p.code == "GK111"} == {site.rel(policy), site.rel(policy.with_name("twin-01.md"))}
    assert cached_check(site) == cold
    assert build_check(site) == cold


def test_a_cached_check_reads_no_yaml_and_runs_no_local_family(base, tmp_path, monkeypatch):
    site = copy_of(base, tmp_path / "site")
    expected = cached_check(site)
    from gongkai import digest, item_cache

    monkeypatch.setattr(item_cache, "parse_document", lambda *args: pytest.fail("parsed again"))
    monkeypatch.setattr(digest, "compute", lambda *args: pytest.fail("judged again"))
    assert cached_check(site) == expected
    assert build_check(site) == expected


def test_an_entry_not_written_with_this_machines_secret_is_not_trusted(base, tmp_path):
    site = copy_of(base, tmp_path / "site")
    site.item("2021/06.md", body=f"身份证号{ID}\n")
    expected = cached_check(site, cached=False)
    assert "GK301" in {p.code for p in expected}
    cached_check(site)
    database = site.root / ".gongkai-cache" / FILE
    # Planted values under this machine's keys, without its HMAC: every problem list emptied.
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE entries SET value = CAST('[]' AS BLOB) WHERE value LIKE '[%'")
    assert cached_check(site) == expected
    # Values authenticated by another secret (a cache copied from another machine, or committed).
    other = ItemCache(site.root / ".gongkai-cache", b"another machine's secret 32 bytes", code_fingerprint())
    project = load_project(site.root, site.content)
    list(other.read_files([(site.root / path, path) for path in project.documents], LIMIT))
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM entries")
    for key in list(other.documents.values()):
        other._put(key, b'{"problems": [], "document": null}')
    other.flush()
    assert cached_check(site) == expected


def test_a_cache_folder_that_is_a_link_is_never_used(base, tmp_path):
    site = copy_of(base, tmp_path / "site")
    shutil.rmtree(site.root / ".gongkai-cache", ignore_errors=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site.root / ".gongkai-cache").symlink_to(elsewhere)
    expected = cached_check(site, cached=False)
    assert ItemCache.of(site.root) is None
    assert cached_check(site) == expected
    assert list(elsewhere.iterdir()) == []


def test_a_cache_file_that_is_a_link_is_not_followed(base, tmp_path):
    site = copy_of(base, tmp_path / "site")
    target = tmp_path / "target.sqlite"
    target.write_bytes(b"")
    (site.root / ".gongkai-cache").mkdir(exist_ok=True)
    database = site.root / ".gongkai-cache" / FILE
    database.unlink(missing_ok=True)
    database.symlink_to(target)
    assert cached_check(site) == cached_check(site, cached=False)
    assert target.read_bytes() == b""


def stored_again(data: bytes, rel: str, folder: Path) -> str:
    """The file read through a cache that has kept it (after a first read that did not flush)."""
    secret = machine_secret()
    assert secret is not None
    file = folder / "item.md"
    file.write_bytes(data)
    list(ItemCache(folder, secret, "code").read_files([(file, rel)], LIMIT))
    writer = ItemCache(folder, secret, "code")
    list(writer.read_files([(file, rel)], LIMIT))
    writer.flush()
    [read] = ItemCache(folder, secret, "code").read_files([(file, rel)], LIMIT)
    return as_read(read)


def as_read(read: tuple[SourceDocument | None, list]) -> str:
    """Every field of the document (the positions a StoredDocument decodes when asked included) and the problems."""
    document, problems = read
    fields = None if document is None else {field.name: getattr(document, field.name) for field in dataclasses.fields(SourceDocument)}
    return repr((fields, problems))


def test_every_sample_file_reads_back_exactly_as_parsed(tmp_path):
    for file in sorted((REPO / "content").rglob("*.md")):
        rel = file.relative_to(REPO).as_posix()
        data = file.read_bytes()
        assert stored_again(data, rel, tmp_path) == as_read(parse_document(data, rel)), rel


FRONT_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), FRONT_VALUES, max_size=5),
       body=st.text(max_size=40), bom=st.booleans(), crlf=st.booleans(), raw=st.binary(max_size=60))
def test_any_file_reads_back_exactly_as_parsed(tmp_path, front, body, bom, crlf, raw):
    import yaml

    text = f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n{body}"
    data = (b"\xef\xbb\xbf" if bom else b"") + (text.replace("\n", "\r\n") if crlf else text).encode("utf-8", "surrogatepass")
    rel = "content/items/2021/x.md"
    for candidate in (data, raw, data[: len(data) // 2]):
        assert stored_again(candidate, rel, tmp_path) == as_read(parse_document(candidate, rel))


def test_entries_no_run_uses_are_forgotten(base, tmp_path):
    site = copy_of(base, tmp_path / "site")
    items = sorted((site.content / "items").rglob("*.md"))
    database = site.root / ".gongkai-cache" / FILE
    for round_ in range(6):
        for file in items:
            file.write_text(file.read_text(encoding="utf-8") + f"\n第{round_}次修改。\n", encoding="utf-8")
        assert build_check(site) == cached_check(site, cached=False)
        with sqlite3.connect(database) as connection:
            entries = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
        assert entries <= 2 * 2 * len(items)  # a document and its problems per file, twice over at most


HOSTILE_SCHEMAS = {
    "a trigger on our writes": "CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL);"
                               "CREATE TABLE seen (n INTEGER);"
                               "CREATE TRIGGER spy AFTER INSERT ON entries BEGIN INSERT INTO seen VALUES (1); END;",
    "a table without its key's index": "CREATE TABLE entries (key TEXT, value TEXT NOT NULL, mac BLOB NOT NULL);",
    "a view": "CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL);"
              "CREATE VIEW everything AS SELECT * FROM entries;",
    "another table": "CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL);"
                     "CREATE TABLE seen (n INTEGER);",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_SCHEMAS))
def test_a_committed_cache_database_that_is_not_ours_is_never_used(base, tmp_path, kind):
    site = copy_of(base, tmp_path / "site")
    site.item("2021/06.md", body=f"身份证号{ID}\n")
    expected = cached_check(site, cached=False)
    database = site.root / ".gongkai-cache" / FILE
    database.unlink(missing_ok=True)
    with sqlite3.connect(database) as connection:
        connection.executescript(HOSTILE_SCHEMAS[kind])
    assert cached_check(site) == expected
    with sqlite3.connect(database) as connection:  # nothing written into it, so no trigger ran
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables} == dict.fromkeys(tables, 0)


def test_positions_that_cannot_be_decoded_are_read_from_the_text_again():
    data = "---\ntitle: 通知\nkeywords: [甲, 乙]\nyear: 0x10\n---\n正文\n".encode()
    parsed, problems = parse_document(data, "content/items/x.md")
    dumped = item_cache._dump_document(parsed, problems)
    assert dumped is not None
    head = dumped.partition(b"\n")[0]
    stored, _ = item_cache._load_document(head + b"\n{not json", data, "content/items/x.md")
    assert as_read((stored, [])) == as_read((parsed, []))


@pytest.mark.parametrize("number", ["100000000000000000000", "-9223372036854775809"])
def test_a_document_json_would_not_read_back_exactly_is_read_again_each_time(tmp_path, number):
    data = f"---\ntitle: 通知\nn: {number}\n---\n正文\n".encode()
    rel = "content/items/x.md"
    parsed = parse_document(data, rel)
    assert parsed[0] is not None and parsed[0].meta["n"] == int(number)
    assert item_cache._dump_document(*parsed) is None  # orjson would read it back as a float, or not at all
    assert stored_again(data, rel, tmp_path) == as_read(parsed)


def test_json_read_back_otherwise_than_written_is_told_apart():
    nan = {"x": float("nan")}
    assert not item_cache._same(orjson.loads(orjson.dumps(nan)), nan)  # orjson writes NaN as null
    assert not item_cache._same(1e20, 10**20)
    assert not item_cache._same({"b": 1, "a": 2}, {"a": 2, "b": 1})
    assert item_cache._same({"a": [1, "b", None, 1.5, True]}, {"a": [1, "b", None, 1.5, True]})


def test_a_warm_check_of_the_sample_places_every_problem_as_a_cold_one(tmp_path):
    """The annual reports' problems about an item (GK822 at its `validity:` line) were read first by a LOCAL family,
    with the cached items' documents out of sight: a warm check put them at line 1."""
    for part in ("content", "theme_overrides"):
        shutil.copytree(REPO / part, tmp_path / part, symlinks=True)
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    settings = load_settings(tmp_path)
    today = dt.date(2026, 12, 5)

    def problems(cached: bool) -> list:
        return check_site(tmp_path, tmp_path / "content", today, min_items=1, settings=settings, cached=cached).problems

    cold = problems(cached=False)
    assert any(p.code == "GK822" and p.line > 1 for p in cold)
    problems(cached=True)  # fills the cache
    assert problems(cached=True) == cold
