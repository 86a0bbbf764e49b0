"""Which record a correction or a withdrawal means: `第12号`, `12号`, `撤回 12`, or "刚才那条" (the sender's
last record)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.parsing.numbers import to_int

LAST = re.compile(
    r"刚才|刚刚|上一条|上条|上一篇|上一个|前面那|之前那|最后一条|最近一条|刚发的|刚报的|刚登记的|那条|这条|那篇|这篇"
)
NUMBERED = re.compile(
    r"第\s*(\d{1,9})\s*[号条篇]|第\s*(\d{1,9})(?!\s*[版名期届次])|(?<![\d.月])(\d{1,9})\s*号(?![楼院])"
)
_SPOKEN = re.compile(r"第\s*([一二两三四五六七八九十百零〇]{1,6})\s*[号条篇]")
_BARE = re.compile(r"^\s*(?:第\s*)?(\d{1,9})\s*号?\s*$")


@dataclass(frozen=True)
class Reference:
    number: int | None  # None: the sender's last record

    @property
    def last(self) -> bool:
        return self.number is None


def find_reference(text: str, after_keyword: str = "") -> Reference | None:
    """A record number anywhere (`第12号`, `12号`), a bare number right after the keyword (`撤回 12`), or
    words for the last record; None when the text names no record."""
    bare = _BARE.match(after_keyword) if after_keyword else None
    if bare:
        return Reference(int(bare[1]))
    lead = re.match(r"^\s*(?:第\s*)?(\d{1,9})\s*号?(?=\s|$|[\u4e00-\u9fff])", after_keyword)
    if lead and after_keyword is not text:
        return Reference(int(lead[1]))  # 修改 3 日期 5号: the number right after the keyword
    m = NUMBERED.search(text)
    if m:
        return Reference(int(m[1] or m[2] or m[3]))
    spoken = _SPOKEN.search(text)
    if spoken:
        return Reference(to_int(spoken[1]))  # 修改第二号
    lead = re.match(r"^\s*(\d{1,9})(?=\s|$)", after_keyword)
    if lead:
        return Reference(int(lead[1]))
    return Reference(None) if LAST.search(text) else None
