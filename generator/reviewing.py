"""`gongkai review`: sign one level of the 保密审查 into an item, touching nothing else.

The reviewer must be in the roster, authorised for the level and the item's department, and sign
with a key the roster gives them on that date (checked on the signature ssh-keygen returns, before
anything is written). Signing a level removes every level above it: their signatures covered this
level's old one. The review block is replaced in place (`front_matter_edit`); every byte outside it
(line endings, BOM, comments, key order) stays as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import digest, ssh_signing
from .front_matter_edit import EditRefused, replace_entry
from .items import to_item
from .loading import SourceDocument, parse_document
from .model import APPROVE, AUDIENCE_PARTY, OPINIONS, REFUSE, Catalog
from .problems import printable
from .review_chain import FIRST, SignedFields, chained, judge, link, statement
from .roster import Reviewer, Roster
from .rules import WARNING
from .signatures import BadSignature, Signature
from .values import as_mapping, as_text, parse_date
from .writer import READ_ONLY, FileChanged, ReadOnlyFile, not_written, write_whole

_PLAIN_SAFE = re.compile(r"^[^\s:#{}\[\],&*!|>'\"%@`?-][^:#{}\[\],]*$")
_YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "~"}
CHANGED_MEANWHILE = ("文件在审查签名期间被修改（编辑器保存或其他人改动），为不覆盖这些修改，没有写入审查记录："
                     "签名针对的是修改前的内容，请保存并核对文件后重新执行 gongkai review")


class ReviewRefused(Exception):
    """The sign-off cannot be written; the message is for the reviewer (Chinese)."""


@dataclass(frozen=True)
class SignOff:
    level: str
    reviewer: str
    date: dt.date
    opinion: str
    key: Path | None = None  # the private key file for ssh-keygen; None: git's user.signingkey or ssh-agent
    digest: str | None = None  # the content's digest as the reviewer read it (--digest): anything else is refused


@dataclass
class Signed:
    """What `sign` wrote, for the command's message."""

    level_name: str
    reviewer: str  # as the roster spells it
    digest: str
    fingerprint: str = ""  # of the signing key; empty when unsigned (signatures: optional)
    removed: list[str] = field(default_factory=list)  # names of the levels above, taken out


def sign(file: Path, sign_off: SignOff, catalog: Catalog, attachments_dir: Path, rel_path: str) -> Signed:
    """Write the sign-off into `file`. Raises ReviewRefused, leaving the file untouched."""
    roster = catalog.roster or Roster()
    level = roster.level(sign_off.level)
    if level is None:
        raise ReviewRefused(f"--level 只能是 {'、'.join(f'{lv.key}（{lv.name}）' for lv in roster.levels)}")
    if sign_off.opinion not in OPINIONS:
        raise ReviewRefused(f"--opinion 只能是 {' 或 '.join(OPINIONS)}")
    data = file.read_bytes()
    document, problems = parse_document(data, rel_path)
    if document is None or any(p.is_error for p in problems):
        first = problems[0] if problems else None
        where = f"（第 {first.line} 行：{first.message}）" if first else ""
        raise ReviewRefused(f"文件无法解析，不能写入审查记录{where}；请先修正后再审查")
    person = _person(roster, sign_off.reviewer)
    department = catalog.department(as_text(document.meta.get("department")))
    members_only = to_item(document, catalog).audience == AUDIENCE_PARTY
    current = digest.compute(document.meta, document.body, attachments_dir, catalog)
    _check_pin(sign_off.digest, current, rel_path)
    review = as_mapping(document.meta.get("review"))
    index = roster.level_keys.index(level.key)
    below = list(roster.levels[:index])
    previous = _check_below(roster, catalog, document, review, below, person, sign_off, current, members_only)
    written = parse_date(document.meta.get("written"))
    if written is not None and sign_off.date < written:
        raise ReviewRefused(f"{roster.level_name(level.key)}日期 {sign_off.date} 早于成文日期（written） {written}："
                            "审查的是成文后的文件；请核对成文日期，或用实际的签署日期（--date）")

    fields = SignedFields(level.key, person.name, sign_off.date.isoformat(), sign_off.opinion, current)
    message = statement(catalog.org_code, as_text(document.meta.get("index_no")), fields, previous)
    _, findings = judge(roster, department, fields, sign_off.date, "", message, members_only=members_only)
    refusals = [finding for finding in findings if finding.kind != "unsigned"]
    if refusals:  # before ssh-keygen asks for a passphrase
        raise ReviewRefused(refusals[0].message)
    signature, fingerprint = _signature(roster, person, sign_off, message, file.parent)
    _, findings = judge(roster, department, fields, sign_off.date, signature, message, members_only=members_only)
    if findings:
        raise ReviewRefused(findings[0].message)

    entries = {lv.key: dict(as_mapping(review.get(lv.key))) for lv in below}
    entries[level.key] = {"reviewer": person.name, "date": sign_off.date.isoformat(), "opinion": sign_off.opinion,
                          "digest": current, **({"signature": signature} if signature else {})}
    removed = [lv.name for lv in roster.levels[index + 1:] if lv.key in review]
    block = ["review:"] + [line for key, entry in entries.items() for line in entry_lines(key, entry)]
    _write(file, data, document, block, rel_path)
    return Signed(level.name, person.name, current, fingerprint, removed)


