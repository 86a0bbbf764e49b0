"""Photos sent right after a report attach to it: pictures of an activity, proof of an article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from handlers.command import Command
from handlers.parsing.activity import ACTIVITY_EXAMPLE
from handlers.types import Ctx, Incoming, Reply
from storage.models import Article
from storage.photos import add_photo
from storage.records import newest_since

PHOTO_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class Photo:
    media_id: str
    pic_url: str


def match(msg: Incoming, ctx: Ctx) -> Photo | None:
    return Photo(msg.media_id, msg.pic_url) if msg.msg_type == "image" else None


def attach(ctx: Ctx, photo: Photo) -> Reply:
    """（发送照片）：附在30分钟内登记的上一条上稿或活动上"""
    record = newest_since(ctx.session, ctx.member.id, ctx.now - PHOTO_WINDOW)
    if record is None:
        return Reply(
            "收到照片。照片需要跟在上稿或活动登记之后发送（30分钟内），请先登记。\n例：" + ACTIVITY_EXAMPLE
        )
    total = add_photo(ctx.session, record.no, photo.media_id, photo.pic_url)
    kind = "上稿" if isinstance(record, Article) else "活动"
    return Reply(f"已将照片附到第{record.no}号{kind}「{record.title}」（共{total}张）。")


COMMAND = Command("照片", match, attach)
