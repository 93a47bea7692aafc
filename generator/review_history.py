"""`gongkai check --base REF`: what the target branch tells about an item's sign-offs.

An item put back to an older signed version (GK220): a sign-off is bound to the text it approved, not
to a moment, so an earlier version of an item, with its review block, stays a validly signed file.
Restoring it undoes every later review decision — a withdrawal, 不予公开 or 依申请公开, 党内, a later
publication date — without any reviewer. Within one repository such a restore shows as a sign-off
going back in time: the item's last review level is dated earlier than on the target branch (REF),
where reviews only move forward. Items are matched by 索引号, so moving the file (or the content folder) does not hide it. A
restore dated the same day as the sign-off it undoes is not told apart from it here; reviewers see it
in the merge request's diff. Deleting an item's file is a takedown too: an item added since REF whose
索引号 REF's history deleted after the item's latest sign-off is the deleted item put back.

A new unsigned sign-off (GK221): `signatures_required_from` keeps the unsigned sign-offs of items
published before signatures were required; one written or changed since REF is new, whatever date it
bears, and must be signed.

A new sign-off made with a retired key (GK222): a key stays in the roster after its `until` so that
its old signatures stay valid, and its holder (or whoever found a lost key) can still sign with a date
before `until`. A sign-off written since REF with a key retired before today is such a back-dated one.
So is one written since REF under a role (the roster's dated rights) that ended before today, when no role
held today allows it (GK223): a reviewer moved to another post can still date a sign-off into the old one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
import time
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import daachorse

from . import config_gate
from .clock import day_of
from .digest import signed_body
from .git_repo import MOST_OUTPUT, Repository, repository
from .limits import Limits
from .loading import SourceDocument, parse_document
from .model import Department, ReviewLevel
from .problems import Problem, printable
from .review_chain import signed_fields
from .roster import Roster
from .rules import ERROR, REVIEW
from .signatures import BadSignature, Signature
from .site_config import CONFIG_FILE, CONFIG_LIMIT
from .values import as_mapping, as_text, parse_date

NEW_UNSIGNED = REVIEW.rule(
    "GK221", ERROR,
    "新写或改动的审查记录没有签名（只有启用签名之前留下的记录可以不签名）",
    "由该级审查人用 `gongkai review 文件 --level 级别 --reviewer 姓名 --key 私钥文件` 签署",
)
RETIRED_KEY = REVIEW.rule(
    "GK222", ERROR,
    "新写的审查签名用的是已经停用的密钥（签名日期写在停用之前）",
    "停用的密钥只保留旧签名的效力，不能再签新的审查：请审查人用名册中现行有效的密钥以实际日期重新签署；密钥丢失的，核查它签过的记录",
)
ENDED_ROLE = REVIEW.rule(
    "GK223", ERROR,
    "新写的审查记录依据的是已经结束的审查权限（签署日期写在角色结束之前）",
    "结束的角色（roles 中写了 until 的一项）只保留旧审查的效力：请由现在有该级、该部门权限的审查人以实际日期签署",
)
ROLLED_BACK = REVIEW.rule(
    "GK220", ERROR,
    "审查记录比目标分支上的旧：条目被换回了较早的已签署版本",
    "审查记录只会向前：若确要恢复旧内容，请审查人重新审阅恢复后的内容，从第一级起用 `gongkai review` 以实际日期重新签署",
)


class HistoryUnavailable(Exception):
    """git could not tell what REF holds; the message is Chinese."""


@dataclass(frozen=True)
class _Review:
    """An item's review block, the date of its latest sign-off, and what it holds besides."""

    path: str  # project-relative
    level: str  # the key of the level signed last
    date: str  # YYYY-MM-DD; empty when no level has a date
    entries: dict[str, object]  # every level's entry, as the decision it records (`_bound`)
    content: str  # the front matter but the review, and the body as signed: what the sign-offs are about


def _review(document: SourceDocument, roster: Roster) -> _Review:
    """The latest date of any level, not only the last level's: while REF is under re-review (a lower level signed
    again, the last one removed), an older fully signed version restored has the older last date."""
    review = as_mapping(document.meta.get("review"))
    dated = [(day.isoformat(), level.key) for level in roster.levels
             if (day := parse_date(as_mapping(review.get(level.key)).get("date"))) is not None]
    date, level = max(dated) if dated else ("", roster.levels[-1].key)
    meta = {key: value for key, value in document.meta.items() if key != "review"}
    try:
        shown = json.dumps(meta, sort_keys=True, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):  # keys of several types, on a REF whose file no check may have read
        shown = repr(meta)
    return _Review(document.path, level, date, _bound(review), shown + "\0" + signed_body(document.body))


