"""Reference checks (GK6xx): attached files, the 解读 link, and Markdown links between items."""

from __future__ import annotations

import difflib
import heapq
import html
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from .. import path_probe
from ..attachments import NAME_RULES, TYPES, Refusal, Resolved, content_hash, name_fault, resolve, unsafe_entries
from ..fields import label
from ..items import MAX_ATTACHMENTS
from ..loading import SourceDocument
from ..model import INDEX_NO_RE, PUBLIC, Item
from ..problems import Problem, listed
from ..project import Project
from ..rules import ERROR, REFERENCES, REVIEW
from ..sanitize import browser_url, is_own_url
from ..settings import MB
from ..values import shown
from .addresses import Locator
from .audiences import HIDDEN_LINK, hidden_from_public, hidden_reason
from .base import CheckContext, body_position
from .schema import misspelled_reference

ALLOWED_TYPES = tuple(TYPES)
SHOWN_PATH = 120  # a path quoted in a message: long enough for any honest one, so a hostile one cannot flood the output

MISSING_FILE = REFERENCES.rule(
    "GK601", ERROR,
    "附件文件不存在",
    "把文件放进 content/attachments/，并核对 file 中的路径和文件名（区分大小写）",
)
OUTSIDE = REFERENCES.rule(
    "GK602", ERROR,
    "附件路径不在 content/attachments/ 之内（绝对路径、..、反斜杠或指向外部的链接）",
    "把文件复制到 content/attachments/ 下，file 写相对于该目录、用 / 分隔的路径",
)
FILE_TYPE = REFERENCES.rule(
    "GK603", ERROR,
    f"附件类型不允许（只允许 {'、'.join(ALLOWED_TYPES)}）",
    "转换为允许的格式（公文优先 PDF 或 OFD，表格用 XLSX 或 CSV）后再附上",
)
NO_POLICY = REFERENCES.rule(
    "GK604", ERROR,
    "解读对象（interprets）指向的索引号不存在",
    "填写被解读文件的索引号，并确认该文件已在 content/items/ 中；被解读的文件是有意删除的，请改写后重新审查签署"
    "（网站照常生成，解读页暂时不显示被解读的文件）",
    # A reference to an item that no longer exists publishes nothing (a dead link). Deleting an item's file takes
    # its page down at the next build; blocking the build on every reference to it kept the page online until each
    # referring item was fixed and signed again (in CI no earlier site tells a deletion from a typo).
    blocks_publishing=False,
)
BAD_POLICY = REFERENCES.rule(
    "GK605", ERROR,
    "解读对象不能被解读：不是主动公开、是本条目自身或是另一篇解读",
    "解读对象须是主动公开的政策文件；若文件不公开，其解读也不应发布",
)
NOT_INTERPRETATION = REFERENCES.rule(
    "GK606", ERROR,
    "填写了解读对象，但本条目不是解读",
    "把主题分类设为政策解读类栏目或体裁写“解读”；不是解读的条目请删除 interprets",
)
BROKEN_LINK = REFERENCES.rule(
    "GK607", ERROR,
    "正文中指向其他条目的链接（.md）找不到目标文件",
    "核对相对路径；链接其他条目请写该条目文件的相对路径。链接的条目是有意删除的，请删除或改写这个链接后重新审查签署"
    "（网站照常生成，这个链接暂时失效）",
    blocks_publishing=False,  # a link to nothing publishes nothing: see GK604
)
UNPUBLISHED_LINK = REFERENCES.rule(
    "GK608", ERROR,
    "正文链接的条目不会在本条目发布时公开（不是主动公开，或尚未到发布日期且晚于本条目）",
    "删除该链接，或等目标条目公开后再加上",
)

