"""The outbox as admins see it: every push with its channel, delivery status, attempts and last error,
the recipients a channel rejected and why, and failed pushes sent again once the cause is fixed."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from sqlalchemy import func, select

from bot.admin import bp
from bot.admin.auth import admin_only
from bot.admin.web import act, int_arg, reading
from handlers.types import Ctx, Reply
from storage import audit
from storage.channels import Channel
from storage.listing import recent_outbox
from storage.models import Outbox
from storage.outbox import requeue

STATUSES = {"": "全部", "pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "失败"}
KINDS = {
    "nag": "催报",
    "last_call": "月末提醒",
    "last_call_copy": "月末提醒（抄送领导）",
    "bulletin": "月度通报",
    "bulletin_chart": "通报图表",
    "export": "导出文件",
    "task": "任务结果",
    "alert": "告警",
}
SHOWN = 200


@bp.get("/outbox")
@admin_only
def outbox():
    status = request.args.get("status", "")
    with reading() as session:
        rows = recent_outbox(session, status if status in STATUSES and status else None, SHOWN)
        items = [
            {
                "id": r.id,
                "created_at": r.created_at,
                "sent_at": r.sent_at,
                "channel": _channel_name(r.channel),
                "kind": KINDS.get(r.payload.get("kind", ""), r.payload.get("kind", "") or "—"),
                "recipients": r.recipients,
                "status": r.status,
                "attempts": r.attempts,
                "error": r.last_error or "",
                "text": r.payload.get("text", "") if r.msg_type == "text" else f"[{r.msg_type}]",
                "rejected": sorted((r.rejected or {}).items()),
            }
            for r in rows
        ]
        failed = session.scalar(select(func.count(Outbox.id)).where(Outbox.status == "failed"))
    return render_template(
        "admin/outbox.html", items=items, statuses=STATUSES, status=status, shown=SHOWN, failed=failed
    )


@bp.post("/outbox/retry")
@admin_only
def outbox_retry():
    """重新发送: one failed push (id) or all of them (all=1), audited like every admin change."""
    form = request.form
    ids = None if form.get("all") else [i for i in [int_arg(form, "id")] if i is not None]
    act(lambda ctx: _retry(ctx, ids))
    status = form.get("status", "")
    return redirect(url_for("admin.outbox", status=status if status in STATUSES else ""))


def _channel_name(value: str) -> str:
    try:
        return Channel(value).label
    except ValueError:
        return value  # a row of a channel this version does not know


def _retry(ctx: Ctx, ids: list[int] | None) -> Reply:
    done = requeue(ctx.session, ids)
    if not done:
        return Reply("没有需要重新发送的失败推送。")
    audit.record(ctx.session, ctx.member, "outbox_retry", "、".join(f"#{i}" for i in done))
    return Reply(f"已重新排队{len(done)}条推送（{'、'.join(f'第{i}条' for i in done)}），稍后自动发送。")
