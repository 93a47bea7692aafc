"""Reading content/: no symlink followed, no device or FIFO opened, nothing larger than the limit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.content_files import read_limited, scan_content
from gongkai.limits import MB, Limits
from gongkai.problems import NOT_SHOWN
from gongkai.project import load_project

GONGKAI = Path(sys.executable).parent / "gongkai"


def _codes_by_path(site) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for problem in site.check():
        found.setdefault(problem.path, set()).add(problem.code)
    return found


@pytest.mark.parametrize("where", ["items/2021/link.md", "pages/link.md", "reports/2021.yml", "drafts/link.md"])
def test_a_symlink_anywhere_under_content_is_an_error_naming_it(site, where):
    target = site.item("2021/secret.md", disclosure="不予公开", body="不予公开的正文 qxsecretbody\n")
    link = site.content / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    problems = [p for p in site.check() if p.path == f"content/{where}"]
    assert [p.code for p in problems] == ["GK011"] and "符号链接" in problems[0].message
    project = load_project(site.root)
    assert all(page.path != f"content/{where}" for page in project.pages)
    assert f"content/{where}" not in project.documents


def test_a_symlinked_folder_is_not_followed(site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("---\ntitle: 外部\n---\n正文\n", encoding="utf-8")
    (site.content / "items" / "2022").symlink_to(outside, target_is_directory=True)
    (site.content / "pages").mkdir()
    (site.content / "pages" / "more").symlink_to(outside, target_is_directory=True)
    assert _codes_by_path(site)["content/items/2022"] == {"GK011"}
    project = load_project(site.root)
    assert not any("外部" in page.title for page in project.pages) and not project.documents


def test_a_symlinked_catalog_is_refused(site, tmp_path):
    real = tmp_path / "catalog.yml"
    real.write_bytes((site.content / "catalog.yml").read_bytes())
    (site.content / "catalog.yml").unlink()
    (site.content / "catalog.yml").symlink_to(real)
    assert "GK011" in _codes_by_path(site)["content/catalog.yml"]
    assert load_project(site.root).catalog is None


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_never_opened(site, target):
    (site.content / "items" / "2021").mkdir(parents=True, exist_ok=True)
    (site.content / "items" / "2021" / "zero.md").symlink_to(target)
    site.item("2021/good.md", body="电话13912345678\n")
    found = _codes_by_path(site)
    assert found["content/items/2021/zero.md"] == {"GK011"} and "GK303" in found["content/items/2021/good.md"]


def test_a_fifo_is_never_opened(site):
    fifo = site.content / "items" / "2021" / "pipe.md"
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    (site.content / "reports").mkdir()
    os.mkfifo(site.content / "reports" / "2021.yml")
    found = _codes_by_path(site)  # would block forever if either were opened for reading
    assert found["content/items/2021/pipe.md"] == {"GK012"} and found["content/reports/2021.yml"] == {"GK012"}
    data, problems = read_limited(fifo, "pipe.md", Limits().item_bytes)
    assert data is None and problems[0].code == "GK012" and "命名管道" in problems[0].message


def test_register_lexicon_and_report_files_are_read_with_the_configured_limit(site):
    from gongkai import checks

    filler = "# " + "填" * (MB // 3) + "\n"
    for name in ("applications/2025/a.yml", "supervision/2025/b.yml", "reports/2024.yml", "lexicon.yml"):
        (site.content / name).parent.mkdir(parents=True, exist_ok=True)
        (site.content / name).write_text(filler, encoding="utf-8")
    too_large = {p.path for p in checks.run(load_project(site.root, limits=Limits(item_bytes=MB)), site.today) if p.code == "GK010"}
    assert too_large == {"content/applications/2025/a.yml", "content/supervision/2025/b.yml", "content/reports/2024.yml",
                         "content/lexicon.yml"}
    assert not any(p.code == "GK010" for p in checks.run(load_project(site.root, limits=Limits(item_bytes=2 * MB)), site.today))


def test_files_over_the_limit_are_refused_without_being_read(site):
    big = site.item("2021/big.md", body="正文" * (MB // 3))
    small = site.item("2021/small.md")
    project = load_project(site.root, limits=Limits(item_bytes=MB))
    problems = [p for p in project.problems if p.path == site.rel(big)]
    assert [p.code for p in problems] == ["GK010"] and "1 MB" in problems[0].message
    assert site.rel(small) in project.documents and site.rel(big) not in project.documents


def test_the_limit_comes_from_mkdocs_yml(site, monkeypatch):
    from click.testing import CliRunner

    from gongkai.cli import main

    (site.root / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: docs\nplugins:\n  - gongkai:\n      limits: {item_mb: 1}\n",
                                          encoding="utf-8")
    site.item("2021/big.md", body="正文" * (MB // 3))
    (site.content / "reports").mkdir()
    (site.content / "reports" / "2021.yml").write_text("overview: |\n  " + "很长" * (MB // 3) + "\n", encoding="utf-8")
    monkeypatch.chdir(site.root)
    result = CliRunner().invoke(main, ["check"])
    assert "content/items/2021/big.md:1:1: GK010 error" in result.output
    assert "content/reports/2021.yml:1:1: GK010 error" in result.output


def test_read_limited_reads_at_most_the_limit(tmp_path):
    file = tmp_path / "x.md"
    file.write_bytes(b"x" * 100)
    assert read_limited(file, "x.md", limit=100) == (b"x" * 100, [])
    data, problems = read_limited(file, "x.md", limit=99)
    assert data is None and problems[0].code == "GK010"


def test_scan_lists_only_regular_markdown_of_items_and_pages(tmp_path):
    content = tmp_path / "content"
    for name in ("items/2021/a.md", "items/2021/b.txt", "pages/guide.md", "attachments/items/c.md", "other/items/d.md",
                 "items/2021/._a.md"):  # macOS's AppleDouble beside a.md, written on a share: no item
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("x", encoding="utf-8")
    (content / "attachments" / "link.pdf").symlink_to(content / "items" / "2021" / "a.md")  # attachments: not ours
    found = scan_content(content, lambda path: Path(path).relative_to(tmp_path).as_posix())
    assert [path.relative_to(content).as_posix() for path in found.items] == ["items/2021/a.md"]
    assert [path.relative_to(content).as_posix() for path in found.pages] == ["pages/guide.md"]
    assert sorted((p.code, p.path) for p in found.problems) == [("GK034", "content/items/2021/._a.md"),
                                                                ("GK034", "content/items/2021/b.txt"),
                                                                ("GK034", "content/other")]  # named, not read


# Characters of a name that act on a terminal or log instead of showing: a line break (a forged problem
# line), ESC (recolour, erase a line), bidirectional controls, C1 controls, and bytes that are not UTF-8.
ODD_NAMES = [b"a\nb.md", b"a\r: GK201 error: forged.md", b"\x1b[2K\x1b[1Aerased.md",
             "evil\u202edm.md".encode(), "c\u0085d.md".encode(), b"gbk-\xc7\xe0\xba\xcc.md", b"tab\tname.md"]


@pytest.mark.parametrize("name", ODD_NAMES)
@pytest.mark.parametrize("folder", ["items/2021", "pages", "reports", "attachments/2021"])
def test_a_name_that_would_act_on_the_terminal_is_an_error_shown_escaped_and_never_read(site, name, folder):
    site.item("2021/good.md")
    where = os.fsencode(site.content / folder)
    os.makedirs(where, exist_ok=True)
    with open(os.path.join(where, name), "wb") as file:
        file.write(b"---\ntitle: x\n---\n")
    result = subprocess.run([GONGKAI, "check"],
                            cwd=site.root, capture_output=True, env={**os.environ, "GONGKAI_TODAY": "2021-12-31"})
    out = result.stdout.decode("utf-8")  # every byte printed is UTF-8
    odd = [line for line in out.split("\n") if " GK030 " in line]
    assert result.returncode == 1 and len(odd) == 1 and odd[0].startswith(f"content/{folder}/")
    assert not NOT_SHOWN.search(out.replace("\n", "")) and "\r" not in out
    assert f"content/{folder}/" + "x.md" not in {p.path for p in site.check() if p.code != "GK030"}


@pytest.mark.parametrize("name", ["2021-00002.MD", "a.Md", "b.markdown"])
def test_markdown_not_named_md_is_a_warning_not_silently_skipped(site, name):
    site.item("2021/good.md")
    (site.content / "items" / "2021" / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert {p.code for p in site.check() if p.path == f"content/items/2021/{name}"} == {"GK031"}


@pytest.mark.parametrize("shape", ["missing", "a file", "renamed"])
def test_a_content_folder_without_its_items_folder_builds_nothing(site, shape):
    """Built, a site without content/items/ (content_dir wrong, the folder deleted or renamed by a bad merge) has no
    item, and deployed with `rsync --delete` it removes every item from the agency's site: GK032 stops the build."""
    site.item("2021/a.md")
    items = site.content / "items"
    if shape == "renamed":
        items.rename(site.content / "Items")
    else:
        subprocess.run(["rm", "-r", str(items)], check=True)
        if shape == "a file":
            items.write_text("", encoding="utf-8")
    result = subprocess.run([str(GONGKAI), "build"], cwd=site.root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "GONGKAI_TODAY": "2021-12-31"})
    assert result.returncode == 1 and "content/items:1:1: GK032" in result.stdout + result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (site.root / "site").exists()


