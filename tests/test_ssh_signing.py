"""ssh-keygen runs the private key; its failures come back as Chinese messages."""

from __future__ import annotations

import subprocess

import pytest

from gongkai import ssh_signing
from gongkai.signatures import PublicKey, Signature


def test_signs_with_a_key_file(keys):
    armoured = ssh_signing.sign(b"statement", keys.file("李明"))
    Signature.parse(armoured).verify(b"statement", PublicKey.parse(keys.public("李明")))


def test_failures_are_explained_in_chinese(tmp_path, monkeypatch):
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    with pytest.raises(ssh_signing.SigningFailed, match="找不到私钥文件"):
        ssh_signing.sign(b"x", tmp_path / "missing")
    (tmp_path / "not-a-key").write_text("hello")
    (tmp_path / "not-a-key").chmod(0o600)
    with pytest.raises(ssh_signing.SigningFailed) as refused:
        ssh_signing.sign(b"x", tmp_path / "not-a-key")
    assert "私钥" in str(refused.value)
    encrypted = tmp_path / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "口令 secret", "-f", str(encrypted)], check=True)
    # ssh-keygen asks for the passphrase itself; here the asking program answers nothing
    monkeypatch.setenv("SSH_ASKPASS", "/bin/false")
    monkeypatch.setenv("SSH_ASKPASS_REQUIRE", "force")
    monkeypatch.setenv("DISPLAY", ":0")
    with pytest.raises(ssh_signing.SigningFailed, match="口令"):
        ssh_signing.sign(b"x", encrypted)


def test_git_signing_key_forms(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert ssh_signing.git_signing_key(tmp_path) == (None, None)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.signingkey", "key::ssh-ed25519 AAAA x"], check=True)
    assert ssh_signing.git_signing_key(tmp_path) == (None, "ssh-ed25519 AAAA x")
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.signingkey", "~/.ssh/id_ed25519.pub"], check=True)
    path, literal = ssh_signing.git_signing_key(tmp_path)
    assert literal is None and path is not None and path.name == "id_ed25519.pub" and "~" not in str(path)


def test_git_signing_key_never_comes_from_a_repository_committed_into_the_content(tmp_path, monkeypatch):
    """An item's folder holding a committed HEAD, objects/, refs/ and config looks like a repository to git: plain
    `git config` run there read that config, and `gongkai review` signed with the key it named."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.signingkey", "key::ssh-ed25519 AAAA own"], check=True)
    planted = tmp_path / "content" / "items" / "2021"
    (planted / "objects").mkdir(parents=True)
    (planted / "refs").mkdir()
    (planted / "HEAD").write_text("ref: refs/heads/main\n")
    (planted / "config").write_text("[user]\n\tsigningkey = key::ssh-ed25519 AAAA planted\n")
    assert ssh_signing.git_signing_key(tmp_path) == (None, "ssh-ed25519 AAAA own")
    assert ssh_signing.git_signing_key(planted) == (None, None)  # no repository to ask; the user's settings name none


@pytest.mark.parametrize("written", [b"\xff\xfe-----BEGIN SSH SIGNATURE-----\n", "-----BEGIN SSH SIGNATURE-----\n签名\n".encode()])
def test_a_signature_file_that_is_not_ascii_is_refused_in_chinese(keys, tmp_path, monkeypatch, written):
    """What the `ssh-keygen` on PATH writes is read as an armoured signature: bytes that are not ASCII stopped
    `gongkai review` with a Python error (UnicodeDecodeError) instead of a message."""
    fake = tmp_path / "bin" / "ssh-keygen"
    fake.parent.mkdir()
    (tmp_path / "written").write_bytes(written)
    fake.write_text(f"#!/bin/sh\nfor last; do :; done\ncp '{tmp_path / 'written'}' \"$last.sig\"\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    with pytest.raises(ssh_signing.SigningFailed, match="不是 ASCII"):
        ssh_signing.sign(b"statement", keys.file("李明"))


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_a_public_key_given_as_key_is_said_to_be_one(keys, tmp_path, monkeypatch, mode):
    """`--key ~/.ssh/id_ed25519.pub` (tab completion stops there) without its private half in the agent: ssh-keygen
    complained of the file's permissions (0644, as .pub files are) or its format, and the reviewer chmod-ed a public key."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    public = tmp_path / "id_ed25519.pub"
    public.write_text(keys.public("李明") + "\n", encoding="ascii")
    public.chmod(mode)
    with pytest.raises(ssh_signing.SigningFailed) as refused:
        ssh_signing.sign(b"x", public)
    assert str(refused.value) == ssh_signing.PUBLIC_KEY_GIVEN
