"""`gongkai review` on hostile input: any file is signed or refused in Chinese; links are never read through."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.cli import main

FRONT = "---\ntitle: 关于做好保障性住房工作的通知\ndepartment: 办公室\nindex_no: 11131122MB1534702N/2021-00001\n"
BODY = "---\n\n正文。\n"


@pytest.fixture
def run(site, monkeypatch):
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-17")
    return lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)


_FRONT_MATTER = st.dictionaries(
    st.sampled_from(["title", "index_no", "category", "department", "published", "disclosure", "review", "keywords", "1"]),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
                 lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                 max_leaves=6),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), _FRONT_MATTER.map(
    lambda meta: ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n正文\n").encode("utf-8"))))
def test_review_of_any_file_signs_or_refuses_in_chinese(site, run, data):
    path = site.write("2021/random.md", data)
    result = run("review", site.rel(path), "--level", "initial", "--reviewer", "李明", "--date", "2021-06-16")
    assert result.exit_code in (0, 1), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert re.search(r"[\u4e00-\u9fff]", result.output)
    if result.exit_code == 1:
        assert result.output.startswith("错误：") and path.read_bytes() == data  # refused: not a byte changed


def test_review_refuses_a_file_whose_keys_are_not_text(site, run):
    path = site.write("2021/keys.md", FRONT.replace("department: 办公室\n", "department: 办公室\n1: x\n") + BODY)
    result = run("review", site.rel(path), "--level", "initial", "--reviewer", "李明")
    assert result.exit_code == 1 and "键必须是英文单词" in result.output and "第 4 行" in result.output


def test_review_never_reads_through_a_link(site, run, tmp_path):
    real = tmp_path / "real.md"
    real.write_bytes((FRONT + BODY).encode())
    link = site.content / "items" / "2021" / "link.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(real)
    result = run("review", site.rel(link), "--level", "initial", "--reviewer", "李明")
    assert result.exit_code == 1 and "符号链接" in result.output and real.read_bytes() == (FRONT + BODY).encode()
