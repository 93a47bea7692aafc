"""HTML and MHT (a Word altChunk, a page saved into a zip): the text a browser shows, and what its source hides.

The shown text is read as the site's own pages are (`reader_text.visible`: blocks, cells, alt and title
texts, right-to-left runs reversed); comments, scripts, styles and form values are read too, since
anyone who opens the file's source sees them, and what a stylesheet draws (`content: "\\31 39" "1234"`) as
the browser draws it. An MHT (a web page saved as one MIME file) is read part
by part: its pages and texts here, anything else by its type.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import TYPE_CHECKING

from ..attachments import suffix_of
from .core import AS_SHOWN, Reading, named, read
from .text import decode_text

if TYPE_CHECKING:
    from ..reader_text import Declaration

# Elements whose content no browser shows but the source holds.
_HIDDEN = ("script", "style", "noscript", "textarea", "title", "option")
_NESTED = 8  # pages within pages (a template's content, an iframe's srcdoc) read this deep; deeper ones are named


def read_html(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    html_text(decode_text(data), prefix, reading)


def html_text(source: str, prefix: str, reading: Reading, nested: int = 0) -> None:
    """The page's shown text, then what its source holds: hidden elements, every attribute's value (but a picture's
    bytes in a data: address), comments; a template's content and an iframe's srcdoc are pages of their own."""
    from selectolax.lexbor import LexborHTMLParser

    from ..reader_text import visible

    seen = visible(source)
    reading.add(named(prefix, "第 {line} 段"), "\n".join(seen.units))
    tree = LexborHTMLParser(source)
    hidden = [node.text(deep=True) or "" for node in tree.css(",".join(_HIDDEN))]
    stylesheets = [node.text(deep=True) or "" for node in tree.css("style")]
    hidden.extend(_drawn(stylesheets))
    pages: list[str] = []
    scripted = bool(tree.css_first("script"))
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            scripted = scripted or _runs(name, value)
            if not value or (value[:5].lower() == "data:" and ";base64," in value[:100].lower()):
                continue
            (pages if name == "srcdoc" else hidden).append(value)
            if name == "style":
                hidden.extend(_drawn([value]))
                stylesheets.append(value)
        if node.tag == "template":  # its content is a fragment of its own, outside the tree's text
            outer = node.html or ""
            pages.append(outer[outer.find(">") + 1:outer.rfind("</")])
    if scripted:
        reading.runs(named(prefix, "网页中的脚本（打开即在读者的浏览器中运行）"))
    _styled(stylesheets, seen.units, prefix, reading)
    reading.add(named(prefix, "网页源代码中的其他文字（属性、替代文字、提示、注释、脚本、表单值）第 {line} 项"),
                "\n".join([*seen.extra, *hidden, *_comments(source)]))
    for page in pages:
        if nested == _NESTED:
            reading.skip(named(prefix, "嵌套的网页"), f"模板或内嵌网页（srcdoc）嵌套超过 {_NESTED} 层，未读取")
            break
        html_text(page, named(prefix, "模板或内嵌网页（srcdoc）中："), reading, nested + 1)


def _styled(stylesheets: list[str], units: tuple[str, ...], prefix: str, reading: Reading) -> None:
    """What a page's styles draw otherwise than its text: letters in capitals (ı as I: the page is read upper-cased
    too), and list markers an @counter-style joins from several symbols holding digits (named as not read)."""
    from ..reader_text import COUNTER_SYMBOLS, css_declarations, recases

    declarations = [declaration for source in stylesheets if source for declaration in css_declarations(source)]
    if any(map(recases, declarations)):
        reading.add(named(prefix, f"第 {{line}} 段{AS_SHOWN}"), "\n".join(unit.upper() for unit in units))
    if any(declaration.name in COUNTER_SYMBOLS and any(ch.isdigit() for text in declaration.strings for ch in text)
           for declaration in declarations):
        reading.skip(named(prefix, "样式表生成的列表编号"),
                     "编号由样式表中带数字的符号（@counter-style 的 symbols）拼成，显示出的数字无法预先读取")
    if any(map(_word_list_joins, declarations)):
        reading.skip(named(prefix, "Word 网页的列表编号"),
                     "Word 打开网页时按样式表的 @list 生成列表编号（mso-level-…），编号与后面的文字之间没有间隔、编号格式中带数字"
                     "或起始编号很大，显示出的数字无法预先读取")


def _word_list_joins(declaration: Declaration) -> bool:
    """A Word HTML list level (`@list l0:level1 {…}`, which Word builds the list from as it opens the page) whose number
    may join digits beside it: nothing or a space after it (Word's own default is a tab), a digit beside its number in
    its text (`139%1`), or a start past the plain ones, as a document's list is judged (office `_computed_number`)."""
    from .office import _BESIDE_PLACEHOLDER, _LARGEST_PLAIN_START

    if declaration.name == "mso-level-suffix":
        return any(word.lower() in ("none", "space") for word in declaration.words)
    if declaration.name == "mso-level-text":
        return any(_BESIDE_PLACEHOLDER.search(text) for text in (*declaration.strings, *declaration.words))
    if declaration.name == "mso-level-start-at":
        return any(word.isdigit() and int(word) > _LARGEST_PLAIN_START for word in declaration.words)
    return False


def read_css(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """A stylesheet beside a page (a zip of a saved web page): its lines, and what it draws into the page."""
    source = decode_text(data)
    reading.add(named(prefix, "第 {line} 行"), "\n".join([source, *_drawn([source])]))


def _drawn(stylesheets: list[str]) -> list[str]:
    """What stylesheets write into the page (generated content, escapes decoded and strings joined), and their text
    with the escapes decoded: read as written, `\\31 39…` or `"139" "1234"` showed a number no scan found."""
    from ..reader_text import css_generated, css_shown

    return [text for source in stylesheets if source for text in (*css_generated(source), css_shown(source))]


_ADDRESSED = frozenset(("href", "src", "action", "formaction", "data", "xlink:href", "values", "to", "from", "by"))


def _runs(name: str, value: str | None) -> bool:
    """An attribute a browser runs as script: an event handler, or a `javascript:` address (spaces and control
    characters inside the scheme are skipped by browsers too)."""
    if name.lower().startswith("on") and name.lower() != "open":  # `<details open>` is no handler
        return True
    if not value or name.lower() not in _ADDRESSED:
        return False
    # However many blanks and controls come first (a browser drops them all): 60 spaces before `javascript:` passed.
    scheme, colon, _ = value.partition(":")
    return bool(colon) and "".join(ch for ch in scheme if ch > " ").lower() in ("javascript", "vbscript")


def _comments(source: str) -> list[str]:
    """The texts of `<!-- … -->` comments (found with str.find: linear however many are left open)."""
    found, at = [], source.find("<!--")
    while at != -1:
        end = source.find("-->", at + 4)
        if end == -1:
            found.append(source[at + 4:])
            break
        found.append(source[at + 4:end])
        at = source.find("<!--", end + 3)
    return found


def read_mht(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """An MHT page or an e-mail (.eml): its headers (the subject, the people a mail client shows) and every part."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    headers: list[str] = []
    for number, part in enumerate(message.walk(), 1):
        assert isinstance(part, EmailMessage)
        headers.extend(_header_values(part))
        if part.is_multipart():
            continue
        name = part.get_filename() or str(part.get("Content-Location") or "") or f"第 {number} 部分"
        where = named(prefix, f"部分“{name}”：")
        content_type = part.get_content_type()
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if content_type == "text/html":
            html_text(_decoded(part, payload), where, reading)
        elif content_type.startswith("text/"):
            reading.add(named(where, "第 {line} 行"), _decoded(part, payload))
        else:
            read(payload, suffix_of(name.split("?")[0]), where, reading, depth + 1)
    reading.add(named(prefix, "邮件头（主题、发件人、收件人等）第 {line} 项"), "\n".join(headers))


def _header_values(part: EmailMessage) -> list[str]:
    """A part's header values as written and as a mail client shows them (`=?GBK?B?…?=` decoded)."""
    values = []
    for key, raw in part.raw_items():
        values.append(raw)
        try:
            shown = str(part.policy.header_fetch_parse(key, raw))
        except Exception:  # the email package raises on some damaged headers; the value as written is read above
            continue
        if shown != raw:
            values.append(shown)
    return values


def _decoded(part: EmailMessage, payload: bytes) -> str:
    """A text part by the charset it names, else as any text file is decoded."""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            pass
    return decode_text(payload)
