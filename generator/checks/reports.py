"""Family `reports` (GK8xx): the annual-report inputs in content/reports/<year>.yml.

Shape and types, the arithmetic of the national tables (every sum the office writes down is
re-added), last year's 结转 against this year's, and the documents listed as repealed. The
rules themselves live in `gongkai.report` because `gongkai report` refuses on the same errors.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..problems import ERROR, WARNING, Problem
from ..report import codes
from ..report.validation import load_inputs
from .base import CheckContext, Rule

RULES: tuple[Rule, ...] = (
    Rule(codes.FILE_NAME, ERROR, "年度报告数据文件名不是年份",
         "把文件命名为“四位年份.yml”，例如 content/reports/2025.yml；年份在 2008 年至今年之间"),
    Rule(codes.STRUCTURE, ERROR, "年度报告数据的结构不对",
         "按 docs/年度报告数据格式.md 的样例填写：各栏是“键: 值”映射，表格的一行写成 {natural_person: 3, …, total: 3}，整行为 0 可只写 0"),
    Rule(codes.UNKNOWN_KEY, ERROR, "年度报告数据中有未知的键",
         "改正拼写（提示中给出了最接近的键）；键一律用英文，中文名称写在注释里"),
    Rule(codes.MISSING_KEY, ERROR, "年度报告数据缺少某一项",
         "补上提示中的键；没有发生的数字填 0，不要删掉整行"),
    Rule(codes.BAD_COUNT, ERROR, "件数不是非负整数",
         "填写 0 或正整数，不加引号、不加单位"),
    Rule(codes.BAD_AMOUNT, ERROR, "收费金额不是非负数",
         "以万元为单位填写数字，可带小数，例如 1.25；没有收费填 0"),
    Rule(codes.EMPTY_TEXT, ERROR, "年报的文字部分没有填写",
         "在 overview（总体情况）、problems（存在的主要问题及改进情况）、other_matters（其他需要报告的事项）后写 `|`，下一行起缩进两格写正文"),
    Rule(codes.ROW_TOTAL, ERROR, "表三某行的“总计”不等于各类申请人之和",
         "核对该行：自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他 = 总计"),
    Rule(codes.RESULTS_TOTAL, ERROR, "表三“（七）总计”不等于各项办理结果之和",
         "核对该列：（一）至（六）所有办理结果（含各小项）之和 = （七）总计"),
    Rule(codes.BALANCE, ERROR, "表三某列收支不平衡",
         "核对该列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理"),
    Rule(codes.CARRY_OVER, ERROR, "本年“上年结转”与上一年“结转下年度继续办理”不一致",
         "两份文件中对应的数应相等：改正本年的上年结转，或改正上一年的结转数（同时核对上一年的平衡）"),
    Rule(codes.APPEAL_TOTAL, ERROR, "表四某项的“总计”不等于各结果之和",
         "核对该项：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计"),
    Rule(codes.BREAKDOWN_TOTAL, ERROR, "表二某项的合计不等于各股室分项之和",
         "核对 by_department 中各股室的数与 total"),
    Rule(codes.UNKNOWN_DEPARTMENT, ERROR, "表二分项中的股室不在 catalog.yml 中",
         "使用 catalog.yml 中发布机构的名称或代号"),
    Rule(codes.REPEALED_REFERENCE, ERROR, "废止文件列表中的索引号不对",
         "只列本年废止或失效的规章、行政规范性文件的索引号，且条目的 validity 已改为“废止”或“失效”"),
    Rule(codes.REPEALED_TWICE, ERROR, "同一文件被多次列为废止",
         "只在废止当年的年报数据中列出一次"),
    Rule(codes.UNLISTED_REPEAL, WARNING, "已废止或失效的文件没有列入任何年报的废止文件列表",
         "在废止当年的 content/reports/<年份>.yml 的 active_disclosure.repealed 中写上它的索引号"),
)


def check(ctx: CheckContext) -> Iterable[Problem]:
    _, problems = load_inputs(ctx.project, ctx.today)
    return problems
