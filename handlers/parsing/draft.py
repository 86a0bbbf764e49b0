"""What both kinds of record drafts share: a title, the date as said (or why it needs asking), the questions
already answered and photos sent while one was open; kept as JSON in a pending draft between two messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self


@dataclass(frozen=True)
class Draft:
    """Empty strings mean "not said"; nothing is filled in by guessing."""

    title: str = ""
    day: str = ""  # ISO date, when one was read
    day_token: str = ""  # the date as written
    day_has_year: bool = False  # or otherwise meant on purpose (so an old date needs no confirming)
    day_vague: str = ""  # 月初, 前几天 … (ask)
    day_unclear: bool = False  # two different dates (ask)
    late: bool = False  # the message says 补报: an old date is meant
    confirmed: tuple[str, ...] = field(default=())  # questions already answered
    photos: tuple[tuple[str, str], ...] = field(default=())  # (media id, picture URL) sent while asked

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict) -> Self:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        photos = tuple(tuple(p) for p in known.get("photos", ()))
        return cls(**{**known, "confirmed": tuple(known.get("confirmed", ())), "photos": photos})
