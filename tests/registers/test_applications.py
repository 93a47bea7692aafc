"""Reading the 依申请公开 register: the issue's file format, and a message at the line for every mistake."""

from __future__ import annotations

import datetime as dt

import pytest
from register_helpers import write_application

from gongkai.loading import read_yaml_file
from gongkai.registers.applications import read_application

ISSUE_EXAMPLE = """\
# content/applications/2025/2025-007.yml
received: 2025-03-03
channel: 网络                 # 当面 | 传真 | 网络 | 信函 | 其他
applicant: 自然人              # 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他
request: 申请公开2024年农村危房改造补助资金拨付明细
correction: {requested: 2025-03-05, received: 2025-03-10}   # optional 补正: the period runs from its receipt
extension: {date: 2025-03-28, reason: 需征求第三方意见}        # optional, +20 working days
answered: 2025-04-15           # absent while open
outcome: partial               # the row key of table 三 as `gongkai report --format json` names it under
                               # results.* — granted, partial, withheld.third_party, unavailable.not_held …
review: {filed: 2025-05-06, result: upheld}        # optional 行政复议: upheld | corrected | other | pending
litigation: {filed: 2025-06-01, result: pending, after_review: false}   # optional 行政诉讼
"""


def read(tmp_path, text: str):
    file = tmp_path / "a.yml"
    file.write_text(text, encoding="utf-8")
    data, document, problems = read_yaml_file(file, "content/applications/2025/a.yml")
    assert document is not None and not problems
    return read_application(data, document)


def test_the_issues_example_reads_as_written(tmp_path):
    reading = read(tmp_path, ISSUE_EXAMPLE)
    application, problems = reading.application, reading.problems
    assert problems == [] and reading.counted and reading.timed
    assert application is not None
    assert (application.received, application.channel, application.applicant) == (dt.date(2025, 3, 3), "网络", "natural_person")
    assert (application.correction_requested, application.correction_received) == (dt.date(2025, 3, 5), dt.date(2025, 3, 10))
    assert application.extension == dt.date(2025, 3, 28)
    assert (application.answered, application.outcome, application.row) == (dt.date(2025, 4, 15), "partial", "results.partial")
    assert application.review is not None and (application.review.filed, application.review.result) == (dt.date(2025, 5, 6), "upheld")
    assert application.litigation is not None and not application.litigation.after_review


AFTER = dt.date(2026, 1, 1)  # the checks' day: after every date of these files
ANSWERED = {"answered": "2025-03-14", "outcome": "granted"}  # so that no deadline has passed unanswered


def codes_and_lines(site, path):
    return sorted((p.code, p.line) for p in site.check(AFTER) if p.path == site.rel(path))


@pytest.mark.parametrize(("fields", "expected"), [
    ({"received": None}, [("GK832", 1)]),
    ({"received": "2025-02-30"}, [("GK833", 1)]),
    ({"received": "3月3日"}, [("GK833", 1)]),
    ({"channel": "电话"}, [("GK834", 2)]),
    ({"applicant": "个人"}, [("GK834", 3)]),
    ({"request": ""}, [("GK834", 4)]),
    ({"outcome": None}, [("GK840", 5)]),  # answered, but no outcome
    ({"answered": None}, [("GK840", 5)]),  # an outcome, but no answer (and so no deadline judged)
    ({"outcome": "予以公开"}, [("GK834", 6)]),
    ({"outcome": "results.total"}, [("GK834", 6)]),
    ({"answered": "2025-03-01"}, [("GK835", 5)]),  # before it was received
    ({"correction": {"requested": "2025-03-05", "received": "2025-03-04"}}, [("GK835", 7)]),
    ({"correction": {"received": "2025-03-04"}}, [("GK832", 7)]),
    ({"correction": "2025-03-05"}, [("GK830", 7)]),
    ({"extension": {"date": "2025-03-20"}}, [("GK832", 7)]),  # no reason
    ({"review": {"filed": "2025-04-01", "result": "won"}}, [("GK834", 7)]),
    ({"litigation": {"filed": "2025-04-01", "result": "pending", "after_review": "no"}}, [("GK834", 7)]),
    ({"fee": -5}, [("GK834", 7)]),
    ({"outcome": "other_handling.no_correction"}, [("GK840", 6)]),  # no 补正 was asked for
    ({"recieved": "2025-03-03"}, [("GK831", 7)]),
])
def test_each_mistake_is_reported_at_its_line(site, fields, expected):
    path = write_application(site.root, "2025-001", **{**ANSWERED, **fields})
    assert codes_and_lines(site, path) == expected


@pytest.mark.parametrize("key", ["name", "姓名", "申请人姓名", "id_number", "身份证号", "phone", "联系电话", "address"])
def test_keys_that_would_identify_an_applicant_are_refused(site, key):
    path = write_application(site.root, "2025-001", **ANSWERED, **{key: "某某"})
    problems = [p for p in site.check(AFTER) if p.path == site.rel(path)]
    assert [p.code for p in problems] == ["GK831"]
    assert "不记录姓名、证件号码、联系方式" in problems[0].message


def test_a_misspelt_key_gets_a_suggestion(site):
    path = write_application(site.root, "2025-001", recieved="2025-03-03", received=None, **ANSWERED)
    messages = [p.message for p in site.check(AFTER) if p.path == site.rel(path)]
    assert any("是不是 `received`" in m for m in messages)


def test_not_a_mapping_and_bad_yaml_are_messages_not_tracebacks(site):
    folder = site.content / "applications" / "2025"
    folder.mkdir(parents=True)
    (folder / "list.yml").write_text("- 2025-03-03\n- 网络\n", encoding="utf-8")
    (folder / "tabs.yml").write_text("received: 2025-03-03\n\tchannel: 网络\n", encoding="utf-8")
    (folder / "gbk.yml").write_bytes("request: 申请公开\n".encode("gbk"))
    codes = {p.path.rsplit("/", 1)[-1]: p.code for p in site.check(AFTER) if "applications" in p.path}
    assert codes == {"list.yml": "GK830", "tabs.yml": "GK005", "gbk.yml": "GK001"}


def test_one_broken_file_hides_nothing_of_the_others(site):
    write_application(site.root, "2025-001", channel="电话", **ANSWERED)
    write_application(site.root, "2025-002", applicant="个人", **ANSWERED)
    assert sorted(p.path.rsplit("/", 1)[-1] for p in site.check(AFTER) if p.code == "GK834") == ["2025-001.yml", "2025-002.yml"]


def test_common_spellings_of_a_channel_and_of_no_fee_are_understood(site):
    path = write_application(site.root, channel="邮寄", fee="无", answered="2025-03-10", outcome="granted")
    assert codes_and_lines(site, path) == []
