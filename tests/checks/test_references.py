"""References (GK6xx): attachments, 解读 targets and links between items."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from gongkai.checks import references
from gongkai.project import load_project


def test_attachments_exist_inside_the_folder_and_of_allowed_type(site):
    site.attach("2021/名单.pdf", b"%PDF-1.4\n")
    site.attach("a.exe", b"MZ")
    outside = site.root / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4\n")
    os.symlink(outside, site.attachments / "link.pdf")
    site.item(attachments=[
        {"title": "好", "file": "2021/名单.pdf"},
        {"title": "缺", "file": "2021/名单2.pdf"},
        {"title": "上级", "file": "../secret.pdf"},
        {"title": "绝对", "file": "/etc/passwd.pdf"},
        {"title": "反斜杠", "file": "2021\\名单.pdf"},
        {"title": "链接", "file": "link.pdf"},
        {"title": "类型", "file": "a.exe"},
    ])
    problems = [p for p in site.check() if p.code.startswith("GK6")]
    assert sorted(p.code for p in problems) == sorted(
        [references.MISSING_FILE.code, references.OUTSIDE.code, references.OUTSIDE.code, references.OUTSIDE.code,
         references.SYMLINK.code, references.SYMLINK.code, references.FILE_TYPE.code])  # the link: its entry and the file
    missing = next(p for p in problems if p.code == references.MISSING_FILE.code)
    assert "2021/名单.pdf" in missing.message  # the did-you-mean


def test_interpretation_of_a_public_policy_passes(site):
    policy = site.meta()
    site.item("2021/policy.md", **policy)
    site.item("2021/jiedu.md", title="《通知》解读", category="政策解读", genre="解读", interprets=policy["index_no"])
    assert not [p for p in site.check() if p.code.startswith("GK6")]


def test_interprets_must_exist_be_public_and_a_policy(site):
    hidden = site.meta(disclosure="依申请公开")
    site.item("2021/hidden.md", **hidden)
    jiedu = site.meta(category="政策解读", genre="解读")
    site.item("2021/j1.md", **jiedu)
    site.item("2021/j2.md", category="政策解读", interprets=f"{hidden['index_no']}")
    site.item("2021/j3.md", category="政策解读", interprets="11131122MB1534702N/2021-09999")
    site.item("2021/j4.md", category="政策解读", interprets=jiedu["index_no"])
    site.item("2021/not-jiedu.md", interprets=hidden["index_no"])
    codes = {p.path.rsplit("/", 1)[1]: p.code for p in site.check() if p.code.startswith("GK6")}
    assert codes["j2.md"] == references.BAD_POLICY.code
    assert codes["j3.md"] == references.NO_POLICY.code
    assert codes["j4.md"] == references.BAD_POLICY.code
    assert sorted(p.code for p in site.check() if p.path.endswith("not-jiedu.md") and p.code.startswith("GK6")) == [
        references.BAD_POLICY.code, references.NOT_INTERPRETATION.code]


def test_links_between_items(site):
    site.item("2021/target.md")
    site.item("2021/hidden.md", disclosure="不予公开")
    site.item("2021/later.md", published="2021-09-05")  # newer, but already public: the link works
    site.item("2099/scheduled.md", published="2099-01-05")
    (site.content / "pages").mkdir()
    (site.content / "pages" / "guide.md").write_text("---\ntitle: 指南\n---\n", encoding="utf-8")
    path = site.item("2021/source.md", body=(
        "见[目标](target.md)、[指南](../../pages/guide.md)、[外链](https://x.gov.cn/a.md)。\n"
        "见[丢失](missing.md#part)、[不公开](hidden.md)、[后发](later.md \"标题\")、[预定](../2099/scheduled.md)。\n\n"
        "[ref]: ./nowhere.md\n"))
    problems = [p for p in site.check() if p.code.startswith("GK6") and p.path == site.rel(path)]
    assert sorted(p.code for p in problems) == [references.BROKEN_LINK.code, references.BROKEN_LINK.code,
                                                references.UNPUBLISHED_LINK.code, references.UNPUBLISHED_LINK.code]
    lines = path.read_text(encoding="utf-8").split("\n")
    by_line = {(p.line, lines[p.line - 1][p.col - 1:].split(")")[0].split("#")[0].split(" ")[0]) for p in problems}
    second = next(i for i, line in enumerate(lines, 1) if line.startswith("见[丢失]"))
    assert by_line == {(second, "missing.md"), (second, "hidden.md"), (second, "../2099/scheduled.md"),
                       (second + 2, "./nowhere.md")}


# Every way Python-Markdown writes a link (MkDocs resolves each to the page of the file it names); the
# check's patterns once stopped at the end of a line and at spaces in angle brackets, and saw none of these.
LINK_FORMS = [
    "见[不公开的](\nhidden.md)。",
    "见[不公开的](\n   <hidden.md>\n   \"标题\")。",
    "见[不公开的](hidden.md\n\"标题\")。",
    "见[不公开的](hidden.md#第二条\n)。",
    "见[不公开的][甲]。\n\n[甲]:\n    hidden.md",
    "见[不公开的][甲]。\n\n[甲]:\n<hidden.md> \"标题\"",
    "见[不公开的](<../2021/hidden copy.md>)。",
    "见[不公开的](hidden\\.md)。",  # Python-Markdown takes the escape off (not in a reference definition)
    "见[不公开的](/items/2021/hidden.md)。",  # from the site's root, as MkDocs reads it under absolute_links: relative_to_docs
    '见<a href="/items/2021/hidden.md">不公开的</a>。',
]


@pytest.mark.parametrize("body", LINK_FORMS)
def test_every_form_of_a_link_is_checked(site, body):
    site.item("2021/hidden.md", disclosure="不予公开")
    site.item("2021/hidden copy.md", disclosure="不予公开")
    path = site.item("2021/source.md", body=body + "\n")
    [problem] = [p for p in site.check() if p.path == site.rel(path) and p.code.startswith("GK6")]
    assert problem.code == references.UNPUBLISHED_LINK.code
    text = path.read_text(encoding="utf-8").split("\n")
    assert text[problem.line - 1][problem.col - 1:].startswith(("hidden", "../2021/hidden", "/items/2021/hidden"))


def test_a_link_from_the_sites_root_names_a_file_of_the_content_folder(site):
    """/items/… is the content folder's items/…: a target found there is judged as any link's, one missing is GK607;
    //host/… is another site."""
    site.item("2021/target.md")
    path = site.item("2021/source.md", body="见[目标](/items/2021/target.md)、[丢失](/items/2021/missing.md)、"
                                            "[外站](//x.gov.cn/items/2021/hidden.md)。\n")
    problems = [p for p in site.check() if p.path == site.rel(path) and p.code.startswith("GK6")]
    assert [p.code for p in problems] == [references.BROKEN_LINK.code] and "content/items/2021/missing.md" in problems[0].message