def test_an_empty_items_folder_is_a_new_site(site):
    assert "GK032" not in {p.code for p in site.check()}


NOT_ON_WINDOWS = ["con.md", "nul.tar.gz", "AUX", "com1.pdf", "lpt9", "a:b.pdf", "a?.md", "a*b.csv", 'a"b.md',
                  "a|b.md", "a<b>.md", "a\\b.md", "end.", "end ", "conin$.md"]


@pytest.mark.parametrize("name", NOT_ON_WINDOWS)
@pytest.mark.parametrize("folder", ["items/2021", "pages", "attachments/2021", "applications", ""])
def test_a_name_windows_cannot_hold_is_an_error_naming_it(site, name, folder):
    """git for Windows refuses to check such a name out (a device name, a character NTFS refuses, a trailing dot or
    blank): an editor cloning the repository on Windows gets no working copy at all. GK033, for files and folders,
    anywhere under content/ (attachments too)."""
    site.item("2021/a.md")
    (site.content / folder).mkdir(parents=True, exist_ok=True)
    (site.content / folder / name).write_bytes(b"x")
    shown = f"content/{folder}/{name}" if folder else f"content/{name}"
    found = [p for p in site.check() if p.code == "GK033"]
    assert [p.path for p in found] == [shown] and "Windows" in found[0].message


