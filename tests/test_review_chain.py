"""The signed statement: canonical, unambiguous, and chained to the level below."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from gongkai.review_chain import FIRST, STATEMENT_TYPE, SignedFields, link, signature_key, statement

_text = st.text(max_size=20)


@given(level=_text, reviewer=_text, date=_text, opinion=_text, digest=_text, org=_text, index_no=_text, previous=_text)
def test_statement_is_canonical_json_of_every_bound_value(level, reviewer, date, opinion, digest, org, index_no, previous):
    fields = SignedFields(level, reviewer, date, opinion, digest)
    parsed = json.loads(statement(org, index_no, fields, previous).decode("utf-8", "surrogatepass"))
    assert parsed == {"type": STATEMENT_TYPE, "org": org, "index_no": index_no, "level": level, "reviewer": reviewer,
                      "date": date, "opinion": opinion, "digest": digest, "previous": previous}


def test_values_cannot_spill_into_each_other():
    a = statement("ORG", "X", SignedFields("initial", '李明","level":"final', "2021-01-01", "同意公开", "d"), FIRST)
    b = statement("ORG", "X", SignedFields("final", "李明", "2021-01-01", "同意公开", "d"), FIRST)
    assert a != b


def test_the_link_binds_the_signature_but_not_its_line_breaks():
    armoured = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\nAAAA\n-----END SSH SIGNATURE-----\n"
    assert link(armoured, b"s") == link(armoured.replace("\n", "\r\n"), b"s")
    assert link(armoured, b"s") != link(armoured.replace("AAAA", "AAAB"), b"s")
    assert link("", b"one") != link("", b"two")  # an unsigned level binds its statement
    spaced = armoured.replace("U1NIU0lH\nAAAA", "U1NI U0lH\n\tAAAA ")
    assert signature_key(spaced) == signature_key(armoured) != signature_key(" a\nb ") != b"ab"
