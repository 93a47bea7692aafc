"""The 依申请公开 register: content/applications/<year>/<编号>.yml, one application a file.

What a file may hold is declared once (`FIELDS`); `read_application` turns a file into an
`Application`, or into problems. Applicants are recorded by type only (the national template's
columns); the outcome is a row key of table 三 as `gongkai report --format json` names it under
`results.` (granted, partial, withheld.third_party …), so the report counts it without a mapping.
Rules that depend on the day of the check (overdue, dates in the future) are in `checks`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..loading import SourceDocument
from ..problems import Problem
from ..report.layout import APPLICANT_COLUMNS, OUTCOME_COLUMNS, RESULT_ROWS
from . import codes
from .fields import AMOUNT, CHOICE, DATE, FLAG, GROUP, TEXT, Field, Reader

FOLDER = "applications"

CHANNELS = ("当面", "传真", "网络", "信函", "其他")
APPLICANTS = {column.label: column.key for column in APPLICANT_COLUMNS}  # 自然人 → natural_person …
OUTCOMES = tuple(row.key.removeprefix("results.") for row in RESULT_ROWS)  # granted, withheld.third_party …
APPEAL_RESULTS = tuple(column.key for column in OUTCOME_COLUMNS)  # upheld | corrected | other | pending
NO_CORRECTION = "other_handling.no_correction"
STILL_UNCLEAR = "unavailable.unclear"  # 补正后申请内容仍不明确

_APPEAL_RESULT = Field("result", "结果", CHOICE, "upheld 结果维持 | corrected 结果纠正 | other 其他结果 | pending 尚未审结。",
                       required=True, choices=APPEAL_RESULTS)
_DECIDED = Field("decided", "审结日期", DATE, "可选，YYYY-MM-DD；晚于某年 12 月 31 日审结的，该年年报按“尚未审结”统计。")

FIELDS: tuple[Field, ...] = (
    Field("received", "收到申请日期", DATE,
          "YYYY-MM-DD：当面提交为提交之日，邮寄为签收之日，网络、传真为双方确认之日（条例第三十一条）。", required=True),
    Field("channel", "申请方式", CHOICE, "当面 | 传真 | 网络 | 信函 | 其他。", required=True, choices=CHANNELS,
          aliases={"网上": "网络", "在线": "网络", "电子邮件": "网络", "邮寄": "信函", "来信": "信函", "现场": "当面"}),
    Field("applicant", "申请人类型", CHOICE,
          "自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他（年报表三的列）；不登记姓名和证件号码。",
          required=True, choices=tuple(APPLICANTS), aliases={key: key for key in APPLICANTS.values()}),
    Field("request", "申请内容", TEXT, "申请公开的信息，一句话概括；不写申请人的姓名、证件号码和联系方式。", required=True),
    Field("correction", "补正", GROUP, "可选：申请内容不明确、告知补正时填写；答复期限自收到补正之日起计算（条例第三十条）。", children=(
        Field("requested", "告知补正日期", DATE, "YYYY-MM-DD，应在收到申请后 7 个工作日内。", required=True),
        Field("received", "收到补正日期", DATE, "YYYY-MM-DD；申请人尚未补正时不写。"),
    )),
    Field("extension", "延长答复期限", GROUP,
          "可选：经负责人同意并告知申请人延期时填写，期限延长 20 个工作日（条例第三十三条）。", children=(
        Field("date", "延期决定日期", DATE, "YYYY-MM-DD，应在原答复期限内。", required=True),
        Field("reason", "延期理由", TEXT, "例如 需征求第三方意见。", required=True),
    )),
    Field("answered", "答复日期", DATE, "YYYY-MM-DD：答复书出具并送出之日；仍在办理时不写。"),
    Field("outcome", "办理结果", CHOICE,
          "表三的行：granted 予以公开、partial 部分公开、withheld.* 不予公开、unavailable.* 无法提供、"
          "not_processed.* 不予处理、other_handling.* 其他处理；与 answered 同时填写。",
          choices=OUTCOMES, aliases={f"results.{key}": key for key in OUTCOMES}),
    Field("fee", "信息处理费", AMOUNT, "可选：收取的信息处理费（元）；未收费不写，或写 0、none、无。"),
    Field("review", "行政复议", GROUP, "可选：申请人就本申请申请行政复议时填写。", children=(
        Field("filed", "申请复议日期", DATE, "YYYY-MM-DD；年报按此日期所在年份统计。", required=True),
        _APPEAL_RESULT,
        _DECIDED,
    )),
    Field("litigation", "行政诉讼", GROUP, "可选：申请人就本申请提起行政诉讼时填写。", children=(
        Field("filed", "起诉日期", DATE, "YYYY-MM-DD；年报按此日期所在年份统计。", required=True),
        _APPEAL_RESULT,
        Field("after_review", "复议后起诉", FLAG, "true：经行政复议后起诉；false 或不写：未经复议直接起诉。"),
        _DECIDED,
    )),
)
EXAMPLE = "`received: 2025-03-03`"
# What tables 三 and 四 read: a problem with any of these keeps the application out of the count.
COUNTED = ("received", "applicant", "answered", "outcome", "review", "litigation")
# What the deadline is computed from: a problem with any of these keeps it out of the deadline list.
TIMED = ("received", "correction", "extension", "answered")


@dataclass(frozen=True)
class Appeal:
    """A 行政复议 or 行政诉讼 about one application: table 四 counts it in the year it was filed."""

    filed: dt.date
    result: str  # upheld | corrected | other | pending
    decided: dt.date | None = None
    after_review: bool = False  # litigation only

    def result_at(self, end: dt.date) -> str:
        """The column of table 四 as known at `end`: a case decided later was still pending then."""
        return "pending" if self.decided is not None and self.decided > end else self.result


@dataclass(frozen=True)
class Application:
    path: str
    received: dt.date
    channel: str
    applicant: str  # a column key of table 三: natural_person, enterprise …
    request: str
    correction_requested: dt.date | None = None
    correction_received: dt.date | None = None
    extension: dt.date | None = None  # the day the extension was decided
    answered: dt.date | None = None
    outcome: str | None = None  # granted, partial, withheld.third_party …
    fee: Decimal | None = None
    review: Appeal | None = None
    litigation: Appeal | None = None

    @property
    def row(self) -> str | None:
        """The row key of table 三 (results.granted …) once answered."""
        return f"results.{self.outcome}" if self.outcome else None

    def open_at(self, end: dt.date) -> bool:
        """Received by `end` and not answered by then."""
        return self.received <= end and (self.answered is None or self.answered > end)


@dataclass(frozen=True)
class Reading:
    """One register file read: the application (None without a usable receipt date), its problems, and
    whether the report may count it and its deadline be computed despite them — a mistyped channel
    must not stop the annual report, nor hide a deadline; the problems are still errors."""

    application: Application | None
    problems: list[Problem]
    counted: bool  # what tables 三 and 四 read is sound (COUNTED)
    timed: bool  # the dates the deadline is computed from are sound (TIMED)


def read_application(data: Any, document: SourceDocument) -> Reading:
    reader = Reader(document)
    values = reader.read(data, FIELDS, "依申请公开登记", EXAMPLE)
    _consistency(reader, values)
    if "received" not in values or not reader.fine("received"):
        return Reading(None, reader.problems, False, False)
    correction = values.get("correction", {})
    extension = values.get("extension", {})
    application = Application(
        path=document.path,
        received=values["received"],
        channel=values.get("channel", ""),
        applicant=APPLICANTS.get(values.get("applicant", ""), values.get("applicant", "")),
        request=values.get("request", ""),
        correction_requested=correction.get("requested"),
        correction_received=correction.get("received"),
        extension=extension.get("date"),
        answered=values.get("answered"),
        outcome=values.get("outcome"),
        fee=values.get("fee"),
        review=_appeal(values.get("review")),
        litigation=_appeal(values.get("litigation")),
    )
    counted = reader.fine(*COUNTED) and "applicant" in values
    return Reading(application, reader.problems, counted, reader.fine(*TIMED))


def _appeal(values: dict[str, Any] | None) -> Appeal | None:
    if not values or "filed" not in values or "result" not in values:  # its problem is reported
        return None
    return Appeal(values["filed"], values["result"], values.get("decided"), values.get("after_review", False))


def _consistency(reader: Reader, values: dict[str, Any]) -> None:
    """Dates in the order things happen, and an answer together with its outcome."""
    received = values.get("received")
    correction = values.get("correction", {})
    extension = values.get("extension", {})
    answered = values.get("answered")
    steps = [
        (("correction", "requested"), correction.get("requested"), received, "告知补正日期", "收到申请日期"),
        (("correction", "received"), correction.get("received"), correction.get("requested"), "收到补正日期", "告知补正日期"),
        (("extension", "date"), extension.get("date"), correction.get("received") or received, "延期决定日期", "答复期限的起算日"),
        (("answered",), answered, received, "答复日期", "收到申请日期"),
        (("answered",), answered, correction.get("received"), "答复日期", "收到补正日期"),
    ]
    for name in ("review", "litigation"):
        appeal = values.get(name, {})
        label = "申请复议日期" if name == "review" else "起诉日期"
        steps.append(((name, "filed"), appeal.get("filed"), received, label, "收到申请日期"))
        steps.append(((name, "decided"), appeal.get("decided"), appeal.get("filed"), "审结日期", label))
    review, litigation = values.get("review", {}), values.get("litigation", {})
    if litigation.get("after_review"):  # 复议后起诉: after the 复议 was filed, and after its decision when there is one
        steps.append((("litigation", "filed"), litigation.get("filed"), review.get("filed"), "起诉日期", "申请复议日期"))
        steps.append((("litigation", "filed"), litigation.get("filed"), review.get("decided"), "起诉日期", "复议审结日期"))
    for key, later, earlier, later_label, earlier_label in steps:
        if later is not None and earlier is not None and later < earlier:
            reader.report(codes.DATE_ORDER, key,
                          f"{later_label}（{'.'.join(key)}）{later} 早于{earlier_label} {earlier}：请核对这两个日期", value=True)
    # Table 四 counts each case under its result: a contradiction there is a wrong number in the published report.
    for name, label in (("review", "行政复议"), ("litigation", "行政诉讼")):
        appeal = values.get(name, {})
        if appeal.get("result") == "pending" and appeal.get("decided") is not None:
            reader.report(codes.BAD_VALUE, (name, "result"),
                          f"{label}写了审结日期（{name}.decided）{appeal['decided']}，结果却是 pending（尚未审结）："
                          "已审结的请写 upheld、corrected 或 other；尚未审结的删去 decided", value=True)
    if litigation.get("after_review") and "review" not in values and reader.fine("review"):
        reader.report(codes.BAD_VALUE, ("litigation", "after_review"),
                      "行政诉讼登记为复议后起诉（after_review: true），但没有登记行政复议（review）：表四会把它计入“复议后起诉”；"
                      "请补登 review，或把 after_review 改为 false（未经复议直接起诉）", value=True)
    has_answer, has_outcome = "answered" in values, "outcome" in values
    if has_answer != has_outcome and reader.fine("answered", "outcome"):
        if has_answer:
            reader.report(codes.OUTCOME_WITHOUT_ANSWER, ("answered",),
                          f"已答复（{answered}）却没有办理结果：请写 outcome（表三的行，例如 granted、partial、withheld.third_party）",
                          about=("outcome",))
        else:  # probably answered, the date forgotten: no deadline is judged
            reader.report(codes.OUTCOME_WITHOUT_ANSWER, ("outcome",),
                          "写了办理结果（outcome）却没有答复日期：请写 answered（答复日期）；仍在办理的，两项都不写",
                          about=("answered",))
    if values.get("outcome") == NO_CORRECTION and "requested" not in correction:
        reader.report(codes.OUTCOME_WITHOUT_ANSWER, ("outcome",),
                      "办理结果是“申请人逾期不补正”（other_handling.no_correction），但没有登记补正："
                      "请写 correction.requested（告知补正日期）")
    # The two rows of table 三 that say what became of a 补正: each needs the 补正 to have gone that way.
    if values.get("outcome") == NO_CORRECTION and "received" in correction:
        reader.report(codes.OUTCOME_WITHOUT_ANSWER, ("outcome",),
                      f"办理结果是“申请人逾期不补正”（other_handling.no_correction），但登记了收到补正（{correction['received']}）："
                      "补正后仍不明确的写 unavailable.unclear，否则按补正后的申请写实际的办理结果")
    if values.get("outcome") == STILL_UNCLEAR and "received" not in correction:
        reader.report(codes.OUTCOME_WITHOUT_ANSWER, ("outcome",),
                      "办理结果是“补正后申请内容仍不明确”（unavailable.unclear），但没有登记收到补正：条例第三十条要求先一次性告知补正，"
                      "请写 correction（requested 告知补正日期、received 收到补正日期）；申请人未补正的，写 other_handling.no_correction")