SYMLINK = REFERENCES.rule(
    "GK609", ERROR,
    "content/attachments/ 下有符号链接（文件或文件夹）",
    "删除符号链接，把真实文件复制到 content/attachments/ 中（网站只发布真实文件，链接可能指向不该公开的文件）",
)
SPECIAL_FILE = REFERENCES.rule(
    "GK610", ERROR,
    "content/attachments/ 下有设备文件、管道（FIFO）或套接字，或附件指向一个文件夹",
    "删除这类特殊文件；附件只能是普通文件",
)
TOO_LARGE = REFERENCES.rule(
    "GK611", ERROR,
    "附件超过大小上限（mkdocs.yml 中 gongkai 插件的 limits.attachment_mb，默认 100 MB）",
    "压缩或拆分文件（例如把扫描件转为文字版 PDF、把大表格按年度拆开）；确需更大的文件时，由网站管理员调高 limits.attachment_mb",
)
WITHDRAWN_SHARED = REFERENCES.rule(
    "GK612", ERROR,
    "已撤回条目的附件仍被其他主动公开的条目引用（同一文件或内容相同的文件），撤回后仍会在网站上公开",
    "确认该附件是否应当继续公开：不应公开的，从其他条目中一并删除；应当公开的，从已撤回条目中删除该附件",
)
NOT_ITS_TYPE = REFERENCES.rule(
    "GK616", ERROR,
    "附件的内容与扩展名不符（是网页、空文件，或不是扩展名所说的格式）",
    "用原来的软件打开文件，另存为扩展名所说的格式（或 PDF、OFD）后重新附上：没有设置类型的网站服务器会让浏览器按内容"
    "猜测类型，改了扩展名的网页会在本单位网站的地址下运行其中的脚本",
)
RENAMED_TARGET = REVIEW.rule(
    "GK225", ERROR,
    "正文链接的条目文件名与它的索引号不符（条目文件被改名或互换过，链接已不指向审查时的那条信息）",
    "把条目文件名改回与其索引号一致（年份-五位流水号.md）；若链接确应指向这条信息，修改链接后重新审查本条目",
)

_MD = re.compile(r"\.[mM][dD]")
# An item file named as `gongkai new` names it: the year and serial of its 索引号.
_INDEX_FILE = re.compile(r"^([0-9]{4}-[0-9]{5})\.md$", re.I)
# The link forms Python-Markdown reads: the address may stand on the line after `](` or `]:`, in angle
# brackets with spaces, a title after it on the next line (any link it makes MkDocs resolves, so each must be
# seen here: GK225, GK607, GK608). Each pattern bounds every repetition by a character class the next part
# cannot start with, so matching is linear in the body however it is written: the address ends at its first
# `#` (where a browser's path ends too) and the fragment is possessive, never given back one character at a
# time (a `.md#` run of 125 KB held a check 80 s: each `.md` retried the fragment to the end of the run). What
# follows the address is only looked at (a title is not matched to its end: a link whose title the check
# could not follow was missed); Python-Markdown ends a bare address at a quote, so the fragment does too.
_INLINE_LINK = re.compile(
    r"\]\(\s*(?:<([^<>\n#]+?\.md)(#[^<>\n]*+)?>|([^()\s<>#]+?\.md)(#[^()\s<>\"']*+)?)(?=\s*[)\"'(])", re.I
)
_REFERENCE_LINK = re.compile(
    r"^ {0,3}\[[^\[\]\n]+\]:[ \t]*(?:\n[ \t]*)?(?:<([^<>\n#]+?\.md)(#[^<>\n]*+)?>|([^\s#]+?\.md)(#\S*+)?)(?:\s|$)",
    re.I | re.M,
)


TOO_MANY_ATTACHMENTS = REFERENCES.rule(
    "GK615", ERROR,
    "一个条目的附件超过 300 个",
    "把附件合并（例如打包成一个 ZIP 或合成一个 PDF），或分成几条信息发布",
)
# A missing file's hint compares its name with its folder's: at most this many names, each folder listed once.
MAX_HINT_NAMES = 2000


def is_interpretation(item: Item) -> bool:
    return "解读" in item.genre or (item.category is not None and "解读" in item.category.name)


def check(ctx: CheckContext) -> Iterator[Problem]:
    project = ctx.project
    by_path = {item.path: item for item in project.items}
    attachments_dir, limit = project.attachments_dir, ctx.attachment_limit
    folders: dict[Path, list[str]] = {}
    for item, doc in ctx.sources():
        yield from _attachments(doc, attachments_dir, limit, folders)
        yield from _interprets(item, doc, ctx)
        yield from _links(item, doc, ctx, by_path)
    yield from _unsafe_files(project)
    yield from _withdrawn_still_attached(ctx)


