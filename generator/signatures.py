"""OpenSSH public keys and SSHSIG signatures, verified in process with `cryptography`.

SSHSIG is what `ssh-keygen -Y sign` writes (OpenSSH's PROTOCOL.sshsig): an armoured blob that
holds the signer's public key, a namespace, the hash algorithm and the signature over
"SSHSIG" ‖ namespace ‖ reserved ‖ hash algorithm ‖ H(message). We parse it ourselves because
the `sshsig` package knows only Ed25519 and RSA, and the roster also admits ECDSA and the
hardware-backed (FIDO) key types. Nothing here ever touches a private key.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature as _CryptoInvalid
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

NAMESPACE = "gongkai-review"
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
MIN_RSA_BITS = 2048
# OpenSSH refuses a modulus past 16,384 bits (a roster key no signature could ever verify under); one of 16,384 bits
# costs ≈ 1.7 ms a verification, 11 Ed25519 ones: 10,000 items signed twice cost a cold check 33 s. 8,192 bits
# (≈ 0.3 ms, less than ECDSA P-521's 0.7) is the largest key this roster takes.
MAX_RSA_BITS = 8192
# ssh-keygen writes 65537 (old keys 35 or 37); a public exponent as long as the modulus makes each verification cost
# ≈ 14 ms instead of 0.05 (a 3,072-bit one: a roster key that turns a cold check of 20,000 sign-offs into minutes).
MAX_RSA_EXPONENT_BITS = 32
MAX_ARMOUR = 16_384  # an RSA-8192 signature is ≈ 2.3 kB armoured; anything larger is not ours
# The blanks OpenSSH's base64 reader skips (C's isspace): a signature with any other character in its armour is
# one `ssh-keygen -Y verify` refuses.
ASCII_BLANKS = " \t\n\r\x0b\x0c"
_DROP_BLANKS = str.maketrans("", "", ASCII_BLANKS)
_ARMOUR_BODY = re.compile(r"[A-Za-z0-9+/=\t\n\r\x0b\x0c ]*")

_CURVES: dict[str, tuple[ec.EllipticCurve, hashes.HashAlgorithm]] = {
    "nistp256": (ec.SECP256R1(), hashes.SHA256()),
    "nistp384": (ec.SECP384R1(), hashes.SHA384()),
    "nistp521": (ec.SECP521R1(), hashes.SHA512()),
}
KEY_TYPES = (
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
_SK_USER_PRESENT = 0x01
_ORDERS = {  # the order of each curve's base point, for OpenSSH's checks of a public point
    "nistp256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "nistp384": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16),
    "nistp521": int("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D"
                    "03BB5C9B8899C47AEBB6FB71E91386409", 16),
}


class UnusableKey(ValueError):
    """A public key that cannot be used; the message is Chinese, for the roster's editor."""


class BadSignature(ValueError):
    """A signature that is malformed or does not verify; the message is Chinese."""


