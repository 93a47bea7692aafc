"""What changed in an item since its last sign-off: front-matter keys, body lines, attachments.

The review block keeps only the digest of what was signed, so the signed version is found in git:
the newest version of the file in its history (the working copy first) whose digest — computed
with the attachments as they were in that commit — equals the digest of the highest level signed.
"""

from __future__ import annotations

import difflib
import json
import tempfile
import time
from contextlib import closing, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import digest
from .clock import day_of
from .git_repo import MOST_OUTPUT, repository
from .items import MAX_ATTACHMENTS, to_item
from .limits import Limits
from .loading import SourceDocument, parse_document
from .model import APPROVE, AUDIENCE_PARTY, REFUSE, Catalog
from .problems import printable
from .review_chain import chained, judge
from .roster import roster_of
from .values import as_list, as_mapping, as_text, parse_date

HISTORY_LIMIT = 200  # commits of one file searched for the signed version
# `gongkai queue`'s one log of the items folder: ≈ 60 bytes a changed file a commit, so a real site's history is a few
# MB; commits that each list thousands of names (2.3 MB each) are asked of git file by file instead, in bounded memory.
LOG_BYTES = 64 * 1024 * 1024
# Seconds of git one `diff` or `queue` may spend in all (a `git cat-file` reader has its own bound): each command
# waits at most a minute, but a history too long for the one `git log` of the folder fell back to one per item,
# and 5,000 items of a history that takes git a minute kept `gongkai queue` busy for days.
GIT_BUDGET = 600.0


@dataclass
class ItemDiff:
    path: str
    level_name: str = ""  # the highest level signed, e.g. 复核
    signed_at: str = ""  # where the signed version was found: "提交 1a2b3c4（2021-06-17）"
    unchanged: bool = False
    front_matter: list[tuple[str, Any, Any]] = field(default_factory=list)  # (key, old, new); a missing side is None
    body: list[str] = field(default_factory=list)  # unified-diff lines of the body (+ added, - removed)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (file, 新增 | 移除 | 已替换)
    unavailable: str = ""  # why the signed version cannot be shown (Chinese); empty when it can
    digest: str = ""  # of the content now, for `gongkai review --digest`

    @property
    def lines_added(self) -> int:
        return sum(1 for line in self.body if line.startswith("+") and not line.startswith("+++"))

    @property
    def lines_removed(self) -> int:
        return sum(1 for line in self.body if line.startswith("-") and not line.startswith("---"))

    def summary(self) -> str:
        """One line for the review queue."""
        if self.unavailable:
            return printable(self.unavailable)
        parts = []
        if self.front_matter:  # keys and file names are the item's: escaped, as everywhere they are quoted
            parts.append("元数据 " + "、".join(printable(key) for key, _, _ in self.front_matter))
        if self.body:
            parts.append(f"正文 +{self.lines_added}/-{self.lines_removed} 行")
        if self.attachments:
            parts.append("附件 " + "、".join(f"{printable(name)}（{change}）" for name, change in self.attachments))
        return "；".join(parts) or "只有格式变化（引号、键的顺序等），内容摘要仍不同"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "level": self.level_name, "signed_at": self.signed_at, "unchanged": self.unchanged,
            "front_matter": [{"key": key, "old": old, "new": new} for key, old, new in self.front_matter],
            "body": self.body, "attachments": [{"file": name, "change": change} for name, change in self.attachments],
            "unavailable": self.unavailable, "digest": self.digest,
        }


@dataclass(frozen=True)
class LastSigned:
    level_name: str
    digest: str
    refused_by: str  # the name of the lowest level of those found whose opinion was not 同意公开, or ""


def last_signed(document: SourceDocument, catalog: Catalog | None) -> LastSigned | str | None:
    """The highest level whose sign-off the check itself accepts: dated, signed, its signature
    verified against the roster's key for that day (the chain followed), its reviewer allowed that level and the
    item's department on that day, and another person than the levels below. Chinese text saying why when digests
    are written but none is such a sign-off; None when nothing is signed yet. The digest is only text in the file:
    an editor who wrote an earlier version's digest into the block — unsigned (a warning only on an item published
    before `signatures_required_from`), signed by a colleague without the right, or with a date that does not read
    (never verified then) — had `diff` and `queue` compare with that version and show the reviewers only the change
    made after it."""
    roster = roster_of(catalog)
    review = as_mapping(document.meta.get("review"))
    org = catalog.org_code if catalog is not None else ""
    index_no = as_text(document.meta.get("index_no"))
    department = catalog.department(as_text(document.meta.get("department"))) if catalog is not None else None
    published = parse_date(document.meta.get("published"))
    members_only = catalog is not None and to_item(document, catalog).audience == AUDIENCE_PARTY
    found, refused, refused_by, people = None, "", "", set()
    for entry in chained(org, index_no, roster.levels, review):
        if not entry.fields.digest:
            continue
        day = parse_date(entry.raw.get("date"))
        person, findings = judge(roster, department, entry.fields, day, entry.signature, entry.message,
                                 members_only=members_only, published=published)
        if day is None or not entry.signature or findings or person is None or person.ident in people:
            refused = f"{entry.level.name}记录不是审查人本人有效的签署（`gongkai check` 说明原因）"
            continue
        people.add(person.ident)
        refused_by = refused_by or (entry.level.name if entry.fields.opinion != APPROVE else "")
        found = LastSigned(entry.level.name, entry.fields.digest, refused_by)
    if found is None and refused:
        return f"{refused}：无法据此找出签署时的版本，请对照全文重新审查"
    return found


