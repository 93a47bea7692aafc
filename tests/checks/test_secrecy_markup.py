"""Secrecy marks (GK4xx) and unsafe markup (GK5xx): marks and attacks found, ordinary prose left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import markup, secrecy

from .samples import pdf_with_text


@pytest.mark.parametrize("text", ["秘密★1年", "机密★长期", "绝密★", "秘密 ★ 6个月", "★机密", "密级：秘密", "秘密*1年",
                                  "机密＊", "\n秘密\n", "【机密】", "### 绝密"])
def test_classification_marks(text):
    assert [rule.code for rule, _, _ in secrecy.find(f"前文\n{text}\n后文")] == [secrecy.CLASSIFIED.code]


@pytest.mark.parametrize("text", ["内部资料", "内部资料 注意保存", "不得外传", "严禁外传", "仅供内部使用", "内部传阅",
                                  "\n注意保存\n", "（内部文件）", "【内部使用】"])
def test_internal_marks(text):
    assert [rule.code for rule, _, _ in secrecy.find(text)] == [secrecy.INTERNAL.code]


@pytest.mark.parametrize("text", ["严格保守国家秘密和工作秘密。", "做好保密审查工作。", "**国家秘密**不得公开",
                                  "*商业秘密*", "缴费凭证请注意保存。", "删除个人身份信息等不宜公开内容。",
                                  "涉及秘密级以上事项的，按规定办理。", "机密文件管理制度的修订说明"])
def test_prose_is_not_a_mark(text):
    assert list(secrecy.find(text)) == []


def test_secrecy_in_body_front_matter_and_attachment(site):
    site.attach("a.pdf", pdf_with_text("Notice"))  # ASCII only: no mark
    path = site.item(body="正文。\n\n秘密★1年\n", title="关于工作的通知（内部资料）",
                     attachments=[{"title": "附件", "file": "a.pdf"}])
    problems = [p for p in site.check() if p.code.startswith("GK4")]
    assert sorted((p.code, p.line) for p in problems) == [(secrecy.INTERNAL.code, 2), (secrecy.CLASSIFIED.code, 19)] or \
        sorted(p.code for p in problems) == [secrecy.CLASSIFIED.code, secrecy.INTERNAL.code]
    body_problem = next(p for p in problems if p.code == secrecy.CLASSIFIED.code)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[body_problem.line - 1] == "秘密★1年" and body_problem.col == 1


def test_secrecy_inside_a_docx_attachment(site):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("机密★1年")
    out = io.BytesIO()
    document.save(out)
    site.attach("a.docx", out.getvalue())
    site.item(attachments=[{"title": "附件", "file": "a.docx"}])
    [problem] = site.problems(secrecy.CLASSIFIED.code)
    assert "附件《附件》（a.docx）正文第 1 段" in problem.message


@pytest.mark.parametrize(
    "text, code",
    [("<script>alert(1)</script>", markup.TAG.code), ("<SCRIPT SRC=//x>", markup.TAG.code), ("<iframe src=x>", markup.TAG.code),
     ("<object data=x>", markup.TAG.code), ("<embed src=x>", markup.TAG.code), ("<style>body{}</style>", markup.TAG.code),
     ('<img src="x" onerror="alert(1)">', markup.EVENT.code), ("<svg/onload=alert(1)>", markup.EVENT.code),
     ("<a href=x OnClick = 'y'>", markup.EVENT.code),
     ("[点击](javascript:alert(1))", markup.URL.code), ("[点击](JaVaScRiPt:alert(1))", markup.URL.code),
     ("[点击](java&#115;cript:alert(1))", markup.URL.code), ("[x](java&#x73;cript&colon;alert(1))", markup.URL.code),
     ("[x](java\tscript:alert(1))", markup.URL.code), ("<a href='vbscript:msgbox'>", markup.URL.code),
     ("[x](data:text/html;base64,PHNjcmlwdD4=)", markup.URL.code), ("<javascript:alert(1)>", markup.URL.code)],
)
def test_unsafe_markup(text, code):
    assert code in [found.code for found, _, _ in markup.find(f"正文{text}")]


@pytest.mark.parametrize("text", ["<p>段落</p>", "<table><tr><td>1</td></tr></table>", "[网址](https://www.gov.cn/)",
                                  "时间 10:30，地点：会议室", "a < b and c > d", "one=1", "<a title='onion'>x</a>",
                                  "![图](images/a.png)"])
def test_ordinary_markup_passes(text):
    assert list(markup.find(text)) == []


def test_markup_in_body_and_front_matter(site):
    site.attach("a.pdf", pdf_with_text("Notice"))
    path = site.item(body="正文。\n\n<script>alert(1)</script>\n",
                     summary="概述<img src=x onerror=alert(1)>", keywords=["javascript:alert(1)"],
                     doc_no="测<iframe>〔2021〕1号", attachments=[{"title": "<style>", "file": "a.pdf"}],
                     withdrawn={"date": "2021-07-01", "reason": "[x](vbscript:x)"})
    problems = [p for p in site.check() if p.code.startswith("GK5")]
    assert len(problems) == 6
    labels = " ".join(p.message for p in problems)
    for label in ("正文", "内容概述（summary）", "关键词（keywords[0]）", "文号（doc_no）", "附件标题（attachments[0].title）",
                  "撤回原因（withdrawn.reason）"):
        assert label in labels
    script = next(p for p in problems if "正文" in p.message)
    assert path.read_text(encoding="utf-8").split("\n")[script.line - 1].startswith("<script>")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_scanners_never_raise(text):
    list(markup.find(text))
    list(secrecy.find(text))
