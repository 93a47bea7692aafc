#!/usr/bin/env python3
"""Measure the site search end to end: recall, precision, latency and bytes, in headless Chromium.

Generates synthetic housing-and-construction notices (≈1,400 Chinese characters each), builds the
search index with gongkai.search, serves it with the real search page on 127.0.0.1, and runs
queries through `window.gongkaiSearch` — the same code the page uses to list results.

Ground truth for a query: the items whose title, body, 索引号 or 文号 contains the query string.
The quality bar (recall ≥ 99.5 %, precision ≥ 99 %) applies to Chinese queries of 2–8
characters: listed domain words and random substrings of the corpus. Nonsense queries must return
nothing. Single characters and mixed queries (numbers, 文号, 索引号) are reported separately.

    python scripts/search_quality.py --items 1000 --queries 200
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.server
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gongkai.search import SearchDocument, build_index
from gongkai.search.tokens import segments
from gongkai.site.csp import HEADER_POLICY

ROOT = Path(__file__).resolve().parent.parent

ASSETS = ROOT / "theme_overrides" / "assets" / "gongkai-search"
FRAGMENT = ROOT / "theme_overrides" / "partials" / "gongkai-search-page.html"
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"]
ORG_CODE = "11131122MB1534702N"
RECALL_BAR = 0.995
PRECISION_BAR = 0.99

# ---------------------------------------------------------------------------------------------
# Corpus

CATEGORIES = {
    "规范性文件": "政策法规股", "部门文件": "办公室", "政策解读": "政策法规股", "工作总结": "办公室",
    "规划设计": "村镇建设股", "重点建设项目": "市政公用事业股", "保障性住房": "住房保障股",
    "棚户区改造": "住房保障股", "农村危房改造": "村镇建设股", "建筑工程质量监督": "建筑工程质量安全监督站",
    "市政服务": "市政公用事业股", "双随机一公开": "建筑工程质量安全监督站", "回应关切": "办公室",
    "意见征集": "政策法规股", "建议提案办理": "办公室", "应急管理": "建筑工程质量安全监督站",
    "财政预决算": "办公室", "动态信息": "办公室",
}
TOWNS = ["城关镇", "东河乡", "西岭镇", "南湖乡", "北塬镇", "青石乡", "柳庄镇", "杏园乡", "桃林镇", "白水乡",
         "龙泉镇", "石门乡", "高庙镇", "双桥乡", "马坊镇", "红星乡"]
VILLAGE_HEADS = (
    "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
VILLAGE_TAILS = ["庄村", "家村", "屯村", "营村", "寨村", "沟村", "坪村", "湾村", "岭村", "河村", "店村", "堡村"]
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华建国志红玉兰凤春海云飞鹏斌宇浩凯辉波宁琳晨"
COMPANIES = ["宏达", "恒信", "华建", "安泰", "鼎盛", "广厦", "诚信", "金鼎", "顺通", "远大", "瑞丰", "嘉禾"]
PROJECTS = ["滨河路道路改造工程", "县城供水管网改造项目", "污水处理厂提标改造工程", "老旧小区综合整治项目",
            "城南片区棚户区改造项目", "人民公园提升改造工程", "县城集中供热管网延伸工程", "燃气管道老化更新改造项目",
            "保障性租赁住房建设项目", "城北生活垃圾转运站建设项目", "幸福路雨污分流改造工程", "体育中心配套道路工程"]
PHRASES = [
    "农村危房改造", "住房公积金", "建筑工程质量监督", "保障性住房", "公共租赁住房", "棚户区改造", "老旧小区改造",
    "安全生产专项检查", "城镇燃气安全", "供水水质检测", "集中供热", "物业管理", "房地产市场监管", "市政基础设施",
    "污水管网", "雨污分流", "建筑市场秩序", "农民工工资支付", "施工许可", "竣工验收备案", "预拌混凝土质量",
    "防汛应急预案", "人居环境整治", "政务公开", "信息公开", "便民服务", "双随机一公开", "行政审批",
    "住房租赁补贴", "抗震设防", "消防设计审查", "扬尘污染防治", "建筑垃圾处置", "城市园林绿化", "海绵城市建设",
    "装配式建筑", "绿色建筑", "既有建筑节能改造", "建筑起重机械", "深基坑工程", "高大模板支撑", "危险性较大的分部分项工程",
    "工程质量安全手册", "质量监督站", "监理单位", "施工单位", "建设单位", "勘察设计单位", "招标投标", "合同履约",
    "信用评价", "黑名单管理", "安置补偿", "征收补偿方案", "回迁安置", "房屋安全鉴定", "C级危房", "D级危房",
    "建档立卡贫困户", "低保户", "分散供养特困人员", "贫困残疾人家庭", "补助资金", "资金拨付", "专项资金",
    "绩效目标", "预算执行", "政府采购", "公开招标", "竞争性磋商", "项目库", "年度计划", "实施方案",
    "工作要点", "考核细则", "督查通报", "整改落实", "举一反三", "长效机制", "隐患排查治理", "应急演练",
    "燃气用户", "液化石油气", "瓶装燃气", "供水企业", "二次供水", "水质达标", "管网漏损", "路灯照明",
    "城市道路", "桥梁检测", "井盖治理", "违法建设", "物业服务企业", "业主委员会", "维修资金", "商品房预售",
    "网签备案", "存量房交易", "租赁市场", "中介机构", "公积金贷款", "提取业务", "缴存基数", "缴存比例",
    "12319服务热线", "12345政务服务热线", "群众来信来访", "人大代表建议", "政协委员提案", "意见建议", "回复意见",
]
VERBS = ["全面推进", "扎实开展", "切实加强", "认真落实", "持续深化", "统筹推进", "进一步规范", "严格落实",
         "大力推进", "不断完善", "加快推进", "着力提升", "组织开展", "依法做好", "稳步推进", "加大"]
OPENERS = ["按照县委、县政府的统一部署，", "根据上级有关文件要求，", "为进一步做好", "经局党组会议研究，", "结合我县实际，",
           "为切实保障人民群众生命财产安全，", "根据《中华人民共和国政府信息公开条例》，", "为贯彻落实省、市工作部署，",
           "按照“谁主管、谁负责”的原则，", "为提高行政效能，", ""]
TAILS = ["工作取得明显成效。", "各项任务均已按期完成。", "请各单位认真贯彻执行。", "现予以公示。",
         "确保群众知情、参与和监督。", "有关情况通报如下。", "进一步提升了服务水平。", "形成长效管理机制。",
         "切实维护群众合法权益。", "确保工程质量和施工安全。", "及时回应社会关切。", "不断提高群众满意度。"]
TITLES = [
    "关于做好{year}年{p}工作的通知", "关于开展{p}专项检查的通知", "{town}{year}年{p}情况公示",
    "关于印发《{town}{p}实施方案》的通知", "{year}年{p}工作总结", "关于{p}有关问题的解读",
    "关于征求《{p}管理办法（征求意见稿）》意见的公告", "{project}{kind}", "关于{p}检查情况的通报",
    "关于对县政协委员关于{p}提案的答复", "{year}年度{p}资金分配结果公示",
]
KINDS = ["批前公示", "中标结果公示", "竣工验收公示", "质量监督告知", "开工信息公开", "建设进展情况"]


def _person(rng: random.Random) -> str:
    return rng.choice(VILLAGE_HEADS) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _village(rng: random.Random) -> str:
    return rng.choice(VILLAGE_HEADS) + rng.choice(VILLAGE_TAILS)


def _sentence(rng: random.Random, year: int) -> str:
    roll = rng.random()
    if roll < 0.35:
        return f"{rng.choice(OPENERS)}{rng.choice(VERBS)}{rng.choice(PHRASES)}和{rng.choice(PHRASES)}，{rng.choice(TAILS)}"
    if roll < 0.5:
        return (f"截至{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{rng.choice(TOWNS)}已完成{rng.choice(PHRASES)}"
                f"{rng.randint(3, 980)}户，累计拨付补助资金{rng.randint(12, 2400)}.{rng.randint(0, 9)}万元。")
    if roll < 0.62:
        return (f"{rng.choice(TOWNS)}{_village(rng)}{_person(rng)}户经房屋安全鉴定为{rng.choice(['C', 'D'])}级危房，"
                f"纳入{year}年{rng.choice(PHRASES)}计划，补助标准为每户{rng.randint(1, 4)}.{rng.randint(0, 9)}万元。")
    if roll < 0.72:
        return (f"{rng.choice(PROJECTS)}由{rng.choice(COMPANIES)}建筑工程有限公司承建，监理单位为{rng.choice(COMPANIES)}"
                f"工程监理有限公司，合同工期{rng.randint(60, 720)}日历天，总投资{rng.randint(80, 9800)}万元。")
    if roll < 0.8:
        return (f"群众如有意见，可在公示期内通过12319服务热线或电话0311-{rng.randint(80000000, 89999999)}反映，"
                f"也可来信寄至{rng.choice(TOWNS)}{rng.choice(['建设路', '人民路', '胜利街', '新华路'])}{rng.randint(1, 300)}号。")
    if roll < 0.88:
        return (f"检查中发现{rng.choice(PHRASES)}方面存在问题{rng.randint(2, 60)}处，已下达整改通知书{rng.randint(1, 20)}份，"
                f"责令{rng.choice(COMPANIES)}建筑工程有限公司限期整改，{rng.choice(TAILS)}")
    return f"{rng.choice(VERBS)}{rng.choice(PHRASES)}，{rng.choice(VERBS)}{rng.choice(PHRASES)}，{rng.choice(TAILS)}"


def _body(rng: random.Random, year: int) -> str:
    paragraphs: list[str] = []
    length = 0
    heading = 0
    while length < 1400:
        if length >= heading * 420:
            paragraphs.append(f"{'一二三四五六七八'[heading]}、{rng.choice(PHRASES)}{rng.choice(['情况', '工作', '措施', '要求'])}")
            heading += 1
        paragraph = "".join(_sentence(rng, year) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "\n".join(paragraphs)


def synthetic_documents(count: int, seed: int = 20210616) -> list[SearchDocument]:
    """`count` notices spread over the ten years up to 2025, deterministic for a seed."""
    rng = random.Random(seed)
    serials: dict[int, int] = {}
    docs: list[SearchDocument] = []
    for _ in range(count):
        year = rng.randint(2016, 2025)
        serials[year] = serials.get(year, 0) + 1
        serial = serials[year]
        category = rng.choice(list(CATEGORIES))
        title = rng.choice(TITLES).format(
            year=year, p=rng.choice(PHRASES), town=rng.choice(TOWNS), project=rng.choice(PROJECTS), kind=rng.choice(KINDS)
        )
        doc_no = f"青禾住建{rng.choice(['规', '发', '字', '函'])}〔{year}〕{rng.randint(1, 99)}号" if rng.random() < 0.4 else ""
        docs.append(
            SearchDocument(
                url=f"items/{year}/{serial:05d}/",
                title=title,
                date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                year=str(year),
                category=category,
                department=CATEGORIES[category],
                index_no=f"{ORG_CODE}/{year}-{serial:05d}",
                doc_no=doc_no,
                text=_body(rng, year),
            )
        )
    return docs


# ---------------------------------------------------------------------------------------------
# Queries and ground truth

HAN_ONLY = re.compile(r"[\u3400-\u9fff]+")


@dataclass(frozen=True)
class Query:
    text: str
    kind: str  # "listed" | "random" | "held-out" | "nonsense" | "single" | "mixed"

    @property
    def in_bar(self) -> bool:
        return self.kind in ("listed", "random", "held-out")


def searchable_fields(doc: SearchDocument) -> tuple[str, ...]:
    return (doc.title, doc.text, doc.index_no, doc.doc_no)


def ground_truth(docs: list[SearchDocument], query: str) -> set[str]:
    """Items whose title, body, 索引号 or 文号 contains the query string."""
    return {doc.url for doc in docs if any(query in f for f in searchable_fields(doc))}


def _loose(text: str) -> str:
    # Mixed queries ignore case, width, spaces and punctuation: compare folded letters/digits/Han.
    return "".join(segment.text for segment in segments(text))


def loose_truth(docs: list[SearchDocument], query: str) -> set[str]:
    needle = _loose(query)
    return {doc.url for doc in docs if any(needle in line for line in _loose_lines(doc))}


@functools.cache
def _loose_lines(doc: SearchDocument) -> tuple[str, ...]:
    return tuple(_loose(line) for f in searchable_fields(doc) for line in f.splitlines())


LISTED = ["危房", "危房改造", "农村危房改造", "公积金", "住房公积金", "质量监督", "建筑工程质量监督", "保障性住房",
          "棚户区改造", "双随机一公开", "政务公开", "燃气安全", "维修资金", "监理单位", "补助资金", "整改通知书",
          "海绵城市", "装配式建筑", "深基坑", "信息公开条例"]
NONSENSE = ["不存在的词语", "量子纠缠", "火星移民计划", "区块链", "元宇宙", "龘靐齉爩", "危房公积金改造监督"]


def make_queries(docs: list[SearchDocument], count: int, seed: int = 7) -> list[Query]:
    """Listed words, random 2–8 character substrings of the corpus, nonsense, single characters
    and mixed queries; `count` is the number of random substrings."""
    rng = random.Random(seed)
    queries = [Query(q, "listed") for q in LISTED]
    seen = {q.text for q in queries}
    attempts = 0
    while sum(q.kind == "random" for q in queries) < count and attempts < count * 200:
        attempts += 1
        doc = rng.choice(docs)
        source = rng.choice((doc.title, doc.text, doc.text, doc.text))
        length = rng.randint(2, 8)
        start = rng.randrange(0, max(1, len(source) - length))
        text = source[start : start + length]
        if len(text) == length and HAN_ONLY.fullmatch(text) and text not in seen:
            seen.add(text)
            queries.append(Query(text, "random"))
    queries += [Query(q, "nonsense") for q in NONSENSE if not ground_truth(docs, q)]
    queries += [Query(q, "single") for q in ("房", "危", "镇", "鉴", "龘")]
    with_doc_no = next((d for d in docs if d.doc_no), docs[0])
    queries += [
        Query(q, "mixed")
        for q in ("2021年", "12319", "0311", with_doc_no.doc_no or "2021", docs[len(docs) // 2].index_no, "C级危房", "每户2.5万元")
    ]
    return queries


def read_query_file(path: Path) -> list[Query]:
    """Queries from a file, one a line (blank lines and lines starting with # skipped): Chinese
    queries of two or more characters join the quality bar as "held-out", a single character is
    "single", anything with letters, digits or punctuation "mixed" (compared loosely, as the
    search folds case, width and punctuation)."""
    queries = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if HAN_ONLY.fullmatch(text):
            queries.append(Query(text, "held-out" if len(text) > 1 else "single"))
        else:
            queries.append(Query(text, "mixed"))
    return queries


# ---------------------------------------------------------------------------------------------
# Site and server


def write_search_site(docs: list[SearchDocument], site: Path, **build_options) -> dict:
    """The index, the search assets and a minimal zh-CN page that includes the site's fragment."""
    import jinja2

    stats = build_index(docs, site, **build_options)
    shutil.copytree(ASSETS, site / "assets" / "gongkai-search", dirs_exist_ok=True)
    fragment = jinja2.Template(FRAGMENT.read_text(encoding="utf-8")).render(base_url="..")
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>站内检索</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>'
        f"<body><main><h1>站内检索</h1>{fragment}</main></body></html>"
    )
    (site / "search").mkdir(parents=True, exist_ok=True)
    (site / "search" / "index.html").write_text(page, encoding="utf-8")
    return stats.__dict__


