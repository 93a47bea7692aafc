"""`gongkai check --base REF`: an item put back to an older signed version of itself (GK220).

The old version's signatures are genuine, so only history tells the restore apart: its last sign-off
is dated before the one on REF. Each case commits a later review decision on main and then restores
the version before it, as an editor with write access could.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.review_history import ENDED_ROLE, NEW_UNSIGNED, RETIRED_KEY, ROLLED_BACK
from gongkai.withdrawing import withdraw
from tests.projects import ORG_CODE

JUNE, JULY = dt.date(2021, 6, 17), dt.date(2021, 7, 2)


def check_base(*args: str):
    return CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)


def rolled_back(result) -> list[str]:
    return [problem["message"] for problem in json.loads(result.stdout) if problem["code"] == ROLLED_BACK.code]


def _withdrawn(site, path):
    data = path.read_bytes()
    withdraw(path, data, site.rel(path), "名单有误，已重新公示", JULY)
    site.sign(path, date=JULY)


def published_then_withdrawn(git_site) -> tuple[Path, bytes]:
    """An item published (signed in June) and withdrawn since, each committed; its file and its published bytes,
    which an editor could put back."""
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    published = path.read_bytes()
    _withdrawn(git_site, path)
    git_site.commit("撤回")
    return path, published


def _not_public(site, path):
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("disclosure: 主动公开", "disclosure: 不予公开"), encoding="utf-8")
    site.sign(path, date=JULY, opinion="不予公开")


def _members_only(site, path):
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("disclosure: 主动公开", "disclosure: 主动公开\naudience: 党内"), encoding="utf-8")
    site.sign(path, date=JULY)


@pytest.mark.parametrize("decide", [_withdrawn, _not_public, _members_only])
@pytest.mark.parametrize("moved", [False, True])
def test_an_item_put_back_to_its_version_before_a_later_review_decision(git_site, decide, moved):
    if decide is _members_only:
        from tests.checks.catalogs import use
        use(git_site)
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    published = path.read_bytes()
    decide(git_site, path)
    assert check_base().exit_code == 0  # the later decision itself is reviewed and passes
    git_site.commit("审查后的决定")
    if moved:
        path.unlink()
        path = path.with_name("b.md")
    path.write_bytes(published)  # the earlier version, signatures and all
    assert check_base().exit_code == 0  # each signature is genuine: nothing but history tells
    result = check_base("--base", "main")
    [problem] = rolled_back(result)
    assert "2021-06-17" in problem and "2021-07-02" in problem and "gongkai review" in problem
    assert result.exit_code == 1


def test_reviews_that_move_forward_pass(git_site):
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    _withdrawn(git_site, path)
    assert rolled_back(check_base("--base", "main")) == []  # a later decision, not yet committed
    git_site.commit("撤回")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("名单有误，已重新公示", "名单有误，已另行公示"), encoding="utf-8")
    git_site.sign(path, date=JULY)  # signed again on the same day: not earlier
    result = check_base("--base", "main")
    assert rolled_back(result) == [] and result.exit_code == 0


def _unsigned_not_public(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("disclosure: 主动公开", "disclosure: 不予公开"), encoding="utf-8")


def _unsigned_postponed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^published: .*$", "published: 2022-07-02", text, count=1), encoding="utf-8")


def _as_signed(text: str) -> str:
    return text


def _block_kept_without_last_break(text: str) -> str:
    return text.replace("signature: |\n", "signature: |-\n", 1)


def _rewrapped(text: str) -> str:
    """The first signature's base64 in lines of 64 characters (ssh-keygen writes 70)."""
    def rewrap(match: re.Match) -> str:
        indent = match.group(2)[:len(match.group(2)) - len(match.group(2).lstrip())]
        encoded = "".join(match.group(2).split())
        return match.group(1) + "".join(f"{indent}{encoded[i:i + 64]}\n" for i in range(0, len(encoded), 64)) + match.group(3)
    return re.sub(r"(-----BEGIN SSH SIGNATURE-----\n)((?: +[A-Za-z0-9+/=]+\n)+)( +-----END)", rewrap, text, count=1)


