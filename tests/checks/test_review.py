"""Review family (GK2xx): spec §4 and issue 10 on items signed through the real `gongkai review`
code (ssh-keygen) or, for forgeries, by hand with real keys (`site.write_review`)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checks import review
from gongkai.reviewing import ReviewRefused
from gongkai.rules import blocks_publishing

THREE_LEVELS = """\
review:
  levels:
    - {key: initial, name: 初审}
    - {key: second, name: 复审}
    - {key: final, name: 终审}
"""
D1, D2, D3 = "2021-06-15", "2021-06-16", "2021-06-17"


def review_codes(site, path=None):
    return [code for code in site.codes(path) if code.startswith("GK2")]


def honest(path_level_pairs=(("initial", "李明"), ("final", "王芳")), dates=(D1, D2, D3)):
    """Sign-offs of the given levels, on the first of `dates` (one date a level)."""
    days = dates[: len(path_level_pairs)]
    return [{"level": level, "reviewer": name, "date": day} for (level, name), day in zip(path_level_pairs, days, strict=True)]


def test_signed_item_passes(site):
    path = site.item()
    assert review_codes(site, path) == []
    assert "-----BEGIN SSH SIGNATURE-----" in path.read_text(encoding="utf-8")


def test_unsigned_item_fails_with_the_command_to_run(site):
    path = site.item(signed=False)
    [problem] = site.problems(review.NOT_REVIEWED.code)
    assert f"gongkai review {site.rel(path)} --level initial" in problem.message


def test_only_initial_is_not_enough(site):
    path = site.item(signed=False)
    site.sign(path, final=None)
    [problem] = site.problems(review.NOT_REVIEWED.code)
    assert "复核" in problem.message


def test_hand_written_entry_without_digest_is_incomplete(site):
    site.item(signed=False, review={
        "initial": {"reviewer": "李明", "date": "2021-06-16", "opinion": "同意公开"},
        "final": {"reviewer": "王芳", "date": "2021-06-17", "opinion": "同意公开", "digest": "sha256:abc"},
    })
    problems = site.problems(review.INCOMPLETE.code)
    assert len(problems) == 2 and all("gongkai review" in p.message for p in problems)


def test_bad_opinion(site):
    path = site.item()
    text = path.read_text(encoding="utf-8").replace("opinion: 同意公开", "opinion: 同意", 1)
    path.write_text(text, encoding="utf-8")
    assert site.problems(review.BAD_OPINION.code)


def test_unknown_level_and_entry_keys(site):
    path = site.item()
    text = path.read_text(encoding="utf-8").replace("  final:\n", "  finale:\n    note: x\n  final:\n", 1)
    path.write_text(text, encoding="utf-8")
    problems = site.problems(review.UNKNOWN_ENTRY.code)
    assert any("finale" in p.message and "final" in p.message for p in problems)


# --- the roster decides who signs -------------------------------------------------------------


def test_signer_absent_from_the_roster(site):
    path = site.item(signed=False)
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1},
                             {"level": "final", "reviewer": "王方", "date": D2}])
    [problem] = site.problems(review.UNKNOWN_REVIEWER.code)
    assert "王方" in problem.message and "是否想写“王芳”" in problem.message
    assert problem.path == site.rel(path) and problem.line == _line(path, "    reviewer: 王方")


def test_signer_outside_their_department(site):
    site.write_catalog({"李明": ("[住房保障股]", "[initial]"), "王芳": ("[全部]", "[final]")})
    path = site.item(department="办公室", signed=False)
    site.write_review(path, honest())
    [problem] = site.problems(review.DEPARTMENT_NOT_ALLOWED.code)
    assert "办公室" in problem.message and problem.path == site.rel(path)


def test_signer_outside_their_levels(site):
    site.write_catalog({"李明": ("[全部]", "[initial]"), "王芳": ("[全部]", "[initial]")})
    path = site.item(signed=False)
    site.write_review(path, honest())
    [problem] = site.problems(review.LEVEL_NOT_ALLOWED.code)
    assert "王芳" in problem.message and "复核" in problem.message


def test_the_review_command_refuses_what_the_roster_does_not_allow(site):
    site.write_catalog({"李明": ("[住房保障股]", "[initial]"), "王芳": ("[全部]", "[final]")})
    path = site.item(signed=False)
    before = path.read_bytes()
    with pytest.raises(ReviewRefused, match="不在审查人名册"):
        site.sign_level(path, "initial", "张三", key="李明")
    with pytest.raises(ReviewRefused, match="办公室"):
        site.sign_level(path, "initial", "李明")
    with pytest.raises(ReviewRefused, match="未获授权签署初审"):
        site.sign_level(path, "initial", "王芳")
    assert path.read_bytes() == before


def _roles_catalog(site, 李明_roles: str) -> None:
    """李明 with the given dated roles (YAML flow list); 王芳 signs either level everywhere."""
    roster = site.roster_text({"王芳": ("[全部]", "[initial, final]")})
    person = f'  - name: 李明\n    roles: {李明_roles}\n    keys: [{{key: "{site.keys.public("李明")}", from: 2000-01-01}}]\n'
    (site.content / "catalog.yml").write_text(site.catalog + roster + person, encoding="utf-8")


PROMOTED = "[{levels: [initial], departments: [全部], until: 2021-06-30}, {levels: [final], departments: [全部], from: 2021-07-01}]"


def test_a_promotion_keeps_the_sign_offs_made_before_it(site):
    """Rights are dated as keys are: 李明 signed 初审 until June, 复核 from July. Before roles, the roster's one undated
    `levels` made every earlier 初审 of his invalid the day he was promoted (GK211 on every item: no build)."""
    _roles_catalog(site, PROMOTED)
    before = site.item("2021/june.md", signed=False, published="2021-06-18")
    site.sign(before, initial="李明", final="王芳", date=dt.date(2021, 6, 17))
    after = site.item("2021/july.md", signed=False, published="2021-07-20")
    site.sign(after, initial="王芳", final="李明", date=dt.date(2021, 7, 19))
    assert review_codes(site) == []


def test_a_role_allows_only_its_own_period_levels_and_departments(site):
    _roles_catalog(site, PROMOTED)
    late = site.item("2021/late.md", signed=False, published="2021-07-20")
    site.write_review(late, [{"level": "initial", "reviewer": "李明", "date": "2021-07-19"},
                             {"level": "final", "reviewer": "王芳", "date": "2021-07-19"}])
    [problem] = site.problems(review.LEVEL_NOT_ALLOWED.code)
    assert "李明 在 2021-07-19 未获授权签署初审（名册中该日可签署：复核）" in problem.message and "roles" in problem.message
    with pytest.raises(ReviewRefused, match="在 2021-07-19 未获授权签署初审"):
        site.sign_level(site.item("2021/next.md", signed=False, published="2021-07-20"), "initial", "李明",
                        date=dt.date(2021, 7, 19))
    # one role must hold both the level and the department: 初审 for 办公室, 复核 only for 住房保障股
    _roles_catalog(site, "[{levels: [initial], departments: [办公室]}, {levels: [final], departments: [住房保障股]}]")
    mixed = site.item("2021/mixed.md", signed=False, department="办公室")
    site.write_review(mixed, [{"level": "initial", "reviewer": "王芳", "date": D1},
                              {"level": "final", "reviewer": "李明", "date": D2}])
    [problem] = site.problems(review.DEPARTMENT_NOT_ALLOWED.code)
    assert "李明" in problem.message and "办公室" in problem.message and problem.path == site.rel(mixed)


def test_a_sign_off_dated_after_today_is_refused(site):
    """A right (or a key) the roster gives from a later day was used before it: 李明, 复核 only from July, signed 复核
    of a scheduled item in June, dated on his first day. Nothing compared a sign-off's date with today."""
    _roles_catalog(site, PROMOTED)
    ahead = site.item("2021/ahead.md", signed=False, published="2021-07-20")
    site.write_review(ahead, [{"level": "initial", "reviewer": "王芳", "date": "2021-06-16"},
                              {"level": "final", "reviewer": "李明", "date": "2021-07-01"}])
    [problem] = [p for p in site.check(dt.date(2021, 6, 20)) if p.code == review.SIGNED_AHEAD.code]
    assert "复核日期 2021-07-01 晚于今天 2021-06-20" in problem.message and blocks_publishing(problem)
    assert review_codes(site, ahead) == []  # on the day it names, and after, the sign-off is what it says


