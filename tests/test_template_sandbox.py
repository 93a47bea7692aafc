"""A template committed to theme_overrides/ renders in Jinja's sandbox: it can print what pages and
settings hold, never reach Python's internals (run a command, read the environment) from the build."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sys
from collections import UserDict
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai import memory_budget, template_sandbox
from gongkai.commands.build import BuildFailed
from gongkai.template_sandbox import template_failure
from tests.projects import REPO, SECRET_MARKERS, build, make_project

# Ways out of a Jinja template to Python: each would touch MARKER if it got there.
# A template's source held in a template string, its delimiters joined at run time: written out, they are GK543 before
# the sandbox is ever reached.
INNER = "(\"{\" ~ \"{ lipsum.__globals__.os.system('touch MARKER') }\" ~ \"}\")"
ESCAPES = [
    "{{ lipsum.__globals__.os.system('touch MARKER') }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ joiner.__init__.__globals__['os'].system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}{{ lipsum|attr('__globals__') }}",
    "{{ config|attr('__init__')|attr('__globals__') }}{{ lipsum.__globals__.os.system('touch MARKER') }}",
    "{% set f = lipsum.__globals__ %}{{ f.os.system('touch MARKER') }}",
    "{{ self._TemplateReference__context.lipsum.__globals__.os.system('touch MARKER') }}",
    "{{ page.__class__.__init__.__globals__['os'].system('touch MARKER') }}{{ lipsum.__globals__.os }}",
    "{{ config.__class__.__init__.__globals__['os'].environ }}{{ lipsum.__globals__.os.system('touch MARKER') }}",
    "{{ '{0.__init__.__globals__}'.format(lipsum) }}{{ lipsum.__globals__.os.system('touch MARKER') }}",
    # Methods of what a template is given: MkDocs' own environment is outside the sandbox.
    "{{ config.theme.get_env().from_string(" + INNER + ").render() }}",
    "{% set e = config.theme.get_env() %}{{ e.from_string(" + INNER + ").render() }}",
    # gk_cache calls what it is handed outside the sandbox's checks: only a {% call %} block's own macro.
    "{{ gk_cache('a', config.theme.get_env).from_string(" + INNER + ").render() }}",
    "{{ gk_cache('', config.plugins.events['post_build'].clear) }}",
    "{{ gk_cache('', [].clear) }}{{ gk_cache('k', range) }}",
    "{{ config.plugins.run_event('startup', command='build', dirty=False) }}{{ lipsum.__globals__.os.system('touch MARKER') }}",
    "{{ config.theme.get_env().loader.get_source(None, 'main.html') }}{{ lipsum.__globals__.os.system('touch MARKER') }}",
]


def tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@contextlib.contextmanager
def announcing(project, block: str) -> Iterator[int]:
    """main.html with `block` as its announce block while the test builds (restored after); yields that line."""
    main = project.root / "theme_overrides" / "main.html"
    shipped = main.read_text(encoding="utf-8")
    start = shipped.index("{% block")
    main.write_text(shipped[:start] + "{% block announce %}" + block + "{% endblock %}\n" + shipped[start:], encoding="utf-8")
    try:
        yield shipped[:start].count("\n") + 1
    finally:
        main.write_text(shipped, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    fixture = make_project(tmp_path_factory.mktemp("sandbox") / "project", news=2)
    (fixture.root / "theme_overrides").unlink()  # a copy of our own, to be edited
    shutil.copytree(REPO / "theme_overrides", fixture.root / "theme_overrides")
    build(fixture, fixture.root / "site")
    return fixture


@pytest.mark.parametrize("escape", ESCAPES)
def test_no_template_reaches_python(project, escape, monkeypatch):
    monkeypatch.chdir(project.root)  # where MARKER would be made
    before = tree(project.root / "site")
    with announcing(project, escape) as line, pytest.raises(BuildFailed) as failed:
        build(project, project.root / "site")
    assert not (project.root / "MARKER").exists()
    assert f"theme_overrides/main.html:{line}: 模板访问了不允许模板使用的内容" in str(failed.value)
    assert tree(project.root / "site") == before


def _probe_text(project, probe: str) -> str | None:
    """The text of the home page's #probe element, built with `probe` announced on every page (None: no such element)."""
    with announcing(project, probe):
        built = build(project, project.root / "site")
    probed = built.page("").css_first("#probe")
    return None if probed is None else probed.text()


