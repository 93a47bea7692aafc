"""A published year's tables 三 and 四 are counted from the register at every build: `check --base` names each
edit of the register that changes them (GK848), which otherwise changed the report on the public site in silence."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gongkai.cli import main
from tests.registers.register_helpers import write_application

ANSWERED = {"answered": "2025-03-14", "outcome": "granted"}


def warnings(*args: str) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)
    return [problem["message"] for problem in json.loads(result.stdout) if problem["code"] == "GK848"]


def test_an_edit_of_a_published_years_register_is_named(git_site, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-02")
    first = write_application(git_site.root, "2025-001", **ANSWERED)
    write_application(git_site.root, "2025-002", **ANSWERED)
    write_application(git_site.root, "2025-003", received="2025-12-29")  # carried into 2026
    write_application(git_site.root, "2026-001", received="2026-01-05")  # this year's: no report published
    (git_site.root / "content" / "reports").mkdir(exist_ok=True)
    (git_site.root / "content" / "reports" / "2025.yml").write_text("overview: 正文\n", encoding="utf-8")
    git_site.commit()
    assert warnings("--base", "main") == []
    write_application(git_site.root, "2026-001", received="2026-01-06")  # outside every published table
    assert warnings("--base", "main") == []

    write_application(git_site.root, "2025-001", **ANSWERED, applicant="商业企业")  # the applicant's type corrected
    write_application(git_site.root, "2025-003", received="2025-12-29", answered="2025-12-31", outcome="granted")
    (git_site.root / "content" / "applications" / "2025" / "2025-002.yml").unlink()  # one deleted
    write_application(git_site.root, "2025-004", **ANSWERED, review={"filed": "2025-05-06", "result": "upheld"})
    [message] = warnings("--base", "main")
    assert "2025 年的年报已经公布" in message
    assert "表三“一、本年新收政府信息公开申请数量”的“自然人”列由 3 变为 2" in message
    assert "“商业企业”列由 0 变为 1" in message and "等 10 处" in message
    assert warnings("--base", "main", str(first)) == [message]  # a check of the register file names it too
    assert warnings("--base", "main", str(git_site.root / "content" / "reports" / "2025.yml")) == [message]


def test_an_appeal_recorded_later_changes_table_four(git_site, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-02")
    write_application(git_site.root, "2025-001", **ANSWERED)
    (git_site.root / "content" / "reports").mkdir(exist_ok=True)
    (git_site.root / "content" / "reports" / "2025.yml").write_text("overview: 正文\n", encoding="utf-8")
    git_site.commit()
    write_application(git_site.root, "2025-001", **ANSWERED, review={"filed": "2025-05-06", "result": "upheld"})
    [message] = warnings("--base", "main")
    assert "表四“行政复议”的“结果维持”列由 0 变为 1" in message, message


def test_an_edit_of_a_past_years_proposals_is_named(git_site, monkeypatch):
    from tests.registers.register_helpers import write_entry

    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-02")
    proposal = {"source": "人大代表建议", "deadline": "2025-07-10", "status": "办理中", "closed": None, "result": None}
    write_entry(git_site.root, "2025-001", **{**proposal, "received": "2025-04-10"})
    write_entry(git_site.root, "2026-001", **{**proposal, "received": "2026-01-10", "deadline": "2026-02-10"})
    git_site.commit()
    assert warnings("--base", "main") == []
    write_entry(git_site.root, "2026-001", **{**proposal, "received": "2026-01-10", "deadline": "2026-02-20"})
    assert warnings("--base", "main") == []  # this year's numbers are still moving
    write_entry(git_site.root, "2025-001", **{**proposal, "received": "2025-04-10", "status": "已办结",
                                              "closed": "2025-06-30", "result": "已答复"})  # closed in 2025, recorded now
    [message] = warnings("--base", "main")
    assert "2025 年" in message and "办结由 0 变为 1，办结率由 0.00% 变为 100.00%" in message, message


def test_a_register_begun_for_a_year_already_reported_is_no_change_of_the_register(git_site, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-02")
    (git_site.root / "content" / "reports").mkdir(exist_ok=True)
    (git_site.root / "content" / "reports" / "2025.yml").write_text("overview: 正文\n", encoding="utf-8")
    git_site.commit()
    write_application(git_site.root, "2025-001", **ANSWERED)  # the register begins: 2025's typed tables are compared
    assert warnings("--base", "main") == []                    # with it by GK845, not here


def test_refs_registers_are_read_where_refs_mkdocs_yml_put_them(git_site, monkeypatch):
    """content_dir pointed at a moved copy of content/: REF's registers are read in REF's content folder, so the move
    alone changes nothing, and an application or a proposal of a published year deleted with the move is named."""
    from tests.registers.register_helpers import write_entry

    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-02")
    write_application(git_site.root, "2025-001", **ANSWERED)
    write_application(git_site.root, "2025-002", **ANSWERED)
    proposal = {"source": "人大代表建议", "deadline": "2025-07-10", "status": "办理中", "closed": None, "result": None}
    write_entry(git_site.root, "2025-001", **{**proposal, "received": "2025-04-10"})
    (git_site.root / "content" / "reports").mkdir(exist_ok=True)
    (git_site.root / "content" / "reports" / "2025.yml").write_text("overview: 正文\n", encoding="utf-8")
    git_site.commit()
    (git_site.root / "content").rename(git_site.root / "data")
    config = git_site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - gongkai\n", "  - gongkai:\n      content_dir: data\n"),
                      encoding="utf-8")
    assert warnings("--base", "main") == []
    (git_site.root / "data" / "applications" / "2025" / "2025-002.yml").unlink()
    (git_site.root / "data" / "supervision" / "2025" / "2025-001.yml").unlink()
    found = warnings("--base", "main")
    assert len(found) == 2 and any("由 2 变为 1" in message for message in found), found


def test_an_item_of_a_published_year_deleted_or_moved_is_named(git_site, monkeypatch):
    """Table 二 and the 主动公开 counts are counted from the items at every build: an item of a reported year deleted
    (a takedown by deleting its file, where `gongkai withdraw` keeps it counted) or moved to another column changed
    the published report in silence. A year whose report REF did not have yet is no published report."""
    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-02")
    index_nos = [git_site.report_item("2025-05-06", category="规范性文件", genre="规范性文件") for _ in range(2)]
    news = git_site.report_item("2025-06-01")
    git_site.report(2025, "overview: 正文\n")
    git_site.commit()
    git_site.report_item("2024-06-01")  # a year whose report is not on REF: a late entry changes no published report
    git_site.report(2024, "overview: 正文\n")
    assert warnings("--base", "main") == []
    (git_site.root / "content" / "items" / "2025" / f"{index_nos[1][-10:]}.md").unlink()
    moved = git_site.root / "content" / "items" / "2025" / f"{news[-10:]}.md"
    moved.write_text(moved.read_text(encoding="utf-8").replace("category: 动态信息", "category: 政策解读"), encoding="utf-8")
    [message] = warnings("--base", "main")
    assert "2025 年的年报已经公布" in message and "表二“行政规范性文件”的“本年制发件数”由 2 变为 1" in message, message
    assert "主动公开信息总数由 3 变为 2" in message and "栏目“动态信息”的条数由 1 变为 0" in message, message
    assert "gongkai withdraw" in message
    assert warnings("--base", "main", str(moved)) == [message]  # a check of the changed item names it too