# The policy the site is served with (no inline script, no eval; Pagefind's WebAssembly is
# compiled under 'wasm-unsafe-eval'): the search page must work under it.
CONTENT_SECURITY_POLICY = HEADER_POLICY


class _Handler(http.server.SimpleHTTPRequestHandler):
    counter: ByteCounter

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:
        size = os.fstat(source.fileno()).st_size
        self.counter.add(self.path, size)
        super().copyfile(source, outputfile)


@dataclass
class ByteCounter:
    total: int = 0
    requests: int = 0
    log: list[tuple[str, int, float]] = field(default_factory=list)  # (path, bytes, time.time() when asked)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.total += size
            self.requests += 1
            self.log.append((path, size, time.time()))

    def take(self) -> tuple[int, int]:
        with self.lock:
            out = (self.total, self.requests)
            self.total = self.requests = 0
            self.log = []
            return out

    def bytes_until(self, moment: float) -> int:
        """Bytes of the requests answered (since the last take) before `moment` (time.time())."""
        with self.lock:
            return sum(size for _, size, at in self.log if at <= moment)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed browser tab is no error
            super().handle_error(request, client_address)


class StaticServer:
    """A static file server on 127.0.0.1 that counts the bytes it sends."""

    def __init__(self, root: Path):
        self.counter = ByteCounter()
        handler = type("Handler", (_Handler,), {"counter": self.counter})
        self.httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------------------------------------
