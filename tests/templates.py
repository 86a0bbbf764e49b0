"""Fresh test databases without rebuilding them: the schema (and the schema with examples/org.yaml) is built
once per run, and each test gets a copy. Building it per test (create_all, an Alembic stamp, importing the org)
cost about 0.15 s a test, a minute and more of the suite.

SQLite: a template file per kind, copied to the test's own folder. PostgreSQL: one database whose tables are
put back to a snapshot before each test in one round trip: DELETE every table, copy the snapshot's rows back
from a schema of their own, set the sequences. Measured on a few hundred rows (2026-11-27, this machine):
DELETE and reload 9 ms, CREATE DATABASE … TEMPLATE 106 ms, TRUNCATE and reload 244 ms (TRUNCATE makes new
files for every table, DELETE of a few rows does not). The rows DELETE leaves dead are vacuumed every few
resets."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import text

from storage.db import Database
from storage.migrate import stamp
from storage.models import Base
from storage.orgfile import apply_org, load_org_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ORG = ROOT / "examples" / "org.yaml"
SNAPSHOT_SCHEMA = "tests_snapshot"
VACUUM_EVERY = 10  # resets (measured: every 10, 11 ms a test with the VACUUM; every 5, 14 ms; never, 67 ms)


def load_example_org(db: Database) -> None:
    with db.sessions() as session, session.begin():
        apply_org(session, load_org_file(EXAMPLE_ORG, session))


def build_sqlite_templates(folder: Path) -> dict[bool, Path]:
    """{False: the schema at the newest migration, True: the same with the example org}."""
    empty, with_org = folder / "empty.db", folder / "org.db"
    db = Database.from_url(f"sqlite:///{empty}")
    Base.metadata.create_all(db.engine)
    db.engine.dispose()
    stamp(f"sqlite:///{empty}", "head")  # built from the models, which the migrations match (test_migrations)
    shutil.copyfile(empty, with_org)
    db = Database.from_url(f"sqlite:///{with_org}")
    load_example_org(db)
    db.engine.dispose()
    for path in (empty, with_org):  # the last connection closed checkpoints the WAL: the file is whole
        assert not Path(f"{path}-wal").exists(), f"{path} still has a WAL file"
    return {False: empty, True: with_org}


def sqlite_copy(template: Path, path: Path) -> Database:
    shutil.copyfile(template, path)
    return Database.from_url(f"sqlite:///{path}", busy_timeout=1.0)


class PostgresSnapshots:
    """One PostgreSQL database, reset before each test to the empty schema or to the example org."""

    def __init__(self, url: str) -> None:
        self.db = Database.from_url(url)
        self._resets = 0
        self._tables = [t.name for t in Base.metadata.sorted_tables]
        with self.db.engine.begin() as conn:  # whatever an earlier run (or an older schema) left behind
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}"))
        Base.metadata.create_all(self.db.engine)
        stamp(url, "head")
        self._empty = self._deletes() + self._sequences()
        load_example_org(self.db)
        self._with_org = self._deletes() + self._capture() + self._sequences()

    def reset(self, with_org: bool) -> Database:
        self._resets += 1
        if self._resets % VACUUM_EVERY == 0:
            self._vacuum()
        with self.db.engine.begin() as conn:
            conn.exec_driver_sql(self._with_org if with_org else self._empty)
        return self.db

    def _vacuum(self) -> None:
        """Clear the rows the DELETEs left dead. Autovacuum may be off (it is on this project's machine) or
        slower than the tests: unvacuumed, the resets grow from 12 ms to 70 ms a test over a run."""
        tables = ", ".join(f'public."{name}"' for name in self._tables)
        with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM {tables}")

    def close(self) -> None:
        self.db.engine.dispose()

    def _deletes(self) -> str:
        # Children first; alembic_version is not a model table, so the stamp stays.
        return "".join(f'DELETE FROM public."{name}";' for name in reversed(self._tables))

    def _capture(self) -> str:
        """Copy every table that has rows into the snapshot schema; the statements that copy them back."""
        inserts = []
        with self.db.engine.begin() as conn:
            for name in self._tables:
                if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM public."{name}")')).scalar():
                    conn.execute(
                        text(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{name}" AS SELECT * FROM public."{name}"')
                    )
                    inserts.append(f'INSERT INTO public."{name}" SELECT * FROM {SNAPSHOT_SCHEMA}."{name}";')
        return "".join(inserts)

    def _sequences(self) -> str:
        """Each sequence back where it is now (ids in a test start where they did when it was built)."""
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            ).all()
        return "".join(
            f"SELECT setval('public.\"{name}\"', {value});"
            if value is not None
            else f"SELECT setval('public.\"{name}\"', 1, false);"
            for name, value in rows
        )
