"""Every channel × every disguise: each place where text someone commits reaches the public site, with each way of
writing a personal number or a secrecy mark that a reader still reads as the same thing.

One project holds every case — one item, page, report or theme file per case, or one line of the one catalog and
mkdocs.yml — and is checked once (the real `gongkai check`: loader, renderer, sanitiser, every family) and built
once (refused, so nothing of it is published). Each case then asserts that the check named it with the family's
code, at its file (and line). A second project plants a plain marker word in each channel and is built for real
(MkDocs, Material, Pagefind), proving that every channel of the matrix is one the public receives.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.commands.build import BuildFailed
from tests.projects import Project, build, make_project, own_theme, write_item

NUMBER = "13912345678"  # a mobile number: GK303
MOBILE, CLASSIFIED, INTERNAL = "GK303", "GK401", "GK402"
MARKS = {"机密★1年": CLASSIFIED, "内部资料": INTERNAL}


# --- the disguises --------------------------------------------------------------------------------------------------

def _digits(system: str) -> Callable[[str], str]:
    return lambda value: "".join(system[int(ch)] if ch.isdigit() else ch for ch in value)


def _joined(mark: str) -> Callable[[str], str]:
    return lambda value: mark.join(value)


def _references(value: str) -> str:
    return "".join(f"&#{ord(ch)};" for ch in value)


def _reversed_override(value: str) -> str:
    return f"\u202e{value[::-1]}\u202c"  # shown in reading order: every character under the override is reversed


def _split(value: str, at: int, glue: str) -> str:
    return value[:at] + glue + value[at:]


# Each: how it writes a value, and what a channel must allow for it ("" any: plain text; "markdown": the channel is
# rendered; "inline": and its inline markup too (not inside a code block, an attribute or an address); "bidi": the
# channel may hold a bidirectional control, which YAML refuses; "url": a link's address; "css": a stylesheet's string;
# "toc": a heading with sub-headings).
NUMBER_DISGUISES: dict[str, tuple[Callable[[str], str], str]] = {
    "plain": (lambda value: value, ""),
    "full-width": (_digits("０１２３４５６７８９"), ""),
    "circled": (_digits("⓪①②③④⑤⑥⑦⑧⑨"), ""),
    "superscript": (_digits("⁰¹²³⁴⁵⁶⁷⁸⁹"), ""),
    "mathematical": (_digits("𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"), ""),
    "arabic-indic": (_digits("٠١٢٣٤٥٦٧٨٩"), ""),
    "chinese": (_digits("〇一二三四五六七八九"), ""),
    "capital-chinese": (_digits("零壹贰叁肆伍陆柒捌玖"), ""),
    "phone-words": (_digits("洞幺两三四五六拐八勾"), ""),  # said for digits over the phone and the radio
    "hyphens": (lambda value: f"{value[:3]}-{value[3:7]}-{value[7:]}", ""),
    "spaces": (lambda value: f"{value[:3]} {value[3:7]} {value[7:]}", ""),
    "box-drawing": (lambda value: f"{value[:3]}─{value[3:7]}─{value[7:]}", ""),
    "fraction-slashes": (lambda value: f"{value[:3]}⁄{value[3:7]}⁄{value[7:]}", ""),
    "ideographic-spaces": (lambda value: f"{value[:3]}\u3000{value[3:7]}\u3000{value[7:]}", ""),
    "zero-width": (_joined("\u200b"), ""),
    "soft-hyphen": (_joined("\u00ad"), ""),
    "word-joiner": (_joined("\u2060"), ""),
    "keycaps": (lambda value: "".join(ch + "\ufe0f\u20e3" for ch in value), ""),
    "references": (_references, ""),
    "hex-references": (lambda value: "".join(f"&#x{ord(ch):x};" for ch in value), ""),
    "look-alike": (lambda value: value.replace("1", "l"), ""),
    "override": (_reversed_override, "bidi"),
    "emphasis": (lambda value: f"{value[:3]}**{value[3:7]}**{value[7:]}", "inline"),
    "escapes": (lambda value: f"{value[:3]}\\-{value[3:7]}\\-{value[7:]}", "markdown"),
    "backticks": (lambda value: f"{value[:3]}`{value[3:7]}`{value[7:]}", ""),  # a code span in a body, as written elsewhere
    # tags written as text: shown as written, but Material labels a heading's sub-headings with its title's tags stripped
    "tags-as-text": (lambda value: f"{value[:3]}&lt;b&gt;{value[3:7]}&lt;/b&gt;{value[7:]}", "toc"),
    "percent": (lambda value: "".join(f"%{ord(ch):02X}" for ch in value), "url"),
    "css-escapes": (lambda value: "".join(f"\\{ord(ch):x} " for ch in value), "css"),
}
MARK_DISGUISES: dict[str, tuple[Callable[[str], str], str]] = {
    "plain": (lambda value: value, ""),
    "traditional": (lambda value: value.replace("机", "機").replace("内", "內").replace("资", "資"), ""),
    "zero-width": (_joined("\u200b"), ""),
    "soft-hyphen": (_joined("\u00ad"), ""),
    "spaced": (lambda value: " ".join(value[:2]) + value[2:], ""),
    "references": (_references, ""),
    "enclosed": (lambda value: value.replace("资", "㊮").replace("机密", "秘密").replace("秘", "㊙"), ""),  # ㊮ is 資, ㊙ 秘
    "variation-selector": (lambda value: value.replace("★", "\u2605\ufe0f"), ""),
    "compatibility-ideographs": (lambda value: value.replace("料", "\uf9be").replace("内", "\U0002f814"), ""),  # 料, 內
    "override": (_reversed_override, "bidi"),
    "emphasis": (lambda value: f"{value[0]}**{value[1]}**{value[2:]}", "inline"),
    "asterisk": (lambda value: f"{value[0]}＊{value[1:]}", ""),  # shown as written: ＊ is no emphasis
    "backtick": (lambda value: f"{value[0]}`{value[1:]}", ""),
    "comment": (lambda value: _split(value, 1, "<!-- 注 -->"), "inline"),
    "tags-as-text": (lambda value: _split(value, 1, "&lt;i&gt;&lt;/i&gt;"), "toc"),
    "percent": (lambda value: "".join(f"%{byte:02X}" for byte in value.encode()), "url"),
    "css-escapes": (lambda value: "".join(f"\\{ord(ch):x} " for ch in value), "css"),
}


# --- the channels ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Channel:
    name: str
    allows: frozenset[str]  # the disguises' needs it meets
    public: bool = True  # the public site shows it (the control build proves it)
    builds: bool = True  # a site with it builds (the sanitiser keeps its markup): in the control build


YAML: frozenset[str] = frozenset()  # a YAML value, printed escaped: plain-text disguises only
BODY = frozenset(("markdown", "bidi"))
ITEM_FIELDS = ["title", "summary", "keywords", "doc_no", "attachment_title", "attachment_file", "withdrawn_reason",
               "consultation_channel"]
BODY_FORMS = {
    "paragraph": "正文{}。",
    "heading": "## 联系{}",
    "toc_nested": "## 联系{}\n\n### 小节\n\n内容。",
    "toc_label": '### 说明 {{: data-toc-label="{}" }}',
    "image_alt": "![{}](../../../attachments/case/picture.png)",
    "image_title": '![图](../../../attachments/case/picture.png "{}")',
    "link_text": "[{}](https://www.example.gov.cn/)",
    "link_title": '[链接](https://www.example.gov.cn/ "{}")',
    "link_query": "[链接](<https://www.example.gov.cn/?tel={}>)",
    "footnote": "正文[^n]。\n\n[^n]: 注释{}",
    "abbreviation": "正文 ABC。\n\n*[ABC]: {}",
    "admonition": '!!! note "{}"\n    内容',
    "code_block": "```\n{}\n```",
    "table_cell": "| 列 | 值 |\n| --- | --- |\n| 甲 | {} |",
    "html_comment": "正文<!-- {} -->。",
}
INLINE = frozenset(("paragraph", "heading", "link_text", "footnote", "admonition", "table_cell"))
CHANNELS = [
    *(Channel(f"item.{name}", YAML) for name in ITEM_FIELDS),
    *(Channel(f"body.{name}", BODY | {"link_query": {"url"}, "toc_nested": {"toc", "inline"}}.get(name, set())
              | ({"inline"} if name in INLINE else set()), public=name != "html_comment",
              builds=name != "admonition") for name in BODY_FORMS),  # admonition: its classes are refused (GK502)
    Channel("attachment.csv", frozenset(("bidi",))),
    Channel("page.title", YAML),
    Channel("page.body", BODY | {"inline"}),
    Channel("report.text", frozenset(("markdown", "inline"))),
    Channel("catalog.department", YAML),
    Channel("mkdocs.extra", YAML),
    Channel("template.text", frozenset(("bidi",))),
    Channel("template.members", frozenset(("bidi",)), public=False),
    Channel("stylesheet.content", frozenset(("bidi", "css"))),
]


@dataclass(frozen=True)
class Case:
    number: int
    channel: Channel
    disguise: str
    value: str  # what a reader reads
    code: str
    written: str  # the value disguised

    @property
    def id(self) -> str:
        return f"{self.channel.name}-{self.disguise}-{self.code}"  # one mark of each code: unique


def _cases() -> list[Case]:
    cases: list[Case] = []
    for channel in CHANNELS:
        plans = [(name, write, NUMBER, MOBILE) for name, (write, need) in NUMBER_DISGUISES.items()
                 if not need or need in channel.allows]
        # the members' site may say 内部 (its notice is 请勿外传): only 密级 marks there
        marks = ["机密★1年"] if channel.name == "template.members" else list(MARKS)
        plans += [(name, write, mark, MARKS[mark]) for name, (write, need) in MARK_DISGUISES.items() for mark in marks
                  if (not need or need in channel.allows) and (write(mark) != mark or name == "plain")]
        for name, write, value, code in plans:
            cases.append(Case(len(cases) + 1, channel, name, value, code, write(value)))
    return cases


CASES = _cases()
YEAR = 2024
FIRST_SERIAL = 3000
PUBLISHED = dt.date(YEAR, 3, 1)


# --- planting -------------------------------------------------------------------------------------------------------

CONSULTATION_CATEGORY = "意见征集"


def _item(root: Path, case: Case, text: str) -> Path:
    """The case's item, its text in the case's channel; returns the file that must be named."""
    serial = FIRST_SERIAL + case.number
    field = case.channel.name.split(".", 1)[1]
    fields: dict = {"title": f"测试条目{case.number}", "category": "动态信息", "published": PUBLISHED}
    body = "正文。"
    attachments = root / "content" / "attachments" / "case"
    attachments.mkdir(parents=True, exist_ok=True)
    if case.channel.name.startswith("body."):
        body = BODY_FORMS[field].format(text)
    elif field in ("title", "summary", "doc_no"):
        fields[field] = text
    elif field == "keywords":
        fields["keywords"] = ["关键词", text]
    elif field == "attachment_title":
        (attachments / f"{case.number}.csv").write_text("名称,说明\n甲,乙\n", encoding="utf-8")
        fields["attachments"] = [{"title": text, "file": f"case/{case.number}.csv"}]
    elif field == "attachment_file":
        (attachments / f"{case.number}-{text}.csv").write_text("名称,说明\n甲,乙\n", encoding="utf-8")
        fields["attachments"] = [{"title": "附件", "file": f"case/{case.number}-{text}.csv"}]
    elif field == "withdrawn_reason":
        fields["withdrawn"] = {"date": PUBLISHED + dt.timedelta(days=3), "reason": text}
    elif field == "consultation_channel":
        fields.update(category=CONSULTATION_CATEGORY,
                      consultation={"from": PUBLISHED, "to": dt.date(YEAR, 7, 31), "channels": [text]})  # open on TODAY
    elif field == "csv":
        (attachments / f"{case.number}.csv").write_text(f"名称,说明\n甲,{text}\n", encoding="utf-8")
        fields["attachments"] = [{"title": "附件", "file": f"case/{case.number}.csv"}]
    return write_item(root, YEAR, serial, body, **fields)


def _plant(project: Project, cases: list[Case]) -> dict[int, tuple[str, int | None]]:
    """Write every case into `project`; returns where each must be named: (file, line or None for the whole file)."""
    root = project.root
    (root / "content" / "attachments" / "case").mkdir(parents=True, exist_ok=True)
    (root / "content" / "attachments" / "case" / "picture.png").write_bytes(_PNG)
    theme = own_theme(root)
    where: dict[int, tuple[str, int | None]] = {}
    departments, extra, stylesheets = [], [], []
    for case in cases:
        text = case.written
        kind = case.channel.name
        if kind.startswith(("item.", "body.", "attachment.")):
            where[case.number] = (project.rel(_item(root, case, text)), None)
        elif kind == "page.title":
            path = root / "content" / "pages" / f"case-{case.number}.md"
            path.write_text(f"---\ntitle: {json.dumps(text, ensure_ascii=False)}\norder: {100 + case.number}\n---\n\n正文。\n",
                            encoding="utf-8")
            where[case.number] = (project.rel(path), None)
        elif kind == "page.body":
            path = root / "content" / "pages" / f"case-{case.number}.md"
            path.write_text(f"---\ntitle: 测试页面{case.number}\norder: {100 + case.number}\n---\n\n正文{text}。\n",
                            encoding="utf-8")
            where[case.number] = (project.rel(path), None)
        elif kind == "report.text":
            path = root / "content" / "reports" / f"{_report_year(case)}.yml"
            path.write_text(f"overview: {json.dumps('总体情况' + text + '。', ensure_ascii=False)}\n", encoding="utf-8")
            where[case.number] = (project.rel(path), None)
        elif kind == "catalog.department":
            departments.append((case, f"  - {{name: {json.dumps('科室' + text, ensure_ascii=False)}, slug: case{case.number}}}"))
        elif kind == "mkdocs.extra":
            extra.append((case, f"  case_{case.number}: {json.dumps(text, ensure_ascii=False)}"))
        elif kind in ("template.text", "template.members"):
            path = theme / "partials" / f"case-{case.number}.html"
            shown = f"<p>联系{text}</p>"
            path.write_text(f"{{% if gk_site.members %}}{shown}{{% endif %}}\n" if kind == "template.members" else shown + "\n",
                            encoding="utf-8")
            where[case.number] = (project.rel(path), None)
        elif kind == "stylesheet.content":
            path = theme / "assets" / "agency" / f"case-{case.number}.css"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'.case-{case.number}::before {{ content: "{text}"; }}\n', encoding="utf-8")
            stylesheets.append(f"assets/agency/case-{case.number}.css")
            where[case.number] = (project.rel(path), None)
        else:
            raise AssertionError(kind)
    catalog = root / "content" / "catalog.yml"
    source = catalog.read_text(encoding="utf-8")
    head, marker, rest = source.partition("departments:\n")
    before = (head + marker).count("\n")
    lines = [line for _, line in departments]
    catalog.write_text(head + marker + "".join(line + "\n" for line in lines) + rest, encoding="utf-8")
    for index, (case, _) in enumerate(departments):
        where[case.number] = ("content/catalog.yml", before + index + 1)
    config = root / "mkdocs.yml"
    # the matrix' own extensions (attr_list for data-toc-label, abbr, admonition …) in place of the sample's
    source = config.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n  - tables\n  - sane_lists\n  - footnotes\n  - toc:\n      permalink: false\n", "")
    base = source.count("\n") + 1
    added = []
    if extra:
        added += ["extra:", *(line for _, line in extra)]
        for index, (case, _) in enumerate(extra):
            where[case.number] = ("mkdocs.yml", base + 1 + index)
    if stylesheets:
        added += ["extra_css:", *(f"  - {name}" for name in stylesheets)]
    added += ["markdown_extensions:", *(f"  - {name}" for name in ("tables", "footnotes", "toc", "abbr", "admonition",
                                                                  "attr_list", "def_list", "md_in_html"))]
    config.write_text(source + "\n".join(added) + "\n", encoding="utf-8")
    return where


def _report_year(case: Case) -> int:
    """A year of its own for each report case (they are numbered one after another), none the sample's 2023."""
    return 1960 + case.number % 60


