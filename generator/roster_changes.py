"""`gongkai check --base REF`: how the reviewer roster differs from the one on a git ref.

The roster is the trust root of every sign-off, so a change to it (a new person, a new key, wider
rights) must be seen and approved by the office leader; CI passes the target branch as REF and the
check prints the changes as a notice of their own.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import config_gate
from .catalog import load_catalog
from .config_gate import PLUGIN
from .git_repo import Repository, repository
from .limits import Limits
from .loading import yaml_document
from .model import Catalog
from .problems import printable
from .roster import Reviewer, Roster
from .site_config import CONFIG_FILE, CONFIG_LIMIT
from .values import as_mapping, as_text


class BaseUnavailable(Exception):
    """The roster on REF cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class Change:
    sign: str  # "+" added, "-" removed, "~" changed
    text: str  # Chinese, one line
    line: int  # in the current catalog.yml (1 for removals)


@dataclass(frozen=True)
class BaseRoster:
    """The roster on REF, with the names its catalog gave the department slugs it holds, and where it was."""

    roster: Roster
    department_names: dict[str, str]
    column_names: dict[str, str]
    path: str  # its catalog.yml, relative to the site's root, as REF's mkdocs.yml places it
    site: str = "."  # the site's folder in the repository on REF ("." at the top)
    here: str = "."  # and now


def base_commit(root: Path, ref: str) -> str:
    """The commit `ref` names, as its full id, resolved once for the whole comparison (the roster's and the
    items'); BaseUnavailable (Chinese) when there is none, it is not a commit, or git finds the name twice."""
    repo = repository(root)
    if repo.git_dir is None or repo.top is None:
        raise BaseUnavailable(f"{repo.problem}，无法与 --base 比较审查人名册")
    commit, problem = repo.commit_of(root, ref)
    if commit is not None:
        return commit
    if problem:
        raise BaseUnavailable(problem)
    # `cat-file -e`: an object that is there (`rev-parse` takes any full commit id, and one a shallow or partial
    # clone lacks was named "a tree or a file", without the advice to fetch the history). `ref` is no option: commit_of.
    if repo.run(root, "cat-file", "-e", ref, timeout=60) is not None:
        raise BaseUnavailable(f"git 引用“{printable(ref)}”指的不是提交（是目录树或文件）：--base 需要分支、标签或提交，"
                              "例如 --base origin/main")
    raise BaseUnavailable(f"找不到 git 引用“{printable(ref)}”：CI 中请先取回目标分支"
                          "（GitHub Actions 的 checkout 设 fetch-depth: 0；GitLab 设 GIT_DEPTH: 0）")


# The most mkdocs.yml files of REF read in looking for a site that moved (each up to CONFIG_LIMIT, a second or more of
# composing when a hostile one is large): past it, which was this site's is not told.
MOST_SITES = 20


def site_on(repo: Repository, commit: str, site: str) -> str:
    """The folder (a path in the repository, "." at the top) the site now at `site` is in on `commit`: `site` itself
    where REF has a mkdocs.yml there or has no gongkai site of its organisation; else the one folder where REF's
    mkdocs.yml enables the gongkai plugin and its catalog.yml has this site's organisation code. The site moved within
    its repository (`git mv mkdocs.yml content … site/`) had REF's roster, items and registers read where they were
    not: every item was new, an item put back to its version before a takedown passed, and a past year's register was
    compared with nothing. BaseUnavailable (Chinese) when REF holds
    several such sites and none here, or more than MOST_SITES mkdocs.yml."""
    assert repo.top is not None
    here = posixpath.join("" if site == "." else site, CONFIG_FILE)
    if repo.run(repo.top, "cat-file", "-e", f"{commit}:{here}", timeout=60) is not None:
        return site
    listed = repo.records(repo.top, "ls-tree", "-r", "-z", "--full-tree", "--name-only", commit)
    if listed is None:
        raise BaseUnavailable("git 无法列出 --base 上的文件（仓库的历史不完整或已损坏？）：无法核查审查人名册和条目。"
                              "CI 中请完整取回目标分支（GitHub Actions 的 checkout 设 fetch-depth: 0；GitLab 设 GIT_DEPTH: 0）")
    configs = [name for name in listed if posixpath.basename(name) == CONFIG_FILE]
    if len(configs) > MOST_SITES:
        raise BaseUnavailable(f"--base 上 {printable(here)} 不存在，而 --base 上有 {len(configs)} 个 {CONFIG_FILE}：无法确定这个站点在 "
                              "--base 上的位置，也就无法与它比较审查人名册和条目。站点目录在仓库中移动了位置的，请分两次合并："
                              "先只移动，再做其他改动")
    sites = {posixpath.dirname(name) or ".": configured for name, (_, data) in zip(configs, repo.blobs(
             repo.top, [f"{commit}:{name}" for name in configs], head=CONFIG_LIMIT), strict=True)
             if data is not None and PLUGIN.encode() in data and (configured := config_gate.content_dir(data)) is not None}
    # Another office's site of the same repository is not this one's old place: a moved site keeps its organisation
    # (its code is in every 索引号 its reviewers signed), and a new site beside another one has nothing on REF.
    org = _org_code(_head(repo.top / site / (_configured(repo.top / here) or "content") / "catalog.yml"))
    catalogs = [posixpath.normpath(posixpath.join("" if folder == "." else folder, configured, "catalog.yml"))
                for folder, configured in sites.items()]
    found = [folder for folder, (_, data) in zip(sites, repo.blobs(repo.top, [f"{commit}:{name}" for name in catalogs],
                                                                    head=Limits().item_bytes + 1), strict=True)
             if not org or _org_code(data) == org]
    if not found:
        return site  # no site on REF: nothing of it to compare
    if len(found) == 1:
        return found[0]
    shown = "、".join(printable(folder) for folder in found[:5]) + (" 等" if len(found) > 5 else "")
    raise BaseUnavailable(f"--base 上 {printable(here)} 不存在，而 --base 上有多个 gongkai 站点（{shown}）：无法确定这个站点在 "
                          "--base 上的位置，也就无法与它比较审查人名册和条目。站点目录在仓库中移动了位置的，请分两次合并："
                          "先只移动，再做其他改动")


