"""gongkai's SSHSIG verifier judged against the reference: `ssh-keygen -Y verify`.

Real keys of every type the roster takes sign real statements; hypothesis then changes what is signed and
what the signature says (namespace, reserved field, hash algorithm, version, the signature algorithm, the key or
its certificate,
trailing and missing bytes inside each length-prefixed string, the FIDO flags and counter, malleated
numbers, the armour) and the verdicts are compared. gongkai accepting what ssh-keygen refuses is a hole, a
sign-off its signer could disown. gongkai refusing what ssh-keygen accepts is allowed only for the forms
`ssh-keygen -Y sign` never writes and gongkai refuses on purpose (`_deliberate`): anything else is a reviewer
whose honest signature would not count.

Keys the roster is given are judged the same way against `ssh-keygen -l`: a key gongkai takes must be one
OpenSSH takes (the roster's rules are stricter still: no small-order Ed25519 point, no second encoding).
"""

from __future__ import annotations

import base64
import hashlib
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.signatures import NAMESPACE, BadSignature, PublicKey, Signature, UnusableKey

MESSAGE = '{"level":"initial","reviewer":"李明","opinion":"同意公开"}'.encode()
_L = 2**252 + 27742317777372353535851937790883648493  # the order of Ed25519's base point
_ORDERS = {  # of each curve's base point (SEC 2)
    "nistp256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "nistp384": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16),
    "nistp521": int("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D"
                    "03BB5C9B8899C47AEBB6FB71E91386409", 16),
}
_HASH = {"nistp256": hashes.SHA256(), "nistp384": hashes.SHA384(), "nistp521": hashes.SHA512()}
KINDS = ["ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa", "sk-ed25519", "sk-ecdsa"]


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _mpint(value: int) -> bytes:
    return _string(value.to_bytes((value.bit_length() + 8) // 8, "big") if value else b"")


def _fields(data: bytes) -> list[bytes]:
    """The length-prefixed strings of `data` from its start, as far as they go."""
    found, at = [], 0
    while at + 4 <= len(data):
        size = struct.unpack(">I", data[at:at + 4])[0]
        if at + 4 + size > len(data):
            break
        found.append(data[at + 4:at + 4 + size])
        at += 4 + size
    return found


@dataclass
class Signer:
    """One key: its public line and blob, a hand signer for any bytes, and ssh-keygen's own signature."""

    kind: str
    line: str
    blob: bytes
    private: object
    real: str = ""  # `ssh-keygen -Y sign`'s armoured signature of MESSAGE, for the software types
    certificate: bytes = b""  # the key certified by a CA (`ssh-keygen -s`), for the software types

    def sign(self, data: bytes, algorithm: str = "", flags: int = 1, counter: int = 7) -> bytes:
        """The signature part of an SSHSIG over `data`, as the key's type writes it."""
        key = self.private
        if isinstance(key, ed25519.Ed25519PrivateKey) and not self.kind.startswith("sk-"):
            return _string(b"ssh-ed25519") + _string(key.sign(data))
        if isinstance(key, rsa.RSAPrivateKey):
            algorithm = algorithm or "rsa-sha2-512"
            digest = {"rsa-sha2-256": hashes.SHA256(), "ssh-rsa": hashes.SHA1()}.get(algorithm, hashes.SHA512())
            return _string(algorithm.encode()) + _string(key.sign(data, padding.PKCS1v15(), digest))
        if self.kind.startswith("sk-"):
            application = _fields(self.blob)[-1]
            signed = (hashlib.sha256(application).digest() + bytes([flags]) + struct.pack(">I", counter)
                      + hashlib.sha256(data).digest())
            type_name = _fields(self.blob)[0]
            if isinstance(key, ed25519.Ed25519PrivateKey):
                raw = key.sign(signed)
            else:
                assert isinstance(key, ec.EllipticCurvePrivateKey)
                r, s = decode_dss_signature(key.sign(signed, ec.ECDSA(hashes.SHA256())))
                raw = _mpint(r) + _mpint(s)
            return _string(type_name) + _string(raw) + bytes([flags]) + struct.pack(">I", counter)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        curve = _fields(self.blob)[1].decode()
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(_HASH[curve])))
        return _string(_fields(self.blob)[0]) + _string(_mpint(r) + _mpint(s))


