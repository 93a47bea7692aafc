"""意见征集 and its 反馈: the `consultation` block (GK155–GK156), the `feedback_for` link (GK633–GK634),
and the loop closing in time (GK710–GK713, warnings)."""

from __future__ import annotations

from collections.abc import Iterator

from ..consultations import answers, feedback_days, feedback_due
from ..fields import CONSULTATION_KEYS, label
from ..loading import SourceDocument
from ..model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, PUBLIC, Item
from ..periodic import reach_date
from ..problems import Problem
from ..rules import ERROR, REFERENCES, SCHEMA, TIMELINESS, WARNING
from ..values import as_text, parse_date
from .base import CheckContext
from .schema import BAD_DATE, UNKNOWN_KEY, WRONG_TYPE, misspelled_reference

SHAPE = "{from: 开始日期, to: 截止日期, channels: [意见反馈渠道]}"

BAD_CONSULTATION = SCHEMA.rule(
    "GK155", ERROR,
    "意见征集（consultation）不完整：缺少开始或截止日期，或截止日期早于开始日期",
    f"写成 consultation: {SHAPE}，两个日期都含在征集期内",
)
NO_CONSULTATION = SCHEMA.rule(
    "GK156", ERROR,
    "意见征集栏目的条目既没有征集期（consultation），也不是反馈（feedback_for）",
    f"征集意见的公告写 consultation: {SHAPE}；采纳情况反馈写 feedback_for: 所答复征集的索引号",
)
NO_TARGET = REFERENCES.rule(
    "GK633", ERROR,
    "反馈对象（feedback_for）不是已有条目的索引号",
    "填写所答复的意见征集（或党务公开事项）的索引号，并确认该条目在 content/items/ 中；它是有意删除的，"
    "请改写后重新审查签署（网站照常生成）",
    blocks_publishing=False,  # a reference to a deleted item publishes nothing: see checks.references
)
BAD_TARGET = REFERENCES.rule(
    "GK634", ERROR,
    "反馈对象不能是本条目自身，也不能是不公开的条目",
    "核对索引号：反馈答复的应是已主动公开的征集公告或党务公开事项",
)
FEEDBACK_MISSING = TIMELINESS.rule(
    "GK710", WARNING,
    "意见征集结束后，超过期限仍未发布采纳情况反馈",
    "发布一条反馈（写 feedback_for: 征集公告的索引号），说明收到多少意见、采纳与否及理由",
)
FEEDBACK_LATE = TIMELINESS.rule(
    "GK711", WARNING,
    "采纳情况反馈晚于期限发布",
    "今后在征集结束后按期发布反馈（期限为栏目的 feedback_days，默认 30 天）；已发布的不必改动",
)
FEEDBACK_EARLY = TIMELINESS.rule(
    "GK712", WARNING,
    "采纳情况反馈早于征集结束发布",
    "核对反馈的发布日期和所答复的征集：反馈应在征集期结束后发布",
)
STARTED_UNSEEN = TIMELINESS.rule(
    "GK713", WARNING,
    "征集开始日期早于公告的发布日期（公众实际可提意见的时间比写明的短）",
    "把征集开始日期改为发布当天或之后，并相应顺延截止日期",
)


def check(ctx: CheckContext) -> Iterator[Problem]:
    project = ctx.project
    replies = answers(project.items)
    for item, doc in ctx.sources():
        yield from _block(item, doc)
        yield from _feedback_for(item, doc, ctx)
    for item in project.items:  # a consultation and its 反馈 may have been read by different processes
        if item.consultation is not None and item.disclosure == PUBLIC and item.published is not None:
            yield from _loop(item, project.documents.get(item.path), replies.get(item.index_no, []), ctx)


def _block(item: Item, doc: SourceDocument) -> Iterator[Problem]:
    if "consultation" not in doc.meta:
        if item.category is not None and item.category.feedback_days is not None and not item.feedback_for:
            yield NO_CONSULTATION.at(doc.path, doc.line_of("category"),
                          f"“{item.category.name}”是意见征集栏目：征集意见的公告请写 consultation: {SHAPE}；"
                          "采纳情况反馈请写 feedback_for: 所答复征集的索引号")
        return
    raw = doc.meta["consultation"]
    if not isinstance(raw, dict):
        yield WRONG_TYPE.at(doc.path, doc.line_of("consultation"), f"{label('consultation')}应写成 {SHAPE}")
        return
    for key in raw:
        if key not in CONSULTATION_KEYS:
            yield UNKNOWN_KEY.at(doc.path, doc.line_of("consultation", key),
                        f"{label('consultation')}中有未知的键 `{key}`：只允许 {'、'.join(CONSULTATION_KEYS)}")
    dates = {}
    for key in ("from", "to"):
        text = as_text(raw.get(key))
        dates[key] = parse_date(raw.get(key))
        if not text:
            yield BAD_CONSULTATION.at(doc.path, doc.line_of("consultation", key),
                          f"{label('consultation', key)}缺失：请写成 consultation: {SHAPE}")
        elif dates[key] is None:
            yield BAD_DATE.at(doc.path, doc.line_of("consultation", key),
                        f"{label('consultation', key)}“{text}”不是 YYYY-MM-DD 格式的真实日期", doc.value_col("consultation", key))
    if dates["from"] and dates["to"] and dates["to"] < dates["from"]:
        yield BAD_CONSULTATION.at(doc.path, doc.line_of("consultation", "to"),
                      f"{label('consultation', 'to')} {dates['to']} 早于{label('consultation', 'from')} {dates['from']}：请核对日期")
    channels = raw.get("channels")
    if channels is not None and (not isinstance(channels, list) or not all(as_text(c) for c in channels)):
        yield WRONG_TYPE.at(doc.path, doc.line_of("consultation", "channels"),
                    f"{label('consultation', 'channels')}应是文字列表，例如 [电子邮件：zjj@example.gov.cn, 信函：县政府大院]")
    if dates["from"] and item.published and dates["from"] < item.published:
        yield STARTED_UNSEEN.at(doc.path, doc.line_of("consultation", "from"),
                      f"{label('consultation', 'from')} {dates['from']} 早于{label('published')} {item.published}："
                      "公告发布前公众无从提出意见，请把征集期改为从发布当天起算")


