"""Audiences (GK150–GK152) and links that would show the public what only party members may see (GK630–GK631)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import rules
from gongkai.body_views import BodyViews
from gongkai.checks import addresses, audiences, schema
from gongkai.settings import MarkdownOptions

from .catalogs import CATALOG, use

D = dt.date


@pytest.fixture
def party_site(site):
    use(site)
    return site


END_OF_YEAR = D(2021, 12, 31)


def codes(site, path=None, today=END_OF_YEAR):
    wanted = None if path is None else site.rel(path)
    return [p.code for p in site.check(today) if p.code.startswith(("GK15", "GK63", "GK104")) and wanted in (None, p.path)]


@pytest.mark.parametrize("value", ["党外", "内部", "", ["党内"], True])
def test_an_audience_is_one_of_two(party_site, value):
    path = party_site.item(audience=value)
    assert codes(party_site, path) == [audiences.BAD_AUDIENCE.code]


def test_public_from_belongs_to_party_items_and_follows_publication(party_site):
    public = party_site.item("2021/a.md", public_from="2021-07-01")
    early = party_site.item("2021/b.md", audience="党内", public_from="2021-06-01")
    wrong = party_site.item("2021/c.md", audience="党内", public_from="2021-06-31")
    by_column = party_site.item("2021/d.md", category="党组织决议", public_from="2021-07-01")  # 党内 by its column
    assert codes(party_site, public) == [audiences.PUBLIC_FROM_NOT_PARTY.code]
    assert codes(party_site, early) == [audiences.PUBLIC_FROM_EARLY.code]
    assert codes(party_site, wrong) == [schema.BAD_DATE.code]
    assert codes(party_site, by_column) == []


def link_to(target: str) -> str:
    return f"详见[党组决定]({target})。\n"


def test_a_public_item_linking_a_members_only_item_is_an_error(party_site):
    party_site.item("2021/party.md", category="党组织决议", published="2021-06-01")  # 党内 by its column
    party_site.item("2021/explicit.md", audience="党内", published="2021-06-01")
    public = party_site.item("2021/public.md", body=link_to("party.md") + link_to("explicit.md"))
    found = [p for p in party_site.check() if p.path == party_site.rel(public)]
    lines = public.read_text(encoding="utf-8").split("\n")
    expected = [lines.index(link_to(name).rstrip("\n")) + 1 for name in ("party.md", "explicit.md")]
    assert [(p.code, p.line) for p in found] == [(audiences.HIDDEN_LINK.code, line) for line in expected]
    assert "content/items/2021/party.md 只向党员公开" in found[0].message


def test_members_only_items_may_link_each_other_and_public_items(party_site):
    party_site.item("2021/party.md", category="党组织决议", published="2021-06-01")
    party_site.item("2021/public.md", published="2021-06-01")
    other = party_site.item("2021/other.md", category="党组织决议", body=link_to("party.md") + link_to("public.md"))
    assert codes(party_site, other) == []


def test_a_link_to_a_members_first_item_must_wait_for_its_public_from(party_site):
    party_site.item("2021/later.md", audience="党内", published="2021-06-01", public_from="2021-09-01")
    too_early = party_site.item("2021/a.md", published="2021-07-01", body=link_to("later.md"))
    after = party_site.item("2021/b.md", published="2021-09-01", body=link_to("later.md"))
    members_first_too = party_site.item("2021/c.md", audience="党内", published="2021-07-01", public_from="2021-09-02",
                                        body=link_to("later.md"))
    assert codes(party_site, too_early, today=D(2021, 7, 15)) == [audiences.HIDDEN_LINK.code]
    assert codes(party_site, too_early, today=D(2021, 9, 1)) == []  # public by now: the link works
    assert codes(party_site, after, today=D(2021, 7, 15)) == []
    assert codes(party_site, members_first_too, today=D(2021, 7, 15)) == []


def test_interprets_and_feedback_for_across_audiences(party_site):
    policy = party_site.meta(category="党组织决议", published="2021-06-01")
    party_site.item("2021/policy.md", **policy)
    jiedu = party_site.item("2021/jiedu.md", category="政策解读", genre="解读", interprets=policy["index_no"])
    reply = party_site.item("2021/reply.md", feedback_for=policy["index_no"])
    members_reply = party_site.item("2021/members.md", category="党组织决议", feedback_for=policy["index_no"])
    assert codes(party_site, jiedu) == [audiences.HIDDEN_LINK.code]
    assert codes(party_site, reply) == [audiences.HIDDEN_LINK.code]
    assert codes(party_site, members_reply) == []


def test_an_authored_page_may_link_only_items_on_the_public_site(party_site):
    party_site.item("2021/party.md", category="党组织决议", published="2021-06-01")
    party_site.item("2021/request.md", disclosure="依申请公开")
    party_site.item("2021/public.md", published="2021-06-01")
    pages = party_site.content / "pages"
    pages.mkdir()
    (pages / "guide.md").write_text("---\ntitle: 指南\n---\n\n见[决定](../items/2021/party.md)、[申请](../items/2021/request.md)"
                                     "和[通知](../items/2021/public.md)。\n", encoding="utf-8")
    found = [p for p in party_site.check() if p.path == "content/pages/guide.md"]
    assert [(p.code, p.line) for p in found] == [(audiences.PAGE_HIDDEN_LINK.code, 5)] * 2
    assert "只向党员公开" in found[0].message and "依申请公开" in found[1].message
    # The members-only item would be announced by the page: that stops the build. The 依申请公开 one is never on the
    # public site: the page's link to it is dead, and stopping the build would keep an item being taken down online.
    assert rules.blocking(found) == [found[0]] and "删除该链接之前网站不会更新" in found[0].message


def test_a_page_link_stops_no_takedown_signed_the_same_day(party_site):
    """Reviewers sign 不予公开 for an item an authored page links (公开 until today): the build takes it down and
    leaves the page's link dead, instead of stopping and keeping the item online. A page link to an item signed for
    publication later (a scheduled one) still stops the build: the link would announce it before its day."""
    party_site.attach("down.csv", "名称\n甲\n".encode())
    party_site.attach("later.csv", "名称\n乙\n".encode())
    down = party_site.item("2021/down.md", published="2021-06-18", disclosure="不予公开", signed=False,
                           attachments=[{"title": "名单", "file": "down.csv"}])
    party_site.sign(down, date=END_OF_YEAR, opinion="不予公开")
    party_site.item("2021/later.md", published="2022-03-01", attachments=[{"title": "名单", "file": "later.csv"}])
    pages = party_site.content / "pages"
    pages.mkdir()
    (pages / "guide.md").write_text("---\ntitle: 指南\n---\n\n见[一](../items/2021/down.md)、[二](../items/2021/later.md)、"
                                    "[三](../attachments/down.csv)、[四](../attachments/later.csv)。\n", encoding="utf-8")
    problems = party_site.check()
    assert not [p for p in problems if p.path == party_site.rel(down)]
    found = [p for p in problems if p.path == "content/pages/guide.md"]
    assert [p.code for p in found] == [audiences.PAGE_HIDDEN_LINK.code] * 2 + [audiences.UNPUBLISHED_FILE.code] * 2
    assert "本次构建照常撤下它" in found[0].message
    assert [p.targets for p in rules.blocking(found)] == [("content/items/2021/later.md",)] * 2  # the page, the file


def test_links_to_a_members_only_page_by_its_address_are_errors_too(party_site):
    hidden = party_site.meta(category="党组织决议", published="2021-06-01")
    party_site.item("2021/party.md", **hidden)
    serial = hidden["index_no"].rsplit("-", 1)[1]
    address = f"items/2021/{serial}/"
    body = (f"见[一]({'/' + address})、[二](../../{address})、<a href=\"{'https://zjj.qinghe.gov.cn/' + address}\">三</a>"
            f"，另见[外站](https://www.example.gov.cn/{address})和[四]。\n\n[四]: /{address}\n")
    public = party_site.item("2021/public.md", body=body)
    (party_site.root / "mkdocs.yml").write_text(
        "site_name: 测试\nsite_url: https://zjj.qinghe.gov.cn/\ndocs_dir: docs\nplugins:\n  - gongkai\n", encoding="utf-8")
    found = [p for p in party_site.check() if p.path == party_site.rel(public)]
    assert [p.code for p in found] == [audiences.HIDDEN_LINK.code] * 4  # not the other site's page
    pages = party_site.content / "pages"
    pages.mkdir()
    (pages / "guide.md").write_text(f"---\ntitle: 指南\n---\n\n见[决定](/{address})。\n", encoding="utf-8")
    assert [p.code for p in party_site.check() if p.path == "content/pages/guide.md"] == [audiences.PAGE_HIDDEN_LINK.code]


@pytest.mark.parametrize("written", ["items/2021/{serial}/", "items/2021/%{first:02x}{rest}/", "%69tems%2F2021/{serial}/",
                                     "&#105;tems/2021/{serial}/", "items&#x2F;2021/{serial}/"])
@pytest.mark.parametrize("disclosure", ["不予公开", "依申请公开"])
def test_a_link_by_address_to_an_item_that_is_not_public_is_an_error_however_escaped(party_site, written, disclosure):
    """The browser decodes percent escapes and character references in an address: a link written so led the public
    to a non-public item's address (dead, but it shows the item exists) past the address checks."""
    fields = party_site.meta(disclosure=disclosure, published="2021-06-01")
    party_site.item("2021/hidden.md", **fields)
    serial = fields["index_no"].rsplit("-", 1)[1]
    address = written.format(serial=serial, first=ord(serial[0]), rest=serial[1:])
    public = party_site.item("2021/public.md", body=f"见[一](/{address})和<a href=\"/{address}\">二</a>。\n")
    found = [p for p in party_site.check() if p.path == party_site.rel(public) and p.code.startswith("GK6")]
    assert [p.code for p in found] == ["GK608"] * 2, found
    assert all(p.targets == ("content/items/2021/hidden.md",) for p in found)


