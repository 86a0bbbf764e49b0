"""Several records in one message (the month-end habit): numbered lists, one link per line, several 《titles》,
repeated forms, rows pasted from Excel or an old 报送表. Each item is then read on its own; what the preamble
says (an outlet, a date: `今天通辽日报发了我们两篇：《…》《…》`) applies to items that do not say it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers.parsing.counts import find_people
from handlers.parsing.dates import UNDATED, find_dates
from handlers.parsing.forms import FormKeys, form_field, split_forms
from handlers.parsing.outlets import OutletNames, find_outlets
from handlers.parsing.titles import QUOTED, book_titles
from handlers.parsing.urls import URL_RE

_MARKER = re.compile(
    r"(?:^|(?<=[\s:;。,]))(?:(\d{1,2})(?:[.)](?!\d)|、|[.．](?=\d{1,2}\s*月\s*\d))|[(]\s*(\d{1,2})\s*[)]|第([一二三四五六七八九十\d]{1,2})[篇条个][:,]?)"
)
_CN = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_DATE_CELL = re.compile(r"(?:20\d{2}\s*[年./-]\s*)?\d{1,2}\s*[月./-]\s*\d{1,2}\s*[日号]?|今天|昨天|前天")
_COUNTED = re.compile(r"^[^:：\n]{0,12}?([两二三四五六七八九十\d])\s*[篇条][^:：\n]{0,16}[:：]\s*")
_HEADER_WORDS = (
    "序号",
    "单位",
    "标题",
    "题目",
    "媒体",
    "平台",
    "时间",
    "日期",
    "链接",
    "网址",
    "版面",
    "名称",
)


@dataclass(frozen=True)
class Split:
    preamble: str
    items: list[str]
    carry: bool = False  # an item that says no outlet or date takes the previous item's


def split_records(text: str, keys: FormKeys, outlets: OutletNames | None = None) -> Split:
    """The message's items (one item: the whole text)."""
    table = _table(text, keys)
    if table:
        return Split("", table)
    if sum(1 for line in text.split("\n") if (f := form_field(line, keys)) and f[0] == "title") >= 2:
        return Split("", split_forms(text, keys))
    for splitter in (_numbered, _by_links, _by_titles):
        found = splitter(text)
        if found and len(found.items) >= 2:
            return found
    found = (
        _by_outlet_lines(text, outlets or {})
        or _one_title_outlets(text, outlets or {})
        or _counted_lines(text)
    )
    return found if found else Split("", [text])


def _by_outlet_lines(text: str, outlets: OutletNames) -> Split | None:
    """`融媒体 11.24 标题一` / `通辽日报 11.25 第6版 标题二` (lines, or pieces between ；): one article each,
    each naming its outlet; what comes before them (`今天两篇：`, a line naming none) is the preamble."""
    lead = _COUNTED.match(text)
    preamble, body = (lead.group(0), text[lead.end() :]) if lead else ("", text)
    pieces = [p for p in re.split(r"\n|[;；]", body) if p.strip()]
    named = [bool(find_outlets(QUOTED.sub(" ", p), outlets)) for p in pieces]  # “学习强国”知识竞赛 names none
    if sum(named) < 2:
        return None
    first = named.index(True)
    if not all(named[first:]):
        return None
    return Split("\n".join([preamble, *pieces[:first]]).strip(), pieces[first:])


def _one_title_outlets(text: str, outlets: OutletNames) -> Split | None:
    """`《A》 通辽日报11月26日第2版，学习强国11月27日`: one story in several outlets, each with its own date —
    one article each (the title goes with every piece)."""
    titles = book_titles(text)
    if len(titles) != 1:
        return None
    start, end = titles[0]
    pieces = [p.strip() for p in re.split(r"[,，;；、]", text[end:]) if p.strip(" 。")]
    starts = [find_outlets(p, outlets) for p in pieces]
    if len(pieces) < 2 or not all(m and m[0].start == 0 and len(m) == 1 for m in starts):
        return None
    return Split(text[:start].strip(), [f"{text[start:end]} {p}" for p in pieces])


def _counted_lines(text: str) -> Split | None:
    """`两篇都是今天融媒体发的：` then one title a line: as many lines as the preamble counts."""
    lines = [line for line in text.split("\n") if line.strip()]
    m = _COUNTED.match(lines[0]) if lines else None
    if not m or len(lines) < 3:
        return None
    said = m.group(1)
    n = int(said) if said.isdigit() else _CN.get(said.replace("两", "二"), 0)
    return Split(lines[0], lines[1:]) if n == len(lines) - 1 else None


