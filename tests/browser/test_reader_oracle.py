"""The browser as the oracle: for many generated hostile bodies and values, what Chromium shows of the built page is
what the check read, and nothing on the page runs or loads from elsewhere.

Each body plants one personal number (a 身份证号 with its check character, a mobile number, a bank card) or one
密级/内部 mark through a random mix of Markdown, every extension mkdocs.yml may enable, raw HTML and Unicode
disguises. Every body goes into one real project as its own signed item; `gongkai check` judges them all; the
bodies it accepts are built (real MkDocs, real Pagefind) and shown in one Chromium. For each accepted body's page
the test reads what a reader can see or get — the text, the accessibility tree (list numbers, alt and title texts),
tooltips and labels, `tel:`/`mailto:` addresses, CSS generated content, the title and the table of contents —
folds it as `reader_text.fold` does (and, besides, as digits only) and looks for the planted value: found there while
the check passed is a hole. The same pages, and the search page showing them as results, must run no script, load
nothing from another origin and hold no event handler or script URL.

In the suite it runs a fixed sample (`ORACLE_CASES`, 300 by default, seed `ORACLE_SEED`); hunting, run it with
thousands.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gongkai.checks.marks import find as find_marks
from gongkai.checks.pii import find as find_numbers
from gongkai.reader_text import fold
from tests.browser.conftest import DESKTOP, serving
from tests.projects import TODAY, build, make_project, write_item

pytestmark = pytest.mark.browser

CASES = int(os.environ.get("ORACLE_CASES", "300"))
SEARCHES = int(os.environ.get("ORACLE_SEARCHES", "30"))  # accepted numbers looked up on the search page
SEED = int(os.environ.get("ORACLE_SEED", "7"))
YEAR = 2024
FIRST_SERIAL = 1000

EXTENSIONS = """
markdown_extensions:
  - tables
  - sane_lists
  - footnotes
  - toc:
      permalink: false
  - abbr
  - def_list
  - admonition
  - attr_list
  - md_in_html
  - nl2br
  - smarty
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.critic
  - pymdownx.caret
  - pymdownx.mark
  - pymdownx.tilde
  - pymdownx.keys
  - pymdownx.smartsymbols
  - pymdownx.emoji
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.betterem
  - pymdownx.inlinehilite
  - pymdownx.magiclink
  - pymdownx.saneheaders
  - pymdownx.progressbar
