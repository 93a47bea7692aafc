"""The footer's links: the 找错 address carries the 网站标识码 as one query value whatever it holds,
and only absolute http(s) addresses count as web addresses."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from gongkai.site.options import Footer, is_web_address


@given(st.text(min_size=1, max_size=40))
def test_the_site_code_stays_one_query_value(site_code):
    url = urlsplit(Footer(site_code=site_code).jiucuo_url)
    assert (url.scheme, url.netloc, url.path, url.fragment) == ("https", "zfwzgl.www.gov.cn", "/exposure/jiucuo.html", "")
    assert parse_qs(url.query, keep_blank_values=True) == {"site_code": [site_code]}


@given(st.sampled_from(["javascript", "JavaScript", "data", "vbscript", "java\tscript", " javascript", "ftp", "//"]),
       st.text(max_size=20))
def test_only_http_addresses_are_web_addresses(scheme, rest):
    assert not is_web_address(f"{scheme}:{rest}")
    assert is_web_address("https://beian.mps.gov.cn/#/query/webSearch?code=1")
