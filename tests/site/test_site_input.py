"""What the build reads: the content_dir of mkdocs.yml, and content that tries to reach outside it."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.commands.build import BuildFailed
from tests.projects import ORG_CODE, TODAY, build, make_project

BIN = Path(sys.executable).parent
ENV = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat(), "PYTHONWARNINGS": "ignore"}


def run(project: Path, *args: str, today: str = TODAY.isoformat()) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "gongkai", *args], cwd=project, env={**ENV, "GONGKAI_TODAY": today},
                          capture_output=True, text=True)


def tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


@pytest.fixture
def project(tmp_path):
    fixture = make_project(tmp_path / "project", news=2)
    build(fixture, fixture.root / "site")
    return fixture


def _set_content_dir(root: Path, value: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("content_dir: content", f"content_dir: {value}"),
                      encoding="utf-8")


def test_check_and_build_read_the_content_dir_of_mkdocs_yml(project):
    (project.root / "content").rename(project.root / "data")
    _set_content_dir(project.root, "data")
    checked = run(project.root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not re.search(r"^content/", checked.stdout, re.M) and re.search(r"^data/items/", checked.stdout, re.M)
    item = project.root / "data" / "items" / "2021" / "2021-00001.md"
    item.write_text(item.read_text(encoding="utf-8").replace("申请和发放", "申请、审核和发放"), encoding="utf-8")
    refused = run(project.root, "check")
    assert refused.returncode == 1 and "data/items/2021/2021-00001.md:" in refused.stdout
    item.write_text(item.read_text(encoding="utf-8").replace("申请、审核和发放", "申请和发放"), encoding="utf-8")
    built = run(project.root, "build", "--site-dir", "elsewhere")
    assert built.returncode == 0, built.stderr
    assert "测试县农村危房改造补助资金管理办法" in (project.root / "elsewhere/items/2021/00001/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["../content", "/tmp", ".", "content/../..", '"con\\0tent"'])
def test_a_content_dir_outside_the_site_is_refused_by_every_command(project, value):
    before = tree(project.root / "site")
    _set_content_dir(project.root, value)
    for command in (["check"], ["build"], ["review", "content/items/2021/2021-00001.md", "--level", "initial",
                                           "--reviewer", "某人"], ["schema"], ["report", "2023"],
                    ["new", "--title", "通知", "--category", "规范性文件", "--department", "办公室"],
                    ["serve", "--dev-addr", "127.0.0.1:1"]):
        result = run(project.root, *command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        message = result.stdout + result.stderr
        assert "content_dir" in message and "站点根目录" in message and "Traceback" not in message, message
    assert tree(project.root / "site") == before


@pytest.mark.parametrize("layout", ["content", "folder"])
def test_a_content_dir_reached_through_a_link_is_refused_by_every_command(project, layout):
    """A committed `content -> real` read the folder through the link: rules that protect files by path (the example
    CODEOWNERS' /content/pages/) no longer saw the pages and reports that were read and published (rt27)."""
    before = tree(project.root / "site")
    (project.root / "content").rename(project.root / "real")
    if layout == "content":
        (project.root / "content").symlink_to("real")
    else:  # a folder on the way is the link
        (project.root / "elsewhere").mkdir()
        (project.root / "real").rename(project.root / "elsewhere" / "content")
        (project.root / "data").symlink_to("elsewhere")
        _set_content_dir(project.root, "data/content")
    page = next((project.root / "elsewhere" / "content" if layout == "folder" else project.root / "real").glob("pages/*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\n未经批准的段落UNAPPROVED\n", encoding="utf-8")
    for command in (["check"], ["build"], ["new", "--title", "通知", "--category", "规范性文件", "--department", "办公室"]):
        result = run(project.root, *command)
        message = result.stdout + result.stderr
        assert result.returncode == 1 and "符号链接" in message and "Traceback" not in message, (command, message)
    assert tree(project.root / "site") == before


def test_a_theme_folder_linked_to_another_folder_of_the_project_is_refused(project):
    """theme_overrides committed as a link to misc/theme: the templates printed on every page left the path the example
    CODEOWNERS protects (rt31). A link to a theme shared from outside the project (the fixtures' own) is taken."""
    before = tree(project.root / "site")
    theme = project.root / "theme_overrides"
    shared = theme.resolve()
    theme.unlink()
    shutil.copytree(shared, project.root / "misc" / "theme")
    theme.symlink_to(Path("misc") / "theme")
    for command in (["check"], ["build"]):
        result = run(project.root, *command)
        message = result.stdout + result.stderr
        assert result.returncode == 1 and "custom_dir" in message and "符号链接" in message, (command, message)
    assert tree(project.root / "site") == before


@pytest.mark.parametrize("name", ["c\nfake.md:1:1: GK000 error: x", "c\x1b]0;t\x07", "c\u202e", "c\r"])
def test_a_content_dir_named_with_what_acts_on_a_terminal_is_refused(project, name):
    """Its path starts every problem line and every path `gongkai new` prints: a line break in it forged lines."""
    (project.root / "content").rename(project.root / name)
    _set_content_dir(project.root, '"' + name.encode("unicode_escape").decode().replace("\\x", "\\x") + '"')
    for command in (["check"], ["build"], ["new", "--title", "通知", "--category", "规范性文件", "--department", "办公室"]):
        result = run(project.root, *command)
        message = result.stdout + result.stderr
        assert result.returncode == 1 and "content_dir" in message and "换行、控制字符" in message, (command, message)
        assert "\x1b" not in message and "\u202e" not in message
        assert not any(line.startswith("fake.md") for line in message.split("\n"))


def test_a_catalog_slug_that_climbs_out_is_refused_before_anything_is_written(project, tmp_path):
    before = tree(project.root / "site")
    catalog = project.content / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("slug: news", 'slug: "../../site/items/2021/00001"'),
                       encoding="utf-8")
    result = run(project.root, "build")
    assert result.returncode == 1 and "content/catalog.yml:" in result.stderr and "GK905" in result.stderr
    assert tree(project.root / "site") == before
    assert sorted(p.name for p in project.root.iterdir() if p.name != ".gongkai-cache") == [
        "content", "mkdocs.yml", "site", "theme_overrides"]


def test_a_page_linked_to_a_withheld_item_is_never_published(project):
    before = tree(project.root / "site")
    secret = project.item_path(2023, 3)  # 不予公开
    (project.content / "pages" / "notice.md").symlink_to(secret)
    result = run(project.root, "build")
    assert result.returncode == 1 and "content/pages/notice.md:1:1: GK011 error" in result.stderr
    assert tree(project.root / "site") == before
    assert not (project.root / "site" / "pages" / "notice").exists()


def test_an_item_linked_to_a_device_fails_the_build_quickly_with_its_name(project):
    (project.content / "items" / "2024" / "zero.md").symlink_to("/dev/zero")
    result = subprocess.run([BIN / "gongkai", "build"], cwd=project.root, env=ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "content/items/2024/zero.md:1:1: GK011 error" in result.stderr


def test_sample_items_and_reports_can_be_moved_with_the_content_dir(tmp_path):
    """The repository's own mkdocs.yml works from a copy whose content folder has another name."""
    root = tmp_path / "copy"
    repo = Path(__file__).resolve().parents[2]
    shutil.copytree(repo / "content", root / "inhalt")
    shutil.copy(repo / "mkdocs.yml", root / "mkdocs.yml")
    (root / "theme_overrides").symlink_to(repo / "theme_overrides")
    _set_content_dir(root, "inhalt")
    result = run(root, "check", today="2026-11-30")  # after the sample's last sign-off (GK219)
    assert "inhalt/items/" in result.stdout and f"{ORG_CODE}" in result.stdout  # the two known warnings
    assert result.returncode == 0, result.stdout


_HOSTILE_FILES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(["---\n1: x\ntitle: 通知\n---\n", "---\nkeywords: !!set {a: null}\n---\n", "---\na: &a x\nb: *a\n---\n",
                     "---\ntitle: [\n---\n", "---\n<<: {disclosure: 主动公开}\n---\n", "---\npublished: 9999-12-31\n---\n",
                     "---\ntitle：通知\n---\n", "---\ntitle: 关于 #征求意见稿\n---\n"]).map(str.encode),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_HOSTILE_FILES, where=st.sampled_from(["items/2021/x.md", "pages/x.md", "reports/2023.yml", "catalog.yml"]))
def test_any_file_fails_the_build_in_chinese_and_leaves_site_alone(project, data, where):
    before = tree(project.root / "site")
    path = project.content / where
    saved = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        with pytest.raises(BuildFailed) as failed:
            build(project, project.root / "site")
        assert re.search(r"[\u4e00-\u9fff]", str(failed.value)) and f"content/{where}" in str(failed.value)
        assert tree(project.root / "site") == before
    finally:
        if saved is None:
            path.unlink()
        else:
            path.write_bytes(saved)


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_a_theme_other_than_material_fails_the_build_in_chinese_and_leaves_site_alone(project, theme):
    before = tree(project.root / "site")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material", f"  name: {theme}"), encoding="utf-8")
    # The build's own check refuses it first, as `gongkai check` in CI does (GK529).
    with pytest.raises(BuildFailed, match=f"GK529.*theme.name 是“{theme}”.*改为 material"):
        build(project, project.root / "site")
    assert tree(project.root / "site") == before