def _attachments(doc: SourceDocument, attachments_dir: Path, limit: int,
                 folders: dict[Path, list[str]] | None = None) -> Iterator[Problem]:
    entries = doc.meta.get("attachments")
    if not isinstance(entries, list):
        return
    if len(entries) > MAX_ATTACHMENTS:
        yield TOO_MANY_ATTACHMENTS.at(doc.path, doc.line_of("attachments", MAX_ATTACHMENTS),
                                      f"本条目列出了 {len(entries)} 个附件，超过上限 {MAX_ATTACHMENTS} 个（从这一行起的附件未检查）："
                                      "请把附件合并（例如打包成一个 ZIP 或合成一个 PDF），或分成几条信息发布")
        entries = entries[:MAX_ATTACHMENTS]
    folders = {} if folders is None else folders
    for index, entry in enumerate(entries):
        file = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(file, str) or not file.strip():
            continue  # the schema family reports it
        where = ("attachments", index, "file")
        line, col, name = doc.line_of(*where), doc.value_col(*where), label(*where)
        resolved = resolve(attachments_dir, file, limit)
        for refusal in resolved.refusals:
            yield _refused(refusal, resolved, attachments_dir, limit, (doc.path, line, col), f"{name}“{shown(file, SHOWN_PATH)}”", folders)


def _refused(refusal: Refusal, resolved: Resolved, attachments_dir: Path, limit: int, at: tuple[str, int, int],
             named: str, folders: dict[Path, list[str]] | None = None) -> Problem:
    path, line, col = at
    if refusal is Refusal.OUTSIDE:
        return OUTSIDE.at(path, line,
                          f"{named}不是 content/attachments/ 内的相对路径：请把文件放进 content/attachments/，"
                          "写相对于该目录、用 / 分隔的路径（不能有 ..、./、反斜杠、盘符或控制字符），例如 2021/名单.pdf", col)
    if refusal is Refusal.TYPE:
        return FILE_TYPE.at(path, line,
                            f"{named}的类型 .{resolved.suffix or '（无扩展名）'} 不允许：只允许 {'、'.join(ALLOWED_TYPES)}，"
                            "请转换格式后再附上", col)
    if refusal is Refusal.NAME:
        return FILE_TYPE.at(path, line, f"{named}的{name_fault(resolved.file)}。请改名后重新附上：{NAME_RULES}，例如 2024-03-15通知.pdf",
                            col)
    if refusal is Refusal.SYMLINK:
        where = "本身" if resolved.detail == resolved.file else f"所在的 {resolved.detail}"
        return SYMLINK.at(path, line,
                          f"{named}{where}是符号链接：网站不发布符号链接，请把真实文件复制到 content/attachments/ 中", col)
    if refusal is Refusal.CONTENT:
        return NOT_ITS_TYPE.at(path, line, f"{named}{resolved.detail}。请用原来的软件打开它，另存为 .{resolved.suffix}"
                                           "（或 PDF、OFD）后重新附上", col)
    if refusal is Refusal.SPECIAL:
        return SPECIAL_FILE.at(path, line, f"{named}是{resolved.detail}，不是普通文件：附件只能是普通文件", col)
    if refusal is Refusal.TOO_LARGE:
        return TOO_LARGE.at(path, line,
                            f"{named}有 {resolved.size / MB:.1f} MB，超过上限 {limit / MB:g} MB："
                            "请压缩或拆分文件，确需更大时由网站管理员调高 mkdocs.yml 中的 limits.attachment_mb", col)
    return MISSING_FILE.at(path, line, f"{named}不存在{_nearby(attachments_dir, resolved.file, folders)}", col)


def _unsafe_files(project: Project) -> Iterator[Problem]:
    """Links and special files anywhere under content/attachments/, attached or not."""
    for unsafe in unsafe_entries(project.attachments_dir):
        path = project.rel(unsafe.path)
        if unsafe.refusal is Refusal.SYMLINK:
            target = f"（指向 {unsafe.detail}）" if unsafe.detail else ""
            yield SYMLINK.at(path, 1, f"{path} 是符号链接{target}：网站不发布符号链接，请删除它，把真实文件复制到这里")
        else:
            yield SPECIAL_FILE.at(path, 1, f"{path} 是{unsafe.detail}，不是普通文件：请删除它")


