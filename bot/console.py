"""The console channel: `tougao chat --user ID` talks to the same pipeline as WeCom."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from bot.pipeline import process
from handlers.types import Incoming, Reply
from storage.db import Database


def console_message(userid: str, text: str) -> Incoming:
    return Incoming(channel="console", userid=userid, msg_key=uuid.uuid4().hex, msg_type="text", content=text)


def say(db: Database, tz, userid: str, text: str) -> Reply:
    """Send one line as `userid` and return the bot's reply."""
    return process(db, console_message(userid, text), tz)


def repl(
    db: Database, tz, userid: str, read: Callable[[str], str] = input, write: Callable[[str], None] = print
) -> None:
    """Read lines until EOF or 退出; a blank line followed by more text continues a multi-line form."""
    write(
        f"以 {userid} 的身份和投稿通对话。输入「帮助」查看命令；多行表单以空行结束；输入「退出」或 Ctrl+D 结束。"
    )
    while True:
        try:
            line = read("你> ")
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        if line.strip() in ("退出", "exit", "quit"):
            return
        lines = [line]
        while line.strip() and _expects_more(lines):
            try:
                line = read("..> ")
            except EOFError:
                break
            lines.append(line)
        text = "\n".join(lines).strip()
        if text:
            write("投稿通> " + say(db, tz, userid, text).text.replace("\n", "\n        "))


def _expects_more(lines: list[str]) -> bool:
    """A lone 上稿 (or a form line) starts a multi-line form that ends at a blank line."""
    first = lines[0].strip()
    return first in ("上稿", "投稿") or (len(lines) > 1 and lines[-1].strip() != "")
