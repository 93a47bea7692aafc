"""`gongkai check --base REF`: the roster's changes against a git ref, as a notice of their own."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gongkai.cli import main


@pytest.fixture
def repo(git_site):
    """A signed item and the roster committed on main."""
    git_site.item()
    git_site.commit("起点")
    return git_site


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_added_and_removed_people_and_keys(repo, keys):
    catalog = repo.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    old_key = keys.public("王芳")
    text = text.replace(f'keys: [{{key: "{old_key}", from: 2000-01-01}}]',
                        f'keys: [{{key: "{keys.public("王芳-新")}", from: 2021-12-01}}]')
    text = text.replace("  - name: 李明\n    departments: [全部]", "  - name: 李明\n    departments: [办公室]")
    text += f'  - name: 张伟\n    departments: [全部]\n    levels: [final]\n    keys: [{{key: "{keys.public("张伟")}"}}]\n'
    catalog.write_text(text, encoding="utf-8")
    result = run("check", "--base", "main")
    notice = result.stdout.split("审查人名册变更")[1]
    assert "新增审查人 张伟" in notice
    assert "李明 的权限改变：初审、复核；全部部门 → 初审、复核；办公室" in notice
    assert "王芳 新增密钥 SHA256:" in notice and "王芳 移除密钥 SHA256:" in notice
    github = run("check", "--base", "main", "--format", "github").stdout
    assert github.count("::notice file=content/catalog.yml,line=") == 4
    json_out = run("check", "--base", "main", "--format", "json")
    assert json_out.stdout.startswith("[") and "新增审查人 张伟" in json_out.stderr


def test_unchanged_roster_and_a_missing_ref(repo):
    assert "与 main 相同" in run("check", "--base", "main").stdout
    missing = run("check", "--base", "origin/nowhere")
    assert missing.exit_code == 1 and "fetch-depth: 0" in missing.stderr
    # a commit id the clone does not have (shallow, or fetched without the target branch): fetch it, not "a tree"
    absent = run("check", "--base", "0123456789abcdef0123456789abcdef01234567")
    assert absent.exit_code == 1 and "fetch-depth: 0" in absent.stderr and "指的不是提交" not in absent.stderr


@pytest.mark.parametrize("ref", ["main^{tree}", "main:content/catalog.yml"])
def test_a_ref_naming_a_tree_or_a_file_is_named_as_such(repo, ref):
    """Fetching deeper would not help: the message says what --base needs instead."""
    result = run("check", "--base", ref)
    assert result.exit_code == 1 and "指的不是提交" in result.stderr and "fetch-depth" not in result.stderr


def test_removed_person(repo):
    catalog = repo.content / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").split("  - name: 王芳")[0], encoding="utf-8")
    result = run("check", "--base", "main")
    assert "移除审查人 王芳" in result.stdout and result.exit_code == 1  # 王芳's sign-off no longer holds


def test_a_department_given_another_reviewers_slug_is_a_change_of_rights(repo):
    """A reviewer's departments are kept as slugs: giving 办公室 the slug 住房保障股 had (and 住房保障股 another)
    lets a 住房保障股 reviewer sign 办公室's items without a line of the roster changing. Each roster's
    rights are named by its own catalog's departments, so the notice shows it."""
    catalog = repo.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8").replace("  - name: 李明\n    departments: [全部]",
                                                       "  - name: 李明\n    departments: [housing]")
    catalog.write_text(text, encoding="utf-8")
    repo.commit("李明只审住房保障股")
    swapped = (text.replace("{name: 办公室, slug: office}", "{name: 办公室, slug: housing-x}")
               .replace("{name: 住房保障股, slug: housing}", "{name: 住房保障股, slug: office}")
               .replace("{name: 办公室, slug: housing-x}", "{name: 办公室, slug: housing}"))
    assert swapped.split("reviewers:")[1] == text.split("reviewers:")[1]  # the roster itself is untouched
    catalog.write_text(swapped, encoding="utf-8")
    notice = run("check", "--base", "main").stdout
    assert "李明 的权限改变：初审、复核；住房保障股 → 初审、复核；办公室" in notice


def test_departments_and_columns_renamed_are_listed(repo):
    """An item may name its department or column by slug: renamed in catalog.yml, every such signed page shows the new
    name without a signature changing, so the notice lists each rename for the office leader (rt27 D4)."""
    catalog = repo.content / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("{name: 办公室, slug: office}", "{name: 局长办公室, slug: office}")
                       .replace("{name: 动态信息, slug: news", "{name: 工作动态信息, slug: news"), encoding="utf-8")
    notice = run("check", "--base", "main").stdout.split("审查人名册变更")[1]
    assert "部门代号 office 的名称改变：办公室 → 局长办公室" in notice
    assert "栏目代号 news 的名称改变：动态信息 → 工作动态信息" in notice
    assert notice.count("名称改变") == 2  # no unchanged department or column


def test_a_roster_moved_with_content_dir_is_compared_with_the_one_it_replaces(repo, keys):
    """content_dir (mkdocs.yml) decides which catalog.yml is the roster: a merge request that points it at a
    new folder replaces the protected content/catalog.yml without touching it. REF's roster is read where
    REF's own mkdocs.yml put it, so the notice names the move and only the real changes."""
    (repo.root / "content").rename(repo.root / "data")
    config = repo.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - gongkai\n", "  - gongkai:\n      content_dir: data\n"),
                      encoding="utf-8")
    catalog = repo.root / "data" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8")
                       + f'  - name: 张伟\n    departments: [全部]\n    levels: [final]\n    keys: [{{key: "{keys.public("张伟")}"}}]\n',
                       encoding="utf-8")
    notice = run("check", "--base", "main").stdout.split("审查人名册变更")[1]
    assert "main 上是 content/catalog.yml，现在是 data/catalog.yml" in notice
    assert "新增审查人 张伟" in notice and "新增审查人 李明" not in notice and "新增审查人 王芳" not in notice


def test_a_role_ended_and_another_begun_is_a_change_of_rights(repo):
    """Dated roles (a promotion): each side is shown with its periods."""
    catalog = repo.content / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    old = "  - name: 李明\n    departments: [全部]\n    levels: [initial, final]\n"
    assert old in text
    catalog.write_text(text.replace(old, "  - name: 李明\n    roles:\n"
                                         "      - {levels: [initial], departments: [全部], until: 2021-06-30}\n"
                                         "      - {levels: [final], departments: [办公室], from: 2021-07-01}\n"), encoding="utf-8")
    notice = run("check", "--base", "main").stdout.split("审查人名册变更")[1]
    assert ("李明 的权限改变：初审、复核；全部部门 → 初审；全部部门（不限 至 2021-06-30） / 复核；办公室（2021-07-01 起）"
            in notice)


def test_a_reviewer_given_or_denied_the_party_right_is_a_change_of_rights(repo):
    """`party: true` decides who may sign 党内 items; once nobody holds it, anyone may. Both are rights."""
    catalog = repo.content / "catalog.yml"
    original = catalog.read_text(encoding="utf-8")
    catalog.write_text(original.replace("  - name: 王芳\n", "  - name: 王芳\n    party: true\n"), encoding="utf-8")
    notice = run("check", "--base", "main").stdout.split("审查人名册变更")[1]
    assert "王芳 的权限改变：" in notice and "可签署党内信息" in notice
    repo.commit("王芳可签署党内信息")
    catalog.write_text(original, encoding="utf-8")
    notice = run("check", "--base", "main").stdout.split("审查人名册变更")[1]
    assert "王芳 的权限改变：" in notice and "此后任何审查人都可签署党内信息" in notice
