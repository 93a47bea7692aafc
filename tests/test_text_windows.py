"""Windows of a long text: every offset owned by exactly one window, with the overlap's context around it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.text_windows import windows


@given(st.integers(0, 5000), st.integers(130, 900), st.sampled_from([16, 32, 64]))
def test_every_offset_is_owned_once_with_half_the_overlap_around_it(length, size, overlap):
    text = "".join(chr(0x4E00 + n % 500) for n in range(length))
    owners = [0] * length
    for window in windows(text, size, overlap):
        assert window.text == text[window.start:window.start + size] and len(window.text) <= size
        for offset in range(window.owned_from, window.owned_to):
            owners[window.start + offset] += 1
            # a finding of up to half the overlap that starts here is whole in this window
            assert offset + overlap // 2 <= len(window.text) or window.start + len(window.text) == length
            assert offset >= overlap // 2 or window.start == 0
    assert owners == [1] * length
