"""`tougao report`: the bulletin of a period or the year-end figures, printed, and optionally written as a
workbook (.xlsx) and a Word document (.docx)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from reports.approx import RULE as APPROX_RULE


@click.command(
    short_help="Print a period's bulletin (--period) or a year's figures (--year).",
    epilog=f"--approx (with --year): {APPROX_RULE}",
)
@click.option("--period", help="a period as in chat: 2023-03, 2023年3月, 一季度, 2023年 …")
@click.option(
    "--year", type=int, help="the year-end figures of a year, in the work report's words, e.g. 2022"
)
@click.option("--unit", "unit_name", help="whose report (default: the unit whose communities report)")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="also write a workbook here")
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(dir_okay=False),
    help="also write a Word document here: the 通报 (GB/T 9704) or the year's figures",
)
@click.option(
    "--approx",
    is_flag=True,
    help="with --year: figures as work reports write them, rounded down with 余 (140余篇); see below",
)
def report(
    period: str | None,
    year: int | None,
    unit_name: str | None,
    xlsx_path: str | None,
    docx_path: str | None,
    approx: bool,
) -> None:
    """Print a period's bulletin (with --period) or a year's figures (with --year), for the unit whose
    communities report (or --unit); with --xlsx and --docx, also write the workbook and the document."""
    from bot.cli import _database, _settings
    from storage.org import reporting_parents, unit_by_name

    if (period is None) == (year is None):
        raise click.UsageError("give exactly one of --period or --year")
    if approx and year is None:
        raise click.UsageError("--approx goes with --year (a bulletin's figures are always exact)")
    settings = _settings()
    now = datetime.now(settings.tz)
    with _database(settings) as database, database.readers() as session:
        unit = unit_by_name(session, unit_name) if unit_name else next(iter(reporting_parents(session)), None)
        if unit is None:
            click.echo(
                f"没有单位「{unit_name}」" if unit_name else "还没有导入组织（tougao org import）", err=True
            )
            sys.exit(1)
        if year is not None:
            text, files = _year(session, unit, year, now, approx, xlsx_path, docx_path)
        else:
            text, files = _period(session, unit, period, now, xlsx_path, docx_path)
    click.echo(text)
    for path, content in files:
        Path(path).write_bytes(content)
        click.echo(f"已写入 {path}")


def _year(session, unit, year: int, now: datetime, approx: bool, xlsx_path, docx_path):
    from reports.annual import annual_figures, annual_workbook
    from reports.annual_report import annual_document, annual_text

    figures = annual_figures(session, unit, year)
    files = []
    if xlsx_path:
        files.append((xlsx_path, annual_workbook(figures)))
    if docx_path:
        files.append((docx_path, annual_document(figures, approx, now.date())))
    return annual_text(figures, approx, now.date()), files


def _period(session, unit, period: str, now: datetime, xlsx_path, docx_path):
    from handlers.parsing import ParseError
    from handlers.parsing.periods import parse_period
    from reports.bulletin import compose_bulletin
    from reports.bulletin_document import build_bulletin_document
    from reports.workbook import build_workbook

    try:
        chosen = parse_period(period, now.date())
    except ParseError as exc:
        raise click.BadParameter(exc.problem, param_hint="--period") from None
    files = []
    if xlsx_path:
        files.append((xlsx_path, build_workbook(session, unit, chosen, now)))
    if docx_path:
        files.append((docx_path, build_bulletin_document(session, unit, chosen, now)))
    return compose_bulletin(session, unit, chosen, now), files