def test_the_review_command_refuses_a_date_after_today(site, monkeypatch):
    from click.testing import CliRunner

    from gongkai.cli import main

    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-20")
    path = site.item("2021/ahead.md", signed=False, published="2021-07-20")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["review", site.rel(path), "--level", "initial", "--reviewer", "李明",
                                       "--key", str(site.keys.file("李明")), "--date", "2021-06-21"])
    assert result.exit_code != 0 and "晚于今天 2021-06-20" in result.output and path.read_bytes() == before


# --- forged, replayed and reordered signatures ---------------------------------------------------


def test_signature_by_another_roster_members_key(site):
    path = site.item(signed=False)
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1},
                             {"level": "final", "reviewer": "王芳", "date": D2, "key": "李明"}])
    [problem] = site.problems(review.WRONG_KEY.code)
    assert "李明" in problem.message and problem.line == _line(path, "    signature: |", 2)


def test_signature_by_a_key_outside_the_roster(site):
    path = site.item(signed=False)
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "key": "陌生人"},
                             {"level": "final", "reviewer": "王芳", "date": D2}])
    [problem] = site.problems(review.WRONG_KEY.code)
    assert "不在审查人名册中" in problem.message


def test_the_review_command_refuses_someone_elses_key(site):
    path = site.item(signed=False)
    before = path.read_bytes()
    with pytest.raises(ReviewRefused, match="王芳"):
        site.sign_level(path, "initial", "李明", key="王芳")
    assert path.read_bytes() == before


