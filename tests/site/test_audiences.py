"""Two sites from one repository: the public one holds no trace of a members-only (党内) item before
its `public_from`; the members' one (`--audience 党内`) holds everything public and every 党内 item,
marked, with its own index, feeds and sitemap, kept out of search engines.

Markers are planted in every field, the body and an attachment of each 党内 item (tests/projects.py);
every output byte is scanned, Pagefind's files decompressed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from tests.projects import (
    PARTY_NOW_PUBLIC_MARKER,
    PARTY_ONLY,
    PARTY_PUBLIC_FROM,
    SECRET_MARKERS,
    SITE_SIGNERS,
    TODAY,
    build,
    hashes,
    make_project,
)
from tests.site.test_site_never_published import output_bytes

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PARTY_MARKERS = [SECRET_MARKERS[key] for key in PARTY_ONLY]
NEVER_PUBLISHED = [marker for key, marker in SECRET_MARKERS.items() if key not in PARTY_ONLY]


@pytest.fixture(scope="session")
def members(built):
    """The members' site of the same project on the same day."""
    return build(built.fixture, built.fixture.root / "site-party", audience="党内")


def found(files: dict[str, bytes], marker: str) -> list[str]:
    return [name for name, data in files.items() if marker.encode() in data]


def test_the_public_build_holds_no_trace_of_members_only_items(built):
    files = output_bytes(built.site)
    assert {marker: found(files, marker) for marker in PARTY_MARKERS} == {marker: [] for marker in PARTY_MARKERS}
    for url in ("items/2023/00060", "items/2023/00061", "items/2023/00064", "items/2023/00067"):
        assert not (built.site / url).exists()
        assert not found(files, url + "/")  # no link, no sitemap entry, no feed entry
    assert PARTY_NOW_PUBLIC_MARKER.encode() in b"".join(files.values())  # public_from passed: public


def test_public_counts_listings_and_links_leave_members_only_items_out(built):
    home = built.page("")
    grid = {card.css_first("h3 a").text(strip=True): [li.text(strip=True) for li in card.css("li")] for card in home.css(".gk-card")}
    assert grid["党务公开"] == ["党组织决议，共1条", "联系服务党员群众，共1条"]
    assert "共 1 条信息" in built.page("catalog/resolutions/").css_first(".gk-count").text()
    # The policy's page lists its public 解读 only; the consultation links its public 反馈 only.
    policy = built.page("items/2021/00001/")
    assert [a.text(strip=True) for a in policy.css(".gk-related a")] == ["《测试县农村危房改造补助资金管理办法》政策解读"]
    consultation = built.page("items/2023/00065/")
    assert [a.attributes["href"] for a in consultation.css(".gk-related a")] == ["../00066/"]


def test_the_members_site_holds_everything_public_and_every_members_only_item(built, members):
    files = output_bytes(members.site)
    for marker in PARTY_MARKERS + [PARTY_NOW_PUBLIC_MARKER]:
        assert found(files, marker), marker
        assert any(name.startswith("pagefind/") for name in found(files, marker)), f"{marker} not in the members' search index"
    assert {marker: found(files, marker) for marker in NEVER_PUBLISHED} == {marker: [] for marker in NEVER_PUBLISHED}
    public_pages = {p.relative_to(built.site).as_posix() for p in built.site.rglob("index.html")}
    member_pages = {p.relative_to(members.site).as_posix() for p in members.site.rglob("index.html")}
    assert public_pages < member_pages
    assert {"items/2023/00060/index.html", "items/2023/00061/index.html", "items/2023/00067/index.html"} <= member_pages
    assert f"{SECRET_MARKERS['党内']}.csv" in {p.name for p in (members.site / "attachments").rglob("*")}