def _check_pin(expected: str | None, current: str, rel_path: str) -> None:
    """Refuse to sign content other than what the reviewer read (its digest as shown to them)."""
    if expected is None:
        return
    verdict = digest.pinned(expected, current)
    if verdict is None:
        raise ReviewRefused(f"--digest 应为 gongkai queue、gongkai diff 或预览页显示的内容摘要（sha256: 后至少 "
                            f"{digest.SHOWN_HEX} 位十六进制数字），现在是“{printable(expected[:80])}”")
    if not verdict:
        raise ReviewRefused(f"内容在您核对之后已有改动：您核对的摘要是 {printable(expected.strip()[:80])}，当前是 "
                            f"{digest.shown(current)}；请运行 `gongkai diff {rel_path}` 查看改动，重新核对后再签署")


def _person(roster: Roster, name: str) -> Reviewer:
    name = name.strip()
    if not name:
        raise ReviewRefused("--reviewer 不能为空：请填写审查人姓名（与 catalog.yml 审查人名册中的一致）")
    person = roster.person(name)
    if person is None:
        close = roster.closest(name)
        hint = f"是否想写“{close}”？" if close else "新审查人须先由办公室在 catalog.yml 的 reviewers 中登记姓名、部门、级别和公钥"
        raise ReviewRefused(f"“{name}”不在审查人名册中：{hint}")
    return person


def _check_below(roster: Roster, catalog: Catalog, document: SourceDocument, review: dict[str, Any], below: list,
                 person: Reviewer, sign_off: SignOff, current: str, members_only: bool) -> str:
    """Refuse what `gongkai check` would reject about the levels below (judged as it judges them: a 党内 item's by
    the roster's `party` marks too); the link to the one just below."""
    name = roster.level_name(sign_off.level)
    entries = {entry.level.key: entry for entry in chained(catalog.org_code, as_text(document.meta.get("index_no")), below, review)}
    previous = FIRST
    for lower in below:
        entry = entries.get(lower.key)
        if entry is None or not entry.raw:
            raise ReviewRefused(f"尚无{lower.name}记录：请先由{lower.name}人执行 `gongkai review --level {lower.key}`，再签署{name}")
        day = parse_date(entry.raw.get("date"))
        if day is None:  # an entry without a date that reads is never verified (`judge`): a copied signature passed
            raise ReviewRefused(f"{lower.name}记录的日期无法读取：请{lower.name}人用 `gongkai review` 重新签署，再签署{name}")
        lower_person, findings = judge(roster, catalog.department(as_text(document.meta.get("department"))), entry.fields,
                                       day, entry.signature, entry.message, members_only=members_only,
                                       published=parse_date(document.meta.get("published")))
        errors = [finding for finding in findings if finding.severity_override != WARNING]
        if errors:
            raise ReviewRefused(f"{lower.name}记录有问题，不能在其上签署{name}：{errors[0].message}")
        if lower_person is not None and lower_person.ident == person.ident:
            raise ReviewRefused(f"{person.name} 已是本条目的{lower.name}人：各级审查必须由不同的人进行（四眼原则）")
        if entry.fields.digest != current:
            raise ReviewRefused(f"内容在{lower.name}之后被修改过（运行 `gongkai diff {document.path}` 查看）："
                                f"请{lower.name}人先对当前内容重新签署，再签署{name}")
        if sign_off.date < day:
            raise ReviewRefused(f"{name}日期 {sign_off.date} 早于{lower.name}日期 {day}：请用实际的签署日期（--date）")
        if entry.fields.opinion == REFUSE and sign_off.opinion == APPROVE:
            raise ReviewRefused(f"{lower.name}意见是“{REFUSE}”，{name}不能签署“{APPROVE}”：下一级不同意公开时上一级不能改判；"
                                f"可签署 --opinion {REFUSE}，或修改内容后从{roster.levels[0].name}起重新送审")
        previous = link(entry.signature, entry.message)
    return previous


