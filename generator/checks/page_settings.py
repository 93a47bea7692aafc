"""mkdocs.yml settings that reach every page as a link, a script or a file it loads (GK520–GK524, GK526, GK527),
the theme every page is built with (GK529, GK536), how much of its text every page prints (GK534) and the controls in
it (GK016), and the members' site's address the link checks need (GK544).

MkDocs and Material print some settings of mkdocs.yml on every page as they are written: the
site's address (canonical links, feeds, sitemap, robots.txt), the repository and home links, the
language and social links, and extra scripts; gongkai prints the footer's links. Nothing there is
reviewed like content, so a link must pass the same rule as a link in a body (a `javascript:`
address runs script when it is clicked; the site's address and the footer's links must be
http(s) web addresses), a script gongkai does not ship is an error, and so is anything a page would
load from another site (a stylesheet, the logo, the icon, Google's fonts): readers' browsers would
ask it for every page they open. Material features whose script would download the sitemap, ask for
files the site does not have or run inline script the Content-Security-Policy blocks are errors too.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..cache_store import CACHE_DIR
from ..git_repo import repository
from ..invisible import CONTROL, describe
from ..model import AUDIENCE_PARTY
from ..problems import Problem, printable
from ..rules import ERROR, MARKUP, WARNING
from ..sanitize import is_own_url, link_allowed
from ..site.options import SITE_ADDRESS, is_site_address
from ..site_config import CONFIG_FILE, THEME
from ..writer import beside_site_names, is_foreign_site
from ..yaml_reading import CONTROL_IN_VALUE
from .base import CheckContext

LOCAL = False  # reads mkdocs.yml, not the items

LINK = MARKUP.rule(
    "GK520", ERROR,
    "mkdocs.yml 中印在每个页面上的网址不安全",
    "site_url 和页脚（footer）的链接只能写 https:// 或 http:// 开头的网址；repo_url、edit_uri 和 extra 中的链接只能写 "
    "https://、http://、mailto:、tel: 或站内相对地址（javascript: 等地址在点击时会运行脚本）",
)
SCRIPT = MARKUP.rule(
    "GK521", ERROR,
    "mkdocs.yml 给网站加了 gongkai 以外的脚本",
    "删除 mkdocs.yml 中的 extra_javascript、extra.polyfills 和 extra.analytics：网站只运行 gongkai 自带的脚本，"
    "访问统计请用网站服务器的日志",
)
ELSEWHERE = MARKUP.rule(
    "GK523", ERROR,
    "mkdocs.yml 让网站的每个页面从其他网站加载文件",
    "extra_css、theme 的 logo 和 favicon 只能写本站的相对地址（如 assets/agency/agency.css），theme 中须保留 font: false："
    "网站不从境外或其他网站加载样式、图片和字体",
)
BEHAVIOUR = MARKUP.rule(
    "GK524", ERROR,
    "mkdocs.yml 启用的 Material 功能让每个页面另发请求或运行被禁止的内联脚本",
    "删除该设置：theme.features 只用 gongkai 支持的功能（不含 navigation.instant 系列、content.tooltips 和 announce.dismiss），"
    "不写 extra.alternate、extra.version 和 extra.consent",
)
DIRECTION = MARKUP.rule(
    "GK526", ERROR,
    "mkdocs.yml 让网站从右向左排版",
    "删除 theme 中的 direction（网站一律从左向右排版）：从右向左排版时，不挨着汉字的几组数字会互换位置"
    "（表格中写的 5678 1234 139 显示成 139 1234 5678），读者看到的号码与检查读到的不同",
)
TEMPLATES = MARKUP.rule(
    "GK527", ERROR,
    "mkdocs.yml 让 MkDocs 把网站中的文件当作模板执行，或不发布主题中的文件",
    "删除 extra_templates 和 theme.static_templates：extra_templates 列出的文件（附件、样式表、robots.txt）会被当作模板执行，"
    "发布的就不再是审查和检查过的内容（CSV 中写 1{{ \"38\" }}1234{{ \"5678\" }}，网上是一个手机号）；static_templates "
    "会让 gongkai 的样式表和脚本不再发布。网站的页面全部由 gongkai 生成",
)
THEME_NAME = MARKUP.rule(
    "GK529", ERROR,
    "mkdocs.yml 的主题不是 material",
    "把 mkdocs.yml 中 theme 的 name 改为 material：gongkai 的页面模板基于 Material for MkDocs，用其他主题无法构建网站",
)
THEME_TEMPLATE = MARKUP.rule(
    "GK536", ERROR,
    "mkdocs.yml 的 theme 设置了 Material 没有的语言或图标",
    "theme.language 只能写 Material 支持的语言代码（如 zh）；theme.icon 中的图标只能写 Material 自带的图标名"
    "（如 material/library），或 theme_overrides/.icons/ 中本机关的图标：写错的名字会让每个页面都无法生成",
)
SITE_DIR = MARKUP.rule(
    "GK538", ERROR,
    "mkdocs.yml 的 site_dir 指向项目以外的目录",
    "删除 site_dir：gongkai build 总是把网站生成到项目的 site/（另选目录请用 gongkai build --site-dir）；写在 mkdocs.yml 中，"
    "它只会让直接运行的 mkdocs build 先清空它指向的目录，那可能是本机上的其他网站或文件夹",
)
FOREIGN_SITE = MARKUP.rule(
    "GK539", ERROR,
    "项目中的网站目录（site/ 或 site-party/）已存在，但不是此前生成的网站（是文件，或是其他内容的文件夹）",
    "删除或移走它（提交到仓库的，从仓库中删除）：gongkai build 为免误删不替换它，在它移走之前每次构建都会失败，"
    "撤下页面也无法生效",
    blocks_publishing=False,  # the build into it refuses by itself; one given another folder (--site-dir) goes ahead
)
# The folders gongkai build writes by default (commands/build.output_folder): the check must refuse what the build will.
DEFAULT_SITES = ("site", "site-party")
COMMITTED_OUTPUT = MARKUP.rule(
    "GK540", ERROR,
    "仓库中提交了 gongkai build 生成的文件（.gongkai-cache/、site/、site-party/ 或构建中途留下的 .site.new-… 目录中的文件）",
    "从仓库中删除它们（git rm -r --cached 该目录，再提交），并在 .gitignore 中忽略这些目录（见 GK541）："
    "每次构建都会改写这些文件，构建机上的副本于是与仓库不同，下一次提交再改动它们时，定时任务中的 git pull 会拒绝合并，"
    "此后的内容更新和撤下页面都无法再发布到网站",
    blocks_publishing=False,  # the build goes ahead; what fails is the next `git pull` before it
)
UNIGNORED_OUTPUT = MARKUP.rule(
    "GK541", WARNING,
    "gongkai build 生成的目录（.gongkai-cache/、site/、site-party/ 或构建中途留下的 .site.new-… 目录）没有被 .gitignore 忽略",
    "在项目的 .gitignore 中加入 .gongkai-cache/、/site/、/site-party/、/.site.*、/.site-party.* 这几行："
    "否则 git add -A 会把生成的文件一并提交（检查随即报 GK540）",
)
_SITE_DIR_KEY = re.compile(r"""["']?site_dir["']?\s*:""")  # the key at the start of a line: mkdocs.yml's own
PRINTED = MARKUP.rule(
    "GK534", ERROR,
    "mkdocs.yml 中印在每个页面上的文字过多",
    "缩短 site_name、site_description、copyright、extra、页脚（footer）等设置的文字（合计不超过 32,000 字）："
    "这些文字印在网站的每个页面上，网站有多少页就重复多少遍，长篇内容请写成页面（content/pages/）",
)
PARTY_ADDRESS = MARKUP.rule(
    "GK544", WARNING,
    "有仅向党员公开的信息，但 mkdocs.yml 没有填写党内网站的地址（party_site.site_url）",
    "在 gongkai 插件的 party_site 下填写党内网站在内网的地址（例如 site_url: https://dangwu.zjj.intranet/）："
    "检查按它识别公众条目和页面中指向党内网站的链接（GK630、GK631），为空时写出完整内网地址的链接查不出来，"
    "会把内网地址和党内条目的地址发布到公众网站上；党内网站的 sitemap 和订阅也用它生成完整地址",
)
# Characters of mkdocs.yml's settings every page prints (the sample's: 353). Each page holds them once or more: 780 KB
# of site_description made the sample site 75 MB instead of 11 MB, and a site of 10,000 items 8 GB.
MAX_PRINTED = 32_000
# What each refused setting makes a page do, for the message.
BEHAVIOURS = {
    "extra.alternate": "会让每个页面的脚本下载每个语言链接旁的 sitemap.xml（其他网站的会被内容安全策略拦截并报错）",
    "extra.version": "会让每个页面的脚本请求上一级目录的 versions.json（网站没有这个文件）",
    "extra.consent": "会在每个页面运行内容安全策略禁止的内联脚本（网站没有需要读者同意的统计脚本）",
}


def _behaviour(name: str, value: str) -> str:
    if name != "theme.features":
        return BEHAVIOURS[name]
    if value.startswith("navigation.instant"):
        return "会让每个页面的脚本下载整个 sitemap.xml"
    if value == "announce.dismiss":
        return "需要内容安全策略禁止的内联脚本"
    if value == "content.tooltips":
        return "会把链接、缩写和栏目名称的说明文字（title）当作 HTML 插入页面，正文里的标记就会生效"
    return "不是 gongkai 支持的 Material 功能"


SHOWN = 60  # characters of a value quoted in a message


def check(ctx: CheckContext) -> Iterator[Problem]:
    settings = ctx.settings
    if settings is None:
        return
    path = settings.root / CONFIG_FILE
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    links = [(name, value, link_allowed(value)) for name, value in settings.page_links]
    if settings.site_url:
        links.insert(0, ("site_url", settings.site_url, is_site_address(settings.site_url)))
    footer = settings.site.footer
    bad_footer = set(footer.bad_urls())
    links += [(f"plugins.gongkai.footer.{name}", getattr(footer, name), name not in bad_footer) for name in footer.URLS]
    for name, value, allowed in links:
        if not allowed:
            fix = f"site_url 必须是网站的根地址：{SITE_ADDRESS}" if name == "site_url" else LINK.fix
            yield LINK.at(CONFIG_FILE, _line(lines, name, value),
                          f"{CONFIG_FILE} 的 {name}“{_shown(value)}”会印在网站的每个页面上，但这个地址不安全：{fix}")
    for name, value in settings.page_resources:
        if name == "theme.font" or not is_own_url(value):
            yield ELSEWHERE.at(CONFIG_FILE, _line(lines, name, "" if name == "theme.font" else value),
                               f"{CONFIG_FILE} 的 {name}“{_shown(value)}”会让每个页面从其他网站加载文件：{ELSEWHERE.fix}")
    for name, value in settings.page_behaviours:
        what = f"“{_shown(value)}”" if value else " "
        yield BEHAVIOUR.at(CONFIG_FILE, _line(lines, name, value),
                           f"{CONFIG_FILE} 的 {name}{what}{_behaviour(name, value)}：{BEHAVIOUR.fix}")
    if settings.page_direction and settings.page_direction != "ltr":
        yield DIRECTION.at(CONFIG_FILE, _line(lines, "theme.direction", settings.page_direction),
                           f"{CONFIG_FILE} 的 theme.direction“{_shown(settings.page_direction)}”：{DIRECTION.fix}")
    for name, value in settings.theme_missing:
        yield THEME_TEMPLATE.at(CONFIG_FILE, _line(lines, name, value),
                                f"{CONFIG_FILE} 的 {name}“{_shown(value)}”在主题中找不到：{THEME_TEMPLATE.fix}")
    if settings.theme_name != THEME:  # the build refuses it: CI runs the check, which must refuse it first
        yield THEME_NAME.at(CONFIG_FILE, _line(lines, "theme.name", settings.theme_name),
                            f"{CONFIG_FILE} 的 theme.name 是“{_shown(settings.theme_name or '空')}”：{THEME_NAME.fix}")
    written = next((number for number, line in enumerate(lines, start=1) if _SITE_DIR_KEY.match(line)), None)
    # Resolved: a link in the project (`site_dir: out`, out → another site) leads MkDocs out of it as surely.
    if written is not None and settings.site_dir and not Path(settings.site_dir).resolve().is_relative_to(settings.root.resolve()):
        yield SITE_DIR.at(CONFIG_FILE, written, f"{CONFIG_FILE} 的 site_dir 是 {_shown(settings.site_dir)}：{SITE_DIR.fix}")
    for name in DEFAULT_SITES:
        if is_foreign_site(settings.root / name):
            yield FOREIGN_SITE.at(name, 1, f"{name} 已存在，但不是此前生成的网站（是文件、符号链接，"
                                           f"或没有 index.html 和 sitemap.xml 的文件夹）：{FOREIGN_SITE.fix}")
    yield from _committed_output(settings.root)
    for name, value in settings.page_templates:
        yield TEMPLATES.at(CONFIG_FILE, _line(lines, name, value), f"{CONFIG_FILE} 的 {name}“{_shown(value)}”：{TEMPLATES.fix}")
    for name, value in settings.page_scripts:
        what = f"“{_shown(value)}”" if value else ""
        yield SCRIPT.at(CONFIG_FILE, _line(lines, name, value),
                        f"{CONFIG_FILE} 的 {name}{what}会让网站的每个页面加载 gongkai 以外的脚本：{SCRIPT.fix}")
    yield from _printed(ctx)
    yield from _party_address(ctx, lines)


def _party_address(ctx: CheckContext, lines: list[str]) -> Iterator[Problem]:
    """GK544: without the members' site's address, a link written with it is not told from any other site's."""
    settings, project = ctx.settings, ctx.project
    if settings is None or settings.site.party.site_url or project.catalog is None:
        return
    leaves = project.catalog.categories
    if any(leaf.audience == AUDIENCE_PARTY for leaf in leaves) or any(item.audience == AUDIENCE_PARTY for item in project.items):
        yield PARTY_ADDRESS.at(CONFIG_FILE, _line(lines, "plugins.gongkai.party_site", ""),
                               f"{CONFIG_FILE} 没有填写 party_site.site_url，而本站有仅向党员公开的栏目或条目：{PARTY_ADDRESS.fix}")


def _printed(ctx: CheckContext) -> Iterator[Problem]:
    from .published import site_config_texts  # the scans' reading of what every page prints

    texts = list(site_config_texts(ctx))  # the members' notice too: every page of that site prints it
    for text in texts:
        # A value may hold what no text value of the content may (GK016): the page prints it as it is, a
        # right-to-left override reordering what readers see of the site's name on every page.
        if (found := CONTROL.search(text.text)) is not None:
            line = text.document.line_of(*text.key) if text.document is not None and text.key else 1
            yield CONTROL_IN_VALUE.at(CONFIG_FILE, line, f"{CONFIG_FILE} 的 {text.label.removeprefix('网站配置 ')} 中有 "
                                                         f"{describe(found.group())}，它印在每个页面上：请删除它（控制字符和双向"
                                                         "文字控制符会让显示出来的文字与实际的不同）")
    total = sum(len(text.text) for text in texts)
    if total > MAX_PRINTED:
        longest = max(texts, key=lambda text: len(text.text))
        line = longest.document.line_of(*longest.key) if longest.document is not None and longest.key else 1
        name = longest.label.removeprefix("网站配置 ")
        yield PRINTED.at(CONFIG_FILE, line, f"{CONFIG_FILE} 中印在每个页面上的文字有 {total:,} 字，超过 {MAX_PRINTED:,} 字"
                                            f"（最长的是 {name}，{len(longest.text):,} 字）：{PRINTED.fix}")


def _committed_output(root: Path) -> Iterator[Problem]:
    """GK540 for each folder of build output that git tracks files in, GK541 for each that git would add. Git is asked
    only when one of them exists: a fresh checkout (CI's) has none but what was committed."""
    folders = [name for name in (CACHE_DIR, *DEFAULT_SITES)
               if os.path.lexists(root / name) and not (name in DEFAULT_SITES and is_foreign_site(root / name))]
    folders += sorted(_beside_sites(root))
    if not folders:
        return
    repo = repository(root)
    tracked = repo.records(root, "ls-files", "--cached", "-z", "--", *folders) or []
    addable = repo.records(root, "ls-files", "--others", "--exclude-standard", "--directory", "-z", "--", *folders) or []
    for name in folders:
        inside = [path for path in tracked if path == name or path.startswith(f"{name}/")]
        if inside:
            more = f"等 {len(inside)} 个文件" if len(inside) > 1 else ""
            yield COMMITTED_OUTPUT.at(name, 1, f"git 跟踪着 {printable(inside[0])}{more}：{COMMITTED_OUTPUT.fix}")
        elif any(path.rstrip("/") == name or path.startswith(f"{name}/") for path in addable):
            yield UNIGNORED_OUTPUT.at(name, 1, f"{name} 没有被 .gitignore 忽略：{UNIGNORED_OUTPUT.fix}")


def _beside_sites(root: Path) -> Iterator[str]:
    """The folders builds of the default sites make beside them (a killed build's whole new site stays until the next
    build sweeps it away) that are in `root`: committed, such a folder is deleted from the build machine's checkout."""
    names = [beside_site_names(site) for site in DEFAULT_SITES]
    with contextlib.suppress(OSError), os.scandir(root) as entries:
        yield from (entry.name for entry in entries  # the sweeper removes folders only: a file of the name stays put
                    if any(name.fullmatch(entry.name) for name in names) and entry.is_dir(follow_symlinks=False))


def _shown(value: str) -> str:
    printable = "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in value)
    return printable if len(printable) <= SHOWN else printable[: SHOWN - 1] + "…"


def _line(lines: list[str], name: str, value: str) -> int:
    """The line of mkdocs.yml that sets `name` (dotted, with list indexes) to `value`; 1 if not found."""
    if value:
        for number, line in enumerate(lines, start=1):
            if value in line and not line.lstrip().startswith("#"):
                return number
    found = 0  # each key of the dotted name is looked for below the line of the key before it
    for key in (key for key in re.split(r"[.\[\]]", name) if key and not key.isdigit()):
        pattern = re.compile(rf"\s*(?:-\s+)?{re.escape(key)}\s*:")
        found = next((number for number, line in enumerate(lines[found:], start=found + 1) if pattern.match(line)), found)
    return max(found, 1)