def _version_zero(text: str) -> str:
    """The last signature's SSHSIG version written 0: not signed, and ssh-keygen verifies it as it verifies 1."""
    *_, armour = re.finditer(r"-----BEGIN SSH SIGNATURE-----\n((?: +[A-Za-z0-9+/=]+\n)+)", text)
    indent = armour.group(1)[:len(armour.group(1)) - len(armour.group(1).lstrip())]
    blob = base64.b64decode("".join(armour.group(1).split()))
    assert blob[:10] == b"SSHSIG\0\0\0\1"
    encoded = base64.b64encode(blob[:9] + b"\0" + blob[10:]).decode()
    lines = "".join(f"{indent}{encoded[i:i + 70]}\n" for i in range(0, len(encoded), 70))
    return text[:armour.start(1)] + lines + text[armour.end(1):]


def _dates_quoted(text: str) -> str:
    return re.sub(r"(?m)^(\s+date: )(\d{4}-\d\d-\d\d)$", r'\1"\2"', text)


@pytest.mark.parametrize("respelt", [_as_signed, _block_kept_without_last_break, _rewrapped, _dates_quoted, _version_zero])
@pytest.mark.parametrize("take_down", [_unsigned_not_public, _unsigned_postponed])
def test_undoing_an_unsigned_takedown_is_a_restore(git_site, take_down, respelt):
    """A leak taken down at once by an edit nobody signed (GK226: the build goes on without the page), then the
    signed file put back on a branch: its sign-offs are REF's own, so no date went back, and the page was
    published again with the check passing. So too with REF's sign-offs written otherwise — a signature re-wrapped
    or its block without the last line break, a date quoted, a signature spelt otherwise that still verifies (SSHSIG
    version 0) —, which read as other sign-offs though each verifies."""
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    published = path.read_text(encoding="utf-8")
    take_down(path)
    result = check_base("--base", "main")
    assert rolled_back(result) == [] and "GK226" in result.stdout  # the takedown itself is no restore
    git_site.commit("紧急撤下")
    restored = respelt(published)
    assert restored != published or respelt is _as_signed
    path.write_text(restored, encoding="utf-8")
    assert check_base().exit_code == 0
    result = check_base("--base", "main")
    [problem] = rolled_back(result)
    assert "审查记录与这里相同" in problem and "重新发布" in problem and result.exit_code == 1


def test_restoring_the_signed_version_while_ref_is_under_re_review(git_site):
    """On REF the item is being reviewed again (its first level signed anew, the last one gone): the restored
    version's last level is older than REF's first."""
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    published = path.read_bytes()
    path.write_text(path.read_text(encoding="utf-8").replace("正文", "改正后的正文"), encoding="utf-8")
    git_site.sign(path, final=None, date=JULY)
    git_site.commit("改正，初审已签")
    path.write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-06-17" in problem and "2021-07-02" in problem


LEGACY = "review:\n  signatures: required\n  signatures_required_from: 2021-07-01\n"


def new_unsigned(result) -> list[str]:
    return [problem["message"] for problem in json.loads(result.stdout) if problem["code"] == NEW_UNSIGNED.code]


def test_unsigned_sign_offs_are_only_ever_carried_over(git_site):
    """signatures_required_from spares the unsigned sign-offs written before it; one written since is
    new whatever date it bears (anyone can type names, dates and the digest), and needs a signature."""
    git_site.write_catalog(review=LEGACY)
    unsigned = [{"level": "initial", "reviewer": "李明", "date": "2021-06-15", "key": None},
                {"level": "final", "reviewer": "王芳", "date": "2021-06-16", "key": None}]
    legacy = git_site.item("2021/old.md", signed=False)
    git_site.write_review(legacy, unsigned)
    git_site.commit("启用签名之前的条目")
    forged = git_site.item("2021/new.md", signed=False, title="无人审查的通知")
    git_site.write_review(forged, unsigned)
    assert check_base().exit_code == 0  # warnings only (GK214): the dates say "before signatures"
    result = check_base("--base", "main")
    problems = new_unsigned(result)
    assert len(problems) == 2 and all("gongkai review content/items/2021/new.md" in p for p in problems)
    assert result.exit_code == 1
    git_site.commit("新条目")
    text = legacy.read_text(encoding="utf-8")  # a changed entry is a new one too
    legacy.write_text(text.replace("date: '2021-06-16'", "date: '2021-06-17'").replace("date: 2021-06-16", "date: 2021-06-17"),
                      encoding="utf-8")
    assert legacy.read_text(encoding="utf-8") != text
    assert new_unsigned(check_base("--base", "main")) != []
    legacy.write_text(text, encoding="utf-8")
    assert new_unsigned(check_base("--base", "main")) == []  # carried over unchanged


def retired_key(result) -> list[str]:
    return [problem["message"] for problem in json.loads(result.stdout) if problem["code"] == RETIRED_KEY.code]


