"""Admins edit members, quotas and exemptions. Each form runs the same handler as the chat command
(成员, 指标, 免报), so the rules, the replies and the audit trail are the chat's own."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from bot.admin import bp
from bot.admin.auth import admin_only
from bot.admin.web import act, chosen_scope, int_arg, now, reading
from handlers.admin_members import MemberArgs, manage
from handlers.admin_quota import ExemptArgs, QuotaArgs, exempt, set_unit_quota
from handlers.parsing import ParseError
from handlers.parsing.numbers import to_int
from handlers.parsing.periods import Period, parse_period
from handlers.roles import ROLE_NAMES
from handlers.types import Ctx, Reply
from storage import audit
from storage.members import under
from storage.models import Exemption, Unit
from storage.org import active_children
from storage.quotas import exemptions_under, quotas_for


@bp.get("/members")
@admin_only
def members():
    with reading() as session:
        scope = chosen_scope(session)
        people = under(session, scope.id)
        rows = [(m.userid, m.name, m.unit.name, ROLE_NAMES[m.role]) for m in people]
        units = [scope.name] + [u.name for u in active_children(session, scope.id)]
    return render_template("admin/members.html", scope=scope, rows=rows, units=units, roles=ROLE_NAMES)


@bp.post("/members")
@admin_only
def members_change():
    form = request.form
    if form.get("action") == "remove":
        act(lambda ctx: manage(ctx, MemberArgs("remove", (form.get("userid", ""),))))
    else:
        words = tuple(form.get(k, "").strip() for k in ("userid", "name", "unit", "role"))
        if not all(words) or " " in words[0]:
            flash("请填写账号（不含空格）、姓名、单位和角色。", "error")
        else:
            act(lambda ctx: manage(ctx, MemberArgs("add", words)))
    return redirect(url_for("admin.members", scope=form.get("scope")))


@bp.get("/quotas")
@admin_only
def quotas():
    with reading() as session:
        scope = chosen_scope(session)
        units = active_children(session, scope.id)
        need = quotas_for(session, [u.id for u in units])
    rows = [(u.id, u.name, *need[u.id]) for u in units]
    return render_template("admin/quotas.html", scope=scope, rows=rows)


@bp.post("/quotas")
@admin_only
def quotas_change():
    form = request.form

    def change(ctx: Ctx) -> Reply:
        unit = _unit_in(ctx, int_arg(form, "unit_id"))
        articles = to_int(form.get("articles", ""), "3")
        activities = to_int(form.get("activities", ""), "1")
        return set_unit_quota(ctx, QuotaArgs(unit, articles, activities))

    act(change)
    return redirect(url_for("admin.quotas", scope=form.get("scope")))


@bp.get("/exemptions")
@admin_only
def exemptions():
    with reading() as session:
        scope = chosen_scope(session)
        units = active_children(session, scope.id)
        names = {u.id: u.name for u in units}
        rows = exemptions_under(session, list(names), now().date().replace(day=1))
    listed = [(e.id, names[e.unit_id], e.start, e.end, e.reason) for e in rows]
    return render_template("admin/exemptions.html", scope=scope, units=units, rows=listed)


@bp.post("/exemptions")
@admin_only
def exemptions_change():
    form = request.form
    if form.get("action") == "remove":
        act(lambda ctx: _remove_exemption(ctx, int_arg(form, "id")))
    else:
        act(lambda ctx: exempt(ctx, _exempt_args(ctx, form)))
    return redirect(url_for("admin.exemptions", scope=form.get("scope")))


def _exempt_args(ctx: Ctx, form) -> ExemptArgs:
    """A period in the chat grammar (本月, 2023年3月), or a start and end date."""
    unit = _unit_in(ctx, int_arg(form, "unit_id"))
    start, end = form.get("start", ""), form.get("end", "")
    if start and end:
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError as exc:
            raise ParseError("日期应形如 2023-03-05") from exc
        if last < first:
            raise ParseError("结束日期早于开始日期")
        period = Period(first, last, f"{first:%Y年%m月%d日}至{last:%Y年%m月%d日}")
    else:
        period = parse_period(form.get("period", ""), ctx.today)
    return ExemptArgs(unit, period, form.get("reason", "").strip()[:200])


def _remove_exemption(ctx: Ctx, exemption_id: int | None) -> Reply:
    row = ctx.session.get(Exemption, exemption_id) if exemption_id else None
    if row is None or row.unit_id is None:
        raise ParseError("没有这条免报记录，可能已被删除。")
    unit = ctx.session.get(Unit, row.unit_id)
    ctx.session.delete(row)
    audit.record(ctx.session, ctx.member, "exempt_remove", f"{unit.name} {row.start}至{row.end}")
    return Reply(f"已取消{unit.name}{row.start:%m月%d日}至{row.end:%m月%d日}的免报。")


def _unit_in(ctx: Ctx, unit_id: int | None) -> Unit:
    unit = ctx.session.scalar(select(Unit).where(Unit.id == unit_id, Unit.active.is_(True)))
    if unit is None:
        abort(400, "没有这个单位。")
    return unit