def test_members_only_pages_are_marked_and_the_site_says_where_it_may_be_shown(members):
    page = members.page("items/2023/00061/")
    banner = page.css_first(".gk-banner--party")
    assert banner is not None and "党内公开" in banner.text() and str(PARTY_PUBLIC_FROM) in banner.text()
    assert members.page("items/2021/00001/").css_first(".gk-banner--party") is None  # a public item is not marked
    assert "党内" in [b.text(strip=True) for b in members.page("catalog/resolutions/").css(".gk-badge--party")]
    for url in ("", "items/2023/00060/", "catalog/news/", "search/"):
        tree = members.page(url)
        assert tree.css_first('meta[name="robots"]').attributes["content"] == "noindex, nofollow, noarchive"
        assert "只能在单位内部网络发布和查阅" in tree.css_first(".gk-footer__members").text()
        assert "党内网站" in tree.css_first(".gk-members-strip").text()
    assert members.text("robots.txt") == "User-agent: *\nDisallow: /\n"


def test_a_members_only_column_reaches_the_public_site_only_with_a_public_item(built, members):
    assert not (built.site / "catalog/party-rules").exists()
    assert not found(output_bytes(built.site), "party-rules")  # no nav entry, no directory link, no feed
    assert "共 1 条信息" in members.page("catalog/party-rules/").css_first(".gk-count").text()
    assert (built.site / "catalog/resolutions/index.html").exists()  # it has a public item


def test_the_public_site_carries_no_members_marking(built):
    for url in ("", "items/2023/00062/", "catalog/resolutions/"):
        tree = built.page(url)
        assert tree.css_first('meta[name="robots"]') is None
        assert tree.css_first(".gk-members-strip") is None and tree.css_first(".gk-footer__members") is None
    assert "Disallow: /\n" not in built.text("robots.txt")  # only the search page's results are kept out
    assert "先党内、后党外（2023-06-10 起向社会公开）" in built.page("items/2023/00062/").css_first(".gk-meta").text()


def test_the_members_site_has_its_own_feeds_and_sitemap_at_its_own_address(members):
    address = "https://dangwu.zjj.intranet/"  # the repository's mkdocs.yml: party_site.site_url
    feed = ET.fromstring(members.text("catalog/resolutions/feed.xml"))
    assert {e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")} >= {f"{address}items/2023/00060/",
                                                                              f"{address}items/2023/00061/"}
    locations = [u.findtext(f"{SITEMAP}loc") for u in ET.fromstring(members.text("sitemap.xml")).findall(f"{SITEMAP}url")]
    assert f"{address}items/2023/00060/" in locations
    assert not [loc for loc in locations if loc and "qinghe.gov.cn" in loc]  # never the public site's address


def test_the_members_sites_feeds_and_titles_say_whose_they_are(built, members):
    """A feed reader shows entries without the page's banner, and a bookmark or shared tab shows the page's title:
    the members' feeds are named as the members' site's, a members-only entry is marked in its title, category and
    summary, and so is a members-only page's title. The public site's are as before."""
    feed = ET.fromstring(members.text("catalog/resolutions/feed.xml"))
    assert feed.findtext(f"{ATOM}title", "").endswith("党内网站 党组织决议")
    assert ET.fromstring(members.text("feed.xml")).findtext(f"{ATOM}title", "").endswith("党内网站 最新信息")
    entries = {urlsplit(e.findtext(f"{ATOM}id", "")).path: e for e in feed.findall(f"{ATOM}entry")}
    marked = entries["/items/2023/00060/"]
    assert marked.findtext(f"{ATOM}title", "").startswith("【党内】")
    assert "党内" in [category.get("term") for category in marked.findall(f"{ATOM}category")]
    assert marked.findtext(f"{ATOM}summary", "").startswith("本信息仅向全体党员公开，请勿向党外传播。")
    opened = entries["/items/2023/00062/"]  # public since its public_from: no longer members-only
    assert not opened.findtext(f"{ATOM}title", "").startswith("【党内】") and "请勿向党外传播" not in opened.findtext(f"{ATOM}summary", "")
    assert members.page("items/2023/00060/").css_first("title").text().startswith("【党内】")
    assert members.page("items/2023/00062/").css_first("title").text().endswith("（党内网站）")
    assert members.page("").css_first("title").text().endswith("（党内网站）")
    public_feed = built.text("feed.xml")
    assert "【党内】" not in public_feed and "党内网站" not in public_feed
    assert "党内网站" not in built.page("items/2023/00062/").css_first("title").text()
    assert ET.fromstring(public_feed).findtext(f"{ATOM}title", "").endswith("最新公开信息")


