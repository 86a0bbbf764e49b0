"""Whole numbers as users write them: 45, ４５, 四十五, 两百, 廿."""

from __future__ import annotations

import cn2an

from handlers.parsing import ParseError


def to_int(text: str, example: str = "") -> int:
    """A non-negative whole number from Arabic or Chinese numerals; anything else is a ParseError."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        raise ParseError(f"看不懂数字「{text}」", example) from None
    if value < 0 or value != int(value):
        raise ParseError(f"「{text}」应是整数", example)
    return int(value)
