"""The 督查督办 register: content/supervision/<year>/<编号>.yml, one 督办件 a file.

Every 督办件 has a source (领导批示, 12345热线, 人大代表建议 …), a deadline, a 承办科室 of the
catalog and a status. An entry of type 人大代表建议 / 政协委员提案 may name the 索引号 of its
published 答复 (`reply`); its item page then shows the 办理状态. Nothing else of the register
is published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..hints import close_name, known_names
from ..loading import SourceDocument
from ..model import Catalog
from ..problems import Problem
from ..values import shown
from . import codes
from .fields import CHOICE, DATE, FLAG, TEXT, Field, Reader

FOLDER = "supervision"

SOURCES = ("领导批示", "上级督办单", "12345热线", "12319热线", "信箱件", "数字城管", "人大代表建议", "政协委员提案", "其他")
PROPOSALS = ("人大代表建议", "政协委员提案")
PROPOSAL_COLUMN = "建议提案办理"  # the catalog leaf whose items are the published 答复
OPEN, DONE, CANCELLED = "办理中", "已办结", "已取消"
STATUSES = (OPEN, DONE, CANCELLED)

FIELDS: tuple[Field, ...] = (
    Field("source", "来源", CHOICE, " | ".join(SOURCES) + "。",
          required=True, choices=SOURCES, aliases={"12345 热线": "12345热线", "12319 热线": "12319热线"}),
    Field("subject", "督办事项", TEXT, "一句话概括督办的事项；不写来件人的姓名和联系方式。"),
    Field("received", "收到日期", DATE, "YYYY-MM-DD：督办件交到本机关之日；按此日期所在年份统计。", required=True),
    Field("deadline", "办理期限", DATE, "YYYY-MM-DD：应当办结的最后一天。", required=True),
    Field("department", "承办科室", TEXT, "catalog.yml 中发布机构（股室）的名称或代号。", required=True),
    Field("status", "办理状态", CHOICE, "办理中 | 已办结 | 已取消。", required=True, choices=STATUSES),
    Field("closed", "办结日期", DATE, "YYYY-MM-DD：已办结、已取消的写办结（取消）之日；办理中的不写。"),
    Field("result", "办理结果", TEXT, "一句话概括办理结果或取消原因。"),
    Field("reply", "答复条目", TEXT, "人大代表建议、政协委员提案的答复在“建议提案办理”栏目公开后，写该条目的索引号。"),
    Field("publish_reply", "须公开答复", FLAG, "true：办结后答复必须公开（没有公开时 gongkai check 给出警告）。"),
)
EXAMPLE = "`source: 12345热线`"


@dataclass(frozen=True)
class Entry:
    path: str
    source: str
    received: dt.date
    deadline: dt.date
    department: str  # the catalog's name of the department
    status: str  # as recorded now: 办理中 | 已办结 | 已取消
    closed: dt.date | None = None
    subject: str = ""
    result: str = ""
    reply: str = ""  # 索引号 of the published 答复 (建议提案 only)
    publish_reply: bool = False

    @property
    def is_proposal(self) -> bool:
        return self.source in PROPOSALS

    def status_at(self, day: dt.date) -> str:
        """The status on `day`: closed or cancelled only from the day it was recorded as such."""
        if self.status != OPEN and self.closed is not None and self.closed <= day:
            return self.status
        return OPEN

    def overdue_at(self, day: dt.date) -> bool:
        """Still open on `day` although its deadline has passed."""
        return self.received <= day and self.status_at(day) == OPEN and self.deadline < day


def read_entry(data: Any, document: SourceDocument, catalog: Catalog | None) -> tuple[Entry | None, list[Problem]]:
    """The 督办件 in one file, or None when the file has errors (all of them reported)."""
    reader = Reader(document)
    values = reader.read(data, FIELDS, "督查督办登记", EXAMPLE)
    department = _department(reader, values.get("department"), catalog)
    _consistency(reader, values)
    required = ("source", "received", "deadline", "status")
    if reader.problems or department is None or not all(key in values for key in required):
        return None, reader.problems
    return Entry(
        path=document.path,
        source=values["source"],
        received=values["received"],
        deadline=values["deadline"],
        department=department,
        status=values["status"],
        closed=values.get("closed"),
        subject=values.get("subject", ""),
        result=values.get("result", ""),
        reply=values.get("reply", ""),
        publish_reply=values.get("publish_reply", False),
    ), []


def _department(reader: Reader, name: str | None, catalog: Catalog | None) -> str | None:
    if name is None:
        return None
    if catalog is None:  # catalog.yml has its own errors; the department cannot be judged
        return name
    found = catalog.department(name)
    if found is not None:
        return found.name
    known = [d.name for d in catalog.departments]
    close = close_name(name, known)
    hint = f"是不是“{close}”？" if close else f"catalog.yml 中的股室有：{known_names(known, 'catalog.yml 的 departments')}"
    reader.report(codes.UNKNOWN_DEPARTMENT, ("department",),
                  f"承办科室（department）“{shown(name)}”不是 catalog.yml 中的发布机构：{hint}", value=True)
    return None


def _consistency(reader: Reader, values: dict[str, Any]) -> None:
    received, deadline, closed, status = (values.get(key) for key in ("received", "deadline", "closed", "status"))
    for key, label, day in (("deadline", "办理期限", deadline), ("closed", "办结日期", closed)):
        if day is not None and received is not None and day < received:
            reader.report(codes.DATE_ORDER, (key,), f"{label}（{key}）{day} 早于收到日期 {received}：请核对这两个日期", value=True)
    if status in (DONE, CANCELLED) and "closed" not in values and ("closed",) not in reader.document.keys:
        reader.report(codes.STATUS_DATE, ("status",), f"办理状态是“{status}”，但没有办结日期：请写 closed（{status[1:]}之日）")
    if status == OPEN and closed is not None:
        reader.report(codes.STATUS_DATE, ("closed",),
                      f"办理状态是“办理中”，却写了办结日期 {closed}：已办结的把 status 改为“已办结”，否则删去 closed")
    source = values.get("source")
    for key in ("reply", "publish_reply"):
        if key in values and source is not None and source not in PROPOSALS:
            reader.report(codes.BAD_REPLY, (key,), f"`{key}` 只用于人大代表建议、政协委员提案，这件的来源是“{source}”：请删去这一项")
