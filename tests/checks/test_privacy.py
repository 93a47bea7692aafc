"""Privacy family (GK3xx) and its detectors: generated valid numbers are found, masked ones never."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import attached, pii, privacy

from .samples import CARD, ID, docx_with, make_card, make_id, pdf_with_text, xlsx_with

TODAY = dt.date(2021, 12, 31)


# --- detectors -------------------------------------------------------------------------------

def test_detectors_on_typical_text():
    text = (f"申请人张三，身份证号{ID}，手机13912345678，开户行卡号{CARD}。"
            "掩码131122********2042、139****5678，办公电话0311-87654321，面积13500000000.5平方米。")
    found = [(f.kind, f.masked) for f in pii.find(text, TODAY)]
    assert found == [(pii.ID18, "1311**********" + ID[-4:]), (pii.MOBILE, "139****5678"),
                     (pii.CARD, "6222***********" + CARD[-4:])]


def test_x_check_character_and_full_width_digits():
    with_x = next(make_id(sequence=f"{n:03d}") for n in range(1000) if make_id(sequence=f"{n:03d}").endswith("X"))
    assert [f.kind for f in pii.find(f"证件{with_x}。", TODAY)] == [pii.ID18]
    full_width = "１３９１２３４５６７８"
    assert [f.kind for f in pii.find(f"电话{full_width}", TODAY)] == [pii.MOBILE]


def test_grouped_mobile_and_card():
    grouped = " ".join([CARD[:4], CARD[4:8], CARD[8:12], CARD[12:16], CARD[16:]])
    assert [f.kind for f in pii.find(f"电话 139-1234-5678，卡号 {grouped}。", TODAY)] == [pii.MOBILE, pii.CARD]


def test_old_fifteen_digit_id_needs_a_real_date():
    assert [f.kind for f in pii.find("证号131122900307123。", TODAY)] == [pii.ID15]
    assert list(pii.find("证号131122901307123。", TODAY)) == []  # month 13


def test_id_with_a_future_or_impossible_birth_date_is_not_an_id():
    assert pii.classify(make_id(birth="20300101"), TODAY) != pii.ID18
    assert pii.classify(make_id(birth="18990101"), TODAY) != pii.ID18
    assert pii.classify(make_id(birth="19900230"), TODAY) != pii.ID18


@pytest.mark.parametrize("written", ["110101199003071234", "110101 19900307 1234", "110101-19900307-1234",
                                     "32010219840610002X", "110101 1990 0307 1234", "８１００００１９９００３０７１２３４",
                                     "320102 19851123 0519", "320102 1985 1123 0519", "320102 20101123 051X",
                                     "320102 2010 1123 051X", "320102 20101123 051 X", "320102 19851123 051x"])
def test_an_id_with_a_wrong_check_character_is_a_mistyped_id(written):
    """A made-up example or a digit copied wrong still names a birthplace and a birth date, a digit away from a real one.
    One in ten passes Luhn's check (320102198511230519): spaced as an ID is printed, as no card is, it is still an ID."""
    [found] = pii.find(f"身份证号：{written}。", TODAY)
    assert (found.kind, found.text) == (pii.ID18_MISTYPED, written)


@pytest.mark.parametrize("text", [
    "编号990101199003071234", "编号110101199013071234", "编号110101203001011234", "编号110101189912311234",
    "1101 0119 9003 0712 34", "| 110101 | 19900307 | 1234 |", "合计 110101 19900307 12 34", "1101011990030712345",
])
def test_digit_runs_shaped_otherwise_are_no_mistyped_id(text):
    """No province's code, no real birth date, spaced as no ID is printed, a longer run: no mistyped 身份证号."""
    assert list(pii.find(text, TODAY)) == []
    assert list(pii.find("身份证号" + text, TODAY)) == []