class _Reader:
    """SSH wire format: uint32 lengths and strings, with bounds checked."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def string(self) -> bytes:
        if self.pos + 4 > len(self.data):
            raise ValueError("truncated")
        (length,) = struct.unpack_from(">I", self.data, self.pos)
        start = self.pos + 4
        if start + length > len(self.data):
            raise ValueError("truncated")
        self.pos = start + length
        return self.data[start:self.pos]

    def uint32(self) -> int:
        if self.pos + 4 > len(self.data):
            raise ValueError("truncated")
        (value,) = struct.unpack_from(">I", self.data, self.pos)
        self.pos += 4
        return value

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise ValueError("truncated")
        self.pos += 1
        return self.data[self.pos - 1]

    def mpint(self) -> int:
        raw = self.string()
        if raw[:1] and raw[0] & 0x80:
            raise ValueError("negative")
        return int.from_bytes(raw, "big")

    def done(self) -> bool:
        return self.pos == len(self.data)


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


@dataclass(frozen=True)
class PublicKey:
    """A roster key: its type, its wire blob (what SSHSIG embeds) and a verifier."""

    kind: str
    blob: bytes
    bits: int
    _verify: Callable[[bytes, bytes], None]  # (signature blob, signed data) → raises on failure
    # The key itself, whatever type names it: the holder of an Ed25519 or ECDSA private key can also make
    # the signatures of the FIDO (`sk-…`) type of the same key, so the two types are one key.
    material: bytes = b""

    @property
    def fingerprint(self) -> str:
        """SHA256:… as `ssh-keygen -l` prints it."""
        return "SHA256:" + base64.b64encode(hashlib.sha256(self.blob).digest()).decode().rstrip("=")

    @property
    def openssh(self) -> str:
        return f"{self.kind} {base64.b64encode(self.blob).decode()}"

    @classmethod
    def parse(cls, line: str) -> PublicKey:
        """A key in OpenSSH's one-line form (`type base64 [comment]`); raises UnusableKey."""
        parts = line.split(maxsplit=2)
        if len(parts) < 2:
            raise UnusableKey("不是 OpenSSH 公钥格式：应为一行“类型 Base64 [备注]”，即 .pub 文件的内容")
        kind, encoded = parts[0], parts[1]
        if kind not in KEY_TYPES:
            raise UnusableKey(f"不支持的密钥类型 {kind[:40]}：只能用 {'、'.join(KEY_TYPES)}")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise UnusableKey("公钥的 Base64 部分已损坏：请重新复制 .pub 文件的整行内容") from None
        try:
            return cls.from_blob(blob, expected=kind)
        except (ValueError, TypeError) as exc:
            message = str(exc) if isinstance(exc, UnusableKey) else "公钥数据无法解析"
            hint = "" if "请" in message else "：请重新复制 .pub 文件的整行内容"  # unless the message names its own fix
            raise UnusableKey(f"{message}{hint}") from None

    @classmethod
    def from_blob(cls, blob: bytes, expected: str | None = None) -> PublicKey:
        """The key of an OpenSSH wire blob, which must be the one encoding ssh-keygen writes: the blob is
        the key's identity (roster lookups, the check that no key is registered twice), and a second
        encoding of the same key (a compressed ECDSA point, an RSA number with leading zero bytes)
        would let one person's key pass as another person's."""
        reader = _Reader(blob)
        kind = reader.string().decode("ascii", "replace")
        if expected is not None and kind != expected:
            raise UnusableKey(f"公钥开头写的类型是 {expected}，数据里却是 {kind[:40]}")
        if kind in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
            raw = reader.string()
            key = ed25519.Ed25519PublicKey.from_public_bytes(raw)
            _prime_order_point(raw)
            _canonical(raw, key.public_bytes(Encoding.Raw, PublicFormat.Raw))
            sk = kind.startswith("sk-")
            application = _application(reader) if sk else b""
            _finish(reader)
            verify = _sk_ed25519(key, application) if sk else _ed25519(key, kind)
            return cls(kind, blob, 256, verify, b"ed25519:" + raw)
        if kind.startswith(("ecdsa-sha2-", "sk-ecdsa-sha2-")):
            curve_name = reader.string().decode("ascii", "replace")
            if curve_name not in _CURVES or not kind.replace("@openssh.com", "").endswith(curve_name):
                raise UnusableKey(f"ECDSA 公钥的曲线 {curve_name[:20]} 与类型 {kind} 不符")
            curve, digest = _CURVES[curve_name]
            encoded = reader.string()
            point = ec.EllipticCurvePublicKey.from_encoded_point(curve, encoded)
            _canonical(encoded, point.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))
            _valid_point(point, curve_name)
            sk = kind.startswith("sk-")
            application = _application(reader) if sk else b""
            _finish(reader)
            verify = _sk_ecdsa(point, application) if sk else _ecdsa(point, digest, kind)
            return cls(kind, blob, curve.key_size, verify, curve_name.encode() + b":" + encoded)
        if kind == "ssh-rsa":
            exponent, modulus = reader.mpint(), reader.mpint()
            _finish(reader)
            _canonical(blob, _string(kind.encode()) + _mpint(exponent) + _mpint(modulus))
            if exponent.bit_length() > MAX_RSA_EXPONENT_BITS:
                raise UnusableKey(f"RSA 公钥的公开指数长达 {exponent.bit_length()} 位（ssh-keygen 生成的是 65537），"
                                  "这样的密钥会让每次验签慢几百倍：请重新生成密钥（建议用 ed25519）")
            public = rsa.RSAPublicNumbers(exponent, modulus).public_key()
            if public.key_size < MIN_RSA_BITS:
                raise UnusableKey(f"RSA 公钥只有 {public.key_size} 位，至少需要 {MIN_RSA_BITS} 位（建议改用 ed25519）")
            if public.key_size > MAX_RSA_BITS:
                raise UnusableKey(f"RSA 公钥长达 {public.key_size} 位，最多 {MAX_RSA_BITS} 位（OpenSSH 不接受 16384 位以上的密钥，"
                                  "更长的密钥每次验签要慢几十倍）：请改用 `ssh-keygen -t ed25519` 生成的密钥")
            # The modulus is the key: whoever can factor it signs under any exponent, so (e, n) and (e', n)
            # registered for two names would be one person's two roster keys.
            return cls(kind, blob, public.key_size, _rsa(public), b"rsa:" + _mpint(modulus))
        raise UnusableKey(f"不支持的密钥类型 {kind[:40]}")


