"""SSHSIG verification in process: what ssh-keygen signs verifies, everything else is a BadSignature."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import struct
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import signatures
from gongkai.signatures import NAMESPACE, BadSignature, PublicKey, Signature, UnusableKey
from tests.review_keys import armour

MESSAGE = '{"level":"initial","reviewer":"李明"}'.encode()


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _mpint(value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 8) // 8, "big")
    return _string(raw)


@pytest.fixture(scope="module")
def ssh_keys(tmp_path_factory):
    """Real keys of every software type, and ssh-keygen's signature of MESSAGE by each."""
    folder = tmp_path_factory.mktemp("ssh")
    (folder / "message").write_bytes(MESSAGE)
    made = {}
    for kind, bits in (("ed25519", ""), ("ecdsa", "256"), ("ecdsa", "384"), ("ecdsa", "521"), ("rsa", "3072")):
        name = f"{kind}{bits}"
        key = folder / name
        subprocess.run(["ssh-keygen", "-q", "-t", kind, *(["-b", bits] if bits else []), "-N", "", "-f", str(key)], check=True)
        message = folder / f"message-{name}"
        message.write_bytes(MESSAGE)
        subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", NAMESPACE, "-f", str(key), str(message)], check=True,
                       capture_output=True)
        made[name] = (key.with_suffix(".pub").read_text(), message.with_name(message.name + ".sig").read_text())
    return made


@pytest.mark.parametrize("name", ["ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa3072"])
def test_ssh_keygen_signatures_verify(ssh_keys, name):
    public, armoured = ssh_keys[name]
    key = PublicKey.parse(public)
    signature = Signature.parse(armoured)
    signature.verify(MESSAGE, key)
    assert key.fingerprint == signature.signer_fingerprint
    with pytest.raises(BadSignature):
        signature.verify(MESSAGE + b" ", key)
    with pytest.raises(BadSignature):
        signature.verify(MESSAGE, key, namespace="git")


def test_fingerprint_is_ssh_keygens(ssh_keys, tmp_path):
    public, _ = ssh_keys["ed25519"]
    (tmp_path / "k.pub").write_text(public)
    printed = subprocess.run(["ssh-keygen", "-l", "-f", str(tmp_path / "k.pub")], capture_output=True, text=True, check=True)
    assert PublicKey.parse(public).fingerprint == printed.stdout.split()[1]


def test_another_key_does_not_verify(ssh_keys):
    _, armoured = ssh_keys["ed25519"]
    with pytest.raises(BadSignature, match="不是这把公钥"):
        Signature.parse(armoured).verify(MESSAGE, PublicKey.parse(ssh_keys["ecdsa256"][0]))


def test_unusable_keys():
    for line in ("", "ssh-ed25519", "ssh-dss AAAAB3NzaC1kc3M=", "ssh-ed25519 ####", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIA==",
                 "ssh-ed25519 " + base64.b64encode(_string(b"ssh-ed25519") + _string(b"short")).decode()):
        with pytest.raises(UnusableKey):
            PublicKey.parse(line)


def _sk_signature(kind: str, sign, public: bytes, flags: int = 1) -> str:
    """An SSHSIG as a FIDO authenticator makes it (PROTOCOL.u2f): over H(app) ‖ flags ‖ counter ‖ H(data)."""
    signed = b"SSHSIG" + _string(NAMESPACE.encode()) + _string(b"") + _string(b"sha512") + _string(hashlib.sha512(MESSAGE).digest())
    counter = 7
    raw = sign(hashlib.sha256(b"ssh:").digest() + bytes([flags]) + struct.pack(">I", counter) + hashlib.sha256(signed).digest())
    signature = _string(kind.encode()) + _string(raw) + bytes([flags]) + struct.pack(">I", counter)
    blob = (b"SSHSIG" + struct.pack(">I", 1) + _string(public) + _string(NAMESPACE.encode()) + _string(b"")
            + _string(b"sha512") + _string(signature))
    return armour(blob)


