"""Run Alembic migrations programmatically (`tougao db upgrade`), and tell whether a database is up to date.

Alembic is imported only by the commands that migrate: every other command checks the schema with
pending(), which reads the revision ids from the migration files without it (Alembic and its templates
take about a tenth of a second to load).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from storage.db import make_engine, normalise_url
from storage.maintenance import refresh_statistics

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (creating SQLite's folder if needed), then refresh the
    planner's statistics (storage.maintenance)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)
    engine = make_engine(url)
    try:
        refresh_statistics(engine)
    finally:
        engine.dispose()


def stamp(url: str, revision: str = "head") -> None:
    """Record `revision` as applied without running it (a schema built some other way, e.g. tests)."""
    from alembic import command

    command.stamp(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    """Autogenerate a new migration against the database at `url` (developer use)."""
    from alembic import command

    command.revision(alembic_config(url), message=message, autogenerate=True)


def current_revision(url: str) -> str | None:
    """The migration the database at `url` is at (None for a database without any)."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            heads = MigrationContext.configure(conn).get_current_heads()
    finally:
        engine.dispose()
    return ", ".join(sorted(heads)) or None


@cache
def heads() -> frozenset[str]:
    """The newest revisions: those no migration names as its down_revision."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            found = ast.literal_eval(value)
            ids = (found,) if isinstance(found, str) else tuple(found or ())
            (revisions if name == "revision" else parents).update(ids)
    return frozenset(revisions - parents)


def pending(engine) -> bool:
    """True when the database is not at the newest migration (or has none)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return True
        current = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return current != heads()
