"""The outbox as admins see it: every push with its delivery status, attempts and last error."""

from __future__ import annotations

from flask import render_template, request

from bot.admin import bp
from bot.admin.auth import admin_only
from bot.admin.web import reading
from storage.listing import recent_outbox

STATUSES = {"": "全部", "pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "失败"}
KINDS = {
    "nag": "催报",
    "last_call": "月末提醒",
    "last_call_copy": "月末提醒（抄送领导）",
    "bulletin": "月度通报",
    "bulletin_chart": "通报图表",
    "export": "导出",
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
                "channel": "群机器人" if r.channel == "webhook" else "应用消息",
                "kind": KINDS.get(r.payload.get("kind", ""), r.payload.get("kind", "") or "—"),
                "recipients": r.recipients,
                "status": r.status,
                "attempts": r.attempts,
                "error": r.last_error or "",
                "text": r.payload.get("text", "") if r.msg_type == "text" else f"[{r.msg_type}]",
            }
            for r in rows
        ]
    return render_template("admin/outbox.html", items=items, statuses=STATUSES, status=status, shown=SHOWN)
