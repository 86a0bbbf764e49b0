"""`tougao db upgrade` and `tougao db backup`: the database's schema and its copies."""

from __future__ import annotations

from pathlib import Path

import click

from bot.settings import shown


@click.group(short_help="Database: create or migrate it (upgrade), copy it (backup).")
def db() -> None:
    """The database at DATABASE_URL: create or migrate it, back it up."""


@db.command("upgrade", short_help="Create or migrate the database to the newest schema.")
def db_upgrade() -> None:
    """Create or migrate the database at DATABASE_URL to the newest schema."""
    from bot.cli import _settings, using
    from storage.migrate import current_revision, upgrade

    url = _settings().DATABASE_URL
    using(url)
    before = current_revision(url)
    upgrade(url)
    after = current_revision(url)
    if before is None:
        click.echo(f"已创建数据库结构（版本 {after}）：{shown(url)}")
    elif before == after:
        click.echo(f"数据库已是最新结构（版本 {after}），没有改动：{shown(url)}")
    else:
        click.echo(f"数据库结构已从版本 {before} 升级到 {after}：{shown(url)}")


@db.command("backup", short_help="Copy a live SQLite database to FILE (PostgreSQL: pg_dump).")
@click.argument("file", type=click.Path(dir_okay=False))
def db_backup(file: str) -> None:
    """Copy a SQLite database while the server runs (SQLite's online backup) to FILE; its folder is
    created when missing. PostgreSQL: use pg_dump."""
    import sqlite3

    from bot.cli import _settings, fail, sqlite_file

    settings = _settings()
    source_path = sqlite_file(settings.DATABASE_URL)
    if source_path is None:
        fail(
            "PostgreSQL 请用 pg_dump 备份，例如：pg_dump -Fc -f tougao.dump 数据库名（见 docs/deployment.md）",
            status=2,
        )
    if not source_path.exists():
        fail(f"数据库文件不存在：{source_path}（TOUGAO_HOME={settings.home}），没有可备份的内容。")
    target_path = Path(file).expanduser().resolve()
    try:
        target_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"无法建立备份文件夹 {target_path.parent}：{exc.strerror}")
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
    click.echo(f"已把 {source_path} 备份到 {target_path}")