# Browser

# Submits the query in the page's own form and waits until the page is idle again (total and
# facet counts shown). first_ms: until the first results appeared; ms: until the first page held all
# its results; complete_ms: until the total.
UI_QUERY_JS = """async (q) => {
  const root = document.querySelector('.gongkai-search');
  const form = root.querySelector('form');
  const status = root.querySelector('.gongkai-search__status');
  const t0 = performance.now();
  form.elements.namedItem('q').value = q;
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (root.dataset.busy === 'false') { observer.disconnect(); resolve(); }
    });
    observer.observe(root, { attributes: true, attributeFilter: ['data-busy'] });
  });
  form.requestSubmit();
  await shown;
  const d = root.dataset;
  const filled = Number(d.filledMs || d.completeMs) - t0;
  const first = Number(d.shownMs || d.filledMs || d.completeMs) - t0;
  const complete = Number(d.completeMs || d.filledMs) - t0;
  return { ms: filled, first_ms: first, complete_ms: complete, status: status.textContent };
}"""

GONGKAI_SEARCH_JS = """async (q) => {
  const t0 = performance.now();
  const results = await window.gongkaiSearch(q);
  return { ms: performance.now() - t0, results };
}"""


@dataclass
class Measurement:
    query: Query
    expected: set[str]
    returned: list[str]
    ui_ms: float  # submit → the first page of results shown, all of it
    first_ms: float  # submit → its first results shown (newest first; the page fills as older shards answer)
    complete_ms: float  # submit → the total shown
    all_ms: float  # window.gongkaiSearch: every result with title and date
    bytes: int  # fetched for the query by the page (first page, excerpts, total, facet counts)

    @property
    def true_positives(self) -> int:
        return len(self.expected & set(self.returned))

    @property
    def recall(self) -> float:
        return self.true_positives / len(self.expected) if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.true_positives / len(self.returned) if self.returned else (1.0 if not self.expected else 0.0)


