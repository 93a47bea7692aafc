"""Test projects on disk, written and checked through the real code: the one module of test projects.

`Project` is a project root: mkdocs.yml, content/catalog.yml with a reviewer roster, items (signed through
the real `gongkai review` code, or unsigned for the annual report), report inputs and register files; it
runs the real loader and every check. `make_project` fills one with the fixture site for the site and
browser tests: the repository's mkdocs.yml and theme_overrides (so tests build the real site), its own
catalog, and items signed with the real review digest; items that must never reach the site carry unique
markers in every field, so a test can grep every byte of the output for them. `build` builds it with
`gongkai build`'s own function. tests/conftest.py turns these into the fixtures `site`, `git_site` and `built`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from selectolax.lexbor import LexborHTMLParser

from gongkai import checks, digest
from gongkai.catalog import load_catalog
from gongkai.commands.build import build_site
from gongkai.limits import Limits
from gongkai.loading import parse_document
from gongkai.problems import Problem
from gongkai.project import Project as Loaded
from gongkai.project import load_project
from gongkai.review_chain import FIRST, SignedFields, link, statement
from gongkai.reviewing import SignOff, entry_lines, sign
from gongkai.site_config import load_settings
from gongkai.values import as_text
from tests.review_keys import Keys, roster_yaml

REPO = Path(__file__).resolve().parents[1]
ORG_CODE = "11131122MB1534702N"
# The smallest mkdocs.yml a build accepts: the one theme gongkai's templates extend, without Google's fonts (GK529, GK523).
MKDOCS_YML = "site_name: 测试\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\nplugins:\n  - gongkai\n"
CHECK_DAY = dt.date(2021, 12, 31)  # the day `Project.check` runs on unless told

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


class Project:
    """A project root on disk, with helpers that go through the real loader, reviewer and checks."""

    ORG_CODE = ORG_CODE

    def __init__(self, root: Path, keys: Keys, *, catalog: str = CATALOG, reviewers: dict[str, tuple[str, str]] | None = None,
                 today: dt.date = CHECK_DAY) -> None:
        self.root = root
        self.keys = keys
        self.catalog = catalog  # catalog.yml without its roster
        self.reviewers = REVIEWERS if reviewers is None else reviewers
        self.today = today  # the day `check` runs on unless told
        self.content = root / "content"
        self.attachments = self.content / "attachments"
        self.attachments.mkdir(parents=True)
        (self.content / "items").mkdir()
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        (root / "docs").mkdir()
        self.write_catalog()
        self._serials: dict[int, int] = {}

    def write_catalog(self, reviewers: dict[str, tuple[str, str]] | None = None, review: str = "") -> None:
        """catalog.yml with a roster (the project's reviewers unless given) and an optional `review:` setup block."""
        (self.content / "catalog.yml").write_text(self.catalog + review + self.roster_text(reviewers), encoding="utf-8")

    def roster_text(self, reviewers: dict[str, tuple[str, str]] | None = None) -> str:
        """`reviewers:` of catalog.yml with each person's test key (the project's reviewers unless given)."""
        return roster_yaml(self.keys, self.reviewers if reviewers is None else reviewers)

    def next_index_no(self, year: int = 2021) -> str:
        self._serials[year] = self._serials.get(year, 0) + 1
        return f"{ORG_CODE}/{year}-{self._serials[year]:05d}"

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
        """Write a review block by hand, signing as an attacker could (see `sign_by_hand`)."""
        sign_by_hand(self.keys, path, self.attachments, entries, org)

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

    def check(self, today: dt.date | None = None) -> list[Problem]:
        """Every problem, with the settings of the site's mkdocs.yml, as `gongkai check` runs (on the project's day)."""
        return checks.run(load_project(self.root), today or self.today, settings=load_settings(self.root))

    def codes(self, path: Path | None = None, today: dt.date | None = None) -> list[str]:
        """Codes found (in one file when `path` is given), sorted, duplicates kept."""
        wanted = self.rel(path) if path else None
        return sorted(p.code for p in self.check(today) if wanted is None or p.path == wanted)

    def problems(self, code: str, today: dt.date | None = None) -> list[Problem]:
        return [p for p in self.check(today) if p.code == code]

    def load(self) -> Loaded:
        return load_project(self.root)

    def item_path(self, year: int, serial: int) -> Path:
        """Where `write_item` puts the item of 索引号 year-serial."""
        return self.content / "items" / str(year) / f"{year}-{serial:05d}.md"

    def report_item(self, published: str, *, category: str = "动态信息", department: str = "办公室",
                    disclosure: str = "主动公开", **extra: Any) -> str:
        """An unsigned item as the annual report counts it (the report reads items the check may refuse);
        its 索引号, the next of its year."""
        index_no = self.next_index_no(int(published[:4]))
        meta = {"title": f"测试条目 {index_no}", "index_no": index_no, "category": category, "department": department,
                "published": published, "disclosure": disclosure, **extra}
        self.write(f"{published[:4]}/{index_no[-10:]}.md", "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
                   + "---\n\n正文。\n")
        return index_no

    def report(self, year: int, data: Any) -> Path:
        """content/reports/<year>.yml: text as given, or data as a clerk would write it."""
        file = self.content / "reports" / f"{year}.yml"
        file.parent.mkdir(exist_ok=True)
        file.write_text(data if isinstance(data, str) else dump_report(data), encoding="utf-8")
        return file

    def application(self, number: str, received: str, applicant: str = "自然人", answered: str | None = None,
                    outcome: str | None = None, *, folder: str | None = None, **extra: Any) -> Path:
        """Write a file of the 依申请公开 register (content/applications/<year>/<number>.yml)."""
        fields = {"received": received, "channel": "网络", "applicant": applicant, "request": f"测试申请 {number}",
                  "answered": answered, "outcome": outcome, **extra}
        lines = [f"{key}: {_flow(value)}" for key, value in fields.items() if value is not None]
        file = self.content / "applications" / (folder or received[:4]) / f"{number}.yml"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return file


def _catalog_of(attachments: Path) -> Any:
    """The catalog of the project whose attachments folder is `attachments` (content/attachments)."""
    content = attachments.parent
    catalog, _, _ = load_catalog(content, content.parent, Limits().item_bytes)
    return catalog


def sign_by_hand(keys: Keys, path: Path, attachments: Path, entries: list[dict[str, Any]], org: str = ORG_CODE) -> None:
    """Write the review block of the item at `path` without `gongkai review`, as an attacker could: each entry is
    {level, reviewer, date, opinion?, digest? (default: current), key? (whose key signs; None: unsigned;
    default: the reviewer's), previous? (default: the chain), signature? (verbatim)}."""
    text = path.read_text(encoding="utf-8")
    document, _ = parse_document(text.encode("utf-8"), path.name)
    assert document is not None
    current = digest.compute(document.meta, document.body, attachments, _catalog_of(attachments))
    previous = FIRST
    lines = ["review:"]
    for entry in entries:
        fields = SignedFields(entry["level"], entry["reviewer"], entry["date"], entry.get("opinion", "同意公开"),
                              entry.get("digest", current))
        message = statement(org, as_text(document.meta.get("index_no")), fields, entry.get("previous", previous))
        signer = entry.get("key", entry["reviewer"])
        signature = entry.get("signature", keys.sign(signer, message) if signer else "")
        previous = link(signature, message)
        block = {"reviewer": fields.reviewer, "date": fields.date, "opinion": fields.opinion, "digest": fields.digest}
        if signature:
            block["signature"] = signature
        lines += entry_lines(fields.level, block)
    head, _, rest = text.partition("\n---\n")
    head = head.split("\nreview:")[0]
    path.write_text(head + "\n" + "\n".join(lines) + "\n---\n" + rest, encoding="utf-8")


def dump_report(data: Any) -> str:
    """YAML as a clerk would write it: one table row per line (flow style for leaf mappings)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)


def _flow(value: Any) -> str:
    """A YAML value on one line: mappings in flow style, dates unquoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)




