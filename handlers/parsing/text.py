"""Text normalisation: full-width to half-width, spaces folded, keyword splitting."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def normalise(text: str) -> str:
    """NFKC-fold (：→:, ，→, full-width digits and letters), unify line breaks, fold runs of spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


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