"""


# --- what is planted ----------------------------------------------------------------------------

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id18(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    head = f"{rng.choice(['110101', '131122', '440305', '320102'])}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return head + "10X98765432"[sum(int(d) * w for d, w in zip(head, _WEIGHTS, strict=True)) % 11]


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def card(rng: random.Random) -> str:
    body = "62" + "".join(rng.choice("0123456789") for _ in range(rng.choice([13, 16])))
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


MARKS = ["机密★1年", "秘密★", "绝密★长期", "内部资料", "机密★10年"]


@dataclass(frozen=True)
class Case:
    serial: int
    kind: str  # "number" or "mark"
    value: str  # digits (an X may close a 身份证号) or the mark's words
    body: str
    fields: dict = field(default_factory=dict)  # front matter besides the body (an attachment's title)


# --- how it is planted ----------------------------------------------------------------------------

DIGIT_SYSTEMS = ["0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯",
                 "๐๑๒๓๔๕๖๗๘๙", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡", "⓪①②③④⑤⑥⑦⑧⑨", "⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉",
                 "〇一二三四五六七八九", "零壹贰叁肆伍陆柒捌玖", "🄀⒈⒉⒊⒋⒌⒍⒎⒏⒐",
                 "〇ㄧニ三四五六七ハ九"]  # katakana ニ ハ and bopomofo ㄧ, drawn as 二 八 一
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u0301", "\ufe0f", "\u180e", "\u034f",
             "&#8203;", "&shy;", "&ZeroWidthSpace;", "&#x2060;", "\U000e0020", "\u061c", "\u200e",
             "\ufffc", "&#xfffc;"]  # the object replacement character: Chromium draws it as nothing
# Spacing combining marks: drawn beside the digits (the scans read them as a letter between them); the search index
# must not join the digits across them either, or a query for the number finds the item.
SPACING_MARKS = ["\u0903", "\u0f3e", "\U0001d16d", "\u09be", "\u0bbe"]
SEPARATORS = ["", "", "", " ", "-", "　", "\u00a0", ".", "·", "/", "_", "–", "—", "－", "\u2009", "\u3000"]


def disguise(rng: random.Random, piece: str) -> str:
    """`piece` written so that a reader still reads it: other digit systems, references, invisible characters."""
    how = rng.randrange(7)
    if how == 6 and piece:
        return rng.choice(SPACING_MARKS).join(piece) if piece.isdigit() else piece
    if how == 0 or not piece:
        return piece
    if how == 1:
        system = rng.choice(DIGIT_SYSTEMS)
        return "".join(system[int(ch)] if ch.isdigit() else ch for ch in piece)
    if how == 2:
        return "".join(rng.choice([f"&#{ord(ch)};", f"&#x{ord(ch):x};", ch]) for ch in piece)
    if how == 3:
        mark = rng.choice(INVISIBLE)
        return mark.join(piece)
    if how == 4:
        return "".join(ch + "\ufe0f\u20e3" if ch.isdigit() and rng.random() < 0.3 else ch for ch in piece)
    return "".join(ch + rng.choice(INVISIBLE) if rng.random() < 0.3 else ch for ch in piece)


def wrap(rng: random.Random, piece: str) -> str:
    """`piece` inside inline markup a reader reads through."""
    if not piece:
        return piece
    forms = [
        "**{}**", "*{}*", "_{}_", "__{}__", "~~{}~~", "=={}==", "^^{}^^", "^{}^", "~{}~", "`{}`", "++{}++",
        "{{++{}++}}", "{{=={}==}}", "{{--{}--}}", "<b>{}</b>", "<span>{}</span>", "<sub>{}</sub>", "<sup>{}</sup>",
        "<small>{}</small>", "<q>{}</q>", '<abbr title="缩写">{}</abbr>', "<ins>{}</ins>", "<mark>{}</mark>",
        "<code>{}</code>", "<kbd>{}</kbd>", "<samp>{}</samp>", "<var>{}</var>", "<i>{}</i>", "<u>{}</u>",
        "<s>{}</s>", "<del>{}</del>", "[{}](#x)", "[{}](tel:0)", "[{}](mailto:a@example.com)", "![{}](p.png)",
        '<img alt="{}" src="p.png">', '[x](#y "{}")', '![x](p.png "{}")', '<abbr title="{}">缩写</abbr>',
        '<a title="{}" href="#z">链接</a>', "{{~~0~>{}~~}}", "$${}$$", "${}$", "<span>{}</span>{{: title=\"t\"}}",
        '<span title="{}">说明</span>', "[{}]", "<{}>", '<img src="p.png" alt="{}" title="{}">',
    ]
    form = rng.choice(forms)
    return form.replace("{{", "\0").replace("}}", "\1").replace("{}", piece).replace("\0", "{").replace("\1", "}")


def glue(rng: random.Random) -> str:
    """Something between two pieces that a reader reads past."""
    forms = ["", "<!-- 注释 -->", "<wbr>", "<br>", "<br>\n", "\n", "  \n", "&#8203;", ":smile:", "(c)", "<span></span>",
             "**", "<b></b>", "[^1]", "{>>批注<<}", "<img src=\"p.png\" alt=\"\">", "\u2028", "\u0085", "&nbsp;",
             "&#x3000;", "<q></q>", "``", "<em></em>"]
    return rng.choice(forms)


def pieces(rng: random.Random, value: str) -> list[str]:
    count = rng.choice([1, 2, 2, 3, 4])
    cuts = sorted(rng.sample(range(1, len(value)), min(count - 1, len(value) - 1)))
    return [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)]


def inline(rng: random.Random, value: str, numbers: bool) -> str:
    out = []
    for index, piece in enumerate(pieces(rng, value)):
        if index:
            out.append(rng.choice(SEPARATORS) if numbers and rng.random() < 0.4 else "")
            out.append(glue(rng) if rng.random() < 0.6 else "")
        written = disguise(rng, piece) if rng.random() < 0.6 else piece
        out.append(wrap(rng, written) if rng.random() < 0.6 else written)
    return "".join(out)


# Small letters whose capitals are drawn like digits.
CAPITALISED = {"1": "iıɩιі", "2": "ƨ", "3": "ȝʒӡ", "4": "ꮞ", "5": "ƽ", "6": "ꮾ", "9": "ꝯⳋ"}


def nested_list(rng: random.Random, value: str, numbers: bool, text: str) -> str:
    """`value` in a list nested `depth` deep, its first digits drawn as the item's number in Material's letters."""
    if not numbers or value[0] != "1":
        return f"1. 甲\n    1. {text}"
    # (depth, start, digits its number reads as): a=lower-alpha, i=lower-roman, A=upper-alpha, I=upper-roman
    choices = [(2, 12, "1"), (3, 50, "1"), (4, 9, "1"), (5, 1, "1"), (5, 2, "11"), (5, 3, "111"), (2, 324, "11")]
    depth, start, digits = rng.choice([choice for choice in choices if value.startswith(choice[2])])
    rest = value[len(digits):]
    if rng.random() < 0.5:  # Markdown
        lines = [f"{'    ' * level}{rng.choice(['1.', '-']) if level == 0 else '1.'} 层{level}" for level in range(depth - 1)]
        return "\n".join(lines + [f"{'    ' * (depth - 1)}{start}. {inline(rng, rest, numbers)}"])
    outer = rng.choice(["ol", "ul"])  # Material: `ul ol` is drawn as `ol ol`
    return (f"<{outer}><li>层0" + "".join(f"<ol><li>层{level}" for level in range(1, depth - 1))
            + f'<ol start="{start}"><li>{rest}</li></ol>' + "</li></ol>" * (depth - 2) + f"</li></{outer}>")


RLM, ALM = "\u200f", "\u061c"


def right_to_left(rng: random.Random, value: str, numbers: bool) -> str:
    """Written so that only the browser's bidirectional reordering shows `value`: digit groups in reverse order behind an
    invisible right-to-left mark (drawn 139 1234 5678), or after a Hebrew letter; a mark's characters reversed inside an
    isolate or embedding, kept apart by RLM (Han is left to right: only the runs between the marks are reordered)."""
    groups = [value[:3], value[3:7], value[7:]]
    if numbers:
        if rng.random() < 0.5:
            return "电话" + rng.choice([RLM, ALM]) + rng.choice([RLM, ALM]).join(groups[::-1])
        return f"电话{groups[0]} א {groups[2]} {groups[1]}"
    opening, closing = rng.choice([("\u2067", "\u2069"), ("\u202b", "\u202c")])
    return f"正文\n\n{opening}{RLM.join(value[::-1])}{closing}\n\n正文"


def print_form(rng: random.Random, value: str, numbers: bool) -> str:
    tag = rng.choice(["code", "kbd"])
    word = rng.choice(["机密", "绝密", "秘密", "注意保存", "内部文件"])
    inner = rng.choice(["<b>{}</b>", "<span>{}</span>", "<i></i>{}"]).replace("{}", word)
    block = rng.choice(["p", "div"])
    return f"<{block}>{rng.choice(['正文', ''])}<{tag}>正文\n{inner}\n正文</{tag}></{block}>"


def container(rng: random.Random, text: str, value: str, numbers: bool) -> str:
    """`text` (the planted value written inline) placed in a block construct; some place `value` themselves."""
    half = len(value) // 2 or 1
    head, tail = value[:half], value[half:]
    forms = [
        lambda: f"正文{text}。",
        lambda: f"## 联系{text}",
        lambda: f"### 说明 {{: data-toc-label=\"{text}\" }}",
        lambda: f"## 标题{text} {{: #anchor }}",
        lambda: f"- 项目{text}\n- 其他",
        lambda: f"1. 项目\n2. {text}",
        lambda: f"{head}. {inline(rng, tail, numbers)}",
        lambda: f'<ol start="{head}"><li>{inline(rng, tail, numbers)}</li></ol>',
        # the number drawn on the line of the item's first text, whatever block holds it
        lambda: (lambda tag: f'<ol start="{head}"><li><{tag}>{inline(rng, tail, numbers)}</{tag}></li></ol>')(
            rng.choice(["p", "div", "h6"])),
        lambda: f"{head}. \n\n    {inline(rng, tail, numbers)}",
        # an item inside another element inside the list is still numbered by it (and counts for the items after it)
        lambda: (lambda pair: f'<ol start="{head}"><{pair[0]}><li>{inline(rng, tail, numbers)}</li></{pair[1]}></ol>')(
            rng.choice([("div", "div"), ("blockquote", "blockquote"), ("span", "span"), ("h6", "h6"), ("figure", "figure"),
                        ("dl><dd", "dd></dl"), ("table><tr><td", "td></tr></table")])),
        lambda: f'<ol start="{int(head) - 1 if head.isdigit() else 1}"><div><li>甲</li></div><li>{inline(rng, tail, numbers)}</li></ol>',
        # a line of <pre> is a line, whatever markup splits it in the HTML
        lambda: f"<pre>正文\n{rng.choice(['<b>{}</b>', '<span>{}</span>', '{}<i></i>', '<code>{}</code>'])}\n正文</pre>".replace(
            "{}", rng.choice(["机密", "绝密", "秘密", "注意保存", "内部文件"]) if not numbers else value),
        lambda: f"<pre>正文\n{rng.choice(['机<b></b>密', '绝<i>密</i>', '注意<span></span>保存', '秘密<!-- x -->'])}\n正文</pre>",
        # a heading's or a link's accessible name joins the blocks inside it with a space (what a screen reader says)
        lambda: (lambda tag: f"<{tag}>电话{head}<div>{tail}</div></{tag}>")(rng.choice(["h2", "h3", "h6"])),
        lambda: f'<div><a href="#x">电话{head}<p>{tail}</p></a></div>',
        lambda: "<h2>" + "<div>".join(value) + "</div>" * (len(value) - 1) + "</h2>",
        # h5 is drawn in capitals: a small letter drawn like a digit once capitalised (ı → I, ƨ → Ƨ, ꮾ → Ꮾ)
        lambda: "##### 电话" + "".join(rng.choice(CAPITALISED[ch]) if ch in CAPITALISED and rng.random() < 0.3 else ch
                                     for ch in value),
        lambda: f"正文[^n]。\n\n[^n]: {inline(rng, value[1:], numbers)}" if value.startswith("1") else f"正文{text}。",
        # Material draws a nested list's numbers in letters and Roman numerals: l (12, 50), I (9, 1) and II (2) read as 1, 11
        lambda: nested_list(rng, value, numbers, text),
        # right to left: an invisible mark (RLM, ALM) or a Hebrew letter reorders digit groups; an isolate reorders Han
        lambda: right_to_left(rng, value, numbers),
        # printed (the 公开栏), code and kbd keep their line breaks (Material: white-space: pre-wrap in print)
        lambda: print_form(rng, value, numbers),
        # a cell, a term, a caption is named by its text with its blocks joined by a space (what a screen reader says)
        lambda: rng.choice([f"<table><tr><td>电话{head}<div>{tail}</div></td><td>甲</td></tr></table>",
                            f"<table><tr><th>电话{head}<p>{tail}</p></th><td>甲</td></tr></table>",
                            f"<dl><dt>电话{head}<div>{tail}</div></dt><dd>甲</dd></dl>",
                            f"<table><caption>电话{head}<div>{tail}</div></caption><tr><td>甲</td></tr></table>"]),
        lambda: f"0{head}. 甲\n\n{tail}",
        lambda: f"| 列 | 值 |\n| --- | --- |\n| 甲 | {text} |",
        lambda: f"| 列 | 值 |\n| --- | --- |\n| {inline(rng, head, numbers)} | {inline(rng, tail, numbers)} |",
        lambda: f"> 引用{text}",
        lambda: f"正文[^n]。\n\n[^n]: 注释{text}",
        lambda: f"正文缩写 ABC。\n\n*[ABC]: {text}",
        lambda: f"术语\n:   {text}",
        lambda: f"{text}\n:   定义",
        lambda: f'!!! note "{text}"\n    内容',
        lambda: f"!!! note\n    {text}",
        lambda: f'??? note "{text}"\n    内容',
        lambda: f'???+ note "摘要"\n    {text}',
        lambda: f'=== "{text}"\n    内容\n\n=== "二"\n    {text}',
        lambda: f"```\n{text}\n```",
        lambda: f"    {text}",
        lambda: f"<p>{text}</p>",
        lambda: f'<div markdown="1">\n\n{text}\n\n</div>',
        lambda: f"<details><summary>{text}</summary>内容</details>",
        lambda: f'<figure><img src="p.png" alt="{text}"><figcaption>图</figcaption></figure>',
        lambda: f"[链接](tel:{value})",
        lambda: f"<a href=\"tel:{disguise(rng, value)}\">电话</a>",
        lambda: f"[邮件](mailto:{value}@example.com)",
        lambda: f"<{value}@example.com>",
        lambda: f"![{text}](p.png)",
        lambda: f'[链接](https://example.com/ "{text}")',
        lambda: f"正文{text}\n\n正文{text}",
        lambda: f"{{--{text}--}}正文",
        lambda: f"正文 ==**{text}**==",
        lambda: f"<ruby>{head}<rt>{tail}</rt></ruby>",
        lambda: f"<bdo dir=\"rtl\">{value[::-1]}</bdo>",
        lambda: f"\u202e{value[::-1]}\u202c",
        lambda: f"עברית {text}",
        lambda: f"<p title=\"{text}\">说明</p>",
        lambda: f"<span aria-label=\"{text}\">说明</span>",
        lambda: f"<input placeholder=\"{text}\">",
        lambda: f"<h2 id=\"{value}\">标题</h2>",
        lambda: f"正文\n{{: title=\"{text}\" }}",
        lambda: f"[^{value}]: 注释\n\n正文[^{value}]",
        lambda: f"<ol start=\"{value}\"><li>甲</li></ol>",
        lambda: f"{value}. 甲",
    ]
    return rng.choice(forms)()


ATTACHMENT = "oracle.csv"


def generate(rng: random.Random, serial: int) -> Case:
    numbers = rng.random() < 0.8
    value = rng.choice([id18, mobile, card, mobile])(rng) if numbers else rng.choice(MARKS)
    if numbers and value.startswith("1") and rng.random() < 0.03:  # the page numbers its attachments: 1. 3912345678
        return Case(serial, "number", value, "正文。", {"attachments": [{"title": value[1:], "file": ATTACHMENT}]})
    text = inline(rng, value, numbers)
    body = container(rng, text, value, numbers)
    if rng.random() < 0.3:
        body = f"正文第一段。\n\n{body}\n\n正文最后一段。"
    return Case(serial, "number" if numbers else "mark", value, body)


# --- hostile values elsewhere --------------------------------------------------------------------

HOSTILE = [
    '<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', "javascript:alert(1)", "<svg onload=alert(1)>",
    "{{ 7*7 }}", "</title><script>print()</script>", "' onmouseover='alert(1)", "<a href=javascript:alert(1)>x</a>",
    "[x](javascript:alert(1))", "<iframe src=//example.com>", "data:text/html,<script>alert(1)</script>",
    "&lt;img src=x onerror=alert(1)&gt;", "<base href=//example.com/>", "<meta http-equiv=refresh content='0;url=//example.com'>",
    "\u202e<img src=x onerror=alert(1)>", "`<script>alert(1)</script>`", "javascript:alert(document.domain)",
    "%3Cscript%3Ealert(1)%3C/script%3E", "&#60;script&#62;alert(1)&#60;/script&#62;", "${alert(1)}",
    "\\u003cimg src=x onerror=alert(1)\\u003e", "x\" autofocus onfocus=\"alert(1)", "<mark>标记</mark>",
]


# Bodies whose number the check is told to allow (pii_allow): the reading must find each on its page.
CONTROL_BODIES = [("服务电话13912345678。", "13912345678"),
                  ('服务电话<img src="p.png" alt="139 1234 5678">。', "139 1234 5678"),
                  ("服务电话[拨打](tel:13912345678)。", "tel:13912345678")]
CONTROLS = len(CONTROL_BODIES)


# --- the reading -------------------------------------------------------------------------------

READ_PAGE = """() => {
  // The number an item's marker draws in its list's style (Material: ol ol in letters, ol ol ol in Roman numerals …).
  const drawn = (n, type) => {
    if (n < 1) return String(n);
    if (type === 'lower-alpha' || type === 'upper-alpha' || type === 'lower-latin' || type === 'upper-latin') {
      let out = '';
      for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + (k - 1) % 26) + out;
      return type.startsWith('upper') ? out.toUpperCase() : out;
    }
    if ((type === 'lower-roman' || type === 'upper-roman') && n < 4000) {
      let out = '', k = n;
      for (const [size, letters] of [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'],
                                     [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']])
        while (k >= size) { out += letters; k -= size; }
      return type === 'upper-roman' ? out.toUpperCase() : out;
    }
    return String(n);
  };
  // The characters of an element in the order they are drawn (left to right, line by line): what bidirectional
  // reordering shows, where innerText gives the order written.
  const BIDI = /[\u0590-\u08ff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefe]/;
  const shown = el => {
    const chars = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      for (let i = 0; i < node.data.length; i++) {
        const wide = /[\ud800-\udbff]/.test(node.data[i]) ? 2 : 1;
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + wide);
        const box = range.getBoundingClientRect();
        if (box.width > 0) chars.push([Math.round(box.top + box.height / 2), box.left, node.data.slice(i, i + wide)]);
        i += wide - 1;
      }
    }
    chars.sort((a, b) => (Math.abs(a[0] - b[0]) > 3 ? a[0] - b[0] : 0) || a[1] - b[1]);
    let out = '', line = null;
    for (const [top, , ch] of chars) { if (line !== null && Math.abs(top - line) > 3) out += '\\n'; out += ch; line = top; }
    return out;
  };
  const root = document.querySelector('article') || document.body;
  const texts = [document.title, document.body.innerText, root.innerText];
  for (const el of document.querySelectorAll('details')) el.open = true;
  texts.push(root.innerText);
  for (const el of root.querySelectorAll('*')) {
    for (const name of ['title', 'alt', 'aria-label', 'placeholder', 'value', 'href', 'src', 'data-toc-label', 'label']) {
      const value = el.getAttribute(name);
      if (value) texts.push(name === 'href' || name === 'src' ? decodeURIComponent(value.replace(/%(?![0-9a-f]{2})/gi, '%25')) : value);
    }
    for (const pseudo of ['::before', '::after', '::marker']) {
      const content = getComputedStyle(el, pseudo).content;
      if (content && content !== 'none' && content !== 'normal') texts.push(content);
    }
    if (el.tagName === 'LI') {  // numbered by the nearest list around it, whatever elements stand between
      const owner = el.parentElement && el.parentElement.closest('ol, ul, menu');
      if (owner && owner.tagName === 'OL') {
        const items = [...owner.querySelectorAll('li')].filter(li => li.parentElement.closest('ol, ul, menu') === owner);
        const number = owner.start + items.indexOf(el);
        const type = getComputedStyle(el).listStyleType;
        const suffix = type === 'gk-enumeration' ? '、' : '. ';  // the site's style for the lists its templates number
        texts.push(String(number) + suffix + el.innerText);
        if (drawn(number, type) !== String(number)) texts.push(drawn(number, type) + suffix + el.innerText);
      }
    }
    if (/^(P|LI|TD|TH|DT|DD|CAPTION|FIGCAPTION|H[1-6]|PRE|BLOCKQUOTE)$/.test(el.tagName) && BIDI.test(el.textContent))
      texts.push(shown(el));
  }
  const toc = document.querySelector('.md-nav--secondary');
  if (toc) texts.push(toc.innerText);
  for (const heading of document.querySelectorAll('h1')) if (BIDI.test(heading.textContent)) texts.push(shown(heading));
  return texts;
}"""

CHECK_DOM = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\x00-\\x20]/g, '').toLowerCase();
      if (attr.name.startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (/^(javascript|data|vbscript):/.test(value) && ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset'].includes(attr.name))
        bad.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  return bad.concat(window.__fired || []);
}"""

