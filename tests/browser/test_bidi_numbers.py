"""Digits beside right-to-left letters or controls: the privacy scan reads a number where Chromium shows one.

Digit groups keep their own order but swap places beside Hebrew or Arabic letters, a right-to-left mark, an
embedding or an isolate (א 5678 1234 139 shows as 139 1234 5678); under an override every character swaps.
Each case is laid out in a real page, its digits read in the order they appear on screen, and the scan of the
text as stored must find a mobile number exactly when the screen shows one.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.checks import pii

pytestmark = pytest.mark.browser

MOBILE = "13912345678"
CASES = [
    "电话 5678 1234 139。", "电话 139 1234 5678。",  # left to right: as stored
    "电话 א 5678 1234 139。", "联系 هاتف 5678 1234 139。", "电话\u200f5678 1234 139。", "电话\u061c5678 1234 139。",
    "电话\u20675678 1234 139\u2069。", "电话\u202e87654321931\u202c。", "电话 ﺏ 5678 1234 139。",
    "联系 هاتف 139 1234 5678。",  # stored as the number, shown 5678 1234 139
    # marks alone, between groups with no blank: the groups swap and join (shown 电话13912345678)
    "电话\u200f5678\u200f1234\u200f139。", "电话\u061c5678\u061c1234\u061c139。",
    "电话\u2067 5678\u200f1234\u200f139\u2069。", "电话\u202b5678\u200f1234\u200f139\u202c。",
    "电话139 א 5678 1234。",  # only the groups after the letter swap: 电话139 1234 5678 א
    "电话\u2066\u200f5678\u200f1234\u200f139\u2069。", "电话\u2068א 5678 1234 139\u2069。",
]
VISUAL_DIGITS = """(text) => {
  const p = document.createElement("p");
  p.textContent = text;
  document.body.append(p);
  const node = p.firstChild, found = [];
  for (let i = 0; i < text.length; i++) {
    if (!/[0-9]/.test(text[i])) continue;
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    found.push([range.getBoundingClientRect().left, text[i]]);
  }
  p.remove();
  return found.sort((a, b) => a[0] - b[0]).map((pair) => pair[1]).join("");
}"""


@pytest.mark.parametrize("text", CASES)
def test_the_scan_finds_the_number_the_screen_shows(desktop, text):
    desktop.set_content('<!doctype html><html lang="zh-CN"><body></body></html>')
    shown = desktop.evaluate(VISUAL_DIGITS, text)
    found = [finding.number for finding in pii.find(text, dt.date(2021, 12, 31))]
    # Read where the screen shows it or where the stored text holds it (copied, indexed, read by a screen reader).
    assert found == ([MOBILE] if MOBILE in shown or MOBILE in text.replace(" ", "") else []), (text, shown)


CELL_DIGITS = """() => {
  const cell = [...document.querySelectorAll("td")].find((td) => /5678/.test(td.textContent));
  const node = cell.firstChild, found = [];
  for (let i = 0; i < node.textContent.length; i++) {
    if (!/[0-9]/.test(node.textContent[i])) continue;
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    found.push([range.getBoundingClientRect().left, node.textContent[i]]);
  }
  return found.sort((a, b) => a[0] - b[0]).map((pair) => pair[1]).join("");
}"""


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["  language: ar", "  language: he", "  direction: rtl"])
def test_no_setting_lays_a_page_out_right_to_left(desktop, tmp_path, setting):
    """A right-to-left page (theme.direction, or a language Material writes from right to left) swaps digit groups
    that no Chinese stands beside: a table cell stored `5678 1234 139`, which no scan takes for a number, showed as
    139 1234 5678. The build lays every page out left to right; a direction written in mkdocs.yml is GK526."""
    from tests.browser.conftest import serving
    from tests.projects import build, make_project, write_item

    fixture = make_project(tmp_path / "project", news=2)
    write_item(fixture.root, 2024, 90, "| 联系人 | 号码 |\n| --- | --- |\n| 甲 | 5678 1234 139 |\n", title="号码表",
               category="动态信息", published=dt.date(2024, 3, 4))
    config = fixture.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  language: zh-CN", setting) if "language" in setting
                      else text.replace("  language: zh-CN", f"  language: zh-CN\n{setting}"), encoding="utf-8")
    found = [problem for problem in fixture.check() if problem.code == "GK526"]
    if "direction" in setting:
        line = text.count("\n", 0, text.index("  language: zh-CN")) + 2  # the line after `language`
        assert len(found) == 1 and found[0].path == "mkdocs.yml" and found[0].line == line
        config.write_text(text.replace("  language: zh-CN", "  language: zh-CN\n  direction: ltr"), encoding="utf-8")
        assert [problem for problem in fixture.check() if problem.code == "GK526"] == []
        config.write_text(text.replace("  language: zh-CN", f"  language: ar\n{setting}"), encoding="utf-8")
        with pytest.raises(Exception, match="GK526"):
            build(fixture, fixture.root / "site")
        config.write_text(text.replace("  language: zh-CN", "  language: ar"), encoding="utf-8")
    else:
        assert found == []
    with serving(build(fixture, fixture.root / "site").site) as url:
        desktop.goto(f"{url}items/2024/00090/")
        assert desktop.evaluate("document.body.dir") == "ltr"
        assert desktop.evaluate(CELL_DIGITS) == "56781234139"