def diff_item(root: Path, attachments_dir: Path, document: SourceDocument, catalog: Catalog | None,
              history: GitHistory | None = None) -> ItemDiff:
    """The difference between `document` (as it is now) and the version its last sign-off covered; `history`
    (`git_history(root)`), when given, is the repository found once for many items (`gongkai queue`)."""
    result = ItemDiff(document.path, digest=digest.compute(document.meta, document.body, attachments_dir, catalog))
    found = last_signed(document, catalog)
    if found is None:
        result.unavailable = "尚未签署任何一级审查：整篇都需要审查"
        return result
    if isinstance(found, str):
        result.unavailable = found
        return result
    result.level_name, target = found.level_name, found.digest
    if result.digest == target:
        result.unchanged = True
        return result
    if found.refused_by:
        # The version signed was refused: its changes alone would show a reviewer one edited character of a text the
        # reviewers would not publish, and their 同意公开 on it would publish the rest unread (rt30).
        result.unavailable = (f"{found.refused_by}意见是“{REFUSE}”：签署的版本没有被同意公开，不能只看此后的改动，"
                              "请对照全文重新审查")
        return result
    if history is None:
        with closing(GitHistory(root)) as own:
            return _against_history(result, own, document, attachments_dir, target, catalog)
    return _against_history(result, history, document, attachments_dir, target, catalog)


def _against_history(result: ItemDiff, history: GitHistory, document: SourceDocument, attachments_dir: Path,
                     target: str, catalog: Catalog | None) -> ItemDiff:
    if not history.ok:
        result.unavailable = f"{result.level_name}时的版本无法取得（{history.repo.problem}）：请对照全文重新审查"
        return result
    old = history.signed_version(document.path, attachments_dir, target, catalog)
    if old is None and (history.out_of_time or time.monotonic() >= history.deadline):
        result.unavailable = (f"git 历史太长，{GIT_BUDGET / 60:g} 分钟内没有找到{result.level_name}时的版本："
                              "请对照全文重新审查（或在历史较短的克隆中运行）")
        return result
    if old is None:
        result.unavailable = (f"在 git 历史中找不到{result.level_name}时的版本（签署后的内容未提交就被修改了）："
                              "请对照全文重新审查")
        return result
    old_document, old_hashes, where = old
    result.signed_at = where
    _compare(result, old_document, old_hashes, document, attachments_dir)
    return result


def _compare(result: ItemDiff, old: SourceDocument, old_hashes: dict[str, str], new: SourceDocument,
             attachments_dir: Path) -> None:
    before = {key: value for key, value in old.meta.items() if key != "review"}
    after = {key: value for key, value in new.meta.items() if key != "review"}
    for key in list(before) + [key for key in after if key not in before]:
        if key not in before or key not in after or _canonical(before[key]) != _canonical(after[key]):
            result.front_matter.append((str(key), before.get(key), after.get(key)))
    result.body = body_diff(old.body.strip("\n").split("\n"), new.body.strip("\n").split("\n"))
    new_hashes = {name: digest.attachment_hash(attachments_dir, name) for name in _attachment_files(new.meta)}
    for name in sorted(set(old_hashes) | set(new_hashes)):
        if name not in new_hashes:
            result.attachments.append((name, "移除"))
        elif name not in old_hashes:
            result.attachments.append((name, "新增"))
        elif old_hashes[name] != new_hashes[name]:
            result.attachments.append((name, "已替换"))


def _canonical(value: Any) -> str:
    """A value as the digest writes it: Python's `==` takes 1, 1.0 and True for one value, and the diff said only
    the formatting had changed where the page (and the digest) changed from 2025 to 2025.0."""
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return repr(value)


# Changed lines compared line by line at most (their count before × after): difflib's time grows with that product
# where the lines repeat (160,000 lines of 101 distinct ones took 150 s in `gongkai diff` and in every `gongkai queue`).
DIFF_PAIRS = 4_000_000


