"""What a command is, and the two ways a matcher recognises its message: a leading keyword, or a question
written as a sentence."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handlers.parsing.counts import find_people
from handlers.parsing.intent import is_short_question
from handlers.parsing.text import clean, split_keyword
from handlers.types import Ctx, Incoming, Reply
from storage.models import ROLES

_REPORTING = re.compile(r"开展|举办|举行|组织|召开|刊发|刊登|发表|播出|转载|见报|参加|参与")
Matcher = Callable[[Incoming, Ctx], Any]
Handler = Callable[[Ctx, Any], Reply]


@dataclass(frozen=True)
class Command:
    """A command: `match` returns parsed arguments (None when the message is not its own, or raises
    ParseError when it is but is malformed); `run` acts and returns the reply. The first line of `run`'s
    docstring is its help text. `ahead`, when given, does the pure part of `run` on the arguments without
    writing, ahead of the write transaction (see handlers/ahead.py)."""

    name: str
    match: Matcher
    run: Handler
    example: str = ""
    roles: tuple[str, ...] = ROLES
    ahead: Callable[[Ctx, Any], object] | None = None

    @property
    def help(self) -> str:
        return (self.run.__doc__ or self.name).strip().splitlines()[0]


def keyword_body(msg: Incoming, keywords: tuple[str, ...]) -> str | None:
    """For a text message that starts with one of `keywords`: the cleaned rest (maybe ""); else None."""
    if msg.msg_type != "text":
        return None
    return split_keyword(clean(msg.content), keywords)


def asked(msg: Incoming, pattern: re.Pattern) -> str | None:
    """A question written as a sentence (`这个月排名怎么样`): a short text, with no link or 《title》, that
    contains `pattern`; returns the cleaned text, else None."""
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    if not is_short_question(text) or not pattern.search(text):
        return None
    if _REPORTING.search(text) or find_people(text).total is not None:
        return None  # 前几天…组织志愿者…16人 reports something; it asks nothing
    return text