def _withdrawn_still_attached(ctx: CheckContext) -> Iterator[Problem]:
    """A withdrawn item's attachment that a public, not withdrawn item attaches too (same path or same
    bytes) stays on the site: the withdrawal would not take it down."""
    project = ctx.project
    withdrawn = [item for item in project.items if item.withdrawn is not None and item.disclosure == PUBLIC]
    if not withdrawn:
        return
    limit = ctx.attachment_limit
    # The paths of the items attaching each identity, each path once: an item attaching one file 300 times was listed
    # 300 times, and every withdrawn attachment read every holder of its file again (50 withdrawn and 50 public items
    # attaching one file 300 times each took a check 90 s, growing with the square of both).
    kept: dict[str, dict[str, None]] = {}
    for item in project.items:
        if item.withdrawn is None and item.disclosure == PUBLIC:
            for attachment in item.attachments:
                for key in _identities(project, attachment.file, limit):
                    kept.setdefault(key, {})[item.path] = None
    holders: dict[tuple[str, ...], str] = {}  # the identities of a withdrawn attachment → the holders' list, made once
    first: dict[str, list[str]] = {}  # an identity → the first of its holders' paths in order, made once
    documents = project.documents
    for item in withdrawn:
        doc = documents.get(item.path)
        for index, attachment in enumerate(item.attachments):
            identities = _identities(project, attachment.file, limit)
            if identities not in holders:
                holders[identities] = _holders(kept, first, identities)
            if not holders[identities] or doc is None:
                continue
            where = ("attachments", index, "file")
            yield WITHDRAWN_SHARED.at(doc.path, doc.line_of(*where),
                                      f"{label(*where)}“{attachment.file}”（或内容相同的文件）还被 {holders[identities]} 引用，"
                                      "本条目撤回后它仍会在网站上公开：不应公开的，请从这些条目中一并删除；"
                                      "应当公开的，请从本条目中删除该附件", doc.value_col(*where))


_SHOWN_HOLDERS = 5  # as `listed` shows them


def _holders(kept: dict[str, dict[str, None]], first: dict[str, list[str]], identities: tuple[str, ...]) -> str:
    """`listed` of the sorted paths holding any of `identities`, "" for none, in time linear in the smaller sets (a
    file's path is held by no more items than its bytes) however many items hold the largest: its first paths
    (`first`) are sorted out once."""
    keys = sorted(identities, key=lambda key: len(kept.get(key, {})))
    if not keys or not kept.get(keys[-1]):
        return ""
    largest = kept[keys[-1]]
    extra = {path: None for key in keys[:-1] for path in kept.get(key, {}) if path not in largest}
    if keys[-1] not in first:
        first[keys[-1]] = heapq.nsmallest(_SHOWN_HOLDERS, largest)
    return listed(sorted({*extra, *first[keys[-1]]})[:_SHOWN_HOLDERS], total=len(largest) + len(extra))


def _identities(project: Project, file: str, limit: int) -> tuple[str, ...]:
    resolved = resolve(project.attachments_dir, file, limit)
    if not resolved.publishable:
        return ()
    return (f"path:{resolved.file}", f"sha256:{content_hash(resolved)}")


def _nearby(attachments_dir: Path, file: str, folders: dict[Path, list[str]] | None = None) -> str:
    """A hint for a missing file: a name of its folder close to it (`folders`: the folders listed so far)."""
    folder = (attachments_dir / file).parent
    folders = {} if folders is None else folders
    if folder not in folders:
        try:
            folders[folder] = [p.name for p in folder.iterdir() if path_probe.is_file(p)][:MAX_HINT_NAMES + 1]
        except (OSError, ValueError):  # no such folder, or a name no file system takes
            folders[folder] = []
    names = folders[folder]
    close = difflib.get_close_matches(Path(file).name, names, n=1, cutoff=0.5) if len(names) <= MAX_HINT_NAMES else []
    if close:
        return f"：是否想写“{posixpath.join(posixpath.dirname(file), close[0])}”？（文件名区分大小写）"
    return "：请把文件放进 content/attachments/ 对应位置，或核对路径"


