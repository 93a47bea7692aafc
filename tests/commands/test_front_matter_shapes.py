"""`gongkai review` and `gongkai withdraw` on front matter written every way YAML allows an editor to: comments,
blank lines, quoting, flow and block lists at any indentation, block scalars, the review entry anywhere or
missing, CRLF, a BOM, `...` closing it. Each command writes its one entry and nothing else: every other line
stays byte for byte, and the result reads back and checks."""

from __future__ import annotations

import codecs
import datetime as dt
import difflib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gongkai.loading import parse_document
from gongkai.withdrawing import withdraw

_TITLE = st.sampled_from(["title: 关于做好保障性住房工作的通知", "title: '关于做好保障性住房工作的通知'",
                          'title: "关于做好保障性住房工作的通知"', "title: 关于做好保障性住房工作的通知   # 标题",
                          "title:\t关于做好保障性住房工作的通知", '"title": 关于做好保障性住房工作的通知'])
_KEYWORDS = st.sampled_from(["keywords: [住房, 保障]", "keywords:\n- 住房\n- 保障", "keywords:\n  - 住房\n  - 保障",
                             "keywords:\n    - 住房   # 一\n    # 中间的注释\n    - 保障", "keywords: [住房,\n  保障]"])
_SUMMARY = st.sampled_from(["summary: 做好住房保障", "summary: |\n  第一行\n  第二行", "summary: >\n  折叠的\n  一段",
                            "summary: 多行的\n  普通文字", "summary: '单引号 # 不是注释'"])
_REVIEW = st.sampled_from(["", "review: {}", "review: {}  # 保密审查：请勿手工填写", "review:\n  # 尚未审查",
                           "review:\n  # 尚未审查\n  {}", "review: {\n  }", "review:    {}"])
_FILLER = st.sampled_from(["", "# 注释", "   # 缩进的注释", "#"])


@st.composite
def front_matters(draw) -> tuple[bytes, bool]:
    """(a whole item, whether its review entry is missing). A block written last (`summary: |`) without a
    review entry made both commands refuse: the entry they added after it changed its final line break."""
    fixed = ["index_no: 11131122MB1534702N/2021-00001", "category: 规范性文件", "department: 办公室",
             "published: 2021-06-18", "written: 2021-06-15", "disclosure: 主动公开", "genre: 规范性文件"]
    entries = [draw(_TITLE), *fixed, draw(_KEYWORDS), draw(_SUMMARY)]
    entries = draw(st.permutations(entries))
    review = draw(_REVIEW)
    if review:
        entries.insert(draw(st.integers(0, len(entries))), review)
    lines: list[str] = []
    for entry in entries:
        lines.extend(filter(None, [draw(_FILLER)]))
        lines.append(entry)
    closing = draw(st.sampled_from(["---", "..."]))
    text = "---\n" + "\n".join(lines) + f"\n{closing}\n" + draw(st.sampled_from(["\n正文。\n", "正文。\n", "\n\n正文。"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return (codecs.BOM_UTF8 + data if draw(st.booleans()) else data), not review


BLOCK_LAST = ("---\ntitle: 关于做好保障性住房工作的通知\nindex_no: 11131122MB1534702N/2021-00001\ncategory: 规范性文件\n"
              "department: 办公室\npublished: 2021-06-18\nwritten: 2021-06-15\ndisclosure: 主动公开\ngenre: 规范性文件\n"
              "summary: |\n  第一行\n  第二行\n---\n\n正文。\n").encode(), True

NOTES_IN_REVIEW = ("---\ntitle: 关于做好保障性住房工作的通知\nindex_no: 11131122MB1534702N/2021-00001\ncategory: 规范性文件\n"
                   "department: 办公室\npublished: 2021-06-18\nwritten: 2021-06-15\ndisclosure: 主动公开\ngenre: 规范性文件\n"
                   "summary: |\n  第一行\nreview:\n  # 尚未审查\n    # 张三：待办公室确认\n  {}\n---\n\n正文。\n").encode(), False


def _changed(old: bytes, new: bytes) -> list[bytes]:
    """The lines of `old` that `new` does not keep as they were."""
    old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    return [line for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for line in old_lines[i1:i2]]


def _review_lines(data: bytes) -> set[bytes]:
    """The lines of the review entry (to the next top-level key)."""
    inside, found = False, set()
    for line in data.split(b"\n"):
        bare = line.lstrip(codecs.BOM_UTF8)
        if bare.startswith((b"review:", b'"review":')):
            inside = True
        elif inside and bare[:1] not in (b" ", b"\t", b"#", b"}", b"\r", b""):
            inside = False
        if inside:
            found.add(line)
    return found


def _comments(data: bytes) -> list[bytes]:
    """Every comment on a line of its own, as written after its indentation (none of the shapes' block scalars
    holds a line that starts with #)."""
    return sorted(line.lstrip().rstrip(b"\r") for line in data.split(b"\n") if line.lstrip().startswith(b"#"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=front_matters())
@example(shape=BLOCK_LAST)
@example(shape=NOTES_IN_REVIEW)
def test_review_writes_its_entry_and_keeps_every_other_byte(site, shape):
    data, _ = shape
    path = site.write("2021/2021-00001.md", data)
    site.sign_level(path, "initial", "李明")
    signed = path.read_bytes()
    assert signed.startswith(codecs.BOM_UTF8) == data.startswith(codecs.BOM_UTF8)
    assert set(_changed(data, signed)) <= _review_lines(data)
    assert _comments(signed) == _comments(data)  # a note inside the review entry is kept, before it
    if b"\r\n" in data:
        assert signed.count(b"\n") == signed.count(b"\r\n")
    site.sign_level(path, "final", "王芳")
    assert [p.code for p in site.check() if p.path == site.rel(path) and p.is_error] == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=front_matters())
@example(shape=BLOCK_LAST)
def test_withdraw_writes_its_entry_and_keeps_every_other_byte(site, shape):
    data, _ = shape
    path = site.write("2021/2021-00001.md", data)
    withdraw(path, data, site.rel(path), "名单有误", dt.date(2021, 7, 1))
    written = path.read_bytes()
    assert _changed(data, written) == []  # only lines added
    document, problems = parse_document(written, site.rel(path))
    assert document is not None and not [p for p in problems if p.is_error]
    assert document.meta["withdrawn"] == {"date": "2021-07-01", "reason": "名单有误"}
