"""`gongkai withdraw`: the withdrawal written into an item (every other byte kept), and what the editor
must do next: the withdrawal is reviewed content, so the item is signed again from the first level."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..catalog import load_catalog
from ..content_files import read_limited
from ..loading import parse_document
from ..project import Project
from ..review_queue import may_sign, pending
from ..roster import roster_of
from ..settings import Settings
from ..values import as_text
from ..withdrawing import WithdrawRefused
from ..withdrawing import withdraw as write_withdrawal
from . import Refused, item_file


def withdraw(settings: Settings, path: Path, reason: str, day: dt.date, today: dt.date) -> list[str]:
    """Withdraw the item at `path` as of `day`; the lines (Chinese) that say what was written and who signs next."""
    path = item_file(settings, path)
    catalog, _, _ = load_catalog(settings.content_dir, settings.root, settings.limits.item_bytes)
    project = Project(settings.root, settings.content_dir, catalog)
    rel = project.rel(path)
    data, refused = read_limited(path, rel, settings.limits.item_bytes)
    if data is None:  # a link, a device, too large: never read through it
        message = refused[0].message
        raise Refused(message if message.startswith(rel) else f"{rel}: {message}")
    try:
        written = write_withdrawal(path, data, rel, reason, day)
    except WithdrawRefused as exc:
        raise Refused(f"{rel}: {exc}") from None
    roster = roster_of(catalog)
    lines = [f"{rel}: 已{'更新' if written.replaced else '写入'}撤回（{written.date}，原因：{written.reason}）",
             f"撤回属于审查内容：本条目须从{roster.levels[0].name}起重新审查，审查通过之前 gongkai build 不会生成网站"
             "（网站上仍是原来的页面）。",
             "页面须立即撤下的（如发现泄露个人信息）：同时把 disclosure 改为 不予公开，下一次构建即撤下页面，不必等审查；"
             "审查前再改回 主动公开，审查通过后网页显示撤回说明。"]
    document, _ = parse_document(path.read_bytes(), rel)
    waits = pending(document, catalog, project.attachments_dir) if document is not None else None
    if waits is not None and catalog is not None and document is not None:
        department = catalog.department(as_text(document.meta.get("department")))
        names = "、".join(person.name for person in may_sign(roster, waits, department, today)) or "名册中无人可签（请办公室授权）"
        lines.append(f"下一步：{waits.level.name}人（{names}）执行 gongkai review {rel} --level {waits.level.key} --reviewer 姓名，"
                     f"再依次签署以上各级；gongkai diff {rel} 可查看改动。")
    lines.append(f"各级审查的日期都不能晚于撤回日期 {written.date}；审查要到以后才能完成的，到时用 --date 写上那一天"
                 "再运行一次本命令（撤回日期随之改为那一天）。")
    return lines
