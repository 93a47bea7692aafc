"""The one attachment resolver: path safety, links, special files, types, size and hashing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url

from gongkai.attachments import TYPES, Refusal, content_hash, hash_file, path_is_plain, resolve, unsafe_entries


@pytest.mark.parametrize("file", ["a.pdf", "2021/名单.pdf", "2021/sub/a b.xlsx"])
def test_plain_paths(file):
    assert path_is_plain(file)


@pytest.mark.parametrize("file", ["", "/etc/a.pdf", "../a.pdf", "2021/../../a.pdf", "./a.pdf", "a//b.pdf", "a/", "a\\b.pdf",
                                  "C:/a.pdf", "c:a.pdf", "a\0.pdf", "a\n.pdf", "2021/./a.pdf", ".."])
def test_paths_that_could_leave_the_folder(file):
    assert not path_is_plain(file)


def test_one_table_of_twelve_types():
    assert len(TYPES) == 12 and TYPES["pdf"] == "PDF 文件" and TYPES["docx"] == TYPES["doc"] == "Word 文档"


def test_resolve_regular_file(tmp_path):
    (tmp_path / "2021").mkdir()
    (tmp_path / "2021" / "a.pdf").write_bytes(b"%PDF")
    resolved = resolve(tmp_path, "2021/a.pdf", limit=10)
    assert resolved.publishable and resolved.size == 4 and resolved.label == "PDF 文件"
    assert content_hash(resolved) == hashlib.sha256(b"%PDF").hexdigest() == hash_file(tmp_path, "2021/a.pdf")


def test_refusals(tmp_path):
    (tmp_path / "big.pdf").write_bytes(b"%PDF" + b"x" * 7)
    (tmp_path / "a.exe").write_bytes(b"MZ")
    (tmp_path / "dir.pdf").mkdir()
    os.mkfifo(tmp_path / "pipe.pdf")
    assert resolve(tmp_path, "big.pdf", limit=10).refusals == (Refusal.TOO_LARGE,)
    assert resolve(tmp_path, "a.exe").refusals == (Refusal.TYPE,)
    assert resolve(tmp_path, "dir.pdf").refusals == (Refusal.SPECIAL,)
    assert resolve(tmp_path, "pipe.pdf").refusals == (Refusal.SPECIAL,)
    assert resolve(tmp_path, "none.pdf").refusals == (Refusal.MISSING,)
    assert resolve(tmp_path, "../x.pdf").refusals == (Refusal.OUTSIDE,)
    assert content_hash(resolve(tmp_path, "pipe.pdf")) == "missing"  # never opened


def test_links_are_never_followed(tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"secret")
    inside = tmp_path / "att"
    inside.mkdir()
    os.symlink(outside / "secret.pdf", inside / "link.pdf")
    os.symlink(outside, inside / "folder")
    (inside / "real").mkdir()
    os.symlink(inside / "real", inside / "alias")
    (inside / "real" / "a.pdf").write_bytes(b"%PDF")
    os.symlink("/dev/zero", inside / "zero.pdf")
    for file in ("link.pdf", "folder/secret.pdf", "alias/a.pdf", "zero.pdf"):
        resolved = resolve(inside, file)
        assert resolved.refusals == (Refusal.SYMLINK,), file
        assert hash_file(inside, file) == "missing"
    assert resolve(inside, "folder/secret.pdf").detail == "folder"
    found = {(entry.path.name, entry.refusal) for entry in unsafe_entries(inside)}
    assert found == {("link.pdf", Refusal.SYMLINK), ("folder", Refusal.SYMLINK), ("alias", Refusal.SYMLINK),
                     ("zero.pdf", Refusal.SYMLINK)}


def test_the_folder_itself_may_not_be_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.pdf").write_bytes(b"%PDF")
    os.symlink(tmp_path / "real", tmp_path / "att")
    assert resolve(tmp_path / "att", "a.pdf").refusals == (Refusal.SYMLINK,)
    assert [entry.refusal for entry in unsafe_entries(tmp_path / "att")] == [Refusal.SYMLINK]


def test_special_files_are_found(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    assert [(entry.path.name, entry.refusal) for entry in unsafe_entries(tmp_path)] == [("pipe", Refusal.SPECIAL)]


@pytest.mark.parametrize("change", ["edited", "replaced", "link", "fifo", "removed", None])
def test_an_attachment_is_published_only_while_it_is_the_file_checked(tmp_path, change):
    """copy_published copies the file `resolve` found and nothing it became: a link (to any file of the machine), a
    FIFO (a read that never ends), another file renamed over it or the same file written into is refused, nothing
    written."""
    import time

    from gongkai.attachments import ChangedSince, copy_published

    folder = tmp_path / "attachments"
    folder.mkdir()
    source = folder / "a.csv"
    source.write_bytes(b"a,b\n1,2\n")
    (tmp_path / "secret").write_bytes(b"SECRET")
    resolved = resolve(folder, "a.csv")
    time.sleep(0.01)  # a write later than the one checked bears a later modification time
    if change == "edited":
        with open(source, "ab") as stream:
            stream.write(b"3,4\n")
    elif change == "replaced":
        (folder / "b.csv").write_bytes(b"a,b\n1,2\n")
        os.replace(folder / "b.csv", source)
    elif change == "link":
        source.unlink()
        source.symlink_to(tmp_path / "secret")
    elif change == "fifo":
        source.unlink()
        os.mkfifo(source)
    elif change == "removed":
        source.unlink()
    target = tmp_path / "out.csv"
    if change is None:
        copy_published(source, target, resolved.stamp)
        assert target.read_bytes() == b"a,b\n1,2\n"
        return
    with pytest.raises(ChangedSince):
        copy_published(source, target, resolved.stamp)
    assert not target.exists()


# Web servers read each dot's part of a file's name as an extension, not only the last: Apache's mod_mime runs
# `x.php.pdf` as PHP wherever PHP is set up with AddHandler, and serves `名单.html.ofd` as a web page (no type is set
# for .ofd, so .html's stands) that runs its script at the agency's address; IIS 6 ran `x.asp;.jpg` as ASP.
SERVER_READ = ["名单.html.ofd", "x.php.pdf", "x.shtml.csv", "x.asp;.jpg", "x.cgi.zip", "x.phtml.png", "2024.03.15通知.pdf",
               "x..pdf", "x.PHP.docx"]


@pytest.mark.parametrize("name", SERVER_READ)
def test_a_name_a_web_server_reads_by_another_extension_is_refused(tmp_path, name):
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / name).write_bytes(b"%PDF")
    resolved = resolve(tmp_path, f"2026/{name}")
    assert not resolved.publishable and Refusal.NAME in resolved.refusals


@given(stem=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")).filter(lambda ch: ch not in "/\\"),
                    min_size=1, max_size=12),
       suffix=st.sampled_from(sorted(TYPES)))
@settings(max_examples=200, deadline=None)
def test_a_published_name_has_one_extension_its_type(stem, suffix):
    name = f"{stem}.{suffix}"
    assume(path_is_plain(name))
    refused = Refusal.NAME in resolve(Path("/nonexistent-attachments"), name).refusals
    one = name.split(".")[1:] == [suffix] and not name.startswith(".")
    assert refused or one
    assert one or refused


@pytest.mark.parametrize("folder", ["2026.v2", "a.php"])
def test_dots_in_a_folder_are_not_an_extension(tmp_path, folder):
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "名单.pdf").write_bytes(b"%PDF")
    assert resolve(tmp_path, f"{folder}/名单.pdf").publishable


# A name a link cannot carry as written: the item page's link to `a#b.pdf` asked for `a`, to `c%41.pdf` for `cA.pdf` (another
# attachment, or none), and a `;` starts path parameters (Tomcat, Jetty) or, after `.asp`, an IIS 6 script.
@pytest.mark.parametrize("file", ["2026/a#b.pdf", "2026/c%41.pdf", "2026/x;y.pdf", "20%32%36/a.pdf", "2026#/a.pdf", "a;b/c.pdf"])
def test_a_path_a_link_cannot_carry_as_written_is_refused(tmp_path, file):
    (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / file).write_bytes(b"%PDF")
    resolved = resolve(tmp_path, file)
    assert not resolved.publishable and Refusal.NAME in resolved.refusals


@given(path=st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8),
                     min_size=1, max_size=3).map("/".join))
@settings(max_examples=300, deadline=None)
def test_the_page_links_every_accepted_path_to_that_very_file(path):
    file = f"{path}.pdf"
    assume(path_is_plain(file))
    if set(resolve(Path("/nonexistent-attachments"), file).refusals) != {Refusal.MISSING}:
        return
    page = "https://zjj.example.gov.cn/items/2026/00001/"
    href = get_relative_url(f"attachments/{file}", "items/2026/00001/")  # what the item template's `url` filter prints
    assert unquote(urlsplit(urljoin(page, href)).path) == f"/attachments/{file}"
