"""ZIP: every member and every member's name."""

from __future__ import annotations

from gongkai.checks import pii, privacy

from ..samples import (
    MARK,
    findings,
    office_zip,
    planted,
)


def test_zip_members_and_their_names_are_read(site):
    inner = office_zip({"名单.csv": f"张三,{planted(1)}\n".encode(), f"张三{planted(2)}.txt": MARK.encode(),
                        "扫描件.jpg": b"\xff\xd8"})
    mobiles, marks = findings(site, "a.zip", inner)
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages and "文件名" in messages
    assert marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "扫描件.jpg" in unread.message
