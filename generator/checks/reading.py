"""Codes of problems found while reading files (GK0xx) and catalog.yml (GK9xx).

Those problems come from `loading`, `project` and `catalog` before any rule runs, and `run` reports
them first; this family contributes none of its own. It declares their codes so that every code a
user can see is documented in one registry (and therefore in the 编辑手册).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import DUPLICATE, INVALID, MISSING, ORG_CODE
from ..loading import DUPLICATE_KEY, EMPTY, ENCODING, NO_FRONT_MATTER, NOT_A_MAPPING, UNCLOSED_FRONT_MATTER, YAML_SYNTAX
from ..problems import Problem
from ..project import PAGE_META
from .base import CheckContext, Rule

RULES = (
    Rule(ENCODING, "error", "文件不是 UTF-8 编码（常见为 GBK 或 UTF-16），或无法读取",
         "用编辑器“另存为 UTF-8”，或运行 `iconv -f GBK -t UTF-8 原文件 > 新文件`"),
    Rule(EMPTY, "error", "文件为空", "用 `gongkai new` 生成条目骨架后再填写；不需要的空文件请删除"),
    Rule(NO_FRONT_MATTER, "error", "缺少 front matter：第一行不是 `---`", "文件第一行写 `---`，接着写元数据，再以一行 `---` 结束"),
    Rule(UNCLOSED_FRONT_MATTER, "error", "front matter 没有结束的 `---`", "在元数据之后、正文之前加一行 `---`"),
    Rule(YAML_SYNTAX, "error", "元数据的 YAML 语法错误（含 Tab 缩进）",
         "按提示的行检查：缩进只用空格、冒号后要有空格、引号要成对；含冒号或井号的值加引号"),
    Rule(NOT_A_MAPPING, "error", "元数据不是“键: 值”形式", "每行写成 `键: 值`，例如 `title: 关于……的通知`"),
    Rule(DUPLICATE_KEY, "error", "同一个键写了两次", "删除重复的一行（YAML 只会保留其中一个值，审查的内容可能与所见不同）"),
    Rule(PAGE_META, "error", "页面（content/pages/）缺少标题或 order 不是整数", "在页面开头的元数据中写 `title: 页面标题`，order 写整数"),
    Rule(MISSING, "error", "找不到 content/catalog.yml", "在 content/ 下建立 catalog.yml（机构、部门和公开目录），格式见本手册"),
    Rule(INVALID, "error", "catalog.yml 内容不完整或格式不对", "按提示补齐机构名称、代码、部门和栏目（每个一级栏目至少一个二级栏目）"),
    Rule(ORG_CODE, "error", "机构代码校验位不对", "核对 18 位统一社会信用代码（或 9 位组织机构代码），以证书上的为准"),
    Rule(DUPLICATE, "error", "catalog.yml 中部门或栏目的名称、代号重复", "每个部门、栏目的名称和代号（slug）必须各不相同"),
)


def check(ctx: CheckContext) -> Iterator[Problem]:
    return iter(())