# Upper-cased (Windows) or case-folded (macOS), not lower-cased, they are one: final sigma, micro sign, long s, dotless i.
@pytest.mark.parametrize("names", [("a.md", "A.md"), ("Report.pdf", "report.PDF"), ("caf\u00e9.md", "cafe\u0301.md"),
                                   ("\u03c2a.pdf", "\u03c3a.pdf"), ("\u00b5.pdf", "\u03bc.pdf"), ("\u017ftat.pdf", "stat.pdf"),
                                   ("l\u0131st.pdf", "list.pdf"), ("\u03d0x.pdf", "\u03b2x.pdf")])
@pytest.mark.parametrize("folder", ["items/2021", "pages", "attachments/2021"])
def test_two_names_windows_or_macos_take_for_one_are_an_error(site, names, folder):
    """Names that differ only in case or in Unicode composition are one file on Windows and macOS: a clone there
    holds one of the two, so the editor and the reviewers read, preview and sign another file than the one the
    check reads and the build publishes."""
    site.item("2021/keep.md")
    for name in names:
        (site.content / folder).mkdir(parents=True, exist_ok=True)
        (site.content / folder / name).write_bytes(b"x")
    found = [p for p in site.check() if p.code == "GK033"]
    assert len(found) == 1 and found[0].path.startswith(f"content/{folder}/") and "大小写" in found[0].message


def test_portable_names_are_not_reported(site):
    site.item("2021/a.md")
    site.attach("2021/a-b_c.1.pdf", b"x")
    site.attach("2021/\u8bf4\u660e.pdf", b"x")
    (site.content / "items" / "2021" / "console.md").write_bytes(b"---\ntitle: x\n---\n")
    assert "GK033" not in {p.code for p in site.check()}


