"""Reviewer keys for tests: real OpenSSH key files made in a temporary folder, and a second,
independent SSHSIG writer for fixtures that sign hundreds of items (the real `gongkai review`
path, through ssh-keygen, is what `conftest.Site.sign` uses)."""

from __future__ import annotations

import base64
import hashlib
import struct
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

NAMESPACE = b"gongkai-review"


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class Keys:
    """One Ed25519 key per name, made on first use, with its private file (mode 0600) for ssh-keygen."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._keys: dict[str, ed25519.Ed25519PrivateKey] = {}

    def _key(self, name: str) -> ed25519.Ed25519PrivateKey:
        if name not in self._keys:
            key = ed25519.Ed25519PrivateKey.generate()
            self._keys[name] = key
            file = self._path(name)
            file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                               serialization.NoEncryption()))
            file.chmod(0o600)
        return self._keys[name]

    def _path(self, name: str) -> Path:
        return self.folder / hashlib.sha256(name.encode()).hexdigest()[:16]

    def file(self, name: str) -> Path:
        """The private key file of `name`, for `gongkai review --key`."""
        self._key(name)
        return self._path(name)

    def public(self, name: str) -> str:
        """`ssh-ed25519 AAAA… comment`, as a .pub file holds it."""
        raw = self._key(name).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        blob = _string(b"ssh-ed25519") + _string(raw)
        return f"ssh-ed25519 {base64.b64encode(blob).decode()} test-key"

    def sign(self, name: str, message: bytes, namespace: bytes = NAMESPACE) -> str:
        """The armoured SSHSIG of `message` by `name`'s key, written here from PROTOCOL.sshsig."""
        key = self._key(name)
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        public = _string(b"ssh-ed25519") + _string(raw)
        signed = (b"SSHSIG" + _string(namespace) + _string(b"") + _string(b"sha512")
                  + _string(hashlib.sha512(message).digest()))
        signature = _string(b"ssh-ed25519") + _string(key.sign(signed))
        blob = (b"SSHSIG" + struct.pack(">I", 1) + _string(public) + _string(namespace) + _string(b"")
                + _string(b"sha512") + _string(signature))
        return armour(blob)


def armour(blob: bytes) -> str:
    text = base64.b64encode(blob).decode()
    lines = [text[i:i + 70] for i in range(0, len(text), 70)]
    return "-----BEGIN SSH SIGNATURE-----\n" + "\n".join(lines) + "\n-----END SSH SIGNATURE-----\n"


def roster_yaml(keys: Keys, people: dict[str, tuple[str, str]], from_: str = "2000-01-01") -> str:
    """`reviewers:` for catalog.yml: name → (departments, levels) in flow style, one key each."""
    lines = ["reviewers:"]
    for name, (departments, levels) in people.items():
        lines += [f"  - name: {name}", f"    departments: {departments}", f"    levels: {levels}",
                  f'    keys: [{{key: "{keys.public(name)}", from: {from_}}}]']
    return "\n".join(lines) + "\n"
