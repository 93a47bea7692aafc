"""What the preview prints is Chinese: MkDocs' log lines translated or replaced."""

from __future__ import annotations

import logging
import re

from hypothesis import given
from hypothesis import strategies as st

from gongkai.preview.messages import UNKNOWN, MkDocsLog, problem_line, summary_line, translate
from gongkai.problems import ERROR, WARNING, Problem
from gongkai.registers.codes import OVERDUE

ENGLISH = re.compile(r"\b(?:Doc|file|contains|link|target|found|among|documentation|Error|page|left|anchor)\b")


def test_mkdocs_link_warnings_are_translated():
    text = translate("Doc file 'items/2021/a.md' contains a link '../x.md', but the target 'items/x.md' is not found "
                     "among documentation files.")
    assert text == "items/2021/a.md：链接“../x.md”指向的 items/x.md 不存在"
    assert translate("Doc file 'a.md' contains an unrecognized relative link 'x/', it was left as is.") == \
        "a.md：链接“x/”无法识别，已原样保留"
    assert translate("Error building page 'items/a.md': boom") == "items/a.md：生成页面时出错"


def test_chinese_lines_pass_and_anything_else_is_replaced():
    assert translate("mkdocs.yml 的 gongkai.footer 缺少：主办单位") == "mkdocs.yml 的 gongkai.footer 缺少：主办单位"
    assert translate("Something entirely new happened") == UNKNOWN


@given(st.text(alphabet=st.characters(max_codepoint=0x7f), max_size=80))
def test_no_english_sentence_survives(message):
    assert not ENGLISH.search(translate(message).replace("gongkai", ""))


def test_problem_lines_name_the_severity_in_chinese():
    assert problem_line(Problem("a.md", 3, 1, "GK201", ERROR, "尚未审查")) == "a.md:3:1: GK201 错误：尚未审查"
    assert problem_line(Problem("a.md", 3, 1, "GK702", WARNING, "晚了")) == "a.md:3:1: GK702 警告：晚了"


def test_the_summary_counts_only_the_errors_that_stop_the_build_as_such():
    overdue = OVERDUE.at("content/applications/2024/2024-001.yml", 1, "逾期")  # an error that does not stop a build
    unreviewed = Problem("a.md", 3, 1, "GK201", ERROR, "尚未审查")
    late = Problem("a.md", 4, 1, "GK702", WARNING, "晚了")
    assert summary_line([unreviewed, late]) == "内容检查：1 个错误（gongkai build 会因此失败），1 个警告"
    assert summary_line([overdue, late]) == ("内容检查：没有会使 gongkai build 失败的错误，1 个错误不影响生成网站"
                                             "（gongkai check 仍报告），1 个警告")
    assert summary_line([late]) == "内容检查：没有错误，1 个警告"


def test_the_log_handler_echoes_each_line_once_and_keeps_the_original_of_untranslated_ones():
    lines: list[str] = []
    handler = MkDocsLog(lines.append)
    logger = logging.getLogger("gongkai-test-preview-messages")
    logger.addHandler(handler)
    try:
        for _ in range(2):
            logger.warning("Doc file 'a.md' contains an absolute link '/x/', it was left as is.")
        logger.warning("Theme went sideways")
    finally:
        logger.removeHandler(handler)
    assert lines == ["提示：a.md：以 / 开头的链接“/x/”已原样保留", f"提示：{UNKNOWN}"]
    assert [note.original for note in handler.notes] == ["", "Theme went sideways"]
