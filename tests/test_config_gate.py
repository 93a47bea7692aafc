"""mkdocs.yml is judged before MkDocs reads it: nothing in it runs code, reads other files into pages
or publishes the environment, however it is spelled, and every such line is named at once."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import config_gate
from gongkai.site_config import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[1]
HEAD = "site_name: 测试\ndocs_dir: docs\nplugins:\n  - gongkai\n"


def _command(marker: Path) -> str:
    return f'["touch {marker}"]'


# Ways YAML lets a document name a Python constructor: shorthand, verbatim, a %TAG handle.
PYTHON_TAGS = [
    ("", "!!python/object/apply:os.system {args}"),
    ("", "!<tag:yaml.org,2002:python/object/apply:os.system> {args}"),
    ("%TAG !p! tag:yaml.org,2002:python/\n---\n", "!p!object/apply:os.system {args}"),
    ("", "!!python/object/new:os.system {args}"),
    ("", "!!python/name:os.system"),
]


@st.composite
def hidden_python(draw, marker: Path) -> tuple[str, int]:
    """A mkdocs.yml with a Python tag somewhere (a value, a list, a key, behind an anchor), and its line."""
    directive, tagged = draw(st.sampled_from(PYTHON_TAGS))
    value = tagged.format(args=_command(marker))
    place = draw(st.sampled_from(["value", "list", "anchor", "nested"]))
    head = directive + HEAD
    line = head.count("\n") + 2
    if place == "value":
        body = f"extra:\n  x: {value}\n"
    elif place == "list":
        body = f"extra:\n  x:\n    - 1\n    - {value}\n"
        line += 2
    elif place == "anchor":
        body = f"extra:\n  x: &a {value}\n  y: *a\n"
    else:
        body = f"extra:\n  a:\n    b:\n      c: {value}\n"
        line += 2
    return head + body, line


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_python_tag_is_refused_before_it_runs(tmp_path, data):
    marker = tmp_path / "ran"
    text, line = data.draw(hidden_python(marker))
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    with pytest.raises(SettingsError, match=rf"mkdocs.yml:{line}: 不能使用 !!python 标签"):
        load_settings(tmp_path)
    assert not marker.exists()


def test_hooks_inherit_env_plugins_and_snippets_are_refused_each_at_its_line(tmp_path):
    hook = tmp_path / "hook.py"
    marker = tmp_path / "ran"
    hook.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [CI_DEPLOY_TOKEN, 测试]\n"
        "docs_dir: docs\n"
        "hooks:\n  - hook.py\n"
        "plugins:\n  - gongkai\n  - search\n  - material/info:\n      enabled: true\n"
        "markdown_extensions:\n  - tables\n  - pymdownx.snippets:\n      base_path: [content]\n",
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as raised:
        load_settings(tmp_path)
    message = str(raised.value)
    for line, words in ((1, "!ENV"), (3, "hooks"), (7, "search"), (8, "material/info"), (12, "pymdownx.snippets")):
        assert f"mkdocs.yml:{line}: " in message and words in message, (line, words, message)
    assert not marker.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_the_file_is_judged_in_the_encoding_mkdocs_reads_it_in(tmp_path, encoding):
    marker = tmp_path / "ran"
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_bytes((HEAD + f"extra:\n  x: !!python/object/apply:os.system {_command(marker)}\n").encode(encoding))
    with pytest.raises(SettingsError, match="mkdocs.yml:6: 不能使用 !!python 标签"):
        load_settings(tmp_path)
    assert not marker.exists()


def test_inherit_is_refused(tmp_path):
    assert [line for line, _ in config_gate.refusals("INHERIT: content/base.yml\n" + HEAD)] == [1]


def test_the_sample_and_ordinary_settings_pass():
    assert config_gate.refusals((REPO / "mkdocs.yml").read_text(encoding="utf-8")) == []
    ordinary = (HEAD + "markdown_extensions:\n  - toc:\n      permalink: false\n  - footnotes\n"
                "extra:\n  when: 2024-01-01\n  n: 1.5\n  flag: true\n  path: !relative $config_dir\n")
    assert config_gate.refusals(ordinary) == []


def test_aliases_are_walked_once_and_broken_yaml_is_left_to_mkdocs():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(12))
    started = time.process_time()
    assert [reason[:10] for _line, reason in config_gate.refusals(laughs)] == ["YAML 锚点和别名"]  # 9^13 values, never expanded
    assert time.process_time() - started < 1
    assert config_gate.refusals("a: [unclosed\n") == []
    assert config_gate.refusals("[" * 5000) == [(1, "嵌套层次过深，无法读取")]


@pytest.mark.parametrize("name", ["pymdownx.snippets", "pymdownx.b64", "pymdownx.snippets:makeExtension", "mdx_include",
                                  "markdown_include.include", "material.extensions.preview", "my_agency.include"])
def test_only_extensions_known_to_read_nothing_but_the_body_are_accepted(name):
    """An extension that pastes a file (a withheld item, a register) into a body publishes text no review
    digest covers; one gongkai does not know might, so it is refused too, at its line."""
    [(line, reason)] = config_gate.refusals(HEAD + f"markdown_extensions:\n  - tables\n  - {name}\n")
    assert line == 7 and name in reason


@pytest.mark.parametrize("name", ["tables", "markdown.extensions.toc", "markdown.extensions.toc:TocExtension", "admonition",
                                  "md_in_html", "abbr", "pymdownx.superfences", "pymdownx.tilde", "pymdownx.blocks.html"])
def test_extensions_that_read_only_the_body_pass(name):
    assert config_gate.refusals(HEAD + f"markdown_extensions:\n  - {name}\n") == []
    assert config_gate.refusals(HEAD + f"markdown_extensions:\n  - {name}: {{}}\n") == []


@pytest.mark.parametrize("data, line, words", [
    (HEAD.encode("gbk") + "extra:\n  x: 青禾县\n".encode("gbk"), 1, "GBK"),
    (HEAD.encode() + b"extra:\n  x: \xff\xfe\n", 6, "不是 UTF-8"),
    (HEAD.encode() + b"extra:\n  x: a\x00b\n", 6, "U+0000"),
    (HEAD.encode() + b"extra:\n  x: a\x1bb\n", 6, "U+001B"),
    (HEAD.encode() + b"extra:\n  x: [unclosed\n", 7, "YAML 写法有误"),
    (HEAD.encode() + b"extra:\n  x: 'open\n", 7, "YAML 写法有误"),
    (HEAD.encode() + b"extra:\n x: 1\n  y: 2\n", 7, "YAML 写法有误"),
    (b"[" * 100_000, 1, "YAML 写法有误"),
])
def test_bytes_mkdocs_could_not_read_are_named_in_chinese_at_their_line(tmp_path, data, line, words):
    """MkDocs says these in PyYAML's English ("unacceptable character #x00c7"); the gate says them first."""
    (tmp_path / "mkdocs.yml").write_bytes(data)
    (tmp_path / "docs").mkdir()
    with pytest.raises(SettingsError, match=rf"mkdocs.yml:{line}: .*{re.escape(words)}"):
        load_settings(tmp_path)