@pytest.mark.parametrize("text", ["施工许可证编号：130101201905150101", "受理编号 110101201803150007", "110101199003071234"])
def test_a_number_of_an_ids_shape_named_as_no_id_is_no_mistyped_id(text):
    """A 施工许可证编号 is a region's code, the day of issue and a sequence: without a word naming an ID before it on its
    line, a number of that shape with the wrong check character is taken for the serial it most often is."""
    assert [f.kind for f in pii.find(text, TODAY)] == []
    assert [f.kind for f in pii.find(text.replace("施工许可证编号", "身份证号").replace("受理编号", "证件号码")
                                     if "编号" in text else "ID " + text, TODAY)] == [pii.ID18_MISTYPED]


@settings(max_examples=100, deadline=None)
@given(region=st.sampled_from(["110101", "320102", "440305", "650102", "810000"]), birth=st.dates(dt.date(1900, 1, 1), TODAY),
       sequence=st.from_regex(r"[0-9]{3}", fullmatch=True), check=st.sampled_from("0123456789X"))
def test_every_check_character_of_an_id_shaped_number_is_found(region, birth, sequence, check):
    """Whatever its last character, the number is found once: a 身份证号, or a mistyped one (a bank card where its
    digits pass Luhn's check too: an error all the same)."""
    number = make_id(region, birth.strftime("%Y%m%d"), sequence)[:17] + check
    kinds = {pii.ID18} if number == make_id(region, birth.strftime("%Y%m%d"), sequence) else {pii.ID18_MISTYPED, pii.CARD}
    [found] = pii.find(f"证件号码{number}，", TODAY)
    assert found.kind in kinds and found.number == number


def test_a_mistyped_id_is_an_error_that_pii_allow_exempts_and_table_cells_do_not_join(site):
    mistyped = site.item("2021/a.md", body="申请人身份证号110101199003071234。\n")
    site.item("2021/b.md", body="证件号码 110101199003071234（示例）。\n",
              pii_allow=[{"match": "110101199003071234", "reason": "编造的示例号码"}])
    site.item("2021/c.md", body="| 110101 | 19900307 | 1234 |\n| --- | --- | --- |\n| 1 | 2 | 3 |\n")
    problems = [p for p in site.check() if p.code.startswith("GK3")]
    assert [(p.code, p.path) for p in problems] == [(privacy.ID18_MISTYPED.code, site.rel(mistyped))]
    assert problems[0].severity == "error" and "1101**********1234" in problems[0].message
    assert "110101199003071234" not in problems[0].message


@settings(max_examples=200, deadline=None)
@given(
    region=st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
    birth=st.dates(dt.date(1900, 1, 1), TODAY),
    sequence=st.from_regex(r"[0-9]{3}", fullmatch=True),
    before=st.sampled_from(["", "身份证号：", "号码 ", "（", "|"]),
    after=st.sampled_from(["", "。", "）", " |", "，男"]),
)
def test_valid_ids_are_always_found_and_their_masks_never(region, birth, sequence, before, after):
    number = make_id(region, birth.strftime("%Y%m%d"), sequence)
    found = list(pii.find(before + number + after, TODAY))
    assert [(f.kind, f.text) for f in found] == [(pii.ID18, number)]
    assert number not in found[0].masked
    masked = number[:6] + "********" + number[-4:]
    assert list(pii.find(before + masked + after, TODAY)) == []


@settings(max_examples=200, deadline=None)
@given(prefix=st.from_regex(r"62[0-9]{13,16}", fullmatch=True), extra=st.from_regex(r"[0-9]{1,3}", fullmatch=True))
def test_luhn_valid_cards_found_but_not_inside_longer_runs(prefix, extra):
    card = make_card(prefix)
    if pii.classify(card, TODAY) != pii.CARD:  # a few happen to be valid IDs too
        return
    assert [f.kind for f in pii.find(f"卡号{card}。", TODAY)] == [pii.CARD]
    assert list(pii.find(f"编号{card}{extra}。", TODAY)) == [] or len(card + extra) <= 19
    assert list(pii.find(f"编号{extra}{card}{extra}X。", TODAY)) == [] or len(extra + card + extra) <= 19


