"""What the bot asks when a record cannot be stored as said, and how an answer is read.

One question at a time, each naming the field it asks for, so the next message can be checked against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from handlers.parsing import ParseError
from handlers.parsing.counts import find_people
from handlers.parsing.dates import NO_DATE, UNDATED, chinese_date, find_dates
from handlers.parsing.outlets import find_outlets

YES = {
    "是",
    "是的",
    "对",
    "对的",
    "没错",
    "确认",
    "确定",
    "嗯",
    "嗯嗯",
    "好",
    "好的",
    "ok",
    "yes",
    "y",
    "是滴",
    "对啊",
    "是啊",
}
YES_LEADS = ("是的", "对的", "没错", "对对", "是是", "嗯嗯", "确认", "就是那天", "就是这天", "对,", "是,")
NO = {"不是", "不对", "错了", "不", "否", "no", "n", "不是的"}
CANCEL = {"取消", "算了", "不用了", "不报了", "撤销", "放弃", "不要了", "cancel"}
# A message that starts like a command is a command, never the answer to a question.
COMMAND_FIRST = re.compile(
    r"^(?:【\s*(?:上稿|活动)\s*】|上稿|投稿|报稿|活动|修改|更正|撤回|撤销|排名|排行|未报|通报|导出|帮助|成员|指标|免报|"
    r"录入|媒体|批示|我的|本月)"
)
CANCEL_HINT = "（回复「取消」放弃这一条）"


@dataclass(frozen=True)
class Question:
    """One question about one field; `options` are numbered choices the answer may pick by number."""

    field: str  # title | outlet | date | date_confirm | participants | type
    text: str
    options: tuple[str, ...] = ()

    def render(self) -> str:
        lines = [self.text]
        lines += [f"{i}. {o}" for i, o in enumerate(self.options, 1)]
        return "\n".join(lines) + "\n" + CANCEL_HINT


def date_question(
    *,
    day: date | None,
    token: str,
    has_year: bool,
    vague: str,
    unclear: bool,
    late: bool,
    confirmed: bool,
    today: date,
    what: str,
) -> Question | None:
    """The question a date needs before it may be stored, or None.

    Vague and unclear dates are asked; a future date is asked; a date over a year back is always confirmed;
    a date without a year more than two months back is confirmed unless the message says 补报."""
    if vague == NO_DATE:
        return Question("date", f"消息里没写{what}，是哪天？请回复日期，如 11月25日。")
    if vague == UNDATED:
        return Question("date", f"表格里这一行的日期是空的，{what}是哪天？请回复日期，如 11月25日。")
    if vague:
        return Question("date", f"「{vague}」具体是哪天？请回复{what}，如 11月25日。")
    if unclear:
        return Question("date", f"消息里有两个日期（{token}），{what}是哪天？")
    if day is None:
        return None
    if day > today:
        return Question("date", f"{chinese_date(day)}还没到，{what}是哪天？")
    if confirmed:
        return None
    if (today - day).days > 366:
        return Question(
            "date_confirm", f"{what}是{chinese_date(day)}吗？已超过一年。是请回复「是」，不是请回复正确日期。"
        )
    if not has_year and not late and day < months_back(today, 2):
        return Question(
            "date_confirm", f"{what}是{chinese_date(day)}吗？是请回复「是」，不是请回复正确日期。"
        )
    return None


def months_back(today: date, n: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - n, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def read_date_answer(text: str, question: str, today: date) -> tuple[date | None, bool] | None:
    """(day, confirmed) from an answer to a date question: 是 confirms the day asked about (day None),
    a date replaces it; 不是 asks again (returns (None, False)); None when the text is no such answer."""
    word = text.strip().rstrip("。.!！~").lower()
    first = re.split(r"[,，。\s]", word, maxsplit=1)[0]
    said_yes = len(word) <= 12 and (word in YES or first in YES or word.startswith(YES_LEADS))
    if first in YES and len(word) <= 30 and not re.search(r"不是|不对|错", word):
        said_yes = True  # 对，是今年9月份的，之前漏报了
    if question == "date_confirm" and said_yes and not _one_date(text, today):
        return None, True  # 是 / 对，补报的 / 没错就是那天
    if (
        question == "date_confirm"
        and (word in NO or (word.startswith(("不是", "不对")) and len(word) <= 8))
        and not _one_date(text, today)
    ):
        return None, False
    day = _one_date(text, today)
    return (day, True) if day else None


def _one_date(text: str, today: date) -> date | None:
    """The one date an answer gives, when the rest of it is only the words around an answer (不是，应该是 …的);
    `11月25日读书会12人` is a report of its own, not an answer."""
    found = [d for d in find_dates(text, today) if d.day]
    if len({d.day for d in found}) != 1:
        return None
    rest = text[: found[0].start] + " " + text[found[0].end :]
    return found[0].day if _ANSWER_WORDS.fullmatch(rest) else None


_ANSWER_WORDS = re.compile(
    r"(?:[\s,，。.!！~、:：]|不是|不对|错了|写错了|弄错了|打错了|报错了|填错了|搞错了|不好意思|抱歉|日期|时间|应该是|应为|"
    r"改成|改为|是|就是|那天|这天|当天|的|吧|呢|啊|哦|"
    r"发的|刊发的|发布的|登的|播的|办的|举办的|开展的|搞的|上午|下午|晚上|早上)*"
)


def answer_date(draft, question: str, text: str, today: date, what: str):
    """A draft (either kind) with a date answer applied; a Question when the answer was 不是; None when the
    text is no date answer."""
    answer = read_date_answer(text, question, today)
    if answer is None:
        return None
    day, ok = answer
    if not ok:
        return Question("date", f"那{what}是哪天？请回复日期，如 11月25日。")
    fields = {"day": day.isoformat(), "day_has_year": True} if day else {}
    return replace(draft, day_vague="", day_unclear=False, confirmed=(*draft.confirmed, "date"), **fields)


_NOT_A_TITLE = re.compile(
    r"^(?:好的?|嗯+|哦+|稍等|等一下|等等|等会儿?|马上|我查一下|查一下|我看看|不知道|忘了|不记得了?|收到|明白|ok|知道了|"
    r"没有|没标题|不清楚)[,，。.!！~]*$",
    re.IGNORECASE,
)


def title_answer(text: str, outlets: dict[str, str], today: date) -> str | None:
    """`text` as the answer to 标题是什么: not a stop-word, and no outlet, date or count in it (that would be a
    report of its own); None when it cannot be the title."""
    if _NOT_A_TITLE.match(text.strip()) or find_outlets(text, outlets) or find_people(text).found:
        return None
    if any(d.day for d in find_dates(text, today)) and "《" not in text:
        return None
    return text


def pick_option(text: str, options: tuple[str, ...] | list[str]) -> str | None:
    """An answer that picks a numbered option (`2`, `第2个`) or names one exactly."""
    word = text.strip().strip("。.!！ ")
    m = re.fullmatch(r"第?\s*(\d{1,2})\s*(?:个|项|条|种)?", word)
    if m and 1 <= int(m[1]) <= len(options):
        return options[int(m[1]) - 1]
    return word if word in options else None


def too_long(value: str, limit: int, label: str, example: str) -> None:
    if len(value) > limit:
        raise ParseError(f"{label}太长（{len(value)}字），最多{limit}字", example)
