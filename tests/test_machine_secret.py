"""The machine's cache secret is never one a commit can supply (generator/machine_secret.py)."""

from __future__ import annotations

import os

import pytest

from gongkai.machine_secret import machine_secret


@pytest.fixture
def fresh(monkeypatch):
    machine_secret.cache_clear()
    yield monkeypatch
    machine_secret.cache_clear()


@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "HOME"])
def test_a_cache_folder_inside_the_checkout_keeps_no_secret(git_site, fresh, variable):
    """A CI job that keeps its caches in the checkout (XDG_CACHE_HOME or HOME pointed there) read the secret from
    `.cache/gongkai/signature-cache.key`, a file anyone who commits can supply: with it, a committed cache of
    "verified" signatures and "checked" items passes as this machine's work. No secret there: nothing is cached."""
    cache = git_site.root / ".cache"
    key = cache / "gongkai" / "signature-cache.key"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"k" * 32)  # as a commit would bring it
    fresh.delenv("XDG_CACHE_HOME", raising=False)
    fresh.setenv(variable, str(cache if variable == "XDG_CACHE_HOME" else git_site.root))
    assert machine_secret() is None
    (git_site.root / "content" / "items").mkdir(parents=True, exist_ok=True)
    fresh.chdir(git_site.root / "content" / "items")  # anywhere in the checkout
    machine_secret.cache_clear()
    assert machine_secret() is None
    assert key.read_bytes() == b"k" * 32  # nor is one made there


def test_a_secret_is_kept_outside_the_checkout_and_never_read_through_a_link(git_site, fresh, tmp_path):
    cache = tmp_path / "user-cache"
    fresh.setenv("XDG_CACHE_HOME", str(cache))
    secret = machine_secret()
    assert secret is not None and len(secret) == 32
    machine_secret.cache_clear()
    assert machine_secret() == secret
    key = cache / "gongkai" / "signature-cache.key"
    planted = tmp_path / "planted.key"
    planted.write_bytes(b"p" * 32)
    key.unlink()
    key.symlink_to(planted)
    machine_secret.cache_clear()
    assert machine_secret() != b"p" * 32
    os.mkfifo(tmp_path / "fifo")
    key.unlink()
    key.symlink_to(tmp_path / "fifo")
    machine_secret.cache_clear()
    assert machine_secret() != b"p" * 32  # and returns at once
