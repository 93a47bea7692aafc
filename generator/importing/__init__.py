"""`gongkai import FILE.docx`: a new item from a 公文 in Word format.

    import_docx(project, source, category, department, published, attach_original) -> Imported

The 标题, 文号 and 成文日期 are recognised (`recognise`), the body becomes Markdown (`blocks`,
`markdown`), pictures and embedded files become attachments (`media`); the item gets the next
free 索引号 (`archetypes.place_item`) and an empty review. Nothing is written until everything
has been read; a refusal (ImportRefused, NewItemRefused) writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..archetypes import NewItemRefused, place_item
from ..catalog_options import implied_genres
from ..limits import MB
from ..model import PUBLIC
from ..project import Project
from ..writer import WriteRefused, make_folders, write_new
from .blocks import FAINT_POINTS, MAX_DEPTH, DocumentReader, Paragraph, Unseen
from .markdown import MarkdownWriter
from .media import AttachmentWriter, Saved, one_line
from .package import ImportRefused, PackageLimits, open_docx
from .recognise import recognise

__all__ = ["ImportRefused", "Imported", "NewItemRefused", "import_docx"]

# 公文 kinds (《党政机关公文处理工作条例》第八条) and other common ones, recognised at the end of a title.
GENRES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
          "纪要", "函", "公示", "方案", "办法", "规定", "细则", "规划", "计划", "总结", "解读")
ATTACHMENT_NOTE = re.compile(r"^附件[:：]?\s*(?:\d+[.．、]?\s*)?(.+)$")
ATTACHMENT_MORE = re.compile(r"^\d+[.．、]\s*(.+)$")


@dataclass
class Imported:
    path: Path
    title: str
    title_from: str  # "文档" when recognised in the text, else where it came from
    doc_no: str
    written: dt.date | None
    genre: str
    attachments: list[Saved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    genre_from: str = ""  # how the genre was chosen: by the title's last word, or the column's genre


def _genre(title: str) -> str:
    return next((genre for genre in GENRES if title.endswith(genre)), "")


def _attachment_titles(paragraphs: list[Paragraph]) -> list[str]:
    """The titles in the 附件说明 (附件：1．名单 / 2．申请表), in order."""
    titles: list[str] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip().replace("\u3000", " ")
        if not titles:
            found = ATTACHMENT_NOTE.match(text)
            if found and len(text) < 80 and text.startswith("附件"):
                titles.append(one_line(found[1]))
        elif more := ATTACHMENT_MORE.match(text):
            titles.append(one_line(more[1]))
        else:
            break
    return titles


def _front_matter(meta: dict) -> str:
    lines = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10000)
    return lines.replace("review: {}\n", "review: {}  # 保密审查：由初审人、复核人用 `gongkai review` 写入，请勿手工填写\n")


def _unseen_notes(unseen: Unseen) -> list[str]:
    """What Word shows otherwise than the page will, for the editor to read before the item is reviewed."""
    def example(kind: str) -> str:
        sample = unseen.samples.get(kind)
        return f"，如“{one_line(sample, 20)}”" if sample else ""

    notes = []
    if unseen.hidden:
        notes.append(f"未导入：Word 中设为“隐藏”的文字 {unseen.hidden} 处{example('hidden')}（Word 中看不到、也不打印）："
                     "确需公开的，在 Word 中取消隐藏（字体 → 隐藏）后重新导入")
    if unseen.deleted:
        notes.append(f"未导入：修订中删除的文字 {unseen.deleted} 处{example('deleted')}：文档按“接受所有修订”导入，"
                     "插入的文字已作为正文；请在 Word 中核对修订是否都应接受")
    if unseen.comments:
        notes.append(f"未导入：批注 {unseen.comments} 条：批注不是正文，需要公开的内容请写入正文")
    if unseen.notes:
        notes.append(f"未导入：脚注或尾注 {unseen.notes} 条：需要公开的内容请写入正文")
    if unseen.charts:
        notes.append(f"未导入：图表或 SmartArt {unseen.charts} 个{example('charts')}：网页不能显示它们；请在 Word 中把它们"
                     "另存为图片（右键 → 另存为图片）插入文档后重新导入，或把数据写入正文的表格")
    if unseen.too_deep:
        notes.append(f"未导入：嵌套超过 {MAX_DEPTH} 层的表格、文本框或内容控件中的文字 {unseen.too_deep} 处{example('too_deep')}："
                     "正常的公文不会这样嵌套，请在 Word 中把这些文字移出嵌套的表格后重新导入")
    if unseen.controls:
        notes.append(f"已删除：控制字符或双向文字控制符 {unseen.controls} 个（Word 中看不到，条目中不允许有，"
                     "例如让文字倒着显示的 U+202E）：请核对相关文字的顺序和内容")
    if unseen.faint:
        notes.append(f"{unseen.faint} 处文字在 Word 中是白色、与底色同色（如黑色底纹上的黑字）、被压扁或小于 {FAINT_POINTS:g} 磅"
                     f"{example('faint')}，读 Word 文档的人看不到，"
                     "已作为正文导入、在网页上可见：请核对这些文字是否应当公开，不应公开的请从条目中删除")
    return notes


def import_docx(project: Project, source: Path, category: str, department: str, published: dt.date,
                attach_original: bool = False, limits: PackageLimits | None = None) -> Imported:
    limits = limits or PackageLimits()
    if source.suffix.lower() != ".docx":
        raise ImportRefused(f"{source.name} 不是 .docx 文件：请在 Word 或 WPS 中“另存为 Word 文档（*.docx）”后再导入")
    placement = place_item(project, category, department, published)
    document = open_docx(source, limits)
    reader = DocumentReader(document)
    found = recognise(reader.blocks())

    title, title_from = one_line(found.title, 200), "文档"
    if not title:
        title = one_line(document.core_properties.title or "", 200)
        title_from = "Word 文档属性"
    if not title:
        title, title_from = one_line(source.stem, 200), "文件名"
    serial = placement.index_no.rsplit("-", 1)[1]
    writer = AttachmentWriter(document, project.attachments_dir, published.year, serial, limits)
    writer.embedded_titles = _attachment_titles([b for b in found.body if isinstance(b, Paragraph)][-40:])
    body = MarkdownWriter(writer.media, writer.link).render(found.body)
    if not body.strip():
        raise ImportRefused(f"{source.name} 中没有找到正文：文档可能是空的，或正文全在图片里（扫描件不能导入，请使用原始的 Word 文件）")
    if attach_original:
        writer.original(source, title)

    meta: dict = {
        "title": title,
        "index_no": placement.index_no,
        "category": placement.category.name,
        "department": placement.department.name,
        "published": published,
        "disclosure": PUBLIC,
    }
    if found.written and found.written <= published:
        meta["written"] = found.written
    elif found.written:
        writer.notes.append(f"成文日期 {found.written} 晚于发布日期 {published}，没有写入：请核对两个日期")
    if found.doc_no:
        meta["doc_no"] = found.doc_no
    genre, genre_from = _genre(title), "按标题末尾的文种判断"
    if not genre:
        genre, genre_from = next(iter(implied_genres(placement.category)), ""), "栏目的体裁"
    if genre:
        meta["genre"] = genre
    if writer.saved:
        meta["attachments"] = [{"title": saved.title, "file": saved.file} for saved in writer.saved]
    meta["review"] = {}
    text = "---\n" + _front_matter(meta) + "---\n\n" + body
    data = text.encode("utf-8")
    if len(data) > project.limits.item_bytes:  # written, the loader would refuse it (GK010) and its 索引号 look free
        raise ImportRefused(f"{source.name} 的正文转换后有 {len(data) / MB:.1f} MB，超过条目大小上限 "
                            f"{project.limits.item_bytes / MB:g} MB（mkdocs.yml 中 gongkai 插件的 limits.item_mb），没有写入任何文件："
                            "大的表格、名单请另存为 Excel 等文件作附件，正文另存为单独的 Word 文档后再导入")

    items_dir = placement.path.parent
    try:  # every folder on the way a real one: a linked items/ would take the new year's folder elsewhere
        make_folders(project.content_dir, items_dir)
    except WriteRefused:
        raise ImportRefused(f"{project.rel(items_dir)} 或其上级目录是符号链接或不是文件夹（可能指向 content/ 之外），"
                            "没有写入任何文件：请换成真实的目录") from None
    written = writer.commit(project.content_dir)
    try:
        write_new(placement.path, data)  # the whole item or none, never over a file saved meanwhile
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    notes = [f"未导入：{what}" for what in found.dropped] + _unseen_notes(reader.unseen) + writer.notes
    return Imported(placement.path, title, title_from, found.doc_no, meta.get("written"), genre, writer.saved, notes,
                    genre_from)
