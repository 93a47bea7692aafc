"""No text a body may hold is drawn out of sight, in Chromium: markup the check passes cannot hide words from the
reviewer's eye while the page (its search text, a copy, a screen reader) still holds them."""

from __future__ import annotations

import pytest

from tests.browser.conftest import served_item

pytestmark = pytest.mark.browser

# Elements that draw their text smaller than their parent's: nested, each would shrink it again.
SHRINKING = ("small", "sub", "sup", "code", "kbd")


def _nested(tag: str, probe: str, depth: int = 20) -> str:
    return f"<{tag}>" * depth + f'<span id="probe-{probe}">张三住址</span>' + f"</{tag}>" * depth


BODY = "\n\n".join([
    "正文。",
    *(f"<p>{_nested(tag, tag)}</p>" for tag in SHRINKING),
    "<p>" + "".join(f"<{tag}>" for tag in SHRINKING * 4) + '<span id="probe-mixed">张三住址</span>'
    + "".join(f"</{tag}>" for tag in reversed(SHRINKING * 4)) + "</p>",
    "<h6>" + "<span><h6>" * 10 + '<span id="probe-h6">张三住址</span>' + "</h6></span>" * 10 + "</h6>",
    '<p>正文<span id="probe-body">张三住址</span>。</p>',
])


@pytest.fixture(scope="module")
def hidden_url(tmp_path_factory):
    with served_item(tmp_path_factory.mktemp("hidden"), 90, BODY, "关于嵌套标记的测试通知") as url:
        yield url


def test_nested_markup_never_shrinks_text_out_of_sight(desktop, hidden_url):
    page = desktop
    page.goto(hidden_url)
    size = {probe.get_attribute("id"): probe.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            for probe in page.locator("[id^=probe-]").all()}
    opacity = {probe.get_attribute("id"): probe.evaluate(
        "e => { let o = 1; for (; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o }")
        for probe in page.locator("[id^=probe-]").all()}
    assert len(size) == len(SHRINKING) + 3, size
    body = size.pop("probe-body")
    assert all(value >= body * 0.55 for value in size.values()), (body, size)
    assert all(value >= 0.7 for value in opacity.values()), opacity
