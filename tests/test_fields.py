"""The front-matter fields are declared once: the Item model, the item page's table and the 编辑手册 agree with them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from gongkai.fields import FIELDS
from gongkai.model import Category, Department, Item, Review
from gongkai.site.views import METADATA_TABLE, metadata

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "编辑手册.md"


def _item(**changes) -> Item:
    item = Item(
        "content/items/2021/a.md", "标题", "11131122MB1534702N/2021-00001",
        Category("规范性文件", "normative", "政策文件", "policy"), Department("办公室", "office"), dt.date(2021, 6, 18),
        "主动公开", Review(), "正文",
    )
    return dataclasses.replace(item, **changes)


def test_every_field_read_or_shown_by_declaration_is_an_item_attribute():
    attributes = {field.name for field in dataclasses.fields(Item)}
    declared = {key for key, field in FIELDS.items() if field.reader is not None or field.shown is not None}
    assert declared - attributes == set()


def test_the_manual_lists_every_field_with_its_label_in_order():
    section = GUIDE.read_text(encoding="utf-8").split("### 3. 元数据字段", 1)[1].split("\n### ", 1)[0]
    rows = [line.split("|")[1:4] for line in section.splitlines() if re.match(r"\| [a-z_]+ \|", line)]
    written = [(key.strip(), name.strip(), required.strip() == "是") for key, name, required in rows]
    assert written == [(key, field.label, field.required) for key, field in FIELDS.items()]


def test_the_metadata_table_shows_the_declared_fields_in_order_with_links():
    cells = metadata(_item(doc_no="青住建规〔2021〕3号", keywords=("公租房", "保障")))
    assert [cell.label for cell in cells] == [field.label for field in METADATA_TABLE if field.key != "effective"]
    by_label = {cell.label: cell for cell in cells}
    assert (by_label["主题分类"].text, by_label["主题分类"].url) == ("规范性文件", "catalog/normative/")
    assert (by_label["发布机构"].text, by_label["发布机构"].url) == ("办公室", "departments/office/")
    assert (by_label["发布日期"].text, by_label["关键词"].text, by_label["成文日期"].text) == ("2021-06-18", "公租房，保障", "—")
    assert by_label["索引号"].css == "gk-meta__index"


def test_an_effective_date_is_shown_after_the_publication_date_only_where_written():
    labels = [cell.label for cell in metadata(_item(effective=dt.date(2021, 8, 1)))]
    assert labels[labels.index("发布日期") + 1] == "生效日期"
    assert "生效日期" not in [cell.label for cell in metadata(_item())]