def party_roster(site, marked=("李明",)) -> None:
    """The test roster with `marked` people allowed to sign 党内 items."""
    roster = site.roster_text()
    for name in marked:
        roster = roster.replace(f"  - name: {name}\n", f"  - name: {name}\n    party: true\n")
    (site.root / "content" / "catalog.yml").write_text(CATALOG + roster, encoding="utf-8")


def test_the_roster_may_restrict_who_signs_members_only_items(site):
    party_roster(site, marked=("李明", "王芳"))
    members_only = site.item("2021/party.md", category="党组织决议")
    public = site.item("2021/public.md")
    assert [c for c in site.codes(members_only) if c.startswith("GK2")] == []
    party_roster(site, marked=("李明",))  # 王芳 signed 复核 but may not sign 党内 items
    problems = [p for p in site.check() if p.code.startswith("GK2")]
    assert [(p.path, p.code) for p in problems] == [(site.rel(members_only), "GK212")]
    assert "王芳 未获授权审查仅向党员公开的党内信息" in problems[0].message
    assert site.rel(public) not in {p.path for p in problems}  # public items: anyone the roster allows


def test_gongkai_review_refuses_an_unmarked_reviewer_for_a_members_only_item(site):
    from gongkai.reviewing import ReviewRefused

    party_roster(site, marked=("李明",))
    path = site.item("2021/party.md", category="党组织决议", audience="党内", signed=False)
    site.sign_level(path, "initial", "李明")
    with pytest.raises(ReviewRefused, match="王芳 未获授权审查仅向党员公开的党内信息"):
        site.sign_level(path, "final", "王芳")


