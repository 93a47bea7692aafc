"""The browser as the oracle, fuzzed: hypothesis composes a personal number or a secrecy mark cut into pieces and
spread over Markdown, raw HTML, character references, escapes, bidirectional and invisible characters, compatibility
and traditional forms — in an item's body, an authored page's body, an agency stylesheet's rules drawn beside a body,
or an item's title and summary as the listing pages and the search page show them. One real project holds a batch of
cases; `gongkai check` judges it, the cases it accepts are built (real MkDocs, Material, Pagefind) and shown in real
Chromium. The property: what the browser shows, folded as the scans fold, never holds the value of a case the check
passed.

Kept decisions of SECURITY.md are the oracle's too, stated here rather than skipped in silence: the browser's text is
read as the scans read a page, each table cell and list item a line of its own (innerText parts them with a tab or a
line break, which no number is read across), so a number split across cells or items is no hole; and the stylesheets
the grammar writes only draw (generated content, counters, attributes), never hide text or move boxes, which SECURITY.md
leaves to the reviewer's eye (`display: none` between a number's digits). A mark is judged as the scans judge it, by
its line: the accessibility tree's names (a link's alone) are read for numbers only, and a mark shown is the planted
one, its word with its star (秘密 alone of 秘密<del>★</del> is none).

In the suite it runs the found cases (`FOUND`, one batch) and one generated batch. Hunting: ORACLE_FUZZ_EXAMPLES
(batches), ORACLE_FUZZ_BATCH (cases a batch) and `--hypothesis-seed`; ORACLE_FUZZ_HUNT=1 runs every batch and fails
none, ORACLE_FUZZ_REPORT=file writes each batch's holes there (ORACLE_FUZZ_NAIVE=1: also what only a cruder reading
finds, for a person to judge), ORACLE_FUZZ_SHRINK=1 lets hypothesis shrink a failing batch (a build a step),
ORACLE_FUZZ_DEBUG=1 prints the check's errors.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from gongkai.checks.marks import find_marks
from gongkai.reader_text import fold
from tests.browser.conftest import DESKTOP, serving
from tests.browser.test_reader_oracle import EXTENSIONS, READ_PAGE, Case, ax_texts, planted_in
from tests.projects import TODAY, build, make_project, own_theme, write_item

pytestmark = pytest.mark.browser

BATCH = int(os.environ.get("ORACLE_FUZZ_BATCH", "60"))
EXAMPLES = int(os.environ.get("ORACLE_FUZZ_EXAMPLES", "1"))
# In the suite the generated batch is the same on every run (a fuzz that drew a new batch each time could fail CI on a
# case no change brought); hunting (`ORACLE_FUZZ_EXAMPLES`, `--hypothesis-seed`) draws new ones.
DERANDOMIZE = "ORACLE_FUZZ_EXAMPLES" not in os.environ and "ORACLE_FUZZ_HUNT" not in os.environ
YEAR = 2024
FIRST = 5000
MOBILE = "13912345678"
# A mobile number, a 身份证号 and a bank card (valid check characters), 密级 marks and internal notices.
VALUES = {MOBILE: "number", "440305197212018141": "number", "6273021573681932": "number", "机密★1年": "mark",
          "内部资料": "mark", "秘密★": "mark", "绝密★长期": "mark", "此件不得外传": "mark"}


# --- the grammar -----------------------------------------------------------------------------------------------------

DIGITS = ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "⓪①②③④⑤⑥⑦⑧⑨", "⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉", "〇一二三四五六七八九",
          "零壹贰叁肆伍陆柒捌玖", "०१२३४५६७८९", "🄀⒈⒉⒊⒋⒌⒍⒎⒏⒐"]
# Traditional, variant and compatibility forms a reader reads as the mark's characters.
FORMS = {"机": ["機"], "内": ["內", "\U0002f814"], "资": ["資", "㊮"], "料": ["\uf9be"], "秘": ["祕", "㊙"],
         "★": ["\u2605\ufe0f", "&#9733;", "&starf;", "&bigstar;"]}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\ufe0f", "\u180e", "\u061c", "\u200e",
             "\u200f", "\u2061", "\u2062", "\u2063", "\u2064", "\U000e0020", "\U000e0001", "&#8203;", "&shy;", "&zwj;",
             "&NoBreak;", "&#x200d;", "\u115f", "\u3164", "\uffa0", "\u17b4", "\u17b5", "\u1160"]
REFERENCES = ["&#{};", "&#x{:x};", "&#0{};", "&#X{:X};"]


@st.composite
def disguised(draw, piece: str) -> str:
    """`piece` written so that a reader still reads it."""
    out = []
    system = draw(st.sampled_from(["0123456789", *DIGITS]))
    for ch in piece:
        how = draw(st.sampled_from(["plain", "plain", "plain", "system", "reference", "form", "invisible", "escape"]))
        if how == "system" and ch.isdigit():
            ch = system[int(ch)]
        elif how == "reference":
            ch = draw(st.sampled_from(REFERENCES)).format(ord(ch))
        elif how == "form" and ch in FORMS:
            ch = draw(st.sampled_from(FORMS[ch]))
        elif how == "invisible":
            ch = ch + draw(st.sampled_from(INVISIBLE))
        elif how == "escape" and not ch.isalnum():
            ch = "\\" + ch
        out.append(ch)
    return "".join(out)


INLINE = ["{}", "**{}**", "*{}*", "_{}_", "__{}__", "~~{}~~", "=={}==", "^^{}^^", "^{}^", "~{}~", "`{}`", "++{}++",
          "{{++{}++}}", "{{=={}==}}", "{{~~x~>{}~~}}", "<b>{}</b>", "<span>{}</span>", "<sub>{}</sub>", "<sup>{}</sup>",
          "<small>{}</small>", "<q>{}</q>", "<ins>{}</ins>", "<mark>{}</mark>", "<code>{}</code>", "<kbd>{}</kbd>",
          "<i>{}</i>", "<u>{}</u>", "<abbr>{}</abbr>", "[{}](#x)", "[{}](tel:0)", "<a>{}</a>", '<a href="#x" title="t">{}</a>',
          "![{}](p.png)", '<img alt="{}" src="p.png">', '[链](#y "{}")', '![图](p.png "{}")', '<abbr title="{}">缩写</abbr>',
          '<span title="{}">说</span>', "**{}**{{: title=\"t\"}}", "<span>{}</span>{{: #fz-x }}", "$${}$$", "${}$",
          "[{}]", "<{}>", "&lt;{}&gt;", '<img src="p.png" alt="{}" title="{}">', "<bdi>{}</bdi>", '<span dir="ltr">{}</span>',
          "\u2066{}\u2069", "\u2068{}\u2069", "\u202a{}\u202c", "\u202d{}\u202c"]
GLUE = ["", "", "", "<!-- 注 -->", "<wbr>", "<br>", "\n", "  \n", "\\\n", "&#8203;", ":smile:", "(c)", "<span></span>",
        "**", "<b></b>", "[^1]", "{>>批注<<}", '<img src="p.png" alt="">', "\u2028", "&nbsp;", "<q></q>", "<em></em>",
        "\\-", "\\.", "\\*", "\\_", " ", "-", "　", "\u00ad", "<del>0</del>", "~~0~~", "{--0--}", "<s>0</s>",
        '<img src="none.png" alt="">', "<sup>[^1]</sup>", "*[]*", "<abbr></abbr>", "&zwnj;", "<!---->", "<x-y></x-y>"]


@st.composite
def cut(draw, value: str) -> list[str]:
    cuts = draw(st.sets(st.integers(1, len(value) - 1), max_size=3))
    bounds = [0, *sorted(cuts), len(value)]
    return [value[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def inline(draw, value: str) -> str:
    out = []
    for index, piece in enumerate(draw(cut(value))):
        if index:
            out.append(draw(st.sampled_from(GLUE)))
        written = draw(disguised(piece))
        out.append(draw(st.sampled_from(INLINE)).replace("{{", "\0").replace("}}", "\1").replace("{}", written)
                   .replace("\0", "{").replace("\1", "}"))
    return "".join(out)


BLOCKS = ["正文{}。", "## 联系{}", "### 说明 {{: data-toc-label=\"{}\" }}", "- 项目{}\n- 其他", "1. 项目\n2. {}", "> 引用{}",
          "正文[^n]。\n\n[^n]: 注释{}", "正文缩写 ABC。\n\n*[ABC]: {}", "术语\n:   {}", "{}\n:   定义", '!!! note "{}"\n    内容',
          "!!! note\n    {}", '??? note "{}"\n    内容', "| 列 | 值 |\n| --- | --- |\n| 甲 | {} |", "<p>{}</p>",
          '<div markdown="1">\n\n{}\n\n</div>', "<details><summary>{}</summary>内容</details>",
          '<figure><img src="p.png" alt="{}"><figcaption>图</figcaption></figure>', "<figure>图<figcaption>{}</figcaption></figure>",
          "正文\n{{: title=\"{}\" }}", '<a href="tel:{}">电话</a>', "[TOC]\n\n## {}\n\n### 小节",
          "<dl><dt>{}</dt><dd>释</dd></dl>", "<table><caption>{}</caption><tr><td>甲</td></tr></table>",
          "```\n{}\n```", "    {}", "正文 `{}`", "<pre>{}</pre>", "Setext {}\n---", "<h3>{}</h3>"]


@st.composite
def body(draw, value: str) -> str:
    block = draw(st.sampled_from(BLOCKS))
    text = draw(inline(value))
    written = block.replace("{{", "\0").replace("}}", "\1").replace("{}", text).replace("\0", "{").replace("\1", "}")
    return draw(st.sampled_from(["{}", "正文第一段。\n\n{}\n\n正文最后一段。"])).replace("{}", written)


# What an agency stylesheet may draw beside the text (GK532 refuses digits and a mark's parts in its strings).
CSS_SELECTORS = ["p", "h2", "li", "td", "abbr", "a", "ol", "dt", "figcaption", "summary", "caption", "code", "strong", "span", "q"]
CSS_VALUES = ['attr(title)', 'attr(href)', 'attr(start)', 'attr(colspan)', 'attr(id)', 'attr(alt)', 'attr(width)',
              'attr(rowspan)', 'attr(span)', 'attr(class)', 'counter(list-item)', 'counters(list-item, "")', 'open-quote',
              '"\\673A"', '"说明"', '"\\200b"', 'attr(title) attr(id)', '"" / attr(title)', 'url(p.png)', 'no-open-quote']
# Declarations beside the generated content: how lists are numbered and quotes drawn (never what hides or moves text).
CSS_EXTRA = ["", "", "list-style-type: cjk-decimal", "list-style: decimal inside", "quotes: none", 'quotes: "" ""',
             "list-style-type: fz", "text-transform: full-width", "display: inline", "display: list-item"]


@st.composite
def stylesheet_case(draw, serial: int, value: str) -> tuple[str, str]:
    """A body in its own block (an id the stylesheet selects) and a stylesheet drawing beside it."""
    text = draw(inline(value))
    holder = draw(st.sampled_from([
        '<p id="fz{n}">{}</p>', '<ol id="fz{n}" start="{}"><li>甲</li></ol>', '<table id="fz{n}"><tr><td colspan="{}">甲</td></tr></table>',
        '<p id="fz{n}"><abbr title="{}">甲</abbr>乙</p>', '<p id="fz{n}"><a href="{}">甲</a></p>', '<h2 id="fz{n}">{}</h2>',
        '<p id="fz{n}"><img src="p.png" width="{}" alt="图"></p>', '<div id="fz{n}" markdown="1">\n\n{}\n\n</div>']))
    written = holder.replace("{n}", str(serial)).replace("{}", text)
    rules = []
    for _ in range(draw(st.integers(1, 2))):
        selector = draw(st.sampled_from(CSS_SELECTORS))
        pseudo = draw(st.sampled_from(["::before", "::after"]))
        rules.append(f"#fz{serial} {selector}{pseudo}, #fz{serial}{pseudo} {{ content: {draw(st.sampled_from(CSS_VALUES))}; }}")
        rules.append(f"#fz{serial} {selector}, #fz{serial} {{ {draw(st.sampled_from(CSS_EXTRA))} }}")
    counter = draw(st.sampled_from(["", '@counter-style fz { system: extends decimal; suffix: ""; }',
                                    '@counter-style fz { system: numeric; symbols: "\\30" "\\31"; suffix: "" }']))
    return written, "\n".join([counter, *rules]) + "\n"


@dataclasses.dataclass(frozen=True)
class Fuzz:
    channel: str  # item | page | css | title | summary
    value: str
    body: str
    css: str = ""


@st.composite
def fuzz_case(draw) -> Fuzz:
    value = draw(st.sampled_from(list(VALUES)))
    channel = draw(st.sampled_from(["item", "item", "page", "css", "title", "summary"]))
    if channel == "css":
        written, css = draw(stylesheet_case(0, value))
        return Fuzz(channel, value, written, css)
    if channel in ("title", "summary"):  # a YAML value: plain text, printed escaped
        pieces = draw(cut(value))
        glue = st.sampled_from(["", "", " ", "\u00ad", "\u200b", "<b></b>", "&#8203;", "-", "\u3000"])
        text = "".join((draw(glue) if index else "") + draw(disguised(piece)) for index, piece in enumerate(pieces))
        return Fuzz(channel, value, f"说明{text}。")
    return Fuzz(channel, value, draw(body(value)))


# --- one batch -------------------------------------------------------------------------------------------------------

def _page_address(case: Fuzz, serial: int) -> str:
    return f"pages/fz-{serial}/" if case.channel == "page" else f"items/{YEAR}/{serial:05d}/"


def _plant(root: Path, cases: list[Fuzz]) -> dict[int, list[Path]]:
    """Each case in the project; returns each case's files (by serial), whose any error refuses it."""
    theme = own_theme(root)
    (theme / "assets" / "agency").mkdir(parents=True, exist_ok=True)
    files: dict[int, list[Path]] = {}
    for index, case in enumerate(cases):
        serial = FIRST + index
        fields: dict = {"title": f"测试条目{serial}", "category": "动态信息", "published": dt.date(YEAR, 3, 1)}
        text = case.body.replace("fz0", f"fz{serial}")
        if case.channel == "page":
            path = root / "content" / "pages" / f"fz-{serial}.md"
            path.write_text(f"---\ntitle: 测试页面{serial}\norder: {200 + index}\n---\n\n{text}\n", encoding="utf-8")
            files[serial] = [path]
            continue
        if case.channel in ("title", "summary"):
            fields[case.channel] = f"{fields['title']}{text}" if case.channel == "title" else text
            text = "正文。"
        # front matter YAML refuses (a bidirectional control in a title) cannot be signed: left unsigned, the check refuses it
        with contextlib.suppress(AssertionError):
            write_item(root, YEAR, serial, text, **fields)
        files[serial] = [root / "content" / "items" / str(YEAR) / f"{YEAR}-{serial:05d}.md"]
        if case.channel == "css":
            sheet = theme / "assets" / "agency" / f"fz-{serial}.css"
            sheet.write_text(case.css.replace("fz0", f"fz{serial}"), encoding="utf-8")
            files[serial].append(sheet)
    _extensions(root, [path for paths in files.values() for path in paths if path.suffix == ".css"])
    return files


