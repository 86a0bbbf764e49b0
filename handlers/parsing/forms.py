"""Multi-line forms of `键：值` lines (上稿 and 活动 both accept them, as do old 报送表 blocks)."""

from __future__ import annotations

import functools
import re

FormKeys = dict[str, tuple[str, ...]]
_BULLET = re.compile(r"^(?:\d{1,2}[.、)]|[(（]\d{1,2}[)）]|[-•·*])\s*")


@functools.lru_cache(maxsize=16)
def _patterns(keys: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern, re.Pattern]:
    """For a form's keys (not the ASCII ones), longest first: where a key starts a field inside a line, and a
    piece that starts with a key."""
    names = sorted({n for _, names in keys for n in names if not n.isascii()}, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, names))
    return (
        re.compile(r"(?<=\S)\s+(?=(?:" + alternatives + r")\s*:)"),
        re.compile(r"^(" + alternatives + r")\s*([:：]?)\s*(\S.*)$"),
    )


def unfold(body: str, keys: FormKeys) -> str:
    """`时间：11/24 媒体：学习强国 标题：…` on one line → one `键：值` per line."""
    starts = _patterns(tuple(keys.items()))[0]
    return "\n".join(starts.sub("\n", line) if line.count(":") >= 2 else line for line in body.split("\n"))


def comma_form(text: str, keys: FormKeys) -> str:
    """`活动名称“…”，类型其他，时间12月8日，地点社区会议室，参与人数42人`: fields written in a row with no
    colons; as `键：值` lines when at least three pieces start with a known key, else the text unchanged."""
    if "\n" in text.strip():
        return text
    keyed = _patterns(tuple(keys.items()))[1]

    def field(piece: str) -> re.Match | None:
        m = keyed.match(piece)
        return m if m and (m[2] or _bare_key(m[1], m[3])) else None

    pieces = [p.strip() for p in re.split(r"[,，;；。]", text) if p.strip()]
    lines = [f"{m[1]}:{m[3]}" if (m := field(p)) else p for p in pieces]
    return "\n".join(lines) if sum(1 for p in pieces if field(p)) >= 3 else text


# Without a colon a key must be plainly a key: 活动开展得好，内容丰富，主题鲜明 is a sentence, not a form.
_BARE_KEYS = {"类型", "类别", "地点", "人数", "人次", "版面", "链接", "网址"}
_DATE_KEYS = {"时间", "日期"}


def _bare_key(key: str, value: str) -> bool:
    if key in _DATE_KEYS:
        return bool(re.match(r"[\d今昨前上本周一二三四五六七八九十]", value))
    return len(key) >= 3 or key in _BARE_KEYS


def form_field(line: str, keys: FormKeys) -> tuple[str, str] | None:
    """(field, value) when the line is `键：值` with a known key (colons already normalised)."""
    key, sep, value = line.partition(":")
    if not sep:
        return None
    key = _BULLET.sub("", key).replace(" ", "").strip("【】[]").lower()
    for name, names in keys.items():
        if key in names:
            return name, value.strip()
    return None


def is_form(body: str, keys: FormKeys) -> bool:
    """Two known `键：值` lines, or one that names the title (a form can be short)."""
    fields = [f for line in unfold(body, keys).split("\n") if (f := form_field(line, keys))]
    return len(fields) >= 2 or any(f[0] == "title" for f in fields)


def read_form(body: str, keys: FormKeys, continues: str | None = None) -> dict[str, str]:
    """The form's values; a line without a key continues field `continues` (a title broken over lines),
    and other keyless lines are kept under "_loose"."""
    values: dict[str, str] = {}
    last = None
    for line in unfold(body, keys).split("\n"):
        field = form_field(line, keys)
        if field:
            values[field[0]] = field[1]
            last = field[0]
        elif continues and last == continues and values.get(continues):
            values[continues] += line
        else:
            values["_loose"] = (values.get("_loose", "") + " " + line).strip()
    values.pop("ignored", None)
    return values


def split_forms(body: str, keys: FormKeys) -> list[str]:
    """Several forms in one message: a new block starts where the title key appears again."""
    blocks: list[list[str]] = [[]]
    seen: set[str] = set()
    for line in unfold(body, keys).split("\n"):
        field = form_field(line, keys)
        if field and field[0] == "title" and "title" in seen:
            blocks.append([])
            seen = set()
        if field:
            seen.add(field[0])
        blocks[-1].append(line)
    return ["\n".join(b) for b in blocks if any(form_field(line, keys) for line in b)]
