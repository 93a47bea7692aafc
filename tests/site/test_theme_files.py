"""The theme's files MkDocs copies are listed without walking hidden folders (Material's `.icons`), and are the same."""

from __future__ import annotations

import fnmatch

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs import utils
from mkdocs.config import load_config

from gongkai.mkdocs_plugin import _list_visible_theme_files, _VisibleLoader
from tests.projects import REPO


def _copied(name: str) -> bool:
    """MkDocs' own filter of the theme files it copies (`Files.add_files_from_theme`)."""
    patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml"]
    patterns += [f"*{suffix}" for suffix in utils.markdown_extensions]
    return not any(fnmatch.fnmatch(name.lower(), pattern) for pattern in patterns)


def test_the_shipped_theme_lists_the_same_files_as_mkdocs():
    config = load_config(str(REPO / "mkdocs.yml"))
    _list_visible_theme_files(config.theme)
    env = config.theme.get_env()
    assert isinstance(env.loader, _VisibleLoader)
    mkdocs = jinja2.Environment(loader=jinja2.FileSystemLoader(config.theme.dirs))
    assert env.list_templates(filter_func=_copied) == mkdocs.list_templates(filter_func=_copied)
    assert any(name.startswith("assets/") for name in env.list_templates(filter_func=_copied))


_PART = st.sampled_from(["a", "b.css", ".hidden", ".icons", "x.y", "readme.txt", "..z", "c"])


@settings(max_examples=60, deadline=None)
@given(paths=st.lists(st.lists(_PART, min_size=1, max_size=4), max_size=12))
def test_any_tree_lists_the_same_files_as_mkdocs(tmp_path_factory, paths):
    root = tmp_path_factory.mktemp("theme")
    for parts in paths:
        target = root.joinpath(*parts)
        if any(parent.is_file() for parent in target.parents) or target.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x", encoding="utf-8")
    ours = jinja2.Environment(loader=_VisibleLoader([str(root)])).list_templates(filter_func=_copied)
    theirs = jinja2.Environment(loader=jinja2.FileSystemLoader([str(root)])).list_templates(filter_func=_copied)
    assert ours == theirs