def _make(kind: str, folder: Path) -> Signer:
    if kind in ("sk-ed25519", "sk-ecdsa"):
        # A FIDO key's signatures without the hardware: the same arithmetic with a software key (PROTOCOL.u2f).
        private: object
        if kind == "sk-ed25519":
            edwards = ed25519.Ed25519PrivateKey.generate()
            raw = edwards.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            private, blob = edwards, _string(b"sk-ssh-ed25519@openssh.com") + _string(raw) + _string(b"ssh:")
        else:
            curve = ec.generate_private_key(ec.SECP256R1())
            point = curve.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
            private = curve
            blob = _string(b"sk-ecdsa-sha2-nistp256@openssh.com") + _string(b"nistp256") + _string(point) + _string(b"ssh:")
        type_name = _fields(blob)[0].decode()
        return Signer(kind, f"{type_name} {base64.b64encode(blob).decode()}", blob, private)
    file = folder / kind
    kind_args = {"ed25519": ["-t", "ed25519"], "rsa": ["-t", "rsa", "-b", "2048"]}.get(kind, ["-t", "ecdsa", "-b", kind[5:]])
    subprocess.run(["ssh-keygen", "-q", *kind_args, "-N", "", "-C", "", "-f", str(file)], check=True)
    private = serialization.load_ssh_private_key(file.read_bytes(), password=None)
    line = file.with_suffix(".pub").read_text().split()
    message = folder / f"{kind}.message"
    message.write_bytes(MESSAGE)
    subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", NAMESPACE, "-f", str(file), str(message)], check=True,
                   capture_output=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / f"{kind}.ca")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-s", str(folder / f"{kind}.ca"), "-I", "reviewer", "-n", "reviewer",
                    str(file.with_suffix(".pub"))], check=True, capture_output=True)
    certificate = base64.b64decode((folder / f"{kind}-cert.pub").read_text().split()[1])
    return Signer(kind, f"{line[0]} {line[1]}", base64.b64decode(line[1]), private,
                  message.with_name(message.name + ".sig").read_text(), certificate)


@pytest.fixture(scope="module")
def signers(tmp_path_factory) -> dict[str, Signer]:
    folder = tmp_path_factory.mktemp("differential")
    return {kind: _make(kind, folder) for kind in KINDS}


@pytest.fixture(scope="module")
def judge(tmp_path_factory):
    folder = tmp_path_factory.mktemp("judge")

    def openssh(line: str, armoured: str, message: bytes = MESSAGE) -> bool:
        (folder / "allowed").write_text(f"reviewer {line}\n")
        (folder / "message.sig").write_bytes(armoured.encode("utf-8", "surrogatepass"))
        verdict = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(folder / "allowed"), "-I", "reviewer",
                                  "-n", NAMESPACE, "-s", str(folder / "message.sig")], input=message, capture_output=True)
        return verdict.returncode == 0

    return openssh


def gongkai(line: str, armoured: str, message: bytes = MESSAGE) -> bool:
    try:
        Signature.parse(armoured).verify(message, PublicKey.parse(line))
    except BadSignature:
        return False
    return True


def armour(blob: bytes, width: int = 70, text: str = "") -> str:
    text = text or base64.b64encode(blob).decode()
    return ("-----BEGIN SSH SIGNATURE-----\n" + "\n".join(text[i:i + width] for i in range(0, len(text), width))
            + "\n-----END SSH SIGNATURE-----\n")


