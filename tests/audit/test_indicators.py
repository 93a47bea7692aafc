"""Each indicator on a small real project (no site build here: links are tested with a built site)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gongkai.audit.indicators import all_indicators
from gongkai.audit.indicators.annual_report import due_year
from gongkai.audit.indicators.consultations import FEEDBACK
from gongkai.audit.indicators.freshness import months_before
from gongkai.audit.indicators.periodic import OVERDUE
from gongkai.audit.model import DEDUCT, NOTE, VETO, Indicator
from gongkai.audit.run import run_audit
from gongkai.settings import Settings

from .gitrepo import commit, git, init, shallow_clone

ORG = "11131122MB1534702N"
CATALOG = f"""\
org: {{name: 测试县住房和城乡建设局, code: {ORG}}}
departments:
  - {{name: 办公室, slug: office}}
categories:
  - name: 政策文件
    slug: policy
    children:
      - {{name: 规范性文件, slug: normative, update_class: 政策文件}}
      - {{name: 政策解读, slug: interpretation}}
  - name: 工作动态
    slug: updates
    children:
      - {{name: 动态信息, slug: news, update_class: 动态要闻}}
      - {{name: 人事信息, slug: personnel, update_class: 人事}}
      - {{name: 规划计划, slug: plans, stale_after_days: 90}}
