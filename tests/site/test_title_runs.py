"""A title the header's one line may cut (an ellipsis wherever the window ends it) keeps each run of digits in one
inline box, which an ellipsis hides whole: a 12-digit run (no number to the scans) showed as its first 11 digits and
"…" at some widths (measured in Chromium by rt24; the box hidden whole checked there at 700 px)."""

from __future__ import annotations

import re

from gongkai.site.runs import runs_whole


def test_runs_holding_digits_are_boxed_and_everything_escaped():
    assert runs_whole("关于档案号139123456780查阅<b>事项</b>的说明") == (
        '关于档案号<span class="gk-run">139123456780</span>查阅&lt;b&gt;事项&lt;/b&gt;的说明')
    assert runs_whole("幺参九幺二参四五六七八洞") == '<span class="gk-run">幺参九幺二参四五六七八洞</span>'  # read as digits
    assert runs_whole("１３９１２３４５６７８０号") == '<span class="gk-run">１３９１２３４５６７８０</span>号'
    assert runs_whole("关于加强管理的通知") == "关于加强管理的通知"
    assert runs_whole('"><script>alert(1)</script>') == '<span class="gk-run">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>'


def test_the_header_prints_the_title_with_its_runs_boxed(built):
    pages = [path for path in (built.site / "items").rglob("index.html")]
    titled = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        topic = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">(.*?)</span>\s*</div>', html, re.S)
        assert topic, page
        if re.search(r"[0-9]", re.sub(r'<span class="gk-run">[^<]*</span>', "", topic[1])):
            raise AssertionError(f"{page}: a digit outside a box in the header: {topic[1]!r}")
        titled += '<span class="gk-run">' in topic[1]
    assert titled, "no item title of the fixture holds a digit"
