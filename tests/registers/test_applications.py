"""Reading the 依申请公开 register: the issue's file format, and a message at the line for every mistake."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import checks
from gongkai.limits import Limits
from gongkai.loading import read_yaml_file
from gongkai.project import load_project
from gongkai.registers import applications, supervision
from gongkai.registers.applications import read_application
from gongkai.registers.deadline_list import render_json, render_text, rows
from gongkai.registers.loading import load_registers
from gongkai.registers.supervision_summary import render_csv, summarize
from gongkai.registers.supervision_summary import render_json as render_json_summary
from gongkai.registers.supervision_summary import render_text as render_text_summary
from tests.registers.register_helpers import write_application

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
    data, document, problems = read_yaml_file(file, "content/applications/2025/a.yml", Limits().item_bytes)
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
    ({"fee": 10**400}, [("GK834", 7)]),  # beyond a float: an internal error (OverflowError) ended the whole check
    ({"fee": 10**13}, [("GK834", 7)]),
    ({"outcome": "other_handling.no_correction"}, [("GK840", 6)]),  # no 补正 was asked for
    ({"outcome": "other_handling.no_correction", "correction": {"requested": "2025-03-05", "received": "2025-03-10"}},
     [("GK840", 6)]),  # the 补正 came: not 逾期不补正
    ({"outcome": "other_handling.no_correction", "correction": {"requested": "2025-03-05"}}, []),
    ({"outcome": "unavailable.unclear"}, [("GK840", 6)]),  # 补正后仍不明确, with no 补正
    ({"outcome": "unavailable.unclear", "correction": {"requested": "2025-03-05"}}, [("GK840", 6)]),
    ({"outcome": "unavailable.unclear", "correction": {"requested": "2025-03-05", "received": "2025-03-10"}}, []),
    ({"recieved": "2025-03-03"}, [("GK831", 7)]),
    # Table 四's cells: a decided case is not 尚未审结, a 复议后起诉 needs its 复议, and comes after it.
    ({"review": {"filed": "2025-04-01", "result": "pending", "decided": "2025-05-01"}}, [("GK834", 7)]),
    ({"litigation": {"filed": "2025-04-01", "result": "pending", "decided": "2025-05-01"}}, [("GK834", 7)]),
    ({"litigation": {"filed": "2025-04-01", "result": "upheld", "after_review": True}}, [("GK834", 7)]),
    ({"review": {"filed": "2025-04-01", "result": "upheld", "decided": "2025-05-01"},
      "litigation": {"filed": "2025-03-20", "result": "pending", "after_review": True}}, [("GK835", 8), ("GK835", 8)]),
    ({"review": {"filed": "2025-04-01", "result": "upheld", "decided": "2025-05-01"},
      "litigation": {"filed": "2025-04-20", "result": "pending", "after_review": True}}, [("GK835", 8)]),
    ({"review": {"filed": "2025-04-01", "result": "upheld", "decided": "2025-05-01"},
      "litigation": {"filed": "2025-05-20", "result": "pending", "after_review": True}}, []),
])
def test_each_mistake_is_reported_at_its_line(site, fields, expected):
    path = write_application(site.root, "2025-001", **{**ANSWERED, **fields})
    assert codes_and_lines(site, path) == expected


@pytest.mark.parametrize(("received", "says"), [("1900-01-01", "不在可用的范围内（1949-01-01 至 2100-12-31）：请核对年份"),
                                              ("2025-02-30", "不是真实存在的日期"), ("3月3日", "不是 YYYY-MM-DD 格式")])
def test_a_bad_date_says_what_is_wrong_with_it(site, received, says):
    """A real date outside the years a date may take was told to be written as a real date, which it is."""
    path = write_application(site.root, "2025-001", **ANSWERED, received=received)
    [problem] = [p for p in site.check(AFTER) if p.path == site.rel(path)]
    assert problem.code == "GK833" and says in problem.message


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



scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=12),
                    st.sampled_from(["2025-03-03", "0001-01-01", "9999-12-31", "2025-02-30", "网络", "自然人", "granted", "upheld",
                                     "办理中", "已办结", "政协委员提案", "办公室"]))
nested_keys = st.sampled_from(["requested", "received", "date", "reason", "filed", "result", "decided", "after_review", "x"])
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(nested_keys, inner, max_size=4)),
                      max_leaves=8)


@pytest.mark.parametrize("kind", [applications, supervision])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_register_file_makes_the_check_or_the_commands_fail(site, kind, data):
    keys = [field.key for field in kind.FIELDS]
    fields = data.draw(st.dictionaries(st.sampled_from([*keys, "name", "junk"]), values, max_size=10))
    path = site.content / kind.FOLDER / "2025" / "x.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    project = load_project(site.root)
    problems = checks.run(project, AFTER)
    assert all(p.line >= 1 and p.col >= 1 and p.message for p in problems)
    registers = load_registers(project)
    found = rows(registers.timed(), AFTER)
    assert isinstance(json.loads(render_json(found)), list) and render_text(found, AFTER)
    summary = summarize(registers.supervision, 2025, AFTER)
    assert render_text_summary(summary) and render_csv(summary) and json.loads(render_json_summary(summary))