def _bound(review: dict[str, Any]) -> dict[str, object]:
    """A review block as the decisions it records: each level's reviewer, date, opinion and digest as its statement
    reads them (`review_chain.signed_fields`). Compared as parsed YAML, a block with a signature re-wrapped or written
    `|-`, or a date quoted, read as other sign-offs though every signature still verified — and so did one whose
    signature was spelt otherwise and still verified (SSHSIG version 0, an ECDSA s as n − s, a padded number): a
    takedown on REF undone on a branch with REF's own sign-offs passed. The signature's bytes are not the decision."""
    return {str(level): _bound_entry(str(level), entry) for level, entry in review.items()}


def _bound_entry(level: str, entry: object) -> object:
    return signed_fields(level, entry) if isinstance(entry, dict) else repr(entry)


def _items_on(repo: Repository, root: Path, ref: str, prefix: str, folder: str) -> list[str]:
    """REF's items folder when REF's own mkdocs.yml put content_dir elsewhere ([] otherwise): an item
    restored in a moved content folder is still matched with its REF version by 索引号."""
    from .roster_changes import BaseUnavailable, site_on

    try:
        site = site_on(repo, ref, prefix)  # the site moved within the repository: its items are where REF had it
    except BaseUnavailable as exc:
        raise HistoryUnavailable(str(exc)) from None
    config = next(repo.blobs(root, [f"{ref}:{posixpath.join('' if site == '.' else site, CONFIG_FILE)}"], head=CONFIG_LIMIT))[1]
    configured = config_gate.content_dir(config) if config is not None else None
    if configured is None:
        return []
    items = posixpath.normpath(posixpath.join("" if site == "." else site, configured, "items"))
    return [] if items == folder or items.startswith("../") or posixpath.isabs(items) else [items]