def test_impossible_file_names_are_problems_not_crashes(site):
    site.write("2021/a.md", '---\ntitle: t\nattachments:\n  - {title: a, file: "a\\0.pdf"}\n  - {title: b, file: "'
               + "长" * 300 + '.pdf"}\n---\n正文\n')
    codes = [p.code for p in site.check() if p.code.startswith("GK6")]
    assert sorted(codes) == [references.MISSING_FILE.code, references.OUTSIDE.code]


# --- the attachment resolver's refusals, and withdrawals that would not take a file down ----------

def test_links_and_special_files_anywhere_under_attachments(site):
    site.attach("2021/a.pdf", b"%PDF-1.4\n")
    os.symlink(site.attachments / "2021", site.attachments / "alias")
    os.mkfifo(site.attachments / "pipe.pdf")
    os.symlink("/dev/zero", site.attachments / "zero.csv")
    site.item(attachments=[{"title": "经链接", "file": "alias/a.pdf"}, {"title": "管道", "file": "pipe.pdf"},
                           {"title": "设备", "file": "zero.csv"}])
    problems = [p for p in site.check() if p.code.startswith("GK6")]
    by_path = sorted((p.path, p.code) for p in problems)
    assert ("content/attachments/alias", references.SYMLINK.code) in by_path
    assert ("content/attachments/zero.csv", references.SYMLINK.code) in by_path
    assert ("content/attachments/pipe.pdf", references.SPECIAL_FILE.code) in by_path
    item_codes = sorted(code for path, code in by_path if path.startswith("content/items/"))
    assert item_codes == [references.SYMLINK.code, references.SYMLINK.code, references.SPECIAL_FILE.code]