def _feedback_for(item: Item, doc: SourceDocument, ctx: CheckContext) -> Iterator[Problem]:
    if "feedback_for" not in doc.meta:
        return
    line, col, name = doc.line_of("feedback_for"), doc.value_col("feedback_for"), label("feedback_for")
    if not item.feedback_for:
        yield WRONG_TYPE.at(doc.path, line, f"{name}应是一个索引号（文字），例如 feedback_for: 11131122MB1534702N/2026-00004")
        return
    target = ctx.project.item_by_index_no(item.feedback_for)
    if target is None:
        yield misspelled_reference(doc, "feedback_for", item.feedback_for, ctx.project) or NO_TARGET.at(
            doc.path, line, f"{name} {item.feedback_for} 不是已有条目的索引号：请填写所答复的意见征集或党务公开事项的索引号", col)
    elif target is item:
        yield BAD_TARGET.at(doc.path, line, f"{name}指向本条目自身：请填写所答复的征集公告或党务公开事项的索引号", col)
    elif target.disclosure != PUBLIC:
        yield BAD_TARGET.referring(doc.path, line,
                    f"{name} {item.feedback_for}（{target.path}）的公开属性是“{target.disclosure}”：反馈答复的应是已主动公开的事项，"
                    "请核对索引号", col, referrer=item, target=target)


def _loop(item: Item, doc: SourceDocument | None, replies: list[Item], ctx: CheckContext) -> Iterator[Problem]:
    """The consultation's 反馈: published in time, and not before the consultation closed."""
    assert item.consultation is not None
    due = feedback_due(item)
    assert due is not None
    end, days, today = item.consultation.end, feedback_days(item), ctx.today
    # A 反馈 counts once it reaches everyone who could give opinions: the public if the consultation
    # reached it before it closed, else the party members (先党内、后党外: the 再公开 may come later).
    consulted_public = item.public_since is not None and item.public_since <= end
    audience = AUDIENCE_PUBLIC if consulted_public else AUDIENCE_PARTY
    dated = [(reach_date(reply, audience), reply) for reply in replies]
    shown = sorted(((day, reply.index_no, reply) for day, reply in dated if day is not None and day <= today),
                   key=lambda entry: entry[:2])
    if shown:
        first_day, _, first = shown[0]
        first_doc = ctx.project.documents.get(first.path)
        if first_day > due and first_doc is not None:
            yield FEEDBACK_LATE.at(first.path, first_doc.line_of("published"),
                          f"本条是对 {item.index_no}（{item.path}）的采纳情况反馈，{first_day} 公开，晚于期限 {due}"
                          f"（征集 {end} 结束后 {days} 天）{(first_day - due).days} 天")
    elif today > due and doc is not None:
        hidden = "；已有的反馈只向党员公开，公众看不到" if any(day is None for day, _ in dated) else ""
        yield FEEDBACK_MISSING.at(doc.path, doc.line_of("consultation", "to"),
                      f"意见征集已于 {end} 结束，采纳情况反馈应在 {due} 前发布（结束后 {days} 天），已逾期 {(today - due).days} 天"
                      f"{hidden}：请发布一条反馈，写 feedback_for: {item.index_no}，说明收到多少意见、采纳与否及理由")
    for _, reply in dated:
        reply_doc = ctx.project.documents.get(reply.path)
        if reply_doc is not None and reply.published is not None and reply.published <= end:
            yield FEEDBACK_EARLY.at(reply.path, reply_doc.line_of("published"),
                          f"本条是对 {item.index_no}（{item.path}）的采纳情况反馈，{label('published')} {reply.published} "
                          f"不晚于征集截止日期 {end}：反馈应在征集结束后发布，请核对日期或 feedback_for")