def against_base(root: Path, items_dir: Path, documents: Iterable[SourceDocument], roster: Roster, commit: str,
                 today: dt.date, department_of: Callable[[str], Department | None], shown: str = "",
                 edited: Collection[str] = (), item_bytes: int = Limits().item_bytes,
                 parsed: dict[str, SourceDocument | None] | None = None) -> list[Problem]:
    """GK220–GK223 for the items that differ from `commit` (a full commit id, `roster_changes.base_commit`'s);
    only those are read there, and kept in `parsed` (path in the repository → REF's version, None where it does not
    read) for the check's other comparison with REF. `shown` is the ref as the command line named it, for the messages.
    `department_of` finds an item's department by the name or key its front matter gives. `edited`: the items the
    check found changed since their last sign-off (GK207, GK226), whose change is reported already. No file of REF or its
    history is read past `item_bytes` (the item limit: a 10 GB blob is 10 MB in git)."""
    ref = shown or commit
    repo = repository(root)
    if repo.top is None:  # the roster's comparison, made first, refused --base and said why
        return []
    top = repo.top.resolve()
    try:
        folder = items_dir.resolve().relative_to(top).as_posix()
        prefix = root.resolve().relative_to(top).as_posix()
    except ValueError:
        return []
    folders = [folder, *_items_on(repo, root, commit, prefix, folder)]
    documents = list(documents)
    # Both name the folders from the top of the repository, where git reads its pathspecs (the site may lie below it).
    untracked = repo.records(top, "ls-files", "--others", "-z", "--", folder)  # the check reads them too
    status = changed_files(repo, top, commit, folders, [_in_repo(prefix, document.path) for document in documents])
    if status is None or untracked is None:  # never a silent pass: an item restored would go unseen
        raise HistoryUnavailable(f"git 无法列出与 {ref} 相比改动的条目（仓库的历史不完整或已损坏？）：无法核查条目是否被换回旧版本。"
                                 "CI 中请完整取回目标分支（GitHub Actions 的 checkout 设 fetch-depth: 0；GitLab 设 GIT_DEPTH: 0）")
    new_files = {name for name in untracked if name.endswith(".md")}
    _seen_by_git(repo, top, folder, prefix, documents, new_files, ref)
    if not status:
        return []
    changed_paths = {name if prefix == "." else name.removeprefix(prefix + "/") for name in status}
    before: dict[str, _Review] = {}  # by 索引号
    kept = sorted(name for name in status if status[name] != "A")  # not added since REF
    # One `git cat-file --batch` for them all: a `git show` each cost 5,000 changed items 20 s.
    for name, (_, data) in zip(kept, repo.blobs(top, (f"{commit}:{name}" for name in kept), head=item_bytes + 1), strict=True):
        if data is None:
            raise HistoryUnavailable(f"git 无法读出 {ref} 上的 {name}（仓库的历史不完整或已损坏？）：无法核查它是否被换回旧版本")
        # Larger than an item may be, REF's file failed REF's own check: no published version to go back from.
        old = parse_document(data, name if prefix == "." else name.removeprefix(prefix + "/"))[0] if len(data) <= item_bytes else None
        if parsed is not None:
            parsed[name] = old
        if old is None:  # added since, or unreadable there
            continue
        index_no, review = as_text(old.meta.get("index_no")), _review(old, roster)
        if index_no and (index_no not in before or before[index_no].date < review.date):
            before[index_no] = review
    # Every changed item whose 索引号 REF's changed files do not hold is new since REF, whatever its path's status: a
    # deleted item written over another item's file is a modified path, and its 索引号 is as new as an added file's.
    wanted = {index_no for document in documents if document.path in changed_paths
              and (index_no := as_text(document.meta.get("index_no"))) and index_no not in before}
    deleted = _deletions(repo, top, commit, wanted, ref, item_bytes, roster, today) if wanted else {}
    problems = []
    for document in documents:
        if document.path not in changed_paths:
            continue
        earlier = before.get(as_text(document.meta.get("index_no")))
        problems.extend(_new_unsigned(document, roster, earlier))
        problems.extend(_retired_keys(document, roster, earlier, today))
        problems.extend(_ended_roles(document, roster, earlier, today, department_of(as_text(document.meta.get("department")))))
        now = _review(document, roster)
        if earlier is None:
            problems.extend(_readded(document, roster, now, deleted.get(as_text(document.meta.get("index_no"))), ref))
            continue
        if now.entries and now.entries == earlier.entries and now.content != earlier.content and document.path not in edited:
            # Signed as REF's version is, yet other content, and not an edit since the sign-off: REF holds the edit
            # nobody signed (a takedown: 不予公开, a later date), and this undoes it with the same sign-offs.
            problems.append(ROLLED_BACK.at(
                document.path, document.line_of("review"),
                f"{ref} 上同一条目（索引号 {as_text(document.meta.get('index_no'))}）的审查记录与这里相同，内容却不同："
                f"{ref} 上的内容是签署后未经审查改动的（例如改为不予公开、推迟发布以撤下页面），这里把它换回了签署时的版本，"
                "会不经审查撤销那一改动，让撤下的页面重新发布。若确要恢复，请审查人重新审阅后从"
                f"{roster.levels[0].name}起用 `gongkai review` 以实际日期重新签署"))
            continue
        if not now.date or now.date >= earlier.date:
            continue
        name = roster.level_name(now.level)
        moved = f"，当时的文件是 {earlier.path}" if earlier.path != document.path else ""
        problems.append(ROLLED_BACK.at(
            document.path, document.line_of("review", now.level, "date"),
            f"{name}日期 {now.date} 早于 {ref} 上同一条目（索引号 {as_text(document.meta.get('index_no'))}{moved}）的"
            f"{roster.level_name(earlier.level)}日期 {earlier.date}：审查只会向前，这是把条目换回了较早的已签署版本（连同旧的审查记录），"
            f"会不经审查撤销此后的审查决定（撤回、改为不公开或仅党内、推迟发布等）。若确要恢复旧内容，"
            f"请审查人重新审阅后从{roster.levels[0].name}起用 `gongkai review` 以实际日期重新签署"))
    return problems


# What is read of a deleted file: its front matter, within the first `item_bytes` (a front matter padded with comment
# lines, which no digest reads, to push its 索引号 past a shorter head is read to its end; one larger than an item may
# be was never published), and the whole scan of them is bounded in time: any .md deleted anywhere in the history is
# listed, and a merged branch may have added and deleted thousands, each padded to the limit (≈ 5 KB in git each).
DELETIONS_SECONDS = 120
# The loader's closing fence (`loading._FENCE`), on the bytes: a line of its own, the last one of the file too.
_FENCE = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


@dataclass(frozen=True)
class _Deletion:
    """What REF's history deleted of the items of one 索引号: when last, where, and the review blocks it deleted."""

    date: str  # YYYY-MM-DD, of the version deleted last: the first commit that deleted it, or its own latest sign-off if later
    path: str  # in the repository
    reviews: tuple[dict[str, object], ...]  # every deleted version's review block, as the decisions it records


