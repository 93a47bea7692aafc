"""Templates render in Jinja's sandbox.

theme_overrides/ is committed like content, and a Jinja template outside the sandbox can reach any
Python object from any value it is given (`lipsum.__globals__.os.popen(…)`): a template edited by
anyone who can commit would run commands on the build machine — in CI, with its deploy tokens —
and print what they return into every public page. mkdocs.yml is refused for less (its `hooks`,
`!ENV`); the sandbox refuses the same through templates: no attribute that starts with `_`, no
function internals, no unsafe `str.format`. What a template prints is still a reviewer's to read
(SECURITY.md): the sandbox keeps the build machine out of the site, not markup out of a template.

Nor may a template look into a plugin: MkDocs hands every template `config`, whose `plugins` hold the
gongkai plugin itself, and through it the whole project as read for the check — every item's body
and front matter (不予公开, 党内, scheduled, drafts), the registers, the caches. Templates are given the
frozen views of their page (`gk`) and the site (`gk_site`); a plugin's attributes are never theirs
(`config.plugins['gongkai'].context.project.items` is refused like `__globals__`). Nor may it print mkdocs.yml as
written (`config.user_configs`): the gongkai plugin's settings there (the members' site's intranet address, its
notice) are read by the scans only where a page shows them.

Nor may a template call anything but what templates are made of: its macros and blocks, the environment's globals
(`range`, `namespace`, `gk_cache` …), a loop's helpers, the methods of plain values that change nothing (`"a".upper()`,
not `list.append`) and the reading methods of a mapping (`page.meta.get("x")`, `config.extra.items()`). Every other
method reachable from what
a template is given is refused, whatever it does: MkDocs' `config.theme.get_env()` hands back an environment outside
the sandbox (`from_string(…).render()` ran any command), and an item page's `page.converter.registerExtensions(…)`
switched on `pymdownx.snippets` (refused in mkdocs.yml) to print any file of the project on every page. Nor may it
read the state of a Markdown converter or of a Jinja environment (other pages' text, the loader, the compiled
templates), nor where the build machine keeps the project, the theme or the build folder.

Nor may a template in theme_overrides/ be a symbolic link, or lie in a linked folder: a link named
like a template pulls any file of the machine (`/proc/self/environ`) or of the project (a register
with applicants' names) into every page. `gongkai check` reports such links (GK530); the loader
refuses them whatever ran before it. Nor may a template read a file of theme_overrides/ that the scans do
not read as a template (anything but .html and .css): `{% include "partials/名单.md" %}` would print it
into every page unscanned.
"""

from __future__ import annotations

import functools
import os
import traceback
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment, SecurityError, modifies_known_mutable
from jinja2.utils import Cycler, Joiner
from markupsafe import Markup

from . import memory_budget
from .checks.theme import SCANNED_TEXTS, changed_since_scanned
from .problems import printable
from .rendering import TooSlow, deadline

_METHODS = (types.MethodType, types.BuiltinMethodType)  # the only kinds wrap_str_format looks at
# Values a template may call the methods of, but those that change the value (str.format is wrapped by the sandbox).
_PLAIN_VALUES = frozenset((str, int, float, bool, dict, list, tuple, set, frozenset, Markup))
_MAPPING_READS = frozenset(("get", "keys", "items", "values"))  # of any mapping: they only read it
# Where the build machine keeps the project, the theme, the build folder and what the preview watches (MkDocs'
# settings, theme and files): nothing a page shows, and a template printed them into every public page
# (`{{ config.theme.dirs }}`: the venv).
_MACHINE_PATHS = frozenset(("config_file_path", "docs_dir", "site_dir", "watch", "dirs", "custom_dir", "abs_src_path",
                            "abs_dest_path", "src_dir", "dest_dir"))
# What a template is made of, each callable with its methods: macros (`caller()` too), blocks (`super()`), a loop
# (`loop.cycle`, a recursive `loop(…)`), what `cycler()` and `joiner()` make.
_TEMPLATE_PARTS = (jinja2.runtime.Macro, jinja2.runtime.BlockReference, jinja2.runtime.LoopContext, Cycler, Joiner)


# A page's templates render in milliseconds; a template still rendering after this long loops beyond any page's
# needs (`{% for a in range(100000) %}{% for b in range(100000) %}…` kept every build busy for ever).
TEMPLATE_SECONDS = 10.0