def test_signature_copied_from_another_item(site):
    first = site.item("2021/a.md")
    second = site.item("2021/b.md", signed=False)
    signatures = _signatures(first)
    site.write_review(second, [{"level": "initial", "reviewer": "李明", "date": "2021-06-17", "signature": signatures[0]},
                               {"level": "final", "reviewer": "王芳", "date": "2021-06-17", "signature": signatures[1]}])
    problems = site.problems(review.BAD_SIGNATURE.code)
    assert {p.path for p in problems} == {site.rel(second)} and len(problems) == 2
    assert review_codes(site, first) == []


def test_signature_copied_from_another_level(site):
    path = site.item(signed=False)
    site.write_catalog({"李明": ("[全部]", "[initial, final]"), "王芳": ("[全部]", "[initial, final]")})
    site.write_review(path, honest())
    initial_signature = _signatures(path)[0]
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1},
                             {"level": "final", "reviewer": "李明", "date": D1, "signature": initial_signature}])
    codes = review_codes(site, path)
    assert review.BAD_SIGNATURE.code in codes and review.SAME_REVIEWER.code in codes


def test_tampered_signature_text(site):
    path = site.item()
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if "BEGIN SSH SIGNATURE" in line) + 3
    lines[index] = lines[index][:-6] + ("AAAAAA" if not lines[index].endswith("AAAAAA") else "BBBBBB")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert review.BAD_SIGNATURE.code in review_codes(site, path)


def test_garbage_signature_is_an_error_not_a_crash(site):
    path = site.item(signed=False)
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "signature": "-----BEGIN SSH SIGNATURE-----\n!!\n"},
                             {"level": "final", "reviewer": "王芳", "date": D2}])
    [problem] = site.problems(review.BAD_SIGNATURE.code)
    assert "无法读取" in problem.message


def test_initial_re_signed_after_final(site):
    path = site.item(signed=False)
    site.write_review(path, honest())
    final = _signatures(path)[1]
    # 初审 signs again (another opinion text, same day), 复核's old signature is put back
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D2},
                             {"level": "final", "reviewer": "王芳", "date": D2, "signature": final}])
    [problem] = site.problems(review.BAD_SIGNATURE.code)
    assert problem.line == _line(path, "    signature: |", 2) and "下一级" in problem.message


def test_re_signing_a_lower_level_removes_the_levels_above(site):
    path = site.item()
    signed = site.sign_level(path, "initial", "李明")
    assert signed.removed == ["复核"]
    assert "final:" not in path.read_text(encoding="utf-8")
    assert review_codes(site, path) == [review.NOT_REVIEWED.code]


def test_look_alike_names_are_one_person(site):
    path = site.item(signed=False)
    site.sign_level(path, "initial", "李明")
    for look_alike in ("李\u3000明", "李\u200b明", "李 明", "李\ufe00明", "ＬＩ明"[0:0] + "李明 "):
        with pytest.raises(ReviewRefused, match="四眼"):
            site.sign_level(path, "final", look_alike, key="李明")
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1},
                             {"level": "final", "reviewer": "李\u3000明", "date": D2, "key": "李明"}])
    [problem] = site.problems(review.SAME_REVIEWER.code)
    assert "四眼" in problem.message


