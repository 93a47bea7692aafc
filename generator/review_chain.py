"""What a reviewer signs, and how one level's sign-off is judged against the roster.

Each level signs a statement that binds the org code, the 索引号, the level, the reviewer's name,
the date, the opinion, the item's digest, and a link to the level below (the hash of its
signature): a chain. A signature therefore cannot be moved to another item, level, person or
text, and re-signing a lower level breaks every level above it. `gongkai review` and
`gongkai check` both judge sign-offs here, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .model import Department, ReviewLevel
from .roster import Reviewer, Roster
from .signature_cache import VerifiedCache
from .signatures import ASCII_BLANKS, BEGIN, END, MAX_ARMOUR, NAMESPACE, BadSignature, Signature, without_blanks
from .values import as_text, shown

STATEMENT_TYPE = "gongkai 保密审查签署 v1"
_quote = json.encoder.encode_basestring  # json's own string quoting (C)
FIRST = "none"  # the link of the lowest level: nothing below it
MISSING_LEVEL = "missing"  # the link above a level that is not there


@dataclass(frozen=True)
class SignedFields:
    """The values of one level's entry that its signature covers."""

    level: str
    reviewer: str
    date: str
    opinion: str
    digest: str


def signed_fields(level: str, raw: dict[str, Any]) -> SignedFields:
    """What the signature of the entry `raw` of `level` covers, as every reader of a review block takes it."""
    return SignedFields(level, as_text(raw.get("reviewer")), as_text(raw.get("date")),
                        as_text(raw.get("opinion")), as_text(raw.get("digest")))


@dataclass(frozen=True)
class ChainedEntry:
    """One level's entry of a review block with what its signature should cover."""

    level: ReviewLevel
    raw: dict[str, Any]
    fields: SignedFields
    message: bytes  # the statement it should have signed, the chain followed
    signature: str  # its signature's text ("" unsigned)


def chained(org_code: str, index_no: str, levels: Iterable[ReviewLevel], review: Mapping[str, Any]) -> Iterator[ChainedEntry]:
    """Each level of `levels` that `review` holds an entry of, lowest first: a missing level breaks the links above it."""
    previous = FIRST
    for level in levels:
        raw = review.get(level.key)
        if not isinstance(raw, dict):
            previous = MISSING_LEVEL
            continue
        fields = signed_fields(level.key, raw)
        message = statement(org_code, index_no, fields, previous)
        signature = raw["signature"] if isinstance(raw.get("signature"), str) else ""
        previous = link(signature, message)
        yield ChainedEntry(level, raw, fields, message, signature)


def statement(org_code: str, index_no: str, fields: SignedFields, previous: str) -> bytes:
    """The exact bytes signed: canonical JSON (keys sorted, no spaces, UTF-8), so no value can spill
    into another. Written out by hand because it runs twice per item on every check; equal to
    `json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`."""
    quote = _quote
    return (
        f'{{"date":{quote(fields.date)},"digest":{quote(fields.digest)},"index_no":{quote(index_no)},'
        f'"level":{quote(fields.level)},"opinion":{quote(fields.opinion)},"org":{quote(org_code)},'
        f'"previous":{quote(previous)},"reviewer":{quote(fields.reviewer)},"type":{quote(STATEMENT_TYPE)}}}'
    ).encode("utf-8", "surrogatepass")  # a lone surrogate from an escape in YAML must not crash the check


def link(signature_text: str, own_statement: bytes) -> str:
    """What the level above binds of this level: its signature (as written, whitespace aside), or,
    unsigned, its statement. Hashing the text needs no parsing, so a cached check never parses."""
    if signature_text:
        return "signature-sha256:" + hashlib.sha256(without_blanks(signature_text).encode("utf-8", "surrogatepass")).hexdigest()
    return "unsigned-sha256:" + hashlib.sha256(own_statement).hexdigest()


def signature_key(signature_text: str) -> bytes:
    """The signature text without the blanks its armour may hold: what the chain and the cache of verifications
    hold. Only ASCII blanks, as the parser, and only between the header and footer lines it requires: a U+3000
    dropped here, or a blank inside `-----BEGIN SSH  SIGNATURE-----`, let a cached verification vouch for a text
    the parser (and ssh-keygen) refuses; nor a text longer than the parser reads at all (MAX_ARMOUR), blanks and all: padded
    with spaces, a signature verified before was taken warm and refused cold."""
    text = signature_text.rstrip(ASCII_BLANKS)
    if len(signature_text) > MAX_ARMOUR or not (text.startswith(BEGIN + "\n") and text.endswith("\n" + END)):
        # refused by the parser: never a readable one's key
        return b"\0unreadable\0" + signature_text.encode("utf-8", "surrogatepass")
    return without_blanks(text).encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Finding:
    """Why a sign-off does not hold: `kind` selects the rule, `message` is Chinese."""

    kind: str  # unknown | level | department | key | period | invalid | unsigned
    message: str
    severity_override: str | None = None  # WARNING for an unsigned sign-off before signatures_required_from


