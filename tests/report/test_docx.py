"""`gongkai report YEAR --format docx`: the Word document in the national layout, checked cell by
cell against `--format json` of the same run, and the typesetting of GB/T 9704 that python-docx sets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.report.layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    ARTICLE_20_1,
    BALANCE_NOTE,
    DOCUMENT_COLUMNS,
    FIGURES,
    SECTION_ACTIVE,
    SECTION_APPEALS,
    SECTION_APPLICATIONS,
    SECTION_OTHER,
    SECTION_OVERVIEW,
    SECTION_PROBLEMS,
)
from tests.projects import Project
from tests.report.report_helpers import TODAY, report_project, valid_input

GONGKAI = [os.path.join(os.path.dirname(sys.executable), "gongkai")]


def run(site: Project, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat()}
    return subprocess.run([*GONGKAI, *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=120)


def grid(table) -> list[list[str]]:
    """Cell texts by grid position; a merged cell's text repeats over every position it covers."""
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def both(tmp_path_factory, keys) -> tuple[docx.document.Document, dict, Path]:
    """One report written by the real command, as Word and as JSON, for the tests that only read them (two
    processes of ≈ 2.5 s each: once a module, not once a test); with the Word file's path."""
    site = report_project(tmp_path_factory.mktemp("docx"), keys)
    site.report_item("2025-03-01")
    site.report_item("2025-04-01", category="规范性文件", department="住房保障股", genre="规范性文件")
    site.report(2024, valid_input())
    site.report(2025, valid_input())
    written = run(site, "report", "2025", "--format", "docx", "--output", "年报.docx")
    assert written.returncode == 0, written.stderr
    assert written.stdout == "" and "已写入 年报.docx" in written.stderr
    as_json = run(site, "report", "2025", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    return docx.Document(str(site.root / "年报.docx")), json.loads(as_json.stdout), site.root / "年报.docx"


def test_text_follows_the_national_outline(both):
    document, data, _ = both
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == data["title"] and paragraphs[0].style.name == "Title"
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == [SECTION_OVERVIEW, SECTION_ACTIVE, SECTION_APPLICATIONS, SECTION_APPEALS, SECTION_PROBLEMS, SECTION_OTHER]
    texts = [p.text for p in paragraphs]
    for line in data["overview"].splitlines() + [data["problems"], data["other_matters"].strip()]:
        assert line.strip() in texts


def test_table_two_labels_and_numbers_match_json(both):
    document, data, _ = both
    active = data["active_disclosure"]
    table = grid(document.tables[0])
    assert table[0] == [ARTICLE_20_1] * 4
    assert table[1] == ["信息内容", *(c.label for c in DOCUMENT_COLUMNS)]
    assert table[2] == ["规章", *(str(active["regulations"][c.key]) for c in DOCUMENT_COLUMNS)]
    assert table[3] == ["行政规范性文件", *(str(active["normative_documents"][c.key]) for c in DOCUMENT_COLUMNS)]
    assert active["normative_documents"]["made"] == 1
    rest = table[4:]
    for figure in FIGURES:
        at = next(i for i, line in enumerate(rest) if line[0] == figure.label)
        value = active[figure.key]
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        assert rest[at] == [figure.label] + [shown] * 3
        header = next(line for line in reversed(rest[:at]) if line[0] == "信息内容")
        assert header == ["信息内容"] + [figure.header] * 3
        article = next(line for line in reversed(rest[:at]) if line[0].startswith("第二十条"))
        assert article == [figure.article] * 4


def test_counts_tables_match_json(both):
    document, data, _ = both
    by_category, by_department = grid(document.tables[1]), grid(document.tables[2])
    assert by_category[0] == ["主题分类", "条数"] and by_department[0] == ["发布机构", "条数"]
    assert {name: int(n) for name, n in by_category[1:-1]} == data["by_category"]
    assert {name: int(n) for name, n in by_department[1:-1]} == data["by_department"]
    assert by_category[-1] == by_department[-1] == ["合计", str(data["proactive_total"])]


def test_table_three_labels_and_every_number_match_json(both):
    document, data, _ = both
    table = grid(document.tables[3])
    columns = data["applications"]["columns"]
    assert all(len(line) == 3 + len(columns) for line in table)
    assert table[0][:3] == [BALANCE_NOTE] * 3 and table[0][3:] == ["申请人情况"] * len(columns)
    assert table[1][3] == table[2][3] == columns[0]["label"] == "自然人"
    assert table[1][4:9] == ["法人或其他组织"] * 5
    assert table[2][4:9] == [c["label"] for c in columns[1:6]]
    assert table[1][9] == table[2][9] == columns[-1]["label"] == "总计"
    body = table[3:]
    assert len(body) == len(data["applications"]["rows"])
    for line, row in zip(body, data["applications"]["rows"], strict=True):
        group, _, label = row["label"].rpartition("：")
        assert line[2] == label and (not group or line[1] == group)
        assert line[3:] == [str(row["values"][c["key"]]) for c in columns]
    assert body[2][0] == body[-3][0] == "三、本年度办理结果"
    assert body[0][:3] == ["一、本年新收政府信息公开申请数量"] * 3


def test_table_four_labels_and_every_number_match_json(both):
    document, data, _ = both
    table = grid(document.tables[4])
    assert table[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert table[1][:5] == table[2][:5] == [c.label for c in APPEAL_COLUMNS]
    assert table[1][5:] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert table[2][5:] == [c.label for c in APPEAL_COLUMNS] * 2
    assert table[3] == [str(data["review_litigation"][row.key][c.key]) for row in APPEAL_ROWS for c in APPEAL_COLUMNS]


def test_merged_header_cells_are_real_merges(both):
    document, _, _ = both
    cells = document.tables[3].rows[0]._tr.tc_lst  # the note spans 3 columns, the applicant header 7
    assert [tc.grid_span for tc in cells] == [3, 7]
    note, natural_person = document.tables[3].rows[1]._tr.tc_lst[:2]  # the note runs down 3 rows, 自然人 2
    assert (cells[0].vMerge, note.vMerge, natural_person.vMerge) == ("restart", "continue", "restart")
    header_rows = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in document.tables[3].rows]
    assert header_rows[:3] == [True] * 3 and not any(header_rows[3:])


def test_typesetting_of_gb_t_9704(both):
    document, _, written = both
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]

    def east_asian(style) -> str:
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    styles = document.styles
    assert (east_asian(styles["Normal"]), styles["Normal"].font.size) == ("仿宋_GB2312", Pt(16))
    assert styles["Normal"].paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert round(styles["Normal"].paragraph_format.line_spacing.mm * 22) == 225
    assert (east_asian(styles["Title"]), styles["Title"].font.size) == ("方正小标宋简体", Pt(22))
    assert (east_asian(styles["Heading 1"]), styles["Heading 1"].font.size) == ("黑体", Pt(16))
    assert not styles["Heading 1"].font.bold and styles["Heading 1"].font.color.rgb is None

    with zipfile.ZipFile(written) as package:
        fonts = package.read("word/fontTable.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体,SimHei"/>' in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong"/>' in fonts
    assert "evenAndOddHeaders" in settings
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert 'w:instr="PAGE"' in xml and footer.paragraphs[0].text.startswith("— ")


def test_docx_needs_an_output_file(site: Project):
    site.report(2025, valid_input())
    result = run(site, "report", "2025", "--format", "docx")
    assert result.returncode == 1 and result.stdout == ""
    assert "--output" in result.stderr and "Traceback" not in result.stderr


def test_output_into_a_missing_folder_is_a_chinese_error(site: Project):
    site.report(2025, valid_input())
    result = run(site, "report", "2025", "--format", "docx", "--output", "没有/年报.docx")
    assert result.returncode == 1 and "目录" in result.stderr and "不存在" in result.stderr
    assert "Traceback" not in result.stderr


def test_text_formats_can_go_to_a_file_too(site: Project):
    site.report(2025, valid_input())
    result = run(site, "report", "2025", "--format", "csv", "-o", "年报.csv")
    assert result.returncode == 0 and result.stdout == ""
    text = (site.root / "年报.csv").read_text(encoding="utf-8")
    assert text.startswith("年度,栏目,项目,指标,数值\n") and text.endswith("\n") and not text.endswith("\n\n")
    assert oct((site.root / "年报.csv").stat().st_mode & 0o777) != oct(0o600)


def test_refused_report_leaves_an_existing_file_alone(site: Project):
    data = valid_input()
    data["review_litigation"]["review"]["total"] = 7
    site.report(2025, data)
    previous = site.root / "年报.docx"
    previous.write_bytes(b"last year's")
    result = run(site, "report", "2025", "--format", "docx", "--output", "年报.docx")
    assert result.returncode == 1 and "GK814" in result.stderr
    assert previous.read_bytes() == b"last year's"
    assert not [p for p in Path(site.root).iterdir() if p.name.startswith(".gongkai-")]