def test_hardware_key_signatures():
    private = ed25519.Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public = _string(b"sk-ssh-ed25519@openssh.com") + _string(raw) + _string(b"ssh:")
    key = PublicKey.parse("sk-ssh-ed25519@openssh.com " + base64.b64encode(public).decode())
    Signature.parse(_sk_signature("sk-ssh-ed25519@openssh.com", private.sign, public)).verify(MESSAGE, key)
    with pytest.raises(BadSignature):  # not touched: no user presence
        Signature.parse(_sk_signature("sk-ssh-ed25519@openssh.com", private.sign, public, flags=0)).verify(MESSAGE, key)

    ecdsa = ec.generate_private_key(ec.SECP256R1())
    point = ecdsa.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    public = _string(b"sk-ecdsa-sha2-nistp256@openssh.com") + _string(b"nistp256") + _string(point) + _string(b"ssh:")
    key = PublicKey.parse("sk-ecdsa-sha2-nistp256@openssh.com " + base64.b64encode(public).decode())

    def sign(data: bytes) -> bytes:
        r, s = decode_dss_signature(ecdsa.sign(data, ec.ECDSA(hashes.SHA256())))
        return _mpint(r) + _mpint(s)

    Signature.parse(_sk_signature("sk-ecdsa-sha2-nistp256@openssh.com", sign, public)).verify(MESSAGE, key)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), kind=st.sampled_from(["ed25519", "ecdsa256", "rsa3072"]))
def test_random_signature_bytes_are_bad_signatures_never_crashes(ssh_keys, data, kind):
    key = PublicKey.parse(ssh_keys[kind][0])
    signature_part = _string(key.kind.encode()) + data
    framed = (b"SSHSIG" + struct.pack(">I", 1) + _string(key.blob) + _string(NAMESPACE.encode()) + _string(b"")
              + _string(b"sha512") + _string(signature_part))
    for text in (armour(data), armour(b"SSHSIG" + data), armour(b"SSHSIG\x00\x00\x00\x01" + data), armour(framed)):
        with contextlib.suppress(BadSignature):
            Signature.parse(text).verify(MESSAGE, key)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_random_text_is_a_bad_signature(text):
    with contextlib.suppress(BadSignature):
        Signature.parse(text)


def _fields(blob: bytes) -> list[bytes]:
    found, at = [], 0
    while at < len(blob):
        size = struct.unpack(">I", blob[at:at + 4])[0]
        found.append(blob[at + 4:at + 4 + size])
        at += 4 + size
    return found


def _other_encodings(public: str) -> list[bytes]:
    """Blobs of the same key in encodings ssh-keygen never writes, that a lax parser would take."""
    kind, encoded = public.split()[:2]
    fields = _fields(base64.b64decode(encoded))
    if kind.startswith("ecdsa-"):
        point = fields[2]
        half = (len(point) - 1) // 2
        compressed = bytes([2 + (point[-1] & 1)]) + point[1:1 + half]
        return [_string(fields[0]) + _string(fields[1]) + _string(compressed)]
    if kind == "ssh-rsa":
        return [_string(fields[0]) + _string(b"\x00" * pad + fields[1]) + _string(b"\x00" * pad_n + fields[2])
                for pad, pad_n in ((1, 0), (0, 1), (2, 2))]
    return []


@pytest.mark.parametrize("name", ["ecdsa256", "ecdsa384", "ecdsa521", "rsa3072"])
def test_a_key_has_one_encoding_so_one_person_cannot_pass_as_two(ssh_keys, name):
    """The blob is a key's identity in the roster (who signed, and GK917: no key registered twice). The same
    key under another encoding would be a second roster key of a second person, and SSHSIG does not sign
    the key it embeds: one person could sign 初审 and 复核 as two people."""
    public, armoured = ssh_keys[name]
    PublicKey.parse(public)
    for blob in _other_encodings(public):
        with pytest.raises(UnusableKey, match="标准形式"):
            PublicKey.parse(f"{public.split()[0]} {base64.b64encode(blob).decode()}")
        signature = Signature.parse(armoured)
        swapped = dataclasses.replace(signature, public_key=blob)
        with pytest.raises(BadSignature):
            swapped.verify(MESSAGE, PublicKey.parse(public))


