"""Every regular expression of gongkai runs in linear time on hostile text: each pattern compiled in any
module (module-level patterns and `re.sub(r"…", …)`-style literals alike, found by reading the package's
source) is fuzzed with hypothesis on long inputs made of the characters it and Markdown care about — a short
prefix, a unit repeated thousands of times and a tail, the shapes that make a backtracking engine try every
start against the rest of the text — under a time limit, the way the code calls it (patterns only ever
called with `match` or `fullmatch` at one start, the others with `search` and `finditer` too)."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import re
import signal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gongkai
from gongkai.bmp_regex import BmpFirst

_PACKAGE = Path(gongkai.__file__).parent
_CALLS = {"search", "finditer", "findall", "sub", "subn", "split", "match", "fullmatch"}
_ANCHORED = {"match", "fullmatch"}


def _sources() -> dict[str, str]:
    modules = {}
    for path in sorted(_PACKAGE.rglob("*.py")):
        name = ".".join(("gongkai", *path.relative_to(_PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        modules[name] = path.read_text(encoding="utf-8")
    return modules


def _calls(texts: list[str]) -> dict[str, set[str]]:
    """name → the methods called on it (`name.method(`) in `texts`, in one pass: what a findall for each name finds
    (a match ends at its call's parenthesis, so none hides another name's call)."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for name, call in re.findall(r"\b(\w+)\.(\w+)\(", text):
            found.setdefault(name, set()).add(call)
    return found


def _flags(call: ast.Call) -> int:
    """The flags a literal `re.…(pattern, …)` call is given (re.S and re.M change what a pattern may cost)."""
    position = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2, "split": 3,
                "sub": 4, "subn": 4}[call.func.attr]  # type: ignore[attr-defined]
    given = [call.args[position]] if len(call.args) > position else [word.value for word in call.keywords if word.arg == "flags"]
    return eval(compile(ast.Expression(given[0]), "<flags>", "eval"), {"re": re}) if given else 0


def _patterns() -> dict[str, tuple[re.Pattern, bool]]:
    """name → (pattern, only ever matched at one start); patterns of bytes (the attachment readers') too."""
    sources = _sources()
    everywhere = _calls(list(sources.values()))
    found: dict[str, tuple[re.Pattern, bool]] = {}
    for module_name, source in sources.items():
        module = importlib.import_module(module_name)
        here = _calls([source])
        for name, value in vars(module).items():
            # A BmpFirst is tried as its pattern with the astral characters, the other's every match's superset.
            value = value.full if isinstance(value, BmpFirst) else value
            if isinstance(value, re.Pattern) and re.search(rf"^\s*{re.escape(name)}\s*[:=]", source, re.M):
                uses = (here if name.startswith("_") else everywhere).get(name, set()) & _CALLS
                found[f"{module_name}.{name}"] = (value, bool(uses) and uses <= _ANCHORED)
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _CALLS and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str | bytes)):
                found[f"{module_name}:{node.lineno}"] = (re.compile(node.args[0].value, _flags(node)), node.func.attr in _ANCHORED)
    return found


PATTERNS = _patterns()
ALPHABET = list(" \t\n\r-—－:：#'\"[]{}()<>=/!,，、。a_Z09０.+eE　\u00a0\u200b|>*&!?%@`\\〔〕年中") + [
    "title", "2021", "- ", ": ", "<!--", "-->", "](", "href=", "items/", "[x]:", "<b>", ".md", "#", "  \n"]


# Shapes that made patterns of ours quadratic or worse: a start token repeated (each start scanning the
# rest of the text), and one start followed by a long run two parts of a pattern can share.
_STARTS = ["href=", "<!--", "[", "[\n", "](", "](<", "[x]: ", ".md#", "中 ", "中\n", " ", "\t", "　", "1 ", "一 ",
           "- ", ": ", "#", "`", "*", "_", "~", "<b>", "&#", "items/", "\\", "a", "<", "x ", "年", "\u200b",
           "0(", "0-"]  # a digit and what two alternatives of a pattern both take (2ⁿ ways to fail a fullmatch)
