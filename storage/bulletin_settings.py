"""`bulletin:` in the org file: who issues the 通报 document, its 文号 and the closing 工作要求 text."""

from __future__ import annotations

import string
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage.models import OrgSetting

DEFAULT_REQUIREMENTS = (
    "各单位要高度重视新闻宣传信息报送工作，宣传员要及时报送本单位刊发的稿件和开展的活动，做到应报尽报、不漏不迟。",
    "未完成任务和未上稿的单位要查找原因、补齐短板，下月重点跟进。各单位要在质和量上同步用力，深入挖掘基层典型，"
    "力争在更高级别媒体刊发。",
)
FIELDS = ("year", "month")  # what a 文号 may contain: 新宣通〔{year}〕{month}号


@dataclass(frozen=True)
class BulletinSettings:
    requirements: tuple[str, ...] = DEFAULT_REQUIREMENTS  # paragraphs
    issuer: str = ""  # empty: the reporting unit's own name
    doc_number: str = ""  # empty: no 版头 and no 文号

    def number_for(self, year: int, month: int) -> str:
        return self.doc_number.format(year=year, month=month) if self.doc_number else ""


def load_bulletin_settings(session: Session) -> BulletinSettings:
    row = session.get(OrgSetting, "bulletin")
    data = dict(row.value) if row else {}
    text = str(data.get("requirements") or "").strip()
    paragraphs = tuple(p.strip() for p in text.splitlines() if p.strip())
    return BulletinSettings(
        requirements=paragraphs or DEFAULT_REQUIREMENTS,
        issuer=str(data.get("issuer") or "").strip(),
        doc_number=str(data.get("doc_number") or "").strip(),
    )


def doc_number_problem(value: str) -> str | None:
    """Why a 文号 pattern cannot be used (an unknown {field}, a stray brace), or None."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        return f"花括号不成对（{exc}）；字面的花括号写成 {{{{ 和 }}}}"
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        return f"只能含 {{year}} 和 {{month}}，不能含 {{{unknown[0]}}}"
    try:
        value.format(year=2026, month=1)
    except (ValueError, TypeError) as exc:
        return f"格式写法有误（{exc}）"
    return None
