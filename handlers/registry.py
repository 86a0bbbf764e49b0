"""The command table: ordered (matcher, handler) pairs; the first match wins."""

from __future__ import annotations

from dataclasses import replace

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
        _quiet(small_talk.GREETING),
        _quiet(small_talk.CANCEL_COMMAND),
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
        _quiet(articles.NATURAL_COMMAND),
        _quiet(activities.NATURAL_COMMAND),
    ]


def _quiet(command: Command) -> Command:
    """A command that does not pre-empt an answer: greetings, 取消, reports recognised without a keyword."""
    return replace(command, before_answers=False)
