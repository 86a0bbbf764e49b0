"""The org file's configuration sections (schedule, scoring, activity_types), validated."""

from __future__ import annotations

import re
from typing import Any

from storage.bulletin_settings import doc_number_problem

LEVELS = ("国家级", "自治区级", "省级", "市级", "区级", "街道")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def validate_settings(data: dict, problems: list[str]) -> dict[str, dict]:
    """The schedule, scoring and activity_types sections, checked; problems are appended."""
    schedule = data.get("schedule") or {}
    if not isinstance(schedule, dict):
        problems.append("schedule 应是映射")
        schedule = {}
    for name, entry in schedule.items():
        if name == "grace_hours":
            if isinstance(entry, bool) or not isinstance(entry, int | float) or entry < 0:
                problems.append("schedule.grace_hours 应是不小于 0 的数")
            continue
        if name not in ("nag", "last_call", "bulletin", "quiet"):
            problems.append(f"schedule.{name} 无法识别（可用：nag、last_call、bulletin、quiet、grace_hours）")
            continue
        if not isinstance(entry, dict):
            problems.append(f"schedule.{name} 应是映射")
            continue
        for key in ("time", "start", "end"):
            if key in entry and not _TIME.match(str(entry[key])):
                problems.append(f'schedule.{name}.{key}「{entry[key]}」应形如 "09:00"（加引号）')
        days = entry.get("days", [entry["day"]] if "day" in entry else [])
        if not isinstance(days, list) or not all(isinstance(d, int) and 1 <= d <= 31 for d in days):
            problems.append(f"schedule.{name} 的日期应是 1–31 的整数")
    scoring = data.get("scoring") or {}
    if not isinstance(scoring, dict):
        problems.append("scoring 应是映射")
        scoring = {}
    if scoring.get("same_story", "each") not in ("each", "highest"):
        problems.append("scoring.same_story 应是 each 或 highest")
    factor = scoring.get("placement_factor", 2)
    if isinstance(factor, bool) or not isinstance(factor, int | float) or factor <= 0:
        problems.append("scoring.placement_factor 应是大于 0 的数")
    bonus = scoring.get("endorsement_bonus") or {}
    if not isinstance(bonus, dict) or any(
        k not in LEVELS or not isinstance(v, int | float) for k, v in bonus.items()
    ):
        problems.append(f"scoring.endorsement_bonus 应形如 {{市级: 2}}，级别可用：{'、'.join(LEVELS)}")
    settings = {"schedule": schedule, "scoring": scoring}
    if "activity_types" in data:
        settings["activity_types"] = _activity_types(data["activity_types"], problems)
    if "bulletin" in data:
        settings["bulletin"] = _bulletin(data["bulletin"], problems)
    return settings


BULLETIN_KEYS = ("requirements", "issuer", "doc_number")


def _bulletin(value: Any, problems: list[str]) -> dict[str, str]:
    """{requirements, issuer, doc_number}: texts; the 文号 may hold {year} and {month}."""
    if not isinstance(value, dict):
        problems.append("bulletin 应是映射（requirements、issuer、doc_number）")
        return {}
    out = {}
    for key in value:
        if key not in BULLETIN_KEYS:
            problems.append(f"bulletin.{key} 无法识别（可用：{'、'.join(BULLETIN_KEYS)}）")
        elif value[key] is not None and not isinstance(value[key], str | int):
            problems.append(f"bulletin.{key} 应是文字")
        else:
            out[key] = as_text(value[key])
    problem = doc_number_problem(out.get("doc_number", ""))
    if problem:
        problems.append(f"bulletin.doc_number「{out['doc_number']}」{problem}")
    return out


def _activity_types(value: Any, problems: list[str]) -> dict[str, list[str]]:
    """A list of names, or of {name, aliases} mappings → {name: aliases}."""
    if not isinstance(value, list) or not value:
        problems.append("activity_types 应是非空列表，如 [理论宣讲, 志愿服务, 其他]")
        return {}
    types: dict[str, list[str]] = {}
    for i, item in enumerate(value, 1):
        if isinstance(item, dict):
            name = as_text(item.get("name"))
            aliases = as_str_list(item.get("aliases"), f"activity_types 第{i}项的 aliases", problems)
        else:
            name, aliases = as_text(item), []
        if not name:
            problems.append(f"activity_types 第{i}项缺少名称")
        elif name in types:
            problems.append(f"活动类型「{name}」重复出现")
        else:
            types[name] = aliases
    return types


def as_text(value: Any) -> str:
    return str(value).strip() if value is not None and not isinstance(value, dict | list) else ""


def as_str_list(value: Any, label: str, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        problems.append(f"{label} 应是文字列表")
        return []
    return [str(v).strip() for v in value if str(v).strip()]
