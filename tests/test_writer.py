"""writer: every destination is a plain path inside the build folder, claimed once; folder settings
that would replace or publish the project are refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.writer import BuildFolder, FileChanged, ReadOnlyFile, WriteRefused, check_folders, write_new, write_whole


@pytest.mark.parametrize(
    "relative",
    ["../x", "a/../../x", "catalog/../../site/items/2021/00003/index.html", "/etc/passwd", "a//b", "./a", "a/./b",
     "a\\..\\..\\x", "a\0b", "", "..", "a/", "items/.."],
)
def test_paths_that_are_not_plain_are_refused(tmp_path, relative):
    with pytest.raises(WriteRefused):
        BuildFolder(tmp_path).path(relative, "测试")


def test_a_symlink_inside_the_folder_cannot_lead_out(tmp_path):
    (tmp_path / "build").mkdir()
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "build" / "link")
    with pytest.raises(WriteRefused):
        BuildFolder(tmp_path / "build").path("link/index.html", "测试")


def test_links_deep_inside_the_folder_are_judged_as_realpath_judges_them(tmp_path):
    """Folders are resolved once per build, not once per file: the verdicts stay realpath's, for links
    to folders and to files, inside and outside, at any depth, and for paths checked before and after."""
    build = tmp_path / "build"
    (build / "items" / "2021" / "00001").mkdir(parents=True)
    (build / "items" / "2022").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", build / "items" / "2021" / "out")
    os.symlink(build / "items" / "2022", build / "items" / "2021" / "in")
    os.symlink(tmp_path / "outside" / "x.html", build / "items" / "2021" / "00001" / "file.html")
    os.symlink("../2022", build / "items" / "2021" / "relative")
    relatives = ["items/2021/00001/index.html", "items/2021/out/index.html", "items/2021/in/a/index.html",
                 "items/2021/00001/file.html", "items/2021/relative/index.html", "items/2021/out/deeper/x.html",
                 "items/2023/new/index.html", "items/2021/00001/index.html"]
    folder = BuildFolder(build)
    for relative in relatives:
        inside = os.path.realpath(build / relative).startswith(str(build.resolve()) + os.sep)
        if inside:
            assert folder.path(relative, "测试") == build.resolve() / relative
        else:
            with pytest.raises(WriteRefused, match="之外"):
                folder.path(relative, "测试")


@pytest.mark.parametrize("relative", ["../x", "a/../../x", "/etc/passwd", "a//b", "a\\..\\x", "a\0b", "", "items/.."])
def test_a_linkless_folder_still_refuses_paths_that_are_not_plain(tmp_path, relative):
    with pytest.raises(WriteRefused):
        BuildFolder(tmp_path, linkless=True).path(relative, "测试")


def test_a_linkless_folder_still_resolves_what_lies_under_a_dot_name(tmp_path):
    """A replaced tree's search bundle waits under `.pagefind-previous`, which BaseTree does not walk for links."""
    (tmp_path / "build" / ".pagefind-previous").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "build" / ".pagefind-previous" / "link")
    folder = BuildFolder(tmp_path / "build", linkless=True)
    with pytest.raises(WriteRefused, match="之外"):
        folder.path(".pagefind-previous/link/index.html", "测试")
    assert folder.path("items/2021/00001/index.html", "测试") == (tmp_path / "build").resolve() / "items/2021/00001/index.html"


def test_a_destination_is_claimed_once(tmp_path):
    folder = BuildFolder(tmp_path)
    assert folder.path("items/2021/00001/index.html", "a.md") == tmp_path.resolve() / "items/2021/00001/index.html"
    folder.path("items/2021/00001/index.html", "a.md")  # the same source again is fine
    with pytest.raises(WriteRefused, match="同一个文件"):
        folder.path("items/2021/00001/index.html", "b.md")


def test_write_goes_where_path_says(tmp_path):
    assert BuildFolder(tmp_path).write("a/b.txt", b"x", "测试").read_bytes() == b"x"