def _deliberate(signer: Signer, armoured: str) -> str | None:
    """Why gongkai refuses, on purpose, a signature ssh-keygen takes; None if there is no such reason."""
    begin, end = "-----BEGIN SSH SIGNATURE-----\n", "\n-----END SSH SIGNATURE-----"
    if not armoured.startswith(begin) or end not in armoured:
        return None
    head, _, tail = armoured.partition(end)
    if tail.strip(" \t\n\r\x0b\x0c"):
        return "text after the footer (ssh-keygen reads the first block and ignores the rest)"
    try:
        blob = base64.b64decode("".join(head[len(begin):].split()))
    except ValueError:
        return None
    parts = _fields(blob[10:])
    if len(parts) < 5:
        return None
    public, _, reserved, _, signature = parts[:5]
    if reserved:
        return "a reserved field that is not empty (ssh-keygen ignores it; gongkai refuses what it cannot vouch for)"
    if public != signer.blob:
        return "the key in another encoding (ssh-keygen compares the numbers; the roster knows one encoding)"
    inner = _fields(signature)
    if (inner and inner[0] == b"ssh-ed25519" and len(inner) > 1 and len(inner[1]) == 64
            and int.from_bytes(inner[1][32:], "little") >= _L):
        return "an Ed25519 S not reduced (ssh-keygen checks only its top bits; RFC 8032 and OpenSSL refuse it)"
    if signer.kind.startswith("sk-") and len(inner) >= 2:
        rest = signature[8 + len(inner[0]) + len(inner[1]):]
        if len(rest) == 5 and not rest[0] & 1:
            return "a FIDO signature made without a touch (gongkai requires user presence)"
    return None


def _compare(signer: Signer, openssh, armoured: str, message: bytes = MESSAGE) -> tuple[bool, bool]:
    ours, theirs = gongkai(signer.line, armoured, message), openssh(signer.line, armoured, message)
    assert not (ours and not theirs), f"gongkai accepts a signature ssh-keygen refuses:\n{armoured}"
    if theirs and not ours:
        assert _deliberate(signer, armoured), f"gongkai refuses a signature ssh-keygen accepts:\n{armoured}"
    return ours, theirs


