"""Shared fixtures: a small real site in tmp_path, items written and signed through the real code.

`site` gives a project root with mkdocs.yml and a minimal catalog; `site.item(...)` writes an item
(and by default signs it with the real `gongkai review` code path); `site.check()` runs the real
loader and every check family.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gongkai import checks, digest
from gongkai.catalog import load_catalog
from gongkai.limits import Limits
from gongkai.loading import parse_document
from gongkai.problems import Problem
from gongkai.project import load_project
from gongkai.review_chain import FIRST, SignedFields, link, statement
from gongkai.reviewing import SignOff, entry_lines, sign
from gongkai.site_config import load_settings
from gongkai.values import as_text
from tests.projects import BuiltSite, build, make_project
from tests.review_keys import Keys, roster_yaml

ORG_CODE = "11131122MB1534702N"
TODAY = dt.date(2021, 12, 31)

CATALOG = f"""\
org:
  name: 测试县住房和城乡建设局
  code: {ORG_CODE}
departments:
  - {{name: 办公室, slug: office}}
  - {{name: 住房保障股, slug: housing}}
categories:
  - name: 政策文件
    slug: policy
    children:
      - {{name: 规范性文件, slug: normative}}
      - {{name: 政策解读, slug: interpretation}}
  - name: 工作动态
    slug: updates
    children:
      - {{name: 动态信息, slug: news, stale_after_days: 30}}