def test_without_any_party_mark_the_roster_does_not_restrict(party_site):
    path = party_site.item("2021/party.md", category="党组织决议")
    assert [c for c in party_site.codes(path) if c.startswith("GK2")] == []


def test_party_is_true_or_left_out(site):
    party_roster(site)
    catalog = site.root / "content" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("party: true\n    departments", "party: 是\n    departments"),
                       encoding="utf-8")
    assert [p.code for p in site.check() if "party 只能写 true" in p.message] == ["GK912"]


def test_a_link_to_a_scheduled_public_item_asks_to_wait_for_it(party_site):
    """The target is for the public, only not yet: the fix is the linking item's date, not 党内."""
    policy = party_site.meta(category="规范性文件", published="2021-09-01")
    party_site.item("2021/policy.md", **policy)
    jiedu = party_site.item("2021/jiedu.md", category="政策解读", genre="解读", interprets=policy["index_no"],
                            published="2021-07-01")
    [found] = [p for p in party_site.check(D(2021, 7, 15)) if p.code == audiences.HIDDEN_LINK.code and p.path == party_site.rel(jiedu)]
    assert "推迟到 2021-09-01 或以后" in found.message and "党内" not in found.message.split("：")[-1]


def _escaped(ch: str, how: int) -> str:
    return [ch, f"%{ord(ch):02X}", f"&#{ord(ch)};", f"&#x{ord(ch):x};"][how]


VIEWS = BodyViews(MarkdownOptions())