@pytest.mark.filterwarnings("ignore:user_configs:DeprecationWarning")  # MkDocs warns as the sandbox looks
def test_what_the_sandbox_hides_prints_nothing(project):
    """Python's objects, and mkdocs.yml as written (`user_configs`: the plugin's settings, such as the members' site's
    intranet address, which the scans read only where a page shows them)."""
    probe = ("<i id=probe>{{ config.__class__ }}|{{ '{0.__class__}'.format(config) }}|{{ config.user_configs }}"
             "{% for c in config.user_configs %}{{ c }}{% endfor %}|{{ config.site_name }}</i>")
    assert _probe_text(project, probe) == "|||青禾县住房和城乡建设局"  # the settings, not Python's objects


def test_a_setting_read_as_an_attribute_is_its_key_and_nothing_else(project):
    """`config.x` reads the key x at once (Material does so dozens of times a page), and a name that is no key of the
    settings stays what Jinja's sandbox makes it: private names, the theme's methods and machine paths are undefined,
    the mapping's own methods stay methods."""
    probe = ("<i id=probe>{{ config._settings }}|{{ config.theme._vars }}|{{ config.theme.get_env }}|{{ config.site_dir }}|"
             "{{ 'site_dir' in config }}|{{ 'features' in config.theme }}|{{ config.theme.language }}|"
             "{{ config.items is callable }}|{{ config.nosuchkey is defined }}|{{ config.site_name }}</i>")
    assert _probe_text(project, probe) == "||||False|True|zh-CN|True|False|青禾县住房和城乡建设局"


def test_no_template_prints_where_the_build_machine_keeps_things(project):
    """Nothing a page shows: the project's, the virtual environment's (`config.theme.dirs`) and the build folder's paths."""
    probe = ("<i id=probe>{{ config.config_file_path }}|{{ config.docs_dir }}|{{ config.site_dir }}|{{ config.theme.dirs }}|"
             "{{ config.theme.custom_dir }}{% if page and page.file %}|{{ page.file.abs_src_path }}|"
             "{{ page.file.abs_dest_path }}|{{ page.file.src_dir }}|{{ page.file.dest_dir }}|{{ page.file.url }}{% endif %}</i>")
    assert _probe_text(project, probe) == "|||||||||./"  # the home page's own address stays


# Every way a template reads a mapping, each of which printed the build machine's paths before MkDocs' settings were
# given as a mapping without them: item access, the mapping's own methods, Jinja's filters, the object as text.
MACHINE_READS = [
    "{{ config['site_dir'] }}{{ config['docs_dir'] }}{{ config['config_file_path'] }}",
    "{{ config.get('site_dir') }}{{ config.get('docs_dir') }}{{ config.theme.get('dirs') }}",
    "{{ config }}", "{{ config.theme }}", "{{ config|pprint }}", "{{ config.theme|pprint }}",
    "{{ config|dictsort }}", "{{ config|items|list }}", "{{ config.items()|list }}", "{{ config.values()|list }}",
    "{{ config.theme.items()|list }}", "{{ config.theme|dictsort }}",
    "{% for k, v in config.items() %}{{ k }}={{ v }};{% endfor %}",
    "{{ config|attr('site_dir') }}{{ config.theme|attr('custom_dir') }}{{ config['theme']['custom_dir'] }}",
    "{{ config.data }}{{ config['data'] }}{{ config.watch }}{{ config['watch'] }}",
    "{{ config.validation }}{{ config.extra }}{{ config.mdx_configs }}",
    # What names the build's files: MkDocs' File objects as text (their repr named the source and build folders).
    "{{ page.file }}{{ page.file|pprint }}{{ pages }}{{ pages|join(',') }}{{ page.file ~ '' }}{{ nav }}{{ page }}",
]


