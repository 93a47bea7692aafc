"""A rebuild's check runs in a child forked for it while the build plans its site (`parallel.judge_loaded`): the
same problems as any other check, what it learnt of the files it read handed back, and a failed check still stops
the build before anything is published, whatever the plan of the content it refuses trips on."""

from __future__ import annotations

import os

import pytest

from gongkai import checks
from gongkai.attachments import checked_stamp, resolve
from gongkai.checks import parallel, theme
from gongkai.checks.streaming import load_judging
from gongkai.commands.build import BuildFailed
from gongkai.project import load_project
from gongkai.site_config import load_settings

from ..projects import build, hashes, make_project
from .samples import ID, write_troubled_items


@pytest.fixture
def meanwhile(monkeypatch):
    """Projects of two items or more are judged by a forked child once the item cache knows all but one of them,
    as a rebuild of `parallel.MIN_ITEMS` items is; what a check learns of files starts unknown."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(theme, "_JUDGED", {})
    monkeypatch.setattr(theme, "_SCANNED", {})


def judging(site):
    settings = load_settings(site.root)
    return load_judging(site.root, site.content, site.today, settings)


def whole(site) -> list:
    """The reference: the check of the whole project in this process."""
    return checks.run(load_project(site.root), site.today, settings=load_settings(site.root))


def themed(site) -> str:
    """A theme folder with a stylesheet MkDocs would publish; the path the check judges it by."""
    (site.root / "mkdocs.yml").write_text(
        "site_name: 测试\ndocs_dir: docs\ntheme:\n  name: material\n  custom_dir: theme_overrides\n  font: false\nplugins:\n  - gongkai\n",
        encoding="utf-8")
    css = site.root / "theme_overrides" / "assets" / "agency" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_text("body { color: #333; }\n", encoding="utf-8")
    return str(css)


def test_the_childs_verdict_is_the_check(site, meanwhile):
    write_troubled_items(site)
    site.item("2021/11.md", attachments=[{"title": "标准", "file": "2021/标准.csv"}])
    (site.attachments / "2021").mkdir()
    (site.attachments / "2021" / "标准.csv").write_text("档次,金额\n一类,20000\n", encoding="utf-8")
    expected = whole(site)
    _, verdict = judging(site)  # the cache learns the project: every item is judged, in two processes
    assert not isinstance(verdict, parallel._ForkedCheck) and verdict().problems == expected
    item = site.content / "items" / "2021" / "03.md"
    item.write_text(item.read_text(encoding="utf-8") + f"\n身份证号{ID}\n", encoding="utf-8")
    expected = whole(site)
    project, verdict = judging(site)
    assert isinstance(verdict, parallel._ForkedCheck)
    documents = project.documents
    assert verdict().problems == expected and verdict() is verdict()
    assert "GK301" in {p.code for p in expected if p.path == site.rel(item)}
    assert project.documents is documents  # the build drops them once it has said what the check found


def test_what_the_child_learnt_of_the_files_is_the_builds(site, meanwhile):
    css = themed(site)
    site.item("2021/01.md")
    site.item("2021/02.md")
    judging(site)[1]()
    theme._JUDGED.clear()
    _, verdict = judging(site)
    assert isinstance(verdict, parallel._ForkedCheck)
    assert theme.judged_stamp(css) is None  # the child judged it, not this process
    verdict()
    status = os.lstat(css)
    assert theme.judged_stamp(css) == (status.st_ino, status.st_size, status.st_mtime_ns)


def test_an_attachment_hashed_by_the_child_is_published_as_the_child_hashed_it(site, meanwhile, monkeypatch):
    from gongkai import attachments

    (site.attachments / "2021").mkdir()
    data = site.attachments / "2021" / "标准.csv"
    data.write_text("档次,金额\n一类,20000\n", encoding="utf-8")
    site.item("2021/01.md", attachments=[{"title": "标准", "file": "2021/标准.csv"}])
    site.item("2021/02.md")
    judging(site)[1]()
    monkeypatch.setattr(attachments, "_HASHED", {})
    _, verdict = judging(site)
    assert isinstance(verdict, parallel._ForkedCheck)
    hashed_here = dict(attachments._HASHED)
    attachments._HASHED.clear()  # as if only the child had hashed it
    verdict()
    resolved = resolve(site.attachments, "2021/标准.csv", 1 << 20)
    assert attachments._HASHED and checked_stamp(resolved) == hashed_here.get(resolved.path, resolved.stamp)


def test_a_child_that_dies_leaves_the_check_to_the_parent(site, meanwhile, monkeypatch):
    css = themed(site)
    site.item("2021/01.md")
    site.item("2021/02.md", body=f"身份证号{ID}\n")
    judging(site)[1]()
    expected = whole(site)
    parent = os.getpid()

    def killed(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(9)

    monkeypatch.setattr(parallel, "check", lambda *args, **kwargs: killed() or checks.check(*args, **kwargs))
    theme._JUDGED.clear()
    _, verdict = judging(site)
    assert isinstance(verdict, parallel._ForkedCheck)
    assert verdict().problems == expected
    assert theme.judged_stamp(css) is not None


def edited_after_a_build(tmp_path):
    """A small buildable project built once (the item cache knows it), then one item given a 身份证号."""
    fixture = make_project(tmp_path / "project", news=2)
    target = fixture.root / "site"
    build(fixture, target)
    item = fixture.item_path(2021, 1)
    item.write_text(item.read_text(encoding="utf-8") + f"\n身份证号{ID}\n", encoding="utf-8")
    return fixture, target


@pytest.fixture
def forked(monkeypatch) -> list:
    """The checks forked to judge while the build plans."""
    made = []

    class Recorded(parallel._ForkedCheck):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(parallel, "_ForkedCheck", Recorded)
    return made


def test_a_rebuild_whose_check_fails_publishes_nothing(meanwhile, forked, tmp_path):
    fixture, target = edited_after_a_build(tmp_path)
    before = hashes(target)
    with pytest.raises(BuildFailed, match="(?s)GK301.*内容检查未通过"):
        build(fixture, target)
    assert forked and hashes(target) == before
    item = fixture.item_path(2021, 1)
    item.write_text(item.read_text(encoding="utf-8").replace(f"\n身份证号{ID}\n", ""), encoding="utf-8")
    build(fixture, target)  # judged by a child again, and passed
    assert len(forked) == 2 and hashes(target) == before


def test_a_failed_check_is_what_the_build_says_whatever_the_plan_then_trips_on(meanwhile, forked, tmp_path, monkeypatch):
    from gongkai import mkdocs_plugin

    fixture, target = edited_after_a_build(tmp_path)
    before = hashes(target)

    def tripped(*args, **kwargs):
        raise RuntimeError("the plan of content the check refuses")

    monkeypatch.setattr(mkdocs_plugin, "plan_site", tripped)
    with pytest.raises(BuildFailed, match="(?s)GK301.*内容检查未通过") as failed:
        build(fixture, target)
    assert forked and "无法生成网站页面" not in str(failed.value)
    assert hashes(target) == before


def test_the_annual_report_published_is_the_one_the_check_judged(meanwhile, forked, tmp_path, monkeypatch):
    """content/reports/ is read once a build, in its check: a report edited between the check and the plan (here by
    the plan itself) is published as the check judged it, whether this process or a child judged the project."""
    from gongkai import mkdocs_plugin

    fixture = make_project(tmp_path / "project", news=2)
    target = fixture.root / "site"
    report = fixture.root / "content" / "reports" / "2023.yml"
    checked = report.read_text(encoding="utf-8")
    planned = mkdocs_plugin.plan_site

    def edited_then_planned(*args, **kwargs):
        report.write_text(checked.replace("  2023年，我局", "  检查之后才写进来的一句话。2023年，我局", 1), encoding="utf-8")
        return planned(*args, **kwargs)

    monkeypatch.setattr(mkdocs_plugin, "plan_site", edited_then_planned)
    for judged_by_a_child in (False, True):  # the first build's cache is cold: judged here
        built = build(fixture, target)
        assert bool(forked) is judged_by_a_child
        text = built.page("report/2023/").text()
        assert "2023年，我局坚持以人民为中心" in text and "检查之后才写进来" not in text
        report.write_text(checked, encoding="utf-8")


def test_the_annual_report_scanned_is_the_one_read_for_the_build(site, monkeypatch):
    """The scans read the annual report the build publishes (read once a build), not the file again: a 身份证号 in the
    report as read, gone from the file by the time the scans ran, was published as scanned clean."""
    from gongkai.checks import privacy
    from gongkai.report import validation

    from ..report.report_helpers import valid_input

    data = valid_input()
    data["overview"] = f"本年度政府信息公开工作总体情况。联系人身份证号{ID}。"
    report = site.report(2021, data)
    cleaned = report.read_text(encoding="utf-8").replace(ID, "（已删除）")
    read = validation.read_inputs

    def read_then_edited(project, today):
        found = read(project, today)
        report.write_text(cleaned, encoding="utf-8")  # between the reading the build publishes and the scans
        return found

    monkeypatch.setattr(validation, "read_inputs", read_then_edited)
    project = load_project(site.root)
    validation.load_inputs(project, site.today)  # as a build does before its check (and before forking one)
    found = [p.code for p in checks.run(project, site.today, settings=load_settings(site.root)) if p.path == site.rel(report)]
    assert privacy.ID18.code in found, found


def test_mkdocs_yml_is_loaded_as_it_was_judged(site, tmp_path, monkeypatch):
    """MkDocs loads the bytes gongkai judged, not the file again: a `!!python` tag written in between ran its code."""
    from gongkai import config_gate

    marker = tmp_path / "ran"
    judged = config_gate.refusals

    def judged_then_replaced(data):
        found = judged(data)
        (site.root / "mkdocs.yml").write_text(
            f'site_name: !!python/object/apply:os.system ["touch {marker}"]\ndocs_dir: docs\nplugins:\n  - gongkai\n',
            encoding="utf-8")
        return found

    monkeypatch.setattr(config_gate, "refusals", judged_then_replaced)
    settings = load_settings(site.root)
    assert not marker.exists() and settings.theme_name == "material"


def test_the_settings_scanned_are_those_every_page_prints(site):
    """The scans read mkdocs.yml as it was loaded for the build, not the file again: a copyright with a 身份证号 that
    every page prints, gone from the file by the time the scans ran, was printed as scanned clean."""
    mkdocs_yml = site.root / "mkdocs.yml"
    clean = mkdocs_yml.read_text(encoding="utf-8")
    mkdocs_yml.write_text(clean + f"copyright: 联系人身份证号{ID}\n", encoding="utf-8")
    settings = load_settings(site.root)  # what the build prints
    mkdocs_yml.write_text(clean, encoding="utf-8")
    problems = checks.run(load_project(site.root), site.today, settings=settings)
    assert [p.code for p in problems if p.path == "mkdocs.yml"] == ["GK301"]


def test_an_attachment_hashed_by_the_other_half_of_a_cold_check_is_published_as_it_hashed_it(site, meanwhile, monkeypatch):
    """A build whose item cache knows few of its items judges half of their files in a child (`_check_loaded_in_two`):
    the attachments of that half were hashed there only, and the build published each as `resolve` found it when it
    planned, not as the check hashed it; a file replaced in between went out unchecked, where the one-process build
    (and the rebuild's child, above) never publishes it."""
    from gongkai import attachments
    from gongkai.item_cache import ItemCache

    (site.attachments / "2021").mkdir()
    for number in range(1, 5):
        (site.attachments / "2021" / f"{number}.csv").write_text(f"档次,金额\n一类,{number}0000\n", encoding="utf-8")
        site.item(f"2021/0{number}.md", attachments=[{"title": "标准", "file": f"2021/{number}.csv"}])
    monkeypatch.setattr(attachments, "_HASHED", {})
    monkeypatch.setattr(ItemCache, "of", classmethod(lambda cls, root: None))  # no cache here (no secret can be kept)
    _, verdict = judging(site)  # every item judged, half of them in a child
    assert not isinstance(verdict, parallel._ForkedCheck)
    verdict()
    for number in range(1, 5):
        resolved = resolve(site.attachments, f"2021/{number}.csv", 1 << 20)
        assert resolved.path in attachments._HASHED, number