def _item_pages(body: str, page_url: str = "items/2021/00099/", site_url: str = "") -> list[tuple[str, str]]:
    """The item pages a body's links lead to, as the browser follows them from its page."""
    return [number for _, path in addresses.own_links(VIEWS.of(body).links, page_url, (site_url,))
            if (number := addresses.item_page(path)) is not None]


@settings(max_examples=200, deadline=None)
@given(year=st.integers(2000, 2099), serial=st.integers(1, 99_999), hows=st.lists(st.integers(0, 3), min_size=17, max_size=17),
       form=st.sampled_from(["[甲]({})", "[甲](../../../{})", '<a href="/{}">甲</a>', "[甲][]\n\n[甲]: /{}",
                             '<img src="../../../{}" alt="甲">']))
def test_an_address_however_escaped_is_read_as_the_browser_reads_it(year, serial, hows, form):
    """Every character of `items/YYYY/NNNNN/` percent-escaped or written as a character reference, in any mix."""
    address = "".join(_escaped(ch, how) for ch, how in zip(f"items/{year}/{serial:05d}/", hows, strict=True))
    body = "前文。\n\n" + form.format(address) + "\n"
    assert _item_pages(body) == [(str(year), f"{serial:05d}")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["../", "./", "/", "//", "\\", "items/", "2021/", "00001", "%", "%2e", "%2E%2e", "%2f", "%5c",
                                  "&#", "&#105;", ";", " ", "\t", "\n", "?", "#", "x", ":", "https:", "zjj.qinghe.gov.cn",
                                  "HTTP:", "mailto:", "@", "[", "]", "http://[", "[::1]"]), max_size=40).map("".join))
def test_any_address_is_resolved_to_a_path_on_this_site_or_none(href):
    """Whatever the address, it resolves without error to a plain path below the site's root (no dot segments, no
    repeated slashes) or to None (another site, another scheme)."""
    path = addresses.site_path(href, "items/2021/00099/", "https://zjj.qinghe.gov.cn/")
    if path is not None:
        assert not path.startswith("/") and "//" not in path
        assert not {"..", "."} & set(path.split("/"))


@pytest.mark.parametrize("written", [
    '<a href="../../{year}/{serial}/">甲</a>',  # relative, without items/ in it
    '<img src="../../{year}/{serial}/" alt="甲">',  # a picture loads the address too
    "<https://zjj.qinghe.gov.cn/items/{year}/{serial}/>",  # an autolink to the site's own address
    "[甲](//zjj.qinghe.gov.cn/items/{year}/{serial}/)",  # scheme-relative
    '<a href="HTTPS://ZJJ.qinghe.gov.cn./items/{year}/{serial}/">甲</a>',  # the scheme's and host's case, a final dot
    '<a href="ht&#9;tps://zjj.qinghe.gov.cn/items/{year}/{serial}/">甲</a>',  # a tab inside the scheme
    "[甲](../..//{year}/{serial}/)",  # repeated slashes, which the server merges
    "[甲](../../{year}/./{serial}/)",
    "[甲](../../%2e%2e/items/{year}/{serial}/)",  # dot segments written as escapes
    '<a href="..\\..\\{year}\\{serial}\\">甲</a>',  # backslashes, read as slashes
    "[甲](../../{year}/{serial}/index.html)",
    "[甲](public.md){{: href=\"../../{year}/{serial}/\" }}",  # attr_list replaces the link's address
    "[甲](http://dangwu.zjj.intranet/items/{year}/{serial}/)",  # the members' site's own address
    "[甲](https://ｚｊｊ。qinghe%2Egov.cn/items/{year}/{serial}/)",  # a host the browser folds to the site's own
    "[甲](https://www.zjj.qinghe.gov.cn/items/{year}/{serial}/)",  # the site's www. name
    "[甲](http://zjj.qinghe.gov.cn:8080/items/{year}/{serial}/)",  # another port of its host
])
def test_every_way_of_writing_an_address_to_an_item_that_is_not_public_is_an_error(party_site, written):
    """What the browser follows is the rendered page: raw HTML, attr_list, autolinks and pictures lead to the hidden
    item's page as surely as a Markdown link, however the address is spelled."""
    (party_site.root / "mkdocs.yml").write_text(
        "site_name: 测试\nsite_url: https://zjj.qinghe.gov.cn/\ndocs_dir: docs\nmarkdown_extensions:\n  - attr_list\n"
        "plugins:\n  - gongkai:\n      party_site:\n        site_url: http://dangwu.zjj.intranet/\n", encoding="utf-8")
    fields = party_site.meta(disclosure="不予公开", published="2021-06-01")
    party_site.item("2021/hidden.md", **fields)
    year, serial = fields["index_no"].rsplit("/", 1)[1].split("-")
    public = party_site.item("2021/public.md", body=f"见{written.format(year=year, serial=serial)}。\n")
    found = [p for p in party_site.check() if p.path == party_site.rel(public) and p.code.startswith("GK6")]
    assert [(p.code, p.targets) for p in found] == [("GK608", ("content/items/2021/hidden.md",))], found


