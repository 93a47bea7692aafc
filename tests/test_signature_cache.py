"""The cache of verified signatures can save work but never turn a bad signature into a good one."""

from __future__ import annotations

import shutil

import pytest

from gongkai.cache_store import CACHE_DIR
from gongkai.checks import review
from gongkai.signature_cache import FILE_NAME
from gongkai.signatures import MAX_ARMOUR


def test_verified_signatures_are_remembered_and_forgeries_still_fail(site):
    good = site.item("2021/a.md")
    assert errors(site) == []
    cache = site.root / CACHE_DIR / FILE_NAME
    assert cache.stat().st_size == 2 * 16  # two sign-offs verified and remembered
    # A forgery that reuses the cached statement and key but another signature misses the cache.
    forged = site.item("2021/b.md", signed=False)
    site.write_review(forged, [{"level": "initial", "reviewer": "李明", "date": "2021-06-16"},
                               {"level": "final", "reviewer": "王芳", "date": "2021-06-17", "key": "李明"}])
    assert [p.code for p in site.check() if p.path == site.rel(forged)] == [review.WRONG_KEY.code]
    assert [p for p in site.check() if p.path == site.rel(good)] == []


def test_signatures_verified_by_other_code_are_verified_again(site, monkeypatch):
    """An entry says this code verified the signature: one made by an older gongkai or cryptography (which accepted a
    signature a later fix refuses) is no hit for a newer one, which verifies it itself (rt37 F1)."""
    from gongkai import cache_store

    site.item("2021/a.md")
    assert errors(site) == []
    cache = site.root / CACHE_DIR / FILE_NAME
    assert cache.stat().st_size == 2 * 16
    assert errors(site) == [] and cache.stat().st_size == 2 * 16  # the same code: both hits, nothing new
    version = cache_store.metadata.version
    cache_store._versions.cache_clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(cache_store.metadata, "version", lambda name: "99.0" if name == "cryptography" else version(name))
            assert errors(site) == []
            assert cache.stat().st_size == 4 * 16  # both verified again, and remembered for this code
    finally:
        cache_store._versions.cache_clear()


