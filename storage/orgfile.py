"""`tougao org import FILE`: apply a validated org file; idempotent, all or nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Member, OrgSetting, Outlet, Quota, Unit, UnitLink, WechatAccount
from storage.orgspec import OrgFileError, OrgSpec, UnitSpec, parse_org


def load_org_file(path: str | Path, session: Session) -> OrgSpec:
    """Read and validate the file (units already in the database may be named by members and quotas)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OrgFileError([f"无法读取文件 {path}：{exc}"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OrgFileError([f"YAML 格式错误：{exc}"]) from exc
    return parse_org(data, set(session.scalars(select(Unit.name))))


def apply_org(session: Session, spec: OrgSpec) -> Counter:
    """Create or update what the file names; leave everything else alone. Returns change counts."""
    changes: Counter = Counter()
    units = _apply_units(session, spec, changes)
    _rebuild_links(session)
    for m in spec.members:
        _upsert(
            session,
            Member,
            {"userid": m["userid"]},
            {**_without(m, "unit"), "unit_id": units[m["unit"]]},
            changes,
        )
    for o in spec.outlets:
        outlet = _upsert(session, Outlet, {"name": o["name"]}, _without(o, "wechat"), changes)
        for biz in o["wechat"]:
            _upsert(session, WechatAccount, {"biz": biz}, {"outlet_id": outlet.id, "source": "org"}, changes)
    for unit_name, values in spec.quotas.items():
        unit_id = units[unit_name] if unit_name else None
        full = {"articles": values.get("articles"), "activities": values.get("activities")}
        _upsert(session, Quota, {"unit_id": unit_id}, full, changes)
    for key, value in spec.settings.items():
        _upsert(session, OrgSetting, {"key": key}, {"value": value}, changes)
    session.flush()
    return changes


def _apply_units(session: Session, spec: OrgSpec, changes: Counter) -> dict[str, int]:
    ids = {u.name: u.id for u in session.scalars(select(Unit))}
    for u in _parents_first(spec.units):
        values = {
            "aliases": u.aliases,
            "kind": u.kind,
            "active": u.active,
            "sort_order": u.order,
            "parent_id": ids[u.parent] if u.parent else None,
        }
        ids[u.name] = _upsert(session, Unit, {"name": u.name}, values, changes).id
    return ids


def _parents_first(units: list[UnitSpec]) -> list[UnitSpec]:
    """Order units so each comes after its parent (a top-level entry may name a parent declared later)."""
    pending, done, ordered = list(units), set(), []
    names = {u.name for u in units}
    while pending:
        ready = [u for u in pending if u.parent is None or u.parent not in names or u.parent in done]
        if not ready:  # parse_org rejects cycles, so this is a programming error
            raise ValueError(f"cycle among units: {[u.name for u in pending]}")
        ordered += ready
        done |= {u.name for u in ready}
        pending = [u for u in pending if u.name not in done]
    return ordered


def _rebuild_links(session: Session) -> None:
    """Recompute the closure table from parent pointers (small: one row per unit and ancestor)."""
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    wanted = set()
    for unit_id in parents:
        node, depth = unit_id, 0
        while node is not None and depth <= len(parents):
            wanted.add((node, unit_id, depth))
            node, depth = parents[node], depth + 1
    have = set(session.execute(select(UnitLink.ancestor_id, UnitLink.descendant_id, UnitLink.depth)).all())
    if have != wanted:
        session.execute(delete(UnitLink))
        session.add_all(UnitLink(ancestor_id=a, descendant_id=d, depth=n) for a, d, n in sorted(wanted))
        session.flush()


def _upsert(session: Session, model: type, key: dict, values: dict, changes: Counter):
    row = session.scalar(select(model).filter_by(**key))
    name = model.__tablename__
    if row is None:
        row = model(**{**values, **key})
        session.add(row)
        session.flush()
        changes[f"{name}_added"] += 1
        return row
    values = {k: v for k, v in values.items() if k not in key}
    if any(getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        changes[f"{name}_updated"] += 1
    return row


def _without(d: dict, key: str) -> dict:
    return {k: v for k, v in d.items() if k != key}


def describe(changes: Counter) -> str:
    """A one-line Chinese summary of what an import changed."""
    labels = {
        "unit": "单位",
        "member": "成员",
        "outlet": "媒体",
        "wechat_account": "公众号",
        "quota": "任务指标",
        "org_setting": "设置",
    }
    parts = []
    for table, label in labels.items():
        added, updated = changes[f"{table}_added"], changes[f"{table}_updated"]
        if added or updated:
            parts.append(f"{label}新增{added}、更新{updated}")
    return "；".join(parts) if parts else "没有变化（与数据库中一致）"


__all__ = ["OrgFileError", "apply_org", "describe", "load_org_file"]