class _TimedTemplate(jinja2.Template):
    """A template whose every render (a page, the 404 page, a feed) stops with TooSlow after TEMPLATE_SECONDS, and
    with MemoryError where it asks for more than memory_budget.TEMPLATE_BYTES; what it includes, extends and imports
    renders within its bounds."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with deadline(TEMPLATE_SECONDS), memory_budget.capped(memory_budget.TEMPLATE_BYTES):
            return super().render(*args, **kwargs)


# Integers a template multiplies or raises to a power stay below this many bits: Python computes a product in one
# step no deadline interrupts, and `n * n` repeated, or `9 ** 9 ** 9`, took hours within a few megabytes.
MAX_INTEGER_BITS = 100_000


class _RuntimeOnly(CodeGenerator):
    """Compiles a template evaluating nothing but literals: Jinja folds constant expressions (`"x" * 10 ** 10`, a
    filter of a literal) while compiling, outside any render's deadline and memory budget."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        if not isinstance(node, nodes.TemplateData | nodes.Const):
            raise nodes.Impossible
        return super()._output_child_to_const(node, frame, finalize)

    def visit_EvalContextModifier(self, node: nodes.EvalContextModifier, frame: Frame) -> None:
        """`{% autoescape … %}`: a literal setting known while compiling, any other read as the template renders."""
        for keyword in node.options:
            self.writeline(f"context.eval_ctx.{keyword.key} = ")
            self.visit(keyword.value, frame)
            if isinstance(keyword.value, nodes.Const):
                setattr(frame.eval_ctx, keyword.key, keyword.value.value)
            else:
                frame.eval_ctx.volatile = True


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, its verdict on an attribute kept per type of object: a site's templates look up
    the same few hundred attributes on every page (≈ 650 a page), and the verdict depends on nothing else.
    Nothing is computed while compiling (_RuntimeOnly), and products of integers are bounded (MAX_INTEGER_BITS)."""

    code_generator_class = _RuntimeOnly
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, optimized=False, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def compile(self, source: Any, name: str | None = None, filename: str | None = None, raw: bool = False,
                defer_init: bool = False) -> Any:
        """Jinja's parser and code generator recurse, and Python's compiler bounds nesting: 3,000 `elif`s (110 KB) raised
        RecursionError, 21 nested `for`s SyntaxError, an expression of 400 parentheses RecursionError in the parser,
        and the build failed in English, naming no template or the wrong one ("a macro calls itself")."""
        try:
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        except (RecursionError, MemoryError, SyntaxError):
            raise jinja2.TemplateSyntaxError("分支（elif）、括号或嵌套的层数太多，无法编译；请拆分或减少分支和嵌套", 1,
                                             name, filename) from None

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if isinstance(left, int) and isinstance(right, int):
            bits = abs(left).bit_length()
            wanted = bits * max(right, 0) if operator == "**" and bits > 1 else bits + abs(right).bit_length()
            if wanted > MAX_INTEGER_BITS:
                raise OverflowError(f"模板中的乘法或乘方结果过大（超过 {MAX_INTEGER_BITS} 位二进制数）")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's verdict, and nothing of a plugin, a Markdown converter nor a Jinja environment (see the module's
        docstring; MkDocs' settings are given as ShownSettings)."""
        from markdown import Markdown
        from mkdocs.plugins import BasePlugin, PluginCollection
        from mkdocs.structure.files import File

        # A plugin collection's names stay (`'search' in config.plugins`), its attributes not: `events` holds the
        # build's own event handlers, whose lists a template could empty.
        hidden = BasePlugin | PluginCollection | Markdown | jinja2.Environment
        if isinstance(obj, hidden):
            return False
        if attr in _MACHINE_PATHS and isinstance(obj, File):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        """Only what templates are made of (see the module's docstring); any other callable is refused."""
        if isinstance(obj, _TEMPLATE_PARTS):  # first: a page calls its macros a hundred times
            return True
        if not super().is_safe_callable(obj):
            return False
        method = getattr(obj, "__wrapped__", obj)  # str.format as the sandbox wraps it
        if isinstance(method, _METHODS):
            owner = getattr(method, "__self__", None)
            if isinstance(owner, _TEMPLATE_PARTS):
                return True
            if type(owner) in _PLAIN_VALUES:  # not one that changes it: a page's data is shared with the pages after it
                return not modifies_known_mutable(owner, getattr(method, "__name__", ""))
            if isinstance(owner, Mapping) and getattr(method, "__name__", "") in _MAPPING_READS:
                return True  # `config.extra.get("notice")`: MkDocs' settings are mappings of their own types
        return any(obj is value or (isinstance(value, dict) and any(obj is member for member in value.values()))
                   for value in self.globals.values())  # a global, or a function a global dict holds (gk_preview.chips)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """As Jinja's sandbox decides (an unsafe attribute is undefined, `str.format` is wrapped), faster."""
        if type(obj) is ShownSettings and not hasattr(ShownSettings, attribute):
            # A key of the settings, read as Jinja would after failing to find such an attribute, but at once: Material
            # reads `config.theme.features` several times a page.
            if attribute in obj:
                return obj[attribute]
            if obj.hides(attribute):
                return self.unsafe_undefined(obj, attribute)
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)  # an item of a mapping, or undefined
        key = (type(obj), attribute)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self.is_safe_attribute(obj, attribute, value)
        if isinstance(value, _METHODS):
            wrapped = self.wrap_str_format(value)
            if wrapped is not None:
                return wrapped
        return value if verdict else self.unsafe_undefined(obj, attribute)