def _rights(roster: Roster, person: Reviewer, level: str, department: Department | None, day: dt.date | None) -> list[Finding]:
    """Whether a role the person held on `day` covers the level and, with it, the department."""
    roles = person.roles_on(day)
    level_name = roster.level_name(level)
    dated = any(role.dated for role in person.roles)
    when = f"在 {day} " if dated and day is not None else ""
    findings = []
    with_level = [role for role in roles if level in role.levels]
    if not with_level:
        held = {key for role in roles for key in role.levels}
        allowed = "、".join(roster.level_name(key) for key in roster.level_keys if key in held) or "无"
        on_day = "该日" if when else ""
        findings.append(Finding("level", f"{person.name} {when}未获授权签署{level_name}（名册中{on_day}可签署：{allowed}）："
                                         f"请由有{level_name}权限的审查人签署，或由办公室在名册中调整其 "
                                         f"{'roles' if dated else 'levels'}"))
    if department is not None and not any(role.may_review(department) for role in with_level or roles):
        findings.append(Finding("department", f"{person.name} {when}未获授权审查“{department.name}”的信息"
                                              f"{'（签署' + level_name + '）' if dated and with_level else ''}："
                                              "请由负责该部门的审查人签署，或由办公室在名册中调整其 "
                                              f"{'roles' if dated else 'departments'}"))
    return findings


def judge(roster: Roster, department: Department | None, fields: SignedFields, day: dt.date | None,
          signature_text: str, message: bytes, cache: VerifiedCache | None = None, members_only: bool = False,
          published: dt.date | None = None) -> tuple[Reviewer | None, list[Finding]]:
    """(the roster person the entry names, what is wrong with it) for one level's sign-off.

    `message` is the statement the entry should have signed; `members_only` says the item is 党内.
    `published` is the item's publication date: an unsigned sign-off is left over from before
    `signatures_required_from` (a warning) only when the item was published before that day too, or
    anyone could publish a new item today under hand-written, back-dated sign-offs.
    `cache` holds earlier successful
    verifications of the same statement, signature and key; it is asked only once the key, its
    owner and its period are found right.
    """
    findings: list[Finding] = []
    person = roster.person(fields.reviewer)
    level_name = roster.level_name(fields.level)
    if person is None:
        close = roster.closest(fields.reviewer)
        hint = f"；是否想写“{close}”？" if close else ""
        findings.append(Finding("unknown", f"审查人“{shown(fields.reviewer)}”不在 catalog.yml 的审查人名册（reviewers）中{hint}"
                                           "：只有名册中的人才能签署审查；新审查人须先由办公室登记其姓名、部门、级别和公钥"))
    else:
        findings.extend(_rights(roster, person, fields.level, department, day))
        if members_only and roster.party_restricted and not person.party:
            findings.append(Finding("department", f"{person.name} 未获授权审查仅向党员公开的党内信息：请由名册中写了 "
                                                  "party: true 的审查人签署，或由办公室在名册中为其写 party: true"))
    if signature_text and person is not None and day is not None and cache is not None and any(
            cache.hit(message, signature_key(signature_text), key.key) for key in person.keys_on(day)):
        return person, findings  # verified before: this statement, this signature, a key of this person valid that day
    if not signature_text:
        severity = roster.signature_needed(max(day, published) if day is not None and published is not None else day)
        if severity is not None:
            since = f"（{roster.required_from} 起发布的条目）" if roster.required_from else ""
            findings.append(Finding("unsigned", f"{level_name}记录没有签名，而 catalog.yml 要求审查必须签名{since}："
                                                f"请{level_name}人用 `gongkai review --key 私钥文件` 重新签署", severity))
        return person, findings
    try:
        signature = Signature.parse(signature_text)
    except BadSignature as exc:
        findings.append(Finding("invalid", f"{level_name}签名无法读取：{exc}；请{level_name}人用 `gongkai review` 重新签署"))
        return person, findings
    owner = roster.key_owner(signature.public_key)
    if owner is None:
        findings.append(Finding("key", f"{level_name}签名所用的密钥（{signature.signer_fingerprint}）不在审查人名册中："
                                       "签名人须用名册登记的本人密钥签署"))
        return person, findings
    holder, key = owner
    if person is not None and holder.ident != person.ident:
        findings.append(Finding("key", f"{level_name}记录写的审查人是“{shown(fields.reviewer)}”，签名却是用“{holder.name}”的密钥"
                                       f"（{key.key.fingerprint}）做的：每人只能用自己的密钥签署"))
        return person, findings
    if day is None:
        return person, findings  # the date itself is reported as incomplete
    if not key.valid_on(day):
        if key.valid_from is not None and day < key.valid_from:  # a new key, used for a review dated before it
            why = (f"该密钥 {key.valid_from} 起才启用，不能签署此前日期的审查；请{holder.name}用名册中在 {day} 有效的"
                   "本人密钥签署，或按实际签署日期签署")
        else:
            why = f"密钥停用后不能再签署；请{holder.name}用名册中现行有效的密钥重新签署"
        findings.append(Finding("period", f"{level_name}签名日期 {day} 不在该密钥的有效期（{key.period()}）内：{why}"))
        return person, findings
    try:
        signature.verify(message, key.key, NAMESPACE)
    except BadSignature as exc:
        below = "" if fields.level == roster.level_keys[0] else "、下一级的签名（例如下一级在本级签署之后又重新签署过）"
        findings.append(Finding("invalid", f"{level_name}签名无效：{exc}。签名之后本级记录{below}或条目内容被改动过，"
                                           f"或签名复制自别的条目或级别；请{level_name}人重新审阅后用 `gongkai review` 重新签署"))
        return person, findings
    if cache is not None:
        cache.add(message, signature_key(signature_text), key.key)
    return person, findings