# The fixture site: built on TODAY, with every page type and markers in what must never be published.
TODAY = dt.date(2024, 6, 30)

SITE_CATALOG = f"""\
org:
  name: 测试县住房和城乡建设局
  code: {ORG_CODE}
departments:
  - {{name: 办公室, slug: office}}
  - {{name: 住房保障股, slug: housing}}
  - {{name: 村镇建设股, slug: rural}}
series:  # before the categories: tests append groups to this catalog
  - {{name: 供水水质检测结果, slug: water, column: 市政服务, every: quarter, due: 次月底, start: 2023Q3}}
categories:
  - name: 政策文件
    slug: policy
    children:
      - {{name: 规范性文件, slug: normative}}
      - {{name: 政策解读, slug: interpretation}}
  - name: 重点领域
    slug: focus
    children:
      - {{name: 农村危房改造, slug: ruralhouse}}
      - {{name: 保障性住房, slug: housing}}
  - name: 工作动态
    slug: updates
    children:
      - {{name: 动态信息, slug: news}}
  - name: 公共服务
    slug: services
    children:
      - {{name: 市政服务, slug: utility}}
  - name: 公众参与
    slug: participation
    children:
      - {{name: 意见征集, slug: consult, consultation: true}}
  - name: 党务公开
    slug: party
    party: true
    children:
      - {{name: 党组织决议, slug: resolutions}}
      - {{name: 联系服务党员群众, slug: outreach, audience: 公众}}
      - {{name: 党内制度, slug: party-rules}}
"""
# The fixture's reviewers; their keys are made once per test process.
KEYS = Keys(Path(tempfile.mkdtemp(prefix="gongkai-fixture-keys-")))
atexit.register(shutil.rmtree, KEYS.folder, True)
SITE_REVIEWERS = {"张三": ("[全部]", "[initial]"), "李四": ("[全部]", "[final]")}
SITE_SIGNERS = (("initial", "张三"), ("final", "李四"))