def _numbered(text: str) -> Split | None:
    marks = [m for m in _MARKER.finditer(text)]
    expected, chosen = 1, []
    for m in marks:
        n = _number(m)
        if n == expected:
            chosen.append(m)
            expected += 1
    if len(chosen) < 2:
        return None
    bounds = [m.start() for m in chosen] + [len(text)]
    items = [text[chosen[i].end() : bounds[i + 1]].strip(" \n;；,") for i in range(len(chosen))]
    preamble = text[: chosen[0].start()].strip()
    if all("\n" not in i for i in items[:-1]) and "\n" in items[-1]:
        # one item a line: the lines after the last item (请相关单位知悉 / 都是今天发的) are said of them all
        items[-1], postamble = items[-1].split("\n", 1)
        preamble = "\n".join(p for p in (preamble, postamble.strip()) if p)
    return Split(preamble, [i for i in items if i])


def _number(m: re.Match) -> int:
    raw = m[1] or m[2] or m[3]
    return int(raw) if raw.isdigit() else _CN.get(raw, 0)


def _by_links(text: str) -> Split | None:
    """One link per item: a line holding a link ends its item (a title may sit on the lines before)."""
    if len(URL_RE.findall(text)) < 2:
        return None
    lines = text.split("\n")
    if len(lines) == 1:
        return _one_line_links(text)
    chunks, current = [], []
    for line in lines:
        current.append(line)
        if URL_RE.search(line):
            chunks.append(current)
            current = []
    postamble = ""
    if current and chunks:
        postamble = "\n".join(current)  # 都是11月24号的 / 前天发的: after the last link, for every item
    preamble = ""
    if len(chunks) >= 2 and len(chunks[0]) > 1 and all(len(c) == 1 for c in chunks[1:]):
        preamble, chunks[0] = "\n".join(chunks[0][:-1]), chunks[0][-1:]  # 今天上的三篇 链接如下
    items = ["\n".join(c) for c in chunks]
    preamble = "\n".join(p for p in (preamble, postamble) if p)
    return Split(preamble, items) if all(len(URL_RE.findall(i)) == 1 for i in items) else None


def _one_line_links(text: str) -> Split | None:
    """`《A》 学习强国 https://a 《B》 正北方 https://b`: cut where the next title begins."""
    starts = [a for a, _ in book_titles(text)]
    if len(starts) != len(URL_RE.findall(text)):
        cuts = [m.end() for m in URL_RE.finditer(text)][:-1]
    else:
        cuts = starts[1:]
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(text[last:cut])
        last = cut
    pieces.append(text[last:])
    items = [p.strip() for p in pieces if p.strip()]
    return Split("", items) if all(len(URL_RE.findall(i)) == 1 for i in items) else None


def _by_titles(text: str) -> Split | None:
    """Several 《titles》 and no links. What goes with each title sits after it (`《A》学习强国 《B》正北方`)
    or before it (`昨天学习强国发了《A》，今天融媒体又发了《B》`); with nothing after the last title, each
    title takes what precedes it."""
    titles = [(a, b) for a, b in book_titles(text) if b - a >= 6]
    if len(titles) < 2:
        return None
    if text[titles[-1][1] :].strip(" 。.,，!！"):
        starts = [a for a, _ in titles]
        between = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=False)]
        return Split(text[: starts[0]].strip(), [b.strip(" 、,和及;") for b in between])
    ends = [b for _, b in titles]
    pieces = [text[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=False)]
    return Split("", [p.strip(" 、,，。和及;；") for p in pieces], carry=True)


def dated_pieces(text: str, today: date) -> Split | None:
    """`11月10日 学习… 14人；11月24日 专题研讨… 13人` (pieces between ；or lines), each with its own date and
    count: one activity each. What stands before the first piece's colon (`11月中心组学习两次：`, `补报上月：`)
    is the preamble, said of them all."""
    colon = re.match(r"^([^:：;；\n]{1,20})[:：]", text)
    preamble, body = (colon.group(1), text[colon.end() :]) if colon else ("", text)
    pieces = [p.strip(" ,，。") for p in re.split(r"\n|[;；]", body) if p.strip(" ,，。")]
    if len(pieces) < 2:
        return None
    dated = all(any(d.day or d.vague for d in find_dates(p, today)) for p in pieces)
    counted = all(find_people(p).found for p in pieces)
    return Split(preamble.strip(), pieces) if dated and counted else None