# A 1×1 PNG for the pictures the bodies show.
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


# --- the matrix -----------------------------------------------------------------------------------------------------

# Values written as YAML numbers where text is shown: the page prints the number as Python writes it (a float's
# 13912345678.0 too). Planted in the matrix' project: (file, where the value goes, the value as written).
NON_TEXT = {
    "page.title-integer": ("content/pages/number-1.md", f"---\ntitle: {NUMBER}\norder: 90\n---\n\n正文。\n"),
    "page.title-float": ("content/pages/number-2.md", "---\ntitle: 1.3912345678e+10\norder: 91\n---\n\n正文。\n"),
    "catalog.department-float": ("content/catalog.yml", "  - {name: 1.3912345678e+10, slug: case-float}\n"),
    "mkdocs.extra-float": ("mkdocs.yml", "  case_float: 1.3912345678e+10\n"),
}


def _plant_non_text(root: Path) -> dict[str, tuple[str, int]]:
    """Write NON_TEXT into the matrix' project; returns where each must be named (file, line)."""
    where = {}
    for name, (file, text) in NON_TEXT.items():
        path = root / file
        if text.startswith("---"):
            path.write_text(text, encoding="utf-8")
            where[name] = (file, 2)
        else:  # after the last line of a list or mapping that _plant wrote: the lines of its cases stay where they are
            head = "departments:" if file.endswith("catalog.yml") else "extra:"
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            end = lines.index(head + "\n") + 1
            while end < len(lines) and lines[end].startswith("  "):
                end += 1
            path.write_text("".join([*lines[:end], text, *lines[end:]]), encoding="utf-8")
            where[name] = (file, end + 1)
    return where


