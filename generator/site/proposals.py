"""What the site shows of the 督查督办 register: only 建议提案 facts an item links to, and counts.

An entry of type 人大代表建议 / 政协委员提案 that names its published 答复 (`reply`) gives that
item's page its 办理状态 and 答复 date; the 建议提案办理 listing shows each year's numbers
(received, answered, 办结率). No other field of the register reaches the site.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ..project import Project
from ..registers.loading import load_registers
from ..registers.supervision import CANCELLED, DONE, OPEN, Entry
from ..registers.tally import cutoff, percent, tally
from .pages import ProposalStatus, ProposalYear


def proposal_statuses(project: Project, today: dt.date) -> dict[str, ProposalStatus]:
    """索引号 of a 答复 item → the 办理状态 of the 建议提案 it answers (several, when answered jointly)."""
    by_reply: dict[str, list[Entry]] = defaultdict(list)
    for entry in load_registers(project).supervision:
        if entry.is_proposal and entry.reply and entry.received <= today and entry.status_at(today) != CANCELLED:
            by_reply[entry.reply].append(entry)
    statuses = {}
    for reply, entries in by_reply.items():
        if all(entry.status_at(today) == DONE for entry in entries):
            statuses[reply] = ProposalStatus(DONE, max(entry.closed for entry in entries if entry.closed is not None))
        else:
            statuses[reply] = ProposalStatus(OPEN, None)
    return statuses


def proposal_years(project: Project, today: dt.date) -> tuple[ProposalYear, ...]:
    """Each year's 建议提案, newest year first, counted as the year stood on 31 December (or today)."""
    return proposal_counts(load_registers(project).supervision, today)


def proposal_counts(entries: Iterable[Entry], today: dt.date) -> tuple[ProposalYear, ...]:
    """`proposal_years` of these entries."""
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.is_proposal and entry.received <= today:
            by_year[entry.received.year].append(entry)
    rows = []
    for year in sorted(by_year, reverse=True):
        counted = tally(by_year[year], cutoff(year, today))
        rows.append(ProposalYear(year, counted.received, counted.done, percent(counted.rate)))
    return tuple(rows)
