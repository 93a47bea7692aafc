"""mkdocs.yml settings that reach every page as a link, a script or a file it loads (GK520–GK523).

MkDocs and Material print some settings of mkdocs.yml on every page as they are written: the
site's address (canonical links, feeds, sitemap, robots.txt), the repository and home links, the
language and social links, and extra scripts; gongkai prints the footer's links. Nothing there is
reviewed like content, so a link must pass the same rule as a link in a body (a `javascript:`
address runs script when it is clicked; the site's address and the footer's links must be
http(s) web addresses), a script gongkai does not ship is an error, and so is anything a page would
load from another site (a stylesheet, the logo, the icon, Google's fonts): readers' browsers would
ask it for every page they open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..problems import Problem
from ..rules import ERROR, MARKUP
from ..sanitize import is_own_url, link_allowed
from ..site.options import is_web_address
from ..site_config import CONFIG_FILE
from .base import CheckContext

LOCAL = False  # reads mkdocs.yml, not the items

LINK = MARKUP.rule(
    "GK520", ERROR,
    "mkdocs.yml 中印在每个页面上的网址不安全",
    "site_url 和页脚（footer）的链接只能写 https:// 或 http:// 开头的网址；repo_url 和 extra 中的链接只能写 "
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
        links.insert(0, ("site_url", settings.site_url, is_web_address(settings.site_url)))
    footer = settings.site.footer
    bad_footer = set(footer.bad_urls())
    links += [(f"plugins.gongkai.footer.{name}", getattr(footer, name), name not in bad_footer) for name in footer.URLS]
    for name, value, allowed in links:
        if not allowed:
            yield LINK.at(CONFIG_FILE, _line(lines, name, value),
                          f"{CONFIG_FILE} 的 {name}“{_shown(value)}”会印在网站的每个页面上，但这个地址不安全：{LINK.fix}")
    for name, value in settings.page_resources:
        if name == "theme.font" or not is_own_url(value):
            yield ELSEWHERE.at(CONFIG_FILE, _line(lines, name, "" if name == "theme.font" else value),
                               f"{CONFIG_FILE} 的 {name}“{_shown(value)}”会让每个页面从其他网站加载文件：{ELSEWHERE.fix}")
    for name, value in settings.page_scripts:
        what = f"“{_shown(value)}”" if value else ""
        yield SCRIPT.at(CONFIG_FILE, _line(lines, name, value),
                        f"{CONFIG_FILE} 的 {name}{what}会让网站的每个页面加载 gongkai 以外的脚本：{SCRIPT.fix}")


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
