"""Register files for the tests: written as an office (or another tool) would write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

APPLICATION: dict[str, Any] = {
    "received": dt.date(2025, 3, 3),
    "channel": "网络",
    "applicant": "自然人",
    "request": "申请公开2024年农村危房改造补助资金拨付明细",
}
ENTRY: dict[str, Any] = {
    "source": "12345热线",
    "subject": "路灯不亮",
    "received": dt.date(2025, 4, 10),
    "deadline": dt.date(2025, 4, 17),
    "department": "办公室",
    "status": "已办结",
    "closed": dt.date(2025, 4, 15),
    "result": "已修复",
}


def dump(fields: dict[str, Any]) -> str:
    """One key a line, nested mappings in flow style: `correction: {requested: 2025-03-05}`."""
    def value(data: Any) -> str:
        return yaml.safe_dump(data, allow_unicode=True, default_flow_style=True, width=1000).strip().removesuffix("...").strip()

    return "".join(f"{value(key)}: {value(data)}\n" for key, data in fields.items())


def _write(root: Path, folder: str, number: str, year: object, fields: dict[str, Any]) -> Path:
    path = root / "content" / folder / str(year) / f"{number}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(fields), encoding="utf-8")
    return path


def write_application(root: Path, number: str = "2025-001", *, folder: object = None, **fields: Any) -> Path:
    """An application file; fields given as None are left out; the folder is the year received by default."""
    data = {key: value for key, value in {**APPLICATION, **fields}.items() if value is not None}
    return _write(root, "applications", number, folder or str(data.get("received", "2025"))[:4], data)


def write_entry(root: Path, number: str = "2025-001", *, folder: object = None, **fields: Any) -> Path:
    """A 督办件 file; fields given as None are left out."""
    data = {key: value for key, value in {**ENTRY, **fields}.items() if value is not None}
    return _write(root, "supervision", number, folder or str(data.get("received", "2025"))[:4], data)
