"""No setting of mkdocs.yml takes one of gongkai's own outputs off either site: robots.txt (the members' site's
`Disallow: /`), sitemaps and feeds, its stylesheets and scripts (site.css keeps nested small text readable), the
attachments its pages link. MkDocs' `exclude_docs` and `draft_docs` dropped each of them silently, and
`theme.static_templates` stopped MkDocs from copying any theme file it matched. Nor does a setting publish other
bytes than those checked: `extra_templates` ran any file of the site as a template."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.commands.build import BuildFailed
from tests.projects import build, hashes, make_project, write_item

OURS = ["robots.txt", "sitemap.xml", "feed.xml", "catalog/news/feed.xml", "assets/gongkai/site.css",
        "assets/gongkai/report.css", "assets/gongkai/md-content.js", "assets/gongkai-search/search.js",
        "attachments/2021/补助标准.csv", "items/2021/00001/index.html", "404.html"]
MATERIAL = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
PATTERNS = "\n".join(f"  {name}" for name in [*OURS, "assets/", "attachments/", "*.xml", "*.txt", "*.css", "*.js", "*"])


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["exclude_docs", "draft_docs"])
def test_exclusions_take_none_of_gongkais_files_off_either_site(tmp_path, setting):
    fixture = make_project(tmp_path / "project", news=2)
    config = fixture.root / "mkdocs.yml"
    plain = {audience: hashes(build(fixture, tmp_path / f"plain-{audience}", audience=audience).site)
             for audience in ("公众", "党内")}
    config.write_text(config.read_text(encoding="utf-8") + f"{setting}: |\n{PATTERNS}\n", encoding="utf-8")
    for audience in ("公众", "党内"):
        site = build(fixture, tmp_path / f"excluded-{audience}", audience=audience).site
        written = hashes(site)
        assert {name: written.get(name) for name in OURS} == {name: plain[audience][name] for name in OURS}
        # Material's own files (its scripts, stylesheets, icon) an agency may leave out; gongkai's, every one stays.
        assert {name for name in plain[audience].keys() - written.keys() if not name.startswith(MATERIAL)} == set()
    assert (tmp_path / "excluded-党内" / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


@pytest.mark.slow
@pytest.mark.parametrize("names", [["'*.css'"], ["'*site.css'", "'*.js'"], ["gongkai/item.html"], ["404.html", "x.html"]])
def test_static_templates_are_refused(tmp_path, names):
    fixture = make_project(tmp_path / "project", news=2)
    config = fixture.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  custom_dir: theme_overrides\n",
                                   f"  custom_dir: theme_overrides\n  static_templates: [{', '.join(names)}]\n"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(fixture, fixture.root / "site")
    message = str(failed.value)
    assert "GK527" in message and "theme.static_templates" in message and "Traceback" not in message
    assert not (fixture.root / "site").exists()
    lines = config.read_text(encoding="utf-8").splitlines()
    found = [p for p in fixture.check() if p.code == "GK527"]  # CI's check says so before the daily build fails
    assert found and all("static_templates" in lines[p.line - 1] for p in found)


@pytest.mark.slow
@pytest.mark.parametrize("named", ["attachments/2024/名单.csv", "robots.txt", "assets/gongkai/site.css"])
def test_extra_templates_are_refused(tmp_path, named):
    """MkDocs rendered each file extra_templates names as a template and published what it printed: a signed CSV
    holding `1{{ "38" }}1234{{ "5678" }}` — digits the scans read apart — went online as a mobile number."""
    fixture = make_project(tmp_path / "project", news=2)
    root = fixture.root
    (root / "content" / "attachments" / "2024").mkdir()
    (root / "content" / "attachments" / "2024" / "名单.csv").write_text('姓名,电话\n张某,1{{ "38" }}1234{{ "5678" }}\n', encoding="utf-8")
    write_item(root, 2024, 90, "名单见附件。", title="名单", category="动态信息", published=dt.date(2024, 3, 4),
               attachments=[{"title": "名单", "file": "2024/名单.csv"}])
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"extra_templates:\n  - {named}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(fixture, root / "site")
    assert "GK527" in str(failed.value) and f"extra_templates“{named}”" in str(failed.value)
    [problem] = [p for p in fixture.check() if p.code == "GK527"]
    assert problem.path == "mkdocs.yml" and named in config.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert not (root / "site").exists()
    config.write_text(config.read_text(encoding="utf-8").replace(f"extra_templates:\n  - {named}\n", ""), encoding="utf-8")
    site = build(fixture, root / "site").site
    assert "13812345678" not in (site / "attachments" / "2024" / "名单.csv").read_text(encoding="utf-8")
