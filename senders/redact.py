"""Masking secrets in text that leaves the API clients: exception messages, log lines, the outbox, chat.

requests puts the whole URL in its exception text ("… for url: …/gettoken?corpid=…&corpsecret=…"), and
wechatpy adds `access_token=` to every call, so any error text may carry a credential. Every PushError
is masked when it is made, and a logging filter masks whatever else reaches a log handler.
"""

from __future__ import annotations

import logging
import re

MASK = "***"
# `corpsecret=…` in a URL, and `'corpsecret': '…'` in a printed dict of query parameters.
_QUERY = re.compile(r"([?&](?:corpsecret|secret|access_token|key)=)[^&\s'\"#)]+", re.IGNORECASE)
_MAPPING = re.compile(r"(['\"](?:corpsecret|secret|access_token)['\"]\s*:\s*['\"])[^'\"]+", re.IGNORECASE)
_known: set[str] = set()  # configured secret values, masked wherever they appear


def remember_secrets(*values: str) -> None:
    """Mask these configured values too (the WeCom secret, AES keys …), whatever text they turn up in."""
    _known.update(v for v in values if v and len(v) >= 8)


def redact(text: str) -> str:
    text = _MAPPING.sub(rf"\1{MASK}", _QUERY.sub(rf"\1{MASK}", text))
    for value in _known:
        text = text.replace(value, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Masks the message and the formatted traceback of every record a handler emits."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_log_redaction() -> None:
    """Put the filter on every handler of the root logger and gunicorn's loggers (idempotent)."""
    loggers = [logging.getLogger(), logging.getLogger("gunicorn.error"), logging.getLogger("gunicorn.access")]
    for handler in (h for lg in loggers for h in lg.handlers):
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