class ShownSettings(Mapping[str, Any]):
    """MkDocs' settings (or its theme's) as templates are given them (`config`, `config.theme`): every key but where
    the build machine keeps things, and nothing else of the object. Jinja's filters and a mapping's own methods read
    its items outside the sandbox's checks (`config|dictsort`, `{{ config }}`, `config.get("site_dir")`,
    `config["site_dir"]`), so those keys are left out of the mapping rather than refused on each way to them."""

    __slots__ = ("_settings",)

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self._settings = settings

    def __getitem__(self, key: str) -> Any:
        if key in _MACHINE_PATHS:
            raise KeyError(key)
        return shown_settings(self._settings[key])

    def __contains__(self, key: object) -> bool:
        return key not in _MACHINE_PATHS and key in self._settings

    def __iter__(self) -> Iterator[str]:
        return (key for key in self._settings if key not in _MACHINE_PATHS)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def hides(self, name: str) -> bool:
        """Whether `name` is something of the settings a template may not read (a method such as the theme's
        `get_env`, a path), rather than a key nobody set or a method of this mapping."""
        if hasattr(ShownSettings, name) or name in self:
            return False
        return name in _MACHINE_PATHS or hasattr(self._settings, name)


def shown_settings(value: Any) -> Any:
    """`value` as a template may be given it: MkDocs' settings and theme as ShownSettings, anything else as it is."""
    return ShownSettings(value) if isinstance(value, _settings_types()) else value


@functools.cache
def _settings_types() -> tuple[type[Mapping[str, Any]], ...]:
    """MkDocs' types of settings, imported once (a page reads its settings hundreds of times)."""
    from mkdocs.config.base import Config
    from mkdocs.theme import Theme

    return (Config, Theme)


class LinkedTemplate(jinja2.TemplateError):
    """A template of the theme folder that is a symbolic link or lies in a linked folder."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name)
        self.name, self.path = name, path


class UnscannedTemplate(jinja2.TemplateError):
    """A file of the theme folder a template includes (or extends, imports) that the scans do not read as a
    template: `{% include "partials/名单.md" %}` printed a file nobody scans into every page."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name)
        self.name, self.path = name, path


