"""The command table: ordered (matcher, handler) pairs; the first match wins."""

from __future__ import annotations

from handlers.command import Command


def commands() -> list[Command]:
    """All commands in dispatch order (imported late: 帮助 lists this table, and it lists 帮助)."""
    from handlers import (
        activities,
        admin_members,
        admin_outlets,
        admin_quota,
        articles,
        bulletin,
        corrections,
        endorse,
        export,
        help,
        mine,
        official_upload,
        photos,
        ranking,
        shortfall,
        small_talk,
        withdraw,
    )

    return [
        help.COMMAND,
        small_talk.GREETING,
        small_talk.CANCEL_COMMAND,
        withdraw.COMMAND,
        corrections.COMMAND,
        articles.TEXT_COMMAND,
        articles.LINK_COMMAND,
        activities.TEXT_COMMAND,
        photos.COMMAND,
        endorse.COMMAND,
        admin_members.COMMAND,
        admin_quota.QUOTA_COMMAND,
        admin_quota.EXEMPT_COMMAND,
        admin_outlets.COMMAND,
        mine.COMMAND,
        ranking.COMMAND,
        shortfall.COMMAND,
        bulletin.COMMAND,
        export.COMMAND,
        official_upload.COMMAND,
        official_upload.FILE_COMMAND,
        articles.NATURAL_COMMAND,
        activities.NATURAL_COMMAND,
    ]
