"""Every rule of `gongkai check`, declared once: code, severity, family, title and fix.

A module declares the rules it raises beside the code that raises them
(`MISSING = SCHEMA.rule("GK101", ERROR, title, fix)`) and raises a problem through the rule
(`MISSING.at(path, line, message)`), so a code's severity is written in exactly one place. The
registry holds every rule once a module has declared it; `all_rules()` imports the modules that
declare rules, and the 编辑手册's table of codes is generated from it (`gongkai rules`).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .problems import ERROR, SEVERITY_LABELS, WARNING, Problem

if TYPE_CHECKING:
    from .model import Item

__all__ = ["ERROR", "WARNING", "Family", "Rule", "all_rules", "blocking", "blocks_publishing", "families"]


@dataclass(frozen=True)
class Family:
    """A group of rules that share a subject and a code range (GK1xx: 元数据 …)."""

    key: str  # e.g. "schema"
    codes: str  # e.g. "GK1xx", as the 编辑手册 names the range
    title: str  # Chinese, e.g. "元数据"

    def rule(self, code: str, severity: str, title: str, fix: str, *, blocks_publishing: bool = True,
             takes_down: bool = False, moot_when_taken_down: bool = False) -> Rule:
        """Declare a rule of this family; a code may be declared only once. An error that does not
        block publishing fails `gongkai check` (and CI) but not `gongkai build`: kept for office duties
        that fall due by the calendar, not for anything about the text being published."""
        if severity not in SEVERITY_LABELS:
            raise ValueError(f"{code}: unknown severity {severity!r}")
        if code in _REGISTRY:
            raise ValueError(f"{code} is declared twice")
        if blocks_publishing is False and severity != ERROR:
            raise ValueError(f"{code}: only an error can be declared as not blocking publishing")
        declared = Rule(code, severity, self, title, fix, blocks_publishing, takes_down, moot_when_taken_down)
        _REGISTRY[code] = declared
        return declared


@dataclass(frozen=True)
class Rule:
    """One stable code: what it finds (title) and how an editor fixes it (fix), both Chinese."""

    code: str
    severity: str  # ERROR | WARNING
    family: Family
    title: str
    fix: str
    blocks_publishing: bool = True  # an error that stops `gongkai build` as well as `gongkai check`
    takes_down: bool = False  # its file is being taken off the site: a link's problem about that file stops no build
    # A problem only of the date an item is published on, which a postponement taking the item down brings about (the
    # 索引号's year, public_from before it): in the file of an item being taken down, it stops no build.
    moot_when_taken_down: bool = False

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def at(self, path: str, line: int, message: str, col: int = 1, *, targets: tuple[str, ...] = ()) -> Problem:
        """A problem of this rule at `path:line:col`. A personal number the message quotes from the content
        (an unknown YAML key, a value, a line of context) is masked as the privacy rules mask what they
        find: problem lines reach CI logs, annotations and terminals, read more widely than the content."""
        from .checks.pii import conceal  # the check families import this module

        return Problem(path, max(line, 1), max(col, 1), self.code, self.severity, conceal(message), targets)

    def referring(self, path: str, line: int, message: str, col: int = 1, *, referrer: Item | None,
                  target: Item | Sequence[Item]) -> Problem:
        """A problem of a link or reference from `referrer` (an item; None for a page or a template, which are not
        signed) to `target`, an item not shown where the reference is (or items: those attaching a file linked)."""
        targets = tuple(target) if isinstance(target, Sequence) else (target,)
        found = self.at(path, line, message, col, targets=tuple(item.path for item in targets))
        if referrer is None:
            return found
        referred = referrer.review.last_date
        later = referred is not None and any(item.review.last_date is not None and item.review.last_date > referred
                                             for item in targets)
        return replace(found, target_signed_later=later)


# The families, in the order of their codes.
READING = Family("reading", "GK0xx", "读取文件")
SCHEMA = Family("schema", "GK1xx", "元数据")
REVIEW = Family("review", "GK2xx", "保密审查")
PRIVACY = Family("privacy", "GK3xx", "个人信息")
SECRECY = Family("secrecy", "GK40x–GK45x", "密级标志")
WORDING = Family("wording", "GK46x–GK49x", "错敏用语")
MARKUP = Family("markup", "GK5xx", "不安全标记")
REFERENCES = Family("references", "GK6xx", "引用")
TIMELINESS = Family("timeliness", "GK7xx", "时效")
REPORTS = Family("reports", "GK80x–GK82x", "年度报告数据")
REGISTERS = Family("registers", "GK83x–GK86x", "依申请公开与督查督办登记")
CATALOG = Family("catalog", "GK9xx", "目录配置（catalog.yml）")
_FAMILIES = (READING, SCHEMA, REVIEW, PRIVACY, SECRECY, WORDING, MARKUP, REFERENCES, TIMELINESS, REPORTS, REGISTERS, CATALOG)

_REGISTRY: dict[str, Rule] = {}

# The modules that declare rules: importing the check families imports all of them but the
# comparison with a git ref (`gongkai check --base`).
_DECLARING = ("gongkai.checks", "gongkai.review_history")


def families() -> tuple[Family, ...]:
    return _FAMILIES


def all_rules() -> list[Rule]:
    """Every declared rule, by code."""
    for module in _DECLARING:
        importlib.import_module(module)
    return sorted(_REGISTRY.values(), key=lambda declared: declared.code)


def blocks_publishing(problem: Problem) -> bool:
    """Whether `problem` stops the site from being built (every error but those declared otherwise)."""
    declared = _REGISTRY.get(problem.code)
    return problem.is_error and (declared is None or declared.blocks_publishing)


def blocking(problems: Sequence[Problem]) -> list[Problem]:
    """The problems that stop the site from being built: those that block publishing, but a link's or reference's to
    an item being taken down — by an edit since its sign-off (GK226: 不予公开 or postponed), or by reviewers who signed
    it off the site after they had signed the referring item (`target_signed_later`). The page it links to comes down
    at once; waiting for the linking item's fix kept the page online (the link is dead meanwhile, its text reviewed).
    Nor does a problem of the item's own date that the postponement brings about (`moot_when_taken_down`): put off
    into the next year, an item's 索引号 no longer matched its year (GK110), and the build kept its page online."""
    taken_down = {p.path for p in problems if (declared := _REGISTRY.get(p.code)) is not None and declared.takes_down}
    return [p for p in problems if blocks_publishing(p)
            and not (p.targets and (not taken_down.isdisjoint(p.targets) or p.target_signed_later))
            and not (p.path in taken_down and (declared := _REGISTRY.get(p.code)) is not None and declared.moot_when_taken_down)]


def rule(code: str) -> Rule | None:
    """The declared rule of `code` (after its module was imported), or None."""
    return _REGISTRY.get(code)