def body_diff(old: list[str], new: list[str]) -> list[str]:
    """The unified diff (one line of context, no file header) of a body's lines; where the changed stretch is too long
    to compare line by line (DIFF_PAIRS), that stretch as one hunk: every old line taken out, every new one put in."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if (len(old) - head - tail) * (len(new) - head - tail) <= DIFF_PAIRS:
        return [line for line in difflib.unified_diff(old, new, n=1, lineterm="") if not line.startswith(("---", "+++"))]
    start, old_end, new_end = max(head - 1, 0), len(old) - max(tail - 1, 0), len(new) - max(tail - 1, 0)
    hunk = [f"@@ -{start + 1},{old_end - start} +{start + 1},{new_end - start} @@"]
    hunk += [f" {line}" for line in old[start:head]]
    hunk += [f"-{line}" for line in old[head:len(old) - tail]] + [f"+{line}" for line in new[head:len(new) - tail]]
    return hunk + [f" {line}" for line in old[len(old) - tail:old_end]]


def _attachment_files(meta: dict[str, Any]) -> list[str]:
    entries = [entry for entry in as_list(meta.get("attachments")) if isinstance(entry, dict)]
    return [as_text(entry.get("file")) for entry in entries if as_text(entry.get("file"))]


class GitHistory:
    """Read-only access to the versions of files in the git repository around `root`."""

    def __init__(self, root: Path, budget: float | None = None, limits: Limits | None = None) -> None:
        budget = GIT_BUDGET if budget is None else budget
        self.root = root
        self.limits = limits or Limits()  # no version larger than the check reads is read (a 10 GB blob is 10 MB in git)
        self.repo = repository(root)
        self.ok = self.repo.top is not None
        self.top = self.repo.top or root
        self.prefix = root.resolve().relative_to(self.top.resolve()).as_posix() if self.ok else ""
        self.blobs = self.repo.blob_reader(self.top, budget)  # one git process for every version read
        self._empty: tempfile.TemporaryDirectory[str] | None = None
        self.logged: dict[str, list[tuple[str, str]]] | None = None  # `log_folder`'s: path in repo → (commit, its day in Beijing)
        self.deadline = time.monotonic() + budget
        self.out_of_time = False  # git was not asked (or not answered) once the budget had passed

    def close(self) -> None:
        self.blobs.close()
        if self._empty is not None:
            self._empty.cleanup()

    def empty(self) -> str:
        """A folder with nothing in it, for digesting versions that attach nothing."""
        if self._empty is None:
            self._empty = tempfile.TemporaryDirectory(prefix="gongkai-diff-")
        return self._empty.name

    def log_folder(self, folder: Path) -> None:
        """Learn the commits of every file below `folder` from one `git log` (`gongkai queue`: one for each
        changed item cost 5,000 of them a minute). `-m` lists a merge for each file it changes from either
        parent, so every version the file's own log shows is among them (some of a side branch besides: a
        version with the signed digest is the signed content wherever it is found)."""
        try:
            where = folder.resolve().relative_to(self.top.resolve()).as_posix()
        except ValueError:
            return
        log = self._git("log", "-m", "--format=%x01%H %ct", "--name-only", "-z", "--", where, most=LOG_BYTES)
        if log is None:  # each item's own `git log` then (`versions`)
            return
        logged: dict[str, list[tuple[str, str]]] = {}
        for chunk in log.split(b"\x01")[1:]:
            head, *names = chunk.split(b"\0")
            commit, _, time_ = head.decode("ascii", "replace").partition(" ")
            day = day_of(time_).isoformat()
            for raw in names:
                name = raw.removeprefix(b"\n").decode("utf-8", "surrogateescape")
                versions = logged.setdefault(name, []) if name else None
                if versions is not None and len(versions) < HISTORY_LIMIT and (commit, day) not in versions[-1:]:
                    versions.append((commit, day))
        self.logged = logged

    def _git(self, *args: str, most: int = MOST_OUTPUT) -> bytes | None:
        """git run at the top of the repository, where the paths it is given start (the site may lie below it);
        None, and nothing run, once GIT_BUDGET has passed (or past `most` bytes of output)."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.out_of_time = True
            return None
        output = self.repo.run(self.top, *args, timeout=min(60.0, left), most=most)
        if output is None and time.monotonic() >= self.deadline:
            self.out_of_time = True
        return output

    def _in_repo(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix not in ("", ".") else path

    def versions(self, path: str, first_parent: bool = False) -> list[tuple[str, str]]:
        """(commit, day) of the commits of the project's file `path`, newest first (at most HISTORY_LIMIT); with
        `first_parent`, only those of the checked-out branch's own line (a merge, not the merged branch's commits)."""
        if self.logged is not None and not first_parent:
            return self.logged.get(self._in_repo(path), [])
        line = ("--first-parent",) if first_parent else ()
        log = self._git("log", *line, f"-n{HISTORY_LIMIT}", "--format=%H %ct", "--", self._in_repo(path))
        return [(line.split(" ", 1)[0], day_of(line.split(" ", 1)[-1]).isoformat()) for line in (log or b"").decode().splitlines()]

    def version(self, commit: str, path: str, head: int | None = None) -> bytes | None:
        """The project's file `path` as `commit` holds it (its first `head` bytes)."""
        # Read through one `git cat-file --batch`: a `git show` each cost `gongkai queue` minutes.
        return self.blobs.read(f"{commit}:{self._in_repo(path)}", head)

    def signed_version(self, path: str, attachments_dir: Path, target: str, catalog: Catalog | None
                       ) -> tuple[SourceDocument, dict[str, str], str] | None:
        """(the document, its attachments' hashes, where) of the newest version whose digest is `target`."""
        return self._signed_among(self.versions(path), path, attachments_dir, target, catalog)

    def _signed_among(self, versions: list[tuple[str, str]], path: str, attachments_dir: Path, target: str,
                      catalog: Catalog | None) -> tuple[SourceDocument, dict[str, str], str] | None:
        attachments_rel = attachments_dir.resolve().relative_to(self.top.resolve()).as_posix()
        for commit, day in versions:
            data = self.version(commit, path, head=self.limits.item_bytes + 1)
            if data is None or len(data) > self.limits.item_bytes:  # a version the check refused: never the signed one
                continue
            document, _ = parse_document(data, path)
            if document is None:
                continue
            files = _attachment_files(document.meta)
            if len(files) > MAX_ATTACHMENTS:  # GK615 refused it too
                continue
            # A version without attachments is digested against one empty folder: a folder made and removed for
            # each cost `gongkai queue` with 5,000 changed items 14 s.
            with tempfile.TemporaryDirectory(prefix="gongkai-diff-") if files else nullcontext(self.empty()) as folder:
                hashes = {}
                for name in files:
                    inside = not Path(name).is_absolute() and ".." not in Path(name).parts
                    if inside:  # an old version's file name must not write elsewhere
                        copy = Path(folder) / name
                        # A name this file system cannot hold (too long, a NUL) was a version no check could have
                        # read either: its file counts as missing, and the queue goes on with the other versions;
                        # so does a file larger than the check reads, never held in memory (streamed to the copy).
                        with suppress(OSError, ValueError):
                            copy.parent.mkdir(parents=True, exist_ok=True)
                            self.blobs.save(f"{commit}:{attachments_rel}/{name}", copy, self.limits.attachment_bytes)
                    hashes[name] = digest.attachment_hash(Path(folder), name)
                if digest.compute(document.meta, document.body, Path(folder), catalog) == target:
                    return document, hashes, f"提交 {commit[:7]}，{day}"
        return None


def git_history(root: Path, budget: float | None = None, limits: Limits | None = None) -> GitHistory:
    """The repository around `root`, found once, for `diff_item` on many items; git asked for `budget` seconds
    (GIT_BUDGET unless told); no version or attachment larger than `limits` read."""
    return GitHistory(root, budget, limits)


def format_text(result: ItemDiff) -> str:
    """`gongkai diff` as a person reads it; its last line is the digest to sign with (`review --digest`)."""
    pin = f"当前内容摘要 {digest.shown(result.digest)}（签署时加上 --digest {digest.shown(result.digest)}）" if result.digest else ""
    if result.unchanged:
        return "\n".join(filter(None, [f"{printable(result.path)}：自{result.level_name}签署以来内容没有改动。", pin]))
    if result.unavailable:
        return "\n".join(filter(None, [f"{printable(result.path)}：{printable(result.unavailable)}", pin]))
    # What the reviewer reads is shown as it is written: an ESC sequence or a bidirectional mark in a changed
    # line would otherwise act on the terminal (erase or recolour the very line to be reviewed) or reorder it.
    lines = [f"{printable(result.path)}：与{result.level_name}签署时的版本（{result.signed_at}）相比"]
    if result.front_matter:
        lines.append("元数据：")
        for key, old, new in result.front_matter:
            lines.append(f"  {printable(key)}：{printable(_show(old))} → {printable(_show(new))}")
    if result.body:
        lines.append(f"正文（+{result.lines_added} 行，-{result.lines_removed} 行）：")
        lines.extend(f"  {printable(line)}" for line in result.body)
    if result.attachments:
        lines.append("附件：")
        lines.extend(f"  {printable(name)}：{change}" for name, change in result.attachments)
    if len(lines) == 1:
        lines.append("只有格式变化（引号、键的顺序等），内容摘要仍不同。")
    return "\n".join(filter(None, [*lines, pin]))


def _show(value: Any) -> str:
    if value is None:
        return "（无）"
    return json.dumps(value, ensure_ascii=False, default=str)