def test_no_way_of_reading_the_settings_or_the_files_prints_a_path_of_the_build_machine(project):
    """Each read above at once: the page shows the settings (site name, theme language) but no path of the project,
    the build folder, the theme or the virtual environment."""
    import sys

    import material
    import mkdocs

    probe = "<i id=probe>" + "|".join(MACHINE_READS) + "</i>"
    shown = _probe_text(project, probe)
    assert shown is not None
    assert "青禾县住房和城乡建设局" in shown and "zh" in shown  # the settings themselves are still there
    for path in (project.root, Path(sys.prefix), Path(mkdocs.__file__).parent, Path(material.__file__).parent):
        assert str(path) not in shown


# What the gongkai plugin holds, reached through the `config` every template is given: the project as read for
# the check (every item, public or not), the plan, the settings, the caches of rendered bodies.
PLUGIN_PROBES = [
    "{% for i in config.plugins['gongkai'].context.project.items %}{{ i.title }}{{ i.body }}{% endfor %}",
    "{% for i in config.plugins.gongkai.context.project.items %}{{ i.summary }}{% endfor %}",
    "{{ config.plugins['gongkai']['context']['project']['items'] | map(attribute='body') | join }}",
    "{% for p in config.plugins.values() %}{{ p.context.project.items | map(attribute='title') | join }}{% endfor %}",
    "{{ config.plugins.gongkai.plan.pages | length }}{{ config.plugins.gongkai.settings.content_dir }}",
    "{{ config.plugins.gongkai | attr('context') | attr('project') }}",
]


@pytest.mark.parametrize("probe", PLUGIN_PROBES)
def test_no_template_reaches_the_content_through_the_plugin(project, probe):
    before = tree(project.root / "site")
    with announcing(project, "<i id=probe>" + probe + "</i>") as line, pytest.raises(BuildFailed) as failed:
        build(project, project.root / "site")
    assert f"theme_overrides/main.html:{line}: 模板访问了不允许模板使用的内容" in str(failed.value)
    assert tree(project.root / "site") == before
    assert not any(marker in str(failed.value) for marker in SECRET_MARKERS.values())


def test_a_template_may_still_ask_which_plugins_there_are(project):
    """Material's templates ask `"search" in config.plugins`: the names stay, only the plugins' insides are hidden."""
    with announcing(project, "<i id=probe>{{ 'gongkai' in config.plugins }}|{{ 'search' in config.plugins }}</i>"):
        built = build(project, project.root / "site")
    probed = built.page("").css_first("#probe")
    assert probed is not None and probed.text() == "True|False"


CALLED = [("{{ 'abc'.upper() }}{{ '{}-{}'.format(1, 2) }}", "ABC1-2"),
          ("{% set ns = namespace(x=1) %}{% set ns.x = 2 %}{{ ns.x }}", "2"),
          ("{% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %}", "aba"),
          ("{% set p = joiner('|') %}{{ p() }}x{{ p() }}y{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}", "x|yab"),
          ("{{ d.get('k') }}{{ d.items() | list | length }}{{ [3, 1].index(1) }}", "111"),
          ("{{ u.get('k') }}{{ u.keys() | list | length }}", "21"),
          ("{% macro m(x) %}[{{ x }}{{ caller() if caller }}]{% endmacro %}{{ m(1) }}{% call m(2) %}in{% endcall %}", "[1][2in]"),
          ("{% for x in [[1, [2]]] recursive %}{{ loop(x[1:]) if x is not number else x }}{% endfor %}", "")]


@pytest.mark.parametrize(("source", "printed"), CALLED)
def test_a_template_still_calls_what_templates_are_made_of(source, printed):
    env = template_sandbox._Sandbox(autoescape=True)
    assert env.from_string(source).render(d={"k": 1}, u=UserDict(k=2)) == printed