def test_a_retired_key_signs_nothing_new(git_site):
    """A key stays in the roster after its `until` so its old signatures keep; whoever holds it (or found it)
    can still sign with a date before `until`. A sign-off new since the base made with it is back-dated."""
    catalog = git_site.content / "catalog.yml"
    old = git_site.item("2021/old.md", published="2021-06-18")
    git_site.sign(old, date=JUNE)  # 李明 and 王芳, while every key was in use
    text = catalog.read_text(encoding="utf-8")
    assert text.count("from: 2000-01-01}") == 2  # 李明's key first
    catalog.write_text(text.replace("from: 2000-01-01}", "from: 2000-01-01, until: 2021-06-30}", 1), encoding="utf-8")
    git_site.commit("李明的密钥停用")
    assert check_base("--base", "main").exit_code == 0  # old signatures keep
    new = git_site.item("2021/new.md", published="2021-07-02", signed=False)
    git_site.sign(new, date=JUNE)  # back-dated to a day the key was in use
    assert check_base().exit_code == 0  # each signature is genuine and dated inside the key's period
    result = check_base("--base", "main")
    [problem] = retired_key(result)
    assert "李明" in problem and "2021-06-30" in problem and result.exit_code == 1


def test_an_ended_role_signs_nothing_new(git_site):
    """A role's old sign-offs keep after its `until`; one new since the base and dated into it is back-dated (GK223)."""
    catalog = git_site.content / "catalog.yml"
    old = git_site.item("2021/old.md", published="2021-06-18")
    git_site.sign(old, date=JUNE)
    text = catalog.read_text(encoding="utf-8")
    li = "  - name: 李明\n    departments: [全部]\n    levels: [initial, final]\n"
    assert li in text
    catalog.write_text(text.replace(li, "  - name: 李明\n    roles: [{levels: [initial, final], departments: [全部], "
                                        "until: 2021-06-30}, {levels: [final], departments: [办公室]}]\n"), encoding="utf-8")
    git_site.commit("李明不再担任初审")
    assert check_base("--base", "main").exit_code == 0  # old sign-offs keep
    new = git_site.item("2021/new.md", published="2021-07-02", signed=False)
    git_site.sign(new, date=JUNE)  # 李明 初审, back-dated into his old role
    assert check_base().exit_code == 0  # genuine, and allowed on the day it bears
    result = check_base("--base", "main")
    [problem] = [p["message"] for p in json.loads(result.stdout) if p["code"] == ENDED_ROLE.code]
    assert "李明" in problem and "初审" in problem and "2021-06-30" in problem and result.exit_code == 1
    still = git_site.item("2021/still.md", published="2021-07-02", signed=False)  # 复核 办公室: a role he still holds
    git_site.sign(still, initial="王芳", final="李明", date=JUNE)
    assert [p["path"] for p in json.loads(check_base("--base", "main").stdout)
            if p["code"] == ENDED_ROLE.code] == ["content/items/2021/new.md"]


def test_an_item_put_back_in_a_moved_content_folder_is_still_matched(git_site):
    """content_dir pointed at a new folder makes every item a new file there; REF's items are read where
    REF's own mkdocs.yml put them, so a restore across the move is still GK220 (and nothing else)."""
    path, published = published_then_withdrawn(git_site)
    (git_site.root / "content").rename(git_site.root / "data")
    config = git_site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - gongkai\n", "  - gongkai:\n      content_dir: data\n"),
                      encoding="utf-8")
    codes = {problem["code"] for problem in json.loads(check_base("--base", "main").stdout)}
    assert not codes & {ROLLED_BACK.code, NEW_UNSIGNED.code, RETIRED_KEY.code}  # the move alone: nothing new
    (git_site.root / "data" / "items" / "2021" / "a.md").write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-06-17" in problem and "2021-07-02" in problem and "content/items/2021/a.md" in problem


DELETED_ON = "2021-07-02T10:00:00+08:00"