# Edwards25519, written out here independently of the module: the field prime, d, the order L of the base point B.
_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P
_L = 2**252 + 27742317777372353535851937790883648493


def _ed_add(a, b):
    (x1, y1), (x2, y2) = a, b
    t = _D * x1 * x2 * y1 * y2 % _P
    return ((x1 * y2 + x2 * y1) * pow(1 + t, _P - 2, _P) % _P, (y1 * y2 + x1 * x2) * pow(1 - t, _P - 2, _P) % _P)


def _ed_mul(point, scalar):
    result = (0, 1)
    while scalar:
        if scalar & 1:
            result = _ed_add(result, point)
        point, scalar = _ed_add(point, point), scalar >> 1
    return result


def _ed_encode(point) -> bytes:
    x, y = point
    return (y | (x & 1) << 255).to_bytes(32, "little")


def _ed_x(y: int, sign: int) -> int:
    xx = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    x = pow(xx, (_P + 3) // 8, _P)
    if x * x % _P != xx:
        x = x * pow(2, (_P - 1) // 4, _P) % _P
    assert x * x % _P == xx
    return _P - x if x & 1 != sign else x


_B = (_ed_x(4 * pow(5, _P - 2, _P) % _P, 0), 4 * pow(5, _P - 2, _P) % _P)
# A point of order 8 (the torsion a key can carry beside its prime-order part) and every small-order point.
_T8 = (_ed_x(2707385501144840649318225287225658788936804267575313519463743609750303402022, 0),
       2707385501144840649318225287225658788936804267575313519463743609750303402022)
_SMALL_ORDER = [_ed_mul(_T8, k) for k in range(8)]


def _ed25519_line(point_bytes: bytes, kind: str = "ssh-ed25519") -> str:
    tail = _string(b"ssh:") if kind.startswith("sk-") else b""
    return f"{kind} {base64.b64encode(_string(kind.encode()) + _string(point_bytes) + tail).decode()}"


def _raw_sign(scalar: int, public: bytes, message: bytes, nonce: int) -> tuple[bytes, int]:
    """An Ed25519 signature by `scalar` claimed for the key `public`, with a chosen nonce; and its k mod 8."""
    big_r = _ed_encode(_ed_mul(_B, nonce))
    k = int.from_bytes(hashlib.sha512(big_r + public + message).digest(), "little") % _L
    return big_r + ((nonce + k * scalar) % _L).to_bytes(32, "little"), k % 8


def test_the_curve_helpers_of_this_test_are_right():
    private = ed25519.Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    scalar = int.from_bytes(hashlib.sha512(seed).digest()[:32], "little") & ~7 & ((1 << 254) - 1) | (1 << 254)
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert _ed_encode(_ed_mul(_B, scalar)) == public
    assert _ed_mul(_T8, 8) == (0, 1) and _ed_mul(_T8, 4) != (0, 1)


@pytest.mark.parametrize("kind", ["ssh-ed25519", "sk-ssh-ed25519@openssh.com"])
@pytest.mark.parametrize("order", range(8))
def test_a_small_order_ed25519_key_is_refused_as_anyone_could_sign_with_it(kind, order):
    """Verification is cofactorless (ours, OpenSSL's and ssh-keygen's alike): under the neutral point
    the signature R = neutral, S = 0 verifies for every message, so whoever put such a key in the
    roster for a colleague could sign as them, undetectably by the roster's readers."""
    point = _ed_encode(_SMALL_ORDER[order])
    if order == 0:
        forged = ed25519.Ed25519PublicKey.from_public_bytes(point)
        forged.verify(point + bytes(32), MESSAGE)  # the forgery the refusal prevents
    for encoding in {point, bytes([*point[:31], point[31] | 0x80])}:  # both x signs (x = 0 has no second one)
        with pytest.raises(UnusableKey, match="伪造"):
            PublicKey.parse(_ed25519_line(encoding, kind))


def test_a_key_with_a_small_order_part_added_is_refused_as_a_second_key_of_one_person():
    """A + T (T of order 8) is another blob, another key for the roster, but the holder of A's private
    key signs for it whenever the nonce gives k ≡ 0 (mod 8): one person, two roster names."""
    private = ed25519.Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    scalar = int.from_bytes(hashlib.sha512(seed).digest()[:32], "little") & ~7 & ((1 << 254) - 1) | (1 << 254)
    mixed = _ed_encode(_ed_add(_ed_mul(_B, scalar), _T8))
    nonce = 1
    while True:
        signature, residue = _raw_sign(scalar, mixed, MESSAGE, nonce)
        if residue == 0:
            break
        nonce += 1
    ed25519.Ed25519PublicKey.from_public_bytes(mixed).verify(signature, MESSAGE)  # the second key works
    with pytest.raises(UnusableKey, match="子群"):
        PublicKey.parse(_ed25519_line(mixed))
    PublicKey.parse(_ed25519_line(_ed_encode(_ed_mul(_B, scalar))))  # the key itself is fine


@settings(max_examples=30, deadline=None)
@given(scalar=st.integers(min_value=1, max_value=_L - 1), torsion=st.integers(min_value=0, max_value=7))
def test_only_prime_order_ed25519_points_are_keys(scalar, torsion):
    point = _ed_add(_ed_mul(_B, scalar), _SMALL_ORDER[torsion])
    if torsion == 0:
        PublicKey.parse(_ed25519_line(_ed_encode(point)))
    else:
        with pytest.raises(UnusableKey):
            PublicKey.parse(_ed25519_line(_ed_encode(point)))


@pytest.mark.parametrize("signed_reserved", [b"", b"x"])
def test_a_signature_with_a_reserved_field_is_refused_as_ssh_keygen_would_not_vouch_for_it(ssh_keys, tmp_path, signed_reserved):
    """The verdict must be ssh-keygen's: a sign-off that `ssh-keygen -Y verify` (which signs and checks the
    reserved field empty) calls bad could be disowned by its signer. Both kinds are refused here."""
    private = ed25519.Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public = _string(b"ssh-ed25519") + _string(raw)
    signed = (b"SSHSIG" + _string(NAMESPACE.encode()) + _string(signed_reserved) + _string(b"sha512")
              + _string(hashlib.sha512(MESSAGE).digest()))
    blob = (b"SSHSIG" + struct.pack(">I", 1) + _string(public) + _string(NAMESPACE.encode()) + _string(b"x")
            + _string(b"sha512") + _string(_string(b"ssh-ed25519") + _string(private.sign(signed))))
    line = f"ssh-ed25519 {base64.b64encode(public).decode()}"
    (tmp_path / "allowed").write_text(f"x {line}\n")
    (tmp_path / "message.sig").write_text(armour(blob))
    verdict = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed"), "-I", "x", "-n", NAMESPACE,
                              "-s", str(tmp_path / "message.sig")], input=MESSAGE, capture_output=True)
    assert (verdict.returncode == 0) == (signed_reserved == b"")  # ssh-keygen ignores the field: it checks it empty
    with pytest.raises(BadSignature, match="SSHSIG"):
        Signature.parse(armour(blob)).verify(MESSAGE, PublicKey.parse(line))