def test_a_template_calls_no_method_of_what_it_is_given():
    """Only macros, blocks, globals, a loop's helpers and plain values' methods: a Markdown converter an item page
    carries (`registerExtensions` switched on pymdownx.snippets, which printed any file of the project on every
    page), a Jinja environment (outside the sandbox), an open file — whatever the object, its methods are refused,
    and the insides of a converter or an environment are not read."""
    import markdown

    env = template_sandbox._Sandbox(autoescape=True)
    given = {"md": markdown.Markdown(), "env": jinja2.Environment(), "file": REPO.joinpath("README.md").open(encoding="utf-8")}
    with given["file"]:
        for source in ["{{ md.registerExtensions(['pymdownx.snippets'], {}) }}", "{{ md.convert('x') }}",
                       "{{ env.from_string('x').render() }}", "{{ file.read() }}", "{{ md.reset() }}"]:
            with pytest.raises(jinja2.exceptions.SecurityError):
                env.from_string(source).render(given)
        assert env.from_string("{{ md.references }}{{ env.loader }}").render(given) == ""


@pytest.mark.parametrize("source", ["{{ items.append(3) }}", "{{ meta.pop('title') }}", "{{ meta.update(title='x') }}",
                                    "{{ meta.clear() }}", "{{ seen.add(1) }}", "{{ items.sort() }}", "{{ meta.setdefault('a', 1) }}"])
def test_a_template_changes_none_of_the_values_it_is_given(source):
    """A page's data is shared with the pages rendered after it: no method that changes a list, a dict or a set."""
    env = template_sandbox._Sandbox(autoescape=True)
    given = {"items": [1, 2], "meta": {"title": "通知"}, "seen": set()}
    with pytest.raises(jinja2.exceptions.SecurityError):
        env.from_string(source).render(given)
    assert given == {"items": [1, 2], "meta": {"title": "通知"}, "seen": set()}


# Files of theme_overrides/ that MkDocs does not publish (so GK506 does not refuse them) and the scans do not read.
UNPUBLISHED = ["partials/名单.md", ".private/list", "partials/.x.txt", "README.txt", "gongkai/x.py",
               "mkdocs_theme.yml", "notes.markdown"]


@pytest.mark.parametrize("name", UNPUBLISHED)
def test_a_template_prints_no_file_the_scans_do_not_read(project, name):
    """Only templates (.html) and stylesheets (.css) of theme_overrides/ are scanned: a template that included a
    .md, a hidden or any other file there that MkDocs does not publish printed its personal numbers and marks
    into every page unscanned."""
    included = project.root / "theme_overrides" / name
    included.parent.mkdir(parents=True, exist_ok=True)
    included.write_text("考察名单 qxincludedfile 13912345678 机密★\n", encoding="utf-8")
    before = tree(project.root / "site")
    try:
        with announcing(project, "{% include '" + name + "' %}") as line, pytest.raises(BuildFailed) as failed:
            build(project, project.root / "site")
    finally:
        included.unlink()
    assert f"theme_overrides/main.html:{line}: 模板读入了“{name}”" in str(failed.value)
    assert "qxincludedfile" not in str(failed.value)
    assert tree(project.root / "site") == before


def test_a_template_may_include_a_scanned_stylesheet(project):
    sheet = project.root / "theme_overrides" / "assets" / "agency" / "print.css"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text(".gk-probe{color:#a00}", encoding="utf-8")
    try:
        with announcing(project, "<i id=probe>{% include 'assets/agency/print.css' %}</i>"):
            built = build(project, project.root / "site")
    finally:
        sheet.unlink()
    probed = built.page("").css_first("#probe")
    assert probed is not None and probed.text() == ".gk-probe{color:#a00}"


def test_the_public_site_is_not_given_the_members_notice(project):
    """The members' site's notice is not scanned (it is not public): a template printing it outside
    `{% if gk_site.members %}` published unscanned text. The public site's templates get it empty."""
    with announcing(project, "<i id=probe>[{{ gk_site.members_notice }}]</i>"):
        public = build(project, project.root / "site")
        members = build(project, project.root / "site-party", audience="党内")
    shown = [site.page("").css_first("#probe") for site in (public, members)]
    assert shown[0] is not None and shown[0].text() == "[]"
    assert shown[1] is not None and "党内网站" in shown[1].text()