def _deletions(repo: Repository, top: Path, commit: str, wanted: set[str], ref: str, item_bytes: int, roster: Roster,
               today: dt.date) -> dict[str, _Deletion]:
    """索引号 → its deletions in REF's whole history, for the 索引号 in `wanted` (items added since REF that REF's
    changed files do not hold). Deleting an item's file is how a page is taken down; its last signed version stays a
    validly signed file, and put back (under any name, in any folder) it undid the takedown with no reviewer. Every
    commit is read, merges against each of their parents: a file deleted on a branch and merged is seen, and so is one
    a merge drops that only its second parent held (a takedown made while merging main into a stale branch)."""
    if repo.run(top, "rev-parse", "--is-shallow-repository") != b"false\n":
        raise HistoryUnavailable(f"仓库是浅克隆（或 git 无法读出它的历史）：无法核查新加入的条目是不是 {ref} 上"
                                 "删除（撤下）过的条目被换了回来。"
                                 "CI 中请完整取回历史（GitHub Actions 的 checkout 设 fetch-depth: 0；GitLab 设 GIT_DEPTH: 0）")
    listed = repo.run(top, "log", "--no-renames", "--diff-filter=D", "--raw", "--no-abbrev", "-z", "--diff-merges=separate",
                      "--format=%x01%ct", commit, "--", timeout=600)
    if listed is None:
        raise HistoryUnavailable(f"git 无法列出 {ref} 历史中删除过的文件（仓库的历史不完整、已损坏，"
                                 f"或删除记录多于 {MOST_OUTPUT // (1 << 20)} MB？）："
                                 "无法核查新加入的条目是不是被删除（撤下）后又换回来的")
    # blob → (date, path) of its first deletion, its day in Beijing ("~" sorts after every date): a merge lists again,
    # against a parent that kept it, a file its first parent's line deleted long before, and the takedown is as old as that
    first: dict[str, tuple[str, str]] = {}
    for record in listed.decode("utf-8", "surrogateescape").split("\x01")[1:]:
        time_, *fields = record.split("\0")
        date = day_of(time_).isoformat()
        for info, name in zip(fields[::2], fields[1::2], strict=False):
            parts = info.strip().split(" ")
            if name.endswith(".md") and len(parts) == 5 and parts[4] == "D" and first.get(parts[2], ("~",))[0] > date:
                first[parts[2]] = (date, name)
    found: dict[str, list[tuple[str, str, dict[str, object]]]] = {}  # 索引号 → (date, path, review block) of each deletion
    needles = daachorse.DoubleArrayAhoCorasick([index_no.encode("utf-8", "surrogatepass") for index_no in wanted])  # one pass for all
    deadline = time.monotonic() + DELETIONS_SECONDS
    for number, (blob, data) in enumerate(repo.blobs(top, first, head=item_bytes + 1)):
        if data is None:
            raise HistoryUnavailable(f"git 无法读出 {ref} 历史中删除过的文件 {printable(first[blob][1])}（部分克隆或历史已损坏？）："
                                     "无法核查新加入的条目是不是被删除（撤下）后又换回来的。CI 中请完整取回历史")
        if time.monotonic() > deadline:
            raise HistoryUnavailable(f"{ref} 的历史中删除过的 .md 文件太多或太大（{len(first)} 个，{DELETIONS_SECONDS} 秒内只读完 "
                                     f"{number} 个）：无法核查新加入的条目是不是被删除（撤下）后又换回来的。请检查是否有提交加入又删除了"
                                     "大量或超大的 .md 文件，或在本机运行 `gongkai check --base` 查看")
        if len(data) > item_bytes:  # larger than an item may be: its whole lines within the limit
            data = data[:data.rfind(b"\n", 0, item_bytes) + 1]
        opened = data.find(b"\n")
        fence = _FENCE.search(data, opened + 1) if opened >= 0 else None
        if fence is None:  # no front matter that closes within the item limit: never a published item
            continue
        data = data[:fence.end() + 1]
        if b"\\" not in data and not needles.find(data):  # a YAML escape may spell it otherwise
            continue
        date, name = first[blob]
        old = parse_document(data, name)[0]
        if old is not None and (index_no := as_text(old.meta.get("index_no"))) in wanted:
            # A committer writes a commit's date: a version was deleted no earlier than it was signed (a copy deleted
            # by a commit dated 2019 made a 2026 takedown look older than the version put back).
            review = _review(old, roster)
            found.setdefault(index_no, []).append((max(date, min(review.date, today.isoformat())), name, review.entries))
    return {index_no: _Deletion(*max((date, name) for date, name, _ in deletions), tuple(review for *_, review in deletions))
            for index_no, deletions in found.items()}


