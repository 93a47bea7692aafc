"""`gongkai build` keeps the templates it compiles for the next build, sealed with this machine's secret: a
compiled template planted in `.gongkai-cache/` is never run, and a site built from the kept ones is the same."""

from __future__ import annotations

import datetime as dt
import io
import marshal
import pickle
import shutil
import sqlite3
from collections import OrderedDict

import jinja2
import pytest
from jinja2.bccache import bc_magic

from gongkai import template_cache
from gongkai.cache_store import CACHE_DIR, MAC_BYTES
from tests.projects import build, hashes, make_project, own_theme, write_item

PLANTED = "QXPLANTEDQ"
# What the planted code prints: a page as Material opens one, which the build may write (GK546), holding the marker.
PLANTED_PAGE = f'<!doctype html><html lang="zh-CN"><head></head><body>{PLANTED}</body></html>'


def _edit(fixture, version: int) -> None:
    write_item(fixture.root, 2022, 901, f"第{version}版正文。", title="模板缓存测试", category="normative",
               published=dt.date(2022, 5, 1))


def test_a_rebuild_compiles_no_template_and_builds_the_same_site(tmp_path, monkeypatch):
    fixture = make_project(tmp_path / "project", news=3)
    _edit(fixture, 1)
    build(fixture, fixture.root / "site")
    assert (fixture.root / CACHE_DIR / template_cache.TEMPLATES_FILE).is_file()
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    _edit(fixture, 2)
    rebuilt = build(fixture, fixture.root / "site")
    assert compiled == []
    assert "第2版正文" in rebuilt.page("items/2022/00901/").text()
    monkeypatch.undo()
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(rebuilt.site) == hashes(build(fixture, tmp_path / "clean").site)


def test_a_build_opens_the_templates_database_once_and_closes_it(tmp_path, monkeypatch):
    """Closing a write-ahead database flushes it to the disk (≈ 10 ms): a build that compiles every template opens
    the database once in its own process, not once for each template it reads or keeps, and closes it at the end."""
    fixture = make_project(tmp_path / "project", news=3)
    opened: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def counted(file, *args, **kwargs):
        connection = connect(file, *args, **kwargs)
        if str(file).endswith(template_cache.TEMPLATES_FILE):
            opened.append(connection)
        return connection

    monkeypatch.setattr(sqlite3, "connect", counted)
    build(fixture, fixture.root / "site")
    assert len(opened) == 1
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        opened[0].execute("SELECT 1")
    with sqlite3.connect(fixture.root / CACHE_DIR / template_cache.TEMPLATES_FILE) as connection:
        assert connection.execute("SELECT count(*) FROM templates").fetchone()[0] > 20


@pytest.mark.parametrize("sealed", [False, True])
def test_a_planted_compiled_template_is_never_run(tmp_path, monkeypatch, sealed):
    """Every kept template replaced by code that prints a marker, for the very source Jinja reads (its checksum):
    without this machine's seal it is compiled again; with it (the control: the seal's check bypassed) it would run."""
    _as_a_new_process(monkeypatch)  # an earlier test's templates kept in this process: the new database got none of them
    fixture = make_project(tmp_path / "project", news=3)
    _edit(fixture, 1)
    build(fixture, fixture.root / "site")
    database = fixture.root / CACHE_DIR / template_cache.TEMPLATES_FILE
    planted = jinja2.Environment().compile(PLANTED_PAGE, "planted")
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT key, code FROM templates").fetchall()
        assert rows
        for key, code in rows:
            stream = io.BytesIO(code[MAC_BYTES:])
            assert stream.read(len(bc_magic)) == bc_magic
            checksum = pickle.load(stream)
            forged = bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(planted)
            connection.execute("UPDATE templates SET code = ? WHERE key = ?", (code[:MAC_BYTES] + forged, key))
    if sealed:
        monkeypatch.setattr(template_cache.hmac, "compare_digest", lambda _a, _b: True)
    _as_a_new_process(monkeypatch)
    _edit(fixture, 2)
    rebuilt = build(fixture, fixture.root / "site")
    shown = rebuilt.text("items/2022/00901/index.html")
    assert (PLANTED in shown) is sealed
    if not sealed:
        assert "第2版正文" in shown


def _as_a_new_process(monkeypatch) -> None:
    """Forget the templates this process compiled or read: the next build reads them from the database, or compiles."""
    monkeypatch.setattr(template_cache, "_kept", OrderedDict())
    monkeypatch.setattr(template_cache, "_kept_bytes", 0)
    monkeypatch.setattr(template_cache, "_stored", set())


