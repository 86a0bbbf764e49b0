"""The article and activity lists with search and filters, and withdrawing a record (as 撤回 in chat)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from bot.admin import bp
from bot.admin.web import PAGE_SIZE, act, chosen_period, chosen_scope, int_arg, reading
from handlers.parsing.references import Reference
from handlers.withdraw import withdraw
from storage.activity_types import activity_types
from storage.listing import RecordFilter, search_activities, search_articles
from storage.org import active_children, active_outlets

STATUSES = {"counted": "计入", "withdrawn": "已撤回", "": "全部"}
FILTERS = ("scope", "period", "unit", "status", "q", "outlet", "type")  # what the pager carries over
MAX_PAGE = 100_000  # 5,000,000 records in: any larger offset is past every list (and past an integer)


@bp.get("/articles")
def articles():
    return _records("articles")


@bp.get("/activities")
def activities():
    return _records("activities")


def _records(kind: str):
    period, period_text = chosen_period()
    page = min(int_arg(request.args, "page") or 1, MAX_PAGE)
    with reading() as session:
        scope = chosen_scope(session)
        units = active_children(session, scope.id)
        unit_id = int_arg(request.args, "unit")
        within = unit_id if unit_id in {u.id for u in units} else scope.id
        status = request.args.get("status", "counted")
        query = RecordFilter(
            unit_id=within,
            start=period.start,
            end=period.end,
            status=status if status in STATUSES and status else None,
            text=request.args.get("q", "").strip()[:100],
            outlet_id=int_arg(request.args, "outlet"),
            kind=request.args.get("type", "").strip(),
        )
        search = search_articles if kind == "articles" else search_activities
        rows, total = search(session, query, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        outlets = [(o.id, o.name) for o in active_outlets(session)] if kind == "articles" else []
        types = list(activity_types(session)) if kind == "activities" else []
    return render_template(
        f"admin/{kind}.html",
        scope=scope,
        period=period,
        period_text=period_text,
        units=units,
        outlets=outlets,
        types=types,
        statuses=STATUSES,
        # only the known filters: the pager's url_for(endpoint, **filters) must never receive `endpoint`,
        # `_external` or `_scheme` from the query string (a 500, or a link to another scheme)
        filters={k: v for k, v in request.args.items() if k in FILTERS},
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
    )


@bp.post("/withdraw")
def withdraw_record():
    """撤回 from the list: the chat handler decides who may (own unit, leaders' subtree, admins)."""
    no = int_arg(request.form, "no")
    if no is not None:
        act(lambda ctx: withdraw(ctx, Reference(no)))
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/admin/") else url_for("admin.articles"))