@pytest.mark.parametrize(("source", "meaning"), [
    ("{% if %}", "模板语法错误"),
    ("{% include 'nosuch.html' %}", "找不到模板“nosuch.html”"),
    ("{{ x | nosuchfilter }}", "模板语法错误"),
    ("{% for i in range(10**9) %}{% endfor %}", "模板出错（OverflowError"),
    ("{{ lipsum.__globals__.os }}", "模板访问了不允许模板使用的内容"),
])
def test_a_failing_template_is_named_with_its_line_in_chinese(tmp_path, source, meaning):
    from jinja2.sandbox import SandboxedEnvironment

    (tmp_path / "page.html").write_text("第一行\n" + source + "\n", encoding="utf-8")
    env = SandboxedEnvironment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    with pytest.raises(Exception) as raised:
        env.get_template("page.html").render()
    failure = template_failure(raised.value, tmp_path)
    assert failure is not None and failure.startswith("page.html:2: " + meaning)


@pytest.mark.parametrize("source", [
    "{% if x == 0 %}a" + "".join(f"{{% elif x == {i} %}}a" for i in range(1, 3000)) + "{% endif %}",  # 50 KB
    "{% for a in x %}" * 25 + "{% endfor %}" * 25,
    "{{ " + "(" * 400 + "1" + ")" * 400 + " }}",
    "{{ " + "[" * 400 + "]" * 400 + " }}",
], ids=["3000-elifs", "25-nested-fors", "400-parentheses", "400-lists"])
def test_a_template_too_deep_to_compile_is_named_in_chinese(tmp_path, source):
    """Jinja parses nesting that Python's compiler refuses (RecursionError, "too many statically nested blocks"), and
    its own parser and code generator recurse on a deep expression: the build failed in English naming no template,
    or named another template and a macro calling itself."""
    from mkdocs.theme import Theme

    (tmp_path / "page.html").write_text(source, encoding="utf-8")
    theme = Theme(name="material", custom_dir=str(tmp_path))
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        template_sandbox.sandboxed(theme.get_env(), theme).get_template("page.html")
    assert template_failure(raised.value, tmp_path) == (
        "page.html:1: 模板语法错误（分支（elif）、括号或嵌套的层数太多，无法编译；请拆分或减少分支和嵌套）：请对照 gongkai 附带的模板修改")


def test_a_failure_that_is_no_template_is_left_to_the_caller(tmp_path):
    assert template_failure(ValueError("x"), tmp_path) is None


@pytest.mark.parametrize(("name", "target", "wanted"), [
    ("leak.html", "content/catalog.yml", "leak.html"),  # a project file no page shows
    ("environ.html", "/proc/self/environ", "environ.html"),  # the build's environment
    ("shared", "content", "shared/catalog.yml"),  # a linked folder
    ("partials", "theme_overrides/gongkai", "partials/item.html"),  # even a link to shipped templates
])
def test_a_linked_template_fails_the_check_and_is_never_read(project, name, target, wanted):
    from mkdocs.theme import Theme

    from gongkai.template_sandbox import LinkedTemplate, sandboxed

    theme = project.root / "theme_overrides"
    link = theme / name
    moved = theme.with_name("kept") if link.exists() else None
    if moved is not None:
        link.rename(moved)
    link.symlink_to(target if target.startswith("/") else project.root / target)
    try:
        with pytest.raises(BuildFailed, match=f"theme_overrides/{name}:1:1: GK530 error"):  # the check stops the build
            build(project, project.root / "site")
        material = Theme(name="material", custom_dir=str(theme), locale="zh")
        env = sandboxed(material.get_env(), material)
        with pytest.raises(LinkedTemplate) as refused:  # and the loader refuses it whatever ran before
            env.get_template(wanted)
        failure = template_failure(refused.value, project.root)
        assert failure is not None and failure.startswith(f"theme_overrides/{name}: 模板“{wanted}”是符号链接")
        assert env.get_template("main.html") is not None  # the real templates still load
    finally:
        link.unlink()
        if moved is not None:
            moved.rename(link)


@given(st.text(min_size=1), st.text(min_size=1))
def test_names_in_a_failure_never_move_the_terminal(name, folder):
    """A template's or folder's name is the committer's: its control characters are shown escaped."""
    from gongkai.problems import NOT_SHOWN
    from gongkai.template_sandbox import LinkedTemplate

    root = Path("/project")
    for failure in (LinkedTemplate(name, str(root / "theme_overrides" / folder.replace("\0", ""))),
                    jinja2.TemplateNotFound(name), jinja2.TemplateSyntaxError(name, 3, filename=str(root / folder.replace("\0", "")))):
        assert not NOT_SHOWN.search(template_failure(failure, root) or "")


