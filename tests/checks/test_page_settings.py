"""mkdocs.yml settings that reach every page (GK520–GK524): a link must pass the body's link rule
(site_url and the footer's links: http(s) only), no script but gongkai's own is added, nothing loads
from another site, and no Material feature makes every page ask the network or run inline script."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checks import page_settings
from gongkai.rules import blocks_publishing
from gongkai.site.options import is_site_address
from gongkai.site_config import FEATURES, SettingsError, load_settings
from tests.projects import build, make_project

HEAD = "site_name: 测试\ndocs_dir: docs\n"
PLUGIN = "plugins:\n  - gongkai\n"
# Where each kind of link setting goes in mkdocs.yml, `{}` its value (JSON, which YAML reads as a double-quoted string).
LINK_SETTINGS = {
    "repo_url": "repo_url: {}\n" + PLUGIN,
    "edit_uri": "repo_url: https://example.gov.cn/repo/\nedit_uri: {}\n" + PLUGIN,
    "edit_uri_template": "repo_url: https://example.gov.cn/repo/\nedit_uri_template: {}\n" + PLUGIN,
    "extra.homepage": "extra:\n  homepage: {}\n" + PLUGIN,
    "extra.alternate[0].link": "extra:\n  alternate:\n    - name: English\n      link: {}\n      lang: en\n" + PLUGIN,
    "extra.social[0].link": "extra:\n  social:\n    - icon: fontawesome/brands/weixin\n      link: {}\n" + PLUGIN,
    "plugins.gongkai.footer.police_url": "plugins:\n  - gongkai:\n      footer:\n        police_url: {}\n",
}
SCHEMES = ("javascript", "vbscript", "data", "file", "jar")


def _write(site, tail: str) -> None:
    (site.root / "mkdocs.yml").write_text(HEAD + tail, encoding="utf-8")


def _found(site) -> list:
    return [p for p in site.check() if p.code in (page_settings.LINK.code, page_settings.SCRIPT.code, page_settings.ELSEWHERE.code)]


@st.composite
def hidden_schemes(draw) -> str:
    """A script address as a browser still reads it: any letter case, tabs and line breaks inside the
    scheme (the URL parser drops them), controls and spaces before it."""
    scheme = draw(st.sampled_from(SCHEMES))
    letters = [char.upper() if draw(st.booleans()) else char for char in scheme]
    for _ in range(draw(st.integers(0, 2))):
        letters.insert(draw(st.integers(1, len(letters) - 1)), draw(st.sampled_from(["\t", "\n", "\r"])))
    before = draw(st.text(st.sampled_from([" ", "\x01", "\x1f", "\t"]), max_size=2))
    rest = draw(st.sampled_from(["//x/%0aalert(1)", "alert(1)", "text/html,<script>alert(1)</script>"]))
    return before + "".join(letters) + ":" + rest


@pytest.mark.parametrize("name", LINK_SETTINGS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hidden_schemes())
def test_a_script_address_in_any_link_setting_is_an_error_at_its_line(site, name, value):
    if name == "repo_url" and "//x/" not in value:
        value = value.split(":", 1)[0] + "://x/%0aalert(1)"  # MkDocs itself refuses a repo_url without a host
    _write(site, LINK_SETTINGS[name].format(json.dumps(value)))
    found = _found(site)
    assert [(p.code, p.path) for p in found] == [("GK520", "mkdocs.yml")], (name, value, found)
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert json.dumps(value) in text[found[0].line - 1]
    assert name in found[0].message


@pytest.mark.parametrize("value", ["javascript://example.gov.cn/%0aalert(1)", "ftp://example.gov.cn/", "data://example.gov.cn/,x"])
def test_the_site_address_must_be_a_web_address(site, value):
    _write(site, f"site_url: {json.dumps(value)}\n" + PLUGIN)
    assert [(p.code, p.line) for p in _found(site)] == [("GK520", 3)]


ROOT_TRICKS = ["https://zjj.example.gov.cn//evil.example/", "https://zjj.example.gov.cn///evil.example",
               "https://zjj.example.gov.cn/.//evil.example/", "https://zjj.example.gov.cn/gk/../../x/",
               "https://zjj.example.gov.cn/\\\\evil.example/", "https://zjj.example.gov.cn/gk/?a=1",
               "https://zjj.example.gov.cn/#x", "https://user@zjj.example.gov.cn/"]


@pytest.mark.parametrize("value", ROOT_TRICKS)
def test_the_site_address_is_a_plain_root(site, value):
    """MkDocs takes the 404 page's base from the address's path: `//evil.example/` there loaded every script and
    stylesheet of the 404 page from another site."""
    _write(site, f"site_url: {json.dumps(value)}\n" + PLUGIN)
    found = _found(site)
    assert [(p.code, p.line) for p in found] == [("GK520", 3)]
    assert "site_url 必须是网站的根地址" in found[0].message


@pytest.mark.parametrize("value", ROOT_TRICKS[:4])
def test_the_members_site_address_is_a_plain_root_too(site, value):
    _write(site, f"plugins:\n  - gongkai:\n      party_site:\n        site_url: {json.dumps(value)}\n")
    with pytest.raises(SettingsError, match="party_site.site_url 必须是网站的根地址"):
        load_settings(site.root)


@pytest.mark.parametrize(("options", "line", "wanted"), [
    ("      footer:\n        sponser: 某局\n", 6, "footer 中没有 sponser 这一项：是否想写 sponsor？"),
    ("      party_site:\n        site_ur: https://dangwu.zjj.intranet/\n", 6, "party_site 中没有 site_ur 这一项：是否想写 site_url？"),
    ("      limits:\n        item_mbb: 3\n", 6, "limits 中没有 item_mbb 这一项：是否想写 item_mb？"),
    ("      page_sise: 30\n", 5, "gongkai 插件没有 page_sise 这一项：是否想写 page_size？"),
])
def test_a_misspelt_plugin_option_is_named_at_its_line(site, options, line, wanted):
    """A misspelt footer key stopped every command with an internal error (TypeError), a misspelt page_size was the
    default without a word: each is named with its line and the option meant."""
    _write(site, f"plugins:\n  - gongkai:\n{options}")
    with pytest.raises(SettingsError) as raised:
        load_settings(site.root)
    assert str(raised.value).startswith(f"mkdocs.yml:{line}: ") and wanted in str(raised.value), str(raised.value)


@pytest.mark.parametrize("value", ["https://zjj.example.gov.cn/", "https://zjj.example.gov.cn/dangwu/",
                                   "https://ZJJ.example.gov.cn.:443/", "http://zjj.example.gov.cn:443/",
                                   "https://zjj.example.gov.cn:99999/",  # a port no URL parser takes: no internal error
                                   "https://WWW.zjj.example.gov.cn/party/",  # the same site's www. name
                                   "http://zjj.example.gov.cn:8443/",  # another scheme and port of the same server
                                   "https://ｚｊｊ.example.gov.cn/"])  # full-width letters, which the browser folds
def test_the_members_site_is_never_on_the_public_sites_host(site, value):
    """There its sitemap and feeds list members-only pages at the public host, and its robots.txt (below a path) is
    read by no robot: a copy of site_url into party_site.site_url passed without a word."""
    _write(site, "site_url: https://zjj.example.gov.cn/\n"
                 f"plugins:\n  - gongkai:\n      party_site:\n        site_url: {json.dumps(value)}\n")
    with pytest.raises(SettingsError, match="与 site_url 是同一个主机"):
        load_settings(site.root)
    _write(site, "site_url: https://zjj.example.gov.cn/\n"
                 "plugins:\n  - gongkai:\n      party_site:\n        site_url: https://dangwu.zjj.intranet/\n")
    assert load_settings(site.root).site.party.site_url == "https://dangwu.zjj.intranet/"


def test_members_only_content_wants_the_members_sites_address(site):
    """Without party_site.site_url a public item's link written with the members' site's full address is not told
    from any other site's (GK630 passes it): a warning says so, at the plugin's line, once there is anything
    members-only — a column whose items are 党内 by default, or an item that says so itself."""
    def warned() -> list[tuple[str, int]]:
        return [(p.path, p.line) for p in site.check() if p.code == page_settings.PARTY_ADDRESS.code]

    _write(site, "site_url: https://zjj.example.gov.cn/\n" + PLUGIN)
    assert warned() == []
    site.item("2021/party.md", audience="党内")
    assert warned() == [("mkdocs.yml", 4)]
    _write(site, "site_url: https://zjj.example.gov.cn/\nplugins:\n  - gongkai:\n      party_site:\n"
                 "        site_url: https://dangwu.zjj.intranet/\n")
    assert warned() == []
    assert not blocks_publishing(page_settings.PARTY_ADDRESS.at("mkdocs.yml", 1, ""))


@pytest.mark.parametrize(("extension", "option"), [("toc", "slugify"), ("pymdownx.emoji", "emoji_generator"),
                                                  ("pymdownx.tabbed", "slugify")])
def test_an_option_that_takes_a_function_is_refused_with_its_name(site, extension, option):
    """Only a `!!python` tag gives one a function, and mkdocs.yml may not hold one: a string there made every body
    using the extension end in an internal error."""
    _write(site, f"markdown_extensions:\n  - {extension}:\n      {option}: x\n" + PLUGIN)
    line = HEAD.count("\n") + 3
    with pytest.raises(SettingsError, match=f"^mkdocs.yml:{line}: Markdown 扩展 {extension} 的选项 {option} 只能设为 Python 函数"):
        load_settings(site.root)


@pytest.mark.parametrize(("theme", "name", "value"), [
    ("  language: xx\n", "theme.language", "xx"),
    ("  icon:\n    logo: material/nonexistent\n", "theme.icon.logo", "material/nonexistent"),
    ("  icon:\n    repo: ../../../etc/passwd\n", "theme.icon.repo", "../../../etc/passwd"),
    # names no file system takes: the check names them instead of ending in an internal error
    ("  language: \"" + "a" * 5000 + "\"\n", "theme.language", "a" * 40),
    ("  language: \"zh\\0\"\n", "theme.language", "zh"),
    ("  icon:\n    logo: \"/etc/hostname\"\n", "theme.icon.logo", "/etc/hostname"),
    # the maps Material inlines into every page's styles
    ("  icon:\n    admonition:\n      note: material/doesnotexist\n", "theme.icon.admonition.note", "material/doesnotexist"),
    ("  icon:\n    tag:\n      html: ../../x\n", "theme.icon.tag.html", "../../x"),
])
def test_a_language_or_icon_the_theme_lacks_fails_the_check_not_only_the_build(site, theme, name, value):
    _write(site, "theme:\n  name: material\n  font: false\n" + theme + PLUGIN)
    found = [p for p in site.check() if p.code.startswith("GK5")]
    assert [(p.code, p.line) for p in found] == [("GK536", 5 + theme.count("\n"))]  # the line of the value
    assert name in found[0].message and value in found[0].message


def test_the_theme_s_own_languages_and_icons_pass(site):
    _write(site, "theme:\n  name: material\n  font: false\n  language: zh\n  icon:\n    logo: material/library\n"
           "    repo: fontawesome/brands/git-alt\n    admonition:\n      note: octicons/tag-16\n" + PLUGIN)
    assert [p for p in site.check() if p.code.startswith("GK5")] == []


def test_a_site_address_mkdocs_cannot_parse_is_a_settings_error(site):
    _write(site, 'site_url: "https://[zjj.example.gov.cn/"\n' + PLUGIN)
    with pytest.raises(SettingsError, match="mkdocs.yml 配置有误"):
        load_settings(site.root)


@given(st.text(alphabet="/.:%@\\?#aé1-[]~ ", max_size=24))
def test_no_site_address_taken_moves_a_page_s_files_to_another_site(path):
    value = "https://zjj.example.gov.cn/" + path
    if is_site_address(value):
        base = urlsplit(value).path  # what MkDocs puts before the 404 page's scripts and stylesheets
        loaded = urlsplit(urljoin("https://zjj.example.gov.cn/nowhere/", base.rstrip("/") + "/assets/a.js"))
        assert loaded.netloc == "zjj.example.gov.cn" and loaded.path.endswith("/assets/a.js")
        assert "//" not in base and "\\" not in value and not {"?", "#"} & set(value)


@pytest.mark.parametrize(
    "tail",
    [
        "site_url: https://zjj.example.gov.cn/\nrepo_url: https://git.example.gov.cn/zjj/site\n" + PLUGIN,
        "extra:\n  homepage: https://www.example.gov.cn/\n  social:\n    - icon: x\n      link: mailto:zjj@example.gov.cn\n" + PLUGIN,
        "extra:\n  alternate:\n    - name: 中文\n      link: /\n      lang: zh\n"
        "    - name: English\n      link: ../en/\n      lang: en\n" + PLUGIN,
        "plugins:\n  - gongkai:\n      footer:\n        police_url: https://beian.mps.gov.cn/#/query/webSearch?code=1\n"
        "        conac_url: \"\"\n",
    ],
)
def test_web_addresses_and_relative_links_pass(site, tail):
    _write(site, tail)
    assert _found(site) == []


@pytest.mark.parametrize(
    ("tail", "code", "name"),
    [
        ("extra_javascript:\n  - attachments/2021/a.pdf\n" + PLUGIN, "GK521", "extra_javascript"),
        ("extra_javascript:\n  - path: https://cdn.example.com/x.js\n    type: module\n" + PLUGIN, "GK521", "extra_javascript"),
        ("extra:\n  polyfills:\n    - https://cdn.example.com/p.js\n" + PLUGIN, "GK521", "extra.polyfills"),
        ("extra:\n  analytics:\n    provider: google\n    property: G-1\n" + PLUGIN, "GK521", "extra.analytics"),
        ("theme:\n  name: material\n" + PLUGIN, "GK523", "theme.font"),  # Material's default: Google's fonts
        ("theme:\n  name: material\n  font:\n    text: Noto Sans SC\n" + PLUGIN, "GK523", "theme.font"),
        ("theme:\n  name: material\n  font: false\n  logo: https://cdn.example.com/logo.png\n" + PLUGIN, "GK523", "theme.logo"),
        ("theme:\n  name: material\n  font: false\n  favicon: \" //tracker.example.com/x.ico\"\n" + PLUGIN, "GK523", "theme.favicon"),
        ("extra_css:\n  - https://cdn.example.com/x.css\n" + PLUGIN, "GK523", "extra_css"),
        ("extra_css:\n  - \"\\\\\\\\cdn.example.com\\\\x.css\"\n" + PLUGIN, "GK523", "extra_css"),
    ],
)
def test_a_script_it_does_not_ship_or_a_file_from_another_site_on_every_page_is_an_error(site, tail, code, name):
    _write(site, tail)
    found = _found(site)
    assert [p.code for p in found] == [code] and name in found[0].message, found
    assert found[0].line > 2


def test_the_sample_settings_pass():
    sample = load_settings(Path(__file__).resolve().parents[2])
    assert sample.page_links == () and sample.page_scripts == ()
    assert sample.page_resources == (("theme.favicon", "assets/images/favicon.png"),)


def test_a_script_site_address_never_reaches_a_feed_or_sitemap(tmp_path):
    fixture = make_project(tmp_path / "project", news=2)
    config = fixture.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(f"site_url: {json.dumps('javascript://x/%0aalert(1)//')}\n" + text.replace("\nsite_url:", "\n#site_url:"),
                      encoding="utf-8")
    with pytest.raises(Exception, match="GK520"):
        build(fixture, fixture.root / "site")
    assert not (fixture.root / "site").exists()


def test_own_stylesheets_logo_and_no_web_fonts_pass(site):
    _write(site, "theme:\n  name: material\n  font: false\n  logo: assets/agency/logo.png\n  favicon: assets/agency/favicon.ico\n"
                 "extra_css:\n  - assets/agency/agency.css\n" + PLUGIN)
    assert _found(site) == []


FEATURES_AT = "theme:\n  name: material\n  font: false\n  features:\n{}" + PLUGIN


@pytest.mark.parametrize(
    ("tail", "name", "value"),
    [
        (FEATURES_AT.format("    - navigation.tabs\n    - navigation.instant\n"), "theme.features", "navigation.instant"),
        (FEATURES_AT.format("    - navigation.instant.preview\n"), "theme.features", "navigation.instant.preview"),
        (FEATURES_AT.format("    - navigation.instant.prefetch\n"), "theme.features", "navigation.instant.prefetch"),
        (FEATURES_AT.format("    - announce.dismiss\n"), "theme.features", "announce.dismiss"),
        (FEATURES_AT.format("    - content.tooltips\n"), "theme.features", "content.tooltips"),  # a title as HTML
        (FEATURES_AT.format("    - navigation.everything\n"), "theme.features", "navigation.everything"),  # not known
        ("extra:\n  alternate:\n    - name: English\n      link: /en/\n      lang: en\n" + PLUGIN, "extra.alternate", ""),
        ("extra:\n  version:\n    provider: mike\n" + PLUGIN, "extra.version", ""),
        ("extra:\n  consent:\n    title: 本站使用 Cookie\n" + PLUGIN, "extra.consent", ""),
    ],
)
def test_a_material_feature_that_asks_the_network_or_runs_inline_on_every_page_is_an_error(site, tail, name, value):
    _write(site, tail)
    found = [p for p in site.check() if p.code == page_settings.BEHAVIOUR.code]
    assert [p.path for p in found] == ["mkdocs.yml"], found
    assert name in found[0].message and value in found[0].message
    line = (site.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()[found[0].line - 1]
    assert (value or name.split(".")[-1]) in line


def test_every_supported_feature_and_the_samples_pass(site):
    _write(site, FEATURES_AT.format("".join(f"    - {name}\n" for name in sorted(FEATURES))))
    assert [p for p in site.check() if p.code == page_settings.BEHAVIOUR.code] == []
    sample = load_settings(Path(__file__).resolve().parents[2])
    assert sample.page_behaviours == ()


@pytest.mark.parametrize(("theme", "line"), [
    ("theme:\n  name: mkdocs\n  font: false\n", 4), ("theme: readthedocs\n", 3), ("", 1),  # unset: MkDocs' own theme
])
def test_a_theme_the_build_refuses_is_refused_by_the_check(site, theme, line):
    """The build refuses any theme but Material (its templates extend Material's); CI runs the check, so the check
    refuses it too, at its line, instead of passing a site whose daily build then fails."""
    _write(site, theme + PLUGIN)
    [problem] = site.problems(page_settings.THEME_NAME.code)
    assert (problem.path, problem.line) == ("mkdocs.yml", line) and "material" in problem.message
    _write(site, "theme:\n  name: material\n  font: false\n" + PLUGIN)
    assert site.problems(page_settings.THEME_NAME.code) == []


@pytest.mark.parametrize("where", ["site_description: {}\n", "copyright: {}\n", "extra:\n  notice: {}\n",
                                   "plugins:\n  - gongkai:\n      footer:\n        address: {}\n"])
def test_text_every_page_prints_is_bounded(site, where):
    """Every page prints these settings, once or more: 780 KB of site_description made the sample site 75 MB instead
    of 11 MB (a site of 10,000 items: 8 GB). Up to the bound they pass; past it the check refuses them (GK534)."""
    tail = where if "plugins:" in where else where + PLUGIN
    fits = "青" * (page_settings.MAX_PRINTED - 200)  # the site's name and the rest take the other 200
    _write(site, tail.format(json.dumps(fits, ensure_ascii=False)))
    assert page_settings.PRINTED.code not in [p.code for p in site.check()]
    _write(site, tail.format(json.dumps(fits + "青" * 400, ensure_ascii=False)))
    [problem] = [p for p in site.check() if p.code == page_settings.PRINTED.code]
    assert problem.path == "mkdocs.yml" and problem.line == HEAD.count("\n") + where.count("\n")
    assert problem.is_error and "印在每个页面上" in problem.message


@pytest.mark.parametrize("written", ["说明\u202e甲乙\u202c", '"说明\\u202e甲乙\\u202c"', '"说明\\u2066甲乙\\u2069"', '"值\\x07"'])
def test_a_control_in_text_every_page_prints_is_gk016(site, written):
    """An override in the site's name reorders what every page shows of it; a value of the content may hold none
    (GK016), written as it is or as a double-quoted escape. mkdocs.yml's printed values neither, on their line."""
    _write(site, f"extra:\n  notice: {written}\n" + PLUGIN)
    assert [(p.code, p.line) for p in site.check() if p.code == "GK016"] == [("GK016", HEAD.count("\n") + 2)]


def test_the_bound_holds_with_a_tag_the_projects_reader_refuses(site):
    """With one `!relative` in mkdocs.yml the scans read the footer alone: 400 KB of site_name then passed, and the
    45 pages of a fixture site came to 190 MB."""
    (site.root / "mkdocs.yml").write_text(f"site_name: {'青' * (page_settings.MAX_PRINTED + 100)}\ndocs_dir: docs\n"
                                          "extra:\n  tagged: !relative $config_dir\n" + PLUGIN, encoding="utf-8")
    assert page_settings.PRINTED.code in [p.code for p in site.check()]


def test_the_sample_prints_far_less_than_the_bound():
    from gongkai.checks.base import CheckContext
    from gongkai.checks.published import site_config_texts
    from gongkai.project import load_project

    root = Path(__file__).resolve().parents[2]
    context = CheckContext(load_project(root), dt.date(2026, 1, 1), load_settings(root))
    assert 0 < sum(len(text.text) for text in site_config_texts(context)) < page_settings.MAX_PRINTED // 10


def test_a_build_with_too_much_text_on_every_page_writes_nothing(tmp_path):
    fixture = make_project(tmp_path / "project", news=2)
    config = fixture.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_description:", f"site_description: {json.dumps('说明' * 20_000, ensure_ascii=False)}\n#"),
                      encoding="utf-8")
    with pytest.raises(Exception, match="GK534"):
        build(fixture, fixture.root / "site")
    assert not (fixture.root / "site").exists()


