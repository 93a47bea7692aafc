"""The office's registers never reach the site; only a 建议提案's 办理状态 on its published 答复 and
the year's counts on the 建议提案办理 listing do.

Markers are planted in every free-text field of both registers, in their file names and in YAML
comments; every byte of the built site is scanned for them, Pagefind's files decompressed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.projects import ORG_CODE, build, make_project, write_item
from tests.site.test_site_never_published import output_bytes

MARKERS = {
    "application_file": "qxregappfile",
    "request": "qxregrequest",
    "extension_reason": "qxregextreason",
    "application_comment": "qxregappcomment",
    "open_request": "qxregopenrequest",
    "entry_file": "qxregentryfile",
    "subject": "qxregsubject",
    "result": "qxregresult",
    "proposal_subject": "qxregproposalsubject",
    "proposal_result": "qxregproposalresult",
    "cancelled_result": "qxregcancelled",
    "entry_comment": "qxregentrycomment",
}

PROPOSALS_GROUP = """\
  - name: 互动交流
    slug: interact
    children:
      - {name: 建议提案办理, slug: proposals}
"""


def register_file(root, folder: str, year: int, name: str, text: str) -> None:
    path = root / "content" / folder / str(year) / f"{name}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    fixture = make_project(tmp_path_factory.mktemp("project") / "registers", news=3)
    root, m = fixture.root, MARKERS
    with (fixture.content / "catalog.yml").open("a", encoding="utf-8") as catalog:
        catalog.write(PROPOSALS_GROUP)
    write_item(root, 2023, 10, "尊敬的委员：您提出的提案收悉，现答复如下。", title="关于县政协第7号提案的答复",
               category="建议提案办理", published=dt.date(2023, 7, 14))
    write_item(root, 2024, 3, "尊敬的代表：您提出的建议收悉，现将阶段性办理情况答复如下。", title="关于县人大第3号建议的答复",
               category="建议提案办理", published=dt.date(2024, 5, 20))
    register_file(root, "applications", 2024, f"2024-{m['application_file']}", (
        f"# {m['application_comment']}\nreceived: 2024-03-04\nchannel: 信函\napplicant: 自然人\n"
        f"request: 申请公开补助名单{m['request']}\ncorrection: {{requested: 2024-03-06, received: 2024-03-11}}\n"
        f"extension: {{date: 2024-04-01, reason: 需征求第三方意见{m['extension_reason']}}}\n"
        "answered: 2024-04-26\noutcome: withheld.third_party\nreview: {filed: 2024-05-10, result: pending}\n"
        "litigation: {filed: 2024-06-01, result: pending, after_review: false}\nfee: 0\n"
    ))
    register_file(root, "applications", 2024, "2024-002", (
        f"received: 2024-06-20\nchannel: 网络\napplicant: 商业企业\nrequest: {m['open_request']}\n"
    ))
    register_file(root, "supervision", 2023, "2023-001", (
        f"# {m['entry_comment']}\nsource: 政协委员提案\nsubject: 第7号提案{m['proposal_subject']}\nreceived: 2023-03-15\n"
        f"deadline: 2023-07-15\ndepartment: 村镇建设股\nstatus: 已办结\nclosed: 2023-07-10\nresult: 已答复{m['proposal_result']}\n"
        f"reply: {ORG_CODE}/2023-00010\npublish_reply: true\n"
    ))
    register_file(root, "supervision", 2024, "2024-001", (
        "source: 人大代表建议\nsubject: 第3号建议\nreceived: 2024-03-15\ndeadline: 2024-07-15\ndepartment: 住房保障股\n"
        f"status: 办理中\nreply: {ORG_CODE}/2024-00003\n"
    ))
    register_file(root, "supervision", 2024, f"2024-{m['entry_file']}", (
        f"source: 12345热线\nsubject: 路灯不亮{m['subject']}\nreceived: 2024-04-10\ndeadline: 2024-04-17\ndepartment: 办公室\n"
        f"status: 已办结\nclosed: 2024-04-15\nresult: 已修复{m['result']}\n"
    ))
    register_file(root, "supervision", 2024, "2024-003", (
        "source: 政协委员提案\nsubject: 重复提案\nreceived: 2024-03-15\ndeadline: 2024-07-15\ndepartment: 办公室\n"
        f"status: 已取消\nclosed: 2024-03-20\nresult: 与第5号提案合并办理{m['cancelled_result']}\n"
    ))
    return build(fixture, root / "site")


def test_the_registers_were_read(built):
    assert any("读取并检查内容" in line and "0 个错误" in line for line in built.log)


def test_no_register_text_reaches_any_output_file(built):
    files = output_bytes(built.site)
    assert any(name.startswith("pagefind/") for name in files)
    leaks = [(name, marker) for name, data in files.items() for marker in MARKERS.values() if marker.encode() in data]
    assert leaks == []
    assert not any(name.endswith((".yml", ".yaml")) for name in files)


def test_an_answered_proposal_shows_its_status_on_the_reply(built):
    page = built.page("items/2023/00010/")
    rows = [[cell.text(strip=True) for cell in row.css("th, td")] for row in page.css(".gk-meta__proposal")]
    assert rows == [["办理状态", "已办结", "答复日期", "2023-07-10"]]


def test_a_proposal_still_in_hand_shows_so(built):
    rows = [[cell.text(strip=True) for cell in row.css("th, td")] for row in built.page("items/2024/00003/").css(".gk-meta__proposal")]
    assert rows == [["办理状态", "办理中", "答复日期", "—"]]


def test_other_items_show_no_status(built):
    assert built.page("items/2021/00001/").css(".gk-meta__proposal") == []


def test_the_proposal_listing_shows_the_years_counts(built):
    table = built.page("catalog/proposals/").css_first("table.gk-proposal-counts")
    rows = [[cell.text(strip=True) for cell in row.css("th, td")] for row in table.css("tbody tr")]
    # 2024: one 建议 in hand and one cancelled 提案 → 0 ÷ (2 − 1); 2023: one 提案, answered.
    assert rows == [["2024年", "2", "0", "0.00%"], ["2023年", "1", "1", "100.00%"]]
    assert built.page("catalog/news/").css("table.gk-proposal-counts") == []
