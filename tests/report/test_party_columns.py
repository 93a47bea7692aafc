"""The annual report counts government information: items of the 党务公开 columns are not counted."""

from __future__ import annotations

import datetime as dt

from gongkai.report.compute import proactive_counts, public_items

CATALOG = """\
org: {name: 测试县住房和城乡建设局, code: 11131122MB1534702N}
departments:
  - {name: 办公室, slug: office}
categories:
  - name: 政策文件
    slug: policy
    children:
      - {name: 规范性文件, slug: normative}
  - name: 党务公开
    slug: party
    party: true
    children:
      - {name: 联系服务党员群众, slug: outreach, audience: 公众}
      - {name: 党组织决议, slug: resolutions}
"""


def test_party_columns_are_not_government_information(site):
    (site.root / "content" / "catalog.yml").write_text(CATALOG, encoding="utf-8")
    policy = site.report_item("2021-06-18", category="规范性文件")
    site.report_item("2021-06-18", category="联系服务党员群众")  # public, but 党务公开
    site.report_item("2021-06-18", category="党组织决议", audience="党内", public_from="2021-07-01")  # public since July
    project = site.load()
    items = public_items(project, dt.date(2021, 12, 31))
    assert [item.index_no for item in items] == [policy]
    assert proactive_counts(project, items, 2021)[:2] == (1, (("规范性文件", 1),))