def _extensions(root: Path, sheets: list[Path]) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if "\nextra_css:" in text:
        text = text[:text.index("\nextra_css:")]
    elif "markdown_extensions:" in text:
        start, end = text.index("markdown_extensions:"), text.index("\nvalidation:")
        text = text[:start] + EXTENSIONS.strip() + "\n" + text[end:]
    if sheets:
        text += "\nextra_css:\n" + "".join(f"  - assets/agency/{sheet.name}\n" for sheet in sheets)
    config.write_text(text, encoding="utf-8")


def run_batch(root: Path, browser, cases: list[Fuzz], read: dict[int, list[str]] | None = None) -> list[str]:
    """The holes of one batch: cases the check passed whose value the browser shows (and into `read`, the texts read
    for each case the check passed, by its position in `cases`)."""
    fixture = make_project(root, news=0)
    (root / "content" / "attachments").mkdir(exist_ok=True)
    files = _plant(root, cases)
    problems = [problem for problem in fixture.check(TODAY) if problem.is_error]
    if os.environ.get("ORACLE_FUZZ_DEBUG"):
        print("\n".join(f"{p.path} {p.code} {p.message[:150]}" for p in problems))
    errors = {problem.path for problem in problems}
    kept = {}
    for serial, paths in files.items():
        if any(fixture.rel(path) in errors for path in paths):
            for path in paths:
                path.unlink()
        else:
            kept[serial] = cases[serial - FIRST]
    _extensions(root, [path for paths in files.values() for path in paths if path.suffix == ".css" and path.exists()])
    left = [f"{p.path} {p.code} {p.message}" for p in fixture.check(TODAY) if p.is_error]
    assert not left, left
    print(f"fuzz batch: {len(cases)} cases, {len(kept)} accepted by the check")
    site = build(fixture, root / "site").site
    holes = []
    with serving(site) as url:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
        page = context.new_page()
        try:
            listed = _listings(page, url, site) if any(case.channel in ("title", "summary") for case in kept.values()) else []
            for serial, case in kept.items():
                page.goto(url + _page_address(case, serial))
                texts = page.evaluate(READ_PAGE) + page.evaluate(DRAWN)
                if case.channel in ("title", "summary"):
                    texts += [text for text in listed if f"测试条目{serial}" in text]
                # A mark is judged by its line (a link's name alone, 此件不得外传 of `通知 [此件不得外传](#x)`, is no
                # notice's line); the accessibility tree's names are read for numbers.
                if VALUES[case.value] == "number":
                    texts += ax_texts(page)
                if read is not None:
                    read[serial - FIRST] = texts
                found = planted_in(Case(serial, VALUES[case.value], case.value, case.body), texts)
                if found and VALUES[case.value] == "mark" and found[0] == "folded" and not _shows_mark(case.value, texts):
                    found = ("naive", found[1])  # a mark, not the one planted: 秘密 alone of 秘密<del>★</del>
                if found and (found[0] == "folded" or os.environ.get("ORACLE_FUZZ_NAIVE")):
                    holes.append(f"{found[0]} {case!r}\n  shown as {found[1][:300]!r}")
        finally:
            context.close()
    return holes