@pytest.mark.parametrize("kind", KINDS)
def test_what_ssh_keygen_signs_verifies_and_the_named_variants_agree(signers, judge, kind):
    """Each hand-picked variant, on each key type, judged by both."""
    signer = signers[kind]
    if signer.real:
        assert _compare(signer, judge, signer.real) == (True, True)

    def sshsig(signature: bytes, *, version: int = 1, public: bytes | None = None, namespace: bytes = NAMESPACE.encode(),
               reserved: bytes = b"", algorithm: bytes = b"sha512") -> bytes:
        return (b"SSHSIG" + struct.pack(">I", version) + _string(signer.blob if public is None else public)
                + _string(namespace) + _string(reserved) + _string(algorithm) + _string(signature))

    def signed(namespace: bytes = NAMESPACE.encode(), reserved: bytes = b"", algorithm: bytes = b"sha512",
               message: bytes = MESSAGE) -> bytes:
        digest = hashlib.sha256(message).digest() if algorithm.lower() == b"sha256" else hashlib.sha512(message).digest()
        return b"SSHSIG" + _string(namespace) + _string(reserved) + _string(algorithm) + _string(digest)

    good = signer.sign(signed())
    blob = sshsig(good)
    text = armour(blob)
    body = base64.b64encode(blob).decode()
    variants = {
        "ours": (text, (True, True)),
        "version 0": (armour(sshsig(good, version=0)), (True, True)),
        "version 2": (armour(sshsig(good, version=2)), (False, False)),
        "sha256": (armour(sshsig(signer.sign(signed(algorithm=b"sha256")), algorithm=b"sha256")), (True, True)),
        "SHA512": (armour(sshsig(signer.sign(signed(algorithm=b"SHA512")), algorithm=b"SHA512")), (False, False)),
        "sha1": (armour(sshsig(signer.sign(signed(algorithm=b"sha1")), algorithm=b"sha1")), (False, False)),
        "sha384": (armour(sshsig(signer.sign(signed(algorithm=b"sha384")), algorithm=b"sha384")), (False, False)),
        "git namespace": (armour(sshsig(signer.sign(signed(namespace=b"git")), namespace=b"git")), (False, False)),
        "namespace with NUL": (armour(sshsig(signer.sign(signed(namespace=NAMESPACE.encode() + b"\0")),
                                             namespace=NAMESPACE.encode() + b"\0")), (False, False)),
        "namespace signed, another declared": (armour(sshsig(good, namespace=b"git")), (False, False)),
        "reserved signed": (armour(sshsig(signer.sign(signed(reserved=b"x")), reserved=b"x")), (False, False)),
        "another message": (armour(sshsig(signer.sign(signed(message=MESSAGE + b" ")))), (False, False)),
        "trailing byte": (armour(blob + b"\0"), (False, False)),
        "trailing byte in the signature": (armour(sshsig(good + b"\0")), (False, False)),
        "truncated": (armour(blob[:-1]), (False, False)),
        "no newline after the header": (text.replace("-----\n", "-----", 1), (False, False)),
        "one line": (text.replace("\n", ""), (False, False)),
        "CRLF": (text.replace("\n", "\r\n"), (False, False)),
        "a header line": (text.replace("-----\n", "-----\nComment: x\n", 1), (False, False)),
        "blank before the header": (" " + text, (False, False)),
        "ideographic space inside": (text.replace("\n", "\n\u3000", 2), (False, False)),
        "a tab inside": (text.replace("\n", "\n\t", 2), (True, True)),
        "wrapped at 64": (armour(blob, 64), (True, True)),
        "padding dropped": (text.replace("=", ""), (False, False) if "=" in body else (True, True)),
        "two blocks": (text + text, (False, True)),
    }
    if body.endswith("="):  # stray bits in the last character before the padding: the same bytes, another text
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        last = len(body.rstrip("=")) - 1
        stray = body[:last] + alphabet[alphabet.index(body[last]) | 1] + body[last + 1:]
        variants["stray bits"] = (armour(b"", text=stray), (False, False))
    if signer.certificate:  # the key's certificate in the signature: not the key the roster (or allowed_signers) names
        variants["certificate"] = (armour(sshsig(good, public=signer.certificate)), (False, False))
    inner = _fields(good)
    if kind == "rsa":
        for algorithm, verdicts in (("rsa-sha2-256", (True, True)), ("ssh-rsa", (False, False))):
            variants[algorithm] = (armour(sshsig(signer.sign(signed(), algorithm))), verdicts)
        variants["512 named 256"] = (armour(sshsig(_string(b"rsa-sha2-256") + _string(inner[1]))), (False, False))
    if kind == "ed25519":
        s = int.from_bytes(inner[1][32:], "little") + _L
        variants["S + L"] = (armour(sshsig(_string(inner[0]) + _string(inner[1][:32] + s.to_bytes(32, "little")))),
                             (False, True))
    if kind.startswith("sk-"):
        variants["no touch"] = (armour(sshsig(signer.sign(signed(), flags=0))), (False, True))
        variants["touch and verification"] = (armour(sshsig(signer.sign(signed(), flags=5))), (True, True))
        variants["counter 2^32-1"] = (armour(sshsig(signer.sign(signed(), counter=2**32 - 1))), (True, True))
        variants["flags claimed, not signed"] = (armour(sshsig(good[:-5] + bytes([5]) + good[-4:])), (False, False))
        variants["extensions flag"] = (armour(sshsig(signer.sign(signed(), flags=0x81))), (True, True))
    if kind.startswith("ecdsa"):
        curve = _fields(signer.blob)[1].decode()
        order = _ORDERS[curve]
        numbers = _fields(inner[1])
        r, s = int.from_bytes(numbers[0], "big"), int.from_bytes(numbers[1], "big")
        variants["r with a zero byte more"] = (armour(sshsig(_string(inner[0]) + _string(_string(b"\0" + numbers[0])
                                                                                           + _mpint(s)))), (True, True))
        variants["s negated"] = (armour(sshsig(_string(inner[0]) + _string(_mpint(r) + _mpint(order - s)))), (True, True))
        variants["r + n"] = (armour(sshsig(_string(inner[0]) + _string(_mpint(r + order) + _mpint(s)))), (False, False))
    for name, (armoured, verdicts) in variants.items():
        assert _compare(signer, judge, armoured) == verdicts, name