def deleted_on_main(git_site, monkeypatch, how: str, spelling=None, signed: dt.date = JUNE, padding: str = "",
                    deleted_at: str = DELETED_ON) -> tuple[Path, bytes]:
    """An item published (signed in June) and taken down since by deleting its file, on 2 July (`how`: alone, with its
    whole year folder, on a branch merged into main, or in a merge of main into a branch that never had it, which main
    then took); its file and its published bytes. `spelling` writes its 索引号 in the YAML the editor typed, `padding`
    opens its front matter (comment lines, which no digest reads)."""
    if how == "second-parent":
        git_site.commit("起始")
        git_site.git("branch", "stale")
    path = git_site.item("2021/a.md", published="2021-07-02")
    if spelling is not None or padding:
        number = f"{ORG_CODE}/2021-00001"
        text = path.read_text(encoding="utf-8").replace(f"index_no: {number}", f"index_no: {(spelling or str)(number)}")
        path.write_text(text.replace("---\n", "---\n" + padding, 1), encoding="utf-8")
    git_site.sign(path, date=signed)
    assert check_base().exit_code == 0
    kept = git_site.item("2020/b.md", published="2020-07-01", written="2020-06-15", signed=False)  # 2021's folder may go
    git_site.sign(kept, date=dt.date(2020, 6, 20))
    git_site.commit("发布")
    published = path.read_bytes()
    monkeypatch.setenv("GIT_COMMITTER_DATE", deleted_at)
    if how == "merged":
        git_site.git("checkout", "-q", "-b", "takedown")
    if how == "second-parent":  # an editor's stale branch takes main in, and the takedown is made as the merge's
        git_site.git("checkout", "-q", "stale")
        git_site.git("merge", "-q", "--no-ff", "--no-commit", "main")
    if how == "folder":
        git_site.git("rm", "-q", "-r", str(path.parent))
    else:
        git_site.git("rm", "-q", "-f", str(path))  # -f: in a merge the file is staged, not in the branch's last commit
    git_site.commit("撤下")
    if how == "merged":
        git_site.git("checkout", "-q", "main")
        git_site.git("merge", "-q", "--no-ff", "-m", "合并撤下", "takedown")
    if how == "second-parent":
        git_site.git("checkout", "-q", "main")
        git_site.git("merge", "-q", "--ff-only", "stale")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return path, published


@pytest.mark.parametrize("how", ["alone", "folder", "merged", "second-parent"])
@pytest.mark.parametrize("put_back_as", ["2021/a.md", "2022/恢复.md", "2020/b.md"])  # the last over another item's file
def test_a_deleted_item_put_back_with_its_old_sign_offs_is_a_restore(git_site, monkeypatch, how, put_back_as):
    """Deleting an item's file is the plainest takedown. Its signed version, put back under any name on a branch,
    passed `--base` (nothing on REF to compare it with) and the build published the page again."""
    path, published = deleted_on_main(git_site, monkeypatch, how)
    result = check_base("--base", "main")
    assert result.exit_code == 0, result.stdout  # the takedown itself
    git_site.git("checkout", "-q", "-b", "feature")
    restored = git_site.content / "items" / put_back_as
    restored.parent.mkdir(parents=True, exist_ok=True)
    restored.write_bytes(published)
    assert check_base().exit_code == 0  # each signature is genuine: nothing but history tells
    for commit in (None, "恢复"):  # in the work tree, then committed on the branch
        if commit:
            git_site.commit(commit)
        result = check_base("--base", "main")
        [problem] = rolled_back(result)
        assert "2021-07-02 删除" in problem and "2021-06-17" in problem and "content/items/2021/a.md" in problem
        assert result.exit_code == 1


@pytest.mark.parametrize("deleted_at", ["2021-07-01T18:30:00+00:00", "2021-07-01T06:30:00-12:00", "2021-07-02T02:30:00+08:00"])
def test_a_takedowns_day_is_beijings_whatever_zone_its_commit_was_written_in(git_site, monkeypatch, deleted_at):
    """Taken down at 2:30 on 2 July, Beijing time, by a commit a platform wrote in UTC (or any zone behind): its own date
    said 1 July, and another version signed on 1 July — before the takedown — was put back as a decision made after it."""
    deleted_on_main(git_site, monkeypatch, "alone", deleted_at=deleted_at)
    git_site.git("checkout", "-q", "-b", "feature")
    other = git_site.item("2021/a.md", index_no=f"{ORG_CODE}/2021-00001", published="2021-07-01", signed=False,
                          body="本条目的另一个版本，撤下之前签署。\n")
    git_site.sign(other, date=dt.date(2021, 7, 1))
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-07-02 删除" in problem


