"""The reviewer roster in catalog.yml: the review levels, who may sign which, and with which keys.

```yaml
review:
  levels: [{key: initial, name: 初审}, {key: final, name: 复核}]   # lowest first
  signatures: required                    # required | optional
  signatures_required_from: 2026-01-01    # optional: items published and signed off earlier may be unsigned (warning)
reviewers:
  - name: 李明
    departments: [村镇建设股, 住房保障股]  # names or slugs; 全部 = every department
    levels: [initial]
    keys:
      - {key: "ssh-ed25519 AAAA… liming", from: 2020-01-01, until: 2026-06-30}
  - name: 王芳                               # rights that changed: dated roles instead of levels/departments
    roles:
      - {levels: [initial], departments: [住房保障股], until: 2025-12-31}
      - {levels: [final], departments: [全部], from: 2026-01-01}
    keys: [{key: "ssh-ed25519 AAAA… wangfang", from: 2020-01-01}]
```

The roster is the trust root of the review: a sign-off counts only when its reviewer is a person
here, authorised for that level and the item's department on the sign-off's date (by one role), and
signed with a key this roster gives that person on that date. Rights are dated as keys are, so that a
promotion or a move to another department leaves the sign-offs made before it valid. People are told apart by `person_key` (NFKC, no format
characters or whitespace, casefolded), so one person cannot pass as two by spelling.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from . import lookalikes
from .hints import close_name
from .loading import SourceDocument
from .model import DEFAULT_LEVELS, Catalog, Department, ReviewLevel
from .problems import Problem
from .reader_text import fold
from .rules import CATALOG, ERROR, WARNING
from .signatures import PublicKey, UnusableKey
from .simplified_forms import simplified
from .values import LINE_BREAK, as_list, as_mapping, as_text, parse_date

ALL_DEPARTMENTS = "全部"
REQUIRED, OPTIONAL = "required", "optional"
_LEVEL_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_REVIEW_KEYS = ("levels", "signatures", "signatures_required_from")
_REVIEWER_KEYS = ("name", "departments", "levels", "roles", "keys", "party")
_KEY_KEYS = ("key", "from", "until")
_ROLE_KEYS = ("levels", "departments", "from", "until")
# Each sign-off looks through its reviewer's roles: a career holds a handful; 12,000 (what catalog.yml's node
# budget allows) cost a site of 10,000 items ≈ 17 s of check.
MAX_ROLES = 100
# Review levels: each item reports each level it lacks, so 1,000 levels made the sample's check print 139,000 errors
# (29 MB, 23 s); the YAML node budget allowed 33,000.
MAX_LEVELS = 9
# Each roster key is read on every check, an Ed25519 one checked against the prime-order subgroup (≈ 2 ms): the
# 5 MB catalog.yml allows 60,000 keys, and 20,000 made every check of the sample site take 50 s instead of 4. An
# agency has a few dozen reviewers with a key or a few each.
MAX_REVIEWERS = 300
_HINTED_NAME = 64  # characters of a name that `closest` compares; a person's name has a handful
MAX_KEYS = 1_000

# The keys of demo-keys/, which sign the sample site (its reviewers, its fictional org code): their private keys are
# published with gongkai. An agency that starts from the sample and keeps a key line has a roster anyone can sign for;
# only the sample's own catalog may list them. By the key itself (`PublicKey.material`), whatever type names it.
SAMPLE_ORG_CODE = "11131122MB1534702N"
PUBLISHED_KEYS = frozenset(b"ed25519:" + bytes.fromhex(point) for point in (
    "cecbc8ed51eda9906b74acc209e43cfc144617ddf1f7a0f762bbe3aab2367ee7", "b18e7e5e7b44e7a894a0a97df7588763f99816a0e0727996f8d721df1181f86e",
    "c45863c85eacb449a5de3c70bdf198762cc429edbfea43085c2e3fccbc3f460d", "365ade33cb9b2412111f41302f968f9242f1ec282132f9b10a57b2a68a86581c",
    "f077851e9dff2b831ee3f2f634988b8949676f3e477d98f6f04f3b35c31c1fd8", "1fcfde0df6c62445ac3b9bcb700aa8a73d7cacaa666b1a53f2f0525b8f71191f",
    "aebc5c257c1b258f42e14cca6444001c359ac908d949cebb660be064399557b8", "6b9744f76647c61429d13b9540a0ebc514b403f219655cecf7768ec91149cc51",
    "52ffc5828a0a0c6aa759e1a6b0901705e2627f65238c5e7baf95fe3148149906", "d0a498a2fedecc5dd7944b6e97d05d3021d917053a9a8bdd0577e4f6e6cb627e",
    "da3e4208df195a580c100e5b7b4cb36e7c466d37f6e904916dd9fd6669296da5", "4c8a8ff5b3814db35936f8f84dcbf658a51946588013cc2e7d4f8046a84c9e68",
))

BAD_SETUP = CATALOG.rule(
    "GK910", ERROR,
    "catalog.yml 的 review（审查级别与签名要求）写法不对",
    "levels 写成 [{key: initial, name: 初审}, {key: final, name: 复核}] 这样的列表（至少两级，key 用小写英文）；"
    "signatures 写 required 或 optional；signatures_required_from 写日期（此前发布的条目可以没有签名）",
)
NO_ROSTER = CATALOG.rule(
    "GK911", ERROR,
    "catalog.yml 没有审查人名册（reviewers）",
    "在 catalog.yml 中加入 reviewers：每位审查人的姓名、可审查的部门和级别、SSH 公钥（见编辑手册“审查人名册与签名密钥”）",
)
BAD_REVIEWER = CATALOG.rule(
    "GK912", ERROR,
    "审查人名册中的一项写法不对",
    "每位审查人写成 {name: 姓名, departments: [部门], levels: [级别], keys: [{key: 公钥, from: 日期}]}；权限有变化的，"
    "把 departments 和 levels 换成带期间的 roles: [{levels: [级别], departments: [部门], from: 日期, until: 日期}]",
)
DUPLICATE_PERSON = CATALOG.rule(
    "GK913", ERROR,
    "审查人名册中同一个人出现两次",
    "一人只写一项：更换密钥时在该人的 keys 中加一行，不要另起一项"
    "（姓名比较时忽略空格、间隔号（·）、看不见的字符、全角半角、繁简写法和大小写）",
)
UNKNOWN_DEPARTMENT = CATALOG.rule(
    "GK914", ERROR,
    "审查人名册中的部门不存在",
    "departments 中写 catalog.yml 的部门名称或代号，或写“全部”",
)
UNKNOWN_LEVEL = CATALOG.rule(
    "GK915", ERROR,
    "审查人名册中的审查级别不存在",
    "levels 中写 review.levels 中的级别（key 或名称，例如 initial 或 初审）",
)
BAD_KEY = CATALOG.rule(
    "GK916", ERROR,
    "审查人的公钥无法使用",
    "把审查人 .pub 文件的整行内容原样粘贴到 key: 后（加英文引号）；"
    "支持 ssh-ed25519、ecdsa-sha2-nistp256/384/521、ssh-rsa（2048 至 8192 位）和硬件密钥 sk-…@openssh.com",
)
SHARED_KEY = CATALOG.rule(
    "GK917", ERROR,
    "同一把公钥登记在两个人（或两处）名下",
    "每人必须用自己的密钥：请删除重复的一项，让另一人用 `ssh-keygen -t ed25519` 生成自己的密钥",
)
BAD_PERIOD = CATALOG.rule(
    "GK918", ERROR,
    "公钥或角色（roles）的起止日期不对（until 早于 from，或不是日期）",
    "from、until 写成 YYYY-MM-DD，until 不早于 from；停用的密钥、结束的角色保留在名册中并写 until，旧签名仍然有效",
)
TOO_LARGE = CATALOG.rule(
    "GK920", ERROR,
    f"审查人名册超过 {MAX_REVIEWERS} 位审查人或 {MAX_KEYS:,} 把公钥",
    "名册只登记本单位实际的审查人；离任人员的旧密钥保留（旧签名仍要核验），但不要成批粘贴无关的公钥",
)
PUBLISHED_KEY = CATALOG.rule(
    "GK921", ERROR,
    "审查人名册中登记了 gongkai 随示例站点公开的演示密钥：它的私钥人人可得，任何人都能用它签署审查",
    "每位审查人用 `ssh-keygen -t ed25519` 生成本人的密钥，把 .pub 文件的内容登记到名册中，删除演示密钥；"
    "已用演示密钥签署的条目，由审查人用本人的密钥重新签署",
)
NO_KEY = CATALOG.rule(
    "GK919", WARNING,
    "审查人没有登记公钥，无法签署审查",
    "审查人用 `ssh-keygen -t ed25519` 生成密钥，把 .pub 文件的内容登记到其 keys 中",
)


# The dot between the parts of a name (阿依古丽·买买提), as keyboards and fonts offer it: middle dot, bullet,
# katakana middle dot, hyphenation point, dot operators, word separator, full stops (after NFKC).
_NAME_DOTS = re.compile("[.\u00b7\u2022\u2027\u2219\u22c5\u2e31\u30fb\u16eb\u318d\u0387\u4e36]")  # 丶: ⼂ folded


# Cyrillic and Greek letters drawn as Latin ones (UTS #39's confusables, one letter for one): a name written in Latin
# letters (a minority name in transliteration, Aygul) spelled with a Cyrillic А is a second roster entry a reader
# cannot tell from the first. Mapped before casefolding, where Н (H) and н (h-like) are still told apart.
_LATIN_LOOKALIKES = str.maketrans(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0423\u0425\u0406\u0408\u0405\u051a"
    "\u051c\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb\u051b\u051d\u04cf"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03bf\u03bd\u03b9\u03b1\u03c1\u03c5\u03c9\u0261",
    "ABEKMHOPCTYXIJSQWaeopcyxijsdhqwlABEZHIKMNOPTYXoviapuwg",
)


_MODIFIERS = frozenset(("Lm", "Sk"))
_CIRCLES = str.maketrans("○◯⭕", "〇〇〇")  # the ideographic zero (a letter) and the circles drawn like it


def _name_letters(text: str, dropped: str) -> str:
    """`text` without what is no part of a name — blanks, the categories `dropped` (controls, punctuation, symbols,
    separators), modifier letters (ʰ before
    NFKC makes it an h) and letters drawn as a dot: each of the dozens of dots drawn between a name's parts (U+A78F
    made for it, U+2E33, U+02D1, U+1427 …) was a second person until listed."""
    separators = lookalikes.separators()
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in dropped
                   and unicodedata.category(ch) not in _MODIFIERS and (ch not in separators or _read_as_letter(ch)))


def _read_as_letter(char: str) -> bool:
    """Whether a reader takes `char`, drawn like a dash or a dot, for another character, a letter of a name: a CJK
    stroke (㇐) is 一; a letter that is only ever drawn as a dot (U+A78F, U+1427) is no part of the name."""
    read = fold(unicodedata.normalize("NFKC", char))
    return read != char and any(unicodedata.category(letter)[0] == "L" and not lookalikes.named_like_a_dot(letter)
                                for letter in read)


@lru_cache(maxsize=4096)  # a site has a few dozen reviewers and thousands of sign-offs
def person_key(name: str) -> str:
    """What makes two spellings of a name the same person: the name as a reader reads it (`reader_text.fold`:
    composed, NFKC, without format characters, combining marks or variation selectors, the blank-looking letters
    U+2800 and the Hangul fillers read as blanks, traditional characters as simplified), without whitespace and
    punctuation, symbols and modifier letters (the dot between a name's parts, in any of its forms), the circles
    drawn like 〇 read as 〇, Cyrillic and Greek letters drawn as Latin ones read as those, casefolded.
    李明, 李 明, 李\u200b明, 李\u2800明, 李　明 and ＬＩ Ｍｉｎｇ / li ming are each one person; so are
    阿依古丽·买买提, 阿依古丽•买买提 and 阿依古丽・买买提, and 陈志刚 and 陳志剛."""
    # Symbols are dropped only once folded: fold reads radicals and strokes (⺠, ㇐), which Unicode files as symbols,
    # as the characters they draw.
    text = _NAME_DOTS.sub("", fold(unicodedata.normalize("NFKC", _name_letters(name.translate(_CIRCLES), "CPZ"))))
    read = simplified(unicodedata.normalize("NFKC", text.translate(_LATIN_LOOKALIKES).casefold()))
    return _NAME_DOTS.sub("", _name_letters(read, "CMPSZ"))


@dataclass(frozen=True)
class RosterKey:
    key: PublicKey
    valid_from: dt.date | None
    until: dt.date | None
    line: int

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.until is None or day <= self.until)

    def period(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "不限"
        end = self.until.isoformat() if self.until else "至今"
        return f"{start} 至 {end}" if self.until else f"{start} 起"


@dataclass(frozen=True)
class Role:
    """What a person may sign during a period: these levels, for these departments."""

    departments: frozenset[str] | None  # department slugs; None = every department
    levels: frozenset[str]  # level keys
    valid_from: dt.date | None = None
    until: dt.date | None = None
    line: int = 0

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.until is None or day <= self.until)

    def may_review(self, department: Department | None) -> bool:
        return self.departments is None or (department is not None and department.slug in self.departments)

    @property
    def dated(self) -> bool:
        return self.valid_from is not None or self.until is not None

    def period(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "不限"
        return f"{start} 至 {self.until.isoformat()}" if self.until else f"{start} 起"


@dataclass(frozen=True)
class Reviewer:
    name: str
    roles: tuple[Role, ...]  # `levels` and `departments` written directly: one role, undated
    keys: tuple[RosterKey, ...]
    line: int
    party: bool = False  # may sign 党内 items, once anyone in the roster is marked so (`Roster.party_restricted`)

    @property
    def ident(self) -> str:
        return person_key(self.name)

    def roles_on(self, day: dt.date | None) -> list[Role]:
        """The roles held on `day` (every role when the day is unknown: the date is reported by itself)."""
        return [role for role in self.roles if day is None or role.valid_on(day)]

    def may_sign(self, level: str, department: Department | None, day: dt.date | None) -> bool:
        """Whether one role held on `day` covers both `level` and `department`."""
        return any(level in role.levels and role.may_review(department) for role in self.roles_on(day))

    def keys_on(self, day: dt.date) -> list[RosterKey]:
        return [entry for entry in self.keys if entry.valid_on(day)]


@dataclass(frozen=True)
class Roster:
    levels: tuple[ReviewLevel, ...] = DEFAULT_LEVELS
    signatures_required: bool = True
    required_from: dt.date | None = None
    reviewers: tuple[Reviewer, ...] = ()
    path: str = "content/catalog.yml"
    line: int = 1

    @cached_property
    def _by_ident(self) -> dict[str, Reviewer]:
        return {reviewer.ident: reviewer for reviewer in reversed(self.reviewers)}

    @cached_property
    def _by_key(self) -> dict[bytes, tuple[Reviewer, RosterKey]]:
        return {entry.key.blob: (reviewer, entry) for reviewer in reversed(self.reviewers) for entry in reviewer.keys}

    @property
    def level_keys(self) -> tuple[str, ...]:
        return tuple(level.key for level in self.levels)

    def level(self, key: str) -> ReviewLevel | None:
        return next((level for level in self.levels if key in (level.key, level.name)), None)

    def level_name(self, key: str) -> str:
        found = self.level(key)
        return found.name if found else key

    @cached_property
    def party_restricted(self) -> bool:
        """Only people marked `party: true` may sign 党内 items, as soon as the roster marks anyone."""
        return any(reviewer.party for reviewer in self.reviewers)

    def person(self, name: str) -> Reviewer | None:
        return self._by_ident.get(person_key(name)) if name else None

    def key_owner(self, blob: bytes) -> tuple[Reviewer, RosterKey] | None:
        return self._by_key.get(blob)

    def closest(self, name: str) -> str | None:
        """The roster name nearest to an unknown one, for “是否想写 …？”. Only names of a name's length are compared:
        difflib's cost grows with the product of the lengths, and two names of 20,000 characters cost 0.7 s an item."""
        wanted = person_key(name)
        if len(wanted) > _HINTED_NAME:
            return None
        idents = {reviewer.ident: reviewer.name for reviewer in self.reviewers if len(reviewer.ident) <= _HINTED_NAME}
        found = difflib.get_close_matches(wanted, list(idents), n=1, cutoff=0.5)
        return idents[found[0]] if found else None

    def signature_needed(self, day: dt.date | None) -> str | None:
        """ERROR or WARNING when a sign-off lacks a signature; None when it may. `day`: the later of the
        sign-off's date and the item's publication."""
        if not self.signatures_required:
            return None
        if self.required_from is not None and day is not None and day < self.required_from:
            return WARNING
        return ERROR


def roster_of(catalog: Catalog | None) -> Roster:
    """The catalog's roster; without a catalog or a roster, the default levels and no reviewers."""
    return catalog.roster if catalog is not None and catalog.roster is not None else Roster()


def load_roster(data: dict[str, Any], doc: SourceDocument, departments: tuple[Department, ...]) -> tuple[Roster, list[Problem]]:
    """The roster of catalog.yml (`data` parsed, `doc` for lines); problems name their line."""
    problems: list[Problem] = []
    path = doc.path
    setup = data.get("review")
    levels: tuple[ReviewLevel, ...] = DEFAULT_LEVELS
    required, required_from = True, None
    if setup is not None and not isinstance(setup, dict):
        problems.append(BAD_SETUP.at(path, doc.line_of("review"), "review 应是映射（levels、signatures、signatures_required_from）"))
        setup = {}
    setup = as_mapping(setup)
    for key in setup:
        if key not in _REVIEW_KEYS:
            problems.append(BAD_SETUP.at(path, doc.line_of("review", key),
                                         f"review 中有未知的键 `{key}`：只允许 {'、'.join(_REVIEW_KEYS)}"))
    if "levels" in setup:
        levels = _levels(setup["levels"], doc, problems)
    signatures = setup.get("signatures", REQUIRED)
    if signatures not in (REQUIRED, OPTIONAL):
        problems.append(BAD_SETUP.at(path, doc.line_of("review", "signatures"),
                                     f"signatures 只能是 required（必须签名）或 optional（可不签名），现在是“{as_text(signatures)}”"))
    required = signatures != OPTIONAL
    if setup.get("signatures_required_from") is not None:
        required_from = parse_date(setup.get("signatures_required_from"))
        if required_from is None:
            problems.append(BAD_SETUP.at(path, doc.line_of("review", "signatures_required_from"),
                                         "signatures_required_from 应是日期 YYYY-MM-DD：此前发布的条目，审查记录可不签名（给出警告）"))
    roster = Roster(levels, required, required_from, path=path, line=doc.line_of("reviewers"))
    raw_reviewers = data.get("reviewers")
    if raw_reviewers is None or raw_reviewers == []:
        problems.append(NO_ROSTER.at(path, doc.line_of("reviewers"),
                                     "catalog.yml 没有 reviewers（审查人名册）：没有名册，任何审查记录都无法确认是谁签署的；"
                                     "请按编辑手册“审查人名册与签名密钥”一节登记审查人和公钥"))
        return roster, problems
    if not isinstance(raw_reviewers, list):
        problems.append(BAD_REVIEWER.at(path, doc.line_of("reviewers"), "reviewers 应是列表，每项一位审查人"))
        return roster, problems
    reviewers = _reviewers(raw_reviewers, doc, roster, departments, problems)
    if as_text(as_mapping(data.get("org")).get("code")) != SAMPLE_ORG_CODE:
        problems.extend(PUBLISHED_KEY.at(path, key.line, f"审查人“{person.name}”的公钥（{key.key.fingerprint}）是 gongkai 的"
                                         "演示密钥（demo-keys/），私钥随 gongkai 公开：用它签署的审查不能证明任何人审查过")
                        for person in reviewers for key in person.keys if key.key.material in PUBLISHED_KEYS)
    return Roster(levels, required, required_from, tuple(reviewers), path, roster.line), problems


def _levels(raw: Any, doc: SourceDocument, problems: list[Problem]) -> tuple[ReviewLevel, ...]:
    path = doc.path
    if not isinstance(raw, list) or len(raw) < 2:
        problems.append(BAD_SETUP.at(path, doc.line_of("review", "levels"),
                                     "review.levels 应是至少两项的列表（四眼原则），"
                                     "例如 [{key: initial, name: 初审}, {key: final, name: 复核}]"))
        return DEFAULT_LEVELS
    if len(raw) > MAX_LEVELS:
        problems.append(BAD_SETUP.at(path, doc.line_of("review", "levels", MAX_LEVELS),
                                     f"review.levels 写了 {len(raw)} 级，最多 {MAX_LEVELS} 级：每条信息每一级都要有人签署，"
                                     "缺一级就报一条错误；请只写本单位实际的审查级别（通常是 初审、复核 两级或三级）"))
        return DEFAULT_LEVELS
    levels: list[ReviewLevel] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        line = doc.line_of("review", "levels", index)
        entry = as_mapping(entry)
        key, name = as_text(entry.get("key")), as_text(entry.get("name"))
        unknown = [str(k) for k in entry if k not in ("key", "name")]
        if not _LEVEL_KEY.match(key) or not name or LINE_BREAK.search(name) or unknown:
            problems.append(BAD_SETUP.at(path, line,
                                         f"第 {index + 1} 个审查级别应写成 {{key: 小写英文, name: 中文名称}}，"
                                         "例如 {key: initial, name: 初审}"))
            return DEFAULT_LEVELS
        if key in seen or name in seen:
            problems.append(BAD_SETUP.at(path, line, f"审查级别 `{key if key in seen else name}` 重复：每级的 key 和名称都须不同"))
            return DEFAULT_LEVELS
        seen.update((key, name))
        levels.append(ReviewLevel(key, name))
    return tuple(levels)


def _reviewers(raw: list, doc: SourceDocument, roster: Roster, departments: tuple[Department, ...],
               problems: list[Problem]) -> list[Reviewer]:
    path = doc.path
    by_department = {key: dept.slug for dept in departments for key in (dept.name, dept.slug)}
    people: dict[str, int] = {}
    key_lines: dict[bytes, tuple[str, int]] = {}
    reviewers: list[Reviewer] = []
    if len(raw) > MAX_REVIEWERS:
        problems.append(TOO_LARGE.at(path, doc.line_of("reviewers", MAX_REVIEWERS),
                                     f"审查人名册有 {len(raw)} 位审查人，最多 {MAX_REVIEWERS} 位：第 {MAX_REVIEWERS + 1} 位起不再读取；"
                                     "请只登记本单位实际的审查人"))
        raw = raw[:MAX_REVIEWERS]
    budget = [MAX_KEYS]  # keys still to read, for the whole roster
    for index, raw_entry in enumerate(raw):
        where = ("reviewers", index)
        line = doc.line_of(*where)
        if not isinstance(raw_entry, dict):
            problems.append(BAD_REVIEWER.at(path, line, "每位审查人应写成 {name: 姓名, departments: [...], levels: [...], keys: [...]}"))
            continue
        for key in raw_entry:
            if key not in _REVIEWER_KEYS:
                problems.append(BAD_REVIEWER.at(path, doc.line_of(*where, key),
                                                f"审查人一项中有未知的键 `{key}`：只允许 {'、'.join(_REVIEWER_KEYS)}"))
        name = as_text(raw_entry.get("name"))
        if not name or not person_key(name):
            problems.append(BAD_REVIEWER.at(path, line, "审查人缺少姓名（name）"))
            continue
        if LINE_BREAK.search(name):
            problems.append(BAD_REVIEWER.at(path, doc.value_line(*where, "name"), "审查人姓名中有换行：姓名只能是一行"
                                            "（它印在审查记录和命令的输出里）；请写在一行内"))
            continue
        ident = person_key(name)
        if ident in people:
            problems.append(DUPLICATE_PERSON.at(path, doc.line_of(*where, "name"),
                                                f"审查人“{name}”与第 {people[ident]} 行的审查人是同一人"
                                                "（姓名比较时忽略空格、间隔号（·）、看不见的字符、全角半角、繁简写法和大小写）："
                                                "一人只能登记一项，换用新密钥时在原项的 keys 中添加"))
            continue
        people[ident] = doc.line_of(*where, "name")
        roles = _roles(raw_entry, doc, where, name, roster, by_department, problems)
        keys = _keys(raw_entry.get("keys"), doc, where, name, key_lines, problems, budget)
        if not keys and roster.signatures_required:
            problems.append(NO_KEY.at(path, line, f"审查人“{name}”没有登记公钥（keys），无法签署审查：请登记其 .pub 文件的内容"))
        party = raw_entry.get("party", False)
        if not isinstance(party, bool):
            problems.append(BAD_REVIEWER.at(path, doc.line_of(*where, "party"),
                                            f"审查人“{name}”的 party 只能写 true（可签署仅向党员公开的党内信息）或省略"))
            party = False
        reviewers.append(Reviewer(name, roles, tuple(keys), line, party))
    return reviewers


def _roles(raw_entry: dict, doc: SourceDocument, where: tuple, name: str, roster: Roster, by_department: dict[str, str],
           problems: list[Problem]) -> tuple[Role, ...]:
    """The person's roles: `roles` (dated), or `levels` and `departments` written directly (one, undated)."""
    path = doc.path
    if "roles" not in raw_entry:
        scope = _departments(raw_entry.get("departments"), doc, where, name, by_department, problems)
        return (Role(scope, _reviewer_levels(raw_entry.get("levels"), doc, where, name, roster, problems), line=doc.line_of(*where)),)
    for key in ("levels", "departments"):
        if key in raw_entry:
            problems.append(BAD_REVIEWER.at(path, doc.line_of(*where, key),
                                            f"审查人“{name}”写了 roles，就不再写 {key}：每个角色（roles 的一项）写自己的 levels、"
                                            "departments 和期间（from、until）"))
    raw = raw_entry["roles"]
    if not isinstance(raw, list) or not raw:
        problems.append(BAD_REVIEWER.at(path, doc.line_of(*where, "roles"),
                                        f"审查人“{name}”的 roles 应是列表，每项写成 {{levels: [...], departments: [...], "
                                        "from: 起始日期, until: 截止日期}}"))
        return ()
    if len(raw) > MAX_ROLES:
        problems.append(BAD_REVIEWER.at(path, doc.line_of(*where, "roles"),
                                        f"审查人“{name}”的 roles 有 {len(raw)} 项，超过 {MAX_ROLES} 项：每次调岗、升任写一项即可，"
                                        "请删除多余的角色"))
        return ()
    roles: list[Role] = []
    for index, entry in enumerate(raw):
        here = (*where, "roles", index)
        if not isinstance(entry, dict):
            problems.append(BAD_REVIEWER.at(path, doc.line_of(*here), "每个角色写成 {levels: [...], departments: [...], "
                                                                     "from: 起始日期, until: 截止日期}"))
            continue
        unknown = [str(k) for k in entry if k not in _ROLE_KEYS]
        if unknown:
            problems.append(BAD_REVIEWER.at(path, doc.line_of(*here, unknown[0]),
                                            f"角色一项中有未知的键 `{unknown[0]}`：只允许 {'、'.join(_ROLE_KEYS)}"))
        scope = _departments(entry.get("departments"), doc, here, name, by_department, problems)
        levels = _reviewer_levels(entry.get("levels"), doc, here, name, roster, problems)
        valid_from, until = _period(entry, doc, here, problems)
        roles.append(Role(scope, levels, valid_from, until, doc.line_of(*here)))
    return tuple(roles)


def _departments(raw: Any, doc: SourceDocument, where: tuple, name: str, by_department: dict[str, str],
                 problems: list[Problem]) -> frozenset[str] | None:
    values = [raw] if isinstance(raw, str) else as_list(raw)
    if not values:
        problems.append(BAD_REVIEWER.at(doc.path, doc.line_of(*where),
                                        f"审查人“{name}”缺少 departments：写可审查的部门列表，或写 [全部]"))
        return frozenset()
    slugs: set[str] = set()
    for index, value in enumerate(values):
        text = as_text(value)
        if text == ALL_DEPARTMENTS:
            return None
        if text in by_department:
            slugs.add(by_department[text])
        else:
            close = close_name(text, list(by_department))
            hint = f"；是否想写“{close}”？" if close else "：请写 catalog.yml 中的部门名称或代号，或写“全部”"
            problems.append(UNKNOWN_DEPARTMENT.at(doc.path, doc.line_of(*where, "departments", index),
                                                  f"审查人“{name}”的部门“{text}”不在 catalog.yml 的 departments 中{hint}"))
    return frozenset(slugs)


def _reviewer_levels(raw: Any, doc: SourceDocument, where: tuple, name: str, roster: Roster,
                     problems: list[Problem]) -> frozenset[str]:
    values = [raw] if isinstance(raw, str) else as_list(raw)
    names = "、".join(f"{level.key}（{level.name}）" for level in roster.levels)
    if not values:
        problems.append(BAD_REVIEWER.at(doc.path, doc.line_of(*where),
                                        f"审查人“{name}”缺少 levels：写可签署的审查级别，可选 {names}"))
        return frozenset()
    keys: set[str] = set()
    for index, value in enumerate(values):
        level = roster.level(as_text(value))
        if level is None:
            problems.append(UNKNOWN_LEVEL.at(doc.path, doc.line_of(*where, "levels", index),
                                             f"审查人“{name}”的审查级别“{as_text(value)}”不存在：可选 {names}"))
        else:
            keys.add(level.key)
    return frozenset(keys)


def _keys(raw: Any, doc: SourceDocument, where: tuple, name: str, key_lines: dict[bytes, tuple[str, int]],
          problems: list[Problem], budget: list[int]) -> list[RosterKey]:
    path = doc.path
    if raw is not None and not isinstance(raw, list):
        problems.append(BAD_REVIEWER.at(path, doc.line_of(*where, "keys"),
                                        "keys 应是列表，每项写成 {key: \"ssh-ed25519 AAAA…\", from: 启用日期}"))
        return []
    keys: list[RosterKey] = []
    for index, entry in enumerate(as_list(raw)):
        here = (*where, "keys", index)
        line = doc.line_of(*here)
        if isinstance(entry, str):
            entry = {"key": entry}
        if not isinstance(entry, dict):
            problems.append(BAD_REVIEWER.at(path, line, "每把密钥写成 {key: \"ssh-ed25519 AAAA…\", from: 启用日期, until: 停用日期}"))
            continue
        unknown = [str(k) for k in entry if k not in _KEY_KEYS]
        if unknown:
            problems.append(BAD_REVIEWER.at(path, doc.line_of(*here, unknown[0]),
                                            f"密钥一项中有未知的键 `{unknown[0]}`：只允许 {'、'.join(_KEY_KEYS)}"))
        text = as_text(entry.get("key"))
        budget[0] -= 1
        if budget[0] == -1:
            problems.append(TOO_LARGE.at(path, doc.line_of(*here, "key"),
                                         f"审查人名册中的公钥超过 {MAX_KEYS:,} 把：从这一把起不再读取；"
                                         "请只登记审查人实际使用过的公钥"))
        if budget[0] < 0:
            continue
        if "PRIVATE KEY" in text:
            problems.append(BAD_KEY.at(path, line, f"审查人“{name}”的 key 是私钥！私钥绝不能写进内容仓库："
                                                   "请立即从 git 历史中清除、作废这把密钥，重新生成，只登记 .pub 文件的内容"))
            continue
        try:
            public = PublicKey.parse(text)
        except UnusableKey as exc:
            problems.append(BAD_KEY.at(path, doc.line_of(*here, "key"), f"审查人“{name}”的第 {index + 1} 把公钥无法使用：{exc}"))
            continue
        valid_from, until = _period(entry, doc, here, problems)
        if public.material in key_lines:
            owner, owner_line = key_lines[public.material]
            whose = "本人名下已有" if owner == name else f"已登记在“{owner}”名下"
            problems.append(SHARED_KEY.at(path, doc.line_of(*here, "key"),
                                          f"这把公钥（{public.fingerprint}）{whose}（第 {owner_line} 行）："
                                          "每把密钥只能属于一个人、只登记一次"))
            continue
        key_lines[public.material] = (name, line)
        keys.append(RosterKey(public, valid_from, until, line))
    return keys


def _period(entry: dict, doc: SourceDocument, here: tuple, problems: list[Problem]) -> tuple[dt.date | None, dt.date | None]:
    dates: dict[str, dt.date | None] = {}
    for key in ("from", "until"):
        raw = entry.get(key)
        dates[key] = parse_date(raw)
        if raw is not None and dates[key] is None:
            problems.append(BAD_PERIOD.at(doc.path, doc.line_of(*here, key), f"{key} 应是日期 YYYY-MM-DD，现在是“{as_text(raw)}”"))
    start, end = dates["from"], dates["until"]
    if start and end and end < start:
        problems.append(BAD_PERIOD.at(doc.path, doc.line_of(*here, "until"),
                                      f"停用日期 until {end} 早于启用日期 from {start}：请核对日期"))
    return start, end