_EDITS = st.sampled_from(["none", "none", "none", "append", "truncate", "flip", "empty", "zero length"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), top=st.integers(min_value=0, max_value=6), edit=_EDITS,
       inner=st.integers(min_value=0, max_value=3), inner_edit=_EDITS, extra=st.binary(min_size=1, max_size=3),
       position=st.integers(min_value=0, max_value=10_000), bit=st.integers(min_value=0, max_value=7))
def test_mutated_signatures_are_judged_as_ssh_keygen_judges_them(signers, judge, kind, top, edit, inner, inner_edit,
                                                                 extra, position, bit):
    """One length-prefixed string of the SSHSIG (or of the signature inside it) lengthened, shortened, emptied
    or changed by a bit, the lengths kept right: the two verifiers agree."""
    signer = signers[kind]
    signed = (b"SSHSIG" + _string(NAMESPACE.encode()) + _string(b"") + _string(b"sha512")
              + _string(hashlib.sha512(MESSAGE).digest()))
    signature = signer.sign(signed)

    def change(value: bytes, how: str) -> bytes:
        if how == "append":
            return value + extra
        if how == "truncate":
            return value[:-1]
        if how == "flip" and value:
            at = position % len(value)
            return value[:at] + bytes([value[at] ^ (1 << bit)]) + value[at + 1:]
        if how == "empty":
            return b""
        return value

    parts = _fields(signature)
    tail = signature[sum(4 + len(part) for part in parts):]  # a FIDO signature's flags and counter
    if parts:
        index = inner % len(parts)
        parts[index] = change(parts[index], inner_edit)
    signature = b"".join(_string(part) for part in parts) + change(tail, "flip" if inner_edit == "zero length" else "none")
    fields = [signer.blob, NAMESPACE.encode(), b"", b"sha512", signature]
    head = struct.pack(">I", 1)
    if top == 0:
        head = struct.pack(">I", position % 3)
    else:
        fields[top % 5] = change(fields[top % 5], edit)
    blob = b"SSHSIG" + head + b"".join(_string(field) for field in fields)
    if edit == "zero length" and top == 6:
        blob = blob[:position % len(blob)]
    _compare(signer, judge, armour(blob))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), position=st.integers(min_value=0, max_value=10_000),
       bit=st.integers(min_value=0, max_value=7), extra=st.binary(max_size=4), cut=st.integers(min_value=0, max_value=3))
def test_mutated_roster_keys_are_keys_ssh_keygen_takes(signers, tmp_path_factory, kind, position, bit, extra, cut):
    """A key gongkai takes into the roster (changed by a bit, cut short or lengthened) is one `ssh-keygen -l` reads."""
    blob = signers[kind].blob
    at = position % len(blob)
    changed = (blob[:at] + bytes([blob[at] ^ (1 << bit)]) + blob[at + 1:])[:len(blob) - cut] + extra
    line = f"{signers[kind].line.split()[0]} {base64.b64encode(changed).decode()}"
    try:
        PublicKey.parse(line)
    except UnusableKey:
        return
    file = tmp_path_factory.mktemp("key") / "k.pub"
    file.write_text(line + "\n")
    assert subprocess.run(["ssh-keygen", "-l", "-f", str(file)], capture_output=True).returncode == 0, line
