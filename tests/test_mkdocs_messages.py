"""MkDocs' complaints about mkdocs.yml reach people in Chinese, at their line, never as a traceback."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.mkdocs_messages import explain
from gongkai.problems import NOT_SHOWN
from gongkai.rendering import Renderer
from gongkai.site_config import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[1]
SAMPLE = (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def _line_of(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# (what is changed in the sample's mkdocs.yml, the line it is on, what the message must say)
MISTAKES = [
    (("  - tables\n", "  - tables:\n      bogus: 1\n"), "  - tables:", "tables 没有选项“bogus”"),
    (("      permalink: false\n", "      permalink: false\n      baselevel: x\n"), "  - toc:", "Markdown 扩展 toc 无法加载（ValueError"),
    (("site_name: 青禾县住房和城乡建设局\n", "site_name:\n"), "site_name:", "缺少这一项"),
    (("site_url: https://zjj.qinghe.gov.cn/\n", "site_url: zjj.qinghe.gov.cn\n"), "site_url:", "https:// 开头的网址"),
    (("docs_dir: theme_overrides/docs\n", "docs_dir: nowhere\n"), "docs_dir:", "目录“"),
    (("  name: material\n", "  name: materia\n"), "theme:", "没有名为“materia”的主题"),
    (("validation:\n", "site_dir: [1]\nvalidation:\n"), "site_dir:", "应当是一段文字"),
    (("markdown_extensions:\n", "markdown_extensions: 5\nunused:\n"), "markdown_extensions:", "应当是一个列表"),
    # a section of the plugin written as one value: MkDocs' English said “Expected a key-value mapping (dict)”
    (("      search_index: true", "      limits: 5\n      search_index: true"), "      limits: 5", "应当是“名称: 值”的若干行"),
    # Options that load but fail as soon as a body holds what they act on: a code block, a footnote.
    (("  - tables\n", "  - tables\n  - codehilite:\n      pygments_style: 没有这个样式\n"), "  - codehilite:",
     "Markdown 扩展 codehilite 无法加载（ClassNotFound"),
    (("  - footnotes\n", "  - footnotes:\n      BACKLINK_TEXT: 5\n"), "  - footnotes:", "Markdown 扩展 footnotes 无法加载（TypeError"),
    # And as soon as a body holds pymdownx's own constructs: inline code with a language.
    (("  - tables\n", "  - tables\n  - pymdownx.inlinehilite:\n      css_class: 5\n"), "  - pymdownx.inlinehilite:",
     "Markdown 扩展 pymdownx.inlinehilite 无法加载（TypeError"),
]


@pytest.mark.parametrize(("edit", "start", "meaning"), MISTAKES)
def test_each_complaint_names_its_line_in_chinese(tmp_path, edit, start, meaning):
    old, new = edit
    assert old in SAMPLE
    text = SAMPLE.replace(old, new, 1)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    (tmp_path / "theme_overrides" / "docs").mkdir(parents=True)
    with pytest.raises(SettingsError) as raised:
        load_settings(tmp_path)
    message = str(raised.value)
    assert f"mkdocs.yml:{_line_of(text, start)}: " in message and meaning in message
    assert "Traceback" not in message and 'File "' not in message and "Config value" not in message


def test_a_complaint_nobody_translated_keeps_mkdocs_words_and_says_what_to_do():
    message = explain("Config value 'theme': Something new went wrong.", "theme:\n  name: material\n")
    assert message == "mkdocs.yml:1: theme：设置有误（MkDocs：Something new went wrong.）：请对照 docs/网站.md 或示例站点的 mkdocs.yml 修改"


def test_a_plugin_option_is_found_under_its_plugin():
    source = "site_name: x\nplugins:\n  - gongkai:\n      content_dir: content\n      footr: 1\n"
    message = explain("Config value 'plugins': Plugin 'gongkai' option 'footr': Unrecognised configuration name: footr", source)
    assert message.startswith("mkdocs.yml:5: plugins.gongkai.footr：MkDocs 不认识这一项")


def test_a_message_not_about_a_setting_is_left_as_it_is():
    assert explain("Aborted with 1 configuration errors!") == "Aborted with 1 configuration errors!"


@given(st.text(), st.one_of(st.none(), st.text(), st.binary()))
def test_any_message_and_any_file_give_one_answer(message, source):
    answer = explain(message, source)
    assert isinstance(answer, str)
    if answer != message:  # what it wrote never moves a terminal (mkdocs.yml's names and values quoted)
        assert not NOT_SHOWN.search(answer)
    if re.match(r"Config value '[^'\n]*': ", message):
        assert answer.startswith("mkdocs.yml")


@given(st.text())
def test_what_a_build_echoes_of_mkdocs_log_never_moves_a_terminal(message):
    """A build shows MkDocs' warnings as they come (a page's broken link, with its address as written) and names its
    errors in the failure: neither may carry a control character, escape sequence or bidirectional mark."""
    import logging

    from gongkai.site_config import mkdocs_logging

    shown: list[str] = []
    with mkdocs_logging(shown.append) as failures:
        logging.getLogger("mkdocs.test").warning("Doc file 'a.md' contains a link '%s'", message)
    assert len(shown) == 1 and not failures and not NOT_SHOWN.search(shown[0].removeprefix("警告："))


# The sample's bodies, and one with what they lack: code blocks, a footnote, headings at every level, a tab, inline code
# with a language.
BODIES = [path.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for path in sorted((REPO / "content").rglob("*.md"))] + [
    "# 一\n\n## 二\n\n###### 六\n\n```python\nprint('代码')\n```\n\n    缩进代码\n\n说明[^1]，“引号”--破折号 [[链接]] HTML。\n\n"
    "*[HTML]: 超文本\n\n[^1]: 脚注。\n\n=== \"甲\"\n    标签页\n\n`#!python print(1)`\n"]
# Extensions mkdocs.yml may name, and options each of them has.
EXTENSION_OPTIONS = {
    "codehilite": ["pygments_style", "linenums", "css_class", "noclasses", "guess_lang", "lang_prefix", "use_pygments"],
    "pymdownx.highlight": ["pygments_style", "linenums", "css_class", "noclasses", "guess_lang", "use_pygments"],
    "footnotes": ["BACKLINK_TEXT", "BACKLINK_TITLE", "SUPERSCRIPT_TEXT", "SEPARATOR", "PLACE_MARKER"],
    "toc": ["marker", "title", "anchorlink", "permalink", "baselevel", "separator", "toc_depth"],
    "tables": ["use_align_attribute"],
    "abbr": ["glossary"],
    "smarty": ["smart_quotes", "substitutions"],
    "wikilinks": ["base_url", "end_url", "html_class"],
    "pymdownx.inlinehilite": ["css_class", "style_plain_text", "use_pygments"],
    "pymdownx.tabbed": ["slugify", "separator", "alternate_style", "combine_header_slug"],
}
OPTION_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 7), st.text(max_size=12),
                          st.lists(st.integers(0, 3), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(EXTENSION_OPTIONS)), st.data())
def test_whatever_an_extension_is_given_the_bodies_render_or_mkdocs_yml_is_refused(tmp_path, extension, data):
    """An option that loads but breaks rendering is refused with mkdocs.yml's line, never an internal error on an item."""
    options = data.draw(st.dictionaries(st.sampled_from(EXTENSION_OPTIONS[extension]), OPTION_VALUES, min_size=1, max_size=3))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "theme_overrides" / "docs").mkdir(parents=True)
    listed = yaml.safe_dump([{extension: options}], allow_unicode=True).replace("\n", "\n  ")
    (folder / "mkdocs.yml").write_text(SAMPLE.replace("markdown_extensions:\n", f"markdown_extensions:\n  - fenced_code\n  {listed}\n", 1),
                                       encoding="utf-8")
    try:
        loaded = load_settings(folder)
    except SettingsError as refused:
        assert "mkdocs.yml" in str(refused) and "Traceback" not in str(refused)
        return
    renderer = Renderer(loaded.markdown)
    for body in BODIES:
        renderer.render(body)


@pytest.mark.parametrize("extension", [
    "  - abbr:\n      glossary:\n        \"2026\": 1\n",  # a title that is no text, on every body with the year
    "  - abbr:\n      glossary:\n        示例词: [1]\n",
])
def test_an_option_keyed_on_a_word_is_tried_on_that_word(tmp_path, extension):
    """An option acting only where a body holds its word failed on the items, an internal error of every command."""
    (tmp_path / "theme_overrides" / "docs").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(SAMPLE.replace("markdown_extensions:\n", f"markdown_extensions:\n{extension}", 1),
                                         encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        load_settings(tmp_path)
    assert re.search(r"mkdocs\.yml:\d+: markdown_extensions\.abbr：Markdown 扩展 abbr 无法加载", str(refused.value))
