"""媒体: the outlets and which WeChat official account belongs to which — from the org file, learned from
publicists' answers, or set by an admin. A correction runs the chat's `媒体 公众号` handler (audited)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from bot.admin import bp
from bot.admin.auth import admin_only
from bot.admin.web import act, reading
from handlers.admin_outlets import SOURCES, OutletArgs, manage
from storage.org import active_outlets
from storage.wechat_accounts import accounts


@bp.get("/outlets")
@admin_only
def outlets():
    with reading() as session:
        listed = active_outlets(session)
        rows = [
            (a.biz, a.outlet.name, SOURCES[a.source], a.member.name if a.member else "", a.created_at)
            for a in accounts(session)
        ]
    return render_template("admin/outlets.html", outlets=listed, accounts=rows)


@bp.post("/outlets")
@admin_only
def outlets_change():
    form = request.form
    act(lambda ctx: manage(ctx, OutletArgs("account", form.get("biz", "").strip(), form.get("outlet", ""))))
    return redirect(url_for("admin.outlets"))