def _readded(document: SourceDocument, roster: Roster, now: _Review, deletion: _Deletion | None, ref: str) -> list[Problem]:
    """GK220 for an item added since REF whose 索引号 REF's history deleted: a deleted item put back with its old
    sign-offs, which are a deleted version's own or older than the deletion. Signed again on or after the deletion's
    day, it is a new decision — unless it is the deleted block again: the same text signed the same day by the same
    keys (Ed25519 signs alike) cannot be told from the deleted sign-off, so a same-day restore is signed a day later."""
    if deletion is None or not now.entries:
        return []
    if now.entries not in deletion.reviews and (not now.date or now.date >= deletion.date):
        return []
    return [ROLLED_BACK.at(
        document.path, document.line_of("review", now.level, "date"),
        f"{ref} 的历史中同一条目（索引号 {as_text(document.meta.get('index_no'))}，文件 {printable(deletion.path)}）已于 "
        f"{deletion.date} 删除：删除文件就是撤下页面。这里把它连同删除前的审查记录（最近的签署日期 {now.date}）重新加了回来，"
        f"会不经审查让撤下的页面重新发布。若确要恢复，请审查人重新审阅后从{roster.levels[0].name}起用 `gongkai review` "
        "以实际日期重新签署（在删除当天签署的审查记录与删除的完全相同，无法区分，须以删除之后的日期签署）")]


def _in_repo(prefix: str, path: str) -> str:
    return path if prefix == "." else f"{prefix}/{path}"


def changed_files(repo: Repository, top: Path, commit: str, folders: list[str], read: list[str]) -> dict[str, str] | None:
    """Path in the repository → A (not on REF), M (other bytes than on REF) or D (gone) for the Markdown files below
    `folders` that differ between REF and the work tree, the items the check read (`read`) among them; None where
    git cannot tell. Each file is hashed by git from the work tree as it is now (`hash-object`), never taken from the
    index: `git diff REF` trusts it, and a file marked assume-unchanged or skip-worktree (or whose size and times the
    index still matches, where `core.trustctime` is off) was compared with REF as the index holds it — an item put
    back to its older signed version passed `--base` on the editor's machine in silence."""
    listed = repo.records(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *folders)
    if listed is None:
        return None
    on_ref: dict[str, str] = {}
    for entry in listed:
        info, _, name = entry.partition("\t")
        fields = info.split(" ")
        if name.endswith(".md") and len(fields) == 3 and fields[1] == "blob":
            on_ref[name] = fields[2]
    status = {name: "A" for name in read if name not in on_ref}
    here = [name for name in on_ref if os.path.isfile(top / name) and not os.path.islink(top / name)]
    status.update((name, "D") for name in on_ref.keys() - set(here))  # or no longer a file (the check says so)
    status.update((name, "M") for name in here if "\n" in name)  # `--stdin-paths` cannot carry it: read from REF
    asked = [name for name in here if "\n" not in name]
    if asked:
        # `--no-filters`: the bytes as they are, which the check reads (no line-end or `ident` conversion that
        # `.gitattributes` names could make two texts one).
        hashed = repo.run(top, "hash-object", "--no-filters", "--stdin-paths", stdin="\n".join(asked).encode("utf-8", "surrogateescape"))
        ids = hashed.decode("ascii", "replace").split() if hashed is not None else []
        if len(ids) != len(asked):
            return None
        status.update((name, "M") for name, blob in zip(asked, ids, strict=True) if blob != on_ref[name])
    return status


def _seen_by_git(repo: Repository, top: Path, folder: str, prefix: str, documents: list[SourceDocument],
                 untracked: set[str], ref: str) -> None:
    """HistoryUnavailable unless git tracks, or lists as untracked, every item the check read: a file in a submodule
    (or any repository checked out inside this one) is neither, so git compared nothing of it with REF, and an item
    put back to its older signed version there passed `--base` in silence."""
    tracked = repo.records(top, "ls-files", "--cached", "-z", "--", folder)
    if tracked is None:
        raise HistoryUnavailable(f"git 无法列出 {folder} 中的文件（仓库已损坏？）：无法与 {ref} 比较条目")
    # Composed on both sides: git on macOS lists names composed (core.precomposeUnicode), the folder may not.
    known = {unicodedata.normalize("NFC", name)
             for name in untracked | set(tracked)}
    hidden = [document.path for document in documents if unicodedata.normalize(
        "NFC", document.path if prefix == "." else f"{prefix}/{document.path}") not in known]
    if hidden:
        more = f"等 {len(hidden)} 个文件" if len(hidden) > 1 else ""
        raise HistoryUnavailable(
            f"{printable(hidden[0])}{more}不是这个 git 仓库的文件（在子模块或另一个 git 仓库中）：git 不会把它与 {ref} "
            "比较，无法核查它是否被换回了较早的已签署版本。条目须直接提交在本仓库中：请删除子模块（git rm 子模块目录），"
            "把条目文件本身提交进来")