@settings(max_examples=200, deadline=None)
@given(number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), run=st.from_regex(r"[0-9]{1,4}", fullmatch=True))
def test_mobiles_found_alone_never_inside_longer_numbers(number, run):
    assert [f.kind for f in pii.find(f"联系电话：{number}。", TODAY)] == [pii.MOBILE]
    # 0086… is the calling code, 0… the trunk prefix; a bare 86… only after "+" (a serial number may begin with 86)
    expected = ([pii.MOBILE],) if run in ("0086", "0") else ([], [pii.ID15], [pii.CARD], [pii.ID18])
    assert [f.kind for f in pii.find(f"编号{run}{number}", TODAY)] in expected
    assert list(pii.find(f"{number[:3]}****{number[-4:]}", TODAY)) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_find_never_raises(text):
    for finding in pii.find(text, TODAY):
        assert text[finding.start:finding.end] == finding.text


# --- the family on real files ----------------------------------------------------------------

def test_body_finding_has_line_col_and_masked_message(site):
    path = site.item(body=f"正文第一行。\n\n申请人张三（身份证号{ID}）。\n")
    [problem] = site.problems(privacy.ID18.code)
    text = path.read_text(encoding="utf-8").split("\n")
    assert problem.line == next(number for number, line in enumerate(text, 1) if ID in line)
    assert problem.col == text[problem.line - 1].index(ID) + 1
    assert ID not in problem.message and "1311**********" in problem.message


def test_table_and_front_matter_are_scanned(site):
    site.item(title="关于张三13912345678的公示", body=f"| 姓名 | 卡号 |\n| --- | --- |\n| 张三 | {CARD} |\n")
    codes = [p.code for p in site.check() if p.code.startswith("GK3")]
    assert sorted(codes) == [privacy.MOBILE.code, privacy.CARD.code]
    [mobile] = site.problems(privacy.MOBILE.code)
    assert mobile.line == 2 and "标题（title）" in mobile.message


@pytest.mark.parametrize("table", [
    f"| 姓名 | 号码 |\n| --- | --- |\n| 张三 | {ID[:10]} |\n| {ID[10:]} | 无 |\n",  # a row's end read on into the next
    f"| {ID[:6]} | {ID[6:14]} |\n| --- | --- |\n| {ID[14:]} | 备注 |\n",  # the header read on into the body
    f"| {ID[:9]} |\n| --- |\n| {ID[9:]} |\n",  # down a column of one header and one row
])
def test_an_id_split_between_rows_is_found(site, table):
    site.item(body=f"登记情况如下。\n\n{table}")
    assert [p.code for p in site.check() if p.code.startswith("GK3")] == [privacy.ID18.code]


def test_a_table_of_small_counts_is_no_id_however_its_rows_run_on(site):
    """Nine columns of counts 0–2 a row, 3,000 rows: read on from row to row, its digits held valid 身份证号."""
    import random

    pick = random.Random(1).choice
    rows = "".join("| " + " | ".join(pick("0000000112") for _ in range(9)) + " |\n" for _ in range(3000))
    site.item(body="| " + " | ".join("甲乙丙丁戊己庚辛壬") + " |\n" + "| --- " * 9 + "|\n" + rows)
    assert [p for p in site.check() if p.code.startswith("GK3")] == []


def test_a_number_is_read_past_its_footnote_reference(site):
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  - footnotes\n", encoding="utf-8")
    site.item(body="联系电话1391234[^1]5678。\n\n[^1]: 工作日接听。\n")
    assert [p.code for p in site.check() if p.code.startswith("GK3")] == [privacy.MOBILE.code]


def test_attachment_title_is_scanned(site):
    site.attach("a.pdf", pdf_with_text("Notice"))
    site.item(attachments=[{"title": f"{ID}的材料", "file": "a.pdf"}])
    assert site.problems(privacy.ID18.code)


