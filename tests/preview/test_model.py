"""The preview's model follows each save file by file, and always agrees with a full `gongkai check`."""

from __future__ import annotations

import shutil

import pytest

from gongkai import checks
from gongkai.project import load_project
from gongkai.site_config import load_settings
from tests.preview.conftest import Preview
from tests.projects import TODAY, unreviewed_item

NEW_ITEM = unreviewed_item(900, "关于开展冬季燃气安全检查的通知", "为做好冬季燃气安全工作，现将有关事项通知如下。")


def full_check(project) -> list:
    return checks.run(load_project(project.root), TODAY, settings=load_settings(project.root))


def test_each_save_gives_what_a_full_check_gives(preview, project):
    model = preview.session.model
    assert model.problems == full_check(project)
    new = project.item_path(2024, 900)
    preview.save(new, NEW_ITEM)  # a new, unreviewed item
    assert model.problems == full_check(project)
    assert [chip.label for chip in model.chips["items/2024/00900/"]] == ["待初审"]
    assert any(page.url == "items/2024/00900/" for page in model.plan.pages)

    preview.save(new, NEW_ITEM.replace("2024-00900", "2024-00100"))  # the 索引号 of another item: GK111 on both
    assert model.problems == full_check(project)
    assert {p.path for p in model.problems if p.code == "GK111"} == {"content/items/2024/2024-00900.md",
                                                                      "content/items/2024/2024-00100.md"}
    assert "content/items/2024/2024-00900.md" in model.left_out  # one page per address: the other keeps it

    published = project.item_path(2021, 1)
    preview.save(published, published.read_text(encoding="utf-8") + "\n审查后加的一句。\n")
    assert model.problems == full_check(project)
    assert any(p.code == "GK207" and p.path == "content/items/2021/2021-00001.md" for p in model.problems)

    new.unlink()
    preview.session.apply([new])
    assert model.problems == full_check(project)
    assert "content/items/2024/2024-00900.md" not in model.left_out


def test_a_changed_attachment_is_a_change_of_the_items_that_attach_it(preview, project):
    model = preview.session.model
    attachment = project.content / "attachments" / "2021" / "补助标准.csv"
    attachment.write_text("档次,金额\n一类,30000\n", encoding="utf-8")
    update = preview.session.apply([attachment])
    assert not update.reloaded and "content/items/2021/2021-00001.md" in update.paths
    assert model.problems == full_check(project)
    assert [chip.label for chip in model.chips["items/2021/00001/"]] == ["待初审"]


def test_editors_temporary_files_change_nothing(preview, project):
    model = preview.session.model
    version = model.version
    folder = project.content / "items" / "2021"
    for name in ("4913", ".2021-00001.md.swp", "2021-00001.md~"):
        (folder / name).write_text("x", encoding="utf-8")
        update = preview.session.apply([folder / name])
        assert update.paths == [] and model.version == version
    gone = folder / "4913"
    gone.unlink()
    assert preview.session.apply([gone]).paths == []


def test_a_folder_of_items_moved_away_takes_its_items(preview, project):
    model = preview.session.model
    folder = project.content / "items" / "2023"
    folder.rename(project.root / "elsewhere")
    preview.session.apply([folder])
    assert not [item for item in model.project.items if item.path.startswith("content/items/2023/")]
    assert model.problems == full_check(project)


def test_a_change_to_the_catalog_reads_everything_again(preview, project):
    catalog = project.content / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("测试县住房和城乡建设局", "测试县住建局"), encoding="utf-8")
    update = preview.session.apply([catalog])
    assert update.reloaded
    assert preview.session.model.plan.org_name == "测试县住建局"
    catalog.write_text("org: [", encoding="utf-8")  # unusable: no plan, the problems say why
    preview.session.apply([catalog])
    assert preview.session.model.plan is None and preview.session.model.plan_error
    assert preview.session.model.problems == full_check(project)


@pytest.mark.parametrize("name", ["2024/\x1b]0;标题\x07x.md", "2024/2024-00900\n.md", "2024/子\u202e目录/2024-00900.md",
                                  "2024/2024-00900.MD", "2024/2024-00900.markdown"])
def test_a_file_the_loader_never_reads_is_never_read_by_a_save_either(preview, project, name):
    """A name with a line break, a control or bidirectional character (GK030), or a Markdown file not named
    .md (GK031): the loader's walk refuses it, so a build would fail or leave it out; the preview, told
    of its save, must say the same and show no page for it (it read and previewed it as an item)."""
    model = preview.session.model
    path = project.content / "items" / name
    preview.save(path, NEW_ITEM)
    assert model.problems == full_check(project)
    assert {p.code for p in model.problems if "00900" in p.path or "\\x" in p.path or "\\u" in p.path} <= {"GK030", "GK031"}
    assert not any(page.url == "items/2024/00900/" for page in model.plan.pages)
    path.unlink()
    preview.session.apply([path])
    assert model.problems == full_check(project)


def _views(model) -> dict:
    return {page.url: page.view for page in model.plan.items()}


