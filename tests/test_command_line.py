"""The command line as a newcomer and an admin meet it: one home for .env and the SQLite file, a busy port
said plainly, the database named when it fails, what `db upgrade` did, help that is not cut short."""

from __future__ import annotations

import logging
import socket
from importlib.metadata import version
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner

from bot import create_app
from bot.cli import main
from bot.cli_demo import command_path
from bot.settings import Settings, find_home
from storage.migrate import alembic_config, upgrade

HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def busy_port():
    """A port something else listens on."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        yield taken.getsockname()[1]


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty TOUGAO_HOME, and a current directory somewhere else."""
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("TOUGAO_HOME", str(home))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(elsewhere)
    return home


def test_the_demo_on_a_busy_port_says_so_and_names_port_first(busy_port, home):
    result = run("demo", "--port", str(busy_port))
    assert result.exit_code == 1
    assert f"端口 {busy_port} 已被占用" in result.output and f"--port {busy_port + 1}" in result.output
    assert "已启动" not in result.output and "演示数据" not in result.output
    assert not (home / "instance").exists()  # nothing written before the port was had


def test_serve_on_a_busy_port_says_so_instead_of_retrying(busy_port, home, monkeypatch):
    started = []
    monkeypatch.setattr("bot.serve.run_gunicorn", lambda *args: started.append(args))
    result = run("serve", "--port", str(busy_port))
    assert (
        result.exit_code == 1 and f"端口 {busy_port} 已被占用" in result.output and "--port" in result.output
    )
    assert started == []


def test_the_site_root_leads_to_the_chat_page_in_the_demo_and_the_dashboard_otherwise(org):
    url = str(org.engine.url)
    demo = create_app({"DATABASE_URL": url}, database=org, demo=True).test_client()
    production = create_app({"DATABASE_URL": url}, database=org).test_client()
    assert demo.get("/").headers["Location"] == "/demo"
    assert production.get("/").headers["Location"] == "/admin/"
    assert demo.get("/demo").status_code == 200


