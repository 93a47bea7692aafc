"""One notion of a site's host: the link rules and the members' site's address agree on every spelling of it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.hosts import host_key, same_site

SPELLINGS = ["https://zjj.qinghe.gov.cn/", "http://ZJJ.qinghe.gov.cn./", "https://www.zjj.qinghe.gov.cn:8443/x/",
             "https://ｚｊｊ。qinghe．gov.cn/", "https://zjj.qinghe%2Egov.cn/", "//zjj.qinghe.gov.cn/"]


def test_every_spelling_of_the_host_is_one_site():
    assert all(same_site(one, other) for one in SPELLINGS for other in SPELLINGS)
    assert not any(same_site(one, "https://dangwu.zjj.intranet/") for one in SPELLINGS)
    assert not same_site("https://zjj.qinghe.gov.cn/", "https://zjj.qinghe.gov.cn.evil.example/")


@pytest.mark.parametrize("spelling", ["http://167838211/", "http://0xa.0x1.0x2.0x3/", "http://012.1.2.3/", "http://10.1.515/",
                                      "http://0x0a010203/", "http://10.1.2.3./"])
def test_an_ipv4_address_in_any_notation_a_browser_takes_is_one_site(spelling):
    """The URL Standard reads decimal, hex, octal and shortened IPv4 forms as one address: a members' site at
    10.1.2.3 linked as http://167838211/… was taken for another site."""
    assert same_site(spelling, "http://10.1.2.3/") and not same_site(spelling, "http://10.1.2.4/")


@pytest.mark.parametrize("name", ["1" * 5000, "1.2.3." + "9" * 100_000, "0x" + "f" * 100_000, "0" + "7" * 100_000,
                                  "0" * 100_000 + "1", "[" * 1000, "a." * 50_000])
def test_a_hostile_host_name_is_a_key_not_an_error(name):
    """A host of thousands of digits made int() refuse it (4,300 digits at most) with a ValueError out of host_key."""
    assert isinstance(host_key(name), str)
    assert not same_site(f"http://{name}/", "https://zjj.qinghe.gov.cn/")


@given(st.text(max_size=80), st.text(max_size=80))
def test_any_text_is_told_apart_without_an_error(one, other):
    assert same_site(one, other) in (True, False)
    assert isinstance(host_key(one), str)