def test_each_save_gives_the_views_a_fresh_preview_gives(preview, project):
    """Views are kept per item between saves; the edited item's view (its metadata table, whether it is
    scheduled, withdrawn or not public) is always made again."""
    model = preview.session.model
    item = project.item_path(2021, 1)
    signed = item.read_text(encoding="utf-8")
    other = next(url for url in _views(model) if url != "items/2021/00001/")
    kept = _views(model)[other]
    edits = [signed.replace('published: "2021-', 'published: "2099-', 1),  # scheduled: the preview's own view
             signed.replace('disclosure: "主动公开"', 'disclosure: "不予公开"', 1),
             signed.replace('keywords: ["危房改造"', 'keywords: ["农房改造"', 1),
             signed + "\n审查后加的一句。\n"]
    assert signed not in edits
    for edited in [*edits, signed]:
        preview.save(item, edited)
        assert _views(model) == _views(Preview(project).session.model)
        assert _views(model)[other] is kept  # not made again


def test_a_folder_of_attachments_moved_away_is_a_change_of_the_items_that_attach_its_files(preview, project):
    """The watcher names a folder moved (or deleted) as the folder, not as each of its files: the items attaching a file
    in it were kept judged with their files there (no GK207 for their review digest, which now hashes a missing file)."""
    model = preview.session.model
    folder = project.content / "attachments" / "2021"
    folder.rename(project.root / "elsewhere")
    update = preview.session.apply([folder])
    assert not update.reloaded and "content/items/2021/2021-00001.md" in update.paths
    assert model.problems == full_check(project)


def test_a_twin_saved_in_a_folder_that_sorts_otherwise_is_judged_as_a_full_check_judges_it(preview, project):
    """Two files of one 索引号 (GK111): the rules that find an item by its 索引号 take the last held. The preview held a
    saved item in the order of its path's text, the check in the files' order (`2021-b/` after `2021/`, where the
    text puts it before): a 解读 of that 索引号 named the other twin than the check."""
    model = preview.session.model
    policy = project.item_path(2021, 1)
    preview.save(project.content / "items" / "2021-b" / policy.name, policy.read_text(encoding="utf-8"))
    assert model.problems == full_check(project)


def _shown(session) -> dict[str, object]:
    """Every page, feed and served text of a preview session, its banners and its problems, as a browser gets them."""
    renderer = session.renderer
    shown: dict[str, object] = {url: (session.page(url) or ("",))[0] for url in sorted(renderer.pages)}
    shown |= {url: renderer.static_file(url) for url in sorted({*renderer.feeds, *renderer.static})}
    shown["404"] = renderer.not_found()
    shown["chips"] = sorted(session.model.chips.items())
    shown["problems"] = sorted((p.path, p.code, p.line, p.message) for p in session.model.problems)
    return shown


def test_every_page_after_each_kind_of_save_is_what_a_fresh_preview_shows(preview, project):
    """Rendered pages are kept from save to save while their page model, banners and the site's shape stay: after
    each kind of save (a title other pages print, an attachment's bytes, a 反馈 moved to a members-only column, a new
    item in a new folder, catalog.yml) every page is the page a preview started now shows."""
    session = preview.session
    _shown(session)  # every page rendered once, and kept
    policy = project.item_path(2021, 1)
    signed = policy.read_text(encoding="utf-8")
    feedback = project.item_path(2023, 66)
    attachment = project.attachments / "2021" / "补助标准.csv"
    catalog = project.content / "catalog.yml"
    saves = [
        lambda: preview.save(policy, signed.replace("测试县农村危房改造补助资金管理办法", "改名的管理办法", 1)),
        lambda: preview.save(attachment, "档次,金额\n一类,20000\n二类,15000\n"),
        lambda: preview.save(feedback, feedback.read_text(encoding="utf-8").replace(
            'category: "意见征集"', 'category: "党组织决议"\naudience: "党内"', 1)),
        lambda: preview.save(project.content / "items" / "new" / "2024-00700.md", unreviewed_item(700, "新条目", "新条目的正文。")),
        lambda: preview.save(catalog, catalog.read_text(encoding="utf-8").replace("slug: rural}", "slug: rural2}", 1)),
    ]
    for save in saves:
        save()
        assert _shown(session) == _shown(Preview(project).session)


def test_a_saved_name_the_loader_refuses_is_judged_as_a_check_judges_it(preview, project):
    """The loader's walk judges names, not files: an AppleDouble file (`._…`, never read: GK034), a name Windows cannot
    hold and a name only case apart from another (GK033, said of the second one, maybe a file not saved). The preview
    read each as an item and said none of it; it now agrees with a full check after each save, and after the twin's
    deletion."""
    model = preview.session.model
    folder = project.content / "items" / "2024"
    for name, number in (("._2024-00900.md", 900), ("CON.md", 901), ("twin.md", 902), ("Twin.md", 903)):
        preview.save(folder / name, NEW_ITEM.replace("2024-00900", f"2024-00{number}"))
        assert model.problems == full_check(project), name
    assert {p.path for p in model.problems if p.code in ("GK033", "GK034")} >= {
        "content/items/2024/._2024-00900.md", "content/items/2024/CON.md", "content/items/2024/twin.md"}
    preview.save(folder / "twin.md", NEW_ITEM.replace("2024-00900", "2024-00904"))  # saved again: the twins stay
    assert model.problems == full_check(project)
    (folder / "Twin.md").unlink()
    preview.session.apply([folder / "Twin.md"])
    assert model.problems == full_check(project)