def launch_browser(playwright):
    # From a cold disk on a loaded machine a launch took more than Playwright's 180 s once (tests/browser/conftest.py).
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=600_000)


def browser_missing() -> str | None:
    """What the measurement needs and this machine lacks (Playwright, Debian's Chromium), said before any work starts."""
    import importlib.util

    lacking = [name for name, present in (("Playwright", importlib.util.find_spec("playwright") is not None),
                                          (f"Chromium ({CHROMIUM})", os.access(CHROMIUM, os.X_OK))) if not present]
    if not lacking:
        return None
    return (f"the search measurement drives a real browser, and this machine lacks {' and '.join(lacking)}: "
            "run scripts/setup.sh --bench (it installs them with the test tools)")


def first_query(browser, site_url: str, server: StaticServer, query: str) -> dict:
    """Cold start: a fresh browser context opens /search/?q=… . ms and bytes: until the first page
    of results is shown, all of it (bytes of the requests made by then); first_ms: until its first results
    are; complete: until the total is shown; all_bytes: until the page is idle (facet counts included)."""
    context = browser.new_context()
    page = context.new_page()
    server.counter.take()
    page.goto(f"{site_url}search/?q={quote(query, safe='')}")
    page.wait_for_function("() => document.querySelector('.gongkai-search')?.dataset.busy === 'false'", timeout=120_000)
    times = page.evaluate(
        """() => { const d = document.querySelector('.gongkai-search').dataset;
        return { origin: performance.timeOrigin, shown: Number(d.filledMs || d.completeMs),
                 first: Number(d.shownMs || d.filledMs || d.completeMs),
                 complete: Number(d.completeMs || d.filledMs) }; }"""
    )
    first_bytes = server.counter.bytes_until((times["origin"] + times["shown"]) / 1000)
    total, requests = server.counter.take()
    status = page.locator(".gongkai-search__status").inner_text()
    context.close()
    return {
        "query": query, "ms": times["shown"], "first_ms": times["first"], "bytes": first_bytes, "complete_ms": times["complete"],
        "all_bytes": total, "requests": requests, "status": status,
    }