def _head(file: Path) -> bytes | None:
    """A file of the work tree, up to the item limit; None where it cannot be read."""
    try:
        with open(file, "rb") as opened:
            return opened.read(Limits().item_bytes + 1)
    except OSError:
        return None


def _configured(config: Path) -> str | None:
    data = _head(config)
    return config_gate.content_dir(data[:CONFIG_LIMIT]) if data is not None else None


def _org_code(data: bytes | None) -> str:
    """The organisation code a catalog.yml's bytes give (`org: {code: …}`), "" where none reads."""
    if data is None or len(data) > Limits().item_bytes:
        return ""
    parsed = yaml_document(data, "catalog.yml")[0]
    return as_text(as_mapping(as_mapping(parsed).get("org")).get("code")).strip()


def roster_at(root: Path, catalog_file: Path, commit: str, limit: int) -> BaseRoster | None:
    """The roster as it is on `commit` (`base_commit`'s): the catalog.yml of the content_dir that its own mkdocs.yml
    names (a merge request that points content_dir at a folder with a roster of its own changes the trust root
    without touching content/catalog.yml); None when there was none."""
    repo = repository(root)
    if repo.git_dir is None or repo.top is None:
        raise BaseUnavailable(f"{repo.problem}，无法与 --base 比较审查人名册")
    ref = commit
    try:
        here = Path(os.path.realpath(root)).relative_to(os.path.realpath(repo.top)).as_posix()
        path = catalog_file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise BaseUnavailable("无法运行 git 读取 --base 上的 catalog.yml") from None
    site = site_on(repo, commit, here)
    # Each read no further than the check reads the file (a 4 GB catalog.yml of REF is a few MB in git).
    config = next(repo.blobs(root, [f"{ref}:{posixpath.join(site, CONFIG_FILE)}"], head=CONFIG_LIMIT))[1]
    configured = config_gate.content_dir(config) if config is not None else None
    if configured is not None:
        path = posixpath.normpath(posixpath.join(configured, "catalog.yml"))
        if path.startswith("../") or posixpath.isabs(path):
            return None  # no roster REF could have used
    shown = next(repo.blobs(root, [f"{ref}:{posixpath.normpath(posixpath.join(site, path))}"], head=limit + 1))[1]
    if shown is None:
        return None
    with tempfile.TemporaryDirectory(prefix="gongkai-base-") as folder:
        (Path(folder) / "catalog.yml").write_bytes(shown)
        catalog, _, _ = load_catalog(Path(folder), Path(folder), limit)
    if catalog is None or catalog.roster is None:
        return None
    return BaseRoster(catalog.roster, department_names(catalog), column_names(catalog), path, site, here)


def department_names(catalog: Catalog) -> dict[str, str]:
    return {department.slug: department.name for department in catalog.departments}


def column_names(catalog: Catalog) -> dict[str, str]:
    return {column.slug: column.name for column in catalog.categories}