def test_key_used_after_its_until(site):
    site.write_catalog(review="")
    catalog = (site.content / "catalog.yml").read_text(encoding="utf-8")
    (site.content / "catalog.yml").write_text(catalog.replace("from: 2000-01-01}", "from: 2000-01-01, until: 2021-06-15}", 1),
                                               encoding="utf-8")
    retired_before = site.item("2021/a.md", signed=False)
    site.write_review(retired_before, honest(dates=("2021-06-15", "2021-06-16")))
    after = site.item("2021/b.md", signed=False)
    site.write_review(after, honest(dates=("2021-06-16", "2021-06-16")))
    [problem] = site.problems(review.KEY_NOT_VALID.code)
    assert problem.path == site.rel(after) and "2021-06-15" in problem.message
    with pytest.raises(ReviewRefused, match="没有有效的密钥"):
        site.sign_level(site.item("2021/c.md", signed=False), "initial", "李明", date=dt.date(2021, 6, 16))


def test_a_rotated_key_keeps_old_signatures_valid(site, keys):
    old, new = keys.public("李明"), keys.public("李明-2021")
    catalog = (site.content / "catalog.yml").read_text(encoding="utf-8")
    catalog = catalog.replace(f'keys: [{{key: "{old}", from: 2000-01-01}}]',
                              f'keys: [{{key: "{old}", from: 2000-01-01, until: 2021-06-30}}, {{key: "{new}", from: 2021-07-01}}]')
    (site.content / "catalog.yml").write_text(catalog, encoding="utf-8")
    path = site.item(signed=False)
    site.sign(path)  # 2021-06-17 with the old key
    later = site.item("2021/b.md", signed=False, published="2021-08-01")
    site.sign_level(later, "initial", "李明", date=dt.date(2021, 7, 2), key="李明-2021")
    site.sign_level(later, "final", "王芳", date=dt.date(2021, 7, 3))
    assert review_codes(site) == []
    with pytest.raises(ReviewRefused, match="李明"):  # the retired key after its until
        site.sign_level(site.item("2021/c.md", signed=False), "initial", "李明", date=dt.date(2021, 7, 2))


# --- opinions, dates, digests -------------------------------------------------------------------


def test_approval_over_refusal(site):
    path = site.item(signed=False, disclosure="依申请公开")
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "opinion": "不予公开"},
                             {"level": "final", "reviewer": "王芳", "date": D2, "opinion": "同意公开"}])
    [problem] = site.problems(review.APPROVAL_OVER_REFUSAL.code)
    assert problem.line == _line(path, "    opinion: 同意公开")
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "opinion": "不予公开"}])
    with pytest.raises(ReviewRefused, match="不能签署“同意公开”"):
        site.sign_level(path, "final", "王芳")


def test_public_item_needs_approval_at_every_level(site):
    path = site.item(signed=False)
    site.sign(path, opinion="不予公开")
    assert len(site.problems(review.NOT_APPROVED.code)) == 2
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1},
                             {"level": "final", "reviewer": "王芳", "date": D2, "opinion": "不予公开"}])
    assert len(site.problems(review.NOT_APPROVED.code)) == 1


def test_refused_item_may_stay_non_public(site):
    path = site.item(signed=False, disclosure="不予公开")
    site.sign(path, opinion="不予公开")
    assert review_codes(site, path) == []


def test_final_before_initial(site):
    path = site.item(signed=False)
    site.write_review(path, honest(dates=(D2, D1)))
    [problem] = site.problems(review.DATE_ORDER.code)
    assert "复核日期 2021-06-15 早于初审日期 2021-06-16" in problem.message
    with pytest.raises(ReviewRefused, match="早于初审日期"):
        site.write_review(path, honest()[:1])
        site.sign_level(path, "final", "王芳", date=dt.date(2021, 6, 14))


