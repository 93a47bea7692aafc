"""Genre against column (GK171): an item whose genre (体裁) is not one its column implies — a 通知 filed
under 政策解读, a 解读 column's item with no genre. A column implies the genres catalog.yml declares for
it (`genre:`, GK170 for a bad declaration), and a column named …解读… implies 解读 when it declares none.
A warning: the editor may have picked the wrong column, or the wrong genre."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog_options import implied_genres, normal_genre
from ..fields import label
from ..problems import Problem
from ..rules import SCHEMA, WARNING
from .base import CheckContext

LOCAL = True  # reads only each item's own file (and the catalog every process has)

OTHER_GENRE = SCHEMA.rule(
    "GK171", WARNING,
    "体裁与栏目不符：栏目（catalog.yml 的 genre，或名称含“解读”的栏目）要求的体裁不是条目的 genre",
    "核对两者：栏目选错了就改 category，体裁写错了就改 genre；栏目本来就收多种体裁的，在 catalog.yml 中把它们都列出，"
    "例如 genre: [公告, 说明]",
)


def check(ctx: CheckContext) -> Iterator[Problem]:
    for item, doc in ctx.sources():
        if item.category is None:
            continue
        genres = implied_genres(item.category)
        if not genres or normal_genre(item.genre) in map(normal_genre, genres):
            continue
        wanted = "或".join(f"“{genre}”" for genre in genres)
        column = f"栏目“{item.category.name}”"
        if not item.genre:
            yield OTHER_GENRE.at(doc.path, doc.line_of("category"),
                                 f"没有写{label('genre')}：{column}的条目体裁应是{wanted}，请加一行 genre: {genres[0]}",
                                 doc.value_col("category"))
        else:
            yield OTHER_GENRE.at(doc.path, doc.value_line("genre"),
                                 f"{label('genre')}“{item.genre}”与{column}不符（该栏目的条目体裁应是{wanted}）："
                                 f"栏目选错了请改 category，体裁写错了请改为 genre: {genres[0]}", doc.value_col("genre"))