# Markers: ASCII words survive Pagefind's tokenisation whole (lower-cased), Chinese ones the HTML.
PUBLIC_MARKER = "qxvisibleword"  # in a published body: proves the output scan can see into the index
SECRET_MARKERS = {
    "依申请公开": "qxonrequest",
    "不予公开": "qxnotpublic",
    "scheduled": "qxscheduled",
    "withdrawn": "qxwithdrawn",
    "orphan": "qxorphanfile",
    "scheduled_interpretation": "qxfuturejiedu",
    "pii_allow": "qxpiireason",  # a published item's privacy allowance: a record for reviewers, never shown
    # 党务公开: on the members' site only (PARTY_ONLY), never in the public build before their public_from.
    "党内": "qxpartyonly",
    "党内_public_later": "qxpartylater",
    "党内_feedback": "qxpartyreply",
    "党内_interpretation": "qxpartyjiedu",
}
PARTY_ONLY = ("党内", "党内_public_later", "党内_feedback", "党内_interpretation")
PARTY_PUBLIC_FROM = TODAY + dt.timedelta(days=20)  # when the 党内_public_later item reaches the public
PARTY_NOW_PUBLIC_MARKER = "qxpartynowpublic"  # a 党内 item whose public_from has passed: public now


@dataclass
class BuiltSite:
    fixture: Project
    site: Path
    log: list[str] = field(default_factory=list)

    def page(self, url: str) -> LexborHTMLParser:
        """The written page at a site URL such as `items/2021/00001/`."""
        return LexborHTMLParser((self.site / url / "index.html").read_text(encoding="utf-8"))

    def text(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def own_theme(root: Path) -> Path:
    """The project's theme_overrides/ as a copy of its own (the fixtures link the repository's), to be edited."""
    theme = root / "theme_overrides"
    shared = theme.resolve()
    theme.unlink()
    shutil.copytree(shared, theme)
    return theme


def build(fixture: Project, site: Path, audience: str = "公众", today: dt.date | None = None) -> BuiltSite:
    """Build the fixture project with `gongkai build`'s own function, for the public or party members (党内),
    on the project's day unless told."""
    built = BuiltSite(fixture, site)
    build_site(fixture.root, site, today=today or fixture.today, echo=built.log.append, audience=audience)
    return built


def _front(fields: dict) -> str:
    lines = []
    for key, value in fields.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}")
    return "\n".join(lines)


