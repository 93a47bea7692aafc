"""generator/hints.py: a hint is difflib's answer while it stays within the budget, and no hint beyond it."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from gongkai.hints import MAX_LISTED, MAX_PAIRS, close_name, known_names

names = st.lists(st.text(alphabet="住房保障股办公室ab", min_size=1, max_size=120), max_size=40)
words = st.text(alphabet="住房保障股办公室ab", max_size=120)


@given(words, names)
def test_a_hint_is_difflibs_within_the_budget_and_none_beyond(word, known):
    work = len(word) * sum(len(name) for name in known)
    expected = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    assert close_name(word, known) == (expected[0] if expected and work <= MAX_PAIRS else None)


@given(names)
def test_known_names_are_listed_whole_or_not_at_all(known):
    shown = known_names(known, "catalog.yml")
    joined = "、".join(known)
    assert shown == joined if len(joined) <= MAX_LISTED else shown == f"共 {len(known)} 个，见 catalog.yml"


def test_a_mistyped_department_of_a_usual_catalog_gets_its_hint():
    departments = ["办公室", "住房保障股", "村镇建设股", "政策法规股", "建筑工程质量安全监督站", "市政公用事业股", "规划建设股"] * 8
    assert close_name("住房保障科", departments) == "住房保障股"
