"""theme_overrides (GK506, GK507): only the theme assets gongkai ships, or an agency's own styles,
images and fonts under assets/agency/, may be published from the theme and docs folders."""

from __future__ import annotations

import json
import os
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from gongkai.checks import theme
from gongkai.limits import Limits
from tests.test_font_files import TABLES, woff2

REPO = Path(__file__).resolve().parents[2]


def test_the_manifest_lists_exactly_the_shipped_theme_assets():
    manifest = json.loads(files("gongkai").joinpath(theme.MANIFEST).read_text(encoding="utf-8"))
    current = {relative: theme.sha256_of(path) for relative, path in theme.published_theme_files(REPO / "theme_overrides")}
    assert manifest == current, "scripts/theme_manifest.py 重新生成 generator/theme_manifest.json"
    assert "assets/gongkai/site.css" in manifest and not any(name.endswith(".html") for name in manifest)


@pytest.fixture
def themed(site):
    shutil.copytree(REPO / "theme_overrides", site.root / "theme_overrides")
    (site.root / "mkdocs.yml").write_text(
        "site_name: 测试\ndocs_dir: theme_overrides/docs\ntheme:\n  name: material\n  custom_dir: theme_overrides\nplugins:\n  - gongkai\n",
        encoding="utf-8",
    )
    site.item()
    return site


def _theme_problems(site) -> list:
    return [p for p in site.check() if p.code in (theme.THEME_FILE.code, theme.DOCS_FILE.code, theme.ICON.code, theme.LINK.code)]


def test_the_shipped_theme_passes(themed):
    assert _theme_problems(themed) == []


def test_an_agency_stylesheet_passes(themed):
    agency = themed.root / "theme_overrides" / "assets" / "agency"
    agency.mkdir()
    (agency / "agency.css").write_text(".md-header{background:#a00}", encoding="utf-8")
    (agency / "logo.png").write_bytes(b"\x89PNG")
    assert _theme_problems(themed) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [("assets/agency/x.svg", b"<svg onload=alert(1)/>"), ("assets/agency/x.html.css.js", b"x"), ("assets/notice.pdf", b"%PDF"),
     ("secret.csv", b"a,b"), ("assets/gongkai/site.js", b"alert(1)"),
     # a web server reads each dot's part as an extension (generator/attachments.py: name_fault)
     ("assets/agency/x.php.png", b"\x89PNG<?php system($_GET['c']); ?>"), ("assets/agency/x.html.woff2", b"<script>"),
     ("assets/agency/logo.2x.png", b"\x89PNG"),
     # a file that begins as a web page, or not as its type (generator/file_heads.py)
     ("assets/agency/logo.png", b"\n<html><script>alert(1)</script>"), ("assets/agency/font.woff2", b"<?xml version='1.0'?>"),
     ("assets/agency/favicon.ico", b""), ("assets/agency/banner.webp", b"RIFF\0\0\0\0AVI "),
     # a font with bytes besides the font (generator/font_files.py)
     ("assets/agency/font.woff2", woff2(TABLES, b"\x8b" * 333, private="身份证号 110101199003071233".encode())),
     ("assets/agency/font.woff2", woff2(TABLES, b"\x8b" * 333) + "电话13912345678".encode())],
)
def test_anything_else_that_would_be_published_is_an_error(themed, name, data):
    path = themed.root / "theme_overrides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    [problem] = _theme_problems(themed)
    assert (problem.path, problem.code, problem.line) == (f"theme_overrides/{name}", theme.THEME_FILE.code, 1)


def test_a_shipped_file_that_differs_says_where_the_shipped_one_is(themed):
    """After an upgrade of gongkai every shipped asset of an agency's repository may differ: the message says to copy
    theme_overrides/ from the same version's source (pip's package does not carry it), not only “restore it”."""
    (themed.root / "theme_overrides" / "assets" / "gongkai-search" / "search.css").write_text("x", encoding="utf-8")
    [problem] = _theme_problems(themed)
    assert problem.code == theme.THEME_FILE.code and "同一版本源码中的 theme_overrides/" in problem.message
    assert "docs/网站.md 第九节" in problem.message


def test_a_symlink_is_an_error_even_to_a_shipped_file(themed):
    target = themed.root / "theme_overrides" / "assets" / "gongkai" / "site.css"
    os.symlink(target, themed.root / "theme_overrides" / "assets" / "copy.css")
    os.symlink(themed.content, themed.root / "theme_overrides" / "assets" / "agency")
    problems = _theme_problems(themed)
    assert {p.path for p in problems} >= {"theme_overrides/assets/copy.css", "theme_overrides/assets/agency/catalog.yml"}
    assert all("符号链接" in p.message for p in problems)


@pytest.mark.parametrize(("name", "target"), [
    ("leak.html", "content/catalog.yml"),  # a template named like one, the file it includes elsewhere
    ("partials/environ.html", "/proc/self/environ"),
    ("gongkai/item.html", "theme_overrides/gongkai/listing.html"),  # even to a shipped template
    (".icons-cache", "/etc"),  # a folder
    ("gongkai/deep", "content"),
])
def test_a_link_that_is_not_published_is_an_error_too(themed, name, target):
    """Templates and hidden files are never published, so GK506 does not see them; a link among them could
    pull any file into every page as a template (the loader refuses it too: tests/test_template_sandbox.py)."""
    link = themed.root / "theme_overrides" / name
    link.unlink(missing_ok=True)
    link.symlink_to(target if target.startswith("/") else themed.root / target)
    problems = _theme_problems(themed)
    [problem] = [p for p in problems if p.code == theme.LINK.code]
    assert (problem.path, problem.line) == (f"theme_overrides/{name}", 1) and "符号链接" in problem.message
    assert all(p.code == theme.THEME_FILE.code for p in problems if p is not problem)  # files it publishes, if any