def unreviewed_item(serial: int, title: str, body: str) -> str:
    """The text of a 2024 动态信息 item nobody has reviewed yet, as an editor saves it before review."""
    return (f"---\ntitle: {title}\nindex_no: {ORG_CODE}/2024-{serial:05d}\ncategory: 动态信息\ndepartment: 办公室\n"
            f"published: 2024-06-20\ndisclosure: 主动公开\nreview: {{}}\n---\n\n{body}\n")


def write_item(root: Path, year: int, serial: int, body: str, **fields) -> Path:
    """Write an item of the fixture site at 索引号 year-serial, signed by its two reviewers (张三 初审, 李四 复核)
    on its publication day (today at the latest) with the digest of its final content."""
    published = fields.setdefault("published", dt.date(year, 3, 1))
    fields = {"index_no": f"{ORG_CODE}/{year}-{serial:05d}", **fields}
    fields.setdefault("disclosure", "主动公开")
    fields.setdefault("department", "办公室")
    file = root / "content" / "items" / str(year) / f"{year}-{serial:05d}.md"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f"---\n{_front(fields)}\n---\n\n{body}\n", encoding="utf-8")
    opinion = "不予公开" if fields["disclosure"] == "不予公开" else "同意公开"
    day = min(published, TODAY).isoformat() if isinstance(published, dt.date) else published
    sign_by_hand(KEYS, file, root / "content" / "attachments",
                 [{"level": level, "reviewer": reviewer, "date": day, "opinion": opinion} for level, reviewer in SITE_SIGNERS])
    return file


def secret_fields(marker: str) -> dict:
    """Every free-text field of an item carrying `marker`, with an attachment that carries it too."""
    return {
        "title": f"不应公开的标题{marker}title",
        "summary": f"不应公开的概述 {marker}summary",
        "keywords": [f"{marker}keyword"],
        "attachments": [{"title": f"不应公开的附件{marker}atttitle", "file": f"{marker}.csv"}],
    }