_REPORTED = re.compile(
    r"(?:也|还|同时|并)?(?:报道了?|发了|刊发了?|刊登了?|播发了?|播出了?|推送了?|采用了?|转载了?)(?:稿子|稿件|文章|新闻)?[:：]?\s*$"
)


# …，稿子《…》当天融媒体就发了: the article's clause may also say it came out after its title
_STORY = re.compile(r"\s*(?:稿子|稿件|文章|新闻稿?|报道|宣传稿)?\s*")
_REPORTED_AFTER = re.compile(
    r"^[^,，。;；]{0,14}?(?:发了|发出来了|刊发了?|报道了|刊登了?|推送了|发布了|登了|上了)"
)


def mixed_report(text: str) -> tuple[str, str] | None:
    """`11月25日…开展…活动，50人参加，正北方网也报道了《…》`: (the activity, the article), or None. The
    article's clause is the one that ends in 报道了/发了 right before its 《title》, or that starts with it and
    says so after it (稿子《…》当天融媒体就发了)."""
    titles = book_titles(text)
    if not titles:
        return None
    start = titles[0][0]
    clause_start = max(text.rfind(c, 0, start) for c in ",，。;； ") + 1
    told_after = _STORY.fullmatch(text[clause_start:start]) and _REPORTED_AFTER.search(text[titles[0][1] :])
    if clause_start <= 0 or not (_REPORTED.search(text[clause_start:start]) or told_after):
        return None
    before = text[:clause_start].strip(" ,，。;；")
    return (before, text[clause_start:]) if before else None


def _table(text: str, keys: FormKeys) -> list[str] | None:
    """Rows pasted from Excel (tab-separated), or a 报送表 with a header row: each row becomes a form."""
    lines = [line for line in text.split("\n") if line.strip()]
    rows = [[c.strip() for c in line.rstrip().split("\t")] for line in lines]  # one tab, one cell
    rows = [row[1:] if row and not row[0] and all(r and not r[0] for r in rows) else row for row in rows]
    header = _header(_trimmed(rows[0]), keys) if rows else None
    if header is None and len(lines) >= 2:
        spaced = lines[0].split()
        if _header(spaced, keys):  # a header typed with spaces: rows with spaces too
            header = _header(spaced, keys)
            rows = [spaced, *[line.split() for line in lines[1:]]]
    if header is not None:
        return [_row_form(row, header, keys) for row in rows[1:] if any(c.strip() for c in row)] or None
    rows = [_trimmed(row) for row in rows]
    if (len(rows) >= 2 and all(len(r) >= 2 for r in rows)) or (len(rows) == 1 and len(rows[0]) >= 3):
        return ["  |  ".join(c for c in row if c) for row in _dated(rows)]
    return None


def _trimmed(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def _dated(rows: list[list[str]]) -> list[list[str]]:
    """Rows pasted without a header: when other rows have a date and this one does not (its cell left
    empty), say so, so the row's date is asked instead of defaulting to today."""
    dated = [any(_DATE_CELL.fullmatch(c) for c in row) for row in rows]
    if not any(dated):
        return rows
    return [row if has else [*row, UNDATED] for row, has in zip(rows, dated, strict=True)]


def _header(cells: list[str], keys: FormKeys) -> list[str | None] | None:
    """Column → form field, when most cells are header words (序号 报送单位 稿件标题 刊发媒体 刊发时间)."""
    fields = [form_field(c.strip() + ":", keys) for c in cells]
    known = [f for f in fields if f]
    if len(known) >= 2 and len(known) >= len(cells) - 1 and any(w in "".join(cells) for w in _HEADER_WORDS):
        return [f[0] if f else None for f in fields]
    return None


def _row_form(row: list[str], header: list[str | None], keys: FormKeys) -> str:
    """A row as a form. With more cells than columns (a title typed with spaces), the extra cells join
    the title column."""
    extra = len(row) - len(header)
    if extra > 0 and "title" in header:
        at = header.index("title")
        row = [*row[:at], " ".join(row[at : at + extra + 1]), *row[at + extra + 1 :]]
    names = {field: names[0] for field, names in keys.items()}
    row = [*row, *[""] * (len(header) - len(row))]
    lines = [
        f"{names[f]}:{cell.strip() or (UNDATED if f == 'date' else '')}"
        for f, cell in zip(header, row, strict=False)
        if f and f != "ignored"
    ]
    return "\n".join(lines)
