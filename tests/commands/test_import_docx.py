"""`gongkai import FILE.docx` as an editor runs it, on 公文 made with python-docx: what is recognised,
what the new item looks like, that it passes every check but the review, and that hostile files
end in a Chinese message or a safe result, never a traceback and never a file outside content/."""

from __future__ import annotations

import copy
import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from gongkai.project import load_project
from tests.importing.gongwen import (
    DOC_NO,
    TITLE,
    add_embedded,
    add_external_image,
    add_hyperlink,
    add_picture,
    add_raw_image,
    auto_numbered,
    gongwen,
    png,
    png_header,
    save,
)

GONGKAI = [os.path.join(os.path.dirname(sys.executable), "gongkai")]
TODAY = "2025-03-06"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGKAI_TODAY": TODAY}
    return subprocess.run([*GONGKAI, *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def import_file(site, path: Path, *extra: str) -> subprocess.CompletedProcess:
    return run(site.root, "import", str(path), "--category", "规范性文件", "--department", "办公室", "--date", TODAY, *extra)


def item_of(site, result: subprocess.CompletedProcess) -> tuple[dict, str]:
    rel = result.stdout.splitlines()[0]
    text = (site.root / rel).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_without_a_genre_in_the_title_the_column_gives_it(site, tmp_path: Path):
    source = save(gongwen(title="《青禾县农村危房改造实施办法》政策问答"), tmp_path / "问答.docx")
    result = run(site.root, "import", str(source), "--category", "政策解读", "--department", "办公室", "--date", TODAY)
    assert result.returncode == 0, result.stderr
    meta, _ = item_of(site, result)
    assert meta["genre"] == "解读" and "体裁：解读（栏目的体裁）" in result.stdout


def all_files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def test_a_gongwen_becomes_an_item(site, tmp_path: Path):
    source = save(gongwen(), tmp_path / "通知.docx")
    result = import_file(site, source)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "content/items/2025/2025-00001.md"
    meta, body = item_of(site, result)
    assert meta["title"] == TITLE and meta["doc_no"] == DOC_NO
    assert str(meta["written"]) == "2025-03-05" and str(meta["published"]) == TODAY
    assert meta["index_no"] == f"{site.ORG_CODE}/2025-00001" and meta["genre"] == "通知"
    assert meta["review"] == {} and "attachments" not in meta
    assert body.lstrip().startswith("各乡镇人民政府，县直有关单位：")
    for expected in ("## 一、工作目标", "### （一）精准认定改造对象", "1. 严格对象认定。", "2. 规范公示程序。",
                     "（1）公示内容包括户主姓名和补助标准。", "| 乡镇 |  | 户数 |", "| 合计 | — | 83 |",
                     "附件：1．2025年农村危房改造任务分配表", "2．农村危房改造申请表", "二〇二五年三月五日"):
        assert expected in body, expected
    for head_or_footer in ("青禾县住房和城乡建设局文件", DOC_NO, "抄送", "印发"):
        assert head_or_footer not in body
    assert "检查通过" in result.stdout and "成文日期：2025-03-05" in result.stdout


def test_check_afterwards_points_at_nothing_but_the_review(site, tmp_path: Path):
    source = save(gongwen(), tmp_path / "通知.docx")
    rel = import_file(site, source).stdout.splitlines()[0]
    result = run(site.root, "check")
    lines = [line for line in result.stdout.splitlines() if line.startswith("content/items/")]
    assert lines and all(line.startswith(rel) and " GK201 error: " in line for line in lines), result.stdout
    errors = [line for line in result.stdout.splitlines() if " error: " in line]
    assert errors == lines


def test_the_item_builds_once_reviewed(site, tmp_path: Path):
    source = save(gongwen(), tmp_path / "通知.docx")
    rel = import_file(site, source, "--attach-original").stdout.splitlines()[0]
    for level, who in (("initial", "李明"), ("final", "王芳")):
        signed = run(site.root, "review", rel, "--level", level, "--reviewer", who, "--date", TODAY, "--key", str(site.keys.file(who)))
        assert signed.returncode == 0, signed.stderr
    result = run(site.root, "check", rel)
    assert result.returncode == 0 and " error: " not in result.stdout, result.stdout


def test_dates_in_digits_and_no_masthead(site, tmp_path: Path):
    source = save(gongwen(masthead=False, doc_no=None, date_line="2025年2月28日"), tmp_path / "a.docx")
    meta, _ = item_of(site, import_file(site, source))
    assert str(meta["written"]) == "2025-02-28" and "doc_no" not in meta and meta["title"] == TITLE


def test_pictures_embedded_files_and_the_original_become_attachments(site, tmp_path: Path):
    document = gongwen()
    add_picture(document, png())
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    add_embedded(document, workbook.getvalue(), "/word/embeddings/Microsoft_Excel_Worksheet.xlsx", XLSX)
    source = save(document, tmp_path / "通知.docx")
    result = import_file(site, source, "--attach-original")
    assert result.returncode == 0, result.stderr
    meta, body = item_of(site, result)
    files = {a["file"]: a["title"] for a in meta["attachments"]}
    assert files == {
        "2025/2025-00001-tu1.png": "危房改造前后对比",
        "2025/2025-00001-fujian1.xlsx": "2025年农村危房改造任务分配表",  # named after the 附件说明
        "2025/2025-00001-yuanwen.docx": f"{TITLE}（Word 原文）",
    }
    assert "![危房改造前后对比](../../attachments/2025/2025-00001-tu1.png)" in body
    assert (site.attachments / "2025/2025-00001-tu1.png").read_bytes() == png()
    assert (site.attachments / "2025/2025-00001-yuanwen.docx").read_bytes() == source.read_bytes()
    problems = [p for p in site.check(dt_today()) if p.path == result.stdout.splitlines()[0]]
    assert {p.code for p in problems} <= {"GK201", "GK305"}  # a picture cannot be scanned: the reviewer looks


def dt_today():
    import datetime as dt

    return dt.date.fromisoformat(TODAY)


def test_privacy_and_secrecy_findings_are_printed_at_once(site, tmp_path: Path):
    body = ["联系人：张三，电话13912345678。", "一、工作要求", "本通知属内部资料，不得外传。"]
    source = save(gongwen(body=body), tmp_path / "通知.docx")
    result = import_file(site, source)
    assert result.returncode == 0
    rel = result.stdout.splitlines()[0]
    lines = (site.root / rel).read_text(encoding="utf-8").split("\n")
    mobile = next(line for line in result.stdout.splitlines() if " GK303 " in line)
    number = int(mobile.split(":")[1])
    assert "13912345678" in lines[number - 1] and "13912345678" not in result.stdout
    assert any(" GK402 " in line for line in result.stdout.splitlines())
    assert "GK201" not in result.stdout


def test_word_numbering_keeps_its_labels(site, tmp_path: Path):
    document = auto_numbered([(0, "总体要求"), (1, "目标任务"), (2, "摸清底数。"), (2, "建立台账。"), (3, "逐户登记。"),
                              (0, "保障措施"), (1, "加强领导")])
    meta, body = item_of(site, import_file(site, save(document, tmp_path / "a.docx")))
    for expected in ("## 一、总体要求", "### （一）目标任务", "1. 摸清底数。", "2. 建立台账。", "（1）逐户登记。",
                     "## 二、保障措施", "### （一）加强领导"):
        assert expected in body, body


@pytest.mark.parametrize("number", ["²", "①", "١", "9" * 5000, "-3"])
def test_numbers_in_words_settings_that_int_refuses_are_left_out(site, tmp_path: Path, number: str):
    """`str.isdigit` allows ² ① ١, which int() refuses, as it does thousands of digits: outline level, list level
    and font size so written import as if unset, not as an internal error."""
    document = auto_numbered([(0, "总体要求"), (1, "目标任务")])
    for paragraph in document.paragraphs[1:]:
        properties = paragraph._p.get_or_add_pPr()
        properties.find(qn("w:numPr")).find(qn("w:ilvl")).set(qn("w:val"), number)
        properties.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{number}"/>'))
        run = paragraph.runs[0]._r.get_or_add_rPr()
        run.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{number}"/>'))
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0 and "内部错误" not in result.stderr, result.stderr
    assert "总体要求" in item_of(site, result)[1]


def test_links_keep_safe_targets_only(site, tmp_path: Path):
    document = gongwen()
    add_hyperlink(document, "县政府网站", "https://www.qinghe.gov.cn/zwgk/?id=1")
    add_hyperlink(document, "点击查看", "javascript:alert(document.cookie)")
    add_hyperlink(document, "共享盘", "file:///C:/Users/admin/名单.xlsx")
    add_hyperlink(document, "无主机", "http:javascript:alert(1)")
    result = import_file(site, save(document, tmp_path / "a.docx"))
    _, body = item_of(site, result)
    assert "[县政府网站](https://www.qinghe.gov.cn/zwgk/?id=1)" in body
    assert "javascript" not in body and "file:" not in body and "点击查看" in body and "共享盘" in body
    assert "无主机" in body
    assert result.stdout.count("只保留了文字") == 3


def test_markup_in_the_text_stays_text(site, tmp_path: Path):
    body = ["<script>alert(1)</script>请见<img src=x onerror=alert(1)>。", "# 不是标题", "[链接](javascript:alert(1))"]
    result = import_file(site, save(gongwen(body=body), tmp_path / "a.docx"))
    _, text = item_of(site, result)
    assert "<script" not in text and "<img" not in text and "&lt;script>" in text
    assert "\\# 不是标题" in text and "&#91;链接&#93;(javascript:alert(1))" in text


# ---- hostile files -----------------------------------------------------------------------------


def refused(site, path: Path, *words: str) -> str:
    before = all_files(site.root)
    result = import_file(site, path)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr and result.stderr.startswith("错误：")
    for word in words:
        assert word in result.stderr
    assert all_files(site.root) == before  # nothing written, nothing half-written
    return result.stderr


def test_not_a_docx(site, tmp_path: Path):
    (tmp_path / "a.docx").write_bytes(b"%PDF-1.4 not a word file")
    refused(site, tmp_path / "a.docx", "不是有效的 Word 文档")
    (tmp_path / "b.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    refused(site, tmp_path / "b.docx", "另存为 .docx")
    (tmp_path / "c.doc").write_bytes(b"x")
    refused(site, tmp_path / "c.doc", "不是 .docx 文件")
    with zipfile.ZipFile(tmp_path / "d.docx", "w") as package:
        package.writestr("hello.txt", "hi")
    refused(site, tmp_path / "d.docx", "不是 Word 文档")


def test_zip_bomb(site, tmp_path: Path):
    bomb = tmp_path / "bomb.docx"
    shutil_copy(save(gongwen(), tmp_path / "ok.docx"), bomb)
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as package, package.open("word/media/bomb.bin", "w", force_zip64=True) as member:
        for _ in range(300):
            member.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    refused(site, bomb, "压缩炸弹")


def test_too_many_parts(site, tmp_path: Path):
    many = tmp_path / "many.docx"
    shutil_copy(save(gongwen(), tmp_path / "ok.docx"), many)
    with zipfile.ZipFile(many, "a") as package:
        for number in range(2100):
            package.writestr(f"customXml/x{number}.xml", "")
    refused(site, many, "部件")


def shutil_copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def test_entity_bomb_stays_inert(site, tmp_path: Path):
    source = save(gongwen(), tmp_path / "ok.docx")
    laughs = tmp_path / "laughs.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(laughs, "w") as package:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/document.xml":
                entities = '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">' + "".join(
                    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>"
                text = data.decode("utf-8").replace("?>", "?>" + entities, 1).replace("各乡镇人民政府", "&i;各乡镇人民政府")
                data = text.encode("utf-8")
            package.writestr(info, data)
    before = all_files(site.root)
    result = import_file(site, laughs)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:  # entities are not expanded: the text is at most what was written
        rel = result.stdout.splitlines()[0]
        assert (site.root / rel).stat().st_size < 20_000
    else:
        assert result.stderr.startswith("错误：") and all_files(site.root) == before


def test_pictures_that_are_not_what_they_claim(site, tmp_path: Path):
    document = gongwen()
    add_raw_image(document, png_header(100_000, 100_000), "/word/media/huge.png", "image/png")
    add_raw_image(document, b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "/word/media/x.svg", "image/svg+xml")
    add_raw_image(document, b"GIF89a....", "/word/media/x.gif", "image/gif")
    add_raw_image(document, b"<html><script>alert(1)</script>", "/word/media/fake.png", "image/png")
    add_external_image(document, "http://203.0.113.9/track.png")
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    meta, body = item_of(site, result)
    assert "attachments" not in meta and "![" not in body and "203.0.113.9" not in body
    assert "100000×100000" in result.stdout and "SVG" in result.stdout and "GIF" in result.stdout
    assert "未下载" in result.stdout
    assert not (site.attachments / "2025").exists()


def test_embedded_names_and_types_cannot_choose_where_files_go(site, tmp_path: Path):
    document = gongwen()
    add_embedded(document, b"%PDF-1.4 minimal", "/word/embeddings/..%2F..%2F..%2Fevil.pdf", "application/pdf")
    add_embedded(document, b"MZ\x90\x00", "/word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject")
    add_embedded(document, b"PK\x03\x04broken", "/word/embeddings/x.xlsx", XLSX)
    source = save(document, tmp_path / "a.docx")
    before = all_files(site.root.parent)
    result = import_file(site, source)
    assert result.returncode == 0, result.stderr
    meta, _ = item_of(site, result)
    assert [a["file"] for a in meta["attachments"]] == ["2025/2025-00001-fujian1.pdf"]
    created = all_files(site.root.parent) - before
    assert all(path.resolve().is_relative_to((site.root / "content").resolve()) for path in created)
    assert "不是 PDF、DOCX 或 XLSX" in result.stdout and "不是有效的 Word 文档" in result.stdout


def test_symlinked_attachments_folder_is_refused(site, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (site.attachments / "2025").symlink_to(outside, target_is_directory=True)
    document = gongwen()
    add_picture(document, png())
    refused(site, save(document, tmp_path / "a.docx"), "content/ 之外")
    assert not list(outside.iterdir())


@pytest.mark.parametrize("linked", ["attachments", "items"])
def test_a_linked_content_folder_without_the_year_is_never_written_through(site, tmp_path: Path, linked):
    """content/items or content/attachments linked elsewhere, without the year's folder there: checking only
    existing folders, the import made the year's folder through the link and wrote the item or picture in it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = site.content / linked
    folder.rename(tmp_path / "moved")
    folder.symlink_to(outside, target_is_directory=True)
    document = gongwen()
    add_picture(document, png())
    refused(site, save(document, tmp_path / "a.docx"), "content/ 之外")
    assert not list(outside.iterdir())


def test_bad_catalog_names_are_refused_with_suggestions(site, tmp_path: Path):
    source = save(gongwen(), tmp_path / "a.docx")
    result = run(site.root, "import", str(source), "--category", "规范文件", "--department", "办公室")
    assert result.returncode == 1 and "规范性文件" in result.stderr and "Traceback" not in result.stderr


def test_every_scan_reads_the_same_item_the_loader_reads(site, tmp_path: Path):
    rel = import_file(site, save(gongwen(), tmp_path / "a.docx")).stdout.splitlines()[0]
    project = load_project(site.root)
    [item] = [item for item in project.items if item.path == rel]
    assert item.title == TITLE and item.doc_no == DOC_NO


@pytest.mark.parametrize("name", ["../escape.docx", "名单 (final).docx"])
def test_source_names_do_not_matter(site, tmp_path: Path, name: str):
    folder = tmp_path / "in" / "deeper"
    folder.mkdir(parents=True)
    source = save(gongwen(), folder / name)
    result = import_file(site, source, "--attach-original")
    assert result.returncode == 0, result.stderr
    meta, _ = item_of(site, result)
    assert meta["attachments"][0]["file"] == "2025/2025-00001-yuanwen.docx"


def test_docx_reader_sees_what_python_docx_sees():
    document = gongwen()
    assert any(p.text == "各乡镇人民政府，县直有关单位：" for p in document.paragraphs)
    assert isinstance(document, docx.document.Document)


def _shown_again(document, times: int) -> None:
    """The last paragraph's last run (a picture, an embedded file) shown `times` more times, as copies of its XML."""
    paragraph = document.paragraphs[-1]._p
    run_element = [child for child in paragraph.iterchildren() if child.tag.endswith("}r")][-1]
    for _ in range(times):
        paragraph.append(copy.deepcopy(run_element))


def test_a_picture_or_file_shown_many_times_is_kept_once(site, tmp_path: Path):
    """A document names its parts by reference: one embedded PDF shown 300 times was written as 300 attachments
    (a 40 KB .docx wrote 1.5 GB), one picture hashed and noted at every showing. Each part is kept, noted and
    listed once; the text shows the picture wherever the document does."""
    document = gongwen()
    add_embedded(document, b"%PDF-1.4 " + b"x" * 5_000_000, "/word/embeddings/a.pdf", "application/pdf")
    _shown_again(document, 299)
    add_picture(document, png(), alt="示意图")
    _shown_again(document, 299)
    add_external_image(document, "http://203.0.113.9/track.png")
    _shown_again(document, 299)
    add_raw_image(document, b"GIF89a....", "/word/media/x.gif", "image/gif")
    _shown_again(document, 299)
    source = save(document, tmp_path / "通知.docx")
    assert source.stat().st_size < 200_000
    result = import_file(site, source)
    assert result.returncode == 0, result.stderr
    meta, body = item_of(site, result)
    assert sorted(a["file"] for a in meta["attachments"]) == ["2025/2025-00001-fujian1.pdf", "2025/2025-00001-tu1.png"]
    assert sum(path.stat().st_size for path in site.attachments.rglob("*") if path.is_file()) < 6_000_000
    assert body.count("![示意图](../../attachments/2025/2025-00001-tu1.png)") == 300
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    assert len(lines) == len(set(lines)) and len(lines) < 40, lines
    assert sum("未下载" in line for line in lines) == 1 and sum("GIF" in line for line in lines) == 1


def test_what_the_word_file_says_cannot_act_on_the_terminal_nor_reach_the_item(site, tmp_path: Path):
    """XML allows C1 controls (U+009B is a terminal's CSI, as ESC [ is), bidirectional marks and line separators in a
    Word file's text: the import drops them from the title, the body and a picture's description (an item may hold
    none: the check refused the item it had written, GK009/GK016), says so, and prints nothing raw."""
    from gongkai.invisible import CONTROL
    from gongkai.problems import NOT_SHOWN

    document = gongwen(title="关于\x9b2J\x9b31m做好\u202e知通的通知")
    document.add_paragraph("正文\u2028第二行\x85第三\x7f行\u2066。")
    symbol = document.add_paragraph("符号前").add_run()._r  # a character Word draws from a code (<w:sym>)
    symbol.append(parse_xml(f'<w:sym {nsdecls("w")} w:font="Symbol" w:char="0085"/>'))
    document.add_paragraph("编号段落", style="List Number")  # numbering text, as the document defines it
    for text in document.part.numbering_part.element.iter(qn("w:lvlText")):
        text.set(qn("w:val"), "%1\ufeff\u202e、")
    add_picture(document, png(), alt="图\x9b2J说明")
    add_external_image(document, "http://203.0.113.9/track.png")
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", "外\u2066链\x85图")
    result = import_file(site, save(document, tmp_path / "通知.docx"))
    assert result.returncode == 0, result.stderr
    shown = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if NOT_SHOWN.search(line)]
    assert shown == []
    meta, body = item_of(site, result)
    assert meta["title"] == "关于2J31m做好知通的通知" and "正文 第二行 第三行。" in body
    assert "\n符号前\n" in body and "\n1. 编号段落\n" in body
    item = (site.root / result.stdout.splitlines()[0]).read_text(encoding="utf-8")
    assert not CONTROL.search(item) and "\ufeff" not in item
    assert "已删除：控制字符或双向文字控制符" in result.stdout
    errors = {line.split()[1] for line in run(site.root, "check").stdout.splitlines() if " error: " in line}
    assert errors == {"GK201"}, errors  # not reviewed yet, and nothing else


def test_a_refusal_quoting_the_file_cannot_act_on_the_terminal(site, tmp_path: Path):
    """A zip member's name is any bytes (ESC [ 2 J clears the screen): a refusal naming it, like every refusal a
    command prints, shows such characters escaped, its line breaks kept."""
    from gongkai.problems import NOT_SHOWN

    bomb = shutil_copy(save(gongwen(), tmp_path / "ok.docx"), tmp_path / "bomb.docx")
    name = "word/media/\x1b[2J\x1b[31m\u202ebomb\x9b1m.bin"
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as package, package.open(name, "w", force_zip64=True) as member:
        for _ in range(60):
            member.write(b"\0" * (1 << 20))
    result = import_file(site, bomb)
    assert result.returncode == 1 and "压缩炸弹" in result.stderr, result.stderr
    assert "\\x1b[2J" in result.stderr and "\\u202e" in result.stderr
    assert not [line for line in result.stderr.splitlines() if NOT_SHOWN.search(line)]


def _file_size_limit(limit: int):
    def apply() -> None:  # in the child: a write past `limit` bytes fails with EFBIG instead of killing it
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("what", ["item", "attachment"])
def test_a_write_that_fails_halfway_leaves_nothing(site, tmp_path: Path, what: str):
    """A full disk (here: a file size limit) while the item or an attachment is written: no half file stays
    in content/, as the message says."""
    body = ["为做好工作，现将有关事项通知如下。" * 20] * (400 if what == "item" else 2)
    document = gongwen(body=body)
    if what == "attachment":
        add_embedded(document, b"%PDF-1.4 " + b"x" * 300_000, "/word/embeddings/a.pdf", "application/pdf")
    source = save(document, tmp_path / "通知.docx")
    before = {path: path.stat().st_size for path in site.content.rglob("*") if path.is_file()}
    env = {**os.environ, "GONGKAI_TODAY": TODAY}
    result = subprocess.run([*GONGKAI, "import", str(source), "--category", "规范性文件", "--department", "办公室", "--date", TODAY],
                            cwd=site.root, env=env, capture_output=True, text=True, timeout=120,
                            preexec_fn=_file_size_limit(100_000))
    assert result.returncode == 1 and "写入失败" in result.stderr and "没有留下半成品" in result.stderr, result.stderr
    assert {path: path.stat().st_size for path in site.content.rglob("*") if path.is_file()} == before


def test_text_boxes_inside_text_boxes_are_read_once(site, tmp_path: Path):
    """Each text box's own text, once: a box nested 16 deep was read 32,768 times (2ⁿ⁻¹), so a 40 KB file
    nested 25 deep kept the import busy for hours."""
    from docx.oxml import parse_xml

    namespaces = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                  'xmlns:v="urn:schemas-microsoft-com:vml"')
    inner = "<w:p><w:r><w:t>最里面的文字</w:t></w:r></w:p>"
    for depth in range(16):
        inner = (f"<w:p><w:r><w:t>第{depth}层</w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{inner}"
                 "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>")
    document = gongwen()
    document.element.body.insert(5, parse_xml(f"<w:body {namespaces}>{inner}</w:body>")[0])
    result = import_file(site, save(document, tmp_path / "通知.docx"))
    assert result.returncode == 0, result.stderr
    _, body = item_of(site, result)
    assert body.count("最里面的文字") == 1 and all(body.count(f"第{depth}层") == 1 for depth in range(16))


def _runs(document, *xml: str) -> None:
    paragraph = document.add_paragraph("可见的正文。")
    for piece in xml:
        paragraph._p.append(parse_xml(piece.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)
                                      .replace("<w:del ", f"<w:del {nsdecls('w')} ", 1)))


def test_what_word_does_not_show_is_left_out_or_kept_visibly_and_always_said(site, tmp_path: Path):
    """Hidden text (on the run, by its character style, by its paragraph's style) is left out, tracked
    deletions, comments and footnotes too; white and tiny text is kept (the page shows it); each is said.
    Hidden text was imported as body text without a word: the editor never saw it in Word."""
    document = gongwen()
    styles = document.styles.element
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="character" w:styleId="Secret"><w:name w:val="Secret"/>'
                            '<w:rPr><w:vanish/></w:rPr></w:style>'))
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="HiddenPara"><w:name w:val="HiddenPara"/>'
                            '<w:rPr><w:vanish/></w:rPr></w:style>'))
    _runs(document,
          "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏意见甲</w:t></w:r>",
          '<w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>样式隐藏乙</w:t></w:r>',
          '<w:r><w:rPr><w:rStyle w:val="Secret"/><w:vanish w:val="0"/></w:rPr><w:t>取消隐藏丙</w:t></w:r>',
          '<w:del w:id="1" w:author="x"><w:r><w:delText>删除文字丁</w:delText></w:r></w:del>',
          '<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>白色文字戊</w:t></w:r>',
          '<w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t>极小文字己</w:t></w:r>',
          '<w:r><w:commentReference w:id="0"/></w:r>',
          '<w:r><w:footnoteReference w:id="1"/></w:r>')
    hidden_paragraph = document.add_paragraph("段落样式隐藏庚")
    hidden_paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:pStyle {nsdecls("w")} w:val="HiddenPara"/>'))
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    _, body = item_of(site, result)
    for left_out in ("隐藏意见甲", "样式隐藏乙", "删除文字丁", "段落样式隐藏庚"):
        assert left_out not in body
    for kept in ("可见的正文", "取消隐藏丙", "白色文字戊", "极小文字己"):
        assert kept in body
    notes = [line for line in result.stdout.splitlines() if line.startswith("  注意：")]
    said = "\n".join(notes)
    assert "“隐藏”的文字 3 处" in said and "隐藏意见甲" in said
    assert "修订中删除的文字 1 处" in said and "批注 1 条" in said and "脚注或尾注 1 条" in said
    assert "2 处文字在 Word 中是白色、与底色同色（如黑色底纹上的黑字）、被压扁或小于 4 磅" in said and "白色文字戊" in said