def test_a_members_page_title_is_printed_as_written(tmp_path):
    """The members' `<title>` prints the title escaped, as the public site's does: `striptags` dropped what stands
    between < and > and decoded a written character reference into the character (a real U+202E)."""
    fixture = make_project(tmp_path / "project", news=2)
    item = fixture.item_path(2023, 60)
    title = "关于1 < 2 & 3 > 0的通知&#x202E;知通&amp;"
    text = re.sub(r'^title: .*$', f"title: {json.dumps(title, ensure_ascii=False)}", item.read_text(encoding="utf-8"), flags=re.M)
    item.write_text(text, encoding="utf-8")
    fixture.write_review(item, [{"level": level, "reviewer": reviewer, "date": "2023-06-01"} for level, reviewer in SITE_SIGNERS])
    members = build(fixture, fixture.root / "site-party", audience="党内")
    node = members.page("items/2023/00060/").css_first("title")
    shown = node.text() if node is not None else ""
    assert shown.startswith(f"【党内】{title} - ") and "\u202e" not in shown


def test_a_feed_dates_a_members_item_opened_to_the_public_by_the_day_it_was_opened(built, members):
    """A 党内 item opened to the public on its public_from is news to the public that day: dated by its first
    publication, it sat among old entries, where a reader sorting by date never saw it."""
    def updated(site, feed: str) -> dict[str, str]:
        root = ET.fromstring(site.text(feed))
        return {urlsplit(e.findtext(f"{ATOM}id", "")).path: e.findtext(f"{ATOM}updated", "")[:10]
                for e in root.findall(f"{ATOM}entry")}

    assert updated(built, "catalog/resolutions/feed.xml")["/items/2023/00062/"] == "2023-06-10"
    for site in (built, members):
        days = list(updated(site, "catalog/resolutions/feed.xml").values())
        assert days == sorted(days, reverse=True)  # newest news first
    assert updated(members, "catalog/resolutions/feed.xml")["/items/2023/00062/"] == "2023-06-03"


def test_public_from_switches_with_gongkai_today(built, monkeypatch):
    """On its public_from day a 党内 item enters the public build, which a daily build publishes."""
    monkeypatch.chdir(built.fixture.root)
    result = CliRunner().invoke(main, ["build", "--site-dir", "site-later"], env={"GONGKAI_TODAY": PARTY_PUBLIC_FROM.isoformat()})
    assert result.exit_code == 0, result.output
    files = output_bytes(built.fixture.root / "site-later")
    assert found(files, SECRET_MARKERS["党内_public_later"])
    assert (built.fixture.root / "site-later" / "items/2023/00061/index.html").exists()
    for key in ("党内", "党内_feedback", "党内_interpretation"):
        assert not found(files, SECRET_MARKERS[key]), key


def test_the_members_site_is_never_built_into_the_public_folder(built, monkeypatch):
    monkeypatch.chdir(built.fixture.root)
    before = sorted(p.name for p in built.site.iterdir())
    refused = CliRunner().invoke(main, ["build", "--audience", "党内", "--site-dir", "site"])
    assert refused.exit_code != 0 and "党内网站不能生成到公众网站的目录" in refused.output
    assert sorted(p.name for p in built.site.iterdir()) == before
    default = CliRunner().invoke(main, ["build", "--audience", "党内"], env={"GONGKAI_TODAY": TODAY.isoformat()})
    assert default.exit_code == 0, default.output
    assert (built.fixture.root / "site-party" / "items/2023/00060/index.html").exists()  # the default folder


@pytest.mark.parametrize("where", ["site/dangwu", "site/a/b", "public/dangwu", "public"])
def test_the_members_site_is_never_built_inside_a_public_site(built, monkeypatch, where):
    """`--site-dir site/dangwu` wrote the members' site into the public one's folder: deploying site/ published
    every members-only page, and its search index, to the internet. Below site/, or below any folder that holds a
    public site (`--site-dir public`, a web server's root), it is refused; nothing is written."""
    monkeypatch.chdir(built.fixture.root)
    today = {"GONGKAI_TODAY": TODAY.isoformat()}
    assert CliRunner().invoke(main, ["build", "--site-dir", "public"], env=today).exit_code == 0
    before = {name: hashes(built.fixture.root / name) for name in ("site", "public")}
    refused = CliRunner().invoke(main, ["build", "--audience", "党内", "--site-dir", where], env=today)
    assert refused.exit_code != 0 and "公众网站" in refused.output and "site-party" in refused.output, refused.output
    assert "Traceback" not in refused.output
    assert {name: hashes(built.fixture.root / name) for name in ("site", "public")} == before
    assert not (built.fixture.root / "public" / "dangwu").exists() and not (built.fixture.root / "site" / "dangwu").exists()
    beside = CliRunner().invoke(main, ["build", "--audience", "党内", "--site-dir", "site-party/dangwu"], env=today)
    assert beside.exit_code == 0, beside.output


