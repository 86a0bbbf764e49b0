"""排名 开发区: the zone's units by the media centre's official figures, the bot's own count beside them."""

from __future__ import annotations

from handlers.types import Ctx, Reply
from reports.periods import Period, month_keys
from storage.models import Unit
from storage.official import imported_months, official_totals
from storage.org import active_children, ancestors_of, children_using_bot
from storage.rankings import peer_ranking

NO_FIGURES = (
    "说明：{label}尚未导入开发区融媒体中心的官方数据，以上为投稿通自有统计（只含用投稿通报送的单位）。"
)


def official_ranking(ctx: Ctx, zone: Unit, period: Period) -> Reply | None:
    """The official ranking, or None when no month of the period has been imported."""
    months = month_keys(period)
    have = imported_months(ctx.session, months)
    if not have:
        return None
    official = official_totals(ctx.session, have)
    own = {r.unit_id: r.articles for r in peer_ranking(ctx.session, zone.id, period.start, period.end)}
    users = children_using_bot(ctx.session, zone.id)
    mine = ancestors_of(ctx.session, ctx.member.unit_id)
    units = sorted(active_children(ctx.session, zone.id), key=lambda u: -official.get(u.id, 0))
    lines = [f"{zone.name}各单位上稿排名（{period.label}，开发区融媒体中心官方数据）"]
    place, notes = 0, []
    for index, unit in enumerate(units):
        count = official.get(unit.id, 0)
        if index == 0 or count != official.get(units[index - 1].id, 0):
            place = index + 1
        beside = f"（投稿通{own.get(unit.id, 0)}篇）" if unit.id in users else ""
        mark = " ←本单位" if unit.id in mine else ""
        lines.append(f"{place}. {unit.name} {count}篇{beside}{mark}")
        if unit.id in users and own.get(unit.id, 0) != count:
            gap = count - own.get(unit.id, 0)
            notes.append(
                f"{unit.name}官方{count}篇、投稿通{own.get(unit.id, 0)}篇，"
                + (
                    f"有{gap}篇未在投稿通登记，请补报。"
                    if gap > 0
                    else f"投稿通多{-gap}篇，可能尚未被融媒体中心收录。"
                )
            )
    missing = [m for m in months if m not in have]
    if missing:
        notes.append("已导入月份：" + "、".join(have) + "；尚未导入：" + "、".join(missing) + "。")
    return Reply("\n".join(lines + [f"说明：{n}" for n in notes]))