# The body's text as drawn, each element's generated content (`::before`, `::after`) in its place: innerText leaves it
# out, and a stylesheet's `attr(title)` draws an attribute's value between the words around it. And the description
# search engines show under the page's title (an item's summary).
DRAWN = r"""() => {
  const generated = (el, pseudo) => {
    const content = getComputedStyle(el, pseudo).content;
    if (!content || content === 'none' || content === 'normal') return '';
    let out = '';
    for (const part of content.matchAll(/"((?:[^"\\]|\\.)*)"|attr\(\s*([-\w]+)\s*\)/g))
      out += part[1] !== undefined ? part[1].replace(/\\(.)/g, '$1') : (el.getAttribute(part[2]) || '');
    return out;
  };
  const drawn = node => {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE || getComputedStyle(node).display === 'none') return '';
    let text = generated(node, '::before');
    for (const child of node.childNodes) text += drawn(child);
    text += generated(node, '::after');
    return getComputedStyle(node).display.startsWith('inline') ? text : '\n' + text + '\n';
  };
  const described = [...document.querySelectorAll('meta[name=description], meta[property="og:description"]')];
  return [...drawn(document.querySelector('article') || document.body).split(/\n+/), ...described.map(el => el.content)];
}"""

def _shows_mark(value: str, texts: list[str]) -> bool:
    """Whether the texts show the mark planted, as the scans read marks: its word, and its star where it has one (a
    link's accessible name is read alone, and a word alone on its line is a mark: 秘密 alone is not 秘密★ shown)."""
    word = next(word for word in ("绝密", "机密", "秘密", "内部资料", "不得外传") if word in value)
    return any(read == word and ("★" not in value or any(star in fold(written) for star in "★☆⭐✱*"))
               for text in texts for _, _, written, read in find_marks(text))


