"""Text that XML 1.0 can hold: feeds and sitemaps stay well-formed whatever a title contains."""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production: C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot represent (escaping `<` and `&` is the serialiser's job)."""
    return _NOT_XML.sub("", text)