def _openssh_reads(line: str, folder) -> bool:
    (folder / "k.pub").write_text(line + "\n")
    return subprocess.run(["ssh-keygen", "-l", "-f", str(folder / "k.pub")], capture_output=True).returncode == 0


def _curve_point(curve: str, x: int) -> bytes | None:
    """The uncompressed point of `curve` with this x (even y), if there is one: a point nobody holds the key of."""
    p = {"nistp256": 2**256 - 2**224 + 2**192 + 2**96 - 1, "nistp384": 2**384 - 2**128 - 2**96 + 2**32 - 1}[curve]
    b = {"nistp256": 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
         "nistp384": int("B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF", 16)}[curve]
    right = (x**3 - 3 * x + b) % p
    y = pow(right, (p + 1) // 4, p)  # both primes are 3 mod 4
    if y * y % p != right:
        return None
    size = (p.bit_length() + 7) // 8
    return b"\x04" + x.to_bytes(size, "big") + min(y, p - y).to_bytes(size, "big")


@pytest.mark.parametrize("curve", ["nistp256", "nistp384"])
def test_ecdsa_points_openssh_refuses_are_not_roster_keys(curve, tmp_path):
    """OpenSSH takes an ECDSA point only with both coordinates longer than half the order and below it
    (sshkey_ec_validate_public); `cryptography` takes any point of the curve. A roster key ssh-keygen cannot read
    is one whose sign-offs only gongkai would vouch for."""
    order = signatures._ORDERS[curve]
    small = next(point for x in range(1, 200) if (point := _curve_point(curve, x)))
    large = next(point for x in range(order - 1, order + 10_000) if (point := _curve_point(curve, x)))
    kind = f"ecdsa-sha2-{curve}"
    for point in (small, large):
        line = f"{kind} {base64.b64encode(_string(kind.encode()) + _string(curve.encode()) + _string(point)).decode()}"
        assert not _openssh_reads(line, tmp_path)
        with pytest.raises(UnusableKey, match="OpenSSH"):
            PublicKey.parse(line)


@pytest.mark.parametrize("curve", ["nistp256", "nistp384", "nistp521"])
def test_the_curve_orders_are_right(curve):
    """(r, n − s) verifies exactly when n is the order of the curve: the checks above depend on it."""
    private = ec.generate_private_key(signatures._CURVES[curve][0])
    digest = signatures._CURVES[curve][1]
    r, s = decode_dss_signature(private.sign(MESSAGE, ec.ECDSA(digest)))
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    private.public_key().verify(encode_dss_signature(r, signatures._ORDERS[curve] - s), MESSAGE, ec.ECDSA(digest))


def test_a_fido_key_whose_application_holds_a_nul_is_refused(tmp_path):
    raw = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                        serialization.PublicFormat.Raw)
    for application, usable in ((b"ssh:", True), (b"ssh:\0other", False)):
        line = ("sk-ssh-ed25519@openssh.com "
                + base64.b64encode(_string(b"sk-ssh-ed25519@openssh.com") + _string(raw) + _string(application)).decode())
        assert _openssh_reads(line, tmp_path) == usable
        if usable:
            PublicKey.parse(line)
        else:
            with pytest.raises(UnusableKey, match="NUL"):
                PublicKey.parse(line)


