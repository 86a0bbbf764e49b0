"""How many took part, as reports say it: 60余人, 约120人, 百余人, 两百多人, 35人左右, 200余人次, 参会12人,
and groups summed (党员志愿者15名、居民50余人 → 65). Vague counts (很多人, 数十人, 近百人) are reported as vague,
so the caller asks instead of storing a guess."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from handlers.parsing import ParseError
from handlers.parsing.numbers import CN_DIGITS, to_int

_NUM = rf"(\d+|[{CN_DIGITS}]+)"
_PEOPLE_NOUNS = (
    "人|居民|群众|老人|党员|志愿者|小朋友|孩子|学生|村民|干部|职工|家长|同志|青少年|儿童|妇女|人员|商户|代表"
)
_TOTAL_WORDS = r"(?:共有|共计|合计|总计|累计|一共|共)"
_MENTION = re.compile(
    rf"(?<![第前排数几\d{CN_DIGITS}])(?P<pre>约|大约|大概|近|将近|接近|超过|逾|多达|达|{_TOTAL_WORDS})?\s*{_NUM}\s*"
    rf"(?P<more>余|多|\+)?\s*(?P<unit>人次|人|名|位|个(?={_PEOPLE_NOUNS}))(?P<post>左右|上下|以上)?"
)
_NOUN_FIRST = re.compile(
    rf"(?:{_PEOPLE_NOUNS})\s*{_NUM}\s*(?:余|多)?\s*个(?=[\s,，、。]|$|参加|参与|到场)"
)  # 党员12个 居民30个
_ARRIVED = re.compile(
    rf"(?:来了|到了|到场|来|有|参加了?|参与了?)\s*{_NUM}\s*(?:余|多)?\s*个(?=[～~。，,!！\s]|$)"
)
_LABELLED = re.compile(
    rf"(?:参与|参加|参会|到场|出席|受众|听众)?人(?:数|次)\s*[:：为是]?\s*{_NUM}\s*(?:余|多)?\s*(?:人次|人|名)?"
)
_VAGUE = re.compile(
    rf"(?:很多|许多|不少|好多|一些|大批|众多|大量|若干)(?:名|位)?(?:人|{_PEOPLE_NOUNS})|若干|人山人海|座无虚席|"
    rf"(?:{_PEOPLE_NOUNS})\s*(?:很多|不少|众多|挺多)|"
    r"(?:数|几)(?:十|百|千)(?:余|多)?(?:名|位|人|个)|上百|近百|近千|上千|"
    # 80来人, 三十来个: about so many, either side — asked, like 近百人
    rf"(?:\d+|[{CN_DIGITS}]+)\s*来\s*(?:个|名|位)?(?:人次|人|{_PEOPLE_NOUNS})?|(?<![{CN_DIGITS}])[一二三四五六七八九]{{2}}[十百千](?:多|余|来)?(?:个|名|位)?人?|"
    # 50-60人, 50至60人: a range; 每组20人: a part of the whole — asked
    rf"\d+\s*(?:-|~|～|—|至|到)\s*\d+\s*(?:个|名|位)?(?:人次|人|{_PEOPLE_NOUNS})|"
    rf"(?:每组|每场|每次|每批|每期|每队|每班|每天|每户|平均)\s*(?:约|大约)?\s*(?:\d+|[{CN_DIGITS}]+)\s*(?:余|多)?\s*(?:个|名|位)?(?:人次|人|{_PEOPLE_NOUNS})"
)
_JOINED_BEFORE = re.compile(r"(?:参与|参加|参会|到场|出席)[\u4e00-\u9fff]{0,5}$")
_JOINED_AFTER = re.compile(r"\s*(?:参加|参与|到场|出席)")
_SERVED = re.compile(r"(?:服务|惠及|覆盖|受益|接待)[\u4e00-\u9fff]{0,4}$")
_APPROXIMATE_BELOW = ("近", "将近", "接近")  # 近200人 is fewer than 200: storing 200 would overcount
_SUMMABLE_GAP = re.compile(r"^[、,，和及与以及\s]*[\u4e00-\u9fffA-Za-z]{0,8}[、,，和及与\s]*$")
_NOT_A_LIST = re.compile(r"服务|为|给|向|帮助|帮扶|慰问|走访|覆盖|惠及|受益|发放|接待|看望|入户|其中")


@dataclass(frozen=True)
class People:
    """What a text says about participants: a total, or why there is none (vague / unclear)."""

    total: int | None = None
    vague: str = ""  # the vague words, e.g. 很多人
    unclear: bool = False  # several counts that do not obviously add up
    spans: tuple[tuple[int, int], ...] = field(
        default=()
    )  # where the counts were (to keep them out of names)

    @property
    def found(self) -> bool:
        return self.total is not None or bool(self.vague) or self.unclear


def find_people(text: str) -> People:
    """Read the participants of an activity from a sentence (see the module docstring)."""
    vague = list(_VAGUE.finditer(text))
    mentions = [
        m for m in _MENTION.finditer(text) if _is_people(text, m) and not any(_overlaps(m, v) for v in vague)
    ]
    labelled = [m for m in _LABELLED.finditer(text) if not any(_overlaps(m, x) for x in [*mentions, *vague])]
    labelled += [
        m for m in _ARRIVED.finditer(text) if not any(_overlaps(m, x) for x in [*mentions, *vague, *labelled])
    ]
    mentions += [
        m for m in _NOUN_FIRST.finditer(text) if not any(_overlaps(m, x) for x in [*mentions, *vague])
    ]
    mentions.sort(key=lambda m: m.start())
    spans = tuple(sorted((m.start(), m.end()) for m in [*mentions, *labelled]))
    if not mentions and not labelled:
        return (
            People(vague=vague[0].group(0), spans=tuple((m.start(), m.end()) for m in vague))
            if vague
            else People()
        )
    if labelled:
        return _one(labelled[0], spans)
    if any(_pre(m) in _APPROXIMATE_BELOW for m in mentions):
        first = next(m for m in mentions if _pre(m) in _APPROXIMATE_BELOW)
        return People(vague=first.group(0), spans=spans)
    totals = [m for m in mentions if _pre(m) and re.fullmatch(_TOTAL_WORDS, _pre(m))]
    if totals:
        return _one(totals[0], spans)
    if vague:  # 党员12个 居民30来个: one group counted, another not — no total to store
        return People(vague=vague[0].group(0), spans=spans)
    summed = _sum(text, mentions, spans)
    if not summed.unclear:
        return summed
    joined = [m for m in mentions if _JOINED_BEFORE.search(text[max(0, m.start() - 8) : m.start()])]
    joined += [m for m in mentions if _JOINED_AFTER.match(text, m.end()) and m not in joined]
    served = [
        m for m in mentions if m not in joined and _SERVED.search(text[max(0, m.start() - 8) : m.start()])
    ]
    if joined and served:
        return summed  # 志愿者10人，服务群众100余人: two figures, and which one took part is the unit's call
    if joined and len(joined) < len(mentions):
        return _sum(text, sorted(joined, key=lambda m: m.start()), spans)  # 为一位老人…，参与志愿者6人
    return summed


def _pre(m: re.Match) -> str:
    return m.groupdict().get("pre") or ""


def _is_people(text: str, m: re.Match) -> bool:
    """名 and 位 also rank and number things (第一名, 前三名, 2位数): only a count of people counts."""
    return not (
        m["unit"] in ("名", "位") and text[m.end() : m.end() + 1] in ("次", "数", "额", "单", "置", "于")
    )


def _overlaps(a: re.Match, b: re.Match) -> bool:
    return a.start() < b.end() and b.start() < a.end()


def _one(m: re.Match, spans: tuple) -> People:
    return People(total=_value(m), spans=spans)


def _value(m: re.Match) -> int:
    number = next(g for g in m.groups() if g and (g.isdigit() or all(c in CN_DIGITS for c in g)))
    try:
        return to_int(number)
    except ParseError:
        return -1


def _sum(text: str, mentions: list[re.Match], spans: tuple) -> People:
    """One count, or a list of groups (15名党员、50余名居民) added up; anything else is unclear."""
    total = _value(mentions[0])
    for before, after in itertools.pairwise(mentions):
        gap = text[before.end() : after.start()]
        if "其中" in gap:
            break  # 60余人参加，其中党员15名: the later figure is part of the first
        if _NOT_A_LIST.search(gap) or not _SUMMABLE_GAP.match(gap):
            return People(unclear=True, spans=spans)
        total += _value(after)
    if total < 0:
        return People(unclear=True, spans=spans)
    return People(total=total, spans=spans)


def parse_count(text: str, example: str = "") -> int:
    """A text that is only a count (an answer to 多少人, a form's 人数：) → the number; ParseError otherwise."""
    text = text.strip().rstrip("。.!！")
    text = _COUNTED_LEAD.sub("", text)  # 统计了一下是96人 / 实际是93人
    text = re.sub(r"^(?:大概|大约|约|差不多|应该是|是|有|共|一共)\s*", "", text)
    text = re.sub(r"(?:吧|啊|哦|呀|嗯|的样子)+$", "", text).strip()
    if re.fullmatch(rf"{_NUM}\s*(?:余|多|\+)?\s*(?:人次|人|名|位|个)?\s*(?:左右|上下)?", text):
        number = re.match(_NUM, text)
        return to_int(number.group(1), example)
    found = find_people(text)
    rest = "".join(ch if not any(a <= i < b for a, b in found.spans) else " " for i, ch in enumerate(text))
    if found.total is not None and _AROUND_A_COUNT.fullmatch(rest):
        return (
            found.total
        )  # 党员12个 居民30个; 人数应该是45人 — but not 今天开展消防演练30人 (a report of its own)
    raise ParseError(f"看不懂人数「{text}」，请写一个数字，如 45", example)


_COUNTED_LEAD = re.compile(
    r"^(?:统计了?一?下?|数了?一?下|核实了?一?下|核对了?一?下|实际上?|其实|实到|签到|最后|准确(?:的|地)?说?|确切(?:的|地)?说?|"
    r"刚|我|了|[,，\s])*"
)
_AROUND_A_COUNT = re.compile(
    rf"(?:[\s,，、。.!！:：]|大概|大约|约|差不多|应该是|应为|是|有|共|一共|共有|人数|参加了?|参与了?|来了|到场|参会|到会|出席|"
    rf"写错了|报错了|填错了|打错了|错了|不对|不好意思|改成|改为|的|吧|啊|了|和|及|与|左右|上下|{_PEOPLE_NOUNS})*"
)