def test_pii_allow_exempts_exact_strings_only(site):
    site.item(body="服务热线13912345678，另有13812345678。\n",
              pii_allow=[{"match": "13912345678", "reason": "单位公开的服务电话"}])
    [problem] = site.problems(privacy.MOBILE.code)
    assert "138****5678" in problem.message


def test_pii_allow_with_surrounding_text(site):
    site.item(body="服务热线13912345678。\n", pii_allow=[{"match": "服务热线13912345678", "reason": "公开电话"}])
    assert not site.problems(privacy.MOBILE.code)


def test_unused_allowance_warns(site):
    site.item(pii_allow=[{"match": "13912345678", "reason": "旧电话"}])
    [problem] = site.problems(privacy.UNUSED_ALLOWANCE.code)
    assert problem.severity == "warning"


def test_pdf_attachment_text_is_scanned(site):
    site.attach("2021/list.pdf", pdf_with_text(f"Zhang San {ID} 13912345678"))
    path = site.item(attachments=[{"title": "名单", "file": "2021/list.pdf"}])
    problems = [p for p in site.check() if p.code.startswith("GK3")]
    assert sorted(p.code for p in problems) == [privacy.ID18.code, privacy.MOBILE.code]
    lines = path.read_text(encoding="utf-8").split("\n")
    entry = next(number for number, line in enumerate(lines, 1) if line.startswith("- title: 名单"))
    assert {p.line for p in problems} == {entry}
    assert all("附件《名单》（2021/list.pdf）第 1 页" in p.message and ID not in p.message for p in problems)


def test_docx_paragraphs_and_tables_are_scanned(site):
    site.attach("a.docx", docx_with("联系人李四，电话13912345678。", ID))
    site.item(attachments=[{"title": "名单", "file": "a.docx"}])
    messages = {p.code: p.message for p in site.check() if p.code.startswith("GK3")}
    assert "正文第 2 段" in messages[privacy.MOBILE.code]
    assert "第 1 个表格第 2 行" in messages[privacy.ID18.code]


@pytest.mark.parametrize("value", ["13912345678", 13912345678])
def test_xlsx_cells_are_scanned(site, value):
    site.attach("a.xlsx", xlsx_with(value))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.MOBILE.code)
    assert "工作表“名单”第 2 行" in problem.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk_is_scanned(site, encoding):
    site.attach("a.csv", f"姓名,身份证号\n张三,{ID}\n".encode(encoding))
    site.item(attachments=[{"title": "名单", "file": "a.csv"}])
    [problem] = site.problems(privacy.ID18.code)
    assert "第 2 行" in problem.message


