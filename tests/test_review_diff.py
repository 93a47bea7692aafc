"""`gongkai diff`: what changed since the last sign-off, found in git."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_diff_shows_front_matter_body_and_attachments(git_site):
    git_site.attach("2021/名单.csv", "姓名,户数\n甲,1\n".encode())
    git_site.attach("2021/标准.csv", "档次,金额\n一类,20000\n".encode())
    attachments = [{"title": "名单", "file": "2021/名单.csv"}, {"title": "标准", "file": "2021/标准.csv"}]
    path = git_site.item(attachments=attachments, keywords=["住房"])
    git_site.commit("复核通过")
    text = path.read_text(encoding="utf-8")
    text = text.replace("认真落实", "认真贯彻落实").replace("- 住房", "- 保障性住房")
    text = text.replace("\n---\n\n", "\n---\n\n新增的第一段。\n\n", 1)
    path.write_text(text, encoding="utf-8")
    git_site.attach("2021/名单.csv", "姓名,户数\n乙,2\n".encode())
    result = run("diff", git_site.rel(path))
    assert result.exit_code == 0
    out = result.output
    assert "与复核签署时的版本（提交" in out
    assert 'keywords：["住房"] → ["保障性住房"]' in out
    assert "  -一、各单位要认真落实。" in out and "  +一、各单位要认真贯彻落实。" in out and "  +新增的第一段。" in out
    assert "2021/名单.csv：已替换" in out and "标准.csv" not in out
    data = json.loads(run("diff", git_site.rel(path), "--format", "json").output)
    assert data["attachments"] == [{"file": "2021/名单.csv", "change": "已替换"}]


def test_diff_of_an_unchanged_and_of_an_unsigned_item(git_site):
    path = git_site.item()
    assert "没有改动" in run("diff", git_site.rel(path)).output
    fresh = git_site.item("2021/b.md", signed=False)
    assert "尚未签署" in run("diff", git_site.rel(fresh)).output


@pytest.mark.parametrize("refused", ["both", "final"])
def test_a_version_the_reviewers_refused_is_no_base_to_compare_with(git_site, refused):
    """Signed 不予公开 and edited by one character: diff and queue showed that character alone, as if the rest had been
    approved, and a reviewer's 同意公开 on that word published the refused text (rt30 R1)."""
    path = git_site.item(summary="内部考察材料。", signed=False)
    git_site.sign_level(path, "initial", "李明", opinion="同意公开" if refused == "final" else "不予公开")
    git_site.sign_level(path, "final", "王芳", opinion="不予公开")
    git_site.commit("复核：不予公开")
    path.write_text(path.read_text(encoding="utf-8").replace("内部考察材料。", "内部考察材料."), encoding="utf-8")
    git_site.commit("改一个标点")
    level = "复核" if refused == "final" else "初审"
    shown = run("diff", git_site.rel(path)).output
    assert f"{level}意见是“不予公开”" in shown and "对照全文重新审查" in shown and "summary" not in shown, shown
    queued = run("queue").output
    assert f"{level}意见是“不予公开”" in queued, queued
    unchanged = git_site.item("2021/b.md", summary="内部考察材料。", signed=False)
    git_site.sign(unchanged, opinion="不予公开")
    assert "没有改动" in run("diff", git_site.rel(unchanged)).output  # nothing to compare: nothing to re-read


def test_diff_when_the_signed_version_was_never_committed(git_site):
    path = git_site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    assert "找不到复核时的版本" in run("diff", git_site.rel(path)).output


def _written_digest(git_site, path, harmful: str, signed: str) -> str:
    """Both levels' digest replaced by hand: the signatures no longer verify."""
    return re.sub(r'digest: "?sha256:[0-9a-f]+"?', f'digest: "{harmful}"', path.read_text(encoding="utf-8"))


def _undated(git_site, path, harmful: str, signed: str) -> str:
    """复核's digest replaced and its date written so that it does not read: an entry without a date was never
    verified, and its copied signature named the version."""
    head, final = path.read_text(encoding="utf-8").split("  final:\n", 1)
    final = re.sub(r'digest: "?sha256:[0-9a-f]+"?', f'digest: "{harmful}"', final, count=1)
    return head + "  final:\n" + re.sub(r"date: (\d{4})-0?(\d+)-(\d\d)", r"date: \1-\2-\3", final, count=1)