"""
TODAY = dt.date(2024, 6, 30)


def project(site, catalog: str = CATALOG):
    (site.content / "catalog.yml").write_text(catalog + site.roster_text(), encoding="utf-8")
    reports = site.content / "reports"
    reports.mkdir(exist_ok=True)
    return site


def audit(site, today: dt.date = TODAY):
    return run_audit(Settings(site.root, site.content), today)


def keys(report, level: str | None = None) -> list[str]:
    return sorted(f.indicator.key for f in report.findings if level is None or f.level == level)


def fresh_site(site):
    """Every column up to date as of TODAY, imported in one commit (a clean repository)."""
    project(site)
    for number, (category, day) in enumerate((("规范性文件", "2024-05-20"), ("政策解读", "2024-05-20"),
                                               ("动态信息", "2024-06-25"), ("人事信息", "2024-01-05"),
                                               ("规划计划", "2024-06-01"))):
        site.item(f"2024/{number}.md", title=f"{category}的第一条信息", category=category, published=day,
                  written=None)
    (site.content / "reports" / "2023.yml").write_text("year: 2023\n", encoding="utf-8")
    init(site.root)
    commit(site.root, "2024-06-26", "导入")
    return site


def test_a_fresh_site_has_no_findings_but_notes(site):
    report = audit(fresh_site(site))
    assert keys(report, VETO) == [] and keys(report, DEDUCT) == []
    assert not report.vetoed


def test_home_not_updated(site):
    report = audit(fresh_site(site), TODAY + dt.timedelta(days=30))
    assert "home-not-updated" in keys(report, VETO)
    message = next(f.message for f in report.findings if f.indicator.key == "home-not-updated")
    assert "2024-06-25" in message and "35 天" in message


def test_news_column_stale_after_two_weeks_and_policy_after_six_months(site):
    fresh_site(site)
    report = audit(site, dt.date(2024, 7, 10))  # news 15 days old
    stale = [f for f in report.findings if f.indicator.key == "column-not-updated"]
    assert [f.message.split("”")[0] for f in stale] == ["栏目“工作动态 / 动态信息"]
    assert stale[0].path == "content/catalog.yml" and stale[0].line > 0
    report = audit(site, dt.date(2024, 11, 21))  # policy 6 months + 1 day
    assert any("规范性文件" in f.message for f in report.findings if f.indicator.key == "column-not-updated")
    assert not any("政策解读" in f.message for f in report.findings if f.indicator.key == "column-not-updated")


def test_a_column_is_as_fresh_as_the_public_site_shows_it(site):
    """A 先党内、后党外 item is dated on the public site by its public_from: the column is as fresh as that date, not
    as the day members got it."""
    fresh_site(site)
    site.item("2024/party.md", title="动态信息的党内信息", category="动态信息", published="2024-07-09", written=None,
              audience="党内", public_from="2024-07-20")
    commit(site.root, "2024-07-09", "党内先发")
    stale = [f for f in audit(site, dt.date(2024, 7, 15)).findings if f.indicator.key == "column-not-updated"]
    assert [f.message.split("”")[0] for f in stale] == ["栏目“工作动态 / 动态信息"]  # 2024-06-25 to the public
    # 16 days after members got it, 5 after the public did: fresh
    assert not [f for f in audit(site, dt.date(2024, 7, 25)).findings if f.indicator.key == "column-not-updated"
                and "动态信息" in f.message]


def test_other_columns_by_class_or_stale_after_days_cost_points(site):
    fresh_site(site)
    report = audit(site, dt.date(2024, 9, 1))
    stale = [f.message for f in report.findings if f.indicator.key == "column-stale"]
    assert len(stale) == 1 and "规划计划" in stale[0] and "90 天" in stale[0]
    report = audit(site, dt.date(2025, 1, 6))
    assert any("人事信息" in f.message for f in report.findings if f.indicator.key == "column-stale")


def test_blank_columns_cost_points_and_five_veto(site):
    many = CATALOG + "".join(f"      - {{name: 空栏目{n}, slug: empty{n}}}\n" for n in range(5))
    project(site, many)
    site.item("2024/news.md", category="动态信息", published="2024-06-25", written=None)
    report = audit(site)
    blank = [f for f in report.findings if f.indicator.key == "blank-column"]
    assert len(blank) == 9 and blank[0].level == DEDUCT
    assert "blank-columns-5" in keys(report, VETO)


def test_ten_stale_columns_veto(site):
    many = CATALOG + "".join(f"      - {{name: 旧栏目{n}, slug: old{n}, stale_after_days: 30}}\n" for n in range(10))
    project(site, many)
    for n in range(10):
        site.item(f"2023/old{n}.md", category=f"旧栏目{n}", published="2023-03-01", written=None)
    report = audit(site)
    assert "columns-stale-10" in keys(report, VETO)


def test_lexicon_findings_are_serious_or_typos(site):
    fresh_site(site)
    (site.content / "lexicon.yml").write_text(
        "forbidden:\n  - {text: 台湾总统, reason: 应称台湾地区领导人}\n"
        "people:\n  - name: 张军卫\n    titles:\n      - {title: 局长, from: 2016-03-01, until: 2021-12-31}\n",
        encoding="utf-8")
    wrong = site.item("2024/wrong.md", category="动态信息", published="2024-06-26", written=None,
                      body="张军卫局长出席，台湾总统一词有误。请登陆网站查看。\n")
    report = audit(site)
    serious = [f for f in report.findings if f.indicator.key == "serious-wording"]
    assert len(serious) == 2 and all(f.path == site.rel(wrong) and f.level == VETO for f in serious)
    assert [f.level for f in report.findings if f.indicator.key == "typos"] == [DEDUCT]
    assert serious[0].url == "items/2024/00006/"


def test_backdated_item_is_a_veto_and_within_tolerance_is_not(site):
    fresh_site(site)
    late = site.item("2024/late.md", category="动态信息", published="2024-06-20", written=None)
    sha = commit(site.root, "2024-06-28", "补发")
    close = site.item("2024/close.md", category="动态信息", published="2024-06-26", written=None)
    commit(site.root, "2024-06-29", "按时")
    report = audit(site)
    backdated = [f for f in report.findings if f.indicator.key == "backdated"]
    assert [f.path for f in backdated] == [site.rel(late)]
    assert f"提交 {sha}" in backdated[0].message and "早 8 天" in backdated[0].message
    assert site.rel(close) not in {f.path for f in report.findings}


def test_tolerance_and_imported_until_come_from_the_catalog(site):
    fresh_site(site)
    site.item("2024/late.md", category="动态信息", published="2024-06-20", written=None)
    commit(site.root, "2024-06-28", "补录")
    catalog = site.content / "catalog.yml"
    catalog.write_text(CATALOG + site.roster_text() + "audit: {backdating_tolerance_days: 10}\n", encoding="utf-8")
    assert "backdated" not in keys(audit(site))
    catalog.write_text(CATALOG + site.roster_text() + "audit: {imported_until: 2024-06-28}\n", encoding="utf-8")
    assert "backdated" not in keys(audit(site))
    catalog.write_text(CATALOG + site.roster_text() + "audit: {imported_until: 2024-06-27}\n", encoding="utf-8")
    assert "backdated" in keys(audit(site))


def test_no_repository_and_uncommitted_items_are_reported(site):
    project(site)
    site.item("2024/a.md", category="动态信息", published="2024-06-25", written=None)
    report = audit(site)
    assert "history-incomplete" in keys(report, VETO)
    init(site.root)
    commit(site.root, "2024-06-29")
    site.item("2024/b.md", category="动态信息", published="2024-06-01", written=None)
    report = audit(site)
    assert "uncommitted" in keys(report, NOTE) and "backdated" not in keys(report)


def test_a_shallow_clone_is_a_veto_not_a_pass(site, tmp_path):
    fresh_site(site)
    site.item("2024/late.md", category="动态信息", published="2024-06-26", written=None)
    commit(site.root, "2024-06-29", "发布")
    clone = shallow_clone(site.root, tmp_path / "clone")
    report = run_audit(Settings(clone, clone / "content"), TODAY)
    unverifiable = [f for f in report.findings if f.indicator.key == "history-incomplete"]
    assert len(unverifiable) == 1 and "浅克隆" in unverifiable[0].message and "6 条" in unverifiable[0].message
    assert report.vetoed


def test_annual_report_due_by_31_january(site):
    assert due_year(dt.date(2025, 1, 31)) == 2023 and due_year(dt.date(2025, 2, 1)) == 2024
    fresh_site(site)
    assert "annual-report" in keys(audit(site, dt.date(2025, 2, 1)))
    assert "annual-report" not in keys(audit(site, dt.date(2025, 1, 31)))


def test_months_before_clamps_to_the_month_end():
    assert months_before(dt.date(2024, 8, 31), 6) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2024, 3, 15), 6) == dt.date(2023, 9, 15)


def test_every_indicator_is_declared_once_with_its_level_and_wording():
    indicators = all_indicators()
    assert len({i.key for i in indicators}) == len(indicators)
    assert all(isinstance(i, Indicator) and i.level in (VETO, DEDUCT, NOTE) and i.wording and i.fix for i in indicators)
    assert {"home-not-updated", "column-not-updated", "blank-columns-5", "dead-link", "backdated",
            "serious-wording", "annual-report"} <= {i.key for i in indicators}


def test_an_annual_report_committed_after_31_january_is_late(site):
    fresh_site(site)
    (site.content / "reports" / "2024.yml").write_text("year: 2024\n", encoding="utf-8")
    sha = commit(site.root, "2025-03-03", "补发年报")
    late = [f for f in audit(site, dt.date(2025, 4, 1)).findings if f.indicator.key == "annual-report"]
    assert len(late) == 1 and f"提交 {sha}" in late[0].message and "2025-01-31" in late[0].message


def test_external_links_are_listed_offline_and_asked_online(site, tmp_path, monkeypatch):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from gongkai.audit import sitelinks
    from gongkai.audit.indicators.links import EXTERNAL_DEAD, EXTERNAL_LIST
    from gongkai.audit.model import AuditContext
    from gongkai.audit.sitelinks import SiteLinks
    from gongkai.project import load_project

    monkeypatch.setattr(sitelinks, "_internal", lambda url: False)  # the local server stands in for the world
    fresh_site(site)
    served = tmp_path / "served"
    served.mkdir()
    (served / "ok.html").write_text("ok", encoding="utf-8")
    handler = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *args: None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(served)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    links = SiteLinks(external={f"{base}/ok.html": [""], f"{base}/gone.html": ["items/2024/00001/"]})

    def context(online: bool) -> AuditContext:
        ctx = AuditContext(Settings(site.root, site.content), load_project(site.root, site.content), TODAY, online,
                           build_site=lambda target: None)
        ctx.memo["links"] = links
        return ctx

    try:
        listed = list(EXTERNAL_LIST.inspect(context(False)))
        assert len(listed) == 1 and listed[0].level == NOTE and len(listed[0].details) == 2
        assert list(EXTERNAL_DEAD.inspect(context(False))) == []
        dead = list(EXTERNAL_DEAD.inspect(context(True)))
        assert [f.message for f in dead] == [f"外部链接“{base}/gone.html”不能访问：HTTP 404"]
        assert dead[0].level == DEDUCT and dead[0].path == "content/items/2024/0.md"
        assert list(EXTERNAL_LIST.inspect(context(True))) == []
    finally:
        server.shutdown()
        server.server_close()


def test_a_site_of_thousands_of_dead_links_gets_a_report_a_person_can_read(site, monkeypatch):
    """30,000 missing targets, each on an item page: the first SHOWN_LINKS are named with their item, the rest counted
    in one line; the published items are listed once for all of them (once per link took minutes)."""
    from gongkai.audit.indicators.links import DEAD, EXTERNAL_LIST, SHOWN_LINKS
    from gongkai.audit.model import AuditContext
    from gongkai.audit.sitelinks import SiteLinks
    from gongkai.project import load_project

    fresh_site(site)
    project = load_project(site.root, site.content)
    ctx = AuditContext(Settings(site.root, site.content), project, TODAY, False, build_site=lambda target: None)
    page = project.published_items(TODAY)[0].url
    many = 30_000
    ctx.memo["links"] = SiteLinks(dead={f"attachments/missing-{n:05d}.pdf": [page] for n in range(many)},
                                  external={f"https://example.org/{n}": [page] for n in range(many)})
    listed: list[int] = []

    def published(self):
        listed.append(1)
        return project.published_items(TODAY)

    monkeypatch.setattr(AuditContext, "published", published)
    found = list(DEAD.inspect(ctx))
    assert len(found) == SHOWN_LINKS + 1 and len(listed) == 1
    assert all(f.path for f in found[:SHOWN_LINKS]) and "attachments/missing-00000.pdf" in found[0].message
    assert f"另有 {many - SHOWN_LINKS} 个" in found[-1].message and f"共 {many} 个" in found[-1].message
    external = list(EXTERNAL_LIST.inspect(ctx))
    assert len(external) == 1 and len(external[0].details) == SHOWN_LINKS + 1
    assert external[0].details[-1] == f"……共 {many} 个外部链接" and str(many) in external[0].message


# 意见征集未反馈 and 定期公开逾期: findings from the check's GK710 and GK720.
LOOPS_CATALOG = f"""\
org: {{name: 测试县住房和城乡建设局, code: {ORG}}}
departments:
  - {{name: 办公室, slug: office}}