def test_wecom_domain_files_are_served_from_the_configured_folder_only(org, tmp_path):
    folder = tmp_path / "verify"
    folder.mkdir()
    (folder / "WW_verify_AbC123xyz.txt").write_text("AbC123xyz")
    (folder / "secret.txt").write_text("no")
    config = {"DATABASE_URL": str(org.engine.url), "TOUGAO_VERIFY_DIR": str(folder)}
    client = create_app(config, database=org).test_client()
    response = client.get("/WW_verify_AbC123xyz.txt")
    assert response.status_code == 200 and response.data == b"AbC123xyz"
    assert response.mimetype == "text/plain"
    for path in (
        "/WW_verify_missing1.txt",
        "/secret.txt",
        "/WW_verify_..%2fsecret.txt",
        "/MP_verify_x.txt.bak",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/admin").status_code == 308  # the other routes are as they were
    assert client.get("/healthz").status_code == 200
    unset = create_app({"DATABASE_URL": str(org.engine.url)}, database=org).test_client()
    assert unset.get("/WW_verify_AbC123xyz.txt").status_code == 404


def test_the_home_is_tougao_home_then_a_folder_with_env_then_the_clone(tmp_path, monkeypatch):
    clone, here = tmp_path / "clone", tmp_path / "here"
    clone.mkdir()
    here.mkdir()
    monkeypatch.setattr("bot.settings.source_checkout", lambda: clone)
    assert find_home(str(tmp_path / "set"), cwd=here) == tmp_path / "set"
    assert find_home(None, cwd=here) == clone  # no .env here: the clone tougao was installed from
    (here / ".env").write_text("TOUGAO_TIMEZONE=Asia/Urumqi\n")
    assert find_home(None, cwd=here) == here
    monkeypatch.setattr("bot.settings.source_checkout", lambda: None)
    (here / ".env").unlink()
    assert find_home(None, cwd=here) == here  # installed as a package, no .env: the current directory
    monkeypatch.setattr("bot.settings.source_checkout", lambda: clone)
    monkeypatch.setattr(Path, "is_file", lambda path: (_ for _ in ()).throw(PermissionError(13, "denied")))
    assert find_home(None, cwd=here) == clone  # sudo -u tougao from a folder tougao may not read


def test_env_and_the_sqlite_file_come_from_the_home_whatever_the_current_directory(home):
    (home / ".env").write_text("DATABASE_URL=sqlite:///data/office.db\nTOUGAO_VERIFY_DIR=verify\n")
    settings = Settings.load()
    url = settings.DATABASE_URL
    assert url == f"sqlite:///{home}/data/office.db"
    assert settings.verify_dir == home / "verify" and settings.home == home
    created = run("db", "upgrade")
    assert created.exit_code == 0, created.output
    assert (home / "data" / "office.db").exists() and not (Path.cwd() / "data").exists()
    answer = run("chat", "--user", "nobody", "帮助")
    assert answer.exit_code == 0 and "管理员" in answer.output  # a stranger, on the home's database


def test_a_missing_database_is_named_with_the_home_and_nothing_is_created(home):
    result = run("chat", "--user", "zhangsan", "排名")
    assert result.exit_code == 1
    assert f"数据库文件不存在：{home}/instance/tougao.db（TOUGAO_HOME={home}）" in result.output
    assert "tougao db upgrade" in result.output
    demo = run("chat", "--demo", "--user", "zhangsan", "排名")
    assert demo.exit_code == 1 and f"{home}/instance/demo.db" in demo.output and "tougao demo" in demo.output
    assert not (home / "instance").exists() and list(Path.cwd().iterdir()) == []


def test_a_database_that_does_not_answer_is_named_without_its_password(home, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://tougao:pa55word@127.0.0.1:9/tougao")
    result = run("org", "import", "org.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "数据库出错（postgresql+psycopg://tougao:***@127.0.0.1:9/tougao" in result.output
    assert "pa55word" not in result.output


def test_db_upgrade_says_whether_it_created_upgraded_or_found_the_schema_current(home):
    created = run("db", "upgrade")
    assert created.exit_code == 0 and f"已创建数据库结构（版本 {HEAD}）" in created.output
    assert f"{home}/instance/tougao.db" in created.output
    again = run("db", "upgrade")
    assert again.exit_code == 0 and f"数据库已是最新结构（版本 {HEAD}），没有改动" in again.output
    older = f"sqlite:///{home}/older.db"
    upgrade(older, "0005")
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": older})
    assert result.exit_code == 0 and f"数据库结构已从版本 0005 升级到 {HEAD}" in result.output


def test_version_and_help_that_is_not_cut_short():
    assert run("--version").output.strip() == f"tougao {version('tougao')}"
    for group in ([], ["db"], ["org"], ["ranking"], ["outbox"]):
        listing = run(*group, "--help").output.split("Commands:")[1]
        assert "..." not in listing and "…" not in listing, listing
    remind = run("remind", "--help").output
    assert all(kind in remind for kind in ("nag ", "last_call ", "bulletin "))
    assert "below quota" in remind and "last workday" in remind and "group" in remind
    chat = run("chat", "--help").output
    assert "退出" in chat and "blank line" in chat and "MESSAGE" in chat


@pytest.fixture
def loggers():
    """The command line configures logging for the whole process; put it back afterwards."""
    names = ("", "apscheduler", "alembic")
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize(("level", "apscheduler"), [("INFO", logging.WARNING), ("DEBUG", logging.NOTSET)])
def test_the_scheduler_does_not_log_every_run_of_a_job(level, apscheduler, home, monkeypatch, loggers):
    logging.getLogger("apscheduler").setLevel(logging.NOTSET)
    monkeypatch.setenv("TOUGAO_LOG_LEVEL", level)
    assert run("db", "upgrade").exit_code == 0
    assert logging.getLogger("apscheduler").level == apscheduler


def test_the_banner_names_a_tougao_that_runs(tmp_path, monkeypatch):
    bin_dir = tmp_path / "clone" / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "tougao").write_text("#!/bin/sh\n")
    monkeypatch.setattr("sys.executable", str(bin_dir / "python"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert command_path(cwd=tmp_path / "clone") == ".venv/bin/tougao"
    assert command_path(cwd=tmp_path / "elsewhere") == str(bin_dir / "tougao")
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin")  # an activated venv
    (bin_dir / "tougao").chmod(0o755)
    assert command_path(cwd=tmp_path / "elsewhere") == "tougao"