@pytest.mark.parametrize("written", ['<a href="hidden.md">甲</a>', '[甲](public.md){: href="hidden.md" }', "[甲](HIDDEN.MD)",
                                     '<a href="Hidden.Md">甲</a>'])
def test_a_link_to_an_items_file_that_markdown_does_not_write_is_checked_too(party_site, written):
    """MkDocs leaves a raw HTML link to an item's file as it is (a dead link naming the file); attr_list's href is
    rewritten like a Markdown link. Both name the non-public item to every reader."""
    (party_site.root / "mkdocs.yml").write_text(
        "site_name: 测试\ndocs_dir: docs\nmarkdown_extensions:\n  - attr_list\nplugins:\n  - gongkai\n", encoding="utf-8")
    party_site.item("2021/hidden.md", **party_site.meta(disclosure="不予公开", published="2021-06-01"))
    public = party_site.item("2021/public.md", body=f"见{written}。\n")
    found = [p for p in party_site.check() if p.path == party_site.rel(public) and p.code.startswith("GK6")]
    assert [(p.code, p.targets) for p in found] == [("GK608", ("content/items/2021/hidden.md",))], found


def test_a_link_to_a_file_no_shown_item_attaches_is_an_error(party_site):
    """Files of a non-public item (or of none) are not published: a link to one, by its address or by its path from
    the body's file (which MkDocs leaves as written when it does not publish the file), names it to every reader."""
    attachments = party_site.content / "attachments"
    attachments.mkdir(exist_ok=True)
    for name in ("hidden.csv", "shown.csv", "loose.csv"):
        (attachments / name).write_text("名称,说明\n甲,乙\n", encoding="utf-8")
    party_site.item("2021/hidden.md", **party_site.meta(disclosure="不予公开", published="2021-06-01",
                                                        attachments=[{"title": "表", "file": "hidden.csv"}]))
    party_site.item("2021/shown.md", **party_site.meta(published="2021-06-01", attachments=[{"title": "表", "file": "shown.csv"}]))
    body = ("见[一](/attachments/hidden.csv)、[二](../../attachments/hidden.csv)、<a href=\"../../../attachments/loose.csv\">三</a>"
            "和[四](../../attachments/shown.csv)、[五](../../../attachments/shown.csv)。\n")
    public = party_site.item("2021/public.md", body=body)
    found = [p for p in party_site.check() if p.path == party_site.rel(public) and p.code.startswith("GK6")]
    assert [(p.code, p.targets) for p in found] == [(audiences.UNPUBLISHED_FILE.code, ("content/items/2021/hidden.md",))] * 2 + [
        (audiences.LOOSE_FILE.code, ())], found
    assert rules.blocking(found) == found[:2]  # a file no item attaches publishes nothing, like a link to a deleted item
    pages = party_site.content / "pages"
    pages.mkdir()
    (pages / "guide.md").write_text(f"---\ntitle: 指南\n---\n\n{body.replace('../../', '../')}", encoding="utf-8")
    found = [p for p in party_site.check() if p.path == "content/pages/guide.md" and p.code.startswith("GK6")]
    assert [p.code for p in found] == [audiences.UNPUBLISHED_FILE.code] * 2 + [audiences.LOOSE_FILE.code], found


def test_an_authored_pages_raw_html_link_to_an_item_not_on_the_site_is_an_error(party_site):
    party_site.item("2021/party.md", **party_site.meta(category="党组织决议", published="2021-06-01"))
    hidden = party_site.meta(disclosure="依申请公开", published="2021-06-01")
    party_site.item("2021/request.md", **hidden)
    year, serial = hidden["index_no"].rsplit("/", 1)[1].split("-")
    pages = party_site.content / "pages"
    pages.mkdir()
    (pages / "guide.md").write_text(f"---\ntitle: 指南\n---\n\n见<a href=\"../items/2021/PARTY.md\">决定</a>和"
                                     f"<a href=\"../../items/{year}/{serial}/\">申请</a>。\n", encoding="utf-8")
    found = [p for p in party_site.check() if p.path == "content/pages/guide.md"]
    assert [(p.code, p.line) for p in found] == [(audiences.PAGE_HIDDEN_LINK.code, 5)] * 2, found