@dataclass
class Matrix:
    where: dict[int, tuple[str, int | None]]
    non_text: dict[str, tuple[str, int]]
    found: dict[tuple[str, int | None], set[str]]
    build_error: str


@pytest.fixture(scope="module")
def matrix(tmp_path_factory) -> Matrix:
    project = make_project(tmp_path_factory.mktemp("matrix") / "site-project", news=0)
    where = _plant(project, CASES)
    non_text = _plant_non_text(project.root)
    found: dict[tuple[str, int | None], set[str]] = {}
    for problem in project.check():
        found.setdefault((problem.path, None), set()).add(problem.code)
        found.setdefault((problem.path, problem.line), set()).add(problem.code)
    try:
        build(project, project.root / "site")
    except BuildFailed as exc:
        error = str(exc)
    else:
        error = ""
    assert not (project.root / "site").exists()
    return Matrix(where, non_text, found, error)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_check_reads_every_channel_as_readers_read_it(matrix: Matrix, case: Case) -> None:
    place = matrix.where[case.number]
    codes = matrix.found.get(place, set())
    assert case.code in codes, f"{case.written!r} in {case.channel.name} at {place}: {sorted(codes)}"


@pytest.mark.parametrize("name", list(NON_TEXT))
def test_a_number_written_where_text_is_shown_is_read_as_shown(matrix: Matrix, name: str) -> None:
    place = matrix.non_text[name]
    assert MOBILE in matrix.found.get(place, set()), f"{name} at {place}"