def _same_person(git_site, path, harmful: str, signed: str) -> str:
    """复核 signed by the 初审 reviewer with his own key over the harmful version: not the check's sign-off."""
    git_site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": "2021-06-17", "digest": signed},
                                 {"level": "final", "reviewer": "李明", "date": "2021-06-17", "digest": harmful}])
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("forged", [_written_digest, _undated, _same_person])
def test_a_digest_written_into_the_review_block_is_no_signed_version(git_site, forged):
    """The digest is text in the file: an editor committed a version with a harmful paragraph, added a harmless change
    on top and made the review block name the harmful version — by writing its digest, by a date that does not read
    (never verified), by a sign-off the check refuses. `diff` and `queue` compared with that version and showed the
    reviewers only the harmless change. Only a sign-off the check accepts names the signed version."""
    from gongkai.digest import compute
    from gongkai.loading import parse_document

    def digest_now() -> str:
        document, _ = parse_document(path.read_bytes(), git_site.rel(path))
        assert document is not None
        return compute(document.meta, document.body, git_site.attachments, None)

    path = git_site.item()
    git_site.commit("复核通过")
    signed = digest_now()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真落实。有害的一段"), encoding="utf-8")
    git_site.commit("有害的改动")
    harmful = digest_now()
    text = forged(git_site, path, harmful, signed).replace("各单位", "各有关单位")
    path.write_text(text, encoding="utf-8")
    out = run("diff", git_site.rel(path)).output
    assert "有害的一段" in out or "请对照全文重新审查" in out, out
    assert "与复核签署时的版本" not in out
    data = json.loads(run("diff", git_site.rel(path), "--format", "json").output)
    assert data["unavailable"] or any("有害的一段" in line for line in data["body"])  # what the queue counts, too


def test_what_changed_is_shown_as_written_not_obeyed_by_the_terminal(git_site):
    """A changed line may carry ESC sequences (erase the line above, hide text) or bidirectional marks: the
    reviewer sees them written out, where the line would otherwise vanish or read backwards."""
    path = git_site.item(keywords=["住房"])
    git_site.commit("复核通过")
    text = path.read_text(encoding="utf-8").replace("\n---\n\n", "\n---\n\n新增\x1b[1A\x1b[2K电话\u202e8765\x9b8m。\n\n", 1)
    path.write_text(text.replace("- 住房", "- \"住房\\u202e\""), encoding="utf-8")
    out = run("diff", git_site.rel(path)).output
    assert "  +新增\\x1b[1A\\x1b[2K电话\\u202e8765\\x9b8m。" in out
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out


def test_a_history_git_cannot_search_in_time_is_said_so(git_site, monkeypatch):
    """Every git command waits at most a minute, but a history too long for the folder's one `git log` fell back to
    one `git log` per item: `gongkai queue` over thousands of items had no bound. Past the budget git is asked
    nothing more, and the reviewer is told why there is no signed version to compare with (not "never committed")."""
    from gongkai import review_diff

    path = git_site.item()
    git_site.commit("复核通过")
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    assert "与复核签署时的版本（提交" in run("diff", git_site.rel(path)).output
    monkeypatch.setattr(review_diff, "GIT_BUDGET", 0.0)
    out = run("diff", git_site.rel(path)).output
    assert "git 历史太长" in out and "找不到复核时的版本" not in out


