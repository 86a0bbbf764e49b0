"""The answer to a message no command claims: what was understood, and one example — not the whole help."""

from __future__ import annotations

from handlers.article_drafts import names
from handlers.parsing.counts import find_people
from handlers.parsing.dates import find_dates
from handlers.parsing.intent import not_a_report
from handlers.parsing.outlets import find_outlets
from handlers.parsing.text import clean
from handlers.parsing.urls import find_url
from handlers.types import Ctx, Incoming, Reply

ARTICLE_HINT = "报上稿可以这样发：今天学习强国发了我们的稿子《标题》 链接https://…"
ACTIVITY_HINT = "报活动可以这样发：11月25日在社区广场开展志愿服务活动，60余名居民参加"
_NOTHING_YET = {
    "not_yet": "还没刊发的稿件先不用登记，刊发后把标题和链接（或媒体、日期）发来即可。",
    "planned": "还没开展的活动先不用登记，活动办完后把名称、日期和参加人数发来即可；稿件刊发后再报上稿。",
}


def fallback(ctx: Ctx, msg: Incoming) -> Reply:
    if msg.msg_type == "event":
        return Reply("")
    if msg.msg_type not in ("text", "link"):
        return Reply("暂时只能识别文字、链接、照片和表格文件。" + ARTICLE_HINT)
    text = clean(msg.content)
    why = not_a_report(text)
    if why in _NOTHING_YET and not find_url(text):
        return Reply(_NOTHING_YET[why])
    seen = _understood(ctx, text)
    head = f"没完全看懂这条消息（看到了：{'，'.join(seen)}）。" if seen else "没看懂这条消息。"
    hint = ACTIVITY_HINT if find_people(text).found else ARTICLE_HINT
    return Reply(f"{head}\n{hint}\n查询可以问：这个月排名怎么样。发「帮助」看全部用法。")


def _understood(ctx: Ctx, text: str) -> list[str]:
    seen = []
    if find_url(text):
        seen.append("一个链接")
    outlets = {m.name for m in find_outlets(text, names(ctx))}
    if outlets:
        seen.append("媒体" + "、".join(sorted(outlets)))
    days = [d for d in find_dates(text, ctx.today) if d.day]
    if days:
        seen.append(f"日期{days[0].day.month}月{days[0].day.day}日")
    people = find_people(text)
    if people.total is not None:
        seen.append(f"人数{people.total}")
    return seen