@pytest.mark.parametrize("odd", ["._2024-00900.md", "bad\x01.md", "sub/._2024-00900.md", "linked", "sub/CON", "x.md"])
def test_a_folder_moved_in_with_what_the_loader_does_not_read_is_judged_as_a_check_judges_it(preview, project, odd):
    """A folder moved in was read file by file, each `.md` under it an item: an AppleDouble file, a name with a control
    character, a link to a folder elsewhere or a name Windows cannot hold were read (or passed over) in silence, where
    the loader's walk reads none of them and says so (GK034, GK030, GK011, GK033)."""
    model = preview.session.model
    moved = project.root / "moved"
    (moved / "sub").mkdir(parents=True)
    (moved / "2024-00905.md").write_text(NEW_ITEM.replace("2024-00900", "2024-00905"), encoding="utf-8")
    if odd == "linked":
        (project.root / "else").mkdir()
        (moved / odd).symlink_to(project.root / "else")
    elif odd == "sub/CON":
        (moved / odd).mkdir()
    elif odd != "x.md":
        (moved / odd).write_text(NEW_ITEM.replace("2024-00900", "2024-00906"), encoding="utf-8")
    folder = project.content / "items" / ("2030.md" if odd == "x.md" else "2030")  # a folder named as a file: GK012
    moved.rename(folder)
    preview.session.apply([folder])
    assert model.problems == full_check(project)


def test_an_attachment_saved_under_a_name_the_loader_refuses_is_named_as_a_check_names_it(preview, project):
    """The loader's walk names every name under attachments/ that Windows cannot hold, only case apart from another or
    with a control character (GK033, GK030), attached or not; the preview judged again only the items attaching a
    changed file, and said nothing of its name until the next full reload."""
    model = preview.session.model
    folder = project.content / "attachments" / "2021"
    made = [folder / name for name in ("CON.csv", "bad\x01.csv", "补助标准.CSV", "sub/CON")]
    for path in made:
        path.parent.mkdir(exist_ok=True)
        if path.suffix:
            path.write_text("档次,金额\n", encoding="utf-8")
        else:
            path.mkdir()
        preview.session.apply([path])
        assert model.problems == full_check(project), path.name
    assert {p.code for p in model.problems if p.path.startswith("content/attachments/")} == {"GK030", "GK033"}
    for path in made:
        path.rmdir() if path.is_dir() else path.unlink()
        preview.session.apply([path])
    assert model.problems == full_check(project)


def test_an_item_saved_in_a_folder_the_loader_does_not_go_into_is_not_read(preview, project):
    """The loader's walk goes into no link (GK011) and no folder named as a file (GK012): an item saved there is on no
    site and in no check. The preview read it as an item, with its problems and page."""
    model = preview.session.model
    items = project.content / "items"
    (project.root / "elsewhere").mkdir()
    (items / "link").symlink_to(project.root / "elsewhere")
    (items / "x.md").mkdir()
    for folder in ("link", "x.md"):
        preview.session.apply([items / folder])
        preview.save(items / folder / "a.md", NEW_ITEM)
        assert model.problems == full_check(project), folder
        assert f"content/items/{folder}/a.md" not in {p.path for p in model.problems}


def test_a_folder_of_items_deleted_takes_what_the_walk_said_of_the_names_in_it(preview, project):
    """The walk's GK033 of a name deep in a folder of items (`sub/CON`) stayed in the preview once the folder was
    deleted: only the items of a folder gone were forgotten."""
    model = preview.session.model
    folder = project.content / "items" / "2030"
    (folder / "sub" / "CON").mkdir(parents=True)
    preview.session.apply([folder])  # as the watcher names a folder made
    preview.save(folder / "a.md", NEW_ITEM.replace("2024-00900", "2024-00905"))
    assert model.problems == full_check(project) and "content/items/2030/sub/CON" in {p.path for p in model.problems}
    shutil.rmtree(folder)
    preview.session.apply([folder])
    assert model.problems == full_check(project)


def test_the_items_folder_moved_away_is_said_as_a_check_says_it(preview, project):
    """Without content/items/ a build deletes every item from the site: GK032 to every check. The preview took the
    folder's items away in silence (a folder of items gone), and said nothing of it."""
    model = preview.session.model
    items = project.content / "items"
    items.rename(project.root / "items-aside")
    preview.session.apply([items])
    assert model.problems == full_check(project) and "GK032" in {p.code for p in model.problems}


def test_the_files_read_are_counted_as_the_check_counts_them(preview, project):
    """`gongkai serve` said it read 145 files of the sample where `gongkai check` said 201: it left out the annual
    reports, the registers and the lexicon the families read."""
    from gongkai.commands.check import check

    counted = check(load_settings(project.root), TODAY).files_read
    assert counted > load_project(project.root).files_read  # the fixture has reports and registers to count
    assert preview.session.model.files_read == counted