@pytest.mark.parametrize("name", page_settings.DEFAULT_SITES)
@pytest.mark.parametrize("planted", ["file", "folder", "link"])
def test_a_site_folder_the_build_would_refuse_to_replace_is_refused_by_the_check(site, name, planted):
    """A committed file, link or folder of other files under the site folder's name stopped every build (which replaces
    only a site it wrote) while the check passed: no takedown reached the site until someone moved it."""
    target = site.root / name
    if planted == "file":
        target.write_text("x", encoding="utf-8")
    elif planted == "folder":
        target.mkdir()
        (target / "报告.docx").write_bytes(b"x")
    else:
        target.symlink_to(site.root / "content", target_is_directory=True)
    [problem] = site.problems(page_settings.FOREIGN_SITE.code)
    assert problem.path == name and "不是此前生成的网站" in problem.message
    if planted == "folder":
        (target / "index.html").write_text("<p>网站</p>", encoding="utf-8")
        (target / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
        assert site.problems(page_settings.FOREIGN_SITE.code) == []  # a site a build wrote, or committed as built


def _plant_output(root: Path) -> None:
    """What a build leaves beside the content: its cache and a site it wrote."""
    (root / ".gongkai-cache").mkdir(exist_ok=True)
    (root / ".gongkai-cache" / "pages-0123456789abcdef.json").write_text("{}\n", encoding="utf-8")
    (root / "site").mkdir(exist_ok=True)
    (root / "site" / "index.html").write_text("<p>网站</p>", encoding="utf-8")
    (root / "site" / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")


def test_build_output_that_git_ignores_is_not_a_problem(git_site):
    _plant_output(git_site.root)
    git_site.git("add", "-A")
    git_site.git("commit", "-qm", "起始")
    assert git_site.problems(page_settings.COMMITTED_OUTPUT.code) == []


@pytest.mark.parametrize("folder", [".gongkai-cache", "site"])
def test_committed_build_output_is_refused_by_the_check(git_site, folder):
    """A file committed under `.gongkai-cache/` (`git add -f`: .gitignore does not stop it) that every build rewrites —
    the page record, whose name follows from the documented site path — left the build machine's copy different from
    the committed one, and the next commit touching it made the cron's `git pull` refuse for good: later takedowns
    never reached the site while `gongkai check` passed. A committed built site/ is replaced by every build alike."""
    _plant_output(git_site.root)
    git_site.git("add", "-A")
    git_site.git("add", "-f", folder)
    git_site.git("commit", "-qm", "起始")
    [problem] = git_site.problems(page_settings.COMMITTED_OUTPUT.code)
    assert problem.path == folder and problem.is_error
    assert f"git 跟踪着 {folder}/" in problem.message and "git rm -r --cached" in problem.message
    assert not blocks_publishing(problem)  # the build itself goes ahead
    git_site.git("rm", "-r", "-q", "--cached", folder)
    assert git_site.problems(page_settings.COMMITTED_OUTPUT.code) == []  # staged removal: the fix, before its commit


def test_a_committed_link_in_place_of_the_cache_folder_is_refused(git_site):
    (git_site.root / ".gongkai-cache").symlink_to("/tmp")
    git_site.git("add", "-f", ".gongkai-cache")
    [problem] = git_site.problems(page_settings.COMMITTED_OUTPUT.code)
    assert "git 跟踪着 .gongkai-cache：" in problem.message


def test_committed_output_is_found_when_the_site_is_a_folder_of_the_repository(git_site, tmp_path):
    """The site kept below the top of its repository: git lists the paths from the site's folder."""
    top = tmp_path / "repo"
    top.mkdir()
    git_site.git("init", "-q", "-b", "main", str(top))
    moved = top / "网站"
    git_site.root.rename(moved)
    shutil.rmtree(moved / ".git")
    git_site.root = moved
    _plant_output(moved)
    git_site.git("-C", str(top), "add", "-f", "网站/.gongkai-cache")
    [problem] = git_site.problems(page_settings.COMMITTED_OUTPUT.code)
    assert problem.path == ".gongkai-cache" and "pages-0123456789abcdef.json" in problem.message


@pytest.mark.parametrize("folder", [".gongkai-cache", "site"])
def test_build_output_git_would_add_is_a_warning(git_site, folder):
    """A repository whose .gitignore does not name the build's folders commits them with the next `git add -A`."""
    _plant_output(git_site.root)
    ignored = [line for line in (git_site.root / ".gitignore").read_text(encoding="utf-8").splitlines()
               if line.strip("/") != folder]
    (git_site.root / ".gitignore").write_text("\n".join(ignored) + "\n", encoding="utf-8")
    [problem] = git_site.problems(page_settings.UNIGNORED_OUTPUT.code)
    assert problem.path == folder and not problem.is_error and "没有被 .gitignore 忽略" in problem.message
    assert git_site.problems(page_settings.COMMITTED_OUTPUT.code) == []
    git_site.git("add", "-A")
    assert [p.code for p in git_site.check() if p.path == folder] == [page_settings.COMMITTED_OUTPUT.code]


def test_build_output_outside_git_is_not_a_problem(site):
    _plant_output(site.root)
    assert [p for p in site.check() if p.code in (page_settings.COMMITTED_OUTPUT.code, page_settings.UNIGNORED_OUTPUT.code)] == []


@pytest.mark.parametrize("name", [".site.new-4242-0123456789abcdef", ".site-party.old-7", ".site.base-99.search-public"])
def test_a_killed_build_s_folder_beside_the_site_is_build_output(git_site, name):
    """A build's new, old or base tree beside site/ stays when the build is killed, until a later build removes it: its
    files committed are deleted from the build machine's checkout, and the next commit touching them stalls `git pull`."""
    left = git_site.root / name
    left.mkdir()
    (left / "index.html").write_text("<p>网站</p>", encoding="utf-8")
    assert git_site.problems(page_settings.UNIGNORED_OUTPUT.code) == []  # the example .gitignore covers it
    git_site.git("add", "-f", name)
    [problem] = git_site.problems(page_settings.COMMITTED_OUTPUT.code)
    assert problem.path == name and f"{name}/index.html" in problem.message
    (git_site.root / ".gitignore").write_text("/site/\n.gongkai-cache/\n", encoding="utf-8")
    git_site.git("rm", "-r", "-q", "--cached", name)
    assert [p.path for p in git_site.problems(page_settings.UNIGNORED_OUTPUT.code)] == [name]


def test_a_folder_only_named_like_a_build_s_is_not_build_output(git_site):
    for name in (".site.new-x", ".site.newer-1", "site.new-1", ".sites.new-1"):
        (git_site.root / name).mkdir()
        (git_site.root / name / "a.txt").write_text("x", encoding="utf-8")
    git_site.git("add", "-A")
    assert git_site.problems(page_settings.COMMITTED_OUTPUT.code) == []


def test_a_file_named_like_a_build_s_folder_is_not_build_output(git_site):
    """No build writes a file of that name, nor removes one (its sweeper removes folders): committed, it stays put."""
    (git_site.root / ".site.new-1").write_text("x", encoding="utf-8")
    git_site.git("add", "-f", ".site.new-1")
    assert git_site.problems(page_settings.COMMITTED_OUTPUT.code) == []


@pytest.mark.parametrize("name", [b"a\x1b]0;title\x07", b"b\nGK999 error: forged", b"c\xff\xfe", "\u202ed".encode(),
                                  "\u2028e".encode(), b"f\r\tg"])
def test_a_hostile_name_of_committed_output_is_shown_on_one_line_escaped(git_site, name):
    """The message quotes a committed file's name: control, line-breaking and direction characters and bytes that are
    not UTF-8 are shown escaped, so a name can neither forge a line of output nor drive the terminal."""
    cache = os.fsencode(git_site.root / ".gongkai-cache")
    os.mkdir(cache)
    with open(os.path.join(cache, name), "wb") as file:
        file.write(b"x")
    git_site.git("add", "-f", ".gongkai-cache")
    [problem] = git_site.problems(page_settings.COMMITTED_OUTPUT.code)
    assert problem.message.isprintable() and "git 跟踪着 .gongkai-cache/" in problem.message


@given(st.from_regex(r"https?://[a-z]{1,5}(\.[a-z]{1,3})?\.?(:[0-9]{1,6})?/", fullmatch=True))
def test_telling_hosts_apart_never_fails_on_an_address_the_pattern_takes(address):
    from gongkai.hosts import same_site
    from gongkai.site.options import is_site_address

    if is_site_address(address):
        assert same_site(address, address) and same_site(address, "https://zjj.example.gov.cn/") in (True, False)


@pytest.mark.parametrize(("one", "other"), [("https://青禾.gov.cn/", "https://xn--2lzs91d.gov.cn/"),
                                            ("https://[::1]/", "https://[0:0::1]/"),
                                            ("https://[::ffff:10.0.0.1]/", "https://[::ffff:a00:1]/")])
def test_one_host_in_two_spellings_is_one_site(one, other):
    from gongkai.hosts import same_site

    assert same_site(one, other) and not same_site(one, "https://dangwu.zjj.intranet/")


def test_an_address_with_a_bracket_left_open_is_judged_not_a_crash(site):
    """`http://[host/…` in a setting every page prints ended every check and build in an internal error (ValueError:
    Invalid IPv6 URL) naming no file: the link rules asked the URL parser outside their guard."""
    _write(site, "site_url: https://zjj.example.gov.cn/\nextra:\n  homepage: \"http://[zjj.example.gov.cn/items/2021/00001/\"\n"
           + PLUGIN)
    assert isinstance(site.check(), list)
