"""Text that XML 1.0 can hold: feeds and sitemaps stay well-formed whatever a title contains; and the site's address
as they write it."""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production: C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot represent (escaping `<` and `&` is the serialiser's job)."""
    return _NOT_XML.sub("", text)


def base_url(site_url: str) -> str:
    """The address the pages' URLs are joined to in feeds, sitemaps and robots.txt: site_url ending in `/`, or the
    root (`/`) without one, which leaves them root-relative."""
    if not site_url:
        return "/"
    return xml_text(site_url if site_url.endswith("/") else site_url + "/")
