"""The org file (YAML, PRODUCT.md §6) validated whole into plain values, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.channels import channel_words, member_channel
from storage.models import ROLES
from storage.orgspec_settings import LEVELS, as_str_list, as_text, validate_settings

TOP_KEYS = {"units", "members", "outlets", "quotas", "schedule", "scoring", "activity_types", "bulletin"}
UNIT_KEYS = {"name", "aliases", "children", "kind", "active", "parent"}
MEMBER_KEYS = {"userid", "name", "unit", "role", "active", "channel"}
OUTLET_KEYS = {"name", "level", "weight", "domains", "aliases", "active", "wechat"}
SHARED_HOSTS = ("mp.weixin.qq.com", "weixin.qq.com")  # every official account lives there
QUOTA_KEYS = {"articles", "activities"}


class OrgFileError(ValueError):
    """The file is rejected whole; `problems` names each entry and what is wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("组织文件有误：\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


@dataclass
class UnitSpec:
    name: str
    parent: str | None
    aliases: list[str]
    kind: str
    active: bool
    order: int


@dataclass
class OrgSpec:
    units: list[UnitSpec] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[dict[str, Any]] = field(default_factory=list)
    quotas: dict[str | None, dict[str, int]] = field(default_factory=dict)  # None: the default
    settings: dict[str, dict] = field(default_factory=dict)


def parse_org(data: Any, existing_units: set[str] = frozenset()) -> OrgSpec:
    """Validate a loaded YAML document; raise OrgFileError listing every problem found."""
    problems: list[str] = []
    spec = OrgSpec()
    if not isinstance(data, dict):
        raise OrgFileError(["文件顶层应是包含 units 等键的映射"])
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(f"顶层键「{key}」无法识别（可用：{'、'.join(sorted(TOP_KEYS))}）")
    _walk_units(data.get("units"), None, spec, problems)
    names = {u.name for u in spec.units} | set(existing_units)
    _check_parents(spec.units, names, problems)
    _check_aliases(spec.units, problems)
    _members(data.get("members") or [], names, spec, problems)
    _outlets(data.get("outlets") or [], spec, problems)
    _quotas(data.get("quotas") or {}, names, spec, problems)
    spec.settings = validate_settings(data, problems)
    if problems:
        raise OrgFileError(problems)
    return spec


def _walk_units(items: Any, parent: str | None, spec: OrgSpec, problems: list[str]) -> None:
    where = f"单位「{parent}」的 children" if parent else "units"
    if parent is None and not items:
        problems.append("缺少 units：至少要有一个单位")
        return
    if not isinstance(items, list):
        problems.append(f"{where} 应是列表")
        return
    seen = {u.name for u in spec.units}
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not as_text(item.get("name")):
            problems.append(f"{where} 第{i}项缺少 name")
            continue
        name = as_text(item["name"])
        for key in sorted(set(item) - UNIT_KEYS):
            problems.append(f"单位「{name}」：键「{key}」无法识别")
        if name in seen:
            problems.append(f"单位「{name}」重复出现（单位名称必须唯一）")
            continue
        seen.add(name)
        declared = as_text(item.get("parent")) or None
        if parent and declared and declared != parent:
            problems.append(f"单位「{name}」写在「{parent}」下，却声明 parent 为「{declared}」")
        spec.units.append(
            UnitSpec(
                name=name,
                parent=parent or declared,
                aliases=as_str_list(item.get("aliases"), f"单位「{name}」的 aliases", problems),
                kind=as_text(item.get("kind")) or _guess_kind(name, parent),
                active=_bool(item.get("active", True), f"单位「{name}」的 active", problems),
                order=i,
            )
        )
        if item.get("children") is not None:
            _walk_units(item["children"], name, spec, problems)


def _check_parents(units: list[UnitSpec], names: set[str], problems: list[str]) -> None:
    parent_of = {u.name: u.parent for u in units}
    for unit in units:
        if unit.parent and unit.parent not in names:
            problems.append(f"单位「{unit.name}」的上级「{unit.parent}」不存在")
        node, hops = unit.parent, 0
        while node in parent_of and hops <= len(parent_of):
            if node == unit.name:
                problems.append(f"单位「{unit.name}」的上级关系构成了循环")
                break
            node, hops = parent_of[node], hops + 1


def _guess_kind(name: str, parent: str | None) -> str:
    for suffix, kind in (("社区", "community"), ("街道", "street"), ("镇", "town"), ("嘎查", "village")):
        if name.endswith(suffix):
            return kind
    return "zone" if parent is None else "unit"


def _check_aliases(units: list[UnitSpec], problems: list[str]) -> None:
    owner = {u.name: u.name for u in units}
    for unit in units:
        for alias in unit.aliases:
            if alias in owner and owner[alias] != unit.name:
                problems.append(f"单位「{unit.name}」的简称「{alias}」与「{owner[alias]}」冲突")
            owner.setdefault(alias, unit.name)


def _members(items: Any, units: set[str], spec: OrgSpec, problems: list[str]) -> None:
    if not isinstance(items, list):
        problems.append("members 应是列表")
        return
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not as_text(item.get("userid")):
            problems.append(f"members 第{i}项缺少 userid")
            continue
        userid = as_text(item["userid"])
        label = f"成员「{userid}」"
        for key in sorted(set(item) - MEMBER_KEYS):
            problems.append(f"{label}：键「{key}」无法识别")
        if userid in seen:
            problems.append(f"{label}重复出现")
        seen.add(userid)
        name, unit, role = (
            as_text(item.get("name")),
            as_text(item.get("unit")),
            as_text(item.get("role") or "publicist"),
        )
        if not name:
            problems.append(f"{label}缺少 name")
        if not unit:
            problems.append(f"{label}缺少 unit")
        elif unit not in units:
            problems.append(f"{label}的单位「{unit}」不存在")
        if role not in ROLES:
            problems.append(f"{label}的角色「{role}」无法识别（可用：{'、'.join(ROLES)}）")
        active = _bool(item.get("active", True), f"{label}的 active", problems)
        member = {"userid": userid, "name": name, "unit": unit, "role": role, "active": active}
        if item.get("channel") is not None:  # absent: the channel is learned from where they write
            channel = member_channel(as_text(item["channel"]))
            if channel is None:
                problems.append(
                    f"{label}的渠道「{as_text(item['channel'])}」无法识别（可用：{channel_words()}）"
                )
            member["channel"] = channel
        spec.members.append(member)


def _outlets(items: Any, spec: OrgSpec, problems: list[str]) -> None:
    if not isinstance(items, list):
        problems.append("outlets 应是列表")
        return
    seen: set[str] = set()
    accounts: dict[str, str] = {}
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not as_text(item.get("name")):
            problems.append(f"outlets 第{i}项缺少 name")
            continue
        name = as_text(item["name"])
        label = f"媒体「{name}」"
        for key in sorted(set(item) - OUTLET_KEYS):
            problems.append(f"{label}：键「{key}」无法识别")
        if name in seen:
            problems.append(f"{label}重复出现")
        seen.add(name)
        level = as_text(item.get("level") or "区级")
        if level not in LEVELS:
            problems.append(f"{label}的级别「{level}」无法识别（可用：{'、'.join(LEVELS)}）")
        weight = item.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            problems.append(f"{label}的 weight 应是不小于 0 的数")
            weight = 0
        domains = [d.lower() for d in as_str_list(item.get("domains"), f"{label}的 domains", problems)]
        if any(d.strip(".") in SHARED_HOSTS for d in domains):
            problems.append(
                f"{label}的 domains 不能含 mp.weixin.qq.com（所有公众号共用这个域名）："
                "请在 wechat: 下列出该公众号文章链接里的 __biz"
            )
        wechat = as_str_list(item.get("wechat"), f"{label}的 wechat", problems)
        for biz in wechat:
            if biz in accounts:
                problems.append(f"公众号 {biz} 同时列在「{accounts[biz]}」和「{name}」下")
            accounts[biz] = name
        spec.outlets.append(
            {
                "name": name,
                "level": level,
                "weight": float(weight),
                "domains": domains,
                "aliases": as_str_list(item.get("aliases"), f"{label}的 aliases", problems),
                "active": _bool(item.get("active", True), f"{label}的 active", problems),
                "sort_order": i,
                "wechat": wechat,
            }
        )


def _quotas(data: Any, units: set[str], spec: OrgSpec, problems: list[str]) -> None:
    if not isinstance(data, dict):
        problems.append("quotas 应是映射（default 和 units）")
        return
    if "default" in data:
        spec.quotas[None] = _quota(data["default"], "quotas.default", problems)
    per_unit = data.get("units") or {}
    if not isinstance(per_unit, dict):
        problems.append("quotas.units 应是「单位: {articles: N}」的映射")
        return
    for name, value in per_unit.items():
        if name not in units:
            problems.append(f"quotas.units 的单位「{name}」不存在")
            continue
        spec.quotas[str(name)] = _quota(value, f"quotas.units.{name}", problems)


def _quota(value: Any, label: str, problems: list[str]) -> dict[str, int]:
    if not isinstance(value, dict) or set(value) - QUOTA_KEYS:
        problems.append(f"{label} 应形如 {{articles: 2, activities: 1}}")
        return {}
    out = {}
    for key, n in value.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            problems.append(f"{label}.{key} 应是不小于 0 的整数")
        else:
            out[key] = n
    return out


def _bool(value: Any, label: str, problems: list[str]) -> bool:
    if not isinstance(value, bool):
        problems.append(f"{label} 应是 true 或 false")
        return True
    return value
