"""The leaders' and admins' dashboard at /admin: rankings with a chart, quota progress, the article and
activity lists, members, quotas, exemptions and the outbox. Server-rendered, usable at phone width."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The views register themselves on `bp` when imported.
from bot.admin import auth, manage, outbox, outlets, overview, records, web  # noqa: E402, F401
