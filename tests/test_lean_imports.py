"""What each entry point loads (issue 16): `tougao --help` loads no web or database code, the terminal chat no
web app or crypto, and a web worker none of the libraries only some commands need (spreadsheets and numpy,
Chinese numerals, Redis, Alembic, charts) until one asks. The times these make are printed by
bench/startup.py; here only what is loaded is checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ON_DEMAND = {"openpyxl", "numpy", "cn2an", "redis", "alembic", "mako", "matplotlib", "apscheduler"}


def loaded(code: str, tmp_path: Path) -> set[str]:
    """Top-level packages imported by running `code` in a fresh interpreter."""
    script = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/lean.db", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines()[-1].split())


def test_tougao_help_loads_no_web_database_or_crypto_code(tmp_path):
    code = "from bot.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    modules = loaded(code, tmp_path)
    assert "click" in modules
    assert not modules & ({"flask", "sqlalchemy", "wechatpy", "cryptography", "requests"} | ON_DEMAND)


def test_the_terminal_chat_loads_no_web_app_or_callback_crypto(tmp_path):
    modules = loaded("import bot.console\nfrom handlers.registry import commands\ncommands()", tmp_path)
    assert "sqlalchemy" in modules
    assert not modules & ({"flask", "wechatpy", "defusedxml", "werkzeug"} | ON_DEMAND)


def test_a_web_worker_loads_what_only_some_commands_need_on_demand(tmp_path):
    modules = loaded(
        f"from bot import create_app\ncreate_app({{'DATABASE_URL': 'sqlite:///{tmp_path}/w.db'}})", tmp_path
    )
    assert {"flask", "sqlalchemy", "wechatpy"} <= modules
    assert not modules & ON_DEMAND