def test_the_matrix_is_never_built(matrix: Matrix) -> None:
    assert "内容检查未通过" in matrix.build_error


# --- the control: every channel reaches the public ----------------------------------------------------------------

def _marker(index: int) -> str:
    """A word no page holds otherwise, without digits (a stylesheet may not draw digits: GK532)."""
    return "qxchannel" + "".join(chr(ord("a") + int(digit)) for digit in str(index)) + "x"


CONTROLS = [Case(index + 1, channel, "plain", _marker(index), "", _marker(index))
            for index, channel in enumerate(CHANNELS) if channel.builds]


@pytest.fixture(scope="module")
def control_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("control") / "site-project", news=0)
    _plant(project, CONTROLS)
    # the report text only shows in a year's report page: the sample's 2023 report
    report = project.root / "content" / "reports" / "2023.yml"
    marker = next(case.written for case in CONTROLS if case.channel.name == "report.text")
    report.write_text(report.read_text(encoding="utf-8").replace("  2023年，我局", f"  {marker}2023年，我局", 1),
                      encoding="utf-8")
    for case in CONTROLS:
        if case.channel.name == "report.text":
            (project.root / "content" / "reports" / f"{_report_year(case)}.yml").unlink()
    # the templates only show when a page includes them
    footer = project.root / "theme_overrides" / "partials" / "footer.html"
    includes = "".join(f'{{% include "partials/case-{case.number}.html" %}}' for case in CONTROLS
                       if case.channel.name.startswith("template."))
    includes += "".join(f"<p>{{{{ config.extra.case_{case.number} }}}}</p>" for case in CONTROLS
                        if case.channel.name == "mkdocs.extra")
    footer.write_text(footer.read_text(encoding="utf-8").replace("</footer>", includes + "</footer>"), encoding="utf-8")
    built = build(project, project.root / "site")
    return built.site


@pytest.mark.parametrize("case", CONTROLS, ids=[case.channel.name for case in CONTROLS])
def test_every_channel_of_the_matrix_reaches_the_public(control_site: Path, case: Case) -> None:
    shown = any(case.written in path.read_text(encoding="utf-8", errors="replace")
                for path in control_site.rglob("*") if path.suffix in (".html", ".xml", ".css", ".csv") or
                path.name.endswith(".csv"))
    names = any(case.written in path.name for path in control_site.rglob("*"))
    assert (shown or names) == case.channel.public, case.channel.name
