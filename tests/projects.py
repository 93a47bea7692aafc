"""A small but complete site project for the site and browser tests.

It uses the repository's mkdocs.yml and theme_overrides (so tests build the real site), its own
catalog, and items signed with the real review digest. Items that must never reach the site
carry unique markers in every field, so a test can grep every byte of the output for them.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from gongkai import digest
from gongkai.commands.build import build_site
from gongkai.loading import parse_document
from gongkai.review_chain import FIRST, SignedFields, link, statement
from gongkai.reviewing import entry_lines
from tests.review_keys import Keys, roster_yaml

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2024, 6, 30)
ORG_CODE = "11131122MB1534702N"

CATALOG = f"""\
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
ROSTER = roster_yaml(KEYS, {"张三": ("[全部]", "[initial]"), "李四": ("[全部]", "[final]")})

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
class Fixture:
    root: Path
    today: dt.date = TODAY

    @property
    def content(self) -> Path:
        return self.root / "content"

    def item_path(self, year: int, serial: int) -> Path:
        return self.content / "items" / str(year) / f"{year}-{serial:05d}.md"


@dataclass
class BuiltSite:
    fixture: Fixture
    site: Path
    log: list[str] = field(default_factory=list)

    def page(self, url: str) -> LexborHTMLParser:
        """The written page at a site URL such as `items/2021/00001/`."""
        return LexborHTMLParser((self.site / url / "index.html").read_text(encoding="utf-8"))

    def text(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def build(fixture: Fixture, site: Path, audience: str = "公众") -> BuiltSite:
    """Build the fixture project with `gongkai build`'s own function, for the public or party members (党内)."""
    built = BuiltSite(fixture, site)
    build_site(fixture.root, site, today=fixture.today, echo=built.log.append, audience=audience)
    return built


def _front(fields: dict) -> str:
    lines = []
    for key, value in fields.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}")
    return "\n".join(lines)


def write_item(root: Path, year: int, serial: int, body: str, **fields) -> Path:
    """Write an item signed by two reviewers with the digest of its final content."""
    published = fields.setdefault("published", dt.date(year, 3, 1))
    fields = {"index_no": f"{ORG_CODE}/{year}-{serial:05d}", **fields}
    fields.setdefault("disclosure", "主动公开")
    fields.setdefault("department", "办公室")
    text = f"---\n{_front(fields)}\n---\n\n{body}\n"
    document, problems = parse_document(text.encode("utf-8"), "fixture.md")
    assert document is not None, problems
    signed = digest.compute(document.meta, document.body, root / "content" / "attachments")
    opinion = "不予公开" if fields["disclosure"] == "不予公开" else "同意公开"
    day = min(published, TODAY).isoformat() if isinstance(published, dt.date) else published
    lines, previous = ["review:"], FIRST
    for level, reviewer in (("initial", "张三"), ("final", "李四")):
        signed_fields = SignedFields(level, reviewer, day, opinion, signed)
        message = statement(ORG_CODE, fields["index_no"], signed_fields, previous)
        signature = KEYS.sign(reviewer, message)
        previous = link(signature, message)
        lines += entry_lines(level, {"reviewer": reviewer, "date": day, "opinion": opinion, "digest": signed,
                                     "signature": signature})
    review = "\n".join(lines)
    file = root / "content" / "items" / str(year) / f"{year}-{serial:05d}.md"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f"---\n{_front(fields)}\n{review}\n---\n\n{body}\n", encoding="utf-8")
    return file


def secret_fields(marker: str) -> dict:
    """Every free-text field of an item carrying `marker`, with an attachment that carries it too."""
    return {
        "title": f"不应公开的标题{marker}title",
        "summary": f"不应公开的概述 {marker}summary",
        "keywords": [f"{marker}keyword"],
        "attachments": [{"title": f"不应公开的附件{marker}atttitle", "file": f"{marker}.csv"}],
    }


def make_project(root: Path, *, news: int = 45, news_every_days: int = 3) -> Fixture:
    """Build the fixture project in `root` (which must not exist yet)."""
    (root / "content" / "attachments").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "theme_overrides").symlink_to(REPO / "theme_overrides")
    content = root / "content"
    # the roster before the categories: tests append category groups at the end
    (content / "catalog.yml").write_text(CATALOG.replace("categories:\n", ROSTER + "categories:\n", 1), encoding="utf-8")

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
    return Fixture(root)


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