SEARCH = "测试条目"
# Each entry of a listing: the largest element whose text names one case's title (its title, summary, date …).
ENTRIES = """word => [...document.body.querySelectorAll('*')].filter(el => {
  const count = text => (text || '').split(word).length - 1;
  return count(el.innerText) === 1 && el.parentElement && count(el.parentElement.innerText) > 1;
}).map(el => el.innerText)"""


def _listings(page, url: str, site: Path) -> list[str]:
    """The texts of the listing pages (the home page, the year's, each column's and department's that lists a case)
    and of the search page's results, one per entry."""
    texts: list[str] = []
    listing = [path.parent.relative_to(site).as_posix() + "/" for folder in ("catalog", "departments", "series")
               for path in sorted((site / folder).rglob("index.html")) if SEARCH in path.read_text(encoding="utf-8")]
    for address in ["", f"years/{YEAR}/", *listing]:
        page.goto(url + address)
        texts += page.evaluate(ENTRIES, SEARCH)
    page.goto(f"{url}search/?q={SEARCH}")
    for _ in range(100):  # the page's policy refuses wait_for_function's eval: ask until the search is done
        if page.evaluate("() => document.querySelector('.gongkai-search').dataset.busy === 'false'"):
            break
        page.wait_for_timeout(100)
    texts += page.evaluate("() => [...document.querySelectorAll('.gongkai-search__results li')].map(el => el.innerText)")
    return texts