def _signature(roster: Roster, person: Reviewer, sign_off: SignOff, message: bytes, cwd: Path) -> tuple[str, str]:
    """(armoured signature, key fingerprint), refusing a key the roster does not give this person today."""
    valid = person.keys_on(sign_off.date)
    key_file, agent_key = sign_off.key, None
    if key_file is None:
        key_file, agent_key = ssh_signing.git_signing_key(cwd)
    if key_file is None and agent_key is None:
        held = {key.blob for key in ssh_signing.agent_keys()}
        agent_key = next((entry.key.openssh for entry in valid if entry.key.blob in held), None)
    if key_file is None and agent_key is None:
        if not roster.signatures_required:
            return "", ""
        raise ReviewRefused("没有签名密钥：请用 --key 指定本人私钥文件（例如 --key ~/.ssh/id_ed25519），"
                            "或把名册中登记的本人密钥加入 ssh-agent（ssh-add），或设置 git 的 user.signingkey")
    if not valid:
        periods = "；".join(entry.period() for entry in person.keys) or "名册中没有登记公钥"
        raise ReviewRefused(f"名册中 {person.name} 在 {sign_off.date} 没有有效的密钥（{periods}）：请办公室先登记新公钥")
    try:
        armoured = ssh_signing.sign(message, key_file, agent_key)
        signer = Signature.parse(armoured)
    except ssh_signing.SigningFailed as exc:
        raise ReviewRefused(str(exc)) from None
    except BadSignature as exc:
        raise ReviewRefused(f"ssh-keygen 返回的签名无法读取：{exc}") from None
    return armoured, signer.signer_fingerprint


def _scalar(value: Any) -> str:
    text = "" if value is None else str(value)
    if _PLAIN_SAFE.match(text) and text == text.strip() and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def entry_lines(level: str, entry: dict[str, Any]) -> list[str]:
    """One level in block style; the armoured signature as a literal block, line for line."""
    lines = [f"  {level}:"]
    for key, value in entry.items():
        if key == "signature" and isinstance(value, str) and value.strip():
            lines.append("    signature: |")
            lines.extend(f"      {line}" for line in value.strip().splitlines())
        elif key == "digest":
            lines.append(f"    digest: {json.dumps(str(value))}")
        else:
            lines.append(f"    {key}: {_scalar(value)}")
    return lines


def _write(file: Path, data: bytes, document: SourceDocument, block: list[str], rel_path: str) -> None:
    text = data.decode("utf-8-sig")
    try:
        new_text = replace_entry(text, document, "review", block)
    except EditRefused as exc:
        raise ReviewRefused(str(exc)) from None
    bom = b"\xef\xbb\xbf" if document.has_bom else b""
    encoded = bom + new_text.encode("utf-8")
    check, problems = parse_document(encoded, rel_path)
    if check is None or any(p.is_error for p in problems) or {
        k: v for k, v in check.meta.items() if k != "review"
    } != {k: v for k, v in document.meta.items() if k != "review"} or check.body != document.body:
        raise ReviewRefused("写入审查记录后文件无法正确解析，已放弃写入；请检查 front matter 格式")
    try:
        write_whole(file, encoded, unchanged=data)
    except ReadOnlyFile:
        raise ReviewRefused(f"{rel_path} {READ_ONLY}") from None
    except FileChanged:
        raise ReviewRefused(CHANGED_MEANWHILE) from None
    except OSError as exc:  # a full disk, a folder without write permission: the file stays as it was
        raise ReviewRefused(not_written(exc)) from None
