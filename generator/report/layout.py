"""The national template's rows, columns and labels (国办公开办函〔2021〕30号), and their YAML keys.

One source of truth: the input parser, the checks and every renderer read these tuples, so a
label is spelled once and the YAML keys and the printed labels cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE_SUFFIX = "政府信息公开工作年度报告"

SECTION_OVERVIEW = "一、总体情况"
SECTION_ACTIVE = "二、主动公开政府信息情况"
SECTION_APPLICATIONS = "三、收到和处理政府信息公开申请情况"
SECTION_APPEALS = "四、政府信息公开行政复议、行政诉讼情况"
SECTION_PROBLEMS = "五、存在的主要问题及改进情况"
SECTION_OTHER = "六、其他需要报告的事项"


@dataclass(frozen=True)
class Column:
    key: str
    label: str


# ---- 表二：主动公开政府信息情况 -------------------------------------------------------------

ARTICLE_20_1 = "第二十条第（一）项"
ARTICLE_20_5 = "第二十条第（五）项"
ARTICLE_20_6 = "第二十条第（六）项"
ARTICLE_20_8 = "第二十条第（八）项"
CONTENT_HEADER = "信息内容"

DOCUMENT_COLUMNS = (
    Column("made", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("valid", "现行有效件数"),
)
REGULATION = Column("regulations", "规章")
NORMATIVE = Column("normative_documents", "行政规范性文件")

DECISIONS_HEADER = "本年处理决定数量"
FEES_HEADER = "本年收费金额（单位：万元）"


@dataclass(frozen=True)
class Figure:
    """A clerk-entered figure of table 二: a count of decisions, or the fee amount."""

    key: str
    label: str
    article: str
    header: str
    is_amount: bool = False  # 万元, may have decimals


FIGURES = (
    Figure("licensing", "行政许可", ARTICLE_20_5, DECISIONS_HEADER),
    Figure("punishment", "行政处罚", ARTICLE_20_6, DECISIONS_HEADER),
    Figure("coercion", "行政强制", ARTICLE_20_6, DECISIONS_HEADER),
    Figure("fees", "行政事业性收费", ARTICLE_20_8, FEES_HEADER, is_amount=True),
)

# Genres (体裁) counted in the 规章 and 行政规范性文件 rows.
REGULATION_GENRES = ("规章",)
NORMATIVE_GENRES = ("规范性文件", "行政规范性文件")
# An item without a genre but filed under this 主题分类 counts as a 行政规范性文件.
NORMATIVE_CATEGORY = "规范性文件"

# ---- 表三：收到和处理政府信息公开申请情况 -----------------------------------------------------

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("enterprise", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
)
TOTAL_COLUMN = Column("total", "总计")
APPLICATION_COLUMNS = (*APPLICANT_COLUMNS, TOTAL_COLUMN)
ORGANISATION_HEADER = "法人或其他组织"
APPLICANT_HEADER = "申请人情况"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

RowPath = tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One line of table 三. `path` is where it sits in the YAML under `applications`."""

    path: RowPath
    label: str
    group: str = ""  # （三）不予公开 … for the numbered sub-rows

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def full_label(self) -> str:
        """The label with its group, for flat layouts (Markdown, CSV)."""
        return f"{self.group}：{self.label}" if self.group else self.label


RESULTS_HEADER = "三、本年度办理结果"


@dataclass(frozen=True)
class ResultGroup:
    key: str
    label: str
    rows: tuple[Row, ...]


def _group(key: str, label: str, items: tuple[tuple[str, str], ...]) -> ResultGroup:
    return ResultGroup(key, label, tuple(Row(("results", key, k), text, label) for k, text in items))


NEW = Row(("new",), "一、本年新收政府信息公开申请数量")
CARRIED_OVER = Row(("carried_over",), "二、上年结转政府信息公开申请数量")
GRANTED = Row(("results", "granted"), "（一）予以公开")
PARTIAL = Row(("results", "partial"), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
WITHHELD = _group("withheld", "（三）不予公开", (
    ("state_secret", "1.属于国家秘密"),
    ("law_forbidden", "2.其他法律行政法规禁止公开"),
    ("security_stability", "3.危及“三安全一稳定”"),
    ("third_party", "4.保护第三方合法权益"),
    ("internal_affairs", "5.属于三类内部事务信息"),
    ("process_info", "6.属于四类过程性信息"),
    ("enforcement_file", "7.属于行政执法案卷"),
    ("query_matter", "8.属于行政查询事项"),
))
UNAVAILABLE = _group("unavailable", "（四）无法提供", (
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("needs_creation", "2.没有现成信息需要另行制作"),
    ("unclear", "3.补正后申请内容仍不明确"),
))
NOT_PROCESSED = _group("not_processed", "（五）不予处理", (
    ("complaint", "1.信访举报投诉类申请"),
    ("repeated", "2.重复申请"),
    ("publication", "3.要求提供公开出版物"),
    ("excessive", "4.无正当理由大量反复申请"),
    ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
))
OTHER_HANDLING = _group("other_handling", "（六）其他处理", (
    ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
))
RESULT_GROUPS = (WITHHELD, UNAVAILABLE, NOT_PROCESSED, OTHER_HANDLING)
RESULTS_TOTAL = Row(("results", "total"), "（七）总计")
CARRIED_FORWARD = Row(("carried_forward",), "四、结转下年度继续办理")

# The result rows that add up to （七）总计, in template order.
RESULT_ROWS: tuple[Row, ...] = (GRANTED, PARTIAL, *(row for group in RESULT_GROUPS for row in group.rows))
APPLICATION_ROWS: tuple[Row, ...] = (NEW, CARRIED_OVER, *RESULT_ROWS, RESULTS_TOTAL, CARRIED_FORWARD)

# ---- 表四：行政复议、行政诉讼 -----------------------------------------------------------------

OUTCOME_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
)
APPEAL_COLUMNS = (*OUTCOME_COLUMNS, TOTAL_COLUMN)
REVIEW_HEADER = "行政复议"
LITIGATION_HEADER = "行政诉讼"
APPEAL_ROWS = (
    Column("review", "行政复议"),
    Column("litigation_direct", "未经复议直接起诉"),
    Column("litigation_after_review", "复议后起诉"),
)


def appeal_label(row: Column) -> str:
    """行政复议, or 行政诉讼（未经复议直接起诉）/（复议后起诉） in flat layouts."""
    return row.label if row.key == "review" else f"{LITIGATION_HEADER}（{row.label}）"


# ---- 主动公开条目统计（模板之外，SPEC §7 要求） --------------------------------------------

PROACTIVE_HEADER = "本年主动公开政府信息数量"
BY_CATEGORY_HEADER = "按主题分类"
BY_DEPARTMENT_HEADER = "按发布机构"
COUNT_HEADER = "条数"
