"""`tougao report`: the bulletin of a period or the year-end figures, printed, and optionally as .xlsx."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click


@click.command(short_help="Print a period's bulletin (--period) or a year's figures (--year).")
@click.option("--period", help="a period as in chat: 2023-03, 2023年3月, 一季度, 2023年 …")
@click.option("--year", type=int, help="the year-end figures of a year, e.g. 2022")
@click.option("--unit", "unit_name", help="whose report (default: the unit whose communities report)")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="also write a workbook here")
def report(period: str | None, year: int | None, unit_name: str | None, xlsx_path: str | None) -> None:
    """Print a period's bulletin (with --period) or a year's figures (with --year), for the unit whose
    communities report (or --unit); with --xlsx, also write the workbook."""
    from bot.cli import _database, _settings
    from handlers.parsing import ParseError
    from handlers.parsing.periods import parse_period
    from reports.annual import annual_figures, annual_text, annual_workbook
    from reports.bulletin import compose_bulletin
    from reports.workbook import build_workbook
    from storage.org import reporting_parents, unit_by_name

    if (period is None) == (year is None):
        raise click.UsageError("give exactly one of --period or --year")
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
            figures = annual_figures(session, unit, year)
            click.echo(annual_text(figures))
            content = annual_workbook(figures) if xlsx_path else None
        else:
            try:
                chosen = parse_period(period, now.date())
            except ParseError as exc:
                raise click.BadParameter(exc.problem, param_hint="--period") from None
            click.echo(compose_bulletin(session, unit, chosen, now))
            content = build_workbook(session, unit, chosen, now) if xlsx_path else None
    if xlsx_path and content is not None:
        Path(xlsx_path).write_bytes(content)
        click.echo(f"已写入 {xlsx_path}")