def test_a_consultation_shows_its_state_and_links_its_feedback(built):
    closed = built.page("items/2023/00065/")
    assert closed.css_first(".gk-consultation__state").text(strip=True) == "已结束"
    assert "2023-03-01 至 2023-03-31" in closed.css_first(".gk-consultation").text()
    feedback = built.page("items/2023/00066/")
    assert [a.attributes["href"] for a in feedback.css(".gk-related a")] == ["../00065/"]
    open_ = built.page("items/2024/00060/")
    assert open_.css_first(".gk-consultation__state").text(strip=True) == "征集中还剩 14 天"
    assert "电子邮件：zjj@example.gov.cn" in open_.css_first(".gk-consultation").text()
    listing = built.page("catalog/consult/")
    badges = {entry.css_first(".gk-entry__title").text(strip=True): [badge.text(strip=True) for badge in entry.css(".gk-badge")]
              for entry in listing.css(".gk-entry")}
    assert badges["关于公开征求《测试县既有住宅加装电梯办法（征求意见稿）》意见的公告"] == ["征集中"]
    assert badges["关于公开征求《测试县物业管理办法（征求意见稿）》意见的公告"] == ["已结束"]
    assert badges["《测试县物业管理办法》征求意见采纳情况"] == []


def test_a_series_page_lists_its_periods_with_due_dates(built):
    page = built.page("series/water/")
    rows = [[cell.text(strip=True) for cell in row.css("th, td")] for row in page.css("tbody tr")]
    assert rows == [
        ["2024年第1季度", "2024-04-30", "—", "未发布"],
        ["2023年第4季度", "2024-01-31", "2024-02-10", "逾期 10 天"],
        ["2023年第3季度", "2023-10-31", "2023-10-20", "按时"],
    ]
    assert page.css_first('tbody a[href="../../items/2024/00061/"]') is not None
    assert built.page("catalog/utility/").css_first('.gk-series-links a[href="../../series/water/"]') is not None
    item = built.page("items/2023/00068/")
    assert "供水水质检测结果（2023年第3季度）" in item.css_first(".gk-meta").text()


def test_the_consultation_state_follows_the_day_of_the_build(built, tmp_path):
    later = build(built.fixture, tmp_path / "site", today=dt.date(2024, 7, 15))  # the day after it closed
    state = later.page("items/2024/00060/").css_first(".gk-consultation__state")
    assert state is not None and state.text(strip=True) == "已结束"


def test_the_members_site_never_replaces_a_public_site_in_any_folder(built, monkeypatch):
    """A host serving `public/` (or mkdocs.yml's site_dir, or the web root) holds the public site under
    another name than site/: the members' site is not built over it either."""
    monkeypatch.chdir(built.fixture.root)
    env = {"GONGKAI_TODAY": TODAY.isoformat()}
    assert CliRunner().invoke(main, ["build", "--site-dir", "public"], env=env).exit_code == 0
    before = output_bytes(built.fixture.root / "public")
    refused = CliRunner().invoke(main, ["build", "--audience", "党内", "--site-dir", "public"], env=env)
    assert refused.exit_code != 0 and "中是公众网站" in refused.output, refused.output
    assert output_bytes(built.fixture.root / "public") == before
    again = CliRunner().invoke(main, ["build", "--audience", "党内", "--site-dir", "members"], env=env)
    assert again.exit_code == 0, again.output
    assert CliRunner().invoke(main, ["build", "--audience", "党内", "--site-dir", "members"], env=env).exit_code == 0
