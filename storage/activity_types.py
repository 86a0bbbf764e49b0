"""Activity types (configurable with `activity_types:` in the org file) and the words that name them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage import org_cache
from storage.org import org_value

DEFAULT_TYPES: dict[str, list[str]] = {
    "理论宣讲": ["宣讲", "理论宣讲活动"],
    "文明实践": ["新时代文明实践", "文明实践活动"],
    "志愿服务": ["志愿", "志愿活动", "志愿者服务"],
    "中心组学习": ["中心组", "理论学习中心组"],
    "我们的节日": ["节日", "传统节日"],
    "其他": ["其它"],
}
# What a name shows about its type when none was named, strongest first (a 志愿服务 at a 文明实践站 is a
# 志愿服务; a 重阳节 visit by volunteers is 志愿服务 too, unless it says 我们的节日).
HINTS = (
    ("中心组", "中心组学习"),
    ("我们的节日", "我们的节日"),
    ("宣讲", "理论宣讲"),
    ("志愿服务", "志愿服务"),
    ("志愿活动", "志愿服务"),
    ("学雷锋", "志愿服务"),
    ("志愿者服务", "志愿服务"),
    ("文明实践", "文明实践"),
    ("春节", "我们的节日"),
    ("元宵", "我们的节日"),
    ("清明", "我们的节日"),
    ("端午", "我们的节日"),
    ("七夕", "我们的节日"),
    ("中秋", "我们的节日"),
    ("重阳", "我们的节日"),
    ("冬至", "我们的节日"),
    ("腊八", "我们的节日"),
    ("小年", "我们的节日"),
    ("除夕", "我们的节日"),
)


def activity_types(session: Session) -> dict[str, list[str]]:
    """type → aliases; the org file's list replaces the defaults (from the cached organisation: no query)."""
    value = org_cache.snapshot(session).settings.get("activity_types")
    return dict(value) if value else dict(DEFAULT_TYPES)


def resolve_type(types: dict[str, list[str]], word: str) -> str | None:
    """The configured type a word names (its name or an alias), or None."""
    word = word.strip()
    for name, aliases in types.items():
        if word == name or word in aliases:
            return name
    return None


def infer_type(types: dict[str, list[str]], title: str) -> str | None:
    """The type a name reveals (学雷锋志愿服务 → 志愿服务), or None."""
    for hint, name in HINTS:
        if hint in title and name in types:
            return name
    return None


def catch_all(types: dict[str, list[str]]) -> str:
    """Where an activity goes when nothing shows its type: 其他 (or the first type when there is none)."""
    return "其他" if "其他" in types else next(iter(types))


def type_words(types: dict[str, list[str]]) -> set[str]:
    return {w for name, aliases in types.items() for w in (name, *aliases)}


def activity_words(session: Session) -> frozenset[str]:
    """Every word that names a configured activity type, worked out once per change of the organisation."""
    return org_value(
        session,
        "activity_words",
        lambda org: frozenset(type_words(org.settings.get("activity_types") or DEFAULT_TYPES)),
    )