@pytest.mark.parametrize("spelling", [
    lambda number: '"' + number.replace("/", "\\u002F") + '"',  # an escape
    lambda number: '"' + number[:-3] + "\\\n  " + number[-3:] + '"',  # a line break escaped away
    lambda number: "'" + number + "'",
], ids=["escape", "escaped-line-break", "single-quoted"])
def test_a_deleted_item_is_found_however_its_index_no_was_spelled(git_site, monkeypatch, spelling):
    """The 索引号 as YAML reads it, not as the deleted file's bytes spell it."""
    path, published = deleted_on_main(git_site, monkeypatch, "alone", spelling)
    assert b"index_no: " + spelling(f"{ORG_CODE}/2021-00001").encode() in published
    path.parent.mkdir()
    path.with_name("b.md").write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-07-02 删除" in problem


@pytest.mark.parametrize("respelt", [_block_kept_without_last_break, _rewrapped, _version_zero])
def test_an_item_deleted_the_day_it_was_signed_put_back_respelt_is_a_restore(git_site, monkeypatch, respelt):
    """The deleted version's own review block, one signature written otherwise, is still that block."""
    path, published = deleted_on_main(git_site, monkeypatch, "alone", signed=JULY)
    path.parent.mkdir()
    path.write_text(respelt(published.decode("utf-8")), encoding="utf-8")
    assert path.read_bytes() != published and check_base().exit_code == 0
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-07-02 删除" in problem and "须以删除之后的日期签署" in problem


def test_an_item_deleted_the_day_it_was_signed_put_back_is_a_restore(git_site, monkeypatch):
    """Published and taken down the same day, as when a mistake is seen at once: the dates cannot tell, the review
    block can — it is the deleted version's own. Signed again that day, it is that block again (Ed25519 signs the
    same text alike), so a restore is signed on a later day."""
    path, published = deleted_on_main(git_site, monkeypatch, "alone", signed=JULY)
    path.parent.mkdir()
    path.write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-07-02 删除" in problem and "须以删除之后的日期签署" in problem
    git_site.sign(path, date=JULY)
    assert path.read_bytes() == published
    assert len(rolled_back(check_base("--base", "main"))) == 1
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^published: .*$", "published: 2021-07-05", text, count=1), encoding="utf-8")
    git_site.sign(path, date=JULY + dt.timedelta(days=1))
    result = check_base("--base", "main")
    assert rolled_back(result) == [] and result.exit_code == 0, result.stdout


def _item_limit(monkeypatch, limit: int) -> None:
    """`check --base` run with an item limit of `limit` bytes."""
    from gongkai import review_history

    real = review_history.against_base
    monkeypatch.setattr(review_history, "against_base", lambda *args, **options: real(*args, **{**options, "item_bytes": limit}))


def test_a_deleted_item_with_a_long_body_is_read_by_its_front_matter(git_site, monkeypatch):
    """Only the first item-limit bytes of each deleted file are read (any .md of the history may be huge, 10 GB of it
    10 MB in git): the 索引号 and the review block are in them."""
    path, published = deleted_on_main(git_site, monkeypatch, "alone")
    _item_limit(monkeypatch, published.index(b"\n---\n") + 40)
    path.parent.mkdir()
    path.write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-07-02 删除" in problem


def test_a_deleted_item_whose_front_matter_is_padded_is_read_to_its_end(git_site, monkeypatch):
    """Comment lines no digest reads pushed the 索引号 past a head read of each deleted file (4 MB once): the front
    matter is read to its end, as far as an item may be long; one that runs past that was never published."""
    path, published = deleted_on_main(git_site, monkeypatch, "alone", padding="# 备注：无\n" * 2000)
    assert published.index(b"index_no:") > 20_000
    path.parent.mkdir()
    path.write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-07-02 删除" in problem
    _item_limit(monkeypatch, published.index(b"index_no:"))
    assert rolled_back(check_base("--base", "main")) == []


def test_deleted_files_the_history_cannot_read_in_time_stop_the_check_and_say_why(git_site, monkeypatch):
    """A merged branch that added and deleted thousands of .md files, each padded to the item limit, cost `check --base`
    3 s and 1.1 GB a file, without end: the deleted files are read within DELETIONS_SECONDS, or the check says why."""
    from gongkai import review_history

    path, published = deleted_on_main(git_site, monkeypatch, "alone")
    path.parent.mkdir()
    path.write_bytes(published)
    monkeypatch.setattr(review_history, "DELETIONS_SECONDS", -1)
    result = check_base("--base", "main")
    assert result.exit_code != 0 and "删除过的 .md 文件太多或太大" in result.output and "Traceback" not in result.output


