"""The one allowlist sanitiser of rendered HTML, and an exact account of what it removes.

Every rendered Markdown body (items, pages, report texts) passes `sanitize` in the build;
`gongkai check` calls `removals` on the same HTML and reports each removal as an error, so the
build's sanitiser never has anything to do on content that passed the check. The sanitiser is
Ammonia (through nh3), which parses like a browser (html5ever) and checks URLs with the WHATWG
URL parser, so disguises such as `java&#115;cript:` or a tab inside the scheme are seen through.

`removals` walks the same HTML parsed by lexbor (another HTML5 parser) and applies the same tables
and the same `_keep_attribute` filter nh3 calls; whether a URL survives is asked of nh3 itself.
As a last line, it compares the tree before and after `sanitize`: a difference it cannot explain
is still reported, so the check can never pass HTML that the build would change.

Policy (what a government notice needs, and nothing that runs code, restyles the page or loads
from elsewhere): text-level and block elements, tables with colspan/rowspan and `align`
(Python-Markdown's tables with `use_align_attribute`), footnotes, heading ids, images from our own
(relative) URLs without a fragment, links to http/https/mailto/tel or relative targets. No `style`, no event handlers,
no forms, frames, scripts or embedded objects; `class` only with the names Markdown's own
extensions write; ids that cannot clobber the page's own (Material's `__…`, ours `gk-…`, `gongkai-…`, `md-…`).
HTML comments are dropped without a report: they are not content, and they would publish notes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape

import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TAGS = frozenset(
    (*HEADINGS, "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp", "var",
     "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "q", "abbr", "span", "div",
     "ul", "ol", "li", "dl", "dt", "dd",
     "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
     "a", "img", "figure", "figcaption")
)
# Removed with everything inside: their content is code, markup or a form, not text for readers.
CLEAN_CONTENT_TAGS = frozenset(
    ("script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
     "svg", "math", "textarea", "select", "title", "xmp", "noembed", "noframes")
)
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset(("id",)),
    "a": frozenset(("href", "title", "class")),
    "img": frozenset(("src", "alt", "title", "width", "height")),
    "abbr": frozenset(("title",)),
    "ol": frozenset(("start",)),
    "th": frozenset(("colspan", "rowspan")),
    "td": frozenset(("colspan", "rowspan")),
    "col": frozenset(("span",)),
    "colgroup": frozenset(("span",)),
    "code": frozenset(("class",)),
    "div": frozenset(("class",)),
    "p": frozenset(("class",)),
}
ALIGN = frozenset(("left", "center", "right"))
ATTRIBUTE_VALUES: dict[str, dict[str, frozenset[str]]] = {"th": {"align": ALIGN}, "td": {"align": ALIGN}}
URL_SCHEMES = frozenset(("http", "https", "mailto", "tel"))
URL_ATTRIBUTES = frozenset(("href", "src"))
# The admonition types Material draws (with their other names): `!!! note` writes `class="admonition note"`.
ADMONITION_TYPES = frozenset((
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite",
))
# The class names Python-Markdown's footnotes, toc and admonition extensions write, and fenced code's language.
CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset(("footnote-ref", "footnote-backref", "headerlink", "toclink")),
    "div": frozenset(("footnote", "toc", "admonition")) | ADMONITION_TYPES,
    "p": frozenset(("admonition-title",)),
}
LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
# Classes whose text the theme hides: Material draws a footnote's back-link as an icon with its text at font-size 0,
# and shows a heading's permalink only while the heading is hovered. Markdown writes a symbol there (↩, ¶); a link of
# these classes holding anything else (words, digits, an element) keeps them without the class, visible, so that no
# text can sit in the page (its search text, a copy, a screen reader) where the reviewer's eye never sees it.
HIDDEN_TEXT_CLASSES = frozenset(("footnote-backref", "headerlink"))
SYMBOL_TEXT = 8  # characters of symbols and punctuation a link of these classes may hold
# Heading, footnote and anchor ids; not the page's own namespaces (Material `__…`, gongkai `gk-…` and `gongkai-…`: the
# search page's form and box; `md-…`).
SAFE_ID = re.compile(r"(?!__|gk-|gongkai-|md-)[\w:.-]{1,100}")
# What browsers ignore in a URL before reading it (WHATWG URL: C0 controls and spaces around, tabs and
# line breaks anywhere); a backslash counts as a slash in http(s) URLs.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """The value to keep of an attribute that passed the tables (None: remove it). nh3 calls this too."""
    if attribute == "id":
        return value if SAFE_ID.fullmatch(value) else None
    if attribute == "class":
        kept = [name for name in value.split() if _allowed_class(tag, name)]
        return " ".join(kept) if kept and len(kept) == len(value.split()) else None
    if tag == "img" and attribute == "src":
        # No fragment: Material hides `#only-dark` pictures in the light scheme and `#only-light` ones in the dark (and
        # GitHub's `#gh-…-mode-only`), so a picture would show to some readers and never to the reviewer's eye.
        return value if is_own_url(value) and "#" not in value else None
    return value


def _allowed_class(tag: str, name: str) -> bool:
    if tag == "code":
        return LANGUAGE_CLASS.fullmatch(name) is not None
    return name in CLASSES.get(tag, ())


def is_own_url(url: str) -> bool:
    """A relative URL on this site: no scheme and no host (`//host`, `\\\\host`)."""
    cleaned = browser_url(url)
    return not cleaned.startswith("//") and url_scheme(cleaned) is None


def browser_url(url: str) -> str:
    """`url` as a browser reads an attribute's value before parsing it: C0 controls and spaces around it and tabs and
    line breaks anywhere dropped, a backslash read as a slash (as in http(s) URLs)."""
    return _URL_IGNORED.sub("", url.strip(_C0_AND_SPACE)).replace("\\", "/")


def url_scheme(cleaned: str) -> str | None:
    """The scheme of a URL `browser_url` cleaned, lower-cased, or None (a relative URL)."""
    found = _SCHEME.match(cleaned)
    return found[0][:-1].lower() if found else None


def _nh3_attributes() -> dict[str, set[str]]:
    return {tag: set(names) for tag, names in ATTRIBUTES.items()}


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes=_nh3_attributes(),
    tag_attribute_values={tag: {name: set(values) for name, values in table.items()} for tag, table in ATTRIBUTE_VALUES.items()},
    attribute_filter=_keep_attribute,
    strip_comments=True,
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
)
# Asks nh3 whether one URL survives its scheme check (the WHATWG parse included).
_URL_PROBE = nh3.Cleaner(tags={"a"}, clean_content_tags=set(), attributes={"a": {"href"}}, link_rel=None,
                         url_schemes=set(URL_SCHEMES))


def sanitize(html: str) -> str:
    """`html` with everything outside the allowlist removed."""
    cleaned = _CLEANER.clean(_bounded(html))
    if any(name in cleaned for name in HIDDEN_TEXT_CLASSES):
        cleaned = _shown(cleaned)
    return cleaned


# nh3 takes time quadratic in the length of one run of text, or one attribute value, that holds "&", a no-break space
# or another character of U+0080–U+00BF (400,000 characters of "a&" took 2.5 s, 2 MB a minute; a run of other
# characters, or one broken by "<", takes milliseconds). Runs longer than `_RUN` are cut by empty comments, which it
# drops: its output is the same, in linear time.
_RUN = 4096
_TAG_CHARS = 16_384  # a tag longer than this (an attribute value of thousands of characters) is passed without them
# A start or end tag as the HTML tokenizer ends it (quoted values may hold ">"); not across a "<", so that a failed
# match costs no more than the stretch to the next "<". Possessive: a name and attributes never give back what they
# took (each character has one way to be read), or a "<Z" before 60,000 characters with no ">" took 68 s to refuse.
_TAG_AT = re.compile(r"<(/?)([A-Za-z][^\s/<>]*+)((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*+)>")
_TAG_OPEN = re.compile(r"<[A-Za-z]")
_RAW_TEXT = frozenset(("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
                       "plaintext"))
_CUTTABLE = re.compile(r"[^A-Za-z0-9#;]")  # a text is cut only before one of these: never inside a character reference


def _bounded(html: str) -> str:
    """`html` with its long runs of text cut by empty comments and its over-long tags without their attributes."""
    if not _has_long_run(html):
        return html  # every body but a hostile one
    pieces: list[str] = []
    at, size = 0, len(html)
    lowered = None
    while at < size:
        start = html.find("<", at)
        stop = size if start == -1 else start
        pieces.append(_cut(html[at:stop]))
        if start == -1:
            break
        if html.startswith("<!--", start):  # a comment, up to "-->" ("<!-->" and "<!--->" end at once)
            end = next((start + len(empty) for empty in ("<!-->", "<!--->") if html.startswith(empty, start)), None)
            found = html.find("-->", start + 4)
            end = end if end is not None else (size if found == -1 else found + 3)
        elif (tag := _TAG_AT.match(html, start)) is not None:
            end = tag.end()
            pieces.append(tag[0] if len(tag[0]) <= _TAG_CHARS else f"<{tag[1]}{tag[2]}>")
            if not tag[1] and tag[2].lower() in _RAW_TEXT:  # its text runs to its end tag, markup or not
                lowered = lowered if lowered is not None else html.lower()
                close = lowered.find(f"</{tag[2].lower()}", end)
                pieces.append(html[end:size if close == -1 else close])
                end = size if close == -1 else close
            at = end
            continue
        elif html.startswith(("<!", "<?", "</"), start) or _TAG_OPEN.match(html, start):
            # a bogus comment, or a tag whose name or attributes hold a "<" (the tokenizer reads it as part of
            # them): up to the next ">"
            found = html.find(">", start)
            end = size if found == -1 else found + 1
        else:  # a "<" that opens nothing is text
            end = start + 1
        pieces.append(html[start:end])
        at = end
    return "".join(pieces)


def _has_long_run(html: str) -> bool:
    at = 0
    while (start := html.find("<", at)) != -1:
        if start - at > _RUN:
            return True
        at = start + 1
    return len(html) - at > _RUN


def _cut(text: str) -> str:
    if len(text) <= _RUN:
        return text
    pieces = []
    at = 0
    while len(text) - at > _RUN and (cut := _CUTTABLE.search(text, at + _RUN // 2)) is not None:
        pieces += [text[at:cut.start()], "<!---->"]
        at = cut.start()
    pieces.append(text[at:])
    return "".join(pieces)


def _shown(cleaned: str) -> str:
    """`cleaned` without the hiding classes on links that hold more than a symbol (see HIDDEN_TEXT_CLASSES)."""
    body = LexborHTMLParser(_DOCUMENT + cleaned).body
    hiding = [node for node in body.css("a[class]") if hides_text(node)] if body is not None else []
    if body is None or not hiding:
        return cleaned
    for node in hiding:
        del node.attrs["class"]
    return body.inner_html or ""


def hides_text(node: LexborNode) -> bool:
    """Whether `node` is a link of a class the theme hides the text of, holding more than a short run of symbols."""
    classes = (node.attributes.get("class") or "").split()
    if node.tag != "a" or not HIDDEN_TEXT_CLASSES.intersection(classes):
        return False
    if any(child.is_element_node for child in node.iter(include_text=False)):
        return True
    text = "".join((node.text(deep=True) or "").split())
    return len(text) > SYMBOL_TEXT or any(unicodedata.category(char)[0] not in "SP" for char in text)


@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser removes: an element, an attribute, or an attribute for its URL."""

    kind: str  # ELEMENT | ATTRIBUTE | URL | CHANGE
    tag: str
    attribute: str = ""
    value: str = ""

    def needles(self) -> tuple[str, ...]:
        """Text to look for in the Markdown source to find where this came from, most specific first."""
        if self.kind == ELEMENT:
            return (f"<{self.tag}",)
        if self.kind == CHANGE:
            return ()
        found = [self.value] if self.kind == URL and self.value else []
        return (*found, f"{self.attribute}=", self.attribute, f"<{self.tag}")

    def describe(self) -> str:
        """Chinese, for a message: what is removed."""
        if self.kind == ELEMENT:
            return f"HTML 标签 <{self.tag}>"
        if self.kind == URL:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            return f"<{self.tag}> 的地址 {self.attribute}=“{shown}”"
        if self.kind == ATTRIBUTE:
            return f"<{self.tag}> 的属性 {self.attribute}"
        return f"<{self.tag}> 附近的 HTML 写法"