@pytest.mark.parametrize("setting", ["extra:\n  homepage: /items/{year}/{serial}/",
                                     "extra:\n  social:\n    - icon: fontawesome/solid/house\n      link: https://zjj.qinghe.gov.cn/items/{year}/{serial}/",
                                     "repo_url: HTTPS://zjj.qinghe.gov.cn/attachments/hidden.csv"])
def test_mkdocs_yml_may_not_print_a_link_to_what_the_site_does_not_have_on_every_page(party_site, setting):
    attachments = party_site.content / "attachments"
    attachments.mkdir(exist_ok=True)
    (attachments / "hidden.csv").write_text("名称,说明\n甲,乙\n", encoding="utf-8")
    fields = party_site.meta(disclosure="不予公开", published="2021-06-01", attachments=[{"title": "表", "file": "hidden.csv"}])
    party_site.item("2021/hidden.md", **fields)
    year, serial = fields["index_no"].rsplit("/", 1)[1].split("-")
    (party_site.root / "mkdocs.yml").write_text(
        "site_name: 测试\nsite_url: https://zjj.qinghe.gov.cn/\ndocs_dir: docs\nplugins:\n  - gongkai\n"
        + setting.format(year=year, serial=serial) + "\n", encoding="utf-8")
    found = [p for p in party_site.check() if p.path == "mkdocs.yml" and p.code.startswith("GK6")]
    assert [p.targets for p in found] == [("content/items/2021/hidden.md",)], found
    assert found[0].line >= 6


@settings(max_examples=10, deadline=10_000)
@given(count=st.integers(5_000, 40_000), spelled=st.sampled_from(["&#105;tems/2021/{:05d}/", "/items/2021/{:05d}/",
                                                                  "%69tems/2021/{:05d}/", "items/2021/00001/"]))
def test_finding_where_many_links_are_written_is_linear(count, spelled):
    """Each link's place is searched from the last one's: tens of thousands of links, none written as the browser
    reads it, took a search of the whole body each."""
    body = "".join(f"[甲]({spelled.format(number)})\n" for number in range(count))
    locate = addresses.Locator(body)
    hrefs = [f"/items/2021/{number:05d}/" for number in range(count)]
    offsets = [locate(href) for href in hrefs]
    assert offsets == sorted(offsets)
    assert [path for _, path in addresses.own_links(tuple(hrefs[:3]), "items/2021/00099/", ("",))] == [
        "items/2021/00000/", "items/2021/00001/", "items/2021/00002/"]


def test_a_template_may_not_print_a_link_to_what_the_public_site_does_not_have(party_site):
    """A template prints its literal addresses on every page (what only the members' site prints left out)."""
    fields = party_site.meta(category="党组织决议", published="2021-06-01")
    party_site.item("2021/party.md", **fields)
    year, serial = fields["index_no"].rsplit("/", 1)[1].split("-")
    (party_site.root / "mkdocs.yml").write_text(
        "site_name: 测试\nsite_url: https://zjj.qinghe.gov.cn/\ndocs_dir: docs\ntheme:\n  name: material\n"
        "  custom_dir: theme_overrides\nplugins:\n  - gongkai\n", encoding="utf-8")
    theme = party_site.root / "theme_overrides"
    theme.mkdir()
    (theme / "docs").mkdir()
    address = f"/items/{year}/{serial}/"
    (theme / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}\n'
        f'{{% if gk_site.members %}}<a href="{address}">党内</a>{{% endif %}}\n'
        f'<a href="{{{{ config.site_url }}}}x">站内</a>\n<form action="https://ZJJ.qinghe.gov.cn{address}"></form>\n'
        "{% endblock %}\n", encoding="utf-8")
    found = [p for p in party_site.check() if p.path == "theme_overrides/main.html" and p.code.startswith("GK6")]
    assert [(p.code, p.line, p.targets) for p in found] == [(audiences.PAGE_HIDDEN_LINK.code, 5, ("content/items/2021/party.md",))], found
