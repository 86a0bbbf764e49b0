"""Text normalisation: full-width to half-width, spaces folded, mentions and courtesies dropped, keywords."""

from __future__ import annotations

import functools
import re
import unicodedata

_AFTER_LINK = re.compile(r"(https?://[A-Za-z0-9\-._~:/?#\[\]@!$&*+;=%]+)([，。；、）】》])", re.IGNORECASE)
_SPACES = re.compile(r"[ \u3000\xa0]+")  # tabs are kept: they separate the cells of a pasted table
# ① … ⑳ would fold to bare digits under NFKC and run into the title: keep them as list numbers.
_CIRCLED = {chr(0x2460 + i): f"{i + 1}、" for i in range(20)}
# WeCom puts U+2005 after an @-mention; NFKC folds it to a space. Only mentions at the start are dropped:
# an @ inside a sentence may be part of what the user wrote.
_MENTIONS = re.compile(r"^(?:@[^\s@]{1,20}\s+)+|@投稿通\s*")
# WeChat's text emoticons ([微笑] [抱拳] [强]) and emoji (symbols, joiners, variation selectors).
_EMOTICON = re.compile(r"\[[\u4e00-\u9fff]{1,4}\]|\[(?:OK|ok|Ok)\]")
_ASKING_TO_RECORD = (
    r"(?:麻烦|请|劳驾)?(?:您|你)?(?:帮忙|帮我|给)?(?:登记|统计|录入|记录|录|报|记|记上)一下|(?:麻烦|请)(?:登记|统计|记上)|"
    r"(?:麻烦|请)?(?:您|你)?(?:帮忙|帮我|给我?)(?:登记|统计|录入|记录|录|记)(?:上|下)?|请查收|请审核|辛苦了"
)
_COURTESY_WORD = (
    rf"(?:谢谢|多谢|感谢|谢了|辛苦了?|请收|谢谢领导|谢谢老师|麻烦了?|{_ASKING_TO_RECORD})"
    r"(?:您|你|啦|了|哈|哦|呀|啊|大家|领导|老师)*[!！~～。.]*"
)
# A closing courtesy stands apart from what precedes it (社区向环卫工人说声谢谢 keeps its 谢谢), unless it asks
# to be recorded (voice input has no commas: …暖人心麻烦登记一下谢谢).
_COURTESY = re.compile(
    rf"(?:(?:[,，.。!！~～\s]+|^|(?<![\u4e00-\u9fff]))(?:{_COURTESY_WORD})|(?:{_ASKING_TO_RECORD}))"
    rf"(?:[,，.。!！~～\s]*{_COURTESY_WORD})*\s*$"
)
_GREETING_PREFIX = re.compile(
    r"^(?:您好|你好|领导好|老师好|各位好|hello|hi|谢谢啦|谢谢|多谢|麻烦了|麻烦)[,，!！。\s]+", re.IGNORECASE
)


@functools.lru_cache(maxsize=8192)
def is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch in "\u200d\ufe0f\ufe0e" or 0x1F3FB <= ord(ch) <= 0x1F3FF


def normalise(text: str) -> str:
    """NFKC-fold (：→:, ，→, full-width digits and letters), unify line breaks, fold runs of spaces."""
    text = "".join(_CIRCLED.get(ch, ch) for ch in text or "")
    text = _AFTER_LINK.sub(
        r"\1 \2", text
    )  # …htm，12月23日: the full-width comma ends the link before it folds
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip())


def strip_decorations(text: str) -> str:
    """Drop what is never part of a report: a leading @-mention, emoji and emoticons, a closing 谢谢."""
    text = _MENTIONS.sub("", text.strip())
    text = _EMOTICON.sub(" ", "".join(" " if is_emoji(ch) else ch for ch in text))  # 😊 parts words
    text = _GREETING_PREFIX.sub("", text.strip())
    lines = [line.strip(" ") for line in text.split("\n")]
    while lines:
        rest = _COURTESY.sub("", lines[-1]).strip()
        if rest:
            lines[-1] = rest
            break
        lines.pop()  # a closing line that is only thanks
    return "\n".join(line for line in lines if line)


@functools.lru_cache(maxsize=256)
def clean(text: str) -> str:
    """What every matcher reads: normalised and undecorated (cached: every matcher asks for the same text)."""
    return normalise(strip_decorations(normalise(text)))


def split_keyword(text: str, keywords: tuple[str, ...]) -> str | None:
    """If `text` starts with one of `keywords` (followed by a space, colon, line break or nothing),
    return the rest stripped; else None."""
    for kw in sorted(keywords, key=len, reverse=True):
        if text.lower().startswith(kw.lower()):
            rest = text[len(kw) :]
            if not rest or rest[0] in " :,\n":
                return rest.lstrip(" :,\n")
    return None


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """Drop control characters (NUL above all: PostgreSQL refuses it in text), keeping tabs and line breaks."""
    return _CONTROLS.sub("", text or "")


@functools.lru_cache(maxsize=4096)
def _variants(ch: str) -> str:
    """A regex for the characters that NFKC folds to `ch` (：for :, ，for , and full-width digits)."""
    if ch.isspace():
        return r"\s+"
    options = {ch}
    if "!" <= ch <= "~":
        options.add(chr(ord(ch) + 0xFEE0))
    if ch == "(":
        options.add("（")
    if ch == ")":
        options.add("）")
    return "[" + "".join(re.escape(o) for o in sorted(options)) + "]"


_NOT_LITERAL = re.compile(r"[\s\uff01-\uff5e]")
_HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)}  # ！ → !, （ → (, ：→ : …


def as_typed(original: str, piece: str) -> str:
    """The part of `original` that normalises to `piece`, so a title is stored with the user's own
    punctuation (辽河社区：消防演练, not 辽河社区:消防演练); `piece` itself when it cannot be found."""
    if not piece or (piece.isascii() and piece.isalnum()):
        return piece
    stripped = piece.strip()
    if not _NOT_LITERAL.search(stripped):
        # What the pattern below finds, found without building it: each character as itself or its
        # full-width form, so the earliest place in the original folded to half width.
        at = (original or "").translate(_HALF_WIDTH).find(stripped)
        if at >= 0:
            return original[at : at + len(stripped)]
    pattern = "".join(_variants(ch) for ch in stripped)
    m = re.search(pattern, original or "")
    if m is None:  # an emoji stood where the piece has a space (温暖🌟一座城): read past it
        m = re.search(
            pattern, _SPACES.sub(" ", "".join(" " if is_emoji(ch) else ch for ch in original or ""))
        )
    return m.group(0) if m else piece


def blank(text: str, spans) -> str:
    """`text` with the spans replaced by spaces (positions stay valid)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)
