"""Which files make up a register: one file per number, every file read or reported.

A second file of a number already registered (a copy, the same number under another year folder,
in a subfolder or as .yaml) would be counted twice in table 三 and the 办结率; a file of another
suffix would silently drop out of the counts and the deadlines. Both are errors naming the file,
and the annual report of the years they touch is refused (GK847) rather than printed wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.commands import site_settings
from gongkai.commands.applications import applications as list_applications
from gongkai.commands.supervision import supervision as summarize_supervision
from gongkai.project import load_project
from gongkai.registers.loading import load_registers
from gongkai.registers.supervision_summary import summarize
from gongkai.report.register_tables import application_table
from tests.registers.register_helpers import write_application, write_entry

D = dt.date
TODAY = D(2026, 1, 5)


def _problems(site, code):
    return sorted(p.path for p in site.check(TODAY) if p.code == code)


@pytest.mark.parametrize("copy_to", ["2025/2025-001.yaml", "2025/2025-001.YML", "2025/copy/2025-001.yml",
                                     "2024/2025-001.yml", "2025-001.yml",
                                     # the number as a reader reads it: digits of any script, another dash, invisibles
                                     "2025/２０２５－００１.yml", "2025/٢٠٢٥-٠٠١.yml", "2025/𝟐𝟎𝟐𝟓-𝟎𝟎𝟏.yml",
                                     "2025/2025\u2010001.yml", "2025/2025-00\u200b1.yml"])
def test_a_second_file_of_a_number_is_an_error_and_not_counted_twice(site, copy_to):
    original = write_application(site.root, answered=D(2025, 3, 20), outcome="granted")
    write_application(site.root, "2025-002", answered=D(2025, 3, 21), outcome="granted")
    copy = site.root / "content" / "applications" / copy_to
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(original, copy)
    duplicates = _problems(site, "GK855")
    assert len(duplicates) == 1 and duplicates[0] in {site.rel(original), site.rel(copy)}
    registers = load_registers(load_project(site.root))
    assert application_table(registers.counted(), 2025).cells["new"]["total"] == 2  # 2025-001 once, 2025-002
    assert registers.uncounted_for(2025) == duplicates  # so the 2025 report is refused (GK847), not printed wrong
    assert registers.uncounted_for(2024) == []


def test_the_same_number_in_both_registers_is_no_duplicate(site):
    write_application(site.root, answered=D(2025, 3, 20), outcome="granted")
    write_entry(site.root)
    assert _problems(site, "GK855") == []


def test_a_duplicate_entry_leaves_the_rate(site):
    entry = write_entry(site.root)
    write_entry(site.root, "2025-002", status="办理中", closed=None, deadline=D(2026, 4, 17))
    shutil.copyfile(entry, entry.with_suffix(".yaml"))
    assert len(_problems(site, "GK855")) == 1
    summary = summarize(load_registers(load_project(site.root)).supervision, 2025, TODAY)
    assert (summary.total.received, summary.total.done) == (2, 1)  # the copy of the closed one is not counted


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.from_regex(r"[0-9A-Za-z申请人名单_-]{1,12}", fullmatch=True),
       suffix=st.sampled_from(["", ".csv", ".txt", ".md", ".xlsx", ".pdf", ".bak", ".yml~", ".json", ".yml.txt", ".yml",
                               ".YAML"]),
       register=st.sampled_from(["applications", "supervision"]),
       hidden=st.sampled_from(["", ".", ".x/", "./"]))
def test_a_file_the_register_does_not_read_is_an_error(site, name, suffix, register, hidden):
    folder = site.root / "content" / register / "2025"
    stray = folder / f"{hidden}{name}{suffix}"
    stray.parent.mkdir(parents=True, exist_ok=True)
    if stray.suffix.lower() in (".yml", ".yaml") and not stray.relative_to(folder).as_posix().startswith("."):
        return
    stray.write_text("received: 2025-03-03\n", encoding="utf-8")
    try:
        assert _problems(site, "GK856") == [site.rel(stray)]
        if register == "applications":  # what it holds is unknown: no year's report is counted without it
            assert load_registers(load_project(site.root)).uncounted_for(2008) == [site.rel(stray)]
    finally:
        stray.unlink()


@pytest.mark.parametrize("register", ["applications", "supervision"])
@pytest.mark.parametrize("name", [".2025-018.yml", ".old/2025-018.yml", "2025/.备份/2025-018.yaml", ".DS_Store",
                                  ".2025-018.yml.swp", ".gitkeep"])
def test_a_hidden_file_in_a_register_is_an_error(site, register, name):
    """A file or folder whose name begins with a dot, which file managers do not show, was skipped in silence: an
    application saved as `.2025-018.yml` was neither checked for its deadline nor counted in the annual report."""
    write_application(site.root, answered=D(2025, 3, 20), outcome="granted")
    hidden = site.root / "content" / register / name
    hidden.parent.mkdir(parents=True, exist_ok=True)
    hidden.write_text("received: 2025-03-03\nrequester: 自然人\n", encoding="utf-8")
    [problem] = [p for p in site.check(TODAY) if p.code == "GK856"]
    assert problem.path == site.rel(hidden) and "隐藏" in problem.message
    if register == "applications":  # what it holds is unknown: no year's report is counted without it
        assert load_registers(load_project(site.root)).uncounted_for(2025) == [site.rel(hidden)]


@pytest.mark.parametrize("name", [".gitkeep", "2025/.gitkeep", ".keep"])
def test_an_empty_hidden_placeholder_is_let_be(site, name):
    """What keeps an empty folder in git holds nothing to count."""
    write_application(site.root, answered=D(2025, 3, 20), outcome="granted")
    placeholder = site.root / "content" / "applications" / name
    placeholder.parent.mkdir(parents=True, exist_ok=True)
    placeholder.write_text("", encoding="utf-8")
    assert _problems(site, "GK856") == []


def test_a_year_folder_is_named_in_ascii_digits(tmp_path):
    """２０２５ or ٢٠٢٥ only looks like the year: a register filed there is not counted as the year's."""
    from gongkai.registers.loading import year_folder

    assert year_folder(tmp_path, "applications", tmp_path / "applications" / "2025" / "2025-001.yml") == 2025
    for name in ("２０２５", "٢٠٢٥"):
        assert year_folder(tmp_path, "applications", tmp_path / "applications" / name / "2025-001.yml") is None


