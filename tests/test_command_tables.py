"""README's and the 编辑手册's tables of commands name every option each command takes, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.cli import main

ROOT = Path(__file__).resolve().parents[1]
_COMMAND = re.compile(r"`gongkai (\w+)([^`]*)`")


def _documented(document: str) -> dict[str, set[str]]:
    """Command → the long options its table rows show (`| \\`gongkai review PATH --level …\\` | … |`)."""
    found: dict[str, set[str]] = {}
    for line in (ROOT / document).read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            for name, rest in _COMMAND.findall(line):
                found.setdefault(name, set()).update(re.findall(r"--[a-z][a-z-]*", rest))
    return found


@pytest.mark.parametrize("document", ["README.md", "docs/编辑手册.md"])
def test_every_commands_options_are_in_the_tables(document):
    documented = _documented(document)
    for name, command in main.commands.items():
        taken = {opt for param in command.params for opt in param.opts if opt.startswith("--")} - {"--help"}
        assert name in documented, f"{document}: no row for gongkai {name}"
        assert taken <= documented[name], f"{document}: gongkai {name} takes {sorted(taken - documented[name])}"
        assert documented[name] <= taken, f"{document}: gongkai {name} does not take {sorted(documented[name] - taken)}"


def test_every_plugin_option_is_in_the_it_guides_configuration():
    """docs/网站.md's mkdocs.yml example shows every option of the gongkai plugin and of its sections."""
    from gongkai.mkdocs_plugin import GongkaiConfig

    shown = (ROOT / "docs/网站.md").read_text(encoding="utf-8").split("## 3. mkdocs.yml 中的配置", 1)[1].split("```")[1]
    written = set(re.findall(r"^ *([a-z_]+):", shown, re.MULTILINE))
    for name, option in GongkaiConfig._schema:
        assert name in written, name
        section = getattr(option, "config_class", None)
        for sub, _ in section._schema if section is not None else ():
            assert sub in written, f"{name}.{sub}"


def test_the_guides_name_every_error_that_does_not_stop_publishing():
    """The 编辑手册's word before the code table and docs/网站.md's build steps list the errors a build publishes
    despite: an office reading either must find every one the build lets through."""
    from gongkai.rules import all_rules

    letting_through = {rule.code for rule in all_rules() if rule.severity == "error" and not rule.blocks_publishing}
    guide = (ROOT / "docs/编辑手册.md").read_text(encoding="utf-8")
    before_table = guide[guide.index("## 五、检查代码一览"):guide.index("<!-- 以下由 `gongkai rules")]
    steps = (ROOT / "docs/网站.md").read_text(encoding="utf-8").split("## 5. 构建过程", 1)[1].split("\n2. ", 1)[0]
    for text in (before_table, steps):
        assert letting_through <= set(re.findall(r"GK\d{3}", text)), sorted(letting_through - set(re.findall(r"GK\d{3}", text)))


def test_every_section_a_message_names_is_in_the_guide():
    """A message saying “见编辑手册“审查人与签名密钥”” sent the office to a section the guide calls 审查人名册与签名密钥:
    each section the code names is a heading (or a bold paragraph label) of the 编辑手册."""
    guide = (ROOT / "docs/编辑手册.md").read_text(encoding="utf-8")
    labels = [line for line in guide.splitlines() if line.startswith("#")] + re.findall(r"\*\*([^*]+)\*\*", guide)
    named = set()
    for path in (ROOT / "generator").rglob("*.py"):
        named |= set(re.findall(r"编辑手册(?:第[^“]{1,6})?“([^”]{2,30})”", path.read_text(encoding="utf-8")))
    assert named, "no section named: the pattern no longer matches the messages"
    assert [name for name in sorted(named) if not any(name in label for label in labels)] == []