def renames(old: dict[str, str], new: dict[str, str], what: str) -> list[Change]:
    """The departments or columns (`what`) whose slug names another name than on REF: an item that writes the slug is
    shown under the new name without a signature changing (one that writes the name fails GK107 instead)."""
    return [Change("~", f"{what}代号 {slug} 的名称改变：{old[slug]} → {name}（用代号写{what}的已签署条目，页面上随之显示新名称）", 1)
            for slug, name in new.items() if slug in old and old[slug] != name]


def compare(old: Roster | None, new: Roster, department_names: dict[str, str] | None = None,
            old_department_names: dict[str, str] | None = None) -> list[Change]:
    """The changes from `old` to `new`; departments shown by name (slug → name), each roster's by its own
    catalog's: rights are held as slugs, and a slug given to another department (catalog.yml's
    `departments`, not the roster) moves a reviewer's rights without a line of the roster changing."""
    names = department_names or {}
    old_names = old_department_names if old_department_names is not None else names

    changes: list[Change] = []
    before = {person.ident: person for person in (old.reviewers if old else ())}
    after = {person.ident: person for person in new.reviewers}
    if old is not None and (old.levels != new.levels or old.signatures_required != new.signatures_required
                            or old.required_from != new.required_from):
        changes.append(Change("~", f"审查级别或签名要求改变：{_setup(old)} → {_setup(new)}", new.line))
    if old is not None and old.party_restricted != new.party_restricted:
        changes.append(Change("~", "名册中已没有写 party: true 的人：此后任何审查人都可签署党内信息" if old.party_restricted
                              else "名册中开始有人写 party: true：此后党内信息只能由写了 party: true 的人签署", new.line))
    for ident, person in after.items():
        previous = before.get(ident)
        if previous is None:
            keys = "、".join(key.key.fingerprint for key in person.keys) or "无"
            changes.append(Change("+", f"新增审查人 {person.name}：{rights(new, person, names)}；密钥 {keys}", person.line))
            continue
        assert old is not None  # someone was in it
        had, has = rights(old, previous, old_names), rights(new, person, names)
        if had != has:
            changes.append(Change("~", f"{person.name} 的权限改变：{had} → {has}", person.line))
        old_keys = {key.key.blob: key for key in previous.keys}
        for key in person.keys:
            was = old_keys.pop(key.key.blob, None)
            if was is None:
                changes.append(Change("+", f"{person.name} 新增密钥 {key.key.fingerprint}（{key.period()}）", key.line))
            elif (was.valid_from, was.until) != (key.valid_from, key.until):
                changes.append(Change("~", f"{person.name} 的密钥 {key.key.fingerprint} 有效期 {was.period()} → {key.period()}",
                                      key.line))
        for key in old_keys.values():
            changes.append(Change("-", f"{person.name} 移除密钥 {key.key.fingerprint}（该密钥的旧签名将失效；停用请写 until）",
                                  person.line))
    for ident, person in before.items():
        if ident not in after:
            changes.append(Change("-", f"移除审查人 {person.name}（其签署的审查将无法验证；离任请保留并给密钥写 until）", new.line))
    return changes


def _setup(roster: Roster) -> str:
    levels = " → ".join(level.name for level in roster.levels)
    rule = "必须签名" if roster.signatures_required else "可不签名"
    since = f"（{roster.required_from} 起）" if roster.required_from else ""
    return f"{levels}，{rule}{since}"


def rights(roster: Roster, person: Reviewer, names: dict[str, str]) -> str:
    """“初审、复核；住房保障股”: what a person may sign, each dated role with its period, and the 党内 items
    (`party: true`)."""
    described = []
    for role in person.roles:
        levels = "、".join(roster.level_name(key) for key in roster.level_keys if key in role.levels) or "无级别"
        departments = ("全部部门" if role.departments is None
                       else "、".join(sorted(names.get(slug, slug) for slug in role.departments)) or "无部门")
        described.append(f"{levels}；{departments}{f'（{role.period()}）' if role.dated else ''}")
    party = "；可签署党内信息（party: true）" if person.party else ""
    return (" / ".join(described) or "无权限") + party


def format_text(changes: list[Change], ref: str, path: str) -> str:
    if not changes:
        return f"审查人名册（{path}）与 {ref} 相同。"
    lines = [f"审查人名册变更（{path}，与 {ref} 相比）——请确认已经办公室负责人批准："]
    lines += [f"  {change.sign} 第 {change.line} 行：{change.text}" for change in changes]
    return "\n".join(lines)


def format_github(changes: list[Change], ref: str, path: str) -> str:
    from .problems import _escape_github as escape_github

    return "\n".join(
        f"::notice file={escape_github(path, property_=True)},line={change.line},"
        f"title={escape_github('审查人名册变更', property_=True)}::{escape_github(f'与 {ref} 相比：{change.sign} {change.text}')}"
        for change in changes
    )