def test_what_mkdocs_reads_passes_the_readability_check():
    assert config_gate.unreadable((REPO / "mkdocs.yml").read_bytes()) is None
    assert config_gate.unreadable((HEAD + "extra:\n  x: 青禾县\n").encode("utf-16")) is None
    assert config_gate.unreadable(b"\xef\xbb\xbf" + HEAD.encode() + b"a: \xe2\x80\xa8\n") is None  # U+2028 is YAML



def test_a_mkdocs_yml_of_many_megabytes_is_refused_before_it_is_parsed(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(HEAD + "extra:\n  x: [" + "1, " * 2_000_000 + "1]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="mkdocs.yml 超过 1024 KB"):
        load_settings(tmp_path)


@pytest.mark.parametrize(("text", "expected"), [
    ("plugins:\n  - gongkai\n", "content"),
    ("plugins:\n  - search\n  - gongkai:\n      content_dir: data\n", "data"),
    ("plugins:\n  gongkai:\n    content_dir: x/y\n", "x/y"),
    ("plugins:\n  gongkai:\n", "content"),
    ("plugins:\n  - gongkai: {page_size: 3}\n", "content"),
    ("plugins: [search]\n", None),
    ("site_name: x\n", None),
    ("plugins: [\n", None),
    ("plugins:\n  - gongkai:\n      content_dir: !!python/object/apply:os.system [echo]\n", None),
])
def test_content_dir_is_read_without_constructing_anything(text, expected):
    """`check --base` reads REF's content_dir from a mkdocs.yml no check has judged: composed, never loaded."""
    assert config_gate.content_dir(text) == expected



def test_content_dir_of_a_mkdocs_yml_whose_aliases_expand_past_the_bound_is_none():
    """REF's mkdocs.yml is read by `check --base` before anything judges it: a `plugins` list of one alias repeated,
    of a mapping with many keys, was walked pair by pair into one list (150,000 × 40,000 in 1 MB: 6 billion pairs)."""
    import time

    text = ("x: &a {gongkai: {content_dir: data}, " + ", ".join(f"k{i}: 1" for i in range(5000)) + "}\n"
            "plugins: [" + ", ".join(["*a"] * 5000) + "]\n")
    started = time.process_time()
    assert config_gate.content_dir(text) is None  # as the gate refuses it, and MkDocs could not read it
    assert time.process_time() - started < 2

# What a merge key can bring in: every key the gate judges, directly, behind an anchor, or from a list of mappings.
MERGED = [
    "<<: {{{key}}}\n",
    "x: &a {{{key}}}\n<<: *a\n",
    "x: &a {{{key}}}\ny: &b {{site_author: t}}\n<<: [*b, *a]\n",
    "extra:\n  <<: {{{key}}}\n",  # deeper: refused all the same, wherever it is
    "!!merge m: {{{key}}}\n",
]
MERGED_KEYS = ["hooks: [hook.py]", "INHERIT: base.yml", "plugins: [gongkai, search]",
               "markdown_extensions: [pymdownx.snippets]"]


@pytest.mark.parametrize("form", MERGED)
@pytest.mark.parametrize("key", MERGED_KEYS)
def test_a_merge_key_is_refused_whatever_it_brings(tmp_path, form, key):
    """Composing shows a merge key as the key `<<`; MkDocs' loader merges the other mapping's keys in: `hooks`
    came in this way and ran a committed Python file, `pymdownx.snippets` pasted a register into a page."""
    hook = tmp_path / "hook.py"
    marker = tmp_path / "ran"
    hook.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(HEAD.replace("plugins:\n  - gongkai\n", "") + form.format(key=key),
                                         encoding="utf-8")
    with pytest.raises(SettingsError, match="合并键"):
        load_settings(tmp_path)
    assert not marker.exists()


@pytest.mark.parametrize("tail", [
    "x0: &a0 [1,1,1,1,1,1,1,1,1]\n" + "".join(f"x{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]\n" for n in range(1, 10)),
    "x0: &a0 {a: 1, b: 2, c: 3}\n" + "".join(f"x{n}: &a{n} {{" + ", ".join(f"k{k}: *a{n - 1}" for k in range(9)) + "}\n"
                                           for n in range(1, 10)),
    "loop: &l [1, *l]\n",
])
def test_aliases_that_expand_without_bound_are_refused_at_once(tmp_path, tail):
    """A few hundred bytes of aliases, each repeating the one before nine times: MkDocs writes every setting into a
    debug message as it loads, expanding them (9^10 values: minutes and gigabytes, then every CI job and takedown
    stopped). Refused before MkDocs reads the file, within a second, naming the anchor's line."""
    (tmp_path / "docs").mkdir()
    text = HEAD + tail
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    started = time.process_time()
    with pytest.raises(SettingsError, match="锚点和别名") as refused:
        load_settings(tmp_path)
    assert time.process_time() - started < 5
    assert "mkdocs.yml:" in str(refused.value)


def test_aliases_of_a_bounded_size_are_read():
    assert config_gate.refusals(HEAD + "copyright: &c 版权所有\nextra:\n  owner: *c\n  list: &l [1, 2]\n  again: *l\n") == []


def test_a_second_document_is_named_in_chinese():
    assert config_gate.unreadable((HEAD + "---\nhooks: [hook.py]\n").encode()) == (
        5, "有第二个 YAML 文档（以 --- 开始）：mkdocs.yml 只能有一个文档，请删除这一行之后的内容或把设置并入前面")
    assert config_gate.unreadable(("---\n" + HEAD).encode()) is None


@pytest.mark.parametrize(("limits", "refused"), [
    ("{item_mb: 0}", "item_mb 必须是 1 至 1024 的整数"), ("{attachment_mb: -1}", "attachment_mb 必须是 1 至 10240 的整数"),
    ("{item_mb: 100000000000000000000}", "item_mb 必须是 1 至 1024"), ("{attachment_mb: 10241}", "attachment_mb 必须是 1 至 10240"),
])
def test_size_limits_out_of_range_are_named_in_chinese(tmp_path, limits, refused):
    """A limit of 2^44 MB or more ended every check in an internal error (OverflowError) where the caches store it."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(HEAD.replace("  - gongkai\n", f"  - gongkai:\n      limits: {limits}\n"),
                                         encoding="utf-8")
    with pytest.raises(SettingsError, match=f"^mkdocs.yml:\\d+: gongkai 插件的 limits.{refused}"):  # its line named
        load_settings(tmp_path)


DIGITS = 5_001  # one more than Python turns into text (sys.get_int_max_str_digits), as in the report
# A line appended to a mkdocs.yml, and English MkDocs said of it (PyYAML's constructors or Python's), without a line:
UNBUILDABLE = [
    ("zz: 2025-01-01T25:00:00+14:00\n", "不是真实存在的日期时间", "hour must be in 0..23"),
    ("zz: 0000-01-01\n", "“0000-01-01”不是真实存在的日期", "year 0 is out of range"),
    ("zz: 1" + "9" * (DIGITS - 1) + "\n", "超过 4,300 位", "Exceeds the limit"),
    ("? [1, 2]\n: 3\n", "键是一个列表或映射", "found unhashable key"),
    ("zz: 0x" + "f" * DIGITS + "\n", "超过 4,300 位", "Exceeds the limit"),
    ("zz: 2025-02-30\n", "不是真实存在的日期", "day is out of range for month"),
    ("zz: 2025-01-01 10:00:00 +24:00\n", "不是真实存在的日期时间", "offset must be a timedelta"),
    ("zz: !!bool maybe\n", "不能读作是/否值", "KeyError"),  # an internal error before
    ("zz: !!timestamp x\n", "不是 YYYY-MM-DD 格式", "AttributeError"),  # an internal error before
    ("zz: !!int abc\n", "不能读作整数", "invalid literal for int()"),
    ("zz: !!seq abc\n", "只能用于列表", "expected a sequence node"),
    ("zz: !!omap [1]\n", "每一项都必须是一个“键: 值”", "expected a mapping of length 1"),
    ("? {a: 1}\n: 3\n", "键是一个列表或映射", "found unhashable key"),
    ("1: x\n", "键必须是文字，这里是数字 1", ""),
    ("extra:\n  2025-01-01: x\n", "键必须是文字，这里是日期 2025-01-01", ""),
]
ENGLISH = re.compile(r"[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}")  # three English words in a row: PyYAML's or Python's text


@pytest.mark.parametrize(("tail", "words", "english"), UNBUILDABLE)
def test_values_mkdocs_cannot_build_are_named_in_chinese_at_their_line(tmp_path, tail, words, english):
    """A date that does not exist, an integer Python will not turn into text, a key that is a list: MkDocs' loader
    stopped on each in PyYAML's English, most without a line; the gate names it first, as content files do."""
    (tmp_path / "docs").mkdir()
    text = HEAD + tail
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    line = HEAD.count("\n") + (2 if tail.startswith("extra:") else 1)
    with pytest.raises(SettingsError) as refused:
        load_settings(tmp_path)
    message = str(refused.value)
    assert message.startswith("mkdocs.yml 无法读取：\n"), message
    assert f"mkdocs.yml:{line}: " in message and words in message, message
    assert "MkDocs：" not in message and not ENGLISH.search(message), message
    assert not english or english not in message


def test_values_mkdocs_builds_pass():
    ordinary = (HEAD + "extra:\n  when: 2024-02-29\n  at: 2025-01-01T23:59:59+14:00\n  n: 1" + "9" * 4299 + "\n"
                "  hex: 0xff\n  base60: 190:20:30\n  big: 1e99999\n  nan: .nan\n  flag: !!bool yes\n  text: !!str 1\n"
                "  pairs: !!omap [a: 1, b: 2]\n  set: !!set {a, b}\n  \"1\": quoted\n  none: !!null x\n")
    assert config_gate.unbuildable(ordinary) == []
    assert config_gate.unbuildable((REPO / "mkdocs.yml").read_bytes()) == []
    assert config_gate.unbuildable("a: [unclosed\n") == []  # `unreadable` names it


def test_a_long_base_60_integer_is_refused_without_building_it():
    """PyYAML builds `1:0:0:…` part by part, each product longer than the one before: quadratic in its length."""
    started = time.process_time()
    [(line, reason)] = config_gate.unbuildable(HEAD + "zz: 1" + ":00" * 300_000 + "\n")
    assert line == 5 and "超过 4,300 位" in reason
    assert time.process_time() - started < 2


def _mkdocs_builds(text: str) -> bool:
    """Whether MkDocs' own loader builds `text`, and its values can be written as text (MkDocs logs every setting)."""
    from mkdocs.utils.yaml import get_yaml_loader

    try:
        str(yaml.load(text, Loader=get_yaml_loader()))  # MkDocs' own loader, on values drawn here
    except Exception:  # noqa: BLE001 — any failure is one MkDocs would report
        return False
    return True


@st.composite
def scalar_values(draw) -> str:
    """A value YAML may read as a date, a time, a number or a tagged scalar, often one that does not exist."""
    kind = draw(st.sampled_from(["date", "time", "int", "tagged"]))
    if kind in ("date", "time"):
        year, month, day = draw(st.integers(0, 9999)), draw(st.integers(0, 13)), draw(st.integers(0, 32))
        value = f"{year:04d}-{month:02d}-{day:02d}"
        if kind == "time":
            hour, minute, second = draw(st.integers(0, 99)), draw(st.integers(0, 99)), draw(st.integers(0, 99))
            value += f"{draw(st.sampled_from(['T', ' ', 't']))}{hour:02d}:{minute:02d}:{second:02d}"
            value += draw(st.sampled_from(["", "Z", "+08:00", "-23:59", "+24:00", " +99"]))
        return value
    if kind == "int":
        digits = draw(st.sampled_from([1, 20, 4_300, 4_301, 5_001, 3_700]))
        prefix = draw(st.sampled_from(["", "-", "0x", "0b", "0o", "+"]))
        return prefix + "1" + "0" * (digits - 1)
    tag = draw(st.sampled_from(["int", "float", "bool", "null", "timestamp", "binary", "str"]))
    return f"!!{tag} " + draw(st.sampled_from(["abc", "1.5", "12", "yes", "maybe", "2025-01-01", "2025-13-01", "''", "QUJD", "1_0"]))


@settings(max_examples=150, deadline=None)
@given(value=scalar_values())
def test_the_gate_refuses_a_value_exactly_when_mkdocs_cannot_build_it(value):
    text = HEAD + f"extra:\n  zz: {value}\n"
    found = config_gate.unbuildable(text)
    assert (found == []) == _mkdocs_builds(text), (value, found)
    assert all(line == 6 and not ENGLISH.search(reason) for line, reason in found), found


@pytest.mark.parametrize("text", ["42\n", "true\n", "3.5\n", "2026-01-01\n", "!!binary aGVsbG8=\n", "hello\n",
                                  '"只有一句话"\n', "- site_name: x\n- plugins: [gongkai]\n", "[a, b]\n"])
def test_a_file_that_is_not_settings_at_all_is_said_in_chinese_at_its_line(tmp_path, text):
    """mkdocs.yml holding one number, date, text or a list (a half-pasted file, a wrong file saved over it): MkDocs
    stopped with an internal TypeError (a number, a date, bytes) or its English “Expected a key-value mapping”."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        load_settings(tmp_path)
    message = str(refused.value)
    assert message.startswith("mkdocs.yml 无法读取：\n  mkdocs.yml:1: "), message
    assert "site_name" in message and "MkDocs：" not in message and not ENGLISH.search(message), message


def test_a_count_out_of_range_is_named_at_its_line(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(HEAD.replace("  - gongkai\n", "  - gongkai:\n      page_size: 0\n"), encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^mkdocs.yml:\d+: gongkai 插件的 page_size 必须是正整数"):
        load_settings(tmp_path)
