"""The shipped traditional → simplified table is what OpenCC's t2s gives, one character at a time."""

from __future__ import annotations

from gongkai import simplified_forms


def test_the_shipped_table_is_opencc_s():
    shipped = simplified_forms.load()
    assert shipped == simplified_forms.compute(), "请运行 scripts/simplified_forms.py 重新生成 generator/simplified_forms.json"
    assert simplified_forms.FILE.read_text(encoding="utf-8") == simplified_forms.dumps(shipped)
    assert shipped["機"] == "机" and shipped["灣"] == "湾" and len(shipped) > 4000
    assert all(len(key) == len(value) == 1 and value not in shipped for key, value in shipped.items())  # folding twice changes nothing
