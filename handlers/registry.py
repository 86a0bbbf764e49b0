"""The command table: ordered (matcher, handler) pairs; the first match wins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handlers.parsing.text import normalise, split_keyword
from handlers.types import Ctx, Incoming, Reply
from storage.models import ROLES

Matcher = Callable[[Incoming, Ctx], Any]
Handler = Callable[[Ctx, Any], Reply]


@dataclass(frozen=True)
class Command:
    """A command: `match` returns parsed arguments (None when the message is not its own, or raises
    ParseError when it is but is malformed); `run` acts and returns the reply. The first line of `run`'s
    docstring is its help text."""

    name: str
    match: Matcher
    run: Handler
    example: str = ""
    roles: tuple[str, ...] = ROLES

    @property
    def help(self) -> str:
        return (self.run.__doc__ or self.name).strip().splitlines()[0]


def keyword_body(msg: Incoming, keywords: tuple[str, ...]) -> str | None:
    """For a text message that starts with one of `keywords`: the normalised rest (maybe ""); else None."""
    if msg.msg_type != "text":
        return None
    return split_keyword(normalise(msg.content), keywords)


def commands() -> list[Command]:
    """All commands in dispatch order (imported late so each module can import the registry types)."""
    from handlers import (
        activities,
        admin_members,
        admin_quota,
        articles,
        bulletin,
        endorse,
        export,
        help,
        mine,
        official_upload,
        ranking,
        shortfall,
        withdraw,
    )

    return [
        help.COMMAND,
        articles.TEXT_COMMAND,
        articles.LINK_COMMAND,
        activities.TEXT_COMMAND,
        activities.PHOTO_COMMAND,
        withdraw.COMMAND,
        mine.COMMAND,
        ranking.COMMAND,
        endorse.COMMAND,
        shortfall.COMMAND,
        bulletin.COMMAND,
        admin_members.COMMAND,
        admin_quota.QUOTA_COMMAND,
        admin_quota.EXEMPT_COMMAND,
        export.COMMAND,
        official_upload.COMMAND,
        official_upload.FILE_COMMAND,
    ]
