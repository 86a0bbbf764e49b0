"""The dashboard's front page: the peers' ranking for a period by count or score, drawn as bars, with
activities and quota progress per unit; totals, outlets and levels; the period's workbook and the 通报 as
a Word document, as downloads."""

from __future__ import annotations

import io

from flask import render_template, request, send_file

from bot.admin import bp
from bot.admin.web import chosen_period, chosen_scope, now, reading, scopes
from reports.bulletin import document_name
from reports.progress import peer_progress
from reports.workbook import build_workbook, workbook_name
from storage.rankings import activity_totals, breakdown

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/")
def overview():
    period, period_text = chosen_period()
    by = "score" if request.args.get("by") == "score" else "articles"
    with reading() as session:
        allowed = scopes(session)
        scope = chosen_scope(session, allowed)
        units = peer_progress(session, scope.id, period, by=by)
        activities, participants = activity_totals(session, scope.id, period.start, period.end)
        outlets = breakdown(session, scope.id, period.start, period.end, "outlet")
        levels = breakdown(session, scope.id, period.start, period.end, "level")
        choices = [(u.id, u.name) for u in allowed]
    metric = (lambda u: u.score) if by == "score" else (lambda u: u.articles)
    top = max([metric(u) for u in units] + [0]) or 1
    return render_template(
        "admin/overview.html",
        scope=scope,
        scopes=choices,
        period=period,
        period_text=period_text,
        by=by,
        units=units,
        bars={u.unit_id: round(100 * metric(u) / top) for u in units},
        totals={
            "articles": sum(u.articles for u in units),
            "score": sum(u.score for u in units),
            "activities": activities,
            "participants": participants,
            "behind": sum(u.behind for u in units) if period.is_month else None,
        },
        outlets=outlets,
        levels=levels,
    )


@bp.get("/export.xlsx")
def export():
    """The same workbook as 导出 in chat, downloaded directly."""
    return _download(build_workbook, workbook_name, XLSX)


@bp.get("/bulletin.docx")
def bulletin_document():
    """The same 通报 document as `通报 … 文档` in chat and the monthly push, downloaded directly."""
    from reports.bulletin_document import build_bulletin_document  # python-docx loads on first download

    return _download(build_bulletin_document, document_name, DOCX)


def _download(build, name_of, mimetype: str):
    period, _ = chosen_period()
    with reading() as session:
        scope = chosen_scope(session)
        content, name = build(session, scope, period, now()), name_of(scope, period)
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)
