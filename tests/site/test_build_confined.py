"""A build writes nothing outside its new build folder, whatever the content and settings say.

Each attack goes through one path-bearing input (catalog slugs, an authored page's file name, an
attachment's file name, --site-dir, mkdocs.yml's site_dir, docs_dir and theme.custom_dir); the
build must fail with a Chinese message, and every byte around the project (site/ included) must
be as it was. `.gongkai-cache/` is not output: the check inside a build may add rendered bodies there.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projects import TODAY, build, make_project

BIN = Path(sys.executable).parent
ENV = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat(), "PYTHONWARNINGS": "ignore"}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (symlinks not followed) with a hash of its bytes."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if name != ".gongkai-cache"]
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() or path.is_dir():
                found[relative] = "link" if path.is_symlink() else "dir"
            else:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def outer(tmp_path_factory) -> Path:
    """A folder holding the project (built once) and a bystander folder beside it."""
    outer = tmp_path_factory.mktemp("confined")
    fixture = make_project(outer / "project", news=2)
    build(fixture, fixture.root / "site")
    (outer / "bystander").mkdir()
    (outer / "bystander" / "keep.txt").write_text("不要改动", encoding="utf-8")
    return outer


def _gongkai_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "gongkai", "build", *args], cwd=root, env=ENV, capture_output=True, text=True)


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


CATALOG_ATTACKS = [
    ("{name: 动态信息, slug: news}", '{name: 动态信息, slug: "../../site/items/2021/00001"}'),
    ("{name: 动态信息, slug: news}", '{name: 动态信息, slug: "../../../../bystander/x"}'),
    ("{name: 动态信息, slug: news}", '{name: 动态信息, slug: "../../../.."}'),
    ("{name: 村镇建设股, slug: rural}", '{name: 村镇建设股, slug: "../../mkdocs.yml"}'),
    ("    slug: updates", '    slug: "../site"'),
    ("{name: 动态信息, slug: news}", '{name: 动态信息, slug: "items/2021/00001/.."}'),
]


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new"), CATALOG_ATTACKS)
def test_catalog_slugs_cannot_lead_out(outer, old, new):
    catalog = outer / "project" / "content" / "catalog.yml"
    before = snapshot(outer)
    original = _edit(catalog, old, new)
    try:
        result = _gongkai_build(outer / "project")
        changed = snapshot(outer)
    finally:
        catalog.write_text(original, encoding="utf-8")
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr, result.stderr
    assert re.search("[\u4e00-\u9fff]", result.stderr)
    assert {k: v for k, v in changed.items() if k != "project/content/catalog.yml"} == {
        k: v for k, v in before.items() if k != "project/content/catalog.yml"
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", ["a\\..\\..\\..\\bystander\\x.md", "..md", "\u202e.md"])
def test_page_file_names_cannot_lead_out(outer, name):
    page = outer / "project" / "content" / "pages" / name
    before = snapshot(outer)
    page.write_text("---\ntitle: 页面\norder: 60\n---\n\n正文。\n", encoding="utf-8")
    try:
        result = _gongkai_build(outer / "project")
        changed = snapshot(outer)
    finally:
        page.unlink()
    if result.returncode == 0:  # a harmless odd name may build; then it stays inside the new site
        assert {k for k in changed if not k.startswith("project/site/")} == {
            k for k in before if not k.startswith("project/site/")
        } | {f"project/content/pages/{name}"}
        subprocess.run([BIN / "gongkai", "build"], cwd=outer / "project", env=ENV, check=True, capture_output=True)
        return
    assert "Traceback" not in result.stderr
    changed.pop(f"project/content/pages/{name}")
    assert changed == before


@pytest.mark.slow
def test_attachment_file_names_cannot_lead_out(outer):
    item = outer / "project" / "content" / "items" / "2021" / "2021-00001.md"
    before = snapshot(outer)
    original = _edit(item, '"file": "2021/补助标准.csv"', '"file": "../../bystander/keep.txt"')
    try:
        result = _gongkai_build(outer / "project")
        changed = snapshot(outer)
    finally:
        item.write_text(original, encoding="utf-8")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    changed.pop("project/content/items/2021/2021-00001.md")
    before.pop("project/content/items/2021/2021-00001.md")
    assert changed == before


SITE_DIRS = [".", "..", "content", "content/items", "theme_overrides", "theme_overrides/docs", "../bystander", "mkdocs.yml", "/"]


@pytest.mark.slow
@pytest.mark.parametrize("site_dir", SITE_DIRS)
def test_site_dir_cannot_replace_the_project(outer, site_dir):
    before = snapshot(outer)
    result = _gongkai_build(outer / "project", "--site-dir", site_dir)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "网站目录" in result.stderr
    assert snapshot(outer) == before


MKDOCS_SETTINGS = [
    ("docs_dir: theme_overrides/docs", "docs_dir: content"),
    ("docs_dir: theme_overrides/docs", "docs_dir: ../bystander"),
    ("custom_dir: theme_overrides", "custom_dir: content"),
    ("site_url:", "site_dir: content\nsite_url:"),
    ("site_url:", "site_dir: ..\nsite_url:"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new"), MKDOCS_SETTINGS)
def test_mkdocs_yml_folders_cannot_replace_or_publish_the_project(outer, old, new):
    config = outer / "project" / "mkdocs.yml"
    before = snapshot(outer)
    original = _edit(config, old, new)
    try:
        results = [_gongkai_build(outer / "project"),
                   subprocess.run([BIN / "mkdocs", "build"], cwd=outer / "project", env=ENV, capture_output=True, text=True)]
        changed = snapshot(outer)
    finally:
        config.write_text(original, encoding="utf-8")
    gongkai, mkdocs = results
    assert mkdocs.returncode == 1, mkdocs.stderr[-500:]
    assert "Traceback" not in gongkai.stderr
    # `gongkai build` writes to --site-dir (default site/), whatever mkdocs.yml's site_dir says.
    assert gongkai.returncode == 1 or "site_dir" in new
    changed.pop("project/mkdocs.yml")
    before.pop("project/mkdocs.yml")
    assert changed == before


@pytest.mark.slow
@pytest.mark.parametrize("exclude", ['"!.*"', '"!/.名单.md"', "|\n  !.*\n  /templates/"])
def test_a_hidden_file_of_docs_dir_is_never_published(outer, exclude):
    """MkDocs leaves docs_dir's hidden files out only by default: `exclude_docs` negated them in, and a
    `.名单.md` nobody reviewed became a public page (its raw HTML unsanitised)."""
    project = outer / "project"
    docs = project / "hidden-docs"
    docs.mkdir()
    (docs / ".名单.md").write_text("# 名单\n\nqxhiddendocs<script>alert(1)</script>\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    original = _edit(config, "docs_dir: theme_overrides/docs", f"docs_dir: hidden-docs\nexclude_docs: {exclude}")
    before = snapshot(outer)
    try:
        results = [_gongkai_build(project),
                   subprocess.run([BIN / "mkdocs", "build"], cwd=project, env=ENV, capture_output=True, text=True)]
        changed = snapshot(outer)
    finally:
        config.write_text(original, encoding="utf-8")
        (docs / ".名单.md").unlink()
        docs.rmdir()
    for result in results:
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-500:]
        assert "GK507" in result.stderr and "hidden-docs/.名单.md" in result.stderr
    assert changed == before

