"""The rules of the annual-report inputs (family `reports`, GK8xx).

`gongkai report` refuses on the same errors that `gongkai check` reports, so the rules are
declared here, beside the report, and raised by `inputs` and `validation`.
"""

from ..rules import ERROR, REPORTS, WARNING

FILE_NAME = REPORTS.rule(
    "GK801", ERROR,
    "年度报告数据文件名不是年份",
    "把文件命名为“四位年份.yml”，例如 content/reports/2025.yml；年份在 2008 年至今年之间",
)
STRUCTURE = REPORTS.rule(
    "GK802", ERROR,
    "年度报告数据的结构不对",
    "按 docs/年度报告数据格式.md 的样例填写：各栏是“键: 值”映射，表格的一行写成 {natural_person: 3, …, total: 3}，整行为 0 可只写 0",
)
UNKNOWN_KEY = REPORTS.rule(
    "GK803", ERROR,
    "年度报告数据中有未知的键",
    "改正拼写（提示中给出了最接近的键）；键一律用英文，中文名称写在注释里",
)
MISSING_KEY = REPORTS.rule(
    "GK804", ERROR,
    "年度报告数据缺少某一项",
    "补上提示中的键；没有发生的数字填 0，不要删掉整行",
)
BAD_COUNT = REPORTS.rule(
    "GK805", ERROR,
    "件数不是非负整数，或超过 9 位数",
    "填写 0 或正整数，不加引号、不加单位",
)
BAD_AMOUNT = REPORTS.rule(
    "GK806", ERROR,
    "收费金额不是非负数，或超过 9 位数（万元）",
    "以万元为单位填写数字，可带小数，例如 1.25；没有收费填 0",
)
EMPTY_TEXT = REPORTS.rule(
    "GK807", ERROR,
    "年报的文字部分没有填写",
    "在 overview（总体情况）、problems（存在的主要问题及改进情况）、other_matters（其他需要报告的事项）后写 `|`，下一行起缩进两格写正文",
)
ROW_TOTAL = REPORTS.rule(
    "GK810", ERROR,
    "表三某行的“总计”不等于各类申请人之和",
    "核对该行：自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他 = 总计",
)
RESULTS_TOTAL = REPORTS.rule(
    "GK811", ERROR,
    "表三“（七）总计”不等于各项办理结果之和",
    "核对该列：（一）至（六）所有办理结果（含各小项）之和 = （七）总计",
)
BALANCE = REPORTS.rule(
    "GK812", ERROR,
    "表三某列收支不平衡",
    "核对该列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
)
CARRY_OVER = REPORTS.rule(
    "GK813", ERROR,
    "本年“上年结转”与上一年“结转下年度继续办理”不一致",
    "两份文件中对应的数应相等：改正本年的上年结转，或改正上一年的结转数（同时核对上一年的平衡）",
)
APPEAL_TOTAL = REPORTS.rule(
    "GK814", ERROR,
    "表四某项的“总计”不等于各结果之和",
    "核对该项：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计",
)
BREAKDOWN_TOTAL = REPORTS.rule(
    "GK815", ERROR,
    "表二某项的合计不等于各股室分项之和",
    "核对 by_department 中各股室的数与 total",
)
UNKNOWN_DEPARTMENT = REPORTS.rule(
    "GK816", ERROR,
    "表二分项中的股室不在 catalog.yml 中",
    "使用 catalog.yml 中发布机构的名称或代号",
)
REPEALED_REFERENCE = REPORTS.rule(
    "GK820", ERROR,
    "废止文件列表中的索引号不对",
    "只列本年废止或失效的规章、行政规范性文件的索引号，且条目的 validity 已改为“废止”或“失效”",
)
REPEALED_TWICE = REPORTS.rule(
    "GK821", ERROR,
    "同一文件被多次列为废止",
    "只在废止当年的年报数据中列出一次",
)
UNLISTED_REPEAL = REPORTS.rule(
    "GK822", WARNING,
    "已废止或失效的文件没有列入任何年报的废止文件列表",
    "在废止当年的 content/reports/<年份>.yml 的 active_disclosure.repealed 中写上它的索引号",
)