def test_attachment_size_limit_from_mkdocs_yml(site):
    from gongkai import checks
    from gongkai.project import load_project
    from gongkai.site_config import load_settings

    (site.root / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: docs\nplugins:\n  - gongkai:\n      limits:\n"
                                          "        attachment_mb: 1\n", encoding="utf-8")
    site.attach("big.csv", b"a,b\n" * (300 * 1024))
    site.attach("small.csv", b"a,b\n")
    site.item(attachments=[{"title": "大", "file": "big.csv"}, {"title": "小", "file": "small.csv"}])
    settings = load_settings(site.root)
    problems = checks.run(load_project(site.root, settings.content_dir), site.today, settings=settings)
    [problem] = [p for p in problems if p.code == references.TOO_LARGE.code]
    assert "big.csv" in problem.message and "1 MB" in problem.message


def test_a_withdrawn_items_attachment_still_attached_elsewhere(site):
    site.attach("2021/名单.csv", "姓名\n张三\n".encode())
    site.attach("2021/副本.csv", "姓名\n张三\n".encode())  # the same bytes under another name
    site.attach("2021/其他.csv", "姓名\n李四\n".encode())
    withdrawn = site.item("2021/w.md", attachments=[{"title": "名单", "file": "2021/名单.csv"}],
                          withdrawn={"date": "2021-07-01", "reason": "信息有误"})
    site.item("2021/a.md", attachments=[{"title": "名单", "file": "2021/名单.csv"}])
    site.item("2021/b.md", attachments=[{"title": "副本", "file": "2021/副本.csv"}])
    site.item("2021/c.md", attachments=[{"title": "其他", "file": "2021/其他.csv"}])
    site.item("2021/d.md", disclosure="不予公开", attachments=[{"title": "名单", "file": "2021/名单.csv"}])
    [problem] = site.problems(references.WITHDRAWN_SHARED.code)
    assert problem.path == site.rel(withdrawn)
    assert "content/items/2021/a.md" in problem.message and "content/items/2021/b.md" in problem.message
    assert "c.md" not in problem.message and "d.md" not in problem.message


def test_withdrawn_attachments_shared_by_many_are_listed_in_linear_time(monkeypatch):
    """Each withdrawn attachment read every holder of its file again, each holder once per time it attached it: 45
    withdrawn and 45 public items attaching one file 300 times each took 19 s here (now 0.1 s), 50 of each 90 s in a
    real check, growing with the square of both."""
    import time
    from types import SimpleNamespace

    from gongkai.checks.base import CheckContext

    monkeypatch.setattr(references, "_identities", lambda project, file, limit: (f"path:{file}", "sha256:same"))
    attachments = [SimpleNamespace(file="2021/名单.csv")] * 300
    withdrawn = [SimpleNamespace(path=f"content/items/2021/w{n:02d}.md", withdrawn=object(), disclosure=references.PUBLIC,
                                 attachments=attachments) for n in range(45)]
    kept = [SimpleNamespace(path=f"content/items/2021/k{n:02d}.md", withdrawn=None, disclosure=references.PUBLIC,
                            attachments=[*attachments, SimpleNamespace(file=f"2021/副本{n}.csv")]) for n in range(45)]
    project = SimpleNamespace(items=[*withdrawn, *kept], documents={
        item.path: SimpleNamespace(path=item.path, line_of=lambda *keys: 1, value_col=lambda *keys: 1) for item in withdrawn[:1]})
    ctx = CheckContext(project=project, today=None)  # type: ignore[arg-type]
    started = time.process_time()
    problems = list(references._withdrawn_still_attached(ctx))
    assert time.process_time() - started < 2
    assert len(problems) == 300  # the first withdrawn item's: the others are read as well, without a document
    assert ("content/items/2021/k00.md、content/items/2021/k01.md、content/items/2021/k02.md、content/items/2021/k03.md、"
            "content/items/2021/k04.md 等 45 个条目") in problems[0].message


# Linear matching on any body: inputs that made the old link patterns quadratic. The deadline is
# hypothesis's own per-example limit.
@settings(max_examples=10, deadline=10_000)
@given(piece=st.sampled_from(["[a\n", "[a]:\n", "[a]: x.md" * 3 + "\n", '](a.md "', "](a.md ", "](", " x.md", "[a]:    ",
                              "](a.md (", "](a.md '", "](\n", "](<a", "](<a.md", "](<a.md#", "[a]:\n   ", "[a]:   \n   <",
                              "](a.md\n", "](\n\n ", "(a.md" + " " * 50, ".md#", "#.md", ".md#'", ".md\"#"]),
       count=st.integers(5_000, 20_000), start=st.sampled_from(["", "[链接](x", "[a](<x", "[a]: <x", "[a]: x"]))