@pytest.mark.parametrize("block", [
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% for a in range(100000) %}{{ lipsum(5, html=false)|length }}{% endfor %}",
])
def test_a_template_that_loops_for_ever_fails_the_build(project, block, monkeypatch):
    """Nested loops are each within the sandbox's range() limit and multiply: 10^10 steps a page kept every build
    busy for ever, so no takedown ever reached the site. A page's render stops at its deadline (shortened here, yet
    long enough for the page's head to be rendered on a busy machine before the loop: at 0.5 s the timer once fired
    in base.html, and the message named main.html's `extends` line)."""
    monkeypatch.setattr(template_sandbox, "TEMPLATE_SECONDS", 2.0)
    before = tree(project.root / "site")
    with announcing(project, block) as line, pytest.raises(BuildFailed) as failed:
        build(project, project.root / "site")
    assert f"theme_overrides/main.html:{line}: 模板渲染一个页面超过" in str(failed.value)
    assert tree(project.root / "site") == before


def test_a_template_that_calls_itself_fails_the_build_in_chinese(project):
    """A macro calling itself ended in Python's English RecursionError text inside the Chinese message."""
    before = tree(project.root / "site")
    with announcing(project, "{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}") as line, \
            pytest.raises(BuildFailed) as failed:
        build(project, project.root / "site")
    assert f"theme_overrides/main.html:{line}: 模板无限递归" in str(failed.value)
    assert "RecursionError" not in str(failed.value) and "maximum" not in str(failed.value)
    assert tree(project.root / "site") == before


# Ways a template asks for memory: in one step (a repetition, a width, a filter's), or doubling a text in a loop.
HOGS = [
    '{{ "x" * 10**10 }}',
    '{{ [0] * 10**9 }}',
    '{{ "{:>9999999999}".format(1) }}',
    '{{ "%9999999999d" % 1 }}',
    '{{ "x"|center(9999999999) }}',
    '{{ "x".ljust(9999999999) }}',
    '{% set ns = namespace(s="x") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}',
    '{% set ns = namespace(s="xy") %}{% for i in range(60) %}{% set ns.s = ns.s|replace("x", "xx") %}{% endfor %}',
    '{% set ns = namespace(s=["x"]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
]


@pytest.mark.parametrize("block", HOGS)
def test_a_template_that_asks_for_memory_without_bound_fails_the_build(project, block, monkeypatch):
    """A render may take only a fixed amount of memory more than the build held (256 MB here, 1 GB shipped): beyond
    it, the build fails naming the template's line, instead of filling the machine until its out-of-memory killer
    or its swap stops every service on it."""
    monkeypatch.setattr(memory_budget, "TEMPLATE_BYTES", 256 << 20)
    # On a loaded machine doubling a string to 256 MB outlasted the render's 10 s, which then spoke first.
    monkeypatch.setattr(template_sandbox, "TEMPLATE_SECONDS", 120.0)
    before = tree(project.root / "site")
    with announcing(project, block) as line, pytest.raises(BuildFailed) as failed:
        build(project, project.root / "site")
    assert f"theme_overrides/main.html:{line}: 模板渲染一个页面要占用超过 0.25 GB 内存" in str(failed.value)
    assert tree(project.root / "site") == before


@pytest.mark.parametrize("source", ['{{ 9 ** 999999 }}', '{{ (2 ** 60000) * (2 ** 60000) }}',
                                    '{% set ns = namespace(n=3) %}{% for i in range(20) %}{% set ns.n = ns.n * ns.n %}'
                                    '{% endfor %}'])
def test_a_template_multiplies_no_integer_beyond_its_bound(source):
    """Python multiplies integers in one step no deadline interrupts: `9 ** 9 ** 9`'s kind took hours in megabytes."""
    env = template_sandbox._Sandbox()
    with pytest.raises(OverflowError, match="模板中的乘法或乘方结果过大"):
        env.from_string(source).render()
    assert env.from_string("{{ 2 ** 10 }} {{ 12 * 12 }} {{ -3 ** 3 }} {{ 2 ** -1 }} {{ 'ab' * 2 }}").render() == \
        "1024 144 -27 0.5 abab"