@pytest.mark.parametrize("bits", [8200, 16384, 16392, 65536])
def test_rsa_keys_past_8192_bits_are_refused(bits, tmp_path):
    """Past 16,384 bits OpenSSH refuses the key (and OpenSSL every signature under it); at 16,384 each verification
    costs ≈ 1.7 ms, 11 Ed25519 ones: 10,000 items signed twice cost a cold check 33 s. The modulus needs no private key."""
    modulus = (1 << (bits - 1)) | int.from_bytes(hashlib.sha512(str(bits).encode()).digest() * (bits // 512 + 1), "big") \
        % (1 << (bits - 1)) | 1
    line = f"ssh-rsa {base64.b64encode(_string(b'ssh-rsa') + _mpint(65537) + _mpint(modulus)).decode()}"
    assert _openssh_reads(line, tmp_path) == (bits <= 16384)
    with pytest.raises(UnusableKey, match=f"长达 {bits} 位，最多 8192 位") as refused:
        PublicKey.parse(line)
    assert "请重新复制" not in str(refused.value)  # the fix is another key, not another copy


def test_an_rsa_signature_shorter_than_its_modulus_verifies_as_openssh_pads_it():
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    private = rsa.generate_private_key(65537, 2048)
    numbers = private.public_key().public_numbers()
    public = _string(b"ssh-rsa") + _mpint(numbers.e) + _mpint(numbers.n)
    key = PublicKey.parse(f"ssh-rsa {base64.b64encode(public).decode()}")
    for attempt in range(2000):
        message = MESSAGE + str(attempt).encode()
        signed = (b"SSHSIG" + _string(NAMESPACE.encode()) + _string(b"") + _string(b"sha512")
                  + _string(hashlib.sha512(message).digest()))
        raw = private.sign(signed, padding.PKCS1v15(), hashes.SHA512())
        if raw[0] == 0:
            break
    blob = (b"SSHSIG" + struct.pack(">I", 1) + _string(public) + _string(NAMESPACE.encode()) + _string(b"")
            + _string(b"sha512") + _string(_string(b"rsa-sha2-512") + _string(raw[1:])))
    Signature.parse(armour(blob)).verify(message, key)


def test_a_fido_signature_without_a_touch_says_so():
    private = ed25519.Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public = _string(b"sk-ssh-ed25519@openssh.com") + _string(raw) + _string(b"ssh:")
    key = PublicKey.parse("sk-ssh-ed25519@openssh.com " + base64.b64encode(public).decode())
    with pytest.raises(BadSignature, match="触摸"):
        Signature.parse(_sk_signature("sk-ssh-ed25519@openssh.com", private.sign, public, flags=0)).verify(MESSAGE, key)


@pytest.mark.parametrize("change", [
    lambda text: text.replace("-----\n", "-----", 1),  # the base64 on the header's line
    lambda text: text.replace("\n", ""),  # all on one line
    lambda text: text.replace("\n", "\n\u3000", 2),  # a blank that is not ASCII
    lambda text: text.replace("\n", "\n\x1c", 2),  # a separator Python counts as a blank
    lambda text: " " + text,  # a blank before the header
    lambda text: text.replace("\n-----END", "-----END"),  # the footer on the last line of base64
])
def test_armour_is_read_as_ssh_keygen_reads_it(ssh_keys, tmp_path, change):
    public, armoured = ssh_keys["ed25519"]
    changed = change(armoured)
    (tmp_path / "allowed").write_text(f"x {public}")
    (tmp_path / "m.sig").write_text(changed)
    assert subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed"), "-I", "x", "-n", NAMESPACE,
                           "-s", str(tmp_path / "m.sig")], input=MESSAGE, capture_output=True).returncode != 0
    with pytest.raises(BadSignature):
        Signature.parse(changed).verify(MESSAGE, PublicKey.parse(public))


def test_stray_bits_before_the_padding_are_refused(ssh_keys):
    """The same bytes under a second text: base64's last character before `=` carries bits no byte holds.
    ssh-keygen refuses them (OpenBSD's b64_pton); Python's decoder drops them."""
    public, armoured = ssh_keys["ed25519"]
    lines = armoured.strip().splitlines()
    encoded = "".join(lines[1:-1])
    assert encoded.endswith("=")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = len(encoded.rstrip("=")) - 1
    stray = encoded[:last] + alphabet[alphabet.index(encoded[last]) | 1] + encoded[last + 1:]
    assert base64.b64decode(stray) == base64.b64decode(encoded) and stray != encoded
    with pytest.raises(BadSignature, match="Base64"):
        Signature.parse(f"{lines[0]}\n{stray}\n{lines[-1]}\n")