@given(st.lists(st.sampled_from(["a", "..", ".", "", "b", "\\", "/", "c.html", "%2e%2e"]), max_size=6).map("".join))
def test_nothing_accepted_lies_outside(relative):
    folder = Path("/tmp/gongkai-writer-test")
    try:
        target = BuildFolder(folder).path(relative, "测试")
    except WriteRefused:
        return
    assert os.path.realpath(target).startswith(os.path.realpath(folder) + os.sep)


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    for folder in ("content/items", "theme_overrides/docs"):
        (root / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return root


def _sources(root: Path, **changes: Path) -> dict[str, Path]:
    sources = {
        "项目配置文件": root / "mkdocs.yml", "内容目录": root / "content", "docs_dir": root / "theme_overrides/docs",
        "theme.custom_dir": root / "theme_overrides", "缓存目录": root / ".gongkai-cache",
    }
    return {**sources, **changes}


def test_an_ordinary_site_folder_passes(project):
    check_folders(project, project / "site", _sources(project))
    check_folders(project, project.parent / "www", _sources(project))


@pytest.mark.parametrize(
    "site",
    [".", "..", "content", "content/items", "theme_overrides", "theme_overrides/docs", ".gongkai-cache", "mkdocs.yml", "/"],
)
def test_a_site_folder_that_would_replace_the_project_is_refused(project, site):
    with pytest.raises(WriteRefused):
        check_folders(project, project / site, _sources(project))


@pytest.mark.parametrize(
    "changes",
    [{"docs_dir": "content"}, {"theme.custom_dir": "content"}, {"docs_dir": "content/items"}, {"theme.custom_dir": "."},
     {"docs_dir": "../elsewhere"}, {"theme.custom_dir": "/etc"}],
)
def test_folders_mkdocs_publishes_must_be_theme_folders(project, changes):
    sources = _sources(project, **{name: project / path for name, path in changes.items()})
    with pytest.raises(WriteRefused):
        check_folders(project, project / "site", sources)


def test_an_existing_folder_that_is_no_site_is_not_replaced(project):
    documents = project.parent / "documents"
    documents.mkdir()
    (documents / "报告.docx").write_bytes(b"x")
    with pytest.raises(WriteRefused, match="不是此前生成的网站"):
        check_folders(project, documents, _sources(project))
    (project / "site.txt").write_text("x")
    with pytest.raises(WriteRefused):
        check_folders(project, project / "site.txt", _sources(project))
    previous = project / "site"
    previous.mkdir()
    (previous / "index.html").write_text("x")
    (previous / "sitemap.xml").write_text("x")
    check_folders(project, previous, _sources(project))


def test_a_symlinked_site_folder_is_judged_by_its_target(project):
    os.symlink(project / "content", project / "site")
    with pytest.raises(WriteRefused):
        check_folders(project, project / "site", _sources(project))


def test_a_file_written_in_chunks_is_whole_or_not_there(tmp_path):
    target = tmp_path / "manifest.json"
    write_whole(target, (chunk.encode() for chunk in ("{", '"a":1', "}")))
    assert target.read_bytes() == b'{"a":1}'

    def failing():
        yield b"half"
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_whole(target, failing())
    assert target.read_bytes() == b'{"a":1}' and [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_an_edit_is_not_written_over_a_file_changed_since_it_was_read(tmp_path: Path):
    target = tmp_path / "a.md"
    target.write_bytes(b"read\r\n")
    write_whole(target, b"edited\r\n", unchanged=b"read\r\n")
    assert target.read_bytes() == b"edited\r\n"
    target.write_bytes(b"saved meanwhile\n")
    with pytest.raises(FileChanged):
        write_whole(target, b"edit of the old text\n", unchanged=b"edited\r\n")
    assert target.read_bytes() == b"saved meanwhile\n" and os.listdir(tmp_path) == ["a.md"]
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_bytes(b"saved meanwhile\n")
    target.unlink()
    target.symlink_to(elsewhere)  # replaced by a link to the same bytes: still not the file that was read
    with pytest.raises(FileChanged):
        write_whole(target, b"x", unchanged=b"saved meanwhile\n")
    assert target.is_symlink() and elsewhere.read_bytes() == b"saved meanwhile\n"


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o440])
def test_an_edit_never_replaces_a_read_only_file(tmp_path: Path, mode: int):
    """The rename would replace a read-only file as any other (and root may write any file): whoever made
    it read-only meant it to stay; an edit (review, withdraw) is refused and leaves it as it was."""
    target = tmp_path / "a.md"
    target.write_bytes(b"locked\n")
    target.chmod(mode)
    with pytest.raises(ReadOnlyFile):
        write_whole(target, b"edited\n", unchanged=b"locked\n")
    assert target.read_bytes() == b"locked\n" and os.listdir(tmp_path) == ["a.md"]
    target.chmod(mode | 0o200)
    write_whole(target, b"edited\n", unchanged=b"locked\n")
    assert target.read_bytes() == b"edited\n"