@pytest.mark.parametrize("name", ["a.ofd", "a.wps", "a.doc", "a.xls", "a.jpg", "a.png", "a.zip"])
def test_unreadable_types_warn_that_they_were_not_scanned(site, name):
    site.attach(name, b"\x00binary")
    site.item(attachments=[{"title": "材料", "file": name}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert problem.severity == "warning" and name in problem.message and "人工" in problem.message


def test_scanned_pdf_without_text_and_damaged_files_warn(site):
    site.attach("scan.pdf", pdf_with_text(""))
    site.attach("broken.docx", b"PK\x03\x04 not a zip \x00\x01")
    site.item(attachments=[{"title": "扫描件", "file": "scan.pdf"}, {"title": "坏文件", "file": "broken.docx"}])
    messages = [p.message for p in site.problems(privacy.NOT_SCANNED.code)]
    assert len(messages) == 2
    assert any("扫描件" in m and "文字层" in m for m in messages) and any("无法解析" in m for m in messages)


def test_non_public_items_are_scanned(site):
    site.item(disclosure="依申请公开", body=f"身份证号{ID}\n")
    assert site.problems(privacy.ID18.code)


def test_same_attachment_is_extracted_once(site, monkeypatch):
    from gongkai.checks import attached

    calls = []
    original = attached.extract

    def counted(file, suffix, slow=None):
        calls.append(file)
        return original(file, suffix, slow)

    monkeypatch.setattr(attached, "extract", counted)
    site.attach("a.csv", "姓名\n张三\n".encode())
    site.attach("b.csv", "姓名\n张三\n".encode())  # same bytes, other name
    site.item("2021/a.md", attachments=[{"title": "名单", "file": "a.csv"}])
    site.item("2021/b.md", attachments=[{"title": "名单", "file": "b.csv"}])
    site.check()
    assert len(calls) == 1  # for both items and both families


@pytest.mark.parametrize("number", [ID, CARD, "13912345678", "131122900307123", "139-1234-5678"])
def test_no_message_carries_the_whole_number(site, number):
    site.attach("a.csv", f"号码\n{number}\n".encode())
    site.item(title=f"号码{number}", body=f"号码{number}\n", attachments=[{"title": "名单", "file": "a.csv"}])
    problems = [p for p in site.check() if p.code.startswith("GK3")]
    assert len(problems) == 3  # title, body, attachment
    digits = number.replace("-", "")
    assert all(number not in p.message and digits not in p.message.replace("-", "") for p in problems)


@pytest.mark.parametrize("text, found", [
    ("编号8613000000000", False),  # a serial number that happens to begin with 86
    ("电话+8613912345678", True),
    ("电话008613912345678", True),
    ("电话 86 139 1234 5678", True),  # the grouped mobile stands on its own
])
def test_the_calling_code_86_needs_a_plus_when_written_together(text, found):
    assert any(f.kind == pii.MOBILE for f in pii.find(text, TODAY)) is found


# --- what the rendered page carries besides its text ------------------------------------------

@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(1, 10), min_size=1, max_size=4, unique=True),
       fillers=st.lists(st.sampled_from(["甲", "号楼", "（", "·", "\u3000", "。", "—", "〇"]), min_size=4, max_size=4))
def test_a_heading_id_made_of_a_number_is_found(cuts, fillers):
    """A heading's id is its text without what is not ASCII: digits split by Chinese make a number in the address bar."""
    from gongkai.reader_text import visible
    from gongkai.rendering import Renderer
    from gongkai.sanitize import sanitize
    from gongkai.settings import MarkdownOptions

    pieces, last = [], 0
    for cut, filler in zip(sorted(cuts), fillers, strict=False):
        pieces += ["13912345678"[last:cut], filler]
        last = cut
    heading = "## 电话" + "".join(pieces) + "13912345678"[last:]
    anchors = visible(sanitize(Renderer(MarkdownOptions()).render(heading))).anchors
    assert [found.number for found in pii.find("\n".join(anchors), TODAY)] == ["13912345678"], (heading, anchors)


def test_a_heading_id_is_reported_at_the_heading(site):
    path = site.item(body="正文。\n\n## 联系电话139号1234室5678\n\n内容。\n")
    [problem] = site.problems(privacy.MOBILE.code)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[problem.line - 1].startswith("## 联系电话") and "网址锚点" in problem.message


def test_an_authored_page_named_by_a_number_is_found(site):
    page = site.content / "pages" / "13912345678.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: 联系我们\n---\n\n正文。\n", encoding="utf-8")
    [problem] = site.problems(privacy.MOBILE.code)
    assert problem.path == "content/pages/13912345678.md" and problem.line == 1 and "页面文件名" in problem.message


