"""Host names as a browser reaches them: one notion of "the same site" for the link rules (a body's link to this site's
own pages) and for the settings (the members' site never on the public site's host)."""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import re
import unicodedata
from urllib.parse import unquote, urlsplit


@functools.lru_cache(maxsize=1024)
def host_key(name: str) -> str:
    """`name` as the browser maps it before asking DNS (UTS 46), with the spellings of one site folded together: percent
    escapes decoded, compatibility forms folded (full-width letters, ｡ and ．), the ideographic full stop read as a dot,
    case ignored, a final dot dropped, a Chinese name as its xn-- form, an IP address in one spelling, and a leading
    `www.` dropped (the same site's other name, usually on the same server)."""
    folded = unicodedata.normalize("NFKC", unquote(name)).replace("\u3002", ".").lower().rstrip(".")
    if (address := _ipv4(folded)) is not None:
        return address
    try:
        return ipaddress.ip_address(folded.strip("[]")).compressed
    except ValueError:
        pass
    with contextlib.suppress(UnicodeError):  # an empty or overlong label: no DNS name, compared as written
        folded = folded.encode("idna").decode("ascii")
    return folded.removeprefix("www.")


_NUMBER = {16: re.compile(r"[0-9a-f]*\Z"), 8: re.compile(r"[0-7]*\Z"), 10: re.compile(r"[0-9]+\Z")}


def _ipv4(name: str) -> str | None:
    """A host the browser reads as an IPv4 address (the URL Standard's IPv4 parser), in dotted decimal: one to four
    parts, each decimal, 0x hex or 0-led octal, the last filling the bytes left (`2130706433`, `0x7f.1`, `0177.0.0.1`,
    `127.1` are all 127.0.0.1); None for a name whose last part is not a number."""
    parts = name.split(".")
    last = parts[-1]
    if not (_NUMBER[10].match(last) or (last[:2] == "0x" and _NUMBER[16].match(last[2:]))) or len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        base, digits = (16, part[2:]) if part[:2] == "0x" else (8, part[1:]) if len(part) > 1 and part[0] == "0" else (10, part)
        if not _NUMBER[base].match(digits) or len(digits.lstrip("0")) > 11:  # past 2³²: no address, and int() refuses
            return None                                                      # 4,300 decimal digits with a ValueError
        numbers.append(int(digits, base) if digits else 0)
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1] + sum(number << 8 * (3 - at) for at, number in enumerate(numbers[:-1]))
    return str(ipaddress.IPv4Address(value))


def same_site(one: str, other: str) -> bool:
    """Whether two addresses lead to one site's host (`host_key`), whatever their scheme and port: a members' site on
    the public site's host name is on the public server, and a link by another port of it is still this site's."""
    try:
        return host_key(urlsplit(one).hostname or "") == host_key(urlsplit(other).hostname or "") != ""
    except ValueError:  # an address no URL parser takes apart (a bracket left open)
        return False