def _linked_year(site, register: str) -> str:
    folder = site.root / "content" / register / "2025"
    shutil.move(str(folder), str(site.root / f"{register}-2025"))
    folder.symlink_to(site.root / f"{register}-2025")
    return site.rel(folder)


def _pipe(site, register: str) -> str:
    pipe = site.root / "content" / register / "2025" / "2025-009.yml"
    os.mkfifo(pipe)
    return site.rel(pipe)


def _folder(site, register: str) -> str:
    folder = site.root / "content" / register / "2025" / "2025-009.yml"
    folder.mkdir()
    return site.rel(folder)


# What the walk of content/ cannot read (GK011, GK012) was passed over by the registers: the annual report was issued
# with 本年新收 0 and "0 个错误", the deadline list left those applications out, both exiting 0.
@pytest.mark.parametrize("unread", [_linked_year, _pipe, _folder], ids=["linked-year-folder", "pipe", "folder"])
def test_what_the_walk_cannot_read_is_never_counted_as_nothing(site, unread):
    write_application(site.root, answered=D(2025, 3, 20), outcome="granted")
    write_entry(site.root)
    applications, supervision = unread(site, "applications"), unread(site, "supervision")
    registers = load_registers(load_project(site.root))
    assert registers.uncounted_for(2025) == [applications]  # the 2025 report is refused (GK847)
    assert applications in registers.untimed and supervision in registers.unusable_entries
    settings = site_settings(site.root)  # `gongkai applications` and `gongkai supervision` exit 1 naming the file
    assert [p.path for p in list_applications(settings, TODAY).problems] == [applications]
    assert [p.path for p in summarize_supervision(settings, 2025, TODAY).problems] == [supervision]