HOOKS = """
window.__fired = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  const original = window[name];
  window[name] = (...args) => { window.__fired.push(name + ':' + String(args[0])); };
}
document.addEventListener('securitypolicyviolation', e => window.__fired.push('csp:' + e.violatedDirective + ' ' + e.blockedURI));
"""


def ax_texts(page) -> list[str]:
    """Every name, value and description in Chromium's accessibility tree of the page (list markers included)."""
    session = page.context.new_cdp_session(page)
    try:
        tree = session.send("Accessibility.getFullAXTree")
    finally:
        session.detach()
    out = []
    for node in tree.get("nodes", []):
        # A run of text is one node per text node (秘密<a>链接</a> gives 秘密 alone): the page's text is read whole
        # from innerText; here, what only the tree holds (names of pictures, links, list markers; descriptions).
        if (node.get("role") or {}).get("value") in ("StaticText", "InlineTextBox"):
            continue
        for key in ("name", "value", "description"):
            value = (node.get(key) or {}).get("value")
            if isinstance(value, str) and value:
                out.append(value)
    return out


# Letters drawn as a Chinese numeral (katakana, half-width katakana, bopomofo), which a reader reads as that numeral.
DRAWN_AS_CHARS = "ニハﾆﾊㄧエ"
DRAWN_AS = str.maketrans(DRAWN_AS_CHARS, "二八二八一工")