def measure(docs: list[SearchDocument], queries: list[Query], site_url: str, server: StaticServer, browser) -> list[Measurement]:
    """One session, as a visitor would have it: every query through the form first (latency and
    bytes, with the browser cache of the earlier queries), then every query through
    window.gongkaiSearch (the full result lists, for recall and precision)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}search/")
    page.wait_for_function("() => document.querySelector('.gongkai-search')?.dataset.busy === 'false'", timeout=60_000)
    ui: list[tuple[float, float, float, int]] = []
    for query in queries:
        server.counter.take()
        shown = page.evaluate(UI_QUERY_JS, query.text)
        ui.append((shown["ms"], shown["first_ms"], shown["complete_ms"], server.counter.take()[0]))
    out: list[Measurement] = []
    for query, (ui_ms, first_ms, complete_ms, ui_bytes) in zip(queries, ui, strict=True):
        found = page.evaluate(GONGKAI_SEARCH_JS, query.text)
        expected = loose_truth(docs, query.text) if query.kind == "mixed" else ground_truth(docs, query.text)
        out.append(Measurement(query, expected, [r["url"] for r in found["results"]], ui_ms, first_ms, complete_ms, found["ms"],
                               ui_bytes))
    context.close()
    return out


# ---------------------------------------------------------------------------------------------
# Report


def summarize(measurements: list[Measurement]) -> dict:
    def block(ms: list[Measurement]) -> dict:
        expected = sum(len(m.expected) for m in ms)
        returned = sum(len(m.returned) for m in ms)
        tp = sum(m.true_positives for m in ms)
        return {
            "queries": len(ms),
            "recall": tp / expected if expected else 1.0,
            "precision": tp / returned if returned else 1.0,
            "min_query_recall": min((m.recall for m in ms), default=1.0),
            "min_query_precision": min((m.precision for m in ms), default=1.0),
            "ui_ms_median": statistics.median([m.ui_ms for m in ms]) if ms else 0.0,
            "ui_ms_max": max((m.ui_ms for m in ms), default=0.0),
            "first_ms_max": max((m.first_ms for m in ms), default=0.0),
            "complete_ms_median": statistics.median([m.complete_ms for m in ms]) if ms else 0.0,
            "all_ms_median": statistics.median([m.all_ms for m in ms]) if ms else 0.0,
            "bytes_median": statistics.median([m.bytes for m in ms]) if ms else 0,
        }

    kinds = sorted({m.query.kind for m in measurements})
    out: dict[str, Any] = {"bar": block([m for m in measurements if m.query.in_bar])}
    out.update({kind: block([m for m in measurements if m.query.kind == kind]) for kind in kinds})
    out["nonsense_returned"] = sum(len(m.returned) for m in measurements if m.query.kind == "nonsense")
    return out


def print_report(measurements: list[Measurement], summary: dict, build: dict, cold: dict, cold_rare: dict | None = None) -> None:
    print(f"{'kind':<9}{'query':<34}{'truth':>6}{'found':>6}{'recall':>8}{'prec.':>8}{'first ms':>9}{'ui ms':>8}{'total ms':>9}"
          f"{'all ms':>9}{'bytes':>10}")
    for m in measurements:
        print(
            f"{m.query.kind:<9}{m.query.text[:30]:<34}{len(m.expected):>6}{len(m.returned):>6}"
            f"{m.recall:>8.3f}{m.precision:>8.3f}{m.first_ms:>9.0f}{m.ui_ms:>8.0f}{m.complete_ms:>9.0f}{m.all_ms:>9.0f}{m.bytes:>10,}"
        )
    print()
    for name, block in summary.items():
        if isinstance(block, dict):
            print(
                f"{name:<9} queries {block['queries']:>4}  recall {block['recall']:.4f}  precision {block['precision']:.4f}"
                f"  (worst query: recall {block['min_query_recall']:.3f}, precision {block['min_query_precision']:.3f})"
                f"  first page median {block['ui_ms_median']:.0f} ms, max {block['ui_ms_max']:.0f} ms"
                f" (first results by {block['first_ms_max']:.0f} ms at most),"
                f" total median {block['complete_ms_median']:.0f} ms"
                f"  bytes median {block['bytes_median']:,.0f}"
            )
    print(f"nonsense queries returned {summary['nonsense_returned']} results")
    print(
        f"index: {build['documents']} documents, {build['shards']} shards, {build['bytes'] / 1e6:.1f} MB in {build['files']} files,"
        f" {build['seconds']:.1f} s, Pagefind peak RSS {build['peak_rss_bytes'] / 1e6:.0f} MB"
    )
    print(
        f"first query (cold page load of /search/?q={cold['query']}): first page {cold['ms']:.0f} ms, {cold['bytes']:,} bytes"
        f" (first results {cold['first_ms']:.0f} ms);"
        f" total {cold['complete_ms']:.0f} ms; idle after {cold['all_bytes']:,} bytes in {cold['requests']} requests"
    )
    if cold_rare:
        print(
            f"rarest phrase (cold page load of /search/?q={cold_rare['query']}, {cold_rare['hits']} hits): first results"
            f" {cold_rare['first_ms']:.0f} ms, first page {cold_rare['ms']:.0f} ms, total {cold_rare['complete_ms']:.0f} ms"
        )
    bar = summary["bar"]
    ok = bar["recall"] >= RECALL_BAR and bar["precision"] >= PRECISION_BAR and summary["nonsense_returned"] == 0
    print(f"quality bar (recall ≥ {RECALL_BAR:.1%}, precision ≥ {PRECISION_BAR:.0%}, nonsense → nothing): {'met' if ok else 'NOT MET'}")


def run(
    items: int, queries: int, *, seed: int = 20210616, keep: Path | None = None, browser=None, max_shard_documents: int | None = None,
    held_out: Sequence[Query] = (), delta: int = 0,
) -> dict:
    """Build, serve and measure; uses `browser` (Playwright Chromium) or launches one. `held_out`:
    queries given from outside (read_query_file), asked after the generated ones. `delta`: build with
    the shard cache, then edit that many documents (spread over the shards) and measure the rebuild,
    whose bundle has a delta shard; queries are also taken from the edited documents' old texts."""
    from playwright.sync_api import sync_playwright

    docs = synthetic_documents(items, seed)
    options: dict = {"max_shard_documents": max_shard_documents} if max_shard_documents else {}
    edited_from: list[SearchDocument] = []
    if delta:
        rng = random.Random(seed + 1)
        edited_from = [docs[n * len(docs) // delta] for n in range(delta)]
        urls = {doc.url for doc in edited_from}
        docs = [replace(doc, text=_body(rng, int(doc.year))) if doc.url in urls else doc for doc in docs]
    old_texts = [query for query in make_queries(edited_from, len(edited_from), seed=8) if query.kind == "random"] if delta else []
    query_list = make_queries(docs, queries) + old_texts + list(held_out)
    with tempfile.TemporaryDirectory(prefix="gongkai-search-quality-") as tmp:
        site = keep or Path(tmp) / "site"
        if delta:
            cache = Path(tmp) / "cache"
            keys = {doc.url: hashlib.sha256(doc.text.encode()).hexdigest() for doc in synthetic_documents(items, seed)}
            build_index(synthetic_documents(items, seed), Path(tmp) / "first", cache=cache, text_keys=keys, **options)
            keys = {doc.url: hashlib.sha256(doc.text.encode()).hexdigest() for doc in docs}
            options.update(cache=cache, text_keys=keys)
        build = write_search_site(docs, site, **options)
        rare = rarest_phrase(docs, query_list)
        with StaticServer(site) as server, contextlib.ExitStack() as stack:
            if browser is None:
                browser = launch_browser(stack.enter_context(sync_playwright()))
                stack.callback(browser.close)
            cold = first_query(browser, server.url, server, "危房改造")
            cold_rare = None
            if rare is not None:
                cold_rare = first_query(browser, server.url, server, rare.text) | {"hits": len(ground_truth(docs, rare.text))}
            measurements = measure(docs, query_list, server.url, server, browser)
    return {"measurements": measurements, "summary": summarize(measurements), "build": build, "cold": cold, "cold_rare": cold_rare}


def rarest_phrase(docs: list[SearchDocument], queries: Sequence[Query]) -> Query | None:
    """The generated substring with the fewest hits (one at least): in a large site its hits lie in few of many shards,
    the slowest page to fill."""
    found = [(len(ground_truth(docs, query.text)), query) for query in queries if query.kind == "random"]
    return min(((hits, query) for hits, query in found if hits), key=lambda pair: pair[0], default=(0, None))[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1000, help="synthetic notices to index (default 1000)")
    parser.add_argument("--queries", type=int, default=200, help="random corpus substrings to query (default 200)")
    parser.add_argument("--seed", type=int, default=20210616)
    parser.add_argument("--keep", type=Path, help="build the site here and keep it")
    parser.add_argument("--max-shard", type=int, help="at most this many documents a shard (default: the build's)")
    parser.add_argument("--json", type=Path, help="also write the summary as JSON")
    parser.add_argument("--delta", type=int, default=0,
                        help="measure a rebuild with the cache after editing this many documents (a delta shard)")
    parser.add_argument("--query-file", type=Path,
                        help="also ask these queries (one a line, # comments): e.g. a held-out set; Chinese ones count toward the bar")
    args = parser.parse_args(argv)
    missing = browser_missing()
    if missing is not None:
        print(missing, file=sys.stderr)
        return 2
    held_out = read_query_file(args.query_file) if args.query_file else []
    result = run(args.items, args.queries, seed=args.seed, keep=args.keep, max_shard_documents=args.max_shard, held_out=held_out,
                 delta=args.delta)
    print_report(result["measurements"], result["summary"], result["build"], result["cold"], result["cold_rare"])
    if args.json:
        args.json.write_text(json.dumps({k: result[k] for k in ("summary", "build", "cold", "cold_rare")}, ensure_ascii=False, indent=2))
    bar = result["summary"]["bar"]
    return 0 if bar["recall"] >= RECALL_BAR and bar["precision"] >= PRECISION_BAR else 1


if __name__ == "__main__":
    sys.exit(main())
