"""Host names as a browser reaches them: one notion of "the same site" for the link rules (a body's link to this site's
own pages) and for the settings (the members' site never on the public site's host)."""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import unicodedata
from urllib.parse import unquote, urlsplit


@functools.lru_cache(maxsize=1024)
def host_key(name: str) -> str:
    """`name` as the browser maps it before asking DNS (UTS 46), with the spellings of one site folded together: percent
    escapes decoded, compatibility forms folded (full-width letters, ｡ and ．), the ideographic full stop read as a dot,
    case ignored, a final dot dropped, a Chinese name as its xn-- form, an IP address in one spelling, and a leading
    `www.` dropped (the same site's other name, usually on the same server)."""
    folded = unicodedata.normalize("NFKC", unquote(name)).replace("\u3002", ".").lower().rstrip(".")
    try:
        return ipaddress.ip_address(folded.strip("[]")).compressed
    except ValueError:
        pass
    with contextlib.suppress(UnicodeError):  # an empty or overlong label: no DNS name, compared as written
        folded = folded.encode("idna").decode("ascii")
    return folded.removeprefix("www.")


def same_site(one: str, other: str) -> bool:
    """Whether two addresses lead to one site's host (`host_key`), whatever their scheme and port: a members' site on
    the public site's host name is on the public server, and a link by another port of it is still this site's."""
    try:
        return host_key(urlsplit(one).hostname or "") == host_key(urlsplit(other).hostname or "") != ""
    except ValueError:  # an address no URL parser takes apart (a bracket left open)
        return False