ELEMENT, ATTRIBUTE, URL, CHANGE = "element", "attribute", "url", "change"
_DOCUMENT = "<!DOCTYPE html><body>"  # parse as the content of a page's body, like html5ever's fragment parser


def removals(html: str) -> list[Removal]:
    """Everything `sanitize(html)` removes, in document order (comments are not reported)."""
    cleaned = sanitize(html)
    if cleaned == html:  # the common case: Python-Markdown's output is already what nh3 writes
        return []
    tree = LexborHTMLParser(_DOCUMENT + html)
    found = list(_walk(tree))
    if not found and _canonical(tree) != _canonical(LexborHTMLParser(_DOCUMENT + cleaned)):
        found.append(Removal(CHANGE, _first_tag(tree)))
    return found


def _walk(tree: LexborHTMLParser) -> Iterator[Removal]:
    # A start tag <html> or <body> inside the content only adds attributes to the page's own elements.
    for node in (tree.root, tree.body):
        if node is not None:
            for attribute, value in node.attributes.items():
                yield Removal(ATTRIBUTE, node.tag or "", attribute, value or "")
    if tree.body is None:
        return
    # Depth-first in document order, without recursion: hostile input may nest very deep.
    stack = _children(tree.body)
    while stack:
        node = stack.pop()
        tag = node.tag or ""
        if tag not in TAGS:
            yield Removal(ELEMENT, tag)
            if tag in CLEAN_CONTENT_TAGS:
                continue  # removed with its content: nothing inside is reported
        else:
            yield from _attribute_removals(tag, node.attributes)
            if tag == "a" and hides_text(node) and _keep_attribute(tag, "class", node.attributes.get("class") or "") is not None:
                yield Removal(ATTRIBUTE, tag, "class", node.attributes.get("class") or "")
        stack.extend(_children(node))