categories:
  - name: 互动交流
    slug: interact
    children:
      - {{name: 意见征集, slug: consult, consultation: true}}
      - {{name: 市政服务, slug: utility}}
series:
  - {{name: 供水水质检测结果, column: 市政服务, every: quarter, start: 2024Q1}}
"""
LOOPS_TODAY = dt.date(2024, 9, 1)


def audit_loops(site):
    (site.content / "catalog.yml").write_text(LOOPS_CATALOG, encoding="utf-8")
    return run_audit(Settings(site.root, site.content), LOOPS_TODAY)


def findings(report, indicator):
    return [finding for finding in report.findings if finding.indicator is indicator]


def test_a_consultation_without_feedback_is_a_finding_with_its_page(site):
    notice = site.item("2024/notice.md", category="意见征集", published="2024-06-03",
                       consultation={"from": "2024-06-03", "to": "2024-07-02"})
    site.item("2024/q1.md", category="市政服务", series="供水水质检测结果", period="2024Q1", published="2024-04-20")
    site.item("2024/q2.md", category="市政服务", series="供水水质检测结果", period="2024Q2", published="2024-07-20")
    [found] = findings(audit_loops(site), FEEDBACK)
    assert found.level == DEDUCT and found.path == site.rel(notice) and found.url.endswith("items/2024/00001/")
    assert "2024-08-01 前发布" in found.message
    assert findings(audit_loops(site), OVERDUE) == []


def test_an_answered_consultation_and_a_complete_series_pass(site):
    notice = site.meta(category="意见征集", published="2024-06-03", consultation={"from": "2024-06-03", "to": "2024-07-02"})
    site.item("2024/notice.md", **notice)
    site.item("2024/reply.md", category="意见征集", published="2024-07-20", feedback_for=notice["index_no"])
    site.item("2024/q1.md", category="市政服务", series="供水水质检测结果", period="2024Q1", published="2024-04-20")
    site.item("2024/q2.md", category="市政服务", series="供水水质检测结果", period="2024Q2", published="2024-07-20")
    report = audit_loops(site)
    assert findings(report, FEEDBACK) == [] and findings(report, OVERDUE) == []


def test_an_overdue_period_is_a_finding_with_its_due_date(site):
    site.item("2024/q1.md", category="市政服务", series="供水水质检测结果", period="2024Q1", published="2024-04-20")
    [found] = findings(audit_loops(site), OVERDUE)
    assert found.level == DEDUCT and found.path == "content/catalog.yml"
    assert "2024年第2季度（2024Q2）未发布：应发布日期 2024-07-31（次月底）" in found.message


def test_an_item_is_dated_by_the_day_it_first_reached_the_public_not_its_files_first_commit(site):
    """A file committed while not public and made public months later with an old 发布日期 and back-dated sign-offs
    was not online on that date: every way a version can be kept from the public (status, audience, a later date,
    missing sign-offs, a withdrawal, a column the catalog lacked, a folder that is not items/, another item's 索引号
    in the same file, front matter the check refuses, public only between two commits of one day or only on a branch
    merged later) is dated by the day a public version first stood on the mainline. Public versions that were
    taken down and put back, moved, edited, or scheduled ahead keep their first public day."""
    hidden = CATALOG.replace("      - {name: 规划计划, slug: plans, stale_after_days: 90}\n", "")
    project(site, hidden)
    number = iter(range(1, 100))

    def index_no() -> str:
        return f"{site.ORG_CODE}/2024-{next(number):05d}"

    def put(name: str, index: str, **fields) -> Path:
        fields.setdefault("category", "动态信息")
        fields.setdefault("published", "2024-01-10")
        return site.item(name, index_no=index, written=None, **fields)

    init(site.root)
    site.item("2023/old.md", category="动态信息", published="2023-12-01", written=None)
    commit(site.root, "2024-01-01", "导入")
    # In January: each one kept from the public some way (or, the controls, public already or scheduled honestly).
    cases: dict[str, tuple[dict[str, object], dict[str, object] | None]] = {
        "status": ({"disclosure": "不予公开"}, {}),
        "audience": ({"audience": "党内"}, {"audience": "党内", "public_from": "2024-01-10"}),
        "scheduled": ({"published": "2024-12-01"}, {}),
        "withdrawn": ({"withdrawn": {"date": "2024-01-10", "reason": "暂不公开"}}, {}),
        "column": ({"category": "规划计划"}, None),  # the catalog gains the column in June; the file is untouched
    }
    numbers = {key: index_no() for key in (*cases, "unsigned", "drafts", "reused", "reused-old", "refused")}
    files = {key: put(f"2024/{key}.md", numbers[key], **before) for key, (before, _) in cases.items()}
    files["unsigned"] = site.item("2024/unsigned.md", index_no=numbers["unsigned"], category="动态信息",
                                  published="2024-01-10", written=None, signed=False)
    drafts = site.content / "drafts"  # a folder the site does not read
    drafts.mkdir()
    put("2024/drafts.md", numbers["drafts"]).rename(drafts / "drafts.md")
    files["reused"] = put("2024/reused.md", numbers["reused-old"])  # public: another item's 索引号
    files["refused"] = put("2024/refused.md", numbers["refused"])  # a key written twice: the check refused it
    files["refused"].write_text(files["refused"].read_text(encoding="utf-8").replace("title:", "title: 重复\ntitle:", 1),
                                encoding="utf-8")
    controls = {key: index_no() for key in ("taken-down", "moved", "edited", "ahead", "party")}
    put("2024/taken-down.md", controls["taken-down"])
    put("2024/moved.md", controls["moved"], body="一条较长的正文，移动后内容不变。\n" * 5)
    put("2024/edited.md", controls["edited"])
    put("2024/ahead.md", controls["ahead"], published="2024-02-01")
    put("2024/party.md", controls["party"], audience="党内", public_from="2024-03-01")
    flip, side = index_no(), index_no()
    files["flip"] = put("2024/flip.md", flip)
    files["side"] = put("2024/side.md", side, disclosure="不予公开")
    commit(site.root, "2024-01-10", "一月")
    put("2024/flip.md", flip, disclosure="不予公开")  # public for a few hours only: never at a day's end
    commit(site.root, "2024-01-10T18:00:00+08:00", "当天改回")
    git(site.root, "checkout", "-q", "-b", "side")  # public on a branch in January, merged into main in June
    put("2024/side.md", side)
    commit(site.root, "2024-01-12", "分支")
    git(site.root, "checkout", "-q", "main")
    put("2024/taken-down.md", controls["taken-down"], withdrawn={"date": "2024-03-01", "reason": "内容需要修改"})
    commit(site.root, "2024-03-01", "撤下")
    # June: made public with the January date and sign-offs dated before it; the controls taken back or moved.
    for key, (_, after) in cases.items():
        if after is not None:
            put(f"2024/{key}.md", numbers[key], **after)
    project(site, CATALOG)
    site.sign(files["unsigned"])
    files["drafts"] = (drafts / "drafts.md").rename(site.content / "items" / "2024" / "drafts.md")
    put("2024/reused.md", numbers["reused"])
    put("2024/refused.md", numbers["refused"])
    put("2024/flip.md", flip)
    put("2024/taken-down.md", controls["taken-down"])
    (site.content / "items" / "2024" / "moved.md").rename(site.content / "items" / "2024" / "moved-2.md")
    put("2024/edited.md", controls["edited"], title="标题改过的通知")
    sha = commit(site.root, "2024-06-20", "六月")
    git(site.root, "merge", "-q", "--no-ff", "-m", "合并", "side", date="2024-06-21")
    merged = git(site.root, "rev-parse", "--short", "HEAD")
    report = audit(site)
    backdated = {f.path: f.message for f in report.findings if f.indicator.key == "backdated"}
    assert sorted(backdated) == sorted(site.rel(file) for file in files.values())
    assert f"提交 {merged}" in backdated.pop(site.rel(files["side"]))
    assert all(f"提交 {sha}" in message and "早 162 天" in message for message in backdated.values()), backdated
    assert "uncommitted" not in keys(report)
