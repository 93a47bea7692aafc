"""content/lexicon.yml: read with lines, checked entry by entry, merged with the built-in list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.lexicon import Forbidden, Replacement, load_lexicon
from gongkai.lexicon.entries import DEFAULT_FILE
from gongkai.limits import Limits
from gongkai.loading import read_yaml_file

LIMIT = Limits().item_bytes


def write(tmp_path: Path, text: str) -> Path:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "lexicon.yml").write_text(text, encoding="utf-8")
    return content


def test_the_built_in_list_reads_without_problems():
    data, _, problems = read_yaml_file(DEFAULT_FILE, "default.yml", LIMIT)
    assert problems == []
    lexicon, problems = load_lexicon(Path("/nonexistent"), Path("/"), LIMIT)
    assert problems == []
    assert any(r.wrong == "登陆网站" and r.right == "登录网站" for r in lexicon.replacements)
    assert len(lexicon.replacements) == len(data["replace"])


def test_the_agency_file_extends_overrides_and_disables(tmp_path):
    content = write(tmp_path, """\
replace:
  - {wrong: 登陆网站, right: 登录本局网站, note: 本局写法}
  - {wrong: 帐户, right: 账户}
forbidden:
  - {text: 某某禁用语, reason: 测试}
  - {text: 布署, reason: 本局从严：按错误处理}
disable: [做为]
people:
  - name: 张军卫
    titles:
      - {title: 局长, from: 2016-03-01, until: 2021-12-31}
titles: [调研员]
""")
    lexicon, problems = load_lexicon(content, tmp_path, LIMIT)
    assert problems == []
    by_wrong = {r.wrong: r for r in lexicon.replacements}
    assert by_wrong["登陆网站"].right == "登录本局网站" and by_wrong["登陆网站"].origin == "content/lexicon.yml 第 2 行"
    assert "做为" not in by_wrong
    assert "布署" not in by_wrong and any(f.text == "布署" for f in lexicon.forbidden)
    assert lexicon.people[0].titles[0].end == dt.date(2021, 12, 31)
    assert "调研员" in lexicon.titles and "局长" in lexicon.titles


def test_defaults_can_be_turned_off(tmp_path):
    content = write(tmp_path, "defaults: false\nforbidden:\n  - {text: 禁用语, reason: 测试}\n")
    lexicon, problems = load_lexicon(content, tmp_path, LIMIT)
    assert problems == [] and lexicon.replacements == ()
    assert lexicon.forbidden == (Forbidden("禁用语", "测试", (), "content/lexicon.yml 第 3 行"),)


def test_every_bad_entry_is_reported_at_its_line(tmp_path):
    content = write(tmp_path, """\
replace:
  - {wrong: 登陆, right: 登陆}
  - {wrong: 截止, rigth: 截至}
  - 只是一句话
forbidden:
  - {text: 禁用语}
people:
  - name: 张三
    titles:
      - {title: 局长, from: 2021-02-30}
      - {title: 副局长, from: 2022-01-01, until: 2021-01-01}
unknown: 1
defaults: 是
""")
    lexicon, problems = load_lexicon(content, tmp_path, LIMIT)
    lines = sorted((p.line, p.code) for p in problems)
    assert lines == [(2, "GK460"), (3, "GK460"), (3, "GK460"), (4, "GK460"), (6, "GK460"), (10, "GK460"),
                     (11, "GK460"), (12, "GK460"), (13, "GK460")]
    messages = " ".join(p.message for p in problems)
    assert "是否想写 `right`" in messages and "2021-02-30" in messages and "from（2022-01-01）晚于 until" in messages
    assert all(p.path == "content/lexicon.yml" for p in problems)
    # the good parts still count
    assert lexicon.people and lexicon.people[0].titles == ()


def test_a_right_form_containing_the_wrong_one_is_never_flagged(tmp_path):
    content = write(tmp_path, "defaults: false\nreplace:\n  - {wrong: 截止, right: 截止日期}\n")
    lexicon, problems = load_lexicon(content, tmp_path, LIMIT)
    assert problems == [] and lexicon.replacements == (Replacement("截止", "截止日期", "", ("截止日期",), lexicon.replacements[0].origin),)


def test_a_yaml_error_is_a_problem_not_a_crash(tmp_path):
    content = write(tmp_path, "replace: [\n")
    lexicon, problems = load_lexicon(content, tmp_path, LIMIT)
    assert [p.code for p in problems] == ["GK005"]
    assert lexicon.replacements  # the built-in list still applies


def test_the_sample_and_built_in_lexicons_satisfy_the_json_schema():
    import yaml

    from gongkai.lexicon.entries import json_schema
    from tests.commands.test_schema import _valid  # its small validator, shared rather than copied

    repository = Path(__file__).resolve().parents[2]
    for file in (repository / "content" / "lexicon.yml", DEFAULT_FILE):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # dates stay text
        data.pop("defaults", None)  # BaseLoader reads booleans as text
        assert _valid(json_schema(), data), file
    assert not _valid(json_schema(), {"replace": [{"wrong": "登陆"}]})


def _exceptions(count: int) -> str:
    return "replace:\n  - {wrong: 甲乙, right: 丙, except: [" + ", ".join(f"甲乙{n}" for n in range(count)) + "]}\n"


def _tenures(count: int) -> str:
    return "".join("people:\n  - name: 张军卫\n    titles: [{title: 局长, until: 2001-01-01}]\n" if n == 0 else
                   f"  - name: 张军卫\n    titles: [{{title: 局长, until: 2001-01-{n % 28 + 1:02d}}}]\n" for n in range(count))


def _long_terms(count: int) -> str:
    term = "!#$%&*" + "字" * 88  # the automaton holds each term once, its marks read in one width
    return "forbidden:\n" + "".join(f"  - {{text: '{term}{n}', reason: 测试}}\n" for n in range(count))


@pytest.mark.parametrize(("text", "said"), [(_exceptions(101), "except"), (_tenures(101), "任职"), (_long_terms(10_700), "全部词条共")])
def test_a_lexicon_beyond_its_bounds_is_refused_and_the_built_in_list_kept(tmp_path, text, said):
    """Exceptions by the thousand, a name's posts by the ten thousand, terms of a million characters in all:
    each multiplied the work of every check (minutes, gigabytes; a failed allocation aborted the process)."""
    lexicon, problems = load_lexicon(write(tmp_path, text), tmp_path, LIMIT)
    assert [problem.code for problem in problems] == ["GK460"] and said in problems[0].message
    built_in, _ = load_lexicon(Path("/nonexistent"), Path("/"), LIMIT)
    assert lexicon == built_in


@pytest.mark.parametrize("text", [_exceptions(100), _tenures(100), _long_terms(100)])
def test_a_lexicon_within_its_bounds_is_read(tmp_path, text):
    assert load_lexicon(write(tmp_path, text), tmp_path, LIMIT)[1] == []


def test_an_exception_listed_twice_is_one():
    from gongkai.lexicon.entries import _Reader

    reader = _Reader(None, "lexicon.yml", "lexicon.yml")
    assert reader.terms(["台风登陆后", "台风登陆后", "暴雨登陆后"], "except", label="x") == ("台风登陆后", "暴雨登陆后")
