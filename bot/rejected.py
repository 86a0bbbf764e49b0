"""A callback refused: an HTTP status and a short reason (in a module of its own, so the message pipeline and
the console need not load the callbacks' crypto)."""

from __future__ import annotations


class Rejected(Exception):
    """A callback refused with an HTTP status and a short reason (logged, never echoed with secrets)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