@pytest.mark.parametrize("level", ["initial", "final"])
def test_a_sign_off_dated_before_the_document_was_written_is_refused(site, level):
    """成文日期 ≤ every sign-off: a review dated before the document existed did not review it (a backdated sign-off
    made a text written later look reviewed in time)."""
    path = site.item(signed=False, written="2021-06-16")
    dates = {"initial": "2021-06-15", "final": "2021-06-16"} if level == "initial" else {"initial": "2021-06-16", "final": "2021-06-15"}
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": dates["initial"]},
                             {"level": "final", "reviewer": "王芳", "date": dates["final"]}])
    problems = site.problems(review.DATE_ORDER.code)
    assert any("日期 2021-06-15 早于成文日期（written） 2021-06-16" in p.message for p in problems), problems
    fresh = site.item("2021/b.md", signed=False, written="2021-06-18", published="2021-06-20")
    with pytest.raises(ReviewRefused, match="早于成文日期"):
        site.sign_level(fresh, "initial", "李明", date=dt.date(2021, 6, 17))
    site.sign(fresh, date=dt.date(2021, 6, 18))  # on the day it was written: allowed
    assert not [p for p in site.problems(review.DATE_ORDER.code) if p.path == site.rel(fresh)]


def test_a_withdrawn_item_may_be_reviewed_again_until_its_withdrawal(site):
    withdrawal = {"date": "2021-07-01", "reason": "信息有误，已重新发布"}
    path = site.item(signed=False, withdrawn=withdrawal)
    site.sign(path, date=dt.date(2021, 6, 30))
    assert site.problems(review.DATE_ORDER.code) == []
    later = site.item("2021/b.md", signed=False, withdrawn=withdrawal)
    site.sign(later, date=dt.date(2021, 7, 2))
    [problem] = site.problems(review.DATE_ORDER.code)
    assert problem.path == site.rel(later) and "撤回" in problem.message


def test_published_before_final_review(site):
    path = site.item(signed=False)
    site.sign(path, date=dt.date(2021, 6, 20))
    [problem] = site.problems(review.DATE_ORDER.code)
    assert "先审查、后公开" in problem.message
    assert problem.line == 6  # the published key


@pytest.mark.parametrize("disclosure", ["不予公开", "依申请公开"])
def test_an_item_not_disclosed_may_be_reviewed_after_its_date(site, disclosure):
    """A page taken down years after it went up is signed 不予公开 on the day of the decision: an item published on no
    day has no publication to come first (GK205 kept the signed takedown red for ever)."""
    path = site.item(signed=False, disclosure=disclosure)
    site.sign(path, date=dt.date(2024, 5, 20), opinion=disclosure if disclosure == "不予公开" else "同意公开")
    assert site.problems(review.DATE_ORDER.code) == []
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": "2024-05-21", "opinion": "不予公开"},
                             {"level": "final", "reviewer": "王芳", "date": "2024-05-20", "opinion": "不予公开"}])
    [problem] = site.problems(review.DATE_ORDER.code)  # the levels' order still holds
    assert "早于初审日期" in problem.message


def test_edit_after_review_points_to_gongkai_diff(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    [problem] = site.problems(review.CHANGED.code)
    assert "内容在复核后被修改，需重新审查" in problem.message
    assert f"gongkai diff {site.rel(path)}" in problem.message


@pytest.mark.parametrize(("before", "after"), [
    ("disclosure: 主动公开", "disclosure: 不予公开"),
    ("disclosure: 主动公开", "disclosure: 依申请公开"),
    ("published: '2021-06-18'", "published: '2021-12-20'"),
])
def test_an_edit_that_takes_the_item_off_every_site_does_not_stop_publishing(site, before, after):
    """A leak found on a published page: editing it to 不予公开 (or postponing it) must take it down at the
    next build, not keep it on the site until two reviewers sign again. Still an error for the check (CI),
    GK226 instead of GK207; a postponed item is GK207 again on its new date if nobody signed meanwhile."""
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace(before, after).replace("认真落实", "认真贯彻落实"),
                    encoding="utf-8")
    [problem] = [p for p in site.check(dt.date(2021, 12, 19)) if p.code.startswith("GK2")]
    assert problem.code == review.UNPUBLISHED_CHANGE.code and problem.is_error and not blocks_publishing(problem)
    assert f"gongkai diff {site.rel(path)}" in problem.message
    if after.startswith("published"):
        assert [p.code for p in site.check(dt.date(2021, 12, 20)) if p.code.startswith("GK2")] == [review.CHANGED.code]