def test_a_grafts_file_never_hides_the_signed_version(git_site):
    """`.git/info/grafts` gives a commit other parents than it records: the commit after the sign-off made a root,
    git's log of the item ends there and the signed version is gone from what `gongkai diff` and `queue` read."""
    path = git_site.item()
    git_site.commit("复核通过")
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    git_site.commit("改动")
    head = subprocess.run(["git", "-C", str(git_site.root), "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    (git_site.root / ".git" / "info").mkdir(exist_ok=True)
    (git_site.root / ".git" / "info" / "grafts").write_text(f"{head}\n", encoding="utf-8")
    out = run("diff", git_site.rel(path)).output
    assert "与复核签署时的版本（提交" in out and "  +一、各单位要认真贯彻落实。" in out


def _applied(old: list[str], hunks: list[str]) -> list[str]:
    """`old` with a unified diff (no file header) applied."""
    import re

    out: list[str] = []
    at = 0
    for line in hunks:
        if line.startswith("@@"):
            found = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", line)
            assert found is not None
            start = int(found[1]) - (1 if found[2] != "0" else 0)
            out += old[at:start]
            at = start
        elif line.startswith(" "):
            out.append(line[1:])
            at += 1
        elif line.startswith("-"):
            at += 1
        else:
            out.append(line[1:])
    return out + old[at:]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abc"), max_size=12), st.lists(st.sampled_from("abc"), max_size=12), st.booleans())
def test_a_body_diff_takes_the_old_lines_to_the_new_whether_compared_or_not(old, new, coarse):
    """Line by line it is difflib's; past DIFF_PAIRS the changed stretch is one hunk — either way it is a true diff."""
    import difflib

    from gongkai import review_diff

    pairs, review_diff.DIFF_PAIRS = review_diff.DIFF_PAIRS, 0 if coarse else review_diff.DIFF_PAIRS
    try:
        found = review_diff.body_diff(old, new)
    finally:
        review_diff.DIFF_PAIRS = pairs
    assert _applied(old, found) == new
    if not coarse:
        assert found == [line for line in difflib.unified_diff(old, new, n=1, lineterm="") if not line.startswith(("---", "+++"))]


def test_a_long_body_rewritten_in_repeating_lines_is_diffed_in_bounded_time():
    """160,000 lines drawn from 101 took difflib 150 s, in `gongkai diff` and in every `gongkai queue`."""
    import random
    import time

    from gongkai.review_diff import body_diff

    rng = random.Random(1)
    old, new = ([f"第{rng.randrange(101)}行" for _ in range(160_000)] for _ in range(2))
    started = time.process_time()
    found = body_diff(old, new)
    assert time.process_time() - started < 5 and _applied(old, found) == new


def test_a_version_naming_a_file_no_file_system_can_hold_is_passed_over(git_site):
    """git keeps any name a tree is given: a commit whose item lists an attachment named 300 characters long (made
    with git's plumbing) made every later `gongkai diff` and `gongkai queue` an internal error."""
    path = git_site.item()
    git_site.commit("复核通过")
    long_name = "a" * 300 + ".pdf"
    text = path.read_text(encoding="utf-8").replace("\n---\n", f"\nattachments:\n- {{title: t, file: 2021/{long_name}}}\n---\n", 1)
    path.write_text(text, encoding="utf-8")
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], input=b"%PDF-1.4\n", capture_output=True,
                          check=True, cwd=git_site.root).stdout.decode().strip()
    git_site.git("update-index", "--add", "--cacheinfo", f"100644,{blob},content/attachments/2021/{long_name}")
    git_site.git("add", git_site.rel(path))
    git_site.git("commit", "-q", "-m", "附件")
    diffed = run("diff", git_site.rel(path))
    assert diffed.exit_code == 0 and "与复核签署时的版本" in diffed.output and "内部错误" not in diffed.output
    queued = run("queue")
    assert queued.exit_code == 0 and git_site.rel(path) in queued.output and "内部错误" not in queued.output


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, 1.0, 2025.0, -1.0, 0.5]),
                     st.sampled_from(["", "1", "政务公开"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner, max_size=2),
                       max_leaves=6)


@given(before=_VALUES, after=_VALUES)
@example(before=[2025, 1], after=[2025.0, 1.0]).via("the finding")
@example(before=True, after=1).via("the finding")
def test_a_value_is_listed_as_changed_exactly_when_the_digest_reads_it_otherwise(tmp_path_factory, before, after):
    """`==` takes 1, 1.0 and True for one value: [2025, 1] → [2025.0, 1.0] was "only the formatting changed" while
    the page showed 2025.0 and the digest differed."""
    from gongkai.loading import SourceDocument
    from gongkai.review_diff import ItemDiff, _compare

    result = ItemDiff("content/items/2021/a.md")
    old, new = (SourceDocument("content/items/2021/a.md", "", {"keywords": value}, "正文。\n", 1) for value in (before, after))
    _compare(result, old, {}, new, tmp_path_factory.getbasetemp())
    canonical = [json.dumps(value, sort_keys=True, ensure_ascii=False) for value in (before, after)]
    assert bool(result.front_matter) == (canonical[0] != canonical[1])