def _children(node: LexborNode) -> list[LexborNode]:
    """Element children, last first (for a stack); text and comments left out."""
    return [child for child in node.iter(include_text=False) if child.is_element_node][::-1]


def _attribute_removals(tag: str, attributes: dict[str, str | None]) -> Iterator[Removal]:
    allowed = ATTRIBUTES.get(tag, frozenset()) | ATTRIBUTES["*"]
    values = ATTRIBUTE_VALUES.get(tag, {})
    for name, raw in attributes.items():
        value = raw or ""
        if name in values:
            if value not in values[name]:
                yield Removal(ATTRIBUTE, tag, name, value)
            continue
        if name not in allowed:
            yield Removal(ATTRIBUTE, tag, name, value)
        elif name in URL_ATTRIBUTES and not link_allowed(value):
            yield Removal(URL, tag, name, value)
        elif _keep_attribute(tag, name, value) != value:
            yield Removal(URL if name in URL_ATTRIBUTES else ATTRIBUTE, tag, name, value)


def link_allowed(url: str) -> bool:
    """Whether a link to `url` survives the sanitiser (its scheme, after the WHATWG parse, is allowed)."""
    return "href=" in _URL_PROBE.clean(f'<a href="{escape(url)}"></a>')


def _canonical(tree: LexborHTMLParser) -> tuple:
    """The tree as its page would hold it, comments left out."""
    comments = [node for node in tree.root.traverse(include_text=True) if node.is_comment_node] if tree.root else []
    for comment in comments:
        comment.decompose()
    body = tree.body
    root = tree.root
    return (
        root.attributes if root is not None else {},
        body.attributes if body is not None else {},
        body.inner_html if body is not None else "",
    )


def _first_tag(tree: LexborHTMLParser) -> str:
    body = tree.body
    if body is not None:
        for node in body.traverse(include_text=False):
            if node is not body and not (node.tag or "").startswith(("-", "_")):
                return node.tag or "body"
    return "body"
