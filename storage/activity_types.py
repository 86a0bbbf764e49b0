"""Activity types (configurable with `activity_types:` in the org file) and the words that name them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import OrgSetting

DEFAULT_TYPES: dict[str, list[str]] = {
    "理论宣讲": ["宣讲", "理论宣讲活动"],
    "文明实践": ["新时代文明实践", "文明实践活动"],
    "志愿服务": ["志愿", "志愿活动", "志愿者服务"],
    "中心组学习": ["中心组", "理论学习中心组"],
    "我们的节日": ["节日", "传统节日"],
    "其他": ["其它"],
}
# Words in a title that reveal the type when none was named.
HINTS = {
    "宣讲": "理论宣讲",
    "志愿": "志愿服务",
    "中心组": "中心组学习",
    "文明实践": "文明实践",
    "节": "我们的节日",
}


def activity_types(session: Session) -> dict[str, list[str]]:
    """type → aliases; the org file's list replaces the defaults."""
    row = session.get(OrgSetting, "activity_types")
    return dict(row.value) if row and row.value else DEFAULT_TYPES


def resolve_type(types: dict[str, list[str]], word: str | None, title: str) -> str | None:
    """The canonical type for a named word (None if unknown), or inferred from the title, else 其他."""
    if word:
        for name, aliases in types.items():
            if word == name or word in aliases:
                return name
        return None
    for hint, name in HINTS.items():
        if hint in title and name in types:
            return name
    return "其他" if "其他" in types else next(iter(types))


def type_words(types: dict[str, list[str]]) -> set[str]:
    return {w for name, aliases in types.items() for w in (name, *aliases)}