def _interprets(item: Item, doc: SourceDocument, ctx: CheckContext) -> Iterator[Problem]:
    if not item.interprets:
        return
    line, col, name = doc.line_of("interprets"), doc.value_col("interprets"), label("interprets")
    if not is_interpretation(item):
        yield NOT_INTERPRETATION.at(doc.path, line,
                    f"填写了{name}，但本条目不是解读：请把主题分类设为政策解读类栏目，或把体裁（genre）写为“解读”；"
                    "不是解读的请删除 interprets", col)
    target = ctx.project.item_by_index_no(item.interprets)
    if target is None:
        named = _by_doc_no(ctx).get(_plain(item.interprets))
        hint = (f"；“{item.interprets}”是 {named.path} 的文号，不是索引号：请改为它的索引号 {named.index_no}"
                if named else "：请填写被解读文件的索引号，并确认该文件已在 content/items/ 中")
        misspelled = misspelled_reference(doc, "interprets", item.interprets, ctx.project, hint if named else "")
        yield misspelled or NO_POLICY.at(doc.path, line, f"{name} {item.interprets} 不存在{hint}", col)
    elif target is item:
        yield BAD_POLICY.at(doc.path, line, f"{name}指向本条目自身：请填写被解读的政策文件的索引号", col)
    elif target.disclosure != PUBLIC:
        yield BAD_POLICY.referring(doc.path, line,
                    f"{name} {item.interprets}（{target.path}）的公开属性是“{target.disclosure}”：不公开的文件不能发布解读，"
                    "请核对索引号，或不发布本解读", col, referrer=item, target=target)
    elif is_interpretation(target):
        yield BAD_POLICY.at(doc.path, line,
                    f"{name} {item.interprets}（{target.path}）本身是一篇解读：请填写被解读的政策文件的索引号", col)


def _by_doc_no(ctx: CheckContext) -> dict[str, Item]:
    """Items by their plain 文号 (the first of each), made once a check: each 解读 naming no 索引号 read every item's
    文号 again, and 5,000 of them among 5,000 items kept a check busy 22 s more (quadratic)."""
    found = ctx.cache("items by plain doc_no")
    if not found:
        for other in ctx.project.items:
            if other.doc_no:
                found.setdefault(_plain(other.doc_no), other)
        found.setdefault("", None)  # made, even when no item has a 文号
    return found


def _plain(doc_no: str) -> str:
    """A 文号 without spaces and brackets, so 青住建规[2021]3号 finds 青住建规〔2021〕3号."""
    return re.sub(r"[\s\[\]()（）〔〕【】［］]", "", doc_no)


# A backslash escape, which Python-Markdown takes off an inline link's destination (2024\-00001.md links 2024-00001.md),
# not a reference definition's.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_links(body: str) -> Iterator[tuple[str, int]]:
    """(href, offset) of every relative link to a .md file in Markdown `body`, percent-decoded."""
    if not _MD.search(body):  # most bodies link no item; skip the two link patterns
        return
    for pattern in (_INLINE_LINK, _REFERENCE_LINK):
        for found in pattern.finditer(body):
            group = 1 if found[1] is not None else 3  # in angle brackets, or bare
            written = found[group] if pattern is _REFERENCE_LINK else _ESCAPED.sub(r"\1", found[group])
            href = unquote(html.unescape(written))  # as the browser reads it: references, then escapes
            if "://" not in href and not href.startswith(("//", "mailto:")):
                yield href, found.start(group)


def link_path(folder: str, href: str, content: str) -> str:
    """The project path a relative link to a .md file names from an item or page in `folder`: one from the site's root
    (/items/…) names a file of the content folder, as MkDocs resolves it under `validation.links.absolute_links:
    relative_to_docs` (elsewhere it is left as written, and names that file to every reader all the same)."""
    if href.startswith("/"):
        return posixpath.normpath(posixpath.join(content, href.lstrip("/")))
    return posixpath.normpath(posixpath.join(folder, href))