# Edwards25519 (RFC 8032 §5.1): the field prime, the curve constant d, the order L of the base point.
_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P
_L = 2**252 + 27742317777372353535851937790883648493
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _prime_order_point(raw: bytes) -> None:
    """Refuse an Ed25519 key that is not a point of the prime-order subgroup, other than the neutral
    point, in its one encoding. Verification (ours and OpenSSH's) is cofactorless: with a key of
    small order anyone can make a signature that verifies (R the neutral point, S = 0), and a key
    with a small-order part added is a second key of the same private key, signing whenever the
    signer draws a nonce whose hash is a multiple of 8. ssh-keygen never writes either."""
    if not _of_prime_order(raw):
        raise UnusableKey("这不是 ssh-keygen 生成的 Ed25519 公钥（是阶很小的特殊点，或不在素数阶子群中：任何人都能用它伪造签名，"
                          "或同一把私钥能以它冒充另一把密钥）")


@functools.lru_cache(maxsize=1024)  # 1.8 ms a key, and every command loads the roster's keys
def _of_prime_order(raw: bytes) -> bool:
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    x = _recover_x(y, raw[31] >> 7) if len(raw) == 32 and y < _P else None
    point = (x, y, 1, x * y % _P) if x is not None else None
    return point is not None and not (x == 0 and y == 1) and _is_neutral(_multiply(point, _L))


def _recover_x(y: int, sign: int) -> int | None:
    """The x of the point with this y and sign bit (RFC 8032 §5.1.3), None when there is none."""
    u, v = (y * y - 1) % _P, (_D * y * y + 1) % _P
    x = u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P) % _P
    if v * x * x % _P == (-u) % _P:
        x = x * _SQRT_M1 % _P
    if v * x * x % _P != u or (x == 0 and sign):
        return None
    return _P - x if x & 1 != sign else x


_Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z


def _add(a: _Point, b: _Point) -> _Point:
    """RFC 8032 §5.1.4's complete addition, which also doubles."""
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    p, q = (y1 - x1) * (y2 - x2) % _P, (y1 + x1) * (y2 + x2) % _P
    r, s = t1 * 2 * _D * t2 % _P, z1 * 2 * z2 % _P
    e, f, g, h = q - p, s - r, s + r, q + p
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _multiply(point: _Point, scalar: int) -> _Point:
    result: _Point = (0, 1, 1, 0)
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _is_neutral(point: _Point) -> bool:
    x, y, z, _ = point
    return x % _P == 0 and (y - z) % _P == 0


def _application(reader: _Reader) -> bytes:
    """A FIDO key's application (`ssh:`), which OpenSSH reads as a C string: a NUL in it makes a key ssh-keygen refuses."""
    application = reader.string()
    if b"\0" in application:
        raise UnusableKey("硬件密钥的 application 中有空字符（NUL），ssh-keygen 不接受这样的公钥")
    return application


def _valid_point(point: ec.EllipticCurvePublicKey, curve_name: str) -> None:
    """OpenSSH's checks of an ECDSA public point (sshkey_ec_validate_public): each coordinate longer than half
    the order and below the order minus one. `cryptography` takes such points; ssh-keygen refuses the key."""
    numbers, order = point.public_numbers(), _ORDERS[curve_name]
    half = order.bit_length() // 2
    if not all(half < value.bit_length() and value < order - 1 for value in (numbers.x, numbers.y)):
        raise UnusableKey("ECDSA 公钥的点不符合 OpenSSH 的要求（坐标过小或过大），ssh-keygen 不接受这把公钥")