def planted_in(case: Case, texts: list[str]) -> tuple[str, str] | None:
    """How a reader reads `case`'s value in the page's texts: ("folded", text) when the scans' own reading of what the
    browser shows finds it (a hole: the check passed), ("naive", text) when only a cruder reading does (its digits,
    or the mark's characters, with everything else between them left out: markup shown as text, symbols, other
    blocks' text — printed for a person to judge, not a failure), or None."""
    texts = texts + [text.translate(DRAWN_AS) for text in texts if any(ch in text for ch in DRAWN_AS_CHARS)]
    if case.kind == "number":
        for text in texts:
            if any(found.number.upper() == case.value.upper() for found in find_numbers(text, TODAY)):
                return "folded", text
        digits = [text for text in texts if case.value.upper() in re.sub(r"[^0-9Xx]", "", fold(text)).upper()]
        return ("naive", min(digits, key=len)) if digits else None
    for text in texts:
        if any(True for _ in find_marks(text)):
            return "folded", text
    words = [text for text in texts if case.value in re.sub(r"[^\u4e00-\u9fff★0-9年长期]", "", fold(text))]
    return ("naive", min(words, key=len)) if words else None


# --- the project ---------------------------------------------------------------------------------


def _project(root: Path, cases: list[Case], hostile_titles: list[str]):
    fixture = make_project(root, news=2)
    (root / "content" / "attachments" / ATTACHMENT).write_text("档次,金额\n一类,200\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start = text.index("markdown_extensions:")
    end = text.index("\nvalidation:")
    config.write_text(text[:start] + EXTENSIONS.strip() + "\n" + text[end:], encoding="utf-8")
    for case in cases:
        write_item(root, YEAR, case.serial, case.body, title=f"测试条目{case.serial}", category="动态信息",
                   published=dt.date(YEAR, 3, 1), **case.fields)
    for offset, (body, allowed) in enumerate(CONTROL_BODIES):
        write_item(root, YEAR, FIRST_SERIAL - 200 + offset, body, title="对照条目", category="动态信息",
                   published=dt.date(YEAR, 3, 2), pii_allow=[{"match": allowed, "reason": "单位对外公布的服务电话"}])
    for offset, title in enumerate(hostile_titles):
        (root / "content" / "pages" / f"hostile-{offset}.md").write_text(
            f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\norder: {90 + offset}\n---\n\n{title}\n\n正文 {title}\n",
            encoding="utf-8")
        write_item(root, YEAR, FIRST_SERIAL - 100 + offset, f"正文 {title}\n\n{title}", title=title, category="动态信息",
                   published=dt.date(YEAR, 3, 2), summary=title, keywords=[title[:20]])
    return fixture


def _accepted(fixture, cases: list[Case]) -> tuple[list[Case], dict[int, list[str]]]:
    """The cases the check accepts (their items have no error); the others' files removed."""
    errors: dict[str, list[str]] = {}
    for problem in fixture.check(TODAY):
        if problem.is_error:
            errors.setdefault(problem.path, []).append(f"{problem.code} {problem.message}")
    kept, refused = [], {}
    for case in cases:
        path = fixture.rel(fixture.item_path(YEAR, case.serial))
        if path in errors:
            refused[case.serial] = errors[path]
            (fixture.root / path).unlink()
        else:
            kept.append(case)
    for path in errors:  # the hostile values the check refuses (HTML in a title …) are left out the same way
        if path.startswith((f"content/items/{YEAR}/", "content/pages/hostile-")) and (fixture.root / path).exists():
            (fixture.root / path).unlink()
    return kept, refused


def run_oracle(root: Path, browser, rng: random.Random, count: int) -> dict:
    cases = [generate(rng, FIRST_SERIAL + number) for number in range(count)]
    hostile = [rng.choice(HOSTILE) + rng.choice(["", " 标题"]) for _ in range(8)]
    fixture = _project(root, cases, hostile)
    kept, refused = _accepted(fixture, cases)
    left = [f"{p.path} {p.code} {p.message}" for p in fixture.check(TODAY) if p.is_error]
    assert not left, left
    site = build(fixture, root / "site").site
    holes: list[str] = []
    naive: list[str] = []
    bad: list[str] = []
    foreign: list[str] = []
    controls = 0
    results = 0  # search results shown
    with serving(site) as url:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        context.add_init_script(HOOKS)

        def request(route) -> None:
            if route.request.url.startswith(url):
                route.continue_()
            else:  # another origin: never asked
                foreign.append(route.request.url)
                route.abort()

        def dialog(shown) -> None:
            bad.append(f"dialog {shown.type} {shown.message}")
            shown.dismiss()

        context.route("**/*", request)
        page = context.new_page()
        page.on("dialog", dialog)
        try:
            for case in kept:
                address = f"{url}items/{YEAR}/{case.serial:05d}/"
                page.goto(address)
                texts = page.evaluate(READ_PAGE) + ax_texts(page)
                page.emulate_media(media="print")  # the 公开栏's printout: Material keeps code's and kbd's line breaks
                texts.append(page.evaluate("() => (document.querySelector('article') || document.body).innerText"))
                page.emulate_media(media="screen")
                found = planted_in(case, texts)
                if found:
                    (holes if found[0] == "folded" else naive).append(
                        f"{case.serial} {case.value} read {found[0]} in {found[1][:300]!r}\n--- body ---\n{case.body}\n")
                bad += [f"{address}: {what}" for what in page.evaluate(CHECK_DOM)]
                if page.url != address:
                    bad.append(f"navigated from {address} to {page.url}")
            for offset, _ in enumerate(CONTROL_BODIES):
                page.goto(f"{url}items/{YEAR}/{FIRST_SERIAL - 200 + offset:05d}/")
                texts = page.evaluate(READ_PAGE) + ax_texts(page)
                controls += (planted_in(Case(0, "number", "13912345678", ""), texts) or ("",))[0] == "folded"
            # A query for a planted number must not find its item: the index holds what the check read.
            numbered = [case for case in kept if case.kind == "number"]
            for case in rng.sample(numbered, min(len(numbered), SEARCHES)):
                page.goto(f"{url}search/?q={case.value}")
                for _ in range(100):
                    if page.evaluate("() => document.querySelector('.gongkai-search').dataset.busy === 'false'"):
                        break
                    page.wait_for_timeout(100)
                links = page.evaluate("() => [...document.querySelectorAll('.gongkai-search__results a')].map(a => a.href)")
                if any(link.rstrip("/").endswith(f"items/{YEAR}/{case.serial:05d}") for link in links):
                    holes.append(f"{case.serial} {case.value} found by searching for it\n--- body ---\n{case.body}\n")
            for query in ["测试条目", "正文", "img", "script", "alert", "javascript", "onerror", "标题"]:
                page.goto(f"{url}search/?q={query}")
                for _ in range(100):  # the page's policy refuses wait_for_function's eval: ask until the search is done
                    if page.evaluate("() => document.querySelector('.gongkai-search').dataset.busy === 'false'"):
                        break
                    page.wait_for_timeout(100)
                results += page.locator(".gongkai-search__results li").count()
                bad += [f"search {query}: {what}" for what in page.evaluate(CHECK_DOM)]
            for offset in range(len(hostile)):  # the authored pages that hold them
                page.goto(f"{url}pages/hostile-{offset}/")
                if page.title():
                    bad += [f"page {offset}: {what}" for what in page.evaluate(CHECK_DOM)]
            for offset in range(len(hostile)):
                if not fixture.item_path(YEAR, FIRST_SERIAL - 100 + offset).exists():
                    continue
                address = f"{url}items/{YEAR}/{FIRST_SERIAL - 100 + offset:05d}/"
                page.goto(address)
                bad += [f"{address}: {what}" for what in page.evaluate(CHECK_DOM)]
            for address in ["", "items/", f"items/{YEAR}/"]:
                page.goto(url + address)
                bad += [f"{address}: {what}" for what in page.evaluate(CHECK_DOM)]
        finally:
            context.close()
    return {"cases": len(cases), "accepted": len(kept), "controls": controls, "refused": refused, "holes": holes,
            "naive": naive, "bad": bad, "foreign": foreign, "results": results}


@settings(max_examples=1, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(seed=st.integers(min_value=0, max_value=2**31))
def _oracle(folder, browser, report, seed):
    root = Path(tempfile.mkdtemp(dir=folder)) / "project"  # a new project each run (hypothesis replays a failure)
    report.update(run_oracle(root, browser, random.Random(seed ^ SEED), CASES))


def test_what_the_browser_shows_is_what_the_check_read(browser, tmp_path):
    report: dict = {}
    _oracle(tmp_path, browser, report)
    print(f"oracle: {report['cases']} cases, {report['accepted']} accepted by the check")
    if os.environ.get("ORACLE_REPORT"):
        Path(os.environ["ORACLE_REPORT"]).write_text("\n".join(report["holes"] + report["bad"] + report["foreign"]
                                                               + ["--- naive readings ---"] + report["naive"]),
                                                     encoding="utf-8")
    assert report["controls"] == CONTROLS, report["controls"]
    assert report["results"] > 0  # the search page showed the items as results  # the reading finds what the check was told to allow
    assert not report["holes"], "\n".join(report["holes"][:20])
    assert not report["bad"], report["bad"][:20]
    assert not report["foreign"], report["foreign"][:20]
