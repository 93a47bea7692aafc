"""The review digest (spec §4 rule 5): what keeps it and what breaks it, on real files."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai import digest
from gongkai.checks import review


def _review_codes(site):
    return [p.code for p in site.check() if p.code.startswith("GK2")]


def test_edit_after_review_fails(site):
    path = site.item()
    path.write_bytes(path.read_bytes().replace("一、".encode(), "二、".encode()))
    assert _review_codes(site) == [review.CHANGED.code]


def test_requoting_and_reordering_keys_keeps_it(site):
    path = site.item()
    lines = path.read_text(encoding="utf-8").split("\n")
    title = next(i for i, row in enumerate(lines) if row.startswith("title:"))
    department = next(i for i, row in enumerate(lines) if row.startswith("department:"))
    lines[title] = 'title: "关于做好保障性住房工作的通知"'
    lines[department] = "department: '办公室'"
    lines[title], lines[department] = lines[department], lines[title]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _review_codes(site) == []


def test_flow_style_and_block_style_keep_it(site):
    path = site.item(keywords=["住房", "保障"])
    text = path.read_text(encoding="utf-8")
    assert "- 住房\n- 保障" in text
    path.write_text(text.replace("keywords:\n- 住房\n- 保障", "keywords: [住房, 保障]"), encoding="utf-8")
    assert _review_codes(site) == []


def test_crlf_and_bom_keep_it(site):
    path = site.item()
    data = path.read_bytes()
    path.write_bytes(codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n"))
    assert _review_codes(site) == []
    path.write_bytes(data.replace(b"\n", b"\r\n"))
    assert _review_codes(site) == []
    path.write_bytes(codecs.BOM_UTF8 + data)
    assert _review_codes(site) == []


def test_swapping_an_attachment_fails(site):
    attached = site.attach("2021/名单.csv", "姓名,户数\n张三,1\n".encode())
    site.item(attachments=[{"title": "名单", "file": "2021/名单.csv"}])
    assert _review_codes(site) == []
    attached.write_bytes("姓名,户数\n张三,2\n".encode())
    assert _review_codes(site) == [review.CHANGED.code]


def test_renaming_an_attachment_title_fails(site):
    site.attach("a.pdf", b"%PDF-1.4\n%%EOF\n")
    path = site.item(attachments=[{"title": "名单", "file": "a.pdf"}])
    path.write_text(path.read_text(encoding="utf-8").replace("title: 名单", "title: 名册"), encoding="utf-8")
    assert _review_codes(site) == [review.CHANGED.code]


def test_blank_lines_around_the_body_keep_it(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert _review_codes(site) == []


def test_the_bodys_indentation_is_covered(site):
    """An indented code block reviewed as text must not become a live link after review."""
    path = site.item(body="说明如下：\n\n    [点此办理](https://example.invalid/)\n")
    assert _review_codes(site) == []
    path.write_text(path.read_text(encoding="utf-8").replace("    [点此", "[点此"), encoding="utf-8")
    assert _review_codes(site) == [review.CHANGED.code]


def test_a_leading_indented_line_and_trailing_spaces_are_covered(site):
    path = site.item(body="    代码块开头\n\n正文。  \n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    代码块开头", "代码块开头"), encoding="utf-8")
    assert _review_codes(site) == [review.CHANGED.code]
    path.write_text(text.replace("正文。  \n", "正文。\n"), encoding="utf-8")
    assert _review_codes(site) == [review.CHANGED.code]


@given(body=st.text(alphabet=st.sampled_from(list("正文 \t\n#*[]()-")), max_size=40),
       before=st.text(alphabet=" \t\n", max_size=5), after=st.text(alphabet=" \t\n", max_size=5))
def test_only_blank_lines_around_the_body_are_left_out(body, before, after):
    if before and not before.endswith("\n"):
        before += "\n"
    signed = digest.signed_body(body)
    assert digest.signed_body(before + body + "\n" + after) == signed
    assert signed in body and signed.strip(" \t\n") == body.strip(" \t\n")
    lines = [line for line in body.split("\n") if line.strip(" \t")]
    if lines:  # the first and last lines that are not blank are kept whole
        assert signed.startswith(lines[0]) and signed.endswith(lines[-1])


def test_the_digest_depends_on_nothing_but_the_content(tmp_path):
    """Hash randomisation, dict order: run in fresh interpreters with different seeds."""
    script = (
        "from pathlib import Path; from gongkai import digest; "
        "meta = {'keywords': ['b', 'a'], 'attachments': [{'title': 't', 'file': 'x.pdf'}], 'z': {'b': 1, 'a': [2.5, None, True]}}; "
        "print(digest.compute(meta, '正文', Path('.'), None))"
    )
    seeds = [subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout for seed in ("1", "2", "3")]
    assert len(set(seeds)) == 1 and seeds[0].startswith("sha256:")


@pytest.mark.parametrize("tail", ["", "见[国务院网站](https://www.gov.cn/)。"])  # a link: the build renders the page itself
def test_what_the_digest_leaves_out_does_not_change_the_page(tmp_path, tail):
    """The digest leaves out the blank lines around the body, so the page must not depend on them either:
    with the `meta` extension (one mkdocs.yml may enable), `Key: value` lines at the very top of a body
    are hidden, and one blank line above them, added after review, showed them to everyone."""
    from tests.projects import build, make_project, write_item

    fixture = make_project(tmp_path / "project", news=1)
    config = fixture.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - tables\n", "  - tables\n  - meta\n", 1), encoding="utf-8")
    path = write_item(fixture.root, 2022, 1, f"Note: qxmetahidden 拟征收土地（内部讨论稿）\nContact: office\n\n正文。{tail}",
                      title="元数据行", category="动态信息")
    signed = path.read_text(encoding="utf-8")
    pages: list[str] = []
    texts: list[str] = []
    for text in (signed.replace("---\n\nNote:", "---\nNote:"), signed, signed.replace("---\n\nNote:", "---\n \n\t\n\nNote:")):
        path.write_text(text + "\n  \n", encoding="utf-8")
        assert [p for p in fixture.check() if p.is_error] == []  # the same digest: still signed
        built = build(fixture, tmp_path / f"site-{len(pages)}")
        pages.append(built.text("items/2022/00001/index.html"))
        body = built.page("items/2022/00001/").css_first(".gk-body")
        assert body is not None
        texts.append(body.text())
    assert pages[1:] == pages[:-1] and texts[1:] == texts[:-1]
    assert "正文" in texts[0] and "qxmetahidden" not in texts[0]  # as the reviewers saw it in every form
