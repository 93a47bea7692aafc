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