def test_an_edit_on_a_published_item_still_stops_publishing(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    [problem] = site.problems(review.CHANGED.code, dt.date(2021, 12, 19))
    assert blocks_publishing(problem)


@pytest.mark.parametrize("edit", ["", "认真贯彻落实"])
def test_narrowing_a_published_item_to_members_says_how_to_take_it_down(site, edit):
    """Adding `audience: 党内` is an editor's first idea for taking a leaked page off the public site, but it is an
    edit like any other and stops the build, which leaves the page online: the message says that 不予公开 takes it
    down at the next build. Only when the audience is all that changed."""
    path = site.item()
    text = path.read_text(encoding="utf-8").replace("disclosure: 主动公开", "disclosure: 主动公开\naudience: 党内")
    path.write_text(text.replace("认真落实", edit or "认真落实"), encoding="utf-8")
    [problem] = site.problems(review.CHANGED.code, dt.date(2021, 12, 19))
    assert blocks_publishing(problem)
    assert ("disclosure: 不予公开" in problem.message) == (not edit)


def test_front_matter_edit_after_review_fails(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("办公室", "住房保障股"), encoding="utf-8")
    assert site.problems(review.CHANGED.code)


def test_re_signing_both_levels_after_an_edit_passes(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    site.sign(path)
    assert review_codes(site, path) == []


def test_final_cannot_sign_text_initial_did_not_see(site):
    path = site.item(signed=False)
    site.sign(path, final=None)
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    with pytest.raises(ReviewRefused, match="初审之后被修改"):
        site.sign_level(path, "final", "王芳")
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "digest": "sha256:" + "0" * 64},
                             {"level": "final", "reviewer": "王芳", "date": D2}])
    assert review_codes(site, path) == [review.DIFFERENT_VERSIONS.code]


def test_non_public_items_are_checked_too(site):
    site.item(signed=False, disclosure="依申请公开")
    assert site.problems(review.NOT_REVIEWED.code)


# --- signature requirements and levels ----------------------------------------------------------


def test_unsigned_sign_offs(site):
    path = site.item(signed=False)  # published 2021-06-18
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "key": None},
                             {"level": "final", "reviewer": "王芳", "date": D2, "key": None}])
    assert review_codes(site, path) == [review.UNSIGNED.code] * 2
    site.write_catalog(review="review:\n  signatures: required\n  signatures_required_from: 2021-06-19\n")
    assert review_codes(site, path) == [review.UNSIGNED_BEFORE_REQUIRED.code] * 2  # published before it
    site.write_catalog(review="review:\n  signatures: optional\n")
    assert review_codes(site, path) == []


@pytest.mark.parametrize("required_from", ["2021-06-15", "2021-06-16", "2021-06-17", "2021-06-18"])
def test_sign_offs_dated_before_signatures_were_required_do_not_spare_a_later_publication(site, required_from):
    """Anyone can write names, dates and the digest by hand: an unsigned sign-off is left over from before
    signatures only when its item was published before too, whatever date the sign-off bears."""
    site.write_catalog(review=f"review:\n  signatures: required\n  signatures_required_from: {required_from}\n")
    path = site.item(signed=False)  # published 2021-06-18, sign-offs dated 06-15 and 06-16 below
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "key": None},
                             {"level": "final", "reviewer": "王芳", "date": D2, "key": None}])
    assert review_codes(site, path) == [review.UNSIGNED.code] * 2
    with pytest.raises(ReviewRefused, match="没有签名"):  # `gongkai review` agrees: no level above it
        site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": D1, "key": None}])
        site.sign_level(path, "final", "王芳")


def test_three_levels_honestly_signed_pass(site):
    site.write_catalog({"李明": ("[全部]", "[initial]"), "王芳": ("[全部]", "[second]"), "赵强": ("[全部]", "[final]")},
                       review=THREE_LEVELS)
    path = site.item(signed=False)
    for level, name in (("initial", "李明"), ("second", "王芳"), ("final", "赵强")):
        site.sign_level(path, level, name)
    assert review_codes(site, path) == []


def test_three_levels_missing_the_middle_one(site):
    site.write_catalog({"李明": ("[全部]", "[initial]"), "王芳": ("[全部]", "[second]"), "赵强": ("[全部]", "[final]")},
                       review=THREE_LEVELS)
    path = site.item(signed=False)
    site.write_review(path, honest((("initial", "李明"), ("final", "赵强"))))
    [problem] = site.problems(review.NOT_REVIEWED.code)
    assert "复审" in problem.message and problem.path == site.rel(path)
    site.sign_level(path, "initial", "李明")
    with pytest.raises(ReviewRefused, match="尚无复审记录"):
        site.sign_level(path, "final", "赵强")