def test_a_cache_file_copied_into_the_project_is_useless_without_this_machines_secret(site, tmp_path, monkeypatch):
    path = site.item()
    site.check()
    cache = site.root / CACHE_DIR / FILE_NAME
    saved = cache.read_bytes()
    # Tamper the signed text, then plant a cache computed elsewhere (another secret): still an error.
    path.write_text(path.read_text(encoding="utf-8").replace("opinion: 同意公开", "opinion: 不予公开", 1), encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine"))
    shutil.rmtree(site.root / CACHE_DIR)
    site.check()  # fills a cache under the other secret
    cache.write_bytes(saved + cache.read_bytes() + bytes(range(256)) * 4)
    monkeypatch.undo()
    assert review.BAD_SIGNATURE.code in [p.code for p in site.check()]


def test_an_unwritable_cache_folder_only_costs_time(site):
    site.item()
    (site.root / CACHE_DIR).write_text("not a folder", encoding="utf-8")
    assert errors(site) == []


def _blank_in_base64(text: str) -> str:
    at = text.index("-----BEGIN SSH SIGNATURE-----\n") + len("-----BEGIN SSH SIGNATURE-----\n")
    at = text.index("\n", at) - 10  # inside the first line of base64
    return text[:at] + "\u3000" + text[at:]


def _padded_past_the_parsers_bound(text: str) -> str:
    """ASCII blanks inside the base64, which the parser skips, but past the length it reads an armour to at all."""
    at = text.index("-----BEGIN SSH SIGNATURE-----\n") + len("-----BEGIN SSH SIGNATURE-----\n")
    at = text.index("\n", at) - 10
    return text[:at] + " " * (MAX_ARMOUR + 1) + text[at:]


ARMOUR_CHANGES = [
    _blank_in_base64,
    lambda text: text.replace("-----BEGIN SSH SIGNATURE-----", "-----BEGIN SSH  SIGNATURE-----", 1),
    lambda text: text.replace("-----BEGIN SSH SIGNATURE-----", "-----BEGIN SSH SIGNATURE----- ", 1),
    lambda text: text.replace("-----END SSH SIGNATURE-----", "----- END SSH SIGNATURE-----", 1),
    lambda text: text.replace("-----END SSH SIGNATURE-----", "-----END SSH\tSIGNATURE-----", 1),
    lambda text: text.replace("-----BEGIN SSH SIGNATURE-----", "-----BEGIN SSH SIG NATURE-----", 1),
    _padded_past_the_parsers_bound,
]


@pytest.mark.parametrize("change", ARMOUR_CHANGES)
def test_a_cached_verification_never_vouches_for_armour_the_parser_refuses(site, change):
    """The cache holds a signature's text without its blanks. Were a U+3000 (or any blank but ASCII's) dropped
    there too, or a blank inside the header or footer line, a text the parser and ssh-keygen refuse would hit the
    entry its clean twin left: refused cold, accepted warm."""
    path = site.item()
    assert errors(site) == []
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    warm = [p.code for p in errors(site)]
    shutil.rmtree(site.root / CACHE_DIR)
    assert review.BAD_SIGNATURE.code in warm and warm == [p.code for p in errors(site)]


@pytest.mark.parametrize("change", ["retired", "given to another", "rights taken"])
def test_a_cached_verification_never_outlives_the_roster_change_that_ends_it(site, change):
    """A hit is looked for only among the keys the roster gives the named person on the sign-off's date, after
    their rights are judged: a key retired before that date, handed to someone else, or a role taken away is
    refused at once, warm as cold."""
    path = site.item()
    assert errors(site) == [] and (site.root / CACHE_DIR / FILE_NAME).stat().st_size == 2 * 16
    catalog = site.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    key = site.keys.public("王芳")
    if change == "retired":
        text = text.replace(f'{key}", from: 2000-01-01}}', f'{key}", from: 2000-01-01, until: 2021-06-01}}')
    elif change == "given to another":
        text = text.replace(f'{key}", from: 2000-01-01}}', f'{site.keys.public("王芳-新")}", from: 2000-01-01}}')
        text += f'  - name: 张伟\n    departments: [全部]\n    levels: [final]\n    keys: [{{key: "{key}"}}]\n'
    else:
        text = text.replace("  - name: 王芳\n    departments: [全部]\n    levels: [initial, final]",
                            "  - name: 王芳\n    departments: [全部]\n    levels: [initial]")
    assert text != catalog.read_text(encoding="utf-8")
    catalog.write_text(text, encoding="utf-8")
    warm = sorted(p.code for p in errors(site) if p.path == site.rel(path))
    shutil.rmtree(site.root / CACHE_DIR)
    cold = sorted(p.code for p in errors(site) if p.path == site.rel(path))
    assert warm == cold and cold == {"retired": [review.KEY_NOT_VALID.code], "given to another": [review.WRONG_KEY.code],
                                     "rights taken": [review.LEVEL_NOT_ALLOWED.code]}[change]


def errors(site):
    return [p for p in site.check() if p.is_error]


def test_a_fifo_in_the_cache_files_place_never_holds_the_check(site):
    """Saving the verified signatures opened the cache file for appending: a FIFO planted in its place made that open
    wait for a reader for ever, and `gongkai check` never ended. It is no file: nothing is saved, the check ends."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    site.item()
    (site.root / CACHE_DIR).mkdir(exist_ok=True)
    os.mkfifo(site.root / CACHE_DIR / FILE_NAME)
    result = subprocess.run([str(Path(sys.executable).parent / "gongkai"), "check"], cwd=site.root, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "GONGKAI_TODAY": "2021-12-31"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_entry_cut_short_never_puts_the_later_ones_out_of_step(site):
    """A check killed, or the disk full, while it appends leaves part of an entry: every entry appended after it was
    read that many bytes off and missed, so each later check verified every signature again, for ever."""
    site.item("2021/a.md")
    assert errors(site) == []
    cache = site.root / CACHE_DIR / FILE_NAME
    cache.write_bytes(cache.read_bytes() + b"\x07" * 7)
    site.item("2021/b.md")
    assert errors(site) == [] and errors(site) == []
    size = cache.stat().st_size
    assert size % 16 == 0
    assert errors(site) == [] and cache.stat().st_size == size  # every signature found in it now


def test_a_folder_committed_in_the_cache_files_place_never_stops_the_check(site):
    """A folder under the cache file's name (committed into `.gongkai-cache/`): opening it read-only succeeds, and
    Python's wrapping of it raised, so every `gongkai check` ended in an internal error and CI refused every change."""
    site.item()
    (site.root / CACHE_DIR / FILE_NAME / "x").mkdir(parents=True)
    assert errors(site) == [] and errors(site) == []
