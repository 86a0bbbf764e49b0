"""Reading a message ahead of its transaction.

SQLite lets one writer work at a time, and a message's transaction writes from its first statement: whatever
CPU it spends inside (parsing above all) holds every other message up. So the pipeline first runs the command
table's matchers on the message in a read-only session, without the write lock (dispatch.read_ahead), and the
costly pure parses (the records a message reports, and each one resolved or asked about) are kept here for
dispatch to find in the write transaction. A kept parse is keyed by the text, the day and the organisation's
token, so a change to either is read again; a transaction that changed the organisation keeps nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from handlers.types import Ctx
from storage.org import org_token

T = TypeVar("T")
KEEP = 512  # parses kept per process: far more than the messages in flight

_kept: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def kept(ctx: Ctx, kind: str, key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, or what it returned for the same (kind, key) today under the same organisation. Values must
    be immutable (tuples, frozen dataclasses); a ParseError is raised again by reading again."""
    token = org_token(ctx.session)
    if token is None:
        return read()
    full = (kind, key, ctx.today, token)
    with _lock:
        if full in _kept:
            _kept.move_to_end(full)
            return _kept[full]
    value = read()
    with _lock:
        _kept[full] = value
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return value