def make_project(root: Path, *, news: int = 45, news_every_days: int = 3) -> Project:
    """Build the fixture project in `root` (which must not exist yet)."""
    project = Project(root, KEYS, catalog=SITE_CATALOG, reviewers=SITE_REVIEWERS, today=TODAY)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").rmdir()  # the repository's mkdocs.yml reads theme_overrides/docs
    (root / "theme_overrides").symlink_to(REPO / "theme_overrides")
    content = root / "content"
    # the roster before the categories: tests append category groups at the end
    (content / "catalog.yml").write_text(SITE_CATALOG.replace("categories:\n", project.roster_text() + "categories:\n", 1),
                                         encoding="utf-8")

    attachments = content / "attachments"
    (attachments / "2021").mkdir()
    (attachments / "2021" / "补助标准.csv").write_text("档次,金额\n一类,20000\n", encoding="utf-8")
    for marker in SECRET_MARKERS.values():
        (attachments / f"{marker}.csv").write_text(f"名称,说明\n{marker}bytes,测试\n", encoding="utf-8")

    (content / "reports").mkdir()
    shutil.copy(Path(__file__).parent / "site" / "report-2023.yml", content / "reports" / "2023.yml")

    pages = content / "pages"
    pages.mkdir()
    for slug, title, order in (("guide", "政府信息公开指南", 10), ("rules", "政府信息公开制度", 20), ("apply", "依申请公开", 50)):
        (pages / f"{slug}.md").write_text(
            f"---\ntitle: {title}\norder: {order}\n---\n\n这是{title}页面。参见[规范性文件](../items/2021/2021-00001.md)。\n",
            encoding="utf-8",
        )

    write_item(
        root, 2021, 1,
        f"## 一、适用范围\n\n本办法适用于全县农村<strong>危房</strong>改造补助资金的申请和发放（{PUBLIC_MARKER}）。\n\n"
        "## 二、补助标准\n\n| 档次 | 金额（元） |\n| --- | --- |\n| 一类 | 20000 |\n| 二类 | 15000 |\n",
        title="测试县农村危房改造补助资金管理办法", category="规范性文件", department="村镇建设股",
        published=dt.date(2021, 6, 18), written=dt.date(2021, 6, 10), doc_no="测住建规〔2021〕1号",
        effective=dt.date(2021, 8, 1), genre="规范性文件", keywords=["危房改造", "补助资金"],
        summary="规定农村危房改造补助对象、标准和发放程序。",
        attachments=[{"title": "补助标准表", "file": "2021/补助标准.csv"}],
        pii_allow=[{"match": "0311-86221001", "reason": f"{SECRET_MARKERS['pii_allow']}单位公开电话"}],
    )
    write_item(
        root, 2021, 2, "《管理办法》明确了补助对象和标准，现解读如下。\n\n一是明确对象；二是规范程序。",
        title="《测试县农村危房改造补助资金管理办法》政策解读", category="政策解读", department="村镇建设股",
        published=dt.date(2021, 6, 18), genre="解读", interprets=f"{ORG_CODE}/2021-00001",
    )
    write_item(
        root, 2022, 1, "本办法自发布之日起废止。原公租房管理规定同时停止执行。",
        title="测试县公共租赁住房管理暂行规定", category="保障性住房", department="住房保障股",
        published=dt.date(2022, 2, 8), validity="废止", genre="规范性文件", doc_no="测住建规〔2022〕1号",
    )
    write_item(
        root, 2023, 1, f"这段正文不应出现在网站上 {SECRET_MARKERS['withdrawn']}body。",
        category="动态信息", department="办公室", published=dt.date(2023, 4, 3),
        withdrawn={"date": dt.date(2023, 5, 6), "reason": "信息有误，已撤回"},
        # A tombstone keeps the title and metadata (keywords included); body, summary and attachments go.
        **{**secret_fields(SECRET_MARKERS["withdrawn"]), "title": "已撤回的一条动态信息", "keywords": ["撤回测试"]},
    )
    write_item(
        root, 2023, 2, f"依申请公开的正文 {SECRET_MARKERS['依申请公开']}body。",
        category="动态信息", disclosure="依申请公开", published=dt.date(2023, 5, 1),
        **secret_fields(SECRET_MARKERS["依申请公开"]),
    )
    write_item(
        root, 2023, 3, f"不予公开的正文 {SECRET_MARKERS['不予公开']}body。",
        category="动态信息", disclosure="不予公开", published=dt.date(2023, 5, 2),
        **secret_fields(SECRET_MARKERS["不予公开"]),
    )
    write_item(
        root, 2024, 1, f"定时发布的正文 {SECRET_MARKERS['scheduled']}body。",
        category="动态信息", published=TODAY + dt.timedelta(days=10),
        **secret_fields(SECRET_MARKERS["scheduled"]),
    )
    write_item(
        root, 2024, 2, f"尚未发布的解读 {SECRET_MARKERS['scheduled_interpretation']}body。",
        category="政策解读", published=TODAY + dt.timedelta(days=3), genre="解读",
        interprets=f"{ORG_CODE}/2021-00001",
        **{k: v for k, v in secret_fields(SECRET_MARKERS["scheduled_interpretation"]).items() if k != "attachments"},
    )
    _audiences_consultations_series(root)
    start = dt.date(2024, 1, 2)
    for number in range(news):
        write_item(
            root, 2024, 100 + number, f"第{number + 1}条工作动态的正文，介绍全县住房和城乡建设工作进展。",
            title=f"住建工作动态第{number + 1}期", category="动态信息", department="办公室",
            published=start + dt.timedelta(days=number * news_every_days),
        )
    return project


