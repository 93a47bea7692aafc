"""xml_text keeps every character XML 1.0 can hold and drops the rest."""

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from gongkai.site.xml_text import xml_text


def test_keeps_text_and_drops_what_xml_cannot_hold():
    assert xml_text("通知\t\n\r<&>😀") == "通知\t\n\r<&>😀"
    assert xml_text("a\x00b\x0bc\x1fd\ud800e\ufffef\uffff") == "abcdef"


@given(st.text())
def test_the_result_always_fits_in_an_xml_document(text):
    element = etree.Element("t")
    element.text = xml_text(text)  # lxml refuses any character XML cannot hold
    assert etree.fromstring(etree.tostring(element, encoding="utf-8")).text in (xml_text(text), None)
