"""`gongkai queue`: items waiting for a sign-off, by level and department, with who may sign and what changed."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gongkai.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_queue_groups_new_changed_and_next_level_items(git_site):
    git_site.write_catalog({"李明": ("[办公室]", "[initial]"), "王芳": ("[全部]", "[final]"), "张三": ("[住房保障股]", "[initial]")})
    changed = git_site.item("2021/a.md")
    git_site.commit()
    changed.write_text(changed.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    new = git_site.item("2021/b.md", signed=False, department="住房保障股")
    halfway = git_site.item("2021/c.md", signed=False)
    git_site.sign_level(halfway, "initial", "李明")
    done = git_site.item("2021/d.md")
    out = run("queue").output
    assert out.index("待初审 · 住房保障股") < out.index("待复核 · 办公室")
    assert f"{git_site.rel(new)}" in out and "新条目；可签署：张三" in out
    assert "审查后有修改；可签署：李明" in out and "正文 +1/-1 行" in out and f"gongkai diff {git_site.rel(changed)}" in out
    assert "待下一级；可签署：王芳" in out and git_site.rel(done) not in out
    mine = json.loads(run("queue", "--reviewer", "王芳", "--format", "json").output)
    assert [entry["path"] for entry in mine] == [git_site.rel(halfway)]
    assert run("queue", "--reviewer", "张 三").output.count(".md") == 1
    refused = run("queue", "--reviewer", "王方")
    assert refused.exit_code == 1 and "王芳" in refused.output
    stranger = run("queue", "--reviewer", "赵六")  # no name close to it: what to do, as gongkai review says
    assert stranger.exit_code == 1 and "“赵六”不在审查人名册中：请核对姓名；新审查人须先由办公室" in stranger.output


def test_a_title_is_shown_as_written_not_obeyed_by_the_terminal(git_site):
    """An item waiting for review may be one the check refuses (a control character in its title): the queue
    still lists it, its title written out instead of acting on the reviewer's terminal."""
    git_site.item("2021/a.md", signed=False, title="通知\x9b2J\u202e知通")
    out = run("queue").output
    assert "通知\\x9b2J\\u202e知通" in out and "\x9b" not in out and "\u202e" not in out


def test_item_files_that_cannot_be_read_are_named_not_passed_over(git_site):
    """An unsigned item with broken front matter was left out, and the queue said nothing waited for review."""
    broken = git_site.item("2021/a.md", signed=False)
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
    out = run("queue").output
    assert "1 个条目文件无法读取" in out and f"{git_site.rel(broken)}:" in out and "没有其他等待审查的条目" in out
    waiting = git_site.item("2021/b.md", signed=False)
    out = run("queue").output
    assert "1 个条目文件无法读取" in out and git_site.rel(waiting) in out and "共 1 个条目等待审查" in out
    json_run = CliRunner().invoke(main, ["queue", "--format", "json"], catch_exceptions=False)
    assert [entry["path"] for entry in json.loads(json_run.stdout)] == [git_site.rel(waiting)]
    assert "无法读取" in json_run.stderr