def _audiences_consultations_series(root: Path) -> None:
    """党务公开 items for two audiences, a closed and an open 意见征集 with 反馈, a quarterly series."""
    party = {"category": "党组织决议", "department": "办公室", "audience": "党内"}
    write_item(root, 2023, 60, f"仅向党员公开的正文 {SECRET_MARKERS['党内']}body。", published=dt.date(2023, 6, 1),
               **party, **secret_fields(SECRET_MARKERS["党内"]))
    write_item(root, 2023, 61, f"先党内、后党外的正文 {SECRET_MARKERS['党内_public_later']}body。", published=dt.date(2023, 6, 2),
               public_from=PARTY_PUBLIC_FROM, **party, **secret_fields(SECRET_MARKERS["党内_public_later"]))
    write_item(root, 2023, 62, f"已向社会公开的党务正文（{PARTY_NOW_PUBLIC_MARKER}）。", title="先党内后党外的党务公开事项",
               published=dt.date(2023, 6, 3), public_from=dt.date(2023, 6, 10), **party)
    write_item(root, 2023, 63, "党员志愿服务进社区的情况。", title="党员志愿服务进社区情况", category="联系服务党员群众",
               department="办公室", published=dt.date(2023, 7, 1))
    write_item(root, 2023, 64, f"仅向党员公开的解读 {SECRET_MARKERS['党内_interpretation']}body。", genre="解读",
               interprets=f"{ORG_CODE}/2021-00001", published=dt.date(2023, 6, 4), **party,
               **{k: v for k, v in secret_fields(SECRET_MARKERS["党内_interpretation"]).items() if k != "attachments"})

    channels = ["信函：测试县建设路1号", "电话：0311-86221001"]
    write_item(root, 2023, 65, "现就《测试县物业管理办法（征求意见稿）》公开征求意见。",
               title="关于公开征求《测试县物业管理办法（征求意见稿）》意见的公告", category="意见征集", published=dt.date(2023, 3, 1),
               consultation={"from": dt.date(2023, 3, 1), "to": dt.date(2023, 3, 31), "channels": channels})
    write_item(root, 2023, 66, "共收到意见12条，采纳5条；未采纳的理由如下。", title="《测试县物业管理办法》征求意见采纳情况",
               category="意见征集", published=dt.date(2023, 4, 20), feedback_for=f"{ORG_CODE}/2023-00065")
    write_item(root, 2023, 67, f"向党员通报的意见处理情况 {SECRET_MARKERS['党内_feedback']}body。", published=dt.date(2023, 4, 21),
               feedback_for=f"{ORG_CODE}/2023-00065", **{**party, "category": "党内制度"}, **secret_fields(SECRET_MARKERS["党内_feedback"]))
    write_item(root, 2024, 60, "现就《测试县既有住宅加装电梯办法（征求意见稿）》公开征求意见。",
               title="关于公开征求《测试县既有住宅加装电梯办法（征求意见稿）》意见的公告", category="意见征集",
               published=dt.date(2024, 5, 1),
               consultation={"from": dt.date(2024, 6, 15), "to": dt.date(2024, 7, 14), "channels": ["电子邮件：zjj@example.gov.cn"]})

    water = {"category": "市政服务", "department": "办公室", "series": "供水水质检测结果"}
    write_item(root, 2023, 68, "第三季度水质全部合格。", title="2023年第三季度供水水质检测结果", published=dt.date(2023, 10, 20),
               period="2023Q3", **water)
    write_item(root, 2024, 61, "第四季度水质全部合格。", title="2023年第四季度供水水质检测结果", published=dt.date(2024, 2, 10),
               period="2023Q4", **water)


def earlier_site(project: Project) -> Path:
    """The project's site/ as an earlier build left it (two stand-in files), for builds that must leave it alone."""
    target = project.root / "site"
    target.mkdir()
    for name in ("index.html", "sitemap.xml"):
        (target / name).write_text("旧", encoding="utf-8")
    return target


def hashes(folder: Path) -> dict[str, str]:
    """Every file of a built site by its relative path, as a SHA-256: two builds compare byte for byte;
    but the search bundle (pagefind/), which compares by what a reader gets from it (search_bundle.py:
    the same results for every query, the same facet data, nothing else): a rebuild may keep the
    cached shards and add a delta shard where a full build indexes every shard."""
    from tests.search_bundle import searchable

    bundle = folder / "pagefind"
    found = {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_relative_to(bundle)}
    if (bundle / "gongkai-search.json").is_file():
        view = json.dumps(searchable(bundle), sort_keys=True, ensure_ascii=False, default=lambda data: data.hex())
        found["pagefind/"] = hashlib.sha256(view.encode()).hexdigest()
    elif bundle.exists():
        found.update({path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                      for path in sorted(bundle.rglob("*")) if path.is_file()})
    return found
