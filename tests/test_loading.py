"""Reading items: every kind of broken file gives one clear Chinese error, and other files are still checked."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import checks
from gongkai.loading import parse_document
from gongkai.project import load_project

GOOD = "---\ntitle: 通知\n---\n正文\n"


@pytest.mark.parametrize(
    "data, code, words",
    [
        ("---\ntitle: 关于做好保障性住房工作的通知\n---\n".encode("gbk"), "GK001", ["GBK", "UTF-8", "iconv"]),
        (codecs.BOM_UTF16_LE + "---\ntitle: 通知\n---\n".encode("utf-16-le"), "GK001", ["UTF-16", "UTF-8"]),
        (codecs.BOM_UTF32_LE + "---\ntitle: 通知\n---\n".encode("utf-32-le"), "GK001", ["UTF-32", "UTF-8"]),
        (codecs.BOM_UTF32_BE + "---\ntitle: 通知\n---\n".encode("utf-32-be"), "GK001", ["UTF-32", "UTF-8"]),
        (b"", "GK002", ["为空", "gongkai new"]),
        (b"  \n\n", "GK002", ["为空"]),
        ("title: 通知\n正文\n".encode(), "GK003", ["---"]),
        ("---\ntitle: 通知\n正文\n".encode(), "GK004", ["---"]),
        ("---\ntitle: [通知\n---\n".encode(), "GK005", ["[", "]", "没有配对"]),
        ("---\ntitle: 通知\n\tcategory: x\n---\n".encode(), "GK005", ["Tab", "空格"]),
        (b"---\n- a\n- b\n---\n", "GK006", ["键: 值"]),
        (b"---\ntitle: &x [*x]\n---\n", "GK013", ["锚点"]),
        ("---\ntitle: 一\ntitle: 二\n---\n".encode(), "GK007", ["重复", "第 2 行"]),
    ],
)
def test_broken_file_gives_one_clear_error(data, code, words):
    document, problems = parse_document(data, "content/items/x.md")
    assert {p.code for p in problems} == {code}
    assert all(word in problems[0].message for word in words)
    if code != "GK007":
        assert document is None


def test_line_numbers_are_file_lines():
    text = "---\n# 注释\ntitle: 通知\nattachments:\n  - {title: 附件, file: a.pdf}\n---\n\n正文第一行\n"
    document, problems = parse_document(text.encode(), "x.md")
    assert document is not None and not problems
    assert document.line_of("title") == 3
    assert document.line_of("attachments", 0, "file") == 5
    assert document.body_line == 7 and document.body.split("\n")[1] == "正文第一行"


def test_dates_stay_strings_so_impossible_dates_are_messages():
    document, _ = parse_document(b"---\npublished: 2021-02-30\n---\n", "x.md")
    assert document is not None and document.meta["published"] == "2021-02-30"


def test_crlf_and_bom_read_like_lf():
    plain, _ = parse_document(GOOD.encode(), "x.md")
    dos, _ = parse_document(codecs.BOM_UTF8 + GOOD.replace("\n", "\r\n").encode(), "x.md")
    assert plain is not None and dos is not None
    assert (dos.meta, dos.body, dos.body_line) == (plain.meta, plain.body, plain.body_line)
    assert dos.has_bom and dos.crlf


def test_a_broken_file_never_hides_the_others(site):
    site.write("2021/gbk.md", "---\ntitle: 关于做好保障性住房工作的通知\n---\n".encode("gbk"))
    site.write("2021/tabs.md", "---\ntitle: 通知\n\tx: 1\n---\n")
    site.write("2021/empty.md", "")
    site.write("2021/unclosed.md", "---\ntitle: 通知\n")
    good = site.item("2021/zz.md", body="电话13912345678\n")
    problems = site.check()
    by_file = {p.path.rsplit("/", 1)[1]: p.code for p in problems if p.path.startswith("content/items")}
    assert by_file == {"gbk.md": "GK001", "tabs.md": "GK005", "empty.md": "GK002", "unclosed.md": "GK004",
                       "zz.md": "GK303"}
    assert site.rel(good).endswith("zz.md")


@pytest.mark.long
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(site, data):
    site.write("2021/random.md", data)
    checks.run(load_project(site.root), site.today)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                     st.sampled_from(["2021-06-18", "2021-02-30", "主动公开", "规范性文件", "办公室", "a.pdf", "../x.pdf",
                                      "11131122MB1534702N/2021-00001", "<script>", "秘密★", "13912345678"]))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                       max_leaves=8)
_keys = st.sampled_from(["title", "index_no", "category", "department", "published", "disclosure", "review", "written",
                         "doc_no", "genre", "validity", "keywords", "summary", "interprets", "attachments", "withdrawn",
                         "pii_allow", "other"])


@pytest.mark.long
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=st.dictionaries(_keys, _values, max_size=12), body=st.text(max_size=200))
def test_random_front_matter_and_bodies_never_raise(site, meta, body):
    import yaml

    site.write("2021/random.md", f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}")
    problems = checks.run(load_project(site.root), site.today)
    assert all(p.line >= 1 and p.col >= 1 and p.message for p in problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(review=_values, attachments=_values)
def test_random_review_and_attachment_shapes_never_raise(site, review, attachments):
    meta = site.meta(review=review, attachments=attachments)
    import yaml

    site.write("2021/random.md", f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n正文\n")
    checks.run(load_project(site.root), site.today)


@pytest.mark.parametrize("style", ["|", "|+", "|-", ">", ">+", ">-"])
@pytest.mark.parametrize("trailing", ["", "\n", "\n\n"])
def test_a_block_scalar_written_last_means_what_it_means_anywhere_else(style, trailing):
    """The front matter is read with its last line break: `summary: |` written last kept its final line break only
    when another key followed, so one value read two ways depending on where it stood."""
    import yaml

    block = f"summary: {style}\n  第一行\n  第二行\n{trailing}"
    last, _ = parse_document(f"---\ntitle: 标题\n{block}---\n\n正文\n".encode(), "a.md")
    first, _ = parse_document(f"---\n{block}title: 标题\n---\n\n正文\n".encode(), "a.md")
    assert last is not None and first is not None
    assert last.meta["summary"] == first.meta["summary"] == yaml.safe_load(block)["summary"]