def test_a_merge_that_lists_an_old_deletion_again_does_not_date_it(git_site, monkeypatch):
    """Merged into main after main deleted the item, a branch that kept it lists the deletion again, against that
    branch, on the merge's day: the takedown is still as old as the commit that made it, and a page reviewed again
    between the two may come back."""
    path, published = deleted_on_main(git_site, monkeypatch, "alone")
    git_site.git("checkout", "-q", "-b", "old", "HEAD~1")  # before the takedown: it holds the item
    other = git_site.item("2020/c.md", published="2020-07-02", written="2020-06-15", signed=False)
    git_site.sign(other, date=dt.date(2020, 6, 20))
    git_site.commit("另一条目")
    git_site.git("checkout", "-q", "main")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2021-07-20T10:00:00+08:00")
    git_site.git("merge", "-q", "--no-ff", "-m", "合并旧分支", "old")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert not path.exists()
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "2021-07-02 删除" in problem  # the old sign-offs: still a restore, dated by the takedown
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^published: .*$", "published: 2021-07-06", text, count=1), encoding="utf-8")
    git_site.sign(path, date=dt.date(2021, 7, 5))
    result = check_base("--base", "main")
    assert rolled_back(result) == [] and result.exit_code == 0, result.stdout


def test_a_takedown_is_no_older_than_the_sign_offs_of_what_it_deleted(git_site, monkeypatch):
    """A committer writes a commit's date. A copy of the version signed 不予公开, added and deleted by commits dated
    2019 on a merged branch, made the takedown look older than the public version put back, which passed."""
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    published = path.read_bytes()
    _not_public(git_site, path)
    git_site.commit("不予公开")
    git_site.git("checkout", "-q", "-b", "draft")
    copy = git_site.root / "notes" / "draft.md"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2019-01-01T10:00:00+08:00")
    git_site.commit("草稿")
    git_site.git("rm", "-q", str(copy))
    git_site.commit("删除草稿")
    git_site.git("checkout", "-q", "main")
    git_site.git("merge", "-q", "--no-ff", "-m", "合并草稿", "draft")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2021-07-10T10:00:00+08:00")
    git_site.git("rm", "-q", str(path))
    git_site.commit("撤下")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    path.parent.mkdir(parents=True)
    path.write_bytes(published)
    result = check_base("--base", "main")
    [problem] = rolled_back(result)
    assert "2021-07-02 删除" in problem and "2021-06-17" in problem and result.exit_code == 1


def test_a_deleted_item_reviewed_again_may_come_back(git_site, monkeypatch):
    """Put back and signed again on or after the day it was deleted: a new review decision, as when a page is
    republished after correction."""
    path, published = deleted_on_main(git_site, monkeypatch, "alone")
    path.parent.mkdir()
    path.write_bytes(published)
    git_site.sign(path, date=JULY)
    result = check_base("--base", "main")
    assert rolled_back(result) == [] and result.exit_code == 0


def test_items_moved_or_new_are_no_restore(git_site, monkeypatch):
    """A move committed on REF, a move on the branch and a new item each add a file whose 索引号 REF's history
    deleted no item of, or still holds."""
    path = git_site.item("2021/a.md", published="2021-07-01")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    monkeypatch.setenv("GIT_COMMITTER_DATE", DELETED_ON)
    git_site.git("mv", str(path), str(path.with_name("a1.md")))
    git_site.commit("改名")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    path.with_name("a1.md").rename(path.with_name("a2.md"))
    git_site.item("2021/c.md", published="2021-07-01")
    git_site.sign(git_site.content / "items" / "2021" / "c.md", date=JUNE)
    result = check_base("--base", "main")
    assert rolled_back(result) == [] and result.exit_code == 0, result.stdout


def test_a_shallow_history_cannot_tell_a_deleted_item_and_says_so(git_site, tmp_path, monkeypatch):
    """A clone that lacks REF's history cannot show a deletion: an added item is never passed in silence."""
    git_site.item("2021/a.md", published="2021-07-01")
    git_site.commit("发布")
    git_site.git("commit", "-q", "--allow-empty", "-m", "后来")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_site.root}", str(clone)], check=True)
    new = clone / "content" / "items" / "2021" / "b.md"
    new.write_bytes((git_site.content / "items" / "2021" / "a.md").read_bytes().replace(b"2021-00001", b"2021-00002"))
    (clone / "docs").mkdir(exist_ok=True)  # empty: git keeps no folder
    monkeypatch.chdir(clone)
    result = check_base("--base", "origin/main")
    assert result.exit_code != 0 and "浅克隆" in result.output and "fetch-depth: 0" in result.output, result.output
    new.unlink()
    assert check_base("--base", "origin/main").exit_code == 0  # nothing added: nothing to look up