@pytest.mark.parametrize("where", ["lexicon.yml", "reports/2021.yml", "applications/2021/2021-001.yml",
                                   "supervision/2021/2021-001.yml", "items/2021/b.md", "pages/about.md"])
def test_a_folder_where_a_file_is_expected_is_an_error(site, where):
    """A folder named like a file (`lexicon.yml/`, a register entry, a year's report) was read as nothing in silence:
    the agency's lexicon left out of every scan, an application or a report left out of the annual report."""
    site.item("2021/a.md")
    (site.content / where).mkdir(parents=True)
    found = [p for p in site.check() if p.path == f"content/{where}"]
    assert [p.code for p in found] == ["GK012"] and "文件夹" in found[0].message


@pytest.mark.parametrize("where", ["pages", "reports", "applications", "supervision", "attachments", "catalog.yml"])
def test_a_file_where_a_folder_is_expected_is_an_error_and_a_folder_catalog_one_error(site, where):
    site.item("2021/a.md")
    target = site.content / where
    subprocess.run(["rm", "-rf", str(target)], check=True)
    if where == "catalog.yml":
        target.mkdir()
    else:
        target.write_text("x", encoding="utf-8")
    found = [p for p in site.check() if p.path == f"content/{where}"]
    assert len(found) == 1 and found[0].code == "GK012" and "文件夹" in found[0].message, found


@pytest.mark.parametrize("where", ["items/2021", "attachments/2021", "applications/2025"])
def test_a_folder_that_cannot_be_read_is_an_error_not_left_out(site, where):
    """A folder of items the walk could not list (no read permission on the build machine, a path longer than the
    system takes) was left out in silence: its items were neither checked nor published, and a deployment with
    `rsync --delete` took them off the site; under attachments/, its links, FIFOs and odd names went unseen. Made
    here with a path too long to open (root reads any folder)."""
    site.item("2021/a.md")
    (site.content / where).mkdir(parents=True, exist_ok=True)
    folder = os.open(site.content / where, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 × 201 bytes: past PATH_MAX (4,096)
            os.mkdir("d" * 200, dir_fd=folder)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        os.mkdir("e" * 200, dir_fd=folder)
    finally:
        os.close(folder)
    found = [p for p in site.check() if p.code == "GK001"]
    assert len(found) == 1 and found[0].path.startswith(f"content/{where}/ddd") and "无法读取" in found[0].message


@pytest.mark.parametrize(("where", "named"), [
    ("items/2021/2021-00002.md.txt", ""), ("items/2021/2021-00002.txt", ""), ("items/2021/名单.xlsx", ""),
    ("pages/guide.html", ""), ("items/2021/.DS_Store", ""), ("items/2021/.2021-00002.md.swp", ""),
    ("reports/2025.xlsx", ""), ("reports/2025/2025.yml", "reports/2025"), ("item/2021/2021-00002.md", "item"),
    ("Items/2021-00002.md", "Items"), ("drafts/2021-00002.md", "drafts"), ("notes.txt", ""), ("catalog.yaml", ""),
    (".obsidian/app.json", ".obsidian"),
])
def test_a_file_no_loader_reads_is_a_warning_never_skipped_in_silence(site, where, named):
    """An item saved with a wrong extension or under a misspelt folder (`item/`, `Items/`), a year's report filed in a
    subfolder: nothing read it, nothing said so, and the editor took the page for published or the report for counted.
    A folder no loader reads is named once, not each file in it."""
    site.item("2021/good.md")
    path = site.content / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    named = f"content/{named or where}"
    found = [p for p in site.check() if p.code == "GK034"]
    assert [p.path for p in found] == [named] and not found[0].is_error and named in found[0].message


@pytest.mark.parametrize("where", ["items/2021/.gitkeep", "pages/.gitkeep", "reports/.gitkeep", ".gitkeep"])
def test_an_empty_placeholder_and_what_loaders_read_raise_no_warning(site, where):
    site.item("2021/good.md")
    (site.content / where).parent.mkdir(parents=True, exist_ok=True)
    (site.content / where).write_text("", encoding="utf-8")
    assert [p.path for p in site.check() if p.code == "GK034"] == []
