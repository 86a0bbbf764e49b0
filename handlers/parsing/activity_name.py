"""An activity's name and place out of a sentence or a line of fields, with the date and the count already
known (their spans are cut out first).

A news lead names the activity after its verb (`在社区广场开展“邻里守望”志愿服务活动`); a line of fields
(`活动 宣讲 “百姓名嘴”进小区 11月17日 辽河社区广场 约120人`) names it with what is not a field: not a type
word, a unit, a place, a people word or a count.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# The verb that introduces the name; 开展 and its kin win over 组织 (组织志愿者开展…).
_MAIN_VERB = re.compile(r"(?:组织开展|联合开展|开展|举办|举行|召开)了?")
_OTHER_VERB = re.compile(r"(?:组织|开了|搞了|进行|办了)了?")
# Verbs that are the activity themselves (给老党员宣讲…, 在小区里清理积雪): the name starts with them.
_ACTION_VERB = re.compile(
    r"(?:宣讲|慰问|走访|看望|清理|打扫|清扫|义诊|巡逻|劝导|植树|捡拾|宣传)(?=[\u4e00-\u9fff]{2})"
)
_BODY_BEFORE = re.compile(r"(?:理论学习)?中心组$")
_TOPIC = re.compile(r"(?:围绕|聚焦|以)\s*(“[^”]+”|[^，,。\s]{2,20}?)\s*(?:为主题|主题)?\s*$")
_STUDY = re.compile(r"^(?:专题学习|集中学习|传达学习|学习了?|研讨|观看)")
_PLACE = re.compile(
    r"(?:(?<![正现存实好])在|于|(?<![来回])到|前往|走进|地点[:：]?\s*(?:在|是|为)?)\s*([^\s,，。;；、在于到]{2,24}?)\s*"
    r"(?=组织开展|联合开展|开展|举办|举行|组织|召开|开了|搞了|进行|办了|给|为|向|对|$|[,，。;；\s]|"
    r"(?:宣讲|慰问|走访|看望|清理|打扫|清扫|义诊|巡逻|劝导|植树|捡拾|宣传)(?=[\u4e00-\u9fff]{2}))"
)
PLACE_END = re.compile(
    r"(?:广场|会议室|活动室|服务中心|服务站|实践站|实践所|中心|小区|公园|礼堂|学校|剧场|大厅|楼|院|馆|站|室|厅|"
    r"门口|楼前|楼下|路口|家园|村|社区内|小区内|食堂|餐厅|驿站|书屋|图书馆|操场|体育场|文化站|陵园)$"
)
# 在社区广场跳安代舞 / 到烈士陵园祭扫: a place run together with what was done there (split where the place ends)
_PLACE_THEN_ACTION = re.compile(
    r"^(.{2,20}?(?:广场|公园|陵园|会议室|活动室|礼堂|操场|体育场|小区|院|馆))([\u4e00-\u9fff]{2,8})$"
)
_RUN_ON = re.compile(r"(?!组织|开了|搞了|进行|办了|给|为|向|对|开展|举办|举行|召开)[\u4e00-\u9fff]{2}")
_NOT_ACTION = re.compile(r"^(?:内|里|外|旁|前|后|下|上|边|门口|楼|东|西|南|北|的)")
ACTIVITY_WORDS = re.compile(
    r"活动|服务|宣讲|学习|会|讲座|培训|比赛|演练|义诊|宣传|慰问|走访|课堂|文艺|演出|联欢|包饺子|运动|座谈|观影|清理|巡逻"
)
_PEOPLE_WORD = re.compile(
    r"^(?:参加|参与|参会)?(?:居民|老年人|老人|群众|党员|老党员|志愿者|小朋友|儿童|学生|青少年|干部|职工|家长|村民|妇女|"
    r"残疾人|辖区居民|听众|观众|人员|参会人员|学员|代表)$"
)
_NOT_NAME = re.compile(
    r"^(?:一个活动|一次活动|活动|参加|参与|参会|到会|出席|到场|人参加|\d+户|共|约|大约|一共|其中|的|了)$"
    # 发放资料300份, 服务时长2小时, 类型：其它: figures and fields that are not the name
    r"|.*\d+\s*(?:份|册|张|件|袋|箱|本|户|小时|个小时|分钟|天|元|万元|斤|公斤|平方米|处)$"
    r"|^(?:发放|分发|劝导|接待|解答|走访|入户|清理|捐赠|收集|张贴|悬挂|覆盖|惠及|时长|历时|服务时长)\S*\d"
    r"|^(?:类型|类别|时间|日期|地点)\s*[:：]"
    r"|^(?:党员|居民|群众|志愿者|干部|网格员|老人|儿童|学生|代表)(?:[和及、与](?:党员|居民|群众|志愿者|干部|网格员|老人|儿童|学生|代表))+$"
    r"|.*(?:参加|参与|咨询|受益|服务|惠及)的?(?:群众|居民|党员|志愿者|老人|儿童|学生)$"
)
_WHO_THEN = re.compile(
    r"^(?:辖区|社区)?(?:参加|参与|参会)?(?:居民|群众|党员|志愿者|小朋友|儿童|学生|干部|职工|家长|村民|老人|家庭)"
    r"(?:们)?(?:有|共|约|大约|参加|参与|到场|来了|都)"
)
_JOINED_TAIL = re.compile(
    r"(?<=[\u4e00-\u9fff”\"]{2})(?:参加|参与|参会|出席|到场)(?:的|了)?(?:居民|群众|党员|志愿者|小朋友|儿童|学生|干部|职工|家长|"
    r"村民|老人|人员|家庭)?(?:们)?(?:有|共|约|大约|一共|共有|都)?$"
)
_NAME_TAIL = re.compile(
    r"[\s,，。;；:：]*(?:现场)?(?:大概|大约|约|共有|共计|一共|共|计|有|其中|参加|参与|出席|到场|的)*[\s,，。;；]*$"
)
_HIDDEN = {",": "\x00", "，": "\x01", " ": "\x02", "、": "\x03"}
_SHOWN = {v: k for k, v in _HIDDEN.items()}


def place_in(text: str) -> tuple[str, tuple[int, int] | None]:
    """`在社区广场开展` / `地点：社区广场` → (社区广场, its span)."""
    m = _PLACE.search(text)
    if not m:
        return "", None
    place = re.split(r"(?<=..)(?:给|为|向|对|带领|联合|组织|邀请|和|与|同)", m.group(1).strip())[0]
    joined = _PLACE_THEN_ACTION.match(place)
    if joined and not _NOT_ACTION.match(joined[2]) and not PLACE_END.search(joined[2]):
        place = joined[1]  # the action after it stays in the text, where it names the activity
        return place, (m.start(), m.start(1) + len(place))
    if ACTIVITY_WORDS.search(place) and not PLACE_END.search(place):
        return "", None
    return place, m.span()


def name_and_place(
    blanked: str, place: str, type_names: Collection[str], units: Collection[str], place_end: int = -1
) -> tuple[str, str]:
    """The name (and the place, when a line of fields gives it without 在). `blanked` has the date, the
    count and an 在… place already replaced by spaces; the place ended at `place_end`."""
    done_there = (
        place_end >= 0
        and not _MAIN_VERB.search(blanked)
        and (_ACTION_VERB.match(blanked, place_end) or _RUN_ON.match(blanked, place_end))
    )
    if done_there:  # 组织党员志愿者到敬老院打扫卫生: the place and what was done there name it
        return clean_name(place + _name_words(_clauses(blanked[place_end:])[0].split("  ")[0])), place
    verb = _MAIN_VERB.search(blanked) or _OTHER_VERB.search(blanked)
    fields = (
        len(blanked.split()) >= 4
    )  # a line of fields: its verbs sit inside names (“…”劝导, 劝导不文明行为…)
    action = (
        None
        if fields
        else next((m for m in _ACTION_VERB.finditer(blanked) if _acts(blanked, m.start())), None)
    )
    if verb or action:
        start = verb.end() if verb else action.start()
        clauses = _clauses(blanked[start:])
        first = clauses[0].strip()
        gap = re.search(r"\s{2,}", first)
        name = clean_name(_name_words(first[: gap.start()] if gap else first))
        if len(name) >= 2 and len(clauses) > 1 and _STUDY.match(clauses[1].strip()):
            name = f"{name}：{clean_name(clauses[1])}"  # 中心组学习会，学习…: what was studied names it
        body = _BODY_BEFORE.search(blanked[: verb.start()]) if verb else None
        if body and body.group(0) not in name:
            name = body.group(0) + name  # 党工委理论学习中心组召开第十一次集体学习会
        topic = _TOPIC.search(blanked[: verb.start()] if verb else "")
        if topic and name in {*type_names, "宣讲", "活动", "学习", "讲座", "宣传"}:
            name = topic.group(1) + name  # 围绕“铸牢中华民族共同体意识”开展理论宣讲
        if len(name) >= 2:
            return name, place
    return _from_fields(blanked, place, type_names, units)


def _name_words(clause: str) -> str:
    """The words of a clause up to the first that is no part of a name (`禁毒宣传活动 志愿者和群众`,
    `亲子活动 参加家庭18户`, `消防安全宣传 发放资料200份`): who took part and what was handed out follow it."""
    kept = []
    for token in _protect(clause).split(" "):
        word = _reveal(token).strip(" :：")
        head = _JOINED_TAIL.sub("", word)
        if head != word:  # 志愿服务宣传参加的居民有: who joined ends the name
            kept.append(head)
            break
        ends = _PEOPLE_WORD.match(word) or _WHO_THEN.match(word) or _NOT_NAME.match(word)
        if word and ends and word not in ("活动", "的", "了"):
            break
        kept.append(_reveal(token))
    return " ".join(kept).strip()


def _acts(text: str, at: int) -> bool:
    """Is the verb at `at` what someone did (给老党员宣讲…, 志愿者在小区里清理积雪), not the end of a name
    (“百姓名嘴”宣讲…)? It starts its word, or follows someone or a 给/在 phrase."""
    before = text[:at].split()[-1] if text[:at].strip() and not text[at - 1].isspace() else ""
    return not before or bool(re.search(r"给|为|向|对|帮|在|到|志愿者|党员|居民|干部|网格员|社工", before))


def _from_fields(
    text: str, place: str, type_names: Collection[str], units: Collection[str]
) -> tuple[str, str]:
    words: list[str] = []
    typed = ""
    for segment in re.split(r"[,，。;；\n]", _protect(text)):
        for token in segment.split():
            token = _reveal(token).strip(" :：")
            if token in type_names:
                typed = typed or token
                continue
            if not token or token in units or _PEOPLE_WORD.match(token) or _NOT_NAME.match(token):
                continue
            if not place and is_place(token):
                place = token
                continue
            words.append(token)
    # `11月12日 新兴社区 中心组学习 9人`: the type word is all the name there is
    return clean_name(" ".join(words) or typed), place


def is_place(token: str) -> bool:
    """社区会议室, 辽河社区广场: ends like a place, is no quoted name, and names no activity before its end."""
    end = PLACE_END.search(token)
    return (
        bool(end)
        and "“" not in token
        and '"' not in token
        and not ACTIVITY_WORDS.search(token[: end.start()])
    )


def _clauses(text: str) -> list[str]:
    """Split at sentence punctuation that is not inside “quotes”."""
    return [_reveal(c) for c in re.split(r"[,，。;；!！]", _protect(text))]


def _protect(text: str) -> str:
    """Hide commas and spaces within “…” or "…", so a split keeps a quoted name whole."""
    hide = str.maketrans(_HIDDEN)
    return re.sub(r"“[^”]*”|\"[^\"]*\"", lambda m: m.group(0).translate(hide), text)


def _reveal(text: str) -> str:
    return text.translate(str.maketrans(_SHOWN))


def clean_name(name: str) -> str:
    """A name as stored: no leading 了/一场, no trailing 参加/共有 left by a cut-out count, no end punctuation."""
    name = re.sub(r"\s+", " ", name).strip()
    name = re.sub(r"^(?:了|一场|一次|一期|一堂|主题为|以|名为|题为|(?:内容|主题|名称)(?:是|为))\s*", "", name)
    name = _NAME_TAIL.sub("", name)
    return name.strip(" ,，。;；:：").strip()