@example(piece=".md#", count=32_000, start="[链接](x").via("a draft's `.md#` run: 80 s")
@example(piece=".md#", count=32_000, start="[a]: <x").via("the same in a reference's angle brackets")
def test_link_patterns_are_linear(piece, count, start):
    body = "见 .md " + start + piece * count
    list(references._INLINE_LINK.finditer(body))
    list(references._REFERENCE_LINK.finditer(body))


def test_interprets_holding_a_doc_no_offers_the_index_no(site):
    policy = site.item("2021/policy.md", doc_no="测住建规〔2021〕3号")
    site.item("2021/jiedu.md", category="政策解读", genre="解读", interprets="测住建规[2021]3号")
    [problem] = site.problems("GK108")  # not written as a 索引号 is: it stops the build (GK604 is for a deleted item)
    index_no = next(item.index_no for item in load_project(site.root).items if item.path == site.rel(policy))
    assert "文号" in problem.message and index_no in problem.message


_DISGUISES = {  # how a character of a 索引号 can be written so that it reads the same
    **{str(d): [chr(0xFF10 + d), chr(0x0660 + d), chr(0x1D7CE + d), chr(0x2080 + d)] for d in range(10)},
    **{c: [chr(ord(c) - 0x41 + 0xFF21), chr(ord(c) - 0x41 + 0x1D400)] for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    "/": ["／", "\u2215", "\u2044"], "-": ["－", "\u2010", "\u2011", "\u2212", "\ufe63"],
}
_INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]


@settings(max_examples=12, deadline=None)
@given(data=st.data(), key=st.sampled_from(["interprets", "feedback_for"]), disclosure=st.sampled_from(["不予公开", "依申请公开"]))
def test_a_relation_to_a_non_public_item_written_otherwise_stops_the_build(tmp_path_factory, keys, data, key, disclosure):
    """interprets or feedback_for naming a 不予公开 item in full-width (or other) digits, letters and punctuation, or with
    an invisible character, found no item: GK604/GK633, which stop no build (meant for a deleted item), and the 解读
    of a secret policy was published, its reviewers never told (GK605). Such a value is GK108, which names the item."""
    from gongkai.rules import blocking
    from tests.projects import ORG_CODE, Project

    site = Project(tmp_path_factory.mktemp("site"), keys)
    site.item("2021/secret.md", disclosure=disclosure, index_no=f"{ORG_CODE}/2021-00007")
    written = list(f"{ORG_CODE}/2021-00007")
    changed = data.draw(st.lists(st.integers(0, len(written) - 1), min_size=1, max_size=4, unique=True))
    for at in changed:
        written[at] = data.draw(st.sampled_from(_DISGUISES.get(written[at], [written[at] + "\u200b"])))
    for at in data.draw(st.lists(st.integers(0, len(written)), max_size=2)):
        written.insert(at, data.draw(st.sampled_from(_INVISIBLES)))
    value = "".join(written)
    assume(value != f"{ORG_CODE}/2021-00007")
    fields: dict[str, Any] = {"category": "政策解读", "genre": "解读"} if key == "interprets" else {}
    fields[key] = value
    path = site.item("2021/j.md", **fields)
    stopping = [p for p in blocking(site.check()) if p.path == site.rel(path)]
    assert stopping and stopping[0].code == "GK108", (value, [(p.code, p.message) for p in site.check()])