def test_many_changed_items_are_read_from_ref_by_one_git_process(git_site, count_git):
    """`check --base` read each changed item's REF version with a `git show` of its own: 5,000 changed items (a
    merge request that re-signs a year) cost the check 20 s of git alone. One `git cat-file --batch` reads them all,
    whatever their names (blanks, Chinese), and each restore is still found."""
    names = [f"2021/{n:02d}.md" for n in range(8)] + ["2021/名 单.md", "2021/a b c.md"]
    published = {}
    for name in names:
        path = git_site.item(name, published="2021-07-02")
        git_site.sign(path, date=JUNE)
        published[path] = path.read_bytes()
    git_site.commit("发布")
    for path in published:
        _not_public(git_site, path)
    git_site.commit("不予公开")
    for path, data in published.items():
        path.write_bytes(data)
    started = count_git()
    result = check_base("--base", "main")
    problems = rolled_back(result)
    assert len(problems) == len(names) and result.exit_code == 1
    assert sum("show" in args for args in started) <= 3, started  # catalog.yml and mkdocs.yml, not an item


def _git(site, *args: str) -> str:
    return subprocess.run(["git", "-C", str(site.root), *args], check=True, capture_output=True, text=True).stdout.strip()


def restored_on_a_branch(git_site) -> Path:
    """main published an item and withdrew it since; the branch `feature` puts the published version back."""
    path, published = published_then_withdrawn(git_site)
    git_site.git("checkout", "-q", "-b", "feature")
    path.write_bytes(published)
    git_site.commit("恢复")
    return path


def _shadowing_tag(site, monkeypatch, tmp_path):
    site.git("tag", "main", "feature")  # `main` is now a tag too, at the restore: git only warns, and takes the tag


def _shadowing_branch(site, monkeypatch, tmp_path):
    site.git("update-ref", "refs/remotes/origin/main", "main")  # the target branch as CI fetches it
    site.git("tag", "origin/main", "feature")  # pushed by anyone who may push tags; CI fetches every tag
    return "origin/main"


def _replaced_base(site, monkeypatch, tmp_path):
    site.git("replace", _git(site, "rev-parse", "main"), _git(site, "rev-parse", "feature"))


def _replace_ref_base(site, monkeypatch, tmp_path):
    site.git("update-ref", f"refs/other/{_git(site, 'rev-parse', 'main')}", "feature")
    monkeypatch.setenv("GIT_REPLACE_REF_BASE", "refs/other/")


def _git_dir_elsewhere(site, monkeypatch, tmp_path):
    other = tmp_path / "other"
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))  # a hook's or a CI job's environment


def _index_elsewhere(site, monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "index"))


def _objects_elsewhere(site, monkeypatch, tmp_path):
    (tmp_path / "objects").mkdir()
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(tmp_path / "objects"))
    monkeypatch.setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", str(tmp_path / "objects"))


def _configured_by_the_environment(site, monkeypatch, tmp_path):
    for name, value in {"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "core.bare", "GIT_CONFIG_VALUE_0": "true",
                        "GIT_CONFIG_KEY_1": "core.fsmonitor", "GIT_CONFIG_VALUE_1": f"touch {tmp_path / 'ran'}; false",
                        "GIT_CONFIG_PARAMETERS": "'core.bare'='true'"}.items():
        monkeypatch.setenv(name, value)


def _submodule(site, monkeypatch, tmp_path):
    """The restored version moved into a submodule: git lists only its commit, never the items read from it."""
    path = site.content / "items" / "2021" / "a.md"
    other = tmp_path / "other"
    subprocess.run(["git", "init", "-q", "-b", "main", str(other)], check=True)
    (other / "a.md").write_bytes(path.read_bytes())
    for args in (["add", "-A"], ["-c", "user.name=x", "-c", "user.email=x@example.invalid", "commit", "-q", "-m", "x"]):
        subprocess.run(["git", "-C", str(other), *args], check=True, capture_output=True)
    path.unlink()
    site.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other), "content/items/2021/sub")
    site.commit("子模块")


@pytest.mark.parametrize("lie", [_shadowing_tag, _shadowing_branch, _replaced_base, _replace_ref_base,
                                 _git_dir_elsewhere, _index_elsewhere, _objects_elsewhere, _configured_by_the_environment,
                                 _submodule])
