"""What kind of message this is, when it does not start with a keyword: an article report, an activity
report, or a short question (排名, 通报 …) written as a sentence."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from handlers.parsing.activity import FORM_KEYS as ACTIVITY_KEYS
from handlers.parsing.article import FORM_KEYS as ARTICLE_KEYS
from handlers.parsing.article import PLACEMENT
from handlers.parsing.counts import find_people
from handlers.parsing.dates import find_dates
from handlers.parsing.forms import form_field
from handlers.parsing.outlets import OutletNames, apps, find_outlets, unknown_outlet
from handlers.parsing.text import blank
from handlers.parsing.titles import INTRO, QUOTED, book_titles
from handlers.parsing.urls import URL_RE

_PUBLISHED = re.compile(
    r"刊发|刊登|发表|发布|播发|播出|采用|录用|转载|推送|上稿|登了|发了|上了|报道了|见报|刊载|登载|被.{0,12}用|"
    r"发的|登的|上的|播的|播了|用了"
)
_ARTICLE_WORDS = re.compile(r"稿子|稿件|文章|新闻稿|信息稿|【上稿】|上稿")
_ACTIVITY_VERB = re.compile(r"开展|举办|举行|组织|召开|开了|搞了|办了|进行了|参加了|参与了")
_ACTIVITY_NOUN = re.compile(
    r"活动|宣讲|学习|服务|会议?|讲座|培训|比赛|演练|义诊|宣传|慰问|走访|课堂|文艺|演出|联欢|包饺子|座谈|观影|主题党日|清扫|巡逻|"
    r"检查|排查|巡查|整治|评选|表彰|竞赛|展览|读书|书法|绘画|健身|运动会|联谊|茶话会"
)
_WHO = re.compile(r"志愿者|党员|居民|网格员|社工|干部|青年|团员|巾帼|社区|街道|办公室")
_DOING = re.compile(
    r"清理|打扫|清扫|走访|慰问|看望|帮扶|巡逻|宣讲|劝导|植树|捡拾|义诊|入户|探望|送温暖|包饺子|上门服务|为.{1,12}服务"
)
# Not a report of something done: a question, something not (yet) published, something planned.
_ASKING = re.compile(
    r"[吗嘛么][\s?？。!！~]*$|[?？]|是否|能不能|能否|可不可以|算不算|行不行|怎么|为什么|为啥|什么时候|啥时候|有没有"
)
_NOT_YET = re.compile(
    r"(?:还没|还未|尚未|没有|没|未)(?:有)?(?:被)?(?:发(?!布会)|登(?!记)|上(?!报)|刊|播|用|采用|见报|推送|审核|通过)|退稿|被退回|等(?:待)?审核?|待审|审核中|在审|写好了"
)
_PLANNED = re.compile(
    r"明天|后天|下周|下星期|下礼拜|下个?月|准备(?!了)|计划(?!生育)|将于|拟于|拟在|打算|即将|将要|预计|(?<!等)会发|(?<![等晚])要发|待发|(?<!不)能发(?!了)|到时候|再报"
)
# 和平社区活动：… — the message says itself what it reports
_ACTIVITY_LEAD = re.compile(r"^[\u4e00-\u9fff]{0,12}?活动(?:报送|登记)?\s*[:：]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ARTICLE_ONLY_KEYS = {"url", "outlet", "placement"}
_ACTIVITY_ONLY_KEYS = {"type", "participants", "place"}
SHORT_QUESTION = 30  # a question written as a sentence is short; a report is longer


def record_kind(text: str, outlets: OutletNames, type_names: Collection[str]) -> str | None:
    """'article', 'activity' or None for a message that reports something without a leading keyword."""
    if URL_RE.search(text):
        return "article"
    by_form = _form_kind(text)
    if by_form:
        return by_form
    if "\t" in text and any(cell.strip() in type_names for cell in re.split(r"[\t\n]", text)):
        return "activity"  # a row pasted from Excel with a type column
    if _ACTIVITY_LEAD.match(text):
        return "activity"
    plain = QUOTED.sub(lambda m: " " * len(m.group(0)), text)  # “学习强国”使用培训: a name, not an outlet
    if not_a_report(_outside_titles(plain)):
        return None
    known = find_outlets(plain, outlets)
    if known:
        return _named_outlet_kind(text, plain, known, type_names)
    shaped = bool(unknown_outlet(text))
    if text.lstrip().startswith("《") or apps(text):
        return (
            "article"  # a message that opens with a 《title》, or names 抖音 and the like, reports an article
        )
    if "《" in text and (shaped or _PUBLISHED.search(text) or _ARTICLE_WORDS.search(text)):
        return "article"
    if shaped and (_PUBLISHED.search(text) or _ARTICLE_WORDS.search(text)):
        return "article"
    if INTRO.search(text) or (_ARTICLE_WORDS.search(text) and _PUBLISHED.search(text)):
        return "article"  # 稿子发了一篇题目是…: an article, whatever it is about
    if _looks_like_activity(_outside_titles(text), type_names):
        return "activity"
    return "article" if book_titles(text) else None  # what is said around a 《title》 is not an activity


def not_a_report(text: str) -> str:
    """Why a message reports nothing to record: 'asking' (融媒体明天会发我们的稿子吗), 'not_yet' (稿子还没发出来)
    or 'planned' (下周三准备开展…); "" when it may be a report."""
    for why, pattern in (("asking", _ASKING), ("not_yet", _NOT_YET), ("planned", _PLANNED)):
        if pattern.search(text):
            return why
    return ""


def _named_outlet_kind(text: str, plain: str, known: list, type_names: Collection[str]) -> str | None:
    """A message naming one of our outlets reports an article when it says so (a 《title》, 发了, 稿子, 题目是,
    or the outlet written as a field of its own: `… 融媒体 11月9日`); an activity that merely involves an outlet
    (学习强国积分兑换活动，30人参加) is an activity; anything else is not understood rather than stored."""
    said = "《" in text or _PUBLISHED.search(plain) or _ARTICLE_WORDS.search(plain) or INTRO.search(plain)
    fields = _blank_fields(plain)
    if said or any(_standalone(fields, m.start, m.end) for m in known):
        return "article"
    return "activity" if _looks_like_activity(plain, type_names) else None


def _standalone(text: str, start: int, end: int) -> bool:
    """The outlet written as a field: nothing Chinese runs into it on either side (`融媒体 11月9日 …`, with
    dates and 版面 already blanked: `25号融媒体`, `通辽日报第2版`)."""
    return not (start > 0 and _CJK.match(text[start - 1])) and not (end < len(text) and _CJK.match(text[end]))


def _blank_fields(text: str) -> str:
    spans = [(d.start, d.end) for d in find_dates(text, date.today())]
    return blank(text, spans + [m.span() for m in PLACEMENT.finditer(text)])


def _outside_titles(text: str) -> str:
    titles = book_titles(text)
    return "".join(
        text[a:b]
        for a, b in zip([0, *(e for _, e in titles)], [*(s for s, _ in titles), len(text)], strict=True)
    )


def _form_kind(text: str) -> str | None:
    lines = text.replace("\t", "\n").split("\n")
    article = {f[0] for line in lines if (f := form_field(line, ARTICLE_KEYS))}
    activity = {f[0] for line in lines if (f := form_field(line, ACTIVITY_KEYS))}
    if article & _ARTICLE_ONLY_KEYS and not activity & _ACTIVITY_ONLY_KEYS:
        return "article"
    if activity & _ACTIVITY_ONLY_KEYS and not article & _ARTICLE_ONLY_KEYS:
        return "activity"
    return None


def _looks_like_activity(text: str, type_names: Collection[str]) -> bool:
    if _ACTIVITY_VERB.search(text) and _ACTIVITY_NOUN.search(text):
        return True
    if _WHO.search(text) and _DOING.search(text):
        return True  # 一群志愿者在小区里清理积雪
    if find_people(text).found and (_ACTIVITY_NOUN.search(text) or any(w in text for w in type_names)):
        return True
    return any(w in text for w in type_names if len(w) >= 4)


def is_short_question(text: str) -> bool:
    """A sentence short enough to be a question to the bot, with nothing of a report in it."""
    return len(text) <= SHORT_QUESTION and not URL_RE.search(text) and "《" not in text and "\n" not in text