HOSTILE = {
    **{f"{token!r} repeated": token * (100_000 // len(token)) + "\x00" for token in _STARTS},
    **{f"{start!r} then {run!r} repeated": start + run * 100_000 + "x"
       for start in ("中\n", "中 \n", "中", "a", "[x]:", "](", "<!--")
       for run in (" ", "\t", "　", ">")},
    # A tag opened and never closed: its name and its attributes could each take the same characters (quadratic).
    **{f"{start!r} then {run!r} never closed": start + run * 100_000 for start in ("<Z", "<a ", "</a") for run in ("－", "a")},
    # A CSS escape's hex digits read as fewer digits and letters: exponential where the run cannot end the match.
    "'a' then '\\1a' repeated then '\\'": "a" + "\\1a" * 30_000 + "\\",
}


def _as_text_of(pattern: re.Pattern, text: str) -> str | bytes:
    """`text` as the pattern reads it: a pattern of bytes gets the text's UTF-8 bytes."""
    return text.encode("utf-8", "surrogatepass") if isinstance(pattern.pattern, bytes) else text


def _characters(pattern: re.Pattern) -> set[str]:
    source = pattern.pattern
    return set(source.decode("latin-1") if isinstance(source, bytes) else source) - set("\\")


class _TooSlow(Exception):
    pass


def _too_slow(signum, frame):
    raise _TooSlow  # the regex engine checks for signals while it matches


def _matched_within(pattern: re.Pattern, anchored: bool, text: str | bytes, seconds: float) -> bool:
    """Whether every way the code may use `pattern` (match, fullmatch; search and finditer unless anchored) ends on
    `text` within `seconds`: hypothesis' deadline is judged only once a match returns, so a slow one would hang."""
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        pattern.match(text)
        pattern.fullmatch(text)
        if not anchored:
            pattern.search(text)
            for _ in pattern.finditer(text):
                pass
    except _TooSlow:
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return True


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_hostile_shapes_cost_linear_time(name):
    pattern, anchored = PATTERNS[name]
    # Linear patterns take milliseconds on these 100 KB.
    slow = [shape for shape, hostile in HOSTILE.items() if not _matched_within(pattern, anchored, _as_text_of(pattern, hostile), 1.0)]
    assert not slow


def test_the_patterns_are_found():
    names = set(PATTERNS)
    assert len(PATTERNS) >= 100
    assert {"gongkai.loading._FENCE", "gongkai.lexicon.visible._JOINS", "gongkai.checks.addresses._ITEM_PAGE"} <= names
    assert any(name.startswith("gongkai.importing.markdown:") for name in names)  # literals inside calls too
    assert {"gongkai.search.tokens._SEGMENT", "gongkai.loading._CONTROL"} <= names  # a BmpFirst's pattern too


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=25, deadline=dt.timedelta(seconds=2))
@given(data=st.data(), repeat=st.integers(1000, 10000))
def test_long_inputs_cost_linear_time(name, data, repeat):
    pattern, anchored = PATTERNS[name]
    tokens = st.sampled_from(ALPHABET + sorted(_characters(pattern)))
    prefix = "".join(data.draw(st.lists(tokens, max_size=3), label="prefix"))
    unit = "".join(data.draw(st.lists(tokens, min_size=1, max_size=6), label="unit"))
    tail = data.draw(st.sampled_from(["", "x", "\n", ":", "#", "]", ")", ">", "\x00", "中"]), label="tail")
    text = _as_text_of(pattern, prefix + unit * repeat + tail)  # up to some hundred thousand characters
    if not _matched_within(pattern, anchored, text, 10.0):
        pytest.fail(f"{name} still matching after 10 s on {prefix!r} + {unit!r} × {repeat} + {tail!r}")