@pytest.mark.parametrize("source", ['{{ "x"|seen }}', '{{ ("x"|seen) * 2 }}', '{{ ["x"|seen][0] }}',
                                    '{% if "x"|seen %}a{% endif %}', '{% autoescape "x"|seen == "x" %}a{% endautoescape %}'])
def test_nothing_is_computed_while_a_template_compiles(source):
    """Jinja folds constant expressions as it compiles, outside a render's deadline and memory budget: `{{ "x" *
    10**10 }}` filled 10 GB before the build even started its pages. The sandbox computes them as pages render."""
    calls: list[str] = []

    def seen(value: str) -> str:
        calls.append(value)
        return value

    env = template_sandbox._Sandbox(autoescape=True)
    env.filters["seen"] = seen
    template = env.from_string(source)
    assert calls == []
    template.render()
    assert calls == ["x"]
    assert "ababab" not in env.compile('{{ "ab" * 3 }}', raw=True)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_translations_come_only_from_the_installed_themes(tmp_path, language):
    """A compiled translation in the agency's folder (`locales/<language>/LC_MESSAGES/messages.mo`) was installed
    as MkDocs installs a theme's own: `{{ _('gk') }}` or `{% trans %}` printed its text, unscanned (and for trans,
    unescaped), on every page. The check refuses such a file (GK506); the sandbox does not read it either."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from mkdocs.theme import Theme

    catalog = Catalog(locale=language)
    catalog.add("gk", "联系人手机13912345678，机密★十年<img src=x>")
    folder = tmp_path / "theme_overrides" / "locales" / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as stream:
        write_mo(stream, catalog)
    theme = Theme(name="material", custom_dir=str(tmp_path / "theme_overrides"), locale=language)
    safe = template_sandbox.sandboxed(theme.get_env(), theme)
    assert safe.from_string("{{ _('gk') }}|{% trans %}gk{% endtrans %}").render() == "gk|gk"



def _render_with_its_time_up_at(line: int) -> int:
    """Render a short template in the sandbox, the deadline's time coming up at the `line`-th line of memory_budget's
    code to run (setting the cap up or lifting it), its alarm then run there as Python runs a signal's handler between
    two bytecodes; how many lines of memory_budget ran."""
    import signal

    from gongkai import rendering

    seen = 0

    def at_each_line(frame, event: str, arg: object):
        nonlocal seen
        if event == "line":
            seen += 1
            if seen == line and rendering._ALARMS.running:
                for alarm in rendering._ALARMS.running:
                    alarm.ends = 0.0
                rendering._ALARMS.expire(signal.SIGALRM, frame)
        return at_each_line

    def calls(frame, event: str, arg: object):
        return at_each_line if frame.f_code.co_filename == memory_budget.__file__ else None

    template = template_sandbox._Sandbox(autoescape=True)
    template.template_class = template_sandbox._TimedTemplate
    short = template.from_string("{{ 1 }}")
    sys.settrace(calls)
    try:
        short.render()
    except template_sandbox.TooSlow:
        pass
    finally:
        sys.settrace(None)
    return seen


def test_a_renders_deadline_leaves_no_memory_cap_behind_wherever_its_time_comes_up():
    """A render's deadline could come up as its memory cap was being set up or lifted, between two bytecodes of
    `capped`: the cap stayed on for the rest of the process, and every later build of a long-running preview failed
    with MemoryError. Wherever the time comes up, the render ends and leaves the process as it found it."""
    import resource
    import signal

    before = signal.getsignal(signal.SIGALRM), resource.getrlimit(resource.RLIMIT_AS), memory_budget._running
    line = 1
    while _render_with_its_time_up_at(line) >= line:
        assert (signal.getsignal(signal.SIGALRM), resource.getrlimit(resource.RLIMIT_AS), memory_budget._running) == before, line
        line += 1
    assert line > 10
