"""`gongkai withdraw`: the withdrawal written in place, byte for byte elsewhere, whatever the reason holds —
or a Chinese refusal that leaves the file as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.loading import parse_document
from gongkai.withdrawing import MAX_REASON, WithdrawRefused, withdraw

DAY = dt.date(2021, 7, 2)


def written(site, path, reason: str, day: dt.date = DAY):
    return withdraw(path, path.read_bytes(), site.rel(path), reason, day)


def test_the_withdrawal_goes_before_the_review_and_nothing_else_changes(site):
    path = site.item(keywords=["燃气"])
    before = path.read_bytes()
    result = written(site, path, "名单有误，已重新公示")
    after = path.read_bytes()
    assert (result.date, result.reason, result.replaced) == (DAY, "名单有误，已重新公示", False)
    added = "withdrawn:\n  date: 2021-07-02\n  reason: '名单有误，已重新公示'\n".encode()
    assert after.replace(added, b"") == before
    assert after.index(b"withdrawn:") < after.index(b"review:")
    assert site.codes(path) == ["GK207"]  # reviewed content changed: every level signs again
    site.sign(path, date=DAY)  # on the withdrawal's day at the latest (GK205)
    assert site.codes(path) == []


def test_crlf_and_bom_stay_and_an_earlier_withdrawal_is_replaced(site):
    path = site.item(withdrawn={"date": "2021-07-01", "reason": "旧原因"})
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = written(site, path, "新原因")
    data = path.read_bytes()
    assert result.replaced and data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    document, problems = parse_document(data, "a.md")
    assert document is not None and not problems
    assert document.meta["withdrawn"] == {"date": "2021-07-02", "reason": "新原因"}
    assert "旧原因" not in data.decode("utf-8-sig")


@pytest.mark.parametrize(("reason", "fields", "refusal"), [
    ("", {}, "不能为空"),
    ("第一行\n第二行", {}, "看不见的字符"),
    ("原因\u202e反转", {}, "看不见的字符"),
    ("原因\x00", {}, "看不见的字符"),
    ("原因\u200b", {}, "看不见的字符"),
    ("长" * (MAX_REASON + 1), {}, "超过"),
    ("名单有误", {"disclosure": "依申请公开"}, "只用于已主动公开的信息"),
    ("名单有误", {"published": "2021-08-01"}, "早于发布日期"),
])
def test_refusals_are_chinese_and_leave_the_file_untouched(site, reason, fields, refusal):
    path = site.item(**fields)
    before = path.read_bytes()
    with pytest.raises(WithdrawRefused, match=refusal):
        written(site, path, reason)
    assert path.read_bytes() == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reason=st.text(max_size=60))
def test_any_reason_gives_a_valid_file_or_a_refusal(site, reason):
    path = site.content / "items" / "2021" / "h.md"
    if not path.exists():
        site.item("2021/h.md", signed=False)
    before = path.read_bytes()
    try:
        result = written(site, path, reason)
    except WithdrawRefused:
        assert path.read_bytes() == before
        return
    document, problems = parse_document(path.read_bytes(), "h.md")
    assert document is not None and not [p for p in problems if p.is_error]
    assert document.meta["withdrawn"]["reason"] == result.reason == reason.strip(" ")


def test_a_read_only_item_is_refused_and_kept(site):
    path = site.item()
    before = path.read_bytes()
    path.chmod(0o444)
    with pytest.raises(WithdrawRefused, match="只读"):
        written(site, path, "名单有误，已重新公示")
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444