def test_interprets_naming_no_index_no_cost_linear_time(site, monkeypatch):
    """Each 解读 whose interprets names no 索引号 read the 文号 of every item for its hint: 5,000 such 解读 among
    5,000 items with 文号 cost a check 22 s more, quadratic. The 文号 are read once a check; each hint still names
    the item whose 文号 was written."""
    policy = site.item("2021/policy.md", doc_no="测住建规〔2021〕3号")
    count = 60
    for n in range(count):
        site.item(f"2021/j{n}.md", signed=False, category="政策解读", genre="解读", doc_no=f"测住建〔2021〕{n}号",
                  interprets="测住建规[2021]3号" if n % 2 else f"测住建规〔2021〕{100 + n}号")
    plain = references._plain
    calls = []

    def counted(text: str) -> str:
        calls.append(text)
        return plain(text)

    monkeypatch.setattr(references, "_plain", counted)
    found = [problem for problem in site.check() if problem.code in ("GK604", "GK108")]  # a 文号 is no 索引号: GK108
    assert len(found) == count
    index_no = next(item.index_no for item in load_project(site.root).items if item.path == site.rel(policy))
    assert sum(index_no in problem.message for problem in found) == count // 2
    assert len(calls) <= 3 * count, len(calls)


@settings(max_examples=4, deadline=None)
@given(anchor=st.sampled_from(["", "#第二条"]), reference_style=st.booleans())
def test_a_link_target_swapped_with_another_item_is_refused(tmp_path_factory, keys, anchor, reference_style):
    """A link names its target by file name: swapping two items' files (each unchanged, each still signed)
    sent a reviewed link to another item without any check error (GK225)."""
    from tests.projects import ORG_CODE, Project

    site = Project(tmp_path_factory.mktemp("swap") / "site", keys)
    first = site.item("2021/2021-00001.md", index_no=f"{ORG_CODE}/2021-00001", title="管理办法")
    second = site.item("2021/2021-00002.md", index_no=f"{ORG_CODE}/2021-00002", title="已废止的旧办法")
    body = ("按[《管理办法》][办法]执行。\n\n[办法]: 2021-00001.md" + anchor + "\n" if reference_style
            else f"按[《管理办法》](2021-00001.md{anchor})执行。\n")
    source = site.item("2021/source.md", body=body)
    assert [p.code for p in site.check() if p.path == site.rel(source)] == []
    first_text, second_text = first.read_bytes(), second.read_bytes()
    first.write_bytes(second_text)
    second.write_bytes(first_text)
    [problem] = [p for p in site.check() if p.path == site.rel(source)]
    assert problem.code == references.RENAMED_TARGET.code and "2021-00002" in problem.message
    assert problem.line == source.read_text(encoding="utf-8").split("\n").index(next(
        line for line in source.read_text(encoding="utf-8").split("\n") if "2021-00001.md" in line)) + 1


def test_an_item_lists_at_most_300_attachments(site):
    """Each attachment an item lists is resolved, hashed, scanned and copied, and a missing one is looked for among
    its folder's names: 15,000 in one item (what the YAML node budget allows) cost a check 12 s. The 301st is GK615
    at its line; only the first 300 are judged (and published)."""
    site.attach("real.pdf", b"%PDF-1.4\n%%EOF\n")
    for name in range(2500):  # a folder too large to look for a close name in
        site.attach(f"many/{name:04d}.pdf", b"%PDF-1.4\n%%EOF\n")
    attachments = [{"title": f"附件{n}", "file": f"many/x{n}.pdf"} for n in range(301)]
    path = site.item(attachments=attachments + [{"title": "真", "file": "real.pdf"}])
    problems = [p for p in site.check() if p.path == site.rel(path)]
    [too_many] = [p for p in problems if p.code == references.TOO_MANY_ATTACHMENTS.code]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert "many/x300.pdf" in lines[too_many.line - 1] or "many/x300.pdf" in lines[too_many.line]
    assert "302 个附件，超过上限 300 个" in too_many.message
    missing = [p for p in problems if p.code == references.MISSING_FILE.code]
    assert len(missing) == 300 and all("是否想写" not in p.message for p in missing)
    assert len(load_project(site.root).items[0].attachments) == 300
    site.item("2021/b.md", attachments=attachments[:300])
    assert [p for p in site.check() if p.code == references.TOO_MANY_ATTACHMENTS.code and "b.md" in p.path] == []


@pytest.mark.parametrize("name", ["2026/名单.html.ofd", "2026/x.php.pdf", "2026/2024.03.15通知.pdf"])
def test_an_attachment_name_a_web_server_reads_by_another_extension_is_refused_where_it_is_named(site, name):
    site.attach(name, b"PK\x03\x04" if name.endswith(".ofd") else b"%PDF-1.4\n")
    path = site.item(attachments=[{"title": "附件", "file": name}], signed=False)
    problems = [p for p in site.check() if p.code.startswith("GK6")]
    assert [(p.code, p.path) for p in problems] == [(references.FILE_TYPE.code, site.rel(path))]
    assert name in problems[0].message and "点" in problems[0].message and problems[0].line > 1


