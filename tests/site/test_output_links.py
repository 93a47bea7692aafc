"""Every reference a published page makes, judged on the HTML the browser gets.

The fixture site as built: every address any output page links or loads on this site leads to a file the build
wrote (so no page points at a non-public item's page or file, which the build does not write). And real builds of a
public item whose body reaches for the non-public item 2023-00003 and its file in the ways the Markdown source
hides (raw HTML, attr_list, autolinks, pictures, spellings the browser folds): the check refuses them, the build
writes nothing, and a takedown of a linked item still goes through.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from gongkai.commands.build import BuildFailed
from tests.projects import SECRET_MARKERS, TODAY, build, make_project, write_item

# Every attribute through which a browser follows or loads an address.
ADDRESSES = ("href", "src", "poster", "action", "formaction", "data", "cite", "longdesc", "xlink:href", "background")


def _written(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def _references(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    found = []
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            if value is None:
                continue
            if name in ADDRESSES:
                found.append(value)
            elif name in ("srcset", "imagesrcset"):
                found += [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
            elif name == "content" and (node.attributes.get("http-equiv") or "").lower() == "refresh":
                found.append(value.split("url=", 1)[-1])
    return found


def _unresolved(site: Path) -> dict[str, str]:
    """Same-site addresses of every output page that lead to no file the build wrote, with a page holding each."""
    written = _written(site)
    missing: dict[str, str] = {}
    for page in sorted(name for name in written if name.endswith(".html")):
        for value in _references((site / page).read_text(encoding="utf-8")):
            url = value.strip().replace("\\", "/")
            parts = urlsplit(urljoin(f"https://site.invalid/{page}", url))
            if parts.scheme not in ("http", "https") or parts.netloc != "site.invalid":
                continue  # another site, mailto:, tel:
            path = posixpath.normpath(unquote(parts.path)).lstrip("/")
            path = "" if path == "." else path
            if path not in written and posixpath.join(path, "index.html") not in written:
                missing.setdefault(path, page)
    return missing


def test_every_address_an_output_page_follows_on_the_site_leads_to_a_file_the_build_wrote(built):
    """The fixture holds every kind of page and every item a site must not publish: none of its ~100 pages links or
    loads an address of this site that the build did not write."""
    assert len([name for name in _written(built.site) if name.endswith(".html")]) > 90
    assert _unresolved(built.site) == {}


FORMS = (
    '<a href="../../2023/00003/">甲</a>',
    '<img src="../../2023/00003/" alt="甲">',
    "<https://zjj.qinghe.gov.cn/items/2023/00003/>",
    "[甲](../..//2023/./00003/)",
    '<a href="..\\..\\2023\\00003\\">甲</a>',
    '<a href="../2023/2023-00003.md">甲</a>',
    "[甲](2024-00302.md){: href=\"../2023/2023-00003.md\" }",
    f"[甲](../../attachments/{SECRET_MARKERS['不予公开']}.csv)",
    f'<a href="/attachments/{SECRET_MARKERS["不予公开"]}.csv">甲</a>',
)


@pytest.fixture
def project(tmp_path):
    fixture = make_project(tmp_path / "project", news=3)
    config = fixture.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - sane_lists\n", "  - sane_lists\n  - attr_list\n")
    config.unlink()  # a copy of the repository's file
    config.write_text(text, encoding="utf-8")
    return fixture


@pytest.mark.parametrize("form", FORMS)
def test_a_public_body_reaching_for_a_non_public_item_in_any_form_builds_nothing(project, form):
    write_item(project.root, 2024, 302, f"详见{form}。", title="链接的通知", category="动态信息", published=dt.date(2024, 6, 1))
    with pytest.raises(BuildFailed, match="GK60[78]|GK613"):
        build(project, project.root / "site")
    assert not (project.root / "site").exists()


def test_a_takedown_goes_through_links_to_its_page_and_file_in_any_form(project):
    """The item found to leak is made 不予公开 (GK226): the links to its page and its file, in the forms the source
    hides, are dead until fixed but do not keep the page online; neither its page nor its file is written."""
    published = make_public(project)
    build(project, project.root / "site")
    site = project.root / "site"
    assert (site / "items" / "2024" / "00303" / "index.html").is_file() and (site / "attachments" / "leak.csv").is_file()
    item = project.item_path(2024, 303)
    item.write_text(item.read_text(encoding="utf-8").replace('disclosure: "主动公开"', 'disclosure: "不予公开"'), encoding="utf-8")
    build(project, site)
    assert not (site / "items" / "2024" / "00303").exists() and not (site / "attachments" / "leak.csv").exists()
    assert not any(b"qxleakbody" in path.read_bytes() for path in site.rglob("*") if path.is_file())
    assert (site / published).is_file()


def make_public(project) -> str:
    """A public item with a file, and a public item linking both in raw HTML and by a picture; the linking page."""
    (project.root / "content" / "attachments" / "leak.csv").write_text("名称,说明\nqxleakbytes,测试\n", encoding="utf-8")
    write_item(project.root, 2024, 303, "有问题的正文 qxleakbody。", title="有问题的通知", category="动态信息",
               published=dt.date(2024, 6, 1), attachments=[{"title": "名单", "file": "leak.csv"}])
    write_item(project.root, 2024, 304, '详见<a href="../../2024/00303/">通知</a>和<a href="../../../attachments/leak.csv">名单</a>'
               '<img src="../../2024/00303/" alt="图">。', title="链接的通知", category="动态信息", published=dt.date(2024, 6, 2))
    assert dt.date(2024, 6, 2) <= TODAY
    return "items/2024/00304/index.html"
