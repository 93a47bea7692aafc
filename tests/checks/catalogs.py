"""A catalog with a 党务公开 section, a 意见征集 column and periodic series, for the checks' tests."""

from __future__ import annotations

ORG_CODE = "11131122MB1534702N"

CATALOG = f"""\
org:
  name: 测试县住房和城乡建设局
  code: {ORG_CODE}
departments:
  - {{name: 办公室, slug: office}}
categories:
  - name: 政策文件
    slug: policy
    children:
      - {{name: 规范性文件, slug: normative}}
      - {{name: 政策解读, slug: interpretation}}
  - name: 公共服务
    slug: services
    children:
      - {{name: 市政服务, slug: utility}}
      - {{name: 财政预决算, slug: budget}}
  - name: 互动交流
    slug: interact
    children:
      - {{name: 意见征集, slug: consult, consultation: true}}
      - {{name: 民意调查, slug: survey, consultation: {{feedback_days: 10}}}}
  - name: 党务公开
    slug: party
    party: true
    children:
      - {{name: 党组织决议, slug: resolutions}}
      - {{name: 联系服务党员群众, slug: outreach, audience: 公众}}
series:
  - {{name: 供水水质检测结果, column: 市政服务, every: quarter, due: 次月底, start: 2021Q1}}
"""


def use(site, catalog: str = CATALOG) -> None:
    """Replace the site's catalog.yml, keeping the test site's reviewer roster."""
    (site.root / "content" / "catalog.yml").write_text(catalog + site.roster_text(), encoding="utf-8")
