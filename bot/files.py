"""GET /files/<token>: a stored file (an export workbook, a chart) through its signed download link.

A link is good for 7 days and for the member it was made for: when the browser is signed in to the
dashboard as someone else, it is refused. The member must still be active."""

from __future__ import annotations

import io
import mimetypes

from flask import Blueprint, Response, abort, send_file, session

from bot.app import services
from senders.links import LinkExpired, LinkInvalid
from storage.models import Member, StoredFile
from storage.org import active_member

bp = Blueprint("files", __name__)


@bp.get("/files/<token>")
def download(token: str) -> Response:
    try:
        file_id, userid = services().links.read(token)
    except LinkExpired:
        abort(
            Response(
                "下载链接已过期（7天内有效）。请重新发送「导出」生成新的链接。", 410, mimetype="text/plain"
            )
        )
    except LinkInvalid:
        abort(Response("下载链接无效。", 404, mimetype="text/plain"))
    with services().db.readers() as s:
        member = active_member(s, userid)
        if member is None:
            abort(Response("此链接的接收人已不是本系统的在用成员。", 403, mimetype="text/plain"))
        if _signed_in_as_another(s, member.id):
            abort(Response("此下载链接只给生成时的接收人本人使用。", 403, mimetype="text/plain"))
        stored = s.get(StoredFile, file_id)
        if stored is None:
            abort(Response("文件已不存在。", 404, mimetype="text/plain"))
        name, content = stored.name, stored.content
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return send_file(io.BytesIO(content), mimetype=kind, as_attachment=True, download_name=name)


def _signed_in_as_another(s, member_id: int) -> bool:
    """The browser holds a live dashboard sign-in (right version) of someone other than the link's member."""
    viewer = session.get("member_id")
    if viewer is None or viewer == member_id:
        return False
    other = s.get(Member, viewer)
    return other is not None and other.active and other.session_version == session.get("version")