@pytest.mark.parametrize("taken", ["file", "link to a file", "dangling link", "folder"])
def test_a_new_file_never_replaces_or_follows_what_took_its_name(tmp_path, taken):
    target, elsewhere = tmp_path / "2025-00001.md", tmp_path / "elsewhere.txt"
    if taken == "file":
        target.write_bytes(b"saved meanwhile")
    elif taken == "folder":
        target.mkdir()
    else:
        if taken == "link to a file":
            elsewhere.write_bytes(b"not ours")
        target.symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        write_new(target, b"new item")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted({target.name} | ({elsewhere.name} if elsewhere.exists() else set()))
    assert not elsewhere.exists() or elsewhere.read_bytes() == b"not ours"
    assert taken != "file" or target.read_bytes() == b"saved meanwhile"


def test_a_new_file_is_written_whole_with_an_ordinary_mode(tmp_path):
    target = tmp_path / "a.md"
    write_new(target, b"x" * 100_000)
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_bytes() == b"x" * 100_000 and target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [path.name for path in tmp_path.iterdir()] == ["a.md"]


@pytest.mark.parametrize("before", ["setuid file", "link to a setuid file", "link to a device", "link to nothing", "fifo"])
def test_a_rewritten_file_never_takes_special_bits_or_a_links_targets_mode(tmp_path, before):
    """A committed link named like the report an editor writes (`out.html -> /usr/bin/su`, `-> /dev/null`) is
    replaced, not followed; the new file got the target's mode all the same: setuid, or writable by everyone."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"")
    elsewhere.chmod(0o4777)
    target = tmp_path / "out.html"
    if before == "setuid file":
        target.write_bytes(b"old")
        target.chmod(0o4750)
    elif before == "fifo":
        os.mkfifo(target, 0o666)
    else:
        target.symlink_to({"link to a setuid file": elsewhere, "link to a device": Path("/dev/null"),
                           "link to nothing": tmp_path / "missing"}[before])
    write_whole(target, b"new")
    umask = os.umask(0)
    os.umask(umask)
    mode = target.lstat().st_mode
    assert target.read_bytes() == b"new" and not target.is_symlink()
    assert mode & 0o7777 == (0o750 if before == "setuid file" else 0o666 & ~umask)
    assert elsewhere.stat().st_mode & 0o7777 == 0o4777 and elsewhere.read_bytes() == b""


def test_a_name_at_the_systems_limit_is_written_whole(tmp_path):
    """A file named with 252 bytes (83 Chinese characters, an item's title as its name): the temporary file beside
    it took the whole name too and could not be made, so review and withdraw refused the item."""
    name = "通" * 83 + ".md"
    assert len(name.encode()) == 252
    target = tmp_path / name
    write_new(target, b"first")
    write_whole(target, b"second", unchanged=b"first")
    assert target.read_bytes() == b"second"
    assert [path.name for path in tmp_path.iterdir()] == [name]


def test_a_commands_output_file_that_is_read_only_is_kept(tmp_path):
    """`gongkai report --output` and `gongkai audit --output` replace the file they name, but not one its owner made
    read-only (a report kept as sent): the rename replaced it as if it were not."""
    from gongkai.commands import Refused, write_output

    kept = tmp_path / "2024年年报.docx"
    kept.write_bytes(b"as sent")
    kept.chmod(0o444)
    with pytest.raises(Refused, match="只读"):
        write_output(kept, b"new")
    assert kept.read_bytes() == b"as sent"
    other = tmp_path / "自查报告.html"
    write_output(other, b"first")
    write_output(other, b"second")
    assert other.read_bytes() == b"second"



def test_a_commands_output_into_a_pipe_or_a_device_is_written_into_not_replaced(tmp_path):
    """`--output /dev/stdout` (a link to the terminal or a pipe) or a named pipe: the rename made them a file of the
    report (as root, /dev/full and /dev/stdout too); they are written into as the shell's `>` would."""
    import threading

    from gongkai.commands import Refused, write_output

    pipe = tmp_path / "管道"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    linked = tmp_path / "stdout"
    linked.symlink_to(pipe)
    write_output(linked, "年报\n".encode())
    reader.join(timeout=30)
    assert received == ["年报\n".encode()] and stat.S_ISFIFO(pipe.stat().st_mode) and linked.is_symlink()
    if os.geteuid() == 0:  # a device that takes no byte (as /dev/full): its error, and the device still there
        full = tmp_path / "full"
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        with pytest.raises(Refused, match="无法写入"):
            write_output(full, b"x")
        assert stat.S_ISCHR(full.stat().st_mode)


@pytest.mark.parametrize("write", ["whole", "new"])
def test_an_editors_file_reaches_the_disk_before_it_takes_its_name(tmp_path, monkeypatch, write):
    """A power cut after the rename but before the kernel wrote the bytes leaves, on some file systems, an empty item
    where a signed one was: its bytes are synced before it takes the name, and the folder's new entry after."""
    events: list[str] = []
    real_fsync, real_replace, real_link = os.fsync, os.replace, os.link

    def fsync(descriptor: int) -> None:
        events.append("folder synced" if os.path.isdir(f"/proc/self/fd/{descriptor}") else
                      f"file synced: {Path(os.readlink(f'/proc/self/fd/{descriptor}')).read_bytes()!r}")
        real_fsync(descriptor)

    def named(real):
        def call(*args, **kwargs):
            events.append("named")
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", named(real_replace))
    monkeypatch.setattr(os, "link", named(real_link))
    target = tmp_path / "2021-00001.md"
    if write == "whole":
        target.write_bytes(b"old")
        write_whole(target, b"signed", unchanged=b"old")
    else:
        write_new(target, b"signed")
    assert events == ["file synced: b'signed'", "named", "folder synced"] and target.read_bytes() == b"signed"


def test_a_cache_is_not_made_to_wait_for_the_disk(tmp_path, monkeypatch):
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    write_whole(tmp_path / "pages.json", b"{}", durable=False)
    assert synced == [] and (tmp_path / "pages.json").read_bytes() == b"{}"


@settings(max_examples=300)
@given(st.lists(st.sampled_from([".hidden", "link", "a", "..", ".", "", "\\"]), max_size=5).map("/".join))
def test_nothing_accepted_in_a_linkless_folder_lies_outside(relative):
    """A folder gongkai made holds links only under names that begin with a dot (a replaced site's bundle, unwalked):
    whatever path is accepted there still resolves inside it."""
    folder = Path("/tmp/gongkai-writer-linkless")
    (folder / ".hidden").mkdir(parents=True, exist_ok=True)
    if not (folder / ".hidden" / "link").is_symlink():
        os.symlink("/etc", folder / ".hidden" / "link")
    try:
        target = BuildFolder(folder, linkless=True).path(relative, "测试")
    except WriteRefused:
        return
    assert os.path.realpath(target).startswith(os.path.realpath(folder) + os.sep)


def test_reading_the_umask_never_sets_another(monkeypatch):
    """`os.umask` reads the umask only by setting another: for that moment every thread's new files had that one (0,
    writable by anyone), and two threads reading at once could leave 0 for good. Where Linux shows it, it is read."""
    from gongkai import writer

    before = os.umask(0o027)
    try:
        def refused(mask: int) -> int:
            raise AssertionError(f"umask set to {mask:o}")

        monkeypatch.setattr(writer.os, "umask", refused)
        assert writer.under_umask(0o666) == 0o640 and writer.under_umask(0o777) == 0o750
    finally:
        monkeypatch.undo()
        os.umask(before)