def test_git_cannot_be_made_to_show_another_base(git_site, monkeypatch, tmp_path, lie):
    """What git is asked about REF must be REF's own tree, compared with every item the check reads: a tag named
    like the target branch, a replace object, GIT_* variables or a submodule made the restore pass in silence.
    Each is either seen through (GK220) or refused in Chinese; never a pass."""
    restored_on_a_branch(git_site)
    ref = lie(git_site, monkeypatch, tmp_path) or "main"
    result = check_base("--base", ref)
    assert "Traceback" not in result.output and result.exit_code == 1
    if result.stdout.strip():
        assert rolled_back(result), result.stdout
    else:
        assert ("有歧义" in result.stderr and "refs/" in result.stderr) or "子模块" in result.stderr, result.stderr


@pytest.mark.parametrize("ref", ["--output=x", "-cfoo=bar", "--end-of-options", "", "main\nHEAD"])
def test_a_base_spelled_like_an_option_is_refused(git_site, ref):
    restored_on_a_branch(git_site)
    result = check_base("--base", ref)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output and not result.stdout.strip()
    assert "--base" in result.stderr or "git 引用" in result.stderr
    assert not (git_site.root / "x").exists()


def test_an_unambiguous_base_spelled_in_full_is_compared(git_site):
    """The message's advice works: the remote ref written in full is the target branch, whatever tag shadows it."""
    restored_on_a_branch(git_site)
    _shadowing_branch(git_site, None, None)
    assert rolled_back(check_base("--base", "refs/remotes/origin/main"))
    assert rolled_back(check_base("--base", "main~0"))  # revision syntax on a name git finds once


def _assume_unchanged(site, path: Path) -> None:
    site.git("update-index", "--assume-unchanged", site.rel(path))


def _skip_worktree(site, path: Path) -> None:
    site.git("update-index", "--skip-worktree", site.rel(path))


def _stat_trusted(site, path: Path) -> None:
    """A checkout that trusts the index's size and times alone (`core.trustctime false`, as some backup and sync tools
    need): a restore of the same size with the file's time put back looks untouched to git."""
    site.git("config", "core.trustctime", "false")


@pytest.mark.parametrize("hide", [_assume_unchanged, _skip_worktree, _stat_trusted])
def test_an_edit_the_index_does_not_show_is_still_compared_with_ref(git_site, hide):
    """`git diff REF` compares the work tree through the index: a file marked assume-unchanged or skip-worktree (set
    by an editor's tool, or to keep a local change out of commits), or one whose size and times the index still
    matches, is compared with REF as the index holds it. An item put back to its older signed version on the editor's
    machine passed `gongkai check --base` there in silence; each item is now compared with REF by its bytes."""
    path, published = published_then_withdrawn(git_site)
    withdrawn = path.read_bytes()
    assert len(withdrawn) > len(published)
    earlier = path.stat().st_mtime_ns - 10**10  # before the index was written: git does not read it again as "racy"
    os.utime(path, ns=(earlier, earlier))
    git_site.git("update-index", "--refresh")
    hide(git_site, path)
    # The same size: the blank lines after the body are not signed (the page does not show them either).
    path.write_bytes(published + b"\n" * (len(withdrawn) - len(published)))
    os.utime(path, ns=(earlier, earlier))
    assert _git(git_site, "diff", "--name-only", "main") == ""  # git itself sees nothing
    result = check_base("--base", "main")
    [problem] = rolled_back(result)
    assert "2021-06-17" in problem and "2021-07-02" in problem and result.exit_code == 1


@pytest.mark.parametrize("fence", ["---", "...", "---\r\n"])
def test_a_deleted_item_whose_file_ends_at_its_closing_fence_is_read(git_site, monkeypatch, fence):
    """A withdrawn item needs no body, and the loader takes a closing fence on the file's last line, with no line break
    after it: the deleted files' reader asked for one and passed such an item over as never published, so putting
    it back undid its takedown with no reviewer."""
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    _withdrawn(git_site, path)
    text = path.read_bytes()
    front = text[:text.index(b"\n---\n") + 1]
    path.write_bytes(front + fence.encode() if fence != "---\r\n" else front.replace(b"\n", b"\r\n") + b"---")
    git_site.sign(path, date=JULY)
    assert check_base().exit_code == 0, check_base().stdout
    published = path.read_bytes()
    assert not published.endswith(b"\n")
    git_site.commit("撤回")
    monkeypatch.setenv("GIT_COMMITTER_DATE", DELETED_ON)
    git_site.git("rm", "-q", "-f", str(path))
    git_site.commit("撤下")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(published)
    [problem] = rolled_back(check_base("--base", "main"))
    assert "删除" in problem