class ChangedTemplate(jinja2.TemplateError):
    """A template of the theme folder edited since the check scanned it, or added since: its text was never scanned."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name)
        self.name, self.path = name, path


class _UnlinkedLoader(jinja2.FileSystemLoader):
    """MkDocs' template folders, the project's theme folder (`guarded`) read only through real folders and
    files below it (the folder itself may be a link to a shared theme, as MkDocs allows)."""

    def __init__(self, searchpath: list[str], guarded: str) -> None:
        super().__init__(searchpath)
        self.guarded = os.path.abspath(guarded)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        path = os.path.abspath(filename)
        if path.startswith(self.guarded + os.sep):
            below = self.guarded
            for part in os.path.relpath(path, self.guarded).split(os.sep):
                below = os.path.join(below, part)
                if os.path.islink(below):
                    raise LinkedTemplate(template, below)
            if os.path.splitext(path)[1].lower() not in SCANNED_TEXTS:  # what checks/published.py reads of the theme
                raise UnscannedTemplate(template, path)
            if changed_since_scanned(path, source):
                raise ChangedTemplate(template, path)
        return source, filename, uptodate


def sandboxed(env: jinja2.Environment, theme: Any, compiled: jinja2.BytecodeCache | None = None) -> SandboxedEnvironment:
    """A sandboxed copy of MkDocs' environment `env` for `theme` (its template folders, the theme's own
    read without links; its filters, tests and globals; its translations installed the way MkDocs
    installs them), escaping what it prints; the templates it compiles kept in `compiled` (template_cache)."""
    from mkdocs.localization import install_translations
    from mkdocs.structure.files import File

    # MkDocs' File names its source and build folders in its repr, which `{{ page.file }}`, `{{ pages }}` and `|pprint`
    # print: a page may show where a file lies in the site, never where the build machine keeps it.
    File.__repr__ = _file_repr  # type: ignore[method-assign]
    loader = _UnlinkedLoader(list(theme.dirs), theme.custom_dir) if theme.custom_dir else jinja2.FileSystemLoader(theme.dirs)
    safe = _Sandbox(loader=loader, auto_reload=False, autoescape=True, bytecode_cache=compiled)
    safe.template_class = _TimedTemplate
    safe.filters.update(env.filters)
    safe.tests.update(env.tests)
    safe.globals.update({name: value for name, value in env.globals.items() if name not in safe.globals})
    safe.policies.update(env.policies)
    # The installed themes' translations only: a `locales/` in the agency's folder would put text on every page that
    # the scans never read (a compiled .mo is not even readable in a diff); the check refuses one (GK506).
    custom = os.path.realpath(theme.custom_dir) if theme.custom_dir else None
    install_translations(safe, theme.locale, [folder for folder in theme.dirs if os.path.realpath(folder) != custom])
    return safe


def compiling_environment() -> SandboxedEnvironment:
    """The build's sandbox with none of a site's templates, filters or globals, for compiling a template alone: what
    the check refuses is what the build's compiler refuses (translations' tags are known, as MkDocs installs them)."""
    return _Sandbox(autoescape=True, extensions=["jinja2.ext.i18n"])


def _file_repr(file: Any) -> str:
    return f"{type(file).__name__}({file.src_uri!r}, dest_uri={file.dest_uri!r})"


def template_failure(exc: BaseException, root: Path) -> str | None:
    """Why a template could not be rendered, in Chinese, led by its file and line (a path under the
    project's `root` relative to it), control characters of names shown escaped; None when `exc` is
    not a template's failure."""
    reason = _reason(exc, root)
    return printable(reason) if reason is not None else None


def _reason(exc: BaseException, root: Path) -> str | None:
    where = _where(exc, root)
    if isinstance(exc, MemoryError):
        return (f"{where}模板渲染一个页面要占用超过 {memory_budget.TEMPLATE_BYTES / 2**30:g} GB 内存，已停止：请删除模板中反复加长的文字"
                "或巨大的重复、乘方、宽度，或恢复为 gongkai 附带的模板")
    if isinstance(exc, RecursionError):
        return (f"{where}模板无限递归（宏调用自身，或 include、extends 互相引用），已停止：请删除循环的调用，"
                "或恢复为 gongkai 附带的模板") if where else None
    if isinstance(exc, TooSlow):
        return (f"{where}模板渲染一个页面超过 {TEMPLATE_SECONDS:.0f} 秒仍未完成，已停止：请删除模板中的多重循环或大量重复的内容，"
                "或恢复为 gongkai 附带的模板")
    if not isinstance(exc, jinja2.TemplateError):  # e.g. the sandbox's OverflowError for a huge range()
        return f"{where}模板出错（{type(exc).__name__}：{exc}）：请对照 gongkai 附带的模板修改" if where else None
    if isinstance(exc, LinkedTemplate):
        return (f"{_shown(Path(exc.path), root)}: 模板“{exc.name}”是符号链接（或在链接的文件夹中），没有读取：链接可能把本机的"
                "任意文件或不公开的登记印到网站上；请换成真实的文件")
    if isinstance(exc, UnscannedTemplate):
        return (f"{where}模板读入了“{exc.name}”（{_shown(Path(exc.path), root)}）：theme_overrides 中只有模板（.html）和样式表（.css）"
                "经过个人信息和密级扫描，其他文件的内容不能印到网页上；请把要显示的文字写进模板本身")
    if isinstance(exc, ChangedTemplate):
        return (f"{_shown(Path(exc.path), root)}: 模板“{exc.name}”在检查之后被修改或加入，新的文字没有经过个人信息和密级扫描，"
                "没有使用：请重新生成（生成期间不要修改 theme_overrides）")
    if isinstance(exc, SecurityError):
        return (f"{where}模板访问了不允许模板使用的内容（{exc}）：模板只能使用页面和配置中的普通数据，不能访问下划线开头的属性"
                "或函数的内部；请恢复为 gongkai 附带的模板，再只改文字和结构")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{where}模板语法错误（{exc.message}）：请对照 gongkai 附带的模板修改"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"{where}找不到模板“{exc.name}”：请确认 theme_overrides 中的文件名和 include、extends 写的名字一致"
    return f"{where}模板出错（{type(exc).__name__}：{exc}）：请对照 gongkai 附带的模板修改"


def _where(exc: BaseException, root: Path) -> str:
    """`file:line: ` of the template being rendered when `exc` was raised (Jinja puts the template's
    own lines into the traceback), or of the one that could not be parsed; "" when none is known."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        file, line = exc.filename, exc.lineno
    else:
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith(".html")]
        if not frames:
            return ""
        file, line = frames[-1].filename, frames[-1].lineno or 0
    return f"{_shown(Path(file), root)}:{line}: "


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else f"{path.parent.name}/{path.name}"
