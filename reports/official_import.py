"""Import a media-centre figures file for a month: read, match every unit, replace the month — or refuse whole."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reports.figures_file import FiguresFileError, read_figures
from storage.official import ImportSummary, match_units, replace_period


def import_figures(
    session: Session, content: bytes, filename: str, period: str, member_id: int | None
) -> ImportSummary:
    """Raise FiguresFileError (nothing written) for a malformed file or any unit name not found."""
    rows = read_figures(content, filename)
    found, unknown = match_units(session, [r.name for r in rows])
    if unknown:
        raise FiguresFileError(
            f"有{len(unknown)}个单位名称找不到，未导入："
            + "、".join(unknown)
            + "。请核对名称或在组织文件里加简称。"
        )
    return replace_period(session, period, [(found[r.name], r.articles, r.rank) for r in rows], member_id)


def describe(summary: ImportSummary) -> str:
    again = f"（替换了之前的{summary.replaced}条）" if summary.replaced else ""
    return f"已导入{summary.period}开发区官方上稿量：{summary.units}个单位，共{summary.articles}篇{again}。"
