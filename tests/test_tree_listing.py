"""The listing of a replaced site (build_cache.BaseTree.survey): the same whether imported or run by a bare interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import tree_listing
from gongkai.build_cache import PREVIOUS_SEARCH


def listed_by_a_bare_interpreter(root: str, *skipped: str) -> list[tuple[str, list[int] | None]]:
    out = subprocess.run([sys.executable, "-I", "-S", tree_listing.__file__, root, *skipped],
                         capture_output=True, check=True).stdout
    found = tree_listing.parsed(out)
    assert found is not None
    return found


def test_every_file_with_its_identity_links_and_special_files_without_the_skipped_folders(tmp_path):
    root = tmp_path / "site"
    (root / "items" / "2021" / "00001").mkdir(parents=True)
    page = root / "items" / "2021" / "00001" / "index.html"
    page.write_text("页面", encoding="utf-8")
    (root / "robots.txt").write_text("x", encoding="utf-8")
    (root / "assets").symlink_to(tmp_path)  # never followed
    os.mkfifo(root / "fifo")
    (root / "名 with\nnewline").write_text("y", encoding="utf-8")
    for skipped in ("pagefind", PREVIOUS_SEARCH):
        (root / skipped / "index").mkdir(parents=True)
        (root / skipped / "index" / "a.pf_index").write_text("z", encoding="utf-8")
    (root / "deep" / "pagefind").mkdir(parents=True)  # only the top-level folder of that name is left out
    (root / "deep" / "pagefind" / "kept.html").write_text("k", encoding="utf-8")
    info = page.stat()
    found = dict(tree_listing.files(str(root), {"pagefind", PREVIOUS_SEARCH}))
    assert found == {
        "items/2021/00001/index.html": [info.st_ino, info.st_size, info.st_mtime_ns],
        "robots.txt": found["robots.txt"],
        "assets": None,
        "fifo": None,
        "名 with\nnewline": found["名 with\nnewline"],
        "deep/pagefind/kept.html": found["deep/pagefind/kept.html"],
    }
    assert sorted(listed_by_a_bare_interpreter(str(root), "pagefind", PREVIOUS_SEARCH)) == sorted(found.items())


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="/\0"), min_size=1, max_size=12).filter(
    lambda name: name not in (".", "..") and not name.endswith(".html") and len(name.encode("utf-8")) < 200)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(NAMES, max_size=8, unique=True))
def test_any_names_are_listed_alike_by_both(tmp_path_factory, names):
    root = tmp_path_factory.mktemp("site")
    for n, name in enumerate(names):
        folder = root / name if n % 2 else root
        folder.mkdir(exist_ok=True)
        if folder != root:
            (folder / "index.html").write_bytes(b"x" * n)
        else:
            (root / f"{name}.html").write_bytes(b"y" * n)
    found = sorted(tree_listing.files(str(root)))
    assert sorted(listed_by_a_bare_interpreter(str(root))) == found
    assert len(found) == len(names)


def test_a_listing_cut_short_or_garbled_is_no_listing():
    whole = b"a.html\x001\x002\x003\x00fifo\x00\x00\x00\x00"
    assert tree_listing.parsed(whole) == [("a.html", [1, 2, 3]), ("fifo", None)]
    for broken in (whole[:-1], whole[:9], b"a.html\x00x\x002\x003\x00", b"a.html\x00"):
        assert tree_listing.parsed(broken) is None
