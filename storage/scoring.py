"""Scoring rules (PRODUCT.md §3): outlet weight × placement factor + endorsement bonus by level."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from storage.org import org_value

DEFAULT_BONUS = {"国家级": 5.0, "自治区级": 3.0, "省级": 3.0, "市级": 2.0, "区级": 1.0, "街道": 0.5}
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# The placement factor rewards the front page; 第2版 or A3版 is recorded as 版面 but scores as usual.
_FRONT_PAGE = re.compile(r"头版|头条|^(?:第)?(?:1|一|A1)版$")


def is_front_page(placement: str) -> bool:
    return bool(placement and _FRONT_PAGE.search(placement))


@dataclass(frozen=True)
class ScoringRules:
    """`scoring:` in the org file: same_story each|highest, placement_factor, endorsement_bonus by level."""

    same_story: str = "each"
    placement_factor: float = 2.0
    endorsement_bonus: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_BONUS))

    def factor(self, placement: str) -> float:
        return self.placement_factor if is_front_page(placement) else 1.0

    def bonus(self, level: str | None) -> float:
        return float(self.endorsement_bonus.get(level, 0.0)) if level else 0.0

    def score(self, weight: float, placement: str, endorsement: str | None) -> float:
        return round(weight * self.factor(placement) + self.bonus(endorsement), 2)


def load_rules(session: Session) -> ScoringRules:
    """The scoring rules in force (from the cached organisation: no query)."""
    return org_value(session, "scoring", lambda org: rules_from(org.settings.get("scoring")))


def rules_from(value: dict | None) -> ScoringRules:
    """The rules an org file's `scoring:` section (as stored) sets."""
    data = dict(value) if value else {}
    bonus = {**DEFAULT_BONUS, **{k: float(v) for k, v in (data.get("endorsement_bonus") or {}).items()}}
    return ScoringRules(
        same_story=data.get("same_story", "each"),
        placement_factor=float(data.get("placement_factor", 2.0)),
        endorsement_bonus=bonus,
    )


def story_key(title: str) -> str:
    """Titles that differ only in spaces and punctuation are one story."""
    return _NOT_WORD.sub("", title).lower()[:300]