@pytest.mark.parametrize(("name", "target"), [("assets/agency/loop", "../.."), ("assets/up", ".."), ("docs/again", "..")])
def test_a_link_back_up_is_one_problem_not_one_a_file_at_every_depth(themed, name, target):
    link = themed.root / "theme_overrides" / name
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(target)
    problems = _theme_problems(themed)
    assert [p.path for p in problems if p.code == theme.LINK.code] == [f"theme_overrides/{name}"]
    looped = name.rsplit("/", 1)[1] + "/"
    assert all(p.path.count(looped) <= 1 for p in problems), [p.path for p in problems]  # each file once, if at all


def test_templates_and_hidden_files_are_not_published(themed):
    (themed.root / "theme_overrides" / "gongkai" / "extra.html").write_text("{{ x }}", encoding="utf-8")
    (themed.root / "theme_overrides" / ".notes").write_text("x", encoding="utf-8")
    assert _theme_problems(themed) == []


@pytest.mark.parametrize(
    "svg",
    ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
     '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(3)"><text>{{ config.site_name }}</text></a></svg>',
     '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2L2 22h20z"/></svg>'],
)
def test_an_icon_of_our_own_is_an_error_before_the_theme_inlines_it(themed, svg):
    """Material includes `.icons/<theme.icon.logo>.svg` as a template, the theme's folder first, in every page."""
    icon = themed.root / "theme_overrides" / ".icons" / "agency" / "logo.svg"
    icon.parent.mkdir(parents=True)
    icon.write_text(svg, encoding="utf-8")
    mkdocs = themed.root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("custom_dir: theme_overrides\n",
                                                                 "custom_dir: theme_overrides\n  icon:\n    logo: agency/logo\n"),
                      encoding="utf-8")
    [problem] = _theme_problems(themed)
    assert (problem.path, problem.code, problem.line) == ("theme_overrides/.icons/agency/logo.svg", theme.ICON.code, 1)


def test_a_file_in_docs_dir_is_an_error(themed):
    (themed.root / "theme_overrides" / "docs" / "旧页面.md").write_text("# 旧页面", encoding="utf-8")
    (themed.root / "theme_overrides" / "docs" / "a.pdf").write_bytes(b"%PDF")
    problems = _theme_problems(themed)
    assert sorted((p.path, p.code) for p in problems) == [
        ("theme_overrides/docs/a.pdf", theme.DOCS_FILE.code), ("theme_overrides/docs/旧页面.md", theme.DOCS_FILE.code)
    ]


@pytest.mark.parametrize("name", [".名单.md", ".hidden/a.csv", "sub/.x.pdf", ".gitkeep"])
def test_a_hidden_file_in_docs_dir_is_an_error_unless_empty(themed, name):
    """mkdocs.yml's `exclude_docs: "!.*"` publishes hidden files of docs_dir too; an empty one shows nothing."""
    path = themed.root / "theme_overrides" / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("姓名,身份\n张三,群众\n", encoding="utf-8")
    assert [(p.path, p.code) for p in _theme_problems(themed)] == [(f"theme_overrides/docs/{name}", theme.DOCS_FILE.code)]
    path.write_bytes(b"")
    assert _theme_problems(themed) == []


@pytest.mark.parametrize(("name", "limit_mb"), [
    ("partials/extra.html", "item_mb"),  # a template: printed on every page
    ("main.html", "item_mb"),
    ("assets/agency/site.css", "item_mb"),
    ("assets/agency/logo.png", "attachment_mb"),
    ("assets/agency/photos/banner.jpg", "attachment_mb"),
])
def test_a_theme_file_too_large_to_scan_is_an_error_not_skipped(themed, name, limit_mb):
    """Every page shows what the theme's templates, stylesheets and pictures hold, and the scans read each within a
    limit: one past it was skipped, so a number padded to 6 MB reached every page unscanned."""
    config = themed.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - gongkai\n", "  - gongkai:\n      limits: {item_mb: 1, attachment_mb: 1}\n"), encoding="utf-8")
    path = themed.root / "theme_overrides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "<p>值班电话 13912345678</p>" if name.endswith(".html") else "/* 13912345678 */"
    head = b"\x89PNG\r\n\x1a\n" if name.endswith(".png") else b""
    path.write_bytes(head + body.encode() + b" " * (2**20 - len(head) - len(body.encode())))  # exactly the limit
    assert theme.TOO_LARGE.code not in [p.code for p in themed.check()]
    with path.open("ab") as stream:
        stream.write(b" ")
    [problem] = [p for p in themed.check() if p.code == theme.TOO_LARGE.code]
    other = "attachment_mb" if limit_mb == "item_mb" else "item_mb"
    assert problem.path == f"theme_overrides/{name}" and problem.severity == "error"
    assert f"limits.{limit_mb}" in problem.message and other not in problem.message


@pytest.mark.parametrize("name", [b"assets/agency/\xff\x1b[2J.css", "assets/agency/logo\u202egnp.png".encode(),
                                  b"assets/agency/a\nb.png", "assets/agen\u009bcy/x.css".encode(), b"docs/\x07.md"])
def test_a_theme_file_whose_name_would_not_show_as_itself_is_an_error(themed, name):
    """MkDocs publishes a theme file under its name: one with bytes that are not UTF-8 stopped the build with a Python
    error that named no file (after the check had passed), one with a right-to-left override was published as an
    address that reads backwards. GK030, as for a name under content/."""
    from gongkai.content_files import ODD_NAME

    path = os.path.join(os.fsencode(themed.root / "theme_overrides"), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(b".x{}")
    odd = [p for p in themed.check() if p.code == ODD_NAME.code]
    assert len(odd) == 1 and odd[0].path.startswith("theme_overrides/") and "\\" in odd[0].path


@pytest.mark.parametrize("css", [
    ".md-typeset p { direction: rtl; }",  # digit groups beside no Chinese swap places (GK526 for the whole site)
    ".gk-body p:nth-of-type(2) { unicode-bidi: bidi-override; direction: ltr }",
    ".gk-body p { -webkit-unicode-bidi: plaintext }",
    "td { DIRECTION : RTL !important }",
    ".gk-body p { display: flex; flex-direction: row-reverse }",
    ".gk-body p { display: flex; flex-flow: column-reverse wrap }",
    ".gk-body b:first-child { order: 3 }",
    ".gk-body p { display: grid } .gk-body b:first-child { grid-column: 3 }",
    "@media print { .gk-docno { dir\\65 ction: rtl } }",
])
def test_an_agency_stylesheet_that_reorders_what_the_page_shows_is_an_error(themed, css):
    found = [(p.path, p.line) for p in _checked_with_stylesheet(themed, css) if p.code == theme.REORDERED.code]
    assert found and set(found) == {("theme_overrides/assets/agency/agency.css", 2)}


@pytest.mark.parametrize("css", [
    '@import url("https://evil.example/x.css");',
    "@import 'https://evil.example/y.css';",
    "body { background: url(//evil.example/t.png) }",
    "body { background: url(\\2f\\2f evil.example/t.png) }",  # escaped, as the browser reads it
    ".e { background: u\\72l(https://evil.example/t.png) }",
    "@font-face { font-family: x; src: url(https://evil.example/f.woff2) format('woff2') }",
    '.c { background-image: image-set("a.png" 1x, "https://evil.example/b.png" 2x) }',
    'a { background: url("/*") } b { background: url(//evil.example/hidden-after-a-string.png) }',
])
def test_an_agency_stylesheet_that_loads_from_another_site_is_an_error(themed, css):
    """Nothing is loaded from another site (a reader's browser would ask it for every page): the Content-Security-Policy
    blocks it, the check says so first."""
    found = [(p.path, p.line) for p in _checked_with_stylesheet(themed, css) if p.code == theme.LOADS_ELSEWHERE.code]
    assert found == [("theme_overrides/assets/agency/agency.css", 2)]


def test_a_picture_an_agency_stylesheet_draws_from_a_data_address_is_read(themed):
    import base64

    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text y="20">机密★1年 13912345678</text></svg>'
    css = f'.md-footer::after {{ content: ""; background: url("data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}") }}'
    codes = {p.code for p in _checked_with_stylesheet(themed, css) if p.path == "theme_overrides/assets/agency/agency.css"}
    assert {"GK303", "GK401"} <= codes


def test_an_agency_stylesheet_loading_its_own_files_passes(themed):
    css = ('@font-face { font-family: x; src: url(../fonts/a.woff2) } .a { background: url("logo.png") }\n'
           '.b { background-image: image-set("a.png" 1x) } /* url(//evil.example/in-a-comment) */')
    assert [p for p in _checked_with_stylesheet(themed, css) if p.code == theme.LOADS_ELSEWHERE.code] == []


def test_an_agency_stylesheet_in_the_usual_order_passes(themed):
    css = (".md-header { direction: ltr; unicode-bidi: isolate; display: flex; flex-direction: row; order: 0 }\n"
           ".gk-logo { float: right; grid-column: auto } a:hover { color: #a00 } /* direction: rtl */\n"
           'p::before { content: "direction: rtl" }')
    assert [p for p in _checked_with_stylesheet(themed, css) if p.code == theme.REORDERED.code] == []


@pytest.mark.parametrize("css", [
    '.gk-body li::before { content: "139" }',  # before a list item's 12345678: a mobile number neither half is
    ".gk-body li::marker { content: '\\31 39' }",
    'ol { list-style-type: "１３９" }',
    ".gk-title::after { content: counter(n, cjk-decimal) }",
    ".gk-body ol { counter-reset: list-item 138 }",  # its first item drawn 139.
    ".gk-body ol { counter-set: list-item 138 chapter 2 }",
    '.gk-title::before { content: "机" }',  # before a title 密★1年: a 密级 mark neither half is
    ".gk-title::after { content: '\\2605' }",  # after a title ending in 机密
    'h1::before { content: "內部" }',  # before 资料: 内部资料
    'h1::after { content: "资 料" }',  # after 内部
    '.gk-body p::before { content: "密级：" }',
    # an attribute's value drawn between the words around it: 139<abbr title="1234"></abbr>5678 shows 13912345678,
    # and the scans read the title apart from its line
    ".gk-body abbr::before { content: attr(title) }",
    'a::after { content: " (" ATTR( href ) ")" }',
    ".gk-body img::after, li::marker { content: \\61 ttr(alt) }",
    # markers that join several symbols: item 5 of an alphabetic list is drawn 13912345678、
    '@counter-style gk { system: alphabetic; symbols: "5678" "1391234"; suffix: "、" }',
    '@counter-style gk { system: additive; additive-symbols: 2 "1391234", 1 "5678" }',
    '@counter-style gk { system: numeric; symbols: "x" "机" "密" }',
    # capitals: ı39ı2345678 drawn as I39I2345678
    ".gk-body p { text-transform: uppercase }",
    ".gk-body p { font-variant: all-small-caps }",
    ".gk-body p { font-variant-caps: small-caps }",
    '.gk-body p { font-feature-settings: "smcp" 1 }',
])
def test_an_agency_stylesheet_that_draws_digits_or_part_of_a_mark_beside_the_text_is_an_error(themed, css):
    found = [(p.path, p.line) for p in _checked_with_stylesheet(themed, css) if p.code == theme.GENERATED.code]
    assert found == [("theme_overrides/assets/agency/agency.css", 2)]


def test_an_agency_stylesheet_may_draw_words_and_count_its_own_counters(themed):
    css = ('.gk-notice::before { content: "提示：" } q { quotes: "“" "”" } h2 { counter-increment: section }\n'
           '.md-footer { counter-reset: section 2; text-transform: none; font-variant: normal }\n'
           '@counter-style gk { system: cyclic; symbols: "◆" "◇"; suffix: " " }')
    assert [p for p in _checked_with_stylesheet(themed, css) if p.code == theme.GENERATED.code] == []


@pytest.mark.parametrize("names", [("main.html", "Main.html"), ("assets/agency/logo.png", "assets/agency/LOGO.png"),
                                   ("assets/agency/aux.css",)])
def test_a_theme_name_a_windows_or_macos_clone_cannot_hold_is_an_error(themed, names):
    """A template the build renders on every page (`main.html`) beside another only its case tells apart: on the
    Windows or macOS machine of whoever reads the change, one of the two is there, maybe not the one the build uses;
    a device name (`aux.css`) makes a Windows clone fail. GK033, as under content/."""
    theme = themed.root / "theme_overrides"
    for name in names:
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        if not (theme / name).exists():
            (theme / name).write_bytes(b"<p>x</p>" if name.endswith(".html") else b".x{}")
    found = [p for p in themed.check() if p.code == "GK033"]
    assert len(found) == 1 and found[0].path.startswith("theme_overrides/"), found


@pytest.mark.parametrize("name", ["assets/gongkai/early.js", "assets/agency/agency.css", "assets/agency/font.woff2"])
def test_a_fifo_in_the_theme_folder_is_an_error_never_read(themed, name):
    """A FIFO left in the theme folder under a shipped file's name kept `gongkai check` reading it (to compare its hash
    with the manifest's) for ever; under an agency's name it passed the check. Neither is read: GK506."""
    import subprocess
    import sys

    path = themed.root / "theme_overrides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = subprocess.run([str(Path(sys.executable).parent / "gongkai"), "check"], cwd=themed.root, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "GONGKAI_TODAY": "2021-12-31"})
    assert result.returncode == 1 and f"theme_overrides/{name}:1:1: GK506" in result.stdout and "普通文件" in result.stdout


def test_an_agency_font_over_the_limit_is_an_error(themed):
    """Every file of assets/agency/ is published: a font of zeros, 3 GB on disk and 3 MB in git, was copied by every
    build and uploaded by every deployment. Pictures had the attachments' limit; fonts and the rest have it too."""
    agency = themed.root / "theme_overrides" / "assets" / "agency"
    agency.mkdir(parents=True)
    with open(agency / "font.woff2", "wb") as stream:
        stream.truncate(Limits().attachment_bytes + 1)  # sparse: nothing written
    found = [p for p in themed.check() if p.code == theme.TOO_LARGE.code]
    assert [p.path for p in found] == ["theme_overrides/assets/agency/font.woff2"]


def test_a_theme_folder_too_large_to_read_whole_is_an_error(themed, monkeypatch):
    """Every walk of the theme folder stops after MAX_FILES names (a link loop, a huge tree): what lay beyond — a
    stylesheet, a picture, an odd name — was neither judged nor scanned, and the check said nothing. The bound is
    lowered here: at 10,000 names the check read each empty picture, 8.6 s of the suite for the same walk."""
    assert theme.MAX_FILES == 10_000
    monkeypatch.setattr(theme, "MAX_FILES", 600)
    many = themed.root / "theme_overrides" / "assets" / "agency" / "many"
    many.mkdir(parents=True)
    for number in range(theme.MAX_FILES):
        (many / f"{number:05d}.png").write_bytes(b"")
    found = [p for p in themed.check() if p.code == theme.TOO_MANY.code]
    assert [(p.path, p.is_error) for p in found] == [("theme_overrides", True)] and "600 个" in found[0].message


def _checked_with_stylesheet(themed, css: str) -> list:
    """The check's problems with `css` from the second line of the agency's stylesheet on."""
    agency = themed.root / "theme_overrides" / "assets" / "agency"
    agency.mkdir()
    (agency / "agency.css").write_text(f".md-header {{ background: #a00 }}\n{css}\n", encoding="utf-8")
    return themed.check()


@pytest.mark.parametrize("names", [["partials/footer.html"], ["main.html", "partials/notice.html", "gongkai/item.html"]])
def test_templates_together_are_bounded(themed, names):
    """Every page prints what its templates hold: 4 MB of text in the footer made the sample site 782 MB instead of
    11 MB (a site of 10,000 items: 40 GB). Split over several templates or in one, the total is refused (GK535)."""
    folder = themed.root / "theme_overrides"
    shipped = sum(path.stat().st_size for path in folder.rglob("*.html"))
    room = theme.MAX_TEMPLATE_BYTES - shipped
    assert room > 64 * 1024  # gongkai's own templates leave an agency most of the bound
    paths = [folder / name for name in names]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((path.read_text(encoding="utf-8") if path.exists() else "")
                        + "<p>" + "本网站信息以正式文件为准。" * (room // len(names) // 40) + "</p>\n", encoding="utf-8")
    assert theme.TEMPLATES_TOO_LARGE.code not in [p.code for p in themed.check()]
    with paths[-1].open("a", encoding="utf-8") as stream:
        stream.write("<p>" + "本网站信息以正式文件为准。" * (room // 39 + 10) + "</p>\n")
    [problem] = [p for p in themed.check() if p.code == theme.TEMPLATES_TOO_LARGE.code]
    assert problem.is_error and problem.path == f"theme_overrides/{names[-1]}" and "合计" in problem.message


def test_a_file_gone_between_listing_and_reading_its_folder_is_passed_over():
    """`theme.custom_dir: /proc/self` (or an editor's temporary file removed while `serve` checks) made the check an
    internal error: the folder's listing named files that were gone by the time each was looked at."""
    assert list(theme.regular_files(Path("/proc/self")))  # its fdinfo/N entries close as the walk goes


@pytest.mark.parametrize("name", ["locales/zh/LC_MESSAGES/messages.mo", "locales/en/LC_MESSAGES/messages.po", "locales/x"])
def test_a_translation_in_the_theme_folder_is_an_error(themed, name):
    """MkDocs reads a theme's translations from `locales/` and never publishes them: text there would reach every
    page without a scan (a .mo is not even readable in a review's diff)."""
    path = themed.root / "theme_overrides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xde\x12\x04\x95 13912345678")
    [problem] = _theme_problems(themed)
    assert (problem.path, problem.code) == (f"theme_overrides/{name}", theme.THEME_FILE.code) and "翻译" in problem.message


# Rebound, `gk_site.members` is true on the public site: the members' block printed there, read by the members' rules.
REBINDINGS = [
    "{% with gk_site = {'members': true} %}{% if gk_site.members %}<p>内部资料</p>{% endif %}{% endwith %}",
    "{% for gk_site in [{'members': 1}] %}{% if gk_site.members %}<p>内部资料</p>{% endif %}{% endfor %}",
    "{% macro note(gk_site) %}{% if gk_site.members %}<p>内部资料</p>{% endif %}{% endmacro %}{{ note({'members': 1}) }}",
    "{% set gk_site = {'members': true} %}{% include 'partials/footer.html' %}",
    "{% set gk_site %}x{% endset %}",
    "{% import 'partials/x.html' as gk_site %}",
    "{% from 'partials/x.html' import members as gk_site %}",
    "{% call(gk_site) caller() %}{% endcall %}",
]


def _template_problems(site, text: str, rule) -> set[tuple[str, int]]:
    """Where `rule` finds problems once a partial holding `text` on its line 2 is added to the theme."""
    (site.root / "theme_overrides" / "partials" / "extra.html").write_text(f"<div>\n{text}\n</div>\n", encoding="utf-8")
    return {(p.path, p.line) for p in site.check() if p.code == rule.code}


@pytest.mark.parametrize("template", REBINDINGS)
def test_a_template_that_binds_gk_site_is_an_error_at_its_line(themed, template):
    assert _template_problems(themed, template, theme.REBOUND) == {("theme_overrides/partials/extra.html", 2)}


def test_reading_gk_site_is_no_binding(themed):
    reading = "{% if gk_site.members %}党内{% endif %}{% set site = gk_site %}{% with x = gk_site.members %}{{ x }}{% endwith %}"
    assert _template_problems(themed, reading, theme.REBOUND) == set()


# A delimiter inside a Jinja string: the checks' template reader (split at delimiters) and Jinja part ways there.
DESYNCS = [
    '{% set _a = "%}{#" %}<a href="/items/2026/00022/">党内</a>{% set _b = "#}" %}',
    '{{ "}}{#"[:0] }}<a href="/items/2026/00022/">党内</a>{{ "#}"[:0] }}',
    "{% set x = '%}{% if gk_site.members %}' %}<p>内部资料</p>",
    '{% if "{{" in x %}{% endif %}',
]


@pytest.mark.parametrize("template", DESYNCS)
def test_a_jinja_delimiter_in_a_template_string_is_an_error_at_its_line(themed, template):
    assert _template_problems(themed, template, theme.DELIMITER_IN_STRING) == {("theme_overrides/partials/extra.html", 2)}


def test_strings_without_delimiters_and_escaped_ones_pass(themed):
    text = '{% set a = "{" ~ "%" %}{{ "百分之%d" % 5 }}{{ "\\x7b%" }}<p>{ 不是标记 }</p>'
    assert _template_problems(themed, text, theme.DELIMITER_IN_STRING) == set()


# A template loading anything but a shipped script: the pages' policy allows the site's own files as scripts, and an
# attachment that is valid JavaScript too (a PDF opening with /*) ran on every page (rt29).
FOREIGN_SCRIPTS = [
    "<script src=\"{{ 'attachments/2024/通知.pdf' | url }}\"></script>",
    "<script src=\"{{ base_url }}/assets/gongkai/../../attachments/a.pdf\"></script>",
    "<script src=\"{{ 'assets/agency/a.js' | url }}\"></script>",
    "<script src=\"{{ page.meta.script }}\"></script>",
    "<script src='/attachments/a.csv'></script>",
    "<SCRIPT type=module src=\"{{ base_url }}/attachments/a.js\">",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("template", FOREIGN_SCRIPTS)
def test_a_template_loading_a_script_not_shipped_is_an_error_at_its_line(themed, template):
    assert _template_problems(themed, template, theme.FOREIGN_SCRIPT) == {("theme_overrides/partials/extra.html", 2)}


def test_the_shipped_scripts_load_as_the_templates_write_them(themed):
    shipped = ("<script src=\"{{ 'assets/gongkai/site.js' | url }}\"></script>"
               "<script type=\"module\" src=\"{{ base_url }}/assets/gongkai-search/search.js\"></script>"
               "<script src=\"{{ 'assets/javascripts/bundle.f1ef3b11.min.js' | url }}\"></script>")
    assert _template_problems(themed, shipped, theme.FOREIGN_SCRIPT) == set()


# The same judged on each page a build writes (rt31 H6): only the tags gongkai's templates print, by the page's way to
# the site's root.
SHIPPED_TAGS = ('<script src="../../../assets/gongkai/site.js"></script>'
                '<script type="module" src="../../../assets/gongkai-search/search.js"></script>'
                '<script src="../../../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
                '<script id="__config" type="application/json">{"base": "../../.."}</script>')


# How Material opens a page; the policy goes right after <head>.
PAGE_START = '\n<!doctype html>\n<html lang="zh-CN" class="no-js">\n  <head>'
HEAD = '\n    <meta charset="utf-8">\n    <meta name="description" content="&lt;meta http-equiv=&#34;refresh&#34;&gt; http-equiv">'


def why(page_text: str, page: str = "items/2021/00003/index.html", roots: tuple[str, ...] | None = None) -> str:
    return theme.guarded_page(page_text, page, theme.page_roots(page) if roots is None else roots)[1]


def test_a_page_may_hold_the_shipped_scripts_by_its_own_way_to_the_root():
    assert why(PAGE_START + HEAD + SHIPPED_TAGS) == ""
    top = SHIPPED_TAGS.replace("../../../", "")
    assert why(PAGE_START + top, "index.html") == ""
    assert why(PAGE_START + SHIPPED_TAGS.replace("../../../", "./"), "index.html") == ""
    assert why(PAGE_START + SHIPPED_TAGS.replace("../../../", "/gk/"), "404.html", ("/gk/",)) == ""


def test_the_page_policy_is_put_first_in_the_head_by_the_build():
    written, reason = theme.guarded_page(PAGE_START + HEAD + "</head><body>正文</body></html>", "index.html", ("",))
    assert reason == "" and written == PAGE_START + theme.POLICY_META + HEAD + "</head><body>正文</body></html>"
    assert "content=\"default-src &#x27;self&#x27;; script-src &#x27;self&#x27; &#x27;wasm-unsafe-eval&#x27;;" in theme.POLICY_META


def test_the_policy_an_agency_s_older_main_template_prints_again_passes():
    """A copy of gongkai's main.html from before the build put the policy itself prints the same policy again (through
    Jinja's escaping): it adds nothing, and the agency's site keeps building; any other policy is refused."""
    from markupsafe import escape

    from gongkai.site.csp import PAGE_POLICY

    older = f'<meta http-equiv="Content-Security-Policy" content="{escape(PAGE_POLICY)}">'
    assert why(PAGE_START + HEAD + older + SHIPPED_TAGS) == ""
    assert "GK546" in why(PAGE_START + HEAD + older.replace("form-action", "x-form-action") + SHIPPED_TAGS)
    assert "GK546" in why(PAGE_START + HEAD + older.replace('">', '" http-equiv="refresh">') + SHIPPED_TAGS)


# Where a browser would not take the policy first in the head (rt33 T1): no doctype, text or a tag before <head>
# (it ends the head), an attribute <html> does not quote as Material does.
@pytest.mark.parametrize("start", [
    "<html><head>",
    '<!doctype html><html lang="zh-CN">&nbsp;<head>',
    '&nbsp;<!doctype html><html lang="zh-CN"><head>',
    '<!doctype html><html lang="zh-CN"><p><head>',
    '<!doctype html><html lang="zh-CN"><!-- x --><head>',
    "<!doctype html><html lang='zh-CN'><head>",
    '<!doctype html><html lang="zh-CN" x="<head>"><head>',
    '<!doctype html><html lang="zh-CN"><head x>',
    '<!doctype html><html lang="zh-CN"><body><head>',
])
def test_a_page_whose_head_does_not_open_as_material_writes_it_is_refused(start):
    reason = why(start + HEAD + SHIPPED_TAGS)
    assert reason.startswith("页面 items/2021/00003/index.html 不是以 <!doctype html><html …><head> 开始的") and "GK546" in reason


# What runs or loads past the policy (rt33 T2, T3): frames (a srcdoc inherits the policy and runs the origin's files
# as scripts), objects, a base address, a refresh or another http-equiv however a browser's tokenizer reads it.
@pytest.mark.parametrize("tag", [
    '<iframe hidden srcdoc="&lt;script src=&quot;/assets/agency/a.css&quot;&gt;&lt;/script&gt;"></iframe>',
    "<IFRAME/src=x>", "<frame src=x>", "<frameset>", '<object data="/attachments/a.pdf">', "<embed src=a.swf>",
    "<applet code=x>", "<portal src=x>", "<fencedframe>", '<base href="/attachments/2021/">', "<BASE\thref=x>",
    '<meta http-equiv="refresh" content="0;url=https://example.com/">',
    "<META HTTP-EQUIV=Refresh content=0;url=//example.com>",
    "<meta/http-equiv=refresh content=0>",
    '<meta content=">" http-equiv="refresh">',
    "<meta content='<' http-equiv='refresh'>",
    '<meta\nname="x"\nhttp-equiv="Content-Security-Policy" content="script-src *">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">',
])
def test_a_page_holding_what_runs_past_the_policy_is_refused_naming_the_page_and_gk546(tag):
    reason = why(PAGE_START + HEAD + SHIPPED_TAGS + "<footer>" + tag + "</footer>")
    assert reason.startswith("页面 items/2021/00003/index.html 中有 <") and "GK546" in reason, reason


_TAG_PARTS = st.lists(st.sampled_from([" ", "\n", "\t", "/", "=", '"', "'", "<", ">", "a", "x=1", "http-equiv", "HTTP-EQUIV",
                                        "refresh", "content", "\v", "\u00a0", "&quot;", "\f"]), max_size=14)


@settings(max_examples=400, deadline=None)
@given(_TAG_PARTS, st.sampled_from(["meta", "META", "iframe", "base", "object", "script", "metadata", "bases"]))
def test_every_tag_a_browser_would_read_as_a_refresh_frame_or_base_is_refused(parts, name):
    """Whatever a browser's tokenizer makes of a tag (quotes holding > and <, slashes between attributes, odd white
    space), if it reads a meta with http-equiv, a frame, an object or a base, the page is refused."""
    tag = "<" + name + "".join(parts)
    page = PAGE_START + HEAD + SHIPPED_TAGS + "<footer>" + tag + "</footer><p>正文</p>"
    parsed = LexborHTMLParser(theme.guarded_page(page, "items/2021/00003/index.html", ("../../../",))[0])
    equiv = [node for node in parsed.css("meta") if "http-equiv" in node.attributes]
    active = parsed.css("iframe, frame, object, embed, base")
    if len(equiv) > 1 or active:
        assert "GK546" in why(page), tag


@pytest.mark.parametrize("unit", ["<meta a ", "<meta a='", "<script ", "<meta/", '<meta x="<meta "'])
def test_the_page_guard_reads_each_tag_once(unit, monkeypatch):
    """A tag the page never closes holds the ones written after it: read again from each of them, 8,000 unclosed
    <meta> took 45 s. Counted in steps, not seconds: the attribute reader is asked at most a few times a unit."""
    calls = []
    real = theme._ATTRIBUTE

    class Counted:
        @staticmethod
        def match(text, at):
            calls.append(at)
            return real.match(text, at)

    monkeypatch.setattr(theme, "_ATTRIBUTE", Counted)
    theme.guarded_page(PAGE_START + unit * 4000, "index.html", ("",))
    assert len(calls) <= 4 * 4000 + 10


@pytest.mark.parametrize("text", [
    "&lt;iframe srcdoc=x&gt;", "<p>http-equiv=refresh</p>", '<a title="&lt;base href=x&gt;">', "<metadata>",
    '<meta name="http-equivalent">', "<baseline>", "<objective>", '<meta name="referrer" content="same-origin">',
])
def test_what_only_reads_like_those_tags_passes(text):
    assert why(PAGE_START + HEAD + SHIPPED_TAGS + text) == ""


@pytest.mark.parametrize("tag", [
    '<script src="/attachments/2021/a.pdf">',
    '<script src="/attachments/2021/a.pdf?/assets/gongkai/site.js">',  # base_url rebound
    '<script src="../assets/gongkai/site.js">',  # another folder's assets/: not the root's
    '<script src="./assets/gongkai/site.js">',
    '<script src="//assets/gongkai/site.js">',  # another host
    '<script src="../../../assets/gongkai/../../attachments/a.js">',
    '<script src="../../../assets/agency/a.js">',
    '<script data-x=\' src="../../../assets/gongkai/site.js"\' src="/attachments/a.pdf">',
    '<script src="../../../assets/gongkai/site.js" src="/attachments/a.pdf">',
    '<SCRIPT src="/attachments/a.pdf">',
    '<script\nsrc="/attachments/a.pdf">',
    "<script>alert(1)</script>",
    '<script id="__config" type="module">',
    '<svg><script href="/attachments/a.svg">',
])
def test_a_page_holding_any_other_script_is_refused_naming_the_page_and_gk545(tag):
    page = "items/2021/00003/index.html"
    reason = why(PAGE_START + SHIPPED_TAGS + tag, page)
    assert reason.startswith(f"页面 {page} 中有 gongkai 和 Material 自带脚本以外的 <") and "GK545" in reason


def test_a_template_nested_too_deep_is_an_error_and_not_read_as_shown(themed):
    """A template's HTML nested 10,000 deep (80 KB of <bdo>) held a check for 33 s while the scans read its text as
    shown: it gets a body's depth bound (GK547), and its text is read as written only."""
    path = themed.root / "theme_overrides" / "partials" / "deep.html"
    path.write_text("<div>" + "<bdo>" * 600 + "值班电话" + "</bdo>" * 600 + "</div>\n", encoding="utf-8")
    found = [p for p in themed.check() if p.code == theme.TEMPLATE_TOO_DEEP.code]
    assert [(p.path, p.is_error) for p in found] == [("theme_overrides/partials/deep.html", True)]
    assert "512" in found[0].message
    path.write_text("<div>" + "<bdo>" * 500 + "值班电话" + "</bdo>" * 500 + "</div>\n", encoding="utf-8")
    assert theme.TEMPLATE_TOO_DEEP.code not in [p.code for p in themed.check()]


def test_templates_over_their_bound_are_not_scanned_on(themed):
    """GK535 refuses templates past 128 KB together; the scans read them no further (a 127 KB template of nested <bdo>
    was scanned to its end, 65 s): its finding is enough."""
    from gongkai.checks import privacy

    path = themed.root / "theme_overrides" / "partials" / "big.html"
    path.write_text("<p>值班电话 13912345678</p>\n", encoding="utf-8")
    assert "theme_overrides/partials/big.html" in [p.path for p in themed.check() if p.code == privacy.MOBILE.code]
    path.write_text("<p>值班电话 13912345678</p>\n" + "<p>本网站信息以正式文件为准。</p>\n" * 5_000, encoding="utf-8")
    codes = [(p.code, p.path) for p in themed.check()]
    assert (theme.TEMPLATES_TOO_LARGE.code, "theme_overrides/partials/big.html") in codes
    assert all(path != "theme_overrides/partials/big.html" for code, path in codes if code != theme.TEMPLATES_TOO_LARGE.code)


@pytest.mark.parametrize("template, line", [
    ("<footer>\n{% if gk_site.members %}\n<p>党内</p>\n</footer>\n", 2),  # a block left open: named where it opens
    ("<ul>\n{% for item in items %}<li>{{ item }}</li>{% endfor %}\n{% endif %}\n</ul>\n", 3),
    ("{% block a %}{% endblock %}\n{% block a %}{% endblock %}\n", 2),
    ("<p>\n{% footnote %}\n</p>\n", 2),
    ("{{ gk_site.footer.( }}\n", 1),
    ("{% if a %}x" + "{% elif b %}y" * 3_000 + "{% endif %}\n", 1),  # Python's compiler recurses too deep
    ("{% for a in b %}" * 25 + "x" + "{% endfor %}" * 25 + "\n", 1),  # too many nested blocks for Python
], ids=["open-if", "stray-endif", "block-twice", "unknown-tag", "bad-expression", "elif-3000", "for-25-deep"])
def test_a_template_the_build_cannot_compile_is_an_error_of_the_check(themed, template, line):
    """The check passed a template the build refuses as it compiles it: a footer edited with a block left open failed
    `gongkai build` after the search index was written, with CI's check green."""
    path = themed.root / "theme_overrides" / "partials" / "footer.html"
    path.write_text(template, encoding="utf-8")
    found = [p for p in themed.check() if p.code == theme.TEMPLATE_BROKEN.code]
    assert [(p.path, p.line, p.is_error) for p in found] == [("theme_overrides/partials/footer.html", line, True)]
    assert found[0].message.startswith(f"footer.html 第 {line} 行模板语法错误（")


def test_templates_the_build_compiles_are_not_refused(themed):
    """Filters, tests and tags the build has from MkDocs, Material or Jinja's translations compile; the shipped
    templates do."""
    assert theme.TEMPLATE_BROKEN.code not in [p.code for p in themed.check()]
    path = themed.root / "theme_overrides" / "partials" / "footer.html"
    path.write_text("<p>{{ 'assets/agency/logo.png' | url }}{{ page.title | mkdocs_only }}</p>\n"
                    "{% if page is material_only %}{% trans %}版权所有{% endtrans %}{% endif %}\n"
                    "{% if a %}x" + "{% elif b %}y" * 200 + "{% endif %}\n", encoding="utf-8")
    assert theme.TEMPLATE_BROKEN.code not in [p.code for p in themed.check()]