def test_characters_word_draws_from_a_code_are_imported_in_their_place(site, tmp_path: Path):
    """`<w:sym w:char=…/>` is a character Word shows among the runs (a digit, 密, ★ from a symbol font): dropped
    without a word, the imported notice read otherwise than the document the editor had in Word."""
    document = gongwen()
    _runs(document, "<w:r><w:t>联系电话0311-8622</w:t></w:r>", '<w:r><w:sym w:font="Arial" w:char="0031"/></w:r>',
          '<w:r><w:sym w:font="Symbol" w:char="F030"/></w:r>', "<w:r><w:t>01，</w:t></w:r>",
          '<w:r><w:sym w:font="SimSun" w:char="5E74"/></w:r>', "<w:r><w:t>终。</w:t></w:r>")
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    _, body = item_of(site, result)
    assert "联系电话0311-8622" + "1001，年终。" in body


def test_a_plain_document_says_nothing_of_hidden_text(site, tmp_path: Path):
    result = import_file(site, save(gongwen(), tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    assert not any(word in result.stdout for word in ("隐藏", "修订", "批注", "脚注", "白色"))


@pytest.mark.parametrize("properties", ["", '<w:rPr><w:color w:val="FFFFFF"/></w:rPr>'])
def test_a_paragraph_of_many_runs_is_read_in_linear_time(properties):
    """Each run's hidden-ness looks at its paragraph's style once per paragraph: looked up from each run
    (a search of the paragraph's children for its properties), 60,000 runs took 45 s; so did its ground's colour,
    looked up past every run of the paragraph for each white or plain one."""
    import time

    from gongkai.importing.blocks import DocumentReader, Paragraph

    document = docx.Document()
    paragraph = document.add_paragraph()._p
    for _ in range(60_000):
        paragraph.append(parse_xml(f"<w:r {nsdecls('w')}>{properties}<w:t>字</w:t></w:r>"))
    started = time.process_time()
    [block] = DocumentReader(document).blocks()
    assert time.process_time() - started < 10
    assert isinstance(block, Paragraph) and block.text == "字" * 60_000


def _lines_read(document) -> int:
    """How many lines of the document reader run to read `document`: a measure of its work that no machine's speed
    changes."""
    from gongkai.importing import blocks
    from gongkai.importing.blocks import DocumentReader

    lines = 0

    def count(frame, event, arg):
        nonlocal lines
        lines += event == "line"
        return count

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: count if frame.f_code.co_filename == blocks.__file__ else None)
    try:
        DocumentReader(document).blocks()
    finally:
        sys.settrace(previous)
    return lines


def test_a_drawing_is_walked_once_however_deep_its_pictures():
    """A drawing's pictures, descriptions and text boxes are found in one walk of it: each picture walked up to its
    drawing, once for each of five tags, made 400,000 pictures 200 elements deep (a 150 KB file) a 42 s import
    (rt34 M3)."""
    namespaces = f'{nsdecls("w")} xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    pictures, depth = 2_000, 200
    document = docx.Document()
    document.add_paragraph()._p.append(parse_xml(
        f"<w:r {namespaces}><w:drawing>{'<a:g>' * depth}{'<a:blip/>' * pictures}{'</a:g>' * depth}</w:drawing></w:r>"))
    assert _lines_read(document) < 30 * (pictures + depth)  # linear: ≈ 15 lines an element; walked up, ≈ 370


@pytest.mark.parametrize("properties", ["", '<w:rPr><w:color w:val="FFFFFF"/></w:rPr>'])
def test_the_tables_around_a_run_are_looked_at_once_not_once_a_run(properties):
    """Whether a run is drawn on a coloured ground, or on one of its own colour, is answered once for each paragraph,
    cell and table around it: each run walked up past every one of them, and 100,000 white runs in tables nested
    38 deep took 9 s (rt34 M3)."""

    def nested(depth: int) -> docx.document.Document:
        inner = "<w:p>" + f"<w:r>{properties}<w:t>字</w:t></w:r>" * 1_000 + "</w:p>"
        for _ in range(depth):
            inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl>"
        document = docx.Document()
        document.element.body.insert(0, parse_xml(f"<w:body {nsdecls('w')}>{inner}</w:body>")[0])
        return document

    assert _lines_read(nested(38)) < 1.2 * _lines_read(nested(1))  # each run's work is the same however deep


def test_text_nested_past_the_depth_limit_is_said_to_be_left_out(site, tmp_path: Path):
    """Tables nested deeper than a document has are not read (a bound on time), and the editor is told: the
    text in them was dropped without a word."""
    document = gongwen()
    nested = "<w:p><w:r><w:t>最深处的文字</w:t></w:r></w:p>"
    for _ in range(45):
        nested = f"<w:tbl><w:tr><w:tc>{nested}</w:tc></w:tr></w:tbl><w:p/>"
    body = document.element.body
    for element in parse_xml(f"<w:body {nsdecls('w')}>{nested}</w:body>"):
        body.insert(len(body) - 1, element)
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    assert "嵌套超过 40 层" in result.stdout and "最深处的文字" in result.stdout


@pytest.mark.parametrize("main", ["word/document.xml", "word/document.dat"])
@pytest.mark.parametrize("element", ["<w:p/>", "<w:r/>"])
def test_millions_of_empty_elements_are_refused_before_they_are_parsed(site, tmp_path: Path, element, main):
    """A 100 KB file of 7 million empty paragraphs (or runs) inflates within the size limits: python-docx took
    950 MB to parse it and the import minutes to read it. Counted as the parts stream by, more paragraphs or
    elements than a document has are refused at once — in every part, whatever its name (python-docx finds the
    main part by its type: named `document.dat`, it went uncounted, 105 s and 2.8 GB)."""
    source = save(gongwen(), tmp_path / "a.docx")
    bomb = tmp_path / "多.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            name = info.filename
            if name == "word/document.xml":
                filler = element * 150_000 if element == "<w:p/>" else "<w:p>" + element * 1_600_000 + "</w:p>"
                data = data.replace(b"<w:body>", b"<w:body>" + filler.encode(), 1)
                name = main
            elif name == "word/_rels/document.xml.rels":
                name = main.replace("word/", "word/_rels/") + ".rels"
            elif name in ("[Content_Types].xml", "_rels/.rels"):
                data = data.replace(b"word/document.xml", main.encode())
            out.writestr(name, data)
    assert bomb.stat().st_size < 200_000
    memory = "import resource, subprocess, sys; "
    result = subprocess.run(
        [sys.executable, "-c", memory + "r = subprocess.run(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)",
         *GONGKAI, "import", str(bomb), "--category", "规范性文件", "--department", "办公室", "--date", TODAY],
        cwd=site.root, env={**os.environ, "GONGKAI_TODAY": TODAY}, capture_output=True, text=True, timeout=120)
    said = "超过 100,000 个段落" if element == "<w:p/>" else "超过 1,500,000 个 XML 元素"
    assert result.returncode == 1 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert int(result.stderr.strip().splitlines()[-1]) < 300_000  # KB: the count streams, nothing is parsed whole
    assert not list((site.content / "items").rglob("*.md"))


@pytest.mark.parametrize("uri", ["http://schemas.openxmlformats.org/drawingml/2006/chart",
                                 "http://schemas.openxmlformats.org/drawingml/2006/diagram"])
def test_a_chart_or_smartart_is_said_to_be_left_out(site, tmp_path: Path, uri):
    """A chart or SmartArt shows data in Word that the page cannot: it was dropped without a word."""
    document = gongwen()
    drawing = (f'<w:r {nsdecls("w", "wp", "a")}><w:drawing><wp:inline><wp:extent cx="100" cy="100"/>'
               '<wp:docPr id="7" name="图表 1" descr="2024年各乡镇改造户数"/><a:graphic>'
               f'<a:graphicData uri="{uri}"/></a:graphic></wp:inline></w:drawing></w:r>')
    document.add_paragraph()._p.append(parse_xml(drawing))
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    assert "未导入：图表或 SmartArt 1 个，如“2024年各乡镇改造户数”" in result.stdout


def test_white_text_on_a_coloured_ground_is_not_said_to_be_unseen(site, tmp_path: Path):
    """White text on a highlight, a shaded paragraph or cell, or in a styled table (a header row) is read in Word:
    only white text on the page's white is named."""
    document = gongwen()
    white = '<w:rPr><w:color w:val="FFFFFF"/>{}</w:rPr>'
    highlight = '<w:highlight w:val="darkBlue"/>'
    shading = '<w:shd w:val="clear" w:fill="1F4E79"/>'
    _runs(document, f"<w:r>{white.format(highlight)}<w:t>高亮上的白字</w:t></w:r>",
          f"<w:r>{white.format(shading)}<w:t>底纹上的白字</w:t></w:r>")
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    for cell, shaded in zip(table.rows[0].cells, (True, False), strict=True):
        if shaded:
            cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="2E74B5"/>'))
        cell.paragraphs[0]._p.append(parse_xml(f"<w:r {nsdecls('w')}>{white.format('')}<w:t>表头白字</w:t></w:r>"))
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    assert "白色" not in result.stdout
    plain = gongwen()
    _runs(plain, f"<w:r>{white.format('')}<w:t>白底上的白字</w:t></w:r>")
    result = import_file(site, save(plain, tmp_path / "b.docx"))
    assert "1 处文字在 Word 中是白色" in result.stdout and "白底上的白字" in result.stdout


def test_a_dangling_link_at_an_attachments_name_is_passed_by(site, tmp_path: Path):
    """A link left at the name the picture would take (dangling, so `exists()` said the name was free): the
    write refused to replace it and the whole import failed with "File exists"; the next name is taken instead."""
    folder = site.attachments / "2025"
    folder.mkdir(parents=True)
    (folder / "2025-00001-tu1.png").symlink_to(tmp_path / "nowhere.png")
    document = gongwen()
    add_picture(document, png())
    result = import_file(site, save(document, tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    meta, _ = item_of(site, result)
    assert [a["file"] for a in meta["attachments"]] == ["2025/2025-00001-tu1-2.png"]
    assert (folder / "2025-00001-tu1.png").is_symlink() and not (tmp_path / "nowhere.png").exists()


def _with_member_header(data: bytes, member: str, offset_local: int, offset_central: int, change) -> bytes:
    """`data` with one field of `member`'s local and central zip headers changed by `change(old) -> new`."""
    patched = bytearray(data)
    name = member.encode()
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46:position + 46 + length] == name:
            local = struct.unpack_from("<I", data, position + 42)[0]
            for at in (position + offset_central, local + offset_local):
                struct.pack_into("<H", patched, at, change(struct.unpack_from("<H", data, at)[0]))
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


def _damaged(data: bytes, member: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    return data[:start] + bytes(255 - b for b in data[start:start + 40]) + data[start + 40:]


# Parts no reader here can read: damaged deflate data, a compression method zipfile lacks (Deflate64, which Windows'
# zip tool writes; 99, AES) or the encrypted flag, in the main part or in a picture. Each ended in an internal error.
@pytest.mark.parametrize("member", ["word/document.xml", "word/media/image1.png"])
@pytest.mark.parametrize(("damage", "words"), [
    (lambda data, member: _damaged(data, member), ("已损坏",)),
    (lambda data, member: _with_member_header(data, member, 8, 10, lambda _: 9), ("无法读取的压缩方式", "编号 9")),
    (lambda data, member: _with_member_header(data, member, 8, 10, lambda _: 99), ("无法读取的压缩方式",)),
    (lambda data, member: _with_member_header(data, member, 6, 8, lambda flags: flags | 1), ("加了密码",)),
], ids=["damaged", "deflate64", "aes", "encrypted"])
def test_parts_no_reader_can_read_are_refused(site, tmp_path: Path, member, damage, words):
    document = gongwen()
    add_picture(document, png(200, 100))
    data = save(document, tmp_path / "ok.docx").read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(damage(data, member))
    assert member in zipfile.ZipFile(broken).namelist()
    refused(site, broken, *words, member)


def test_a_body_over_the_item_size_limit_is_refused_before_anything_is_written(site, tmp_path: Path):
    """Written, the loader refused the item (GK010) and its number looked free to the next `new`."""
    document = gongwen()
    document.add_paragraph("数" * 2_000_000)
    refused(site, save(document, tmp_path / "long.docx"), "超过条目大小上限", "limits.item_mb")


def _read(document) -> tuple[str, dict[str, str]]:
    from gongkai.importing.blocks import DocumentReader

    reader = DocumentReader(document)
    text = "".join(getattr(block, "text", "") for block in reader.blocks())
    return text, reader.unseen.samples


def test_text_hidden_by_the_default_style_or_the_documents_defaults_is_left_out_and_said():
    """Hidden on "Normal" (every paragraph without a style of its own) or in the defaults under every style: imported
    as visible text without a word (rt32)."""
    for where in ("normal", "defaults"):
        document = docx.Document()
        if where == "normal":
            document.styles["Normal"].font.hidden = True
        else:
            defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
            defaults.append(parse_xml(f"<w:vanish {nsdecls('w')}/>"))
        document.add_paragraph("不应导入的隐藏文字")
        text, samples = _read(document)
        assert "不应导入" not in text and samples.get("hidden") == "不应导入的隐藏文字", where


@pytest.mark.parametrize("run", [
    '<w:rPr><w:highlight w:val="black"/></w:rPr>',  # 涂黑: black (auto) text on a black highlight
    '<w:rPr><w:color w:val="000000"/><w:shd w:val="clear" w:fill="101010"/></w:rPr>',
    '<w:rPr><w:color w:val="FFFF00"/><w:highlight w:val="yellow"/></w:rPr>',
])
def test_text_in_the_colour_of_its_ground_is_said(run):
    document = docx.Document()
    paragraph = document.add_paragraph("投诉人：")._p
    paragraph.append(parse_xml(f"<w:r {nsdecls('w')}>{run}<w:t>张某某</w:t></w:r>"))
    text, samples = _read(document)
    assert samples.get("faint") == "张某某" and "张某某" in text


def test_text_readable_on_its_ground_is_not_said():
    document = docx.Document()
    paragraph = document.add_paragraph("重点：")._p
    paragraph.append(parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:highlight w:val=\"yellow\"/></w:rPr><w:t>按期办结</w:t></w:r>"))
    assert "faint" not in _read(document)[1]


@pytest.mark.parametrize("run", [
    '<w:rPr><w:color w:val="000000" w:themeColor="background1"/></w:rPr>',  # Word draws the theme's colour, white
    '<w:rPr><w:w w:val="1"/></w:rPr>',  # squeezed to 1 % of its width
])
def test_text_drawn_white_by_the_theme_or_squeezed_is_said(run):
    document = docx.Document()
    paragraph = document.add_paragraph("投诉人：")._p
    paragraph.append(parse_xml(f"<w:r {nsdecls('w')}>{run}<w:t>张某某</w:t></w:r>"))
    text, samples = _read(document)
    assert samples.get("faint") == "张某某" and "张某某" in text


@pytest.mark.parametrize("where", ["normal", "defaults"])
def test_text_made_tiny_by_the_default_style_or_the_documents_defaults_is_said(where):
    """A size set on "Normal" or in the document's defaults applies to every plain paragraph: 1-point text there was
    imported without a word (rt32)."""
    document = docx.Document()
    if where == "normal":
        document.styles["Normal"].font.size = docx.shared.Pt(1)
    else:
        defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for old in defaults.findall(qn("w:sz")):
            defaults.remove(old)
        defaults.append(parse_xml(f"<w:sz {nsdecls('w')} w:val=\"2\"/>"))
        normal = document.styles["Normal"].element.find(qn("w:rPr"))
        if normal is not None:
            for old in normal.findall(qn("w:sz")):
                normal.remove(old)
    document.add_paragraph("举报人张某某")
    assert _read(document)[1].get("faint") == "举报人张某某", where