def test_three_levels_same_person_twice(site):
    site.write_catalog({"李明": ("[全部]", "[initial, final]"), "王芳": ("[全部]", "[second]")}, review=THREE_LEVELS)
    path = site.item(signed=False)
    site.write_review(path, honest((("initial", "李明"), ("second", "王芳"), ("final", "李明"))))
    [problem] = site.problems(review.SAME_REVIEWER.code)
    assert "初审与终审" in problem.message


# --- robustness -----------------------------------------------------------------------------------

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30),
                     st.sampled_from(["同意公开", "不予公开", "2021-06-16", "李明", "王芳", "-----BEGIN SSH SIGNATURE-----\nU1NI\n"]))
_entry = st.one_of(_scalars, st.lists(_scalars, max_size=3),
                   st.dictionaries(st.sampled_from(["reviewer", "date", "opinion", "digest", "signature", "x"]), _scalars, max_size=6))
_review = st.one_of(_scalars, st.dictionaries(st.sampled_from(["initial", "final", "second", "初审", "1"]), _entry, max_size=4))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(block=_review)
def test_random_review_blocks_never_crash_the_checker(site, block):
    path = site.item("2021/fuzz.md", signed=False, review=block)
    problems = [p for p in site.check() if p.path == site.rel(path)]
    assert all(p.message and p.line >= 1 for p in problems)
    if block in (None, {}, [], "") or not isinstance(block, dict):
        assert any(p.is_error for p in problems)  # unreviewed (GK2xx), or unreadable before review is judged


def _line(path, text: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = [number for number, line in enumerate(lines, 1) if line == text]
    return found[occurrence - 1]


def _signatures(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    blocks = text.split("-----BEGIN SSH SIGNATURE-----")[1:]
    return ["-----BEGIN SSH SIGNATURE-----" + block.split("-----END SSH SIGNATURE-----")[0].replace("      ", "")
            + "-----END SSH SIGNATURE-----\n" for block in blocks]


COLUMN = "{name: 党组织决议, slug: resolutions}"


def _column_audience(site, audience):
    """The test catalog with the column 党组织决议 given `audience` (党内 is its group's default)."""
    from .catalogs import CATALOG, use
    use(site, CATALOG.replace(COLUMN, COLUMN[:-1] + f", audience: {audience}}}"))


@pytest.mark.parametrize("written", [None, "公众", "党内"])
@pytest.mark.parametrize(("signed_as", "checked_as"), [("党内", "公众"), ("公众", "党内"), ("党内", "党内"), ("公众", "公众")])
def test_the_audience_an_item_takes_from_its_column_is_reviewed(site, written, signed_as, checked_as):
    """An item that writes no audience takes its column's from catalog.yml: changing the column after
    review changes who may read the item (a members-only item would reach the public site), so the
    sign-off must not hold; an item that writes its audience does not depend on the column."""
    _column_audience(site, signed_as)
    path = site.item(category="党组织决议", audience=written)
    assert review_codes(site, path) == []
    _column_audience(site, checked_as)
    holds = written is not None or signed_as == checked_as
    assert review_codes(site, path) == ([] if holds else [review.CHANGED.code])


def test_a_column_opened_after_review_says_why_and_how_to_keep_the_item_members_only(site):
    _column_audience(site, "党内")
    path = site.item(category="党组织决议")
    _column_audience(site, "公众")
    [problem] = site.problems(review.CHANGED.code)
    assert "党组织决议" in problem.message and "catalog.yml" in problem.message and "audience: 党内" in problem.message
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("category: 党组织决议\n", "category: 党组织决议\naudience: 党内\n"), encoding="utf-8")
    assert review_codes(site, path) == []  # written as the reviewers saw it: no new review needed


def test_a_column_closed_to_the_public_after_review_says_how_to_take_its_items_down(site):
    _column_audience(site, "公众")
    site.item(category="党组织决议")
    _column_audience(site, "党内")
    [problem] = site.problems(review.CHANGED.code)
    assert "党组织决议" in problem.message and "disclosure: 不予公开" in problem.message and blocks_publishing(problem)
