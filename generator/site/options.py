"""What an agency configures about its site, independent of how the configuration is read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

_HTTP = re.compile(r"https?://[^\s\x00-\x1f]+\Z", re.IGNORECASE)


def is_web_address(value: str) -> bool:
    """An absolute http(s) address with nothing a browser would skip or a scheme could hide behind."""
    return _HTTP.match(value) is not None


# A site's root: scheme, host (a name of letters, digits and hyphens, or an IPv6 address in brackets), an optional port
# and a path of plain segments. MkDocs takes the 404 page's base from the path: `https://a.gov.cn//evil.example/` made
# it load every script and stylesheet from //evil.example/, and `/./`, `/../`, a backslash, a query or a fragment
# would move or break every canonical address, feed and sitemap entry.
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_SITE = re.compile(rf"https?://(?:{_LABEL}(?:\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{{1,5}})?"
                   r"(?:/(?:[\w~%!$&'()*+,;=:@.-]+/)*(?:[\w~%!$&'()*+,;=:@.-]+)?)?\Z", re.IGNORECASE)
_DOT_SEGMENT = re.compile(r"/\.{1,2}(?:/|\Z)")


SITE_ADDRESS = ("https:// 或 http:// 加域名（或 IP 地址），可加端口和路径，如 https://zjj.qinghe.gov.cn/gk/；"
                "路径中不能有连续的斜杠（//）、“.”或“..”、反斜杠和空格，也不能带 ? 或 #")


def is_site_address(value: str) -> bool:
    """Whether `value` can be a site's root address (`site_url`): see _SITE."""
    return (_SITE.match(value) is not None and _DOT_SEGMENT.search(value.split("://", 1)[1]) is None
            and value.isprintable())


@dataclass(frozen=True)
class Footer:
    """The footer every Chinese government website must carry (国办发〔2017〕47号)."""

    sponsor: str = ""  # 主办单位
    address: str = ""  # 联系地址
    phone: str = ""  # 联系电话
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP备案号
    icp_url: str = "https://beian.miit.gov.cn/"
    police: str = ""  # 公安机关备案号
    police_url: str = ""
    conac_url: str = ""  # 党政机关网站标识 (开办者在 conac.cn 取得)
    error_report_url: str = ""  # 我为政府网站找错

    REQUIRED = ("sponsor", "address", "phone", "site_code", "icp", "police")
    LABELS = {
        "sponsor": "主办单位",
        "address": "联系地址",
        "phone": "联系电话",
        "site_code": "网站标识码",
        "icp": "ICP备案号",
        "police": "公安机关备案号",
    }

    URLS = ("icp_url", "police_url", "conac_url", "error_report_url")

    def bad_urls(self) -> list[str]:
        """Names of the link settings that are neither empty nor an http(s) address (a link must not run script)."""
        return [name for name in self.URLS if getattr(self, name) and not is_web_address(getattr(self, name))]

    def missing(self) -> list[str]:
        """Labels of the required fields left empty."""
        return [self.LABELS[name] for name in self.REQUIRED if not getattr(self, name)]

    @property
    def jiucuo_url(self) -> str:
        """The national 政府网站找错 form for this site, unless another address is configured."""
        if self.error_report_url:
            return self.error_report_url
        if self.site_code:
            return "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?" + urlencode({"site_code": self.site_code})
        return ""


@dataclass(frozen=True)
class PartySite:
    """The members' site (`gongkai build --audience 党内`): its intranet address and its footer notice."""

    site_url: str = ""  # e.g. http://dangwu.zjj.intranet/; empty: links stay relative
    notice: str = ""  # where the site may be shown; empty: NOTICE

    NOTICE = ("本网站为{org}党务公开党内网站，内容仅向本单位全体党员公开，只能在单位内部网络发布和查阅，"
              "不得发布到互联网，不得转载、截图或以其他方式向党外传播。")

    def notice_for(self, org_name: str) -> str:
        return self.notice or self.NOTICE.format(org=org_name)


@dataclass(frozen=True)
class SiteOptions:
    page_size: int = 20  # items per listing page
    feed_size: int = 50  # entries per Atom feed
    home_latest: int = 10  # latest items on the home page
    footer: Footer = field(default_factory=Footer)
    party: PartySite = field(default_factory=PartySite)
    search: bool = True  # the plugin's search_index: a search page, its navigation entry and every page's search form