def test_an_item_file_too_large_to_read_is_named_not_passed_over(git_site):
    """An unsigned item past limits.item_mb (6 MB; 5 MB by default) was left out, and the queue said nothing waited."""
    big = git_site.item("2021/a.md", signed=False)
    with big.open("a", encoding="utf-8") as file:
        file.write("正文。" * (6 * 1024 * 1024 // 9))
    result = run("queue")
    assert result.exit_code == 0
    assert "1 个条目文件无法读取" in result.output and f"{git_site.rel(big)}:" in result.output and "GK010" in result.output
    assert "没有其他等待审查的条目" in result.output and "没有等待审查的条目" not in result.output
    git_site.write_catalog({"王芳": ("[全部]", "[final]")})
    assert "没有其他等待王芳审查的条目" in run("queue", "--reviewer", "王芳").output


def test_who_may_sign_is_who_holds_the_role_today(git_site):
    """GONGKAI_TODAY is 2021-12-31: 李明's 初审 role ended in June, 王芳's begins in December."""
    git_site.write_catalog({"张三": ("[全部]", "[final]")})
    catalog = git_site.content / "catalog.yml"
    people = "".join(f'  - name: {name}\n    roles: [{role}]\n    keys: [{{key: "{git_site.keys.public(name)}"}}]\n'
                     for name, role in (("李明", "{levels: [initial], departments: [全部], until: 2021-06-30}"),
                                        ("王芳", "{levels: [initial], departments: [全部], from: 2021-12-01}")))
    catalog.write_text(catalog.read_text(encoding="utf-8") + people, encoding="utf-8")
    git_site.item("2021/a.md", signed=False)
    assert "新条目；可签署：王芳" in run("queue").output
    assert run("queue", "--reviewer", "李明").output.count(".md") == 0


def test_many_changed_items_cost_a_few_git_processes(git_site, count_git):
    """Each changed item in the queue found its repository (two git processes), listed its history (one more) and read
    each earlier version with a `git show` of its own, each in a folder made and removed for it: 5,000 changed
    items kept `gongkai queue` busy 2 minutes 19 s. Now one `git log` lists every item's commits and one
    `git cat-file --batch` reads every version (11 s), and each item still shows what changed since its sign-off:
    committed or not, through a merge, with an attachment replaced."""

    paths = [git_site.item(f"2021/{n:02d}.md", title=f"通知{n}") for n in range(6)]
    git_site.attach("2021/表.csv", "序号,数量\n1,2\n".encode())
    paths.append(git_site.item("2021/附件.md", attachments=[{"title": "表", "file": "2021/表.csv"}]))
    git_site.commit("发布")
    git_site.git("checkout", "-q", "-b", "side")
    paths[0].write_text(paths[0].read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    git_site.commit("改动一条")
    git_site.git("checkout", "-q", "main")
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace("认真落实", "切实落实"), encoding="utf-8")
    git_site.commit("改动另一条")
    git_site.git("merge", "-q", "--no-edit", "side")
    for path in paths[2:6]:
        path.write_text(path.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    git_site.attach("2021/表.csv", "序号,数量\n1,3\n".encode())
    started = count_git()
    queue = json.loads(run("queue", "--format", "json").output)
    changes = {entry["path"]: entry["changes"] for entry in queue}
    assert len(changes) == 7
    assert "认真贯彻落实" in "".join(changes[git_site.rel(paths[0])]["body"])
    assert "切实落实" in "".join(changes[git_site.rel(paths[1])]["body"])
    assert all("+补充说明。" in changes[git_site.rel(path)]["body"] for path in paths[2:6])
    assert changes[git_site.rel(paths[6])]["attachments"] == [{"file": "2021/表.csv", "change": "已替换"}]
    assert all(not change["unavailable"] for change in changes.values())
    assert len(started) <= 5, started


def test_a_history_too_wide_for_one_log_is_read_item_by_item(git_site, monkeypatch):
    """The one `git log` of the items folder is held to LOG_BYTES (commits that each listed 5,000 long names cost
    `gongkai queue` 2.3 MB a commit, 937 MB at 400): past it, each changed item's own log is read, and the queue
    still shows what changed since the sign-off."""
    from gongkai import review_diff

    changed = git_site.item("2021/a.md")
    git_site.commit()
    changed.write_text(changed.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    monkeypatch.setattr(review_diff, "LOG_BYTES", 10)
    [entry] = json.loads(run("queue", "--format", "json").output)
    assert not entry["changes"]["unavailable"] and "认真贯彻落实" in "".join(entry["changes"]["body"])


def test_a_broken_catalog_is_named_not_taken_for_an_empty_roster(git_site):
    """catalog.yml missing or broken: every item said “名册中无人可签（请办公室在名册中授权）”, the cause unnamed."""
    git_site.item("2021/a.md", signed=False)
    catalog = git_site.content / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("org:", "org: [", 1), encoding="utf-8")
    out = run("queue").output
    assert out.startswith("catalog.yml 有错误，审查人名册无法读取") and "content/catalog.yml:1: GK" in out, out
    assert "条目文件无法读取" not in out and "共 1 个条目等待审查" in out
    catalog.unlink()
    json_run = CliRunner().invoke(main, ["queue", "--format", "json"], catch_exceptions=False)
    assert "content/catalog.yml:1: GK901" in json_run.stderr and len(json.loads(json_run.stdout)) == 1