"""

# Who may sign in the test site: both may sign either level for every department.
REVIEWERS = {"李明": ("[全部]", "[initial, final]"), "王芳": ("[全部]", "[initial, final]")}

BODY = "为进一步做好保障性住房工作，现将有关事项通知如下。\n\n一、各单位要认真落实。\n"


class Site:
    """A project root on disk, with helpers that go through the real loader, reviewer and checks."""

    ORG_CODE = ORG_CODE
    TODAY = TODAY  # the default date the checks run on

    def __init__(self, root: Path, keys: Keys) -> None:
        self.root = root
        self.keys = keys
        self.content = root / "content"
        self.attachments = self.content / "attachments"
        self.attachments.mkdir(parents=True)
        (self.content / "items").mkdir()
        (root / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: docs\nplugins:\n  - gongkai\n", encoding="utf-8")
        (root / "docs").mkdir()
        self.write_catalog()
        self._serial = 0

    def write_catalog(self, reviewers: dict[str, tuple[str, str]] | None = None, review: str = "") -> None:
        """catalog.yml with a roster (`REVIEWERS` unless given) and an optional `review:` setup block."""
        (self.content / "catalog.yml").write_text(CATALOG + review + self.roster_text(reviewers), encoding="utf-8")

    def roster_text(self, reviewers: dict[str, tuple[str, str]] | None = None) -> str:
        """`reviewers:` of catalog.yml with each person's test key (`REVIEWERS` unless given)."""
        return roster_yaml(self.keys, REVIEWERS if reviewers is None else reviewers)

    def next_index_no(self, year: int = 2021) -> str:
        self._serial += 1
        return f"{ORG_CODE}/{year}-{self._serial:05d}"

    def meta(self, **fields: Any) -> dict[str, Any]:
        """Valid front matter; a field given as None is left out."""
        published = fields.get("published", "2021-06-18")
        year = int(str(published)[:4]) if str(published)[:4].isdigit() else 2021
        meta: dict[str, Any] = {
            "title": "关于做好保障性住房工作的通知",
            "index_no": self.next_index_no(year),
            "category": "规范性文件",
            "department": "办公室",
            "published": published,
            "written": "2021-06-15",
            "disclosure": "主动公开",
        }
        meta.update(fields)
        return {key: value for key, value in meta.items() if value is not None}

    def item(self, name: str = "2021/a.md", *, body: str = BODY, signed: bool = True, **fields: Any) -> Path:
        """Write an item from front-matter fields; signed by 李明 (初审) and 王芳 (复核) unless told not."""
        front = yaml.safe_dump(self.meta(**fields), allow_unicode=True, sort_keys=False)
        return self.write(name, f"---\n{front}---\n\n{body}", signed=signed)

    def write(self, name: str, text: str | bytes, *, signed: bool = False) -> Path:
        path = self.content / "items" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8"))
        if signed:
            self.sign(path)
        return path

    def sign(self, path: Path, *, initial: str | None = "李明", final: str | None = "王芳",
             date: dt.date = dt.date(2021, 6, 17), opinion: str = "同意公开") -> None:
        """Sign through the real `gongkai review` code (ssh-keygen), each reviewer with their own key."""
        for level, reviewer in (("initial", initial), ("final", final)):
            if reviewer:
                self.sign_level(path, level, reviewer, date=date, opinion=opinion)

    def sign_level(self, path: Path, level: str, reviewer: str, *, date: dt.date = dt.date(2021, 6, 17),
                   opinion: str = "同意公开", key: str | None = None):
        """One level, signed with `key`'s key file (the reviewer's own unless told); returns what `sign` says."""
        catalog, _, problems = load_catalog(self.content, self.root, Limits().item_bytes)
        assert catalog is not None, problems
        sign_off = SignOff(level, reviewer, date, opinion, self.keys.file(key or reviewer))
        return sign(path, sign_off, catalog, self.attachments, self.rel(path))

    def write_review(self, path: Path, entries: list[dict[str, Any]], org: str = ORG_CODE) -> None:
        """Write a review block by hand, signing as an attacker could: each entry is
        {level, reviewer, date, opinion?, digest? (default: current), key? (whose key signs; None: unsigned;
        default: the reviewer's), previous? (default: the chain), signature? (verbatim)}."""
        text = path.read_text(encoding="utf-8")
        document, _ = parse_document(text.encode("utf-8"), self.rel(path))
        assert document is not None
        current = digest.compute(document.meta, document.body, self.attachments)
        previous = FIRST
        lines = ["review:"]
        for entry in entries:
            fields = SignedFields(entry["level"], entry["reviewer"], entry["date"], entry.get("opinion", "同意公开"),
                                  entry.get("digest", current))
            message = statement(org, as_text(document.meta.get("index_no")), fields, entry.get("previous", previous))
            signer = entry.get("key", entry["reviewer"])
            signature = entry.get("signature", self.keys.sign(signer, message) if signer else "")
            previous = link(signature, message)
            block = {"reviewer": fields.reviewer, "date": fields.date, "opinion": fields.opinion, "digest": fields.digest}
            if signature:
                block["signature"] = signature
            lines += entry_lines(fields.level, block)
        head, _, rest = text.partition("\n---\n")
        head = head.split("\nreview:")[0]
        path.write_text(head + "\n" + "\n".join(lines) + "\n---\n" + rest, encoding="utf-8")

    def git(self, *args: str) -> None:
        subprocess.run(["git", "-C", str(self.root), *args], check=True, capture_output=True)

    def commit(self, message: str = "内容") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def attach(self, name: str, data: bytes) -> Path:
        path = self.attachments / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def check(self, today: dt.date = TODAY) -> list[Problem]:
        """Every problem, with the settings of the site's mkdocs.yml, as `gongkai check` runs."""
        return checks.run(load_project(self.root), today, settings=load_settings(self.root))

    def codes(self, path: Path | None = None, today: dt.date = TODAY) -> list[str]:
        """Codes found (in one file when `path` is given), sorted, duplicates kept."""
        wanted = self.rel(path) if path else None
        return sorted(p.code for p in self.check(today) if wanted is None or p.path == wanted)

    def problems(self, code: str, today: dt.date = TODAY) -> list[Problem]:
        return [p for p in self.check(today) if p.code == code]


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> Keys:
    return Keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session", autouse=True)
def _private_signature_cache(tmp_path_factory) -> None:
    """The signature cache's secret lives in the user's cache folder: keep the tests' out of $HOME."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture
def site(tmp_path: Path, keys: Keys) -> Site:
    return Site(tmp_path / "site", keys)


@pytest.fixture
def git_site(site: Site, monkeypatch) -> Site:
    """The site as a git repository (branch main) and the working folder, for diff, queue and --base."""
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-12-31")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    site.git("init", "-q", "-b", "main")
    site.git("config", "user.email", "office@example.invalid")
    site.git("config", "user.name", "办公室")
    return site


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuiltSite:
    """The fixture site built once per test process with the real `gongkai build` (MkDocs, Material, Pagefind)."""
    fixture = make_project(tmp_path_factory.mktemp("project") / "site-project")
    return build(fixture, fixture.root / "site")


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver per test process: a second sync_playwright() while the first runs fails
    ("Sync API inside the asyncio loop"), and pytest-xdist may give one process both browser suites."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright
