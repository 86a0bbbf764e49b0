"""Run Alembic migrations programmatically (`tougao db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from storage.db import make_engine, normalise_url
from storage.maintenance import refresh_statistics

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (creating SQLite's folder if needed), then refresh the
    planner's statistics (storage.maintenance)."""
    command.upgrade(alembic_config(url), revision)
    engine = make_engine(url)
    try:
        refresh_statistics(engine)
    finally:
        engine.dispose()


def stamp(url: str, revision: str = "head") -> None:
    """Record `revision` as applied without running it (a schema built some other way, e.g. tests)."""
    command.stamp(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    """Autogenerate a new migration against the database at `url` (developer use)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)


def pending(engine) -> bool:
    """True when the database is not at the newest migration (or has none)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) != heads