def file_links(body: str, links: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """(href, offset) of every relative link to a .md file of `body`: its Markdown links (`markdown_links`), then
    every other one its rendered HTML holds (`links`, from `BodyView.links`): a raw HTML anchor or attr_list's href,
    which MkDocs does not rewrite, names the file to every reader of the page as a dead link."""
    seen = set()
    locate = Locator(body)
    for href, offset in markdown_links(body):
        seen.add(href)
        yield href, offset
    for raw in links:
        if not is_own_url(raw):
            continue
        cleaned = browser_url(raw)
        href = unquote(re.split("[?#]", cleaned, maxsplit=1)[0])
        if href.lower().endswith(".md") and not href.startswith("//") and href not in seen:
            seen.add(href)
            yield href, locate(raw)


def item_at(ctx: CheckContext, by_path: dict[str, Item], path: str) -> Item | None:
    """The item at the project path `path`, or at another case of it: a link so written is dead on the site's server,
    yet it names the item to every reader."""
    target = by_path.get(path)
    if target is None:
        folded = ctx.cache("items by folded path")
        if not folded:
            folded.update((name.casefold(), other) for name, other in reversed(by_path.items()))
        target = folded.get(path.casefold())
    return target


def _links(item: Item, doc: SourceDocument, ctx: CheckContext, by_path: dict[str, Item]) -> Iterator[Problem]:
    links = ctx.views().links(item.body)
    if not links and "[" not in item.body:  # a Markdown link needs its bracket
        return
    project = ctx.project
    folder = posixpath.dirname(item.path)
    content = project.rel(project.content_dir)
    readable_elsewhere = (f"{content}/pages/", f"{content}/items/")
    for href, offset in file_links(item.body, links):
        line, col = body_position(item, offset)
        target_path = link_path(folder, href, content)
        target = item_at(ctx, by_path, target_path)
        if target is None:
            # An authored page, or an item whose own reading problem is reported in its file.
            if target_path.startswith(readable_elsewhere) and path_probe.is_file(project.root / target_path):
                continue
            yield BROKEN_LINK.at(doc.path, line,
                        f"链接“{shown(href, SHOWN_PATH)}”找不到对应的条目（解析为 {shown(target_path, SHOWN_PATH)}）："
                        "请核对相对路径和文件名", col)
        elif (named := _INDEX_FILE.match(posixpath.basename(target_path))) and (
                number := INDEX_NO_RE.match(target.index_no)) and named[1] != f"{number['year']}-{number['serial']}":
            # A link is bound to the item it names only through the file name the reviewers signed:
            # two files swapped (each unchanged, each still signed) send it to another item.
            yield RENAMED_TARGET.at(doc.path, line,
                        f"链接“{href}”指向的 {target_path} 是索引号 {target.index_no} 的条目，与文件名不符："
                        f"条目文件被改名或互换过，本条目审查时链接的应是 {named[1]} 那条信息。{RENAMED_TARGET.fix}", col)
        elif target.disclosure != PUBLIC:
            yield UNPUBLISHED_LINK.referring(doc.path, line,
                        f"链接的条目 {target_path} 的公开属性是“{target.disclosure}”，不会出现在网站上："
                        "请删除该链接", col, referrer=item, target=target)
        elif target.published and item.published and target.published > max(item.published, ctx.today):
            # A link to an item that is already public works, however old the linking item is;
            # only a target still scheduled after the linking item goes live would 404.
            yield UNPUBLISHED_LINK.referring(doc.path, line,
                        f"链接的条目 {target_path} 的发布日期 {target.published} 晚于本条目（{item.published}），"
                        "本条目发布时该链接将无法打开：请删除该链接，或调整发布日期", col, referrer=item, target=target)
        elif item.disclosure == PUBLIC and hidden_from_public(item, target, ctx.today):
            yield HIDDEN_LINK.referring(doc.path, line,
                        f"本条目向社会公开，但链接的 {hidden_reason(target)}：公众网站上不能出现指向它的链接；"
                        "请删除该链接，或把本条目也设为党内", col, referrer=item, target=target)