def test_an_attachment_path_too_long_for_the_site_folder_is_refused_where_it_is_named(site):
    """The site's folder is named longer than content/: a path that only just fits under content/attachments/ failed
    the build with an English OSError naming no item, after the check had passed."""
    name = "/".join(["长" * 80] * 4) + "/" + "名" * 20 + ".pdf"  # 4 folders of 240 bytes: over 1,000 bytes in all
    site.attach(name, b"%PDF-1.4\n")
    path = site.item(attachments=[{"title": "附件", "file": name}], signed=False)
    problems = [p for p in site.check() if p.code.startswith("GK6")]
    assert [(p.code, p.path) for p in problems] == [(references.FILE_TYPE.code, site.rel(path))]
    assert f"{len(name.encode())} 个字节，超过上限 1000" in problems[0].message and problems[0].line > 1
    short = "/".join(["长" * 80] * 3) + "/" + "名" * 20 + ".pdf"
    site.attach(short, b"%PDF-1.4\n")
    site.item(attachments=[{"title": "附件", "file": short}], signed=False)
    assert [p for p in site.check() if p.code.startswith("GK6")] == []


_PAGE = "\ufeff \r\n<HTML><body><script>fetch('/?'+document.cookie)</script><p>联系人 {mobile}</p></body></HTML>"


@pytest.mark.parametrize("name", ["2026/名单.ofd", "2026/通知.pdf", "2026/名单.csv", "2026/表.doc", "2026/图.png", "2026/包.zip"])
def test_a_web_page_under_an_attachment_s_name_is_refused_and_still_read(site, name):
    """Apache sends no type for .ofd, and a browser told none guesses it from the first bytes: a web page named
    名单.ofd ran its script at the agency's address. Reviewed and signed, it is still refused (GK616), and what it
    says is still read, so every finding comes in one check."""
    from gongkai.checks import privacy

    from .samples import planted

    site.attach(name, _PAGE.format(mobile=planted(1)).encode())
    path = site.item(attachments=[{"title": "附件", "file": name}], signed=True)
    problems = site.check()
    refused = [p for p in problems if p.code == references.NOT_ITS_TYPE.code]
    assert [(p.path, p.is_error) for p in refused] == [(site.rel(path), True)]
    assert name in refused[0].message and "网页（HTML）" in refused[0].message and refused[0].line > 1
    assert site.problems(privacy.MOBILE.code)


@pytest.mark.parametrize(("name", "data", "said"), [
    ("2026/空.pdf", b"", "空文件"), ("2026/表.xlsx", "姓名,金额\n".encode(), "是文本"), ("2026/文.ofd", b"%PDF-1.7\n", "PDF 文件"),
    ("2026/图.jpg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "SVG"),
])
def test_an_attachment_that_is_not_what_its_name_says_is_refused(site, name, data, said):
    site.attach(name, data)
    site.item(attachments=[{"title": "附件", "file": name}], signed=True)
    refused = site.problems(references.NOT_ITS_TYPE.code)
    assert len(refused) == 1 and said in refused[0].message


# Link targets no file system takes (a name over 255 bytes, a path over PATH_MAX, a NUL): each one ended every check
# and build in an internal error, so no change passed CI and no takedown reached the site.
UNASKABLE_TARGETS = ["x" * 300, "长" * 90, "/".join(["d" * 200] * 25), "a%00b"]


@pytest.mark.parametrize("name", UNASKABLE_TARGETS)
@pytest.mark.parametrize("form", ["[附件]({}.md)", "[页面](../../pages/{}.md)", '<a href="../{}.md">附件</a>'])
def test_a_link_to_a_name_no_file_system_takes_is_a_broken_link(site, name, form):
    site.item("2021/target.md")
    path = site.item("2021/source.md", body=f"第一段。\n\n见{form.format(name)}。\n")
    problems = [p for p in site.check() if p.path == site.rel(path) and p.code.startswith("GK6")]
    assert [p.code for p in problems] == [references.BROKEN_LINK.code]
    line = path.read_text(encoding="utf-8").split("\n").index(f"见{form.format(name)}。") + 1
    assert problems[0].line == line
