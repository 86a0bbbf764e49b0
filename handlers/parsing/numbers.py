"""Whole numbers as users write them: 45, ４５, 四十五, 两百, 百, 廿."""

from __future__ import annotations

import functools

from handlers.parsing import ParseError

CN_DIGITS = "零〇一二两三四五六七八九十百千万廿卅"


@functools.cache
def _cn2an():
    import cn2an  # loaded on first use (about 0.1 s): most numbers people type are digits

    return cn2an.cn2an


def to_int(text: str, example: str = "") -> int:
    """A non-negative whole number from Arabic or Chinese numerals; anything else is a ParseError."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if text[:1] in ("百", "千", "万"):
        text = "一" + text  # 百余人: cn2an wants 一百
    text = text.replace("廿", "二十").replace("卅", "三十")
    try:
        value = _cn2an()(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        raise ParseError(f"看不懂数字「{text}」", example) from None
    if value < 0 or value != int(value):
        raise ParseError(f"「{text}」应是整数", example)
    return int(value)