def _new_entries(document: SourceDocument, roster: Roster, earlier: _Review | None) -> Iterator[tuple[ReviewLevel, dict]]:
    """Each level entry of `document` that is not carried over unchanged from `ref`: written or changed since."""
    review = as_mapping(document.meta.get("review"))
    for level in roster.levels:
        entry = review.get(level.key)
        if isinstance(entry, dict) and (earlier is None or earlier.entries.get(level.key) != _bound_entry(level.key, entry)):
            yield level, entry


def _new_unsigned(document: SourceDocument, roster: Roster, earlier: _Review | None) -> list[Problem]:
    """GK221 for each unsigned level entry of `document` that is not carried over unchanged from `ref`
    (the check itself reports unsigned entries as errors unless `signatures_required_from` spares them)."""
    if not roster.signatures_required or roster.required_from is None:
        return []
    problems = []
    for level, entry in _new_entries(document, roster, earlier):
        if entry.get("signature"):
            continue
        problems.append(NEW_UNSIGNED.at(
            document.path, document.line_of("review", level.key),
            f"{level.name}记录没有签名，而且是新写或改动过的（目标分支上没有这条记录）：catalog.yml 的 "
            f"signatures_required_from（{roster.required_from}）只照顾启用签名之前留下的记录，新的审查记录无论写什么日期都必须签名；"
            f"请{level.name}人用 `gongkai review {document.path} --level {level.key} --reviewer 姓名 --key 私钥文件` 签署"))
    return problems


def _retired_keys(document: SourceDocument, roster: Roster, earlier: _Review | None, today: dt.date) -> list[Problem]:
    """GK222 for each signed level entry new since `ref` whose key the roster retired before `today`."""
    problems = []
    for level, entry in _new_entries(document, roster, earlier):
        text = entry.get("signature")
        if not isinstance(text, str) or not text:
            continue
        try:
            owner = roster.key_owner(Signature.parse(text).public_key)
        except BadSignature:
            continue  # the check says why
        if owner is None or owner[1].until is None or owner[1].until >= today:
            continue
        holder, key = owner
        problems.append(RETIRED_KEY.at(
            document.path, document.line_of("review", level.key, "signature"),
            f"{level.name}签名是新写的（目标分支上没有），用的却是{holder.name}已于 {key.until} 停用的密钥"
            f"（{key.key.fingerprint}），签名日期写在停用之前：停用的密钥只保留旧签名的效力，不能再签新的审查。"
            f"请{holder.name}用名册中现行有效的密钥以实际日期重新签署；若这把密钥丢失或泄露，请核查它签过的全部记录"))
    return problems


def _ended_roles(document: SourceDocument, roster: Roster, earlier: _Review | None, today: dt.date,
                 department: Department | None) -> list[Problem]:
    """GK223 for each level entry new since `ref` that a role allowed on its date but none allows today."""
    problems = []
    for level, entry in _new_entries(document, roster, earlier):
        person, day = roster.person(as_text(entry.get("reviewer"))), parse_date(entry.get("date"))
        if person is None or day is None or day >= today:
            continue
        if not person.may_sign(level.key, department, day) or person.may_sign(level.key, department, today):
            continue  # not allowed even then (GK211, GK212), or still allowed
        ended = max((role.until for role in person.roles_on(day) if role.until is not None and level.key in role.levels),
                    default=None)
        problems.append(ENDED_ROLE.at(
            document.path, document.line_of("review", level.key, "date"),
            f"{level.name}记录是新写的（目标分支上没有），签署日期 {day} 写在{person.name}的{level.name}权限结束"
            f"{f'（{ended}）' if ended else ''}之前，而{person.name}现在已没有这项权限：结束的角色只保留旧审查的效力，"
            f"不能再签新的审查。{ENDED_ROLE.fix}"))
    return problems