@pytest.mark.parametrize("kind", ["mobile numbers", "secrecy marks", "lexicon words", "a mix"])
def test_an_attachment_with_more_findings_than_are_kept_names_the_first_and_is_refused(site, kind):
    """A list of 800,000 numbers held 1.9 GB of findings: a file keeps the first FINDINGS, and says there were more."""
    count = attached.FINDINGS
    (site.content / "lexicon.yml").write_text("forbidden:\n  - {text: 台湾总统, reason: 应称台湾地区领导人}\n", encoding="utf-8")
    lines = {"mobile numbers": [f"139{n:08d}" for n in range(count + 5)],
             "secrecy marks": ["机密★一年"] * (count + 5),
             "lexicon words": ["台湾总统"] * (count + 5),
             "a mix": [f"139{n:08d},机密★一年" for n in range(count // 2 + 1)]}[kind]
    site.attach("many.csv", ("\n".join(lines) + "\n").encode())
    site.attach("enough.csv", ("\n".join(f"139{n:08d}" for n in range(count)) + "\n").encode())
    many = site.item("2021/many.md", attachments=[{"title": "名单", "file": "many.csv"}])
    enough = site.item("2021/enough.md", attachments=[{"title": "名单", "file": "enough.csv"}])
    [crowded] = [problem for problem in site.check() if problem.code == privacy.CROWDED.code]
    assert crowded.path == site.rel(many) and crowded.severity == "error" and "many.csv" in crowded.message
    named = [problem for problem in site.check() if problem.path == site.rel(many) and problem.code != privacy.CROWDED.code
             and problem.severity == "error" and "many.csv" in problem.message]
    assert count <= len(named) <= count + 1
    assert site.codes(enough).count(privacy.MOBILE.code) == count


@pytest.mark.parametrize("key", ["pii_allow", "lexicon_allow"])
def test_an_item_holds_at_most_100_allowances_of_each_kind(site, key):
    """Each finding was looked up in each allowance, every lookup reading the text from the finding to its end: 5,000
    allowances and 900 phone numbers in a 3 MB item kept a check busy past 5 minutes. The 101st is GK309 at its line,
    and only the first 100 are used (the 101st allows nothing, and is not reported as unused)."""
    entries = [{"match": f"服务电话{n:03d}", "reason": "公开"} for n in range(100)]
    entries.append({"match": "热线13912345678" if key == "pii_allow" else "登陆网站", "reason": "公开"})
    path = site.item(body="热线13912345678。登陆网站。\n", **{key: entries})
    problems = [p for p in site.check() if p.path == site.rel(path)]
    [many] = [p for p in problems if p.code == privacy.MANY_ALLOWANCES.code]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert "热线13912345678" in lines[many.line - 1] or "登陆网站" in lines[many.line - 1]
    assert "101 项，超过上限 100 项" in many.message
    wanted = privacy.MOBILE.code if key == "pii_allow" else "GK461"  # 登陆网站 → 登录网站
    assert wanted in [p.code for p in problems]  # the 101st allowance is not used
    unused = [p for p in problems if p.code in (privacy.UNUSED_ALLOWANCE.code, "GK464")]
    assert len(unused) == 100 and all(p.line < many.line for p in unused)


@settings(max_examples=300, deadline=None)
@given(st.text("ab1", max_size=30), st.text("ab1", min_size=1, max_size=6), st.data())
def test_an_allowance_is_looked_for_only_where_it_could_cover_the_finding(text, match, data):
    """The bounded lookup, with the occurrence it found last kept, finds exactly the occurrences of the unbounded one
    that cover each finding, in any order."""
    allowed_at = privacy.AllowedAt()
    for _ in range(data.draw(st.integers(1, 6))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        covering = any(text.startswith(match, p) and p <= start and p + len(match) >= end for p in range(len(text) + 1))
        assert allowed_at(text, match, start, end) == covering


def test_one_long_allowance_covering_many_findings_is_searched_once_for_them():
    """An allowance of the whole text, over 30,000 numbers: each searched it again, minutes for a 1.6 MB item."""
    import time

    text = "13812345678，" * 30_000
    allowed_at = privacy.AllowedAt()
    started = time.process_time()
    assert all(allowed_at(text, text, start, start + 11) for start in range(0, len(text), 12))
    assert time.process_time() - started < 10


def test_a_number_inside_a_serial_of_an_ids_shape_is_still_read():
    """Unnamed, a mistyped ID's reading gives way to what it would have swallowed: a mobile number before a dash."""
    assert [(f.kind, f.number) for f in pii.find("编号13123419900-3071234", TODAY)] == [(pii.MOBILE, "13123419900")]
    assert [f.kind for f in pii.find("身份证号13123419900-3071234", TODAY)] == [pii.ID18_MISTYPED]