# --- the property ----------------------------------------------------------------------------------------------------

# What the fuzz found, each fixed where the scans read (one batch: one build).
FOUND = [
    # lines a <br> breaks at a place no grouping has, which a screen reader names run together
    Fuzz("item", MOBILE, "正文1<br>3912345678。"),
    # a stylesheet's attr() drew a title between the words around it (GK532)
    Fuzz("css", MOBILE, '<p id="fz0">电话139<abbr title="1234"></abbr>5678</p>', "#fz0 abbr::before { content: attr(title); }\n"),
    Fuzz("css", "机密★1年", '<p id="fz0">机<a href="#x" title="密★"></a>1年</p>', "#fz0 a::before { content: attr(title); }\n"),
    # a star set apart by a backslash the page shows, before a closing quotation mark or in a sentence
    Fuzz("item", "秘密★", '### 说明 {: data-toc-label="[秘密\\★](#x)" }'),
    Fuzz("page", "秘密★", "正文第一段。\n\n正文[秘密\\★](#x)。\n\n正文最后一段。"),
]


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=DERANDOMIZE,
          phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("ORACLE_FUZZ_SHRINK") else []))
@given(cases=st.lists(fuzz_case(), min_size=BATCH, max_size=BATCH).filter(lambda cases: len(set(cases)) > len(cases) // 2))
@example(cases=FOUND)
def test_what_the_browser_shows_the_check_read(browser, batches, cases):
    root = Path(tempfile.mkdtemp(dir=batches)) / "project"
    holes = run_batch(root, browser, cases)
    if os.environ.get("ORACLE_FUZZ_REPORT"):
        with open(os.environ["ORACLE_FUZZ_REPORT"], "a", encoding="utf-8") as report:
            report.write("".join(hole + "\n" for hole in holes) + f"--- batch of {len(cases)}: {len(holes)} holes\n")
    if not os.environ.get("ORACLE_FUZZ_HUNT"):  # hunting: every batch is run and its holes written down
        assert not holes, "\n".join(holes)


MARKER = "qxoraclereads"


def test_the_oracle_reads_every_channel(browser, batches):
    """The control: a word planted in each channel is in what the oracle reads of its case (a stylesheet's generated
    content, an item's title and summary on the listing pages and the search page)."""
    cases = [Fuzz("item", MOBILE, f"正文{MARKER}。"), Fuzz("page", MOBILE, f"正文{MARKER}。"),
             Fuzz("css", MOBILE, '<p id="fz0">正文<span>甲</span>。</p>', f'#fz0 span::after {{ content: "{MARKER}" }}'),
             Fuzz("title", MOBILE, MARKER), Fuzz("summary", MOBILE, MARKER)]
    read: dict[int, list[str]] = {}
    assert run_batch(Path(tempfile.mkdtemp(dir=batches)) / "project", browser, cases, read) == []
    assert all(any(MARKER in text for text in read.get(index, [])) for index in range(len(cases))), read

