"""The outside world: the Flask app, its channels, the dashboard and the `tougao` command line.

`create_app` (bot.factory) is imported on first use, so importing `bot` — as `tougao --help` and every
command that needs no web app do — loads neither Flask nor the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.factory import create_app

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from bot.factory import create_app

        return create_app
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