def _compiled_while(monkeypatch, work) -> list[str]:
    """The file names of the templates compiled while `work()` runs."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(filename or "")
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    work()
    monkeypatch.undo()
    return compiled


def test_a_process_compiles_a_template_of_the_same_file_once_and_every_database_keeps_it(tmp_path, monkeypatch):
    """Material's templates are the same files for every project: a process building a second project (the preview,
    a test run) compiles only the second project's own templates, and the second project's database still gets every
    template, so that its next build, in a new process, compiles none."""
    first, second = make_project(tmp_path / "first", news=3), make_project(tmp_path / "second", news=3)
    _as_a_new_process(monkeypatch)
    build(first, first.root / "site")
    compiled = _compiled_while(monkeypatch, lambda: build(second, second.root / "site"))
    assert compiled and all(name.startswith(str(second.root)) for name in compiled), compiled
    _as_a_new_process(monkeypatch)
    _edit(second, 2)
    assert _compiled_while(monkeypatch, lambda: build(second, second.root / "site")) == []


def test_the_templates_kept_in_memory_stay_within_their_bytes(monkeypatch):
    """Each edit of a template adds one, and a theme's template may be large: the oldest go first, by bytes."""
    _as_a_new_process(monkeypatch)
    monkeypatch.setattr(template_cache, "KEPT_BYTES", 10_000)
    for number in range(40):
        template_cache._keep(f"key {number % 30}", bytes(300 + 97 * number))
        assert template_cache._kept_bytes == sum(map(len, template_cache._kept.values())) <= 10_000
    assert list(template_cache._kept) == ["key 8", "key 9"]  # 3,986 + 4,083 bytes: a third (3,889) no longer fitted
    template_cache._keep("huge", bytes(20_000))
    assert template_cache._kept_bytes == 0 and not template_cache._kept


def test_a_template_edited_between_two_builds_of_one_process_is_compiled_again(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    main = own_theme(fixture.root) / "main.html"
    build(fixture, fixture.root / "site")
    shipped = main.read_text(encoding="utf-8")
    start = shipped.index("{% block")
    main.write_text(shipped[:start] + "{% block announce %}第二版页头{% endblock %}\n" + shipped[start:], encoding="utf-8")
    assert "第二版页头" in build(fixture, fixture.root / "site").text("index.html")


def test_templates_compiled_under_another_seal_are_removed(tmp_path):
    """A build whose code, theme or mkdocs.yml changed compiles its templates again and drops the old ones."""
    fixture = make_project(tmp_path / "project", news=3)
    _edit(fixture, 1)
    build(fixture, fixture.root / "site")
    database = fixture.root / CACHE_DIR / template_cache.TEMPLATES_FILE
    with sqlite3.connect(database) as connection:
        before = {key for (key,) in connection.execute("SELECT key FROM templates")}
    config = fixture.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    _edit(fixture, 2)
    build(fixture, fixture.root / "site")
    with sqlite3.connect(database) as connection:
        after = {key for (key,) in connection.execute("SELECT key FROM templates")}
    assert before and after and not before & after
    assert len(after) == len(before)


@pytest.mark.parametrize("shape", ["garbage bytes", "a folder", "a link to an endless device", "a trigger on the table",
                                   "another table"])
def test_a_planted_templates_database_of_any_shape_costs_nothing(tmp_path, shape):
    """Whatever a committed `.gongkai-cache/templates.sqlite` is, the build compiles its templates itself and
    publishes the same site; nothing is read through a link, and no SQL of the planter's runs on our writes."""
    fixture = make_project(tmp_path / "project", news=3)
    _edit(fixture, 1)
    database = fixture.root / CACHE_DIR / template_cache.TEMPLATES_FILE
    database.parent.mkdir(parents=True)
    if shape == "garbage bytes":
        database.write_bytes(b"SQLite format 3\0" + b"\xff" * 4096)
    elif shape == "a folder":
        database.mkdir()
    elif shape == "a link to an endless device":
        database.symlink_to("/dev/zero")
    else:
        with sqlite3.connect(database) as connection:
            connection.execute(f"CREATE TABLE {template_cache.TABLE}")
            connection.execute("CREATE TABLE planted (x)")
            if shape == "a trigger on the table":
                connection.execute("CREATE TRIGGER t AFTER INSERT ON templates BEGIN INSERT INTO planted VALUES (1); END")
    built = build(fixture, fixture.root / "site")
    assert "第1版正文" in built.page("items/2022/00901/").text()
    if shape in ("a trigger on the table", "another table"):
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM templates").fetchone() == (0,)  # refused, never written
            assert connection.execute("SELECT count(*) FROM planted").fetchone() == (0,)
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(built.site) == hashes(build(fixture, tmp_path / "clean").site)