def _canonical(given: bytes, canonical: bytes) -> None:
    if given != canonical:
        raise UnusableKey("公钥数据的编码不是 ssh-keygen 写出的标准形式（同一把密钥换一种编码会被当成另一把）")


def _mpint(value: int) -> bytes:
    """An SSH mpint of a non-negative number: minimal big-endian, a zero byte before a high bit."""
    raw = value.to_bytes((value.bit_length() + 8) // 8, "big") if value else b""
    return _string(raw)


def _finish(reader: _Reader) -> None:
    if not reader.done():
        raise ValueError("trailing data")


def _ed25519(key: ed25519.Ed25519PublicKey, kind: str) -> Callable[[bytes, bytes], None]:
    def verify(signature: bytes, data: bytes) -> None:
        reader = _Reader(signature)
        if reader.string() != kind.encode():
            raise ValueError("algorithm")
        raw = reader.string()
        _finish(reader)
        key.verify(raw, data)
    return verify


def _ecdsa(key: ec.EllipticCurvePublicKey, digest: hashes.HashAlgorithm, kind: str) -> Callable[[bytes, bytes], None]:
    def verify(signature: bytes, data: bytes) -> None:
        reader = _Reader(signature)
        if reader.string() != kind.encode():
            raise ValueError("algorithm")
        key.verify(_dss(reader.string()), data, ec.ECDSA(digest))
        _finish(reader)
    return verify


def _dss(blob: bytes) -> bytes:
    inner = _Reader(blob)
    r, s = inner.mpint(), inner.mpint()
    _finish(inner)
    return encode_dss_signature(r, s)


def _sk_message(application: bytes, flags: int, counter: int, data: bytes) -> bytes:
    # FIDO authenticators sign H(application) ‖ flags ‖ counter ‖ H(data) (PROTOCOL.u2f).
    return hashlib.sha256(application).digest() + bytes([flags]) + struct.pack(">I", counter) + hashlib.sha256(data).digest()


def _touched(flags: int) -> None:
    """A sign-off by a FIDO key must have been confirmed by a touch. `ssh-keygen -Y verify` takes a signature without
    it (a key made with `-O no-touch-required`); gongkai does not: software on the reviewer's computer could sign
    with a plugged-in key unseen."""
    if not flags & _SK_USER_PRESENT:
        raise BadSignature("硬件密钥签名时没有触摸确认（用 -O no-touch-required 生成的密钥不能用于审查签名）："
                           "请用需要触摸确认的硬件密钥重新签署")


def _sk_ed25519(key: ed25519.Ed25519PublicKey, application: bytes) -> Callable[[bytes, bytes], None]:
    def verify(signature: bytes, data: bytes) -> None:
        reader = _Reader(signature)
        if reader.string() != b"sk-ssh-ed25519@openssh.com":
            raise ValueError("algorithm")
        raw = reader.string()
        flags, counter = reader.byte(), reader.uint32()
        _finish(reader)
        _touched(flags)
        key.verify(raw, _sk_message(application, flags, counter, data))
    return verify


def _sk_ecdsa(key: ec.EllipticCurvePublicKey, application: bytes) -> Callable[[bytes, bytes], None]:
    def verify(signature: bytes, data: bytes) -> None:
        reader = _Reader(signature)
        if reader.string() != b"sk-ecdsa-sha2-nistp256@openssh.com":
            raise ValueError("algorithm")
        dss = _dss(reader.string())
        flags, counter = reader.byte(), reader.uint32()
        _finish(reader)
        _touched(flags)
        key.verify(dss, _sk_message(application, flags, counter, data), ec.ECDSA(hashes.SHA256()))
    return verify


def _rsa(key: rsa.RSAPublicKey) -> Callable[[bytes, bytes], None]:
    algorithms: dict[bytes, hashes.HashAlgorithm] = {b"rsa-sha2-256": hashes.SHA256(), b"rsa-sha2-512": hashes.SHA512()}

    def verify(signature: bytes, data: bytes) -> None:
        reader = _Reader(signature)
        algorithm = algorithms.get(reader.string())  # plain ssh-rsa (SHA-1) is refused, as by OpenSSH
        if algorithm is None:
            raise ValueError("algorithm")
        raw = reader.string()
        _finish(reader)
        size = (key.key_size + 7) // 8
        if len(raw) < size:  # as OpenSSH does: a signature whose number is shorter than the modulus, padded
            raw = bytes(size - len(raw)) + raw
        key.verify(raw, data, padding.PKCS1v15(), algorithm)
    return verify


def without_blanks(text: str) -> str:
    """`text` without the blanks the armour's reader skips (ASCII ones only): what the chain and the cache of
    verifications hold of a signature, so that a text they know is one this module reads alike."""
    return text.translate(_DROP_BLANKS)


@dataclass(frozen=True)
class Signature:
    """A parsed SSHSIG blob."""

    blob: bytes  # the whole decoded blob
    public_key: bytes  # the signer's key blob, as embedded
    namespace: bytes
    reserved: bytes
    hash_algorithm: str
    signature: bytes

    @classmethod
    def parse(cls, armoured: str) -> Signature:
        """The armoured text of `ssh-keygen -Y sign`; raises BadSignature."""
        if not isinstance(armoured, str) or len(armoured) > MAX_ARMOUR:
            raise BadSignature("签名不是 `ssh-keygen -Y sign` 生成的文字")
        # Read as `ssh-keygen -Y verify` reads it (sshsig_dearmor): the first line the header alone, the last the
        # footer, base64 between them with only ASCII blanks, in its one encoding (padded, no stray bits). Blanks
        # after the footer are the YAML block's.
        text = armoured.rstrip(ASCII_BLANKS)
        if not text.startswith(BEGIN + "\n") or not text.endswith("\n" + END):
            raise BadSignature(f"签名应以单独一行 {BEGIN} 开头、以单独一行 {END} 结尾")
        body = text[len(BEGIN) + 1:-len(END) - 1]
        compact = without_blanks(body)
        try:
            if not _ARMOUR_BODY.fullmatch(body):
                raise ValueError("not base64")
            blob = binascii.a2b_base64(compact, strict_mode=True)
            if base64.b64encode(blob).decode("ascii") != compact:
                raise ValueError("not the one encoding")
        except (binascii.Error, ValueError):
            raise BadSignature("签名的 Base64 数据已损坏") from None
        try:
            if blob[:6] != b"SSHSIG":
                raise ValueError("magic")
            reader = _Reader(blob[6:])
            if reader.uint32() > 1:  # ssh-keygen writes 1 and takes any version up to it
                raise ValueError("version")
            parsed = cls(blob, reader.string(), reader.string(), reader.string(),
                         reader.string().decode("ascii", "replace"), reader.string())
            _finish(reader)
        except ValueError:
            raise BadSignature("签名数据不完整或不是 SSHSIG 格式") from None
        # ssh-keygen writes it empty and verifies as if it were: a signature over anything else is one
        # that gongkai would accept and `ssh-keygen -Y verify` refuse, so its signer could disown it.
        if parsed.reserved:
            raise BadSignature("签名的 SSHSIG 保留字段不是空的：这不是 `ssh-keygen -Y sign` 生成的签名，ssh-keygen 也不会认可它")
        return parsed

    @property
    def signer_fingerprint(self) -> str:
        return "SHA256:" + base64.b64encode(hashlib.sha256(self.public_key).digest()).decode().rstrip("=")

    def signed_data(self, message: bytes) -> bytes:
        if self.hash_algorithm == "sha512":
            hashed = hashlib.sha512(message).digest()
        elif self.hash_algorithm == "sha256":
            hashed = hashlib.sha256(message).digest()
        else:
            raise BadSignature(f"签名使用了不支持的摘要算法 {self.hash_algorithm[:20]}")
        return (b"SSHSIG" + _string(self.namespace) + _string(self.reserved)
                + _string(self.hash_algorithm.encode()) + _string(hashed))

    def verify(self, message: bytes, key: PublicKey, namespace: str = NAMESPACE) -> None:
        """Raises BadSignature unless `key` signed `message` in `namespace`."""
        if self.public_key != key.blob:
            raise BadSignature("签名所用的密钥不是这把公钥")
        if self.namespace != namespace.encode():
            raise BadSignature(f"签名的用途（namespace）是 {self.namespace[:40]!r}，不是 {namespace}")
        data = self.signed_data(message)
        try:
            key._verify(self.signature, data)
        except BadSignature:
            raise
        except (_CryptoInvalid, ValueError, TypeError, OverflowError):
            raise BadSignature("签名与所签内容不符（内容、审查级别、审查人、日期、意见或上一级签名被改动过，或签名取自别处）") from None
