"""The demo chat page (/demo, only in `tougao demo`): pick a member, chat through the same pipeline as
WeCom, and watch pushes (reminders, bulletins, exported files with their download links) arrive as the
scheduler sends them. Its group view is a simulated WeCom group with the intelligent robot in it: each
member's message is the robot's message (an @-mention first) turned into an Incoming by the robot's own
adapter code."""

from __future__ import annotations

import uuid

from flask import Blueprint, jsonify, render_template, request
from sqlalchemy import select

from bot.aibot_messages import read, to_incoming
from bot.app import services
from bot.callback_crypto import Rejected
from bot.pipeline import process
from handlers.registry import commands
from handlers.roles import ROLE_NAMES
from handlers.types import Incoming
from storage.members import roster
from storage.models import Outbox, StoredFile

bp = Blueprint("demo", __name__, url_prefix="/demo")
# Messages written the way people do, shown first: the bot is not a command line.
IN_WORDS = {
    "publicist": (
        "今天学习强国发了我们社区的稿子《社区开展冬季消防演练》 链接https://www.xuexi.cn/lgpage/detail/index.html?id=1",
        "昨天上午在社区广场开展“邻里守望”志愿服务活动，共有60余名居民参加",
        "刚才那条人数写错了，应该是65人",
        "我们社区还差几篇",
    ),
    "leader": ("这个月排名怎么样", "上个月谁没报", "看一下上个月的通报"),
    "admin": ("把辽河社区的任务改成4篇", "现在都配置了哪些媒体"),
}
MAX_TEXT = 4000
GROUP_CHAT = "wrDemoGroupXinchengPublicists"
ROBOT_MENTION = "@投稿通\u2005"  # WeCom puts U+2005 after an @-mention


@bp.get("")
def page():
    return render_template("demo.html")


@bp.get("/api/members")
def members():
    with services().db.readers() as session:
        rows = roster(session)
    examples = {
        role: [
            *IN_WORDS.get(role, ()),
            *(c.example.split("、")[0] for c in commands() if role in c.roles and c.example),
        ]
        for role in ROLE_NAMES
    }
    return jsonify(
        members=[{"userid": u, "name": n, "role": ROLE_NAMES[r], "unit": unit} for u, n, r, unit in rows],
        examples={ROLE_NAMES[r]: e for r, e in examples.items()},
    )


@bp.post("/api/send")
def send():
    data = request.get_json(silent=True) or {}
    userid, text = str(data.get("userid", "")).strip(), str(data.get("text", ""))
    if not userid or not text.strip():
        return jsonify(error="需要 userid 和 text"), 400
    if len(text) > MAX_TEXT:
        return jsonify(error=f"消息太长（超过{MAX_TEXT}字）"), 413
    try:
        msg = _group_message(userid, text) if data.get("chat") == "group" else _single_message(userid, text)
    except Rejected as exc:
        return jsonify(error=exc.reason), 400
    reply = process(services().db, msg, services().tz)
    return jsonify(reply=reply.text)


def _single_message(userid: str, text: str) -> Incoming:
    # A lone surrogate ("\udc00" is valid JSON) is refused by every database: a 400, not a 500.
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise Rejected(400, "消息里有无法保存的字符")
    return Incoming(channel="demo", userid=userid, msg_key=uuid.uuid4().hex, msg_type="text", content=text)


def _group_message(userid: str, text: str) -> Incoming:
    """What the robot would receive from this member in the group: its adapter makes the Incoming."""
    message = {
        "msgid": uuid.uuid4().hex,
        "chattype": "group",
        "chatid": GROUP_CHAT,
        "from": {"userid": userid},
        "msgtype": "text",
        "text": {"content": ROBOT_MENTION + _single_message(userid, text).content},
    }
    return to_incoming(message, read(message))


@bp.get("/api/pushes")
def pushes():
    """Pushes after `since` (an outbox id): what the scheduler sent, or is about to send."""
    since = min(max(request.args.get("since", default=0, type=int), 0), 2**31 - 1)  # a database integer
    with services().db.readers() as session:
        rows = session.scalars(select(Outbox).where(Outbox.id > since).order_by(Outbox.id).limit(200)).all()
        items = [_push(session, r) for r in rows]
    return jsonify(pushes=items)


def _push(session, row: Outbox) -> dict:
    """A push as the page shows it; a file with each recipient's download link (as the console sender
    logs them), so the file can be downloaded from the page."""
    item = {
        "id": row.id,
        "recipients": list(row.recipients)[:20],
        "count": len(row.recipients),
        "status": row.status,
        "text": row.payload.get("text") if row.msg_type == "text" else f"[{row.msg_type}]",
        "kind": row.payload.get("kind", ""),
        "links": [],
    }
    if row.msg_type == "file":
        stored = session.get(StoredFile, row.payload["file_id"])
        item["text"] = f"[文件] {stored.name}"
        item["links"] = [
            {"to": u, "href": services().links.path(stored.id, u)} for u in list(row.recipients)[:20]
        ]
    return item
