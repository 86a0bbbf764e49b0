"""The house's layering, checked on the source: bot → handlers → reports → storage; scheduler → reports,
storage and senders; nothing from storage or reports up. One place per channel name, no service looked
up by a string, and every module short."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "reports", "scheduler", "senders", "storage")
MAY_IMPORT = {
    "storage": {"storage"},
    "reports": {"reports", "storage"},
    "senders": {"senders", "storage"},
    "handlers": {"handlers", "reports", "storage"},
    "scheduler": {"scheduler", "reports", "senders", "storage"},
    "bot": set(PACKAGES),
}
MIGRATIONS = ROOT / "storage" / "migrations"  # frozen history: they keep the values of their day


def modules() -> list[Path]:
    return sorted(
        p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if MIGRATIONS not in p.parents
    )


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_layer_imports_only_what_lies_below_it(package):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) - MAY_IMPORT[package])
        for path in (ROOT / package).rglob("*.py")
        if MIGRATIONS not in path.parents
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_wecom_channel_is_named_only_by_its_sender_settings_and_inbound_adapter():
    """Outbound code names channels through storage.channels.Channel; the string "wecom" is left only where
    the WeCom callback sets its inbound id (Incoming.channel) and in the WeCom sender and settings."""
    allowed = {ROOT / "bot" / "wecom.py", ROOT / "senders" / "wecom.py", ROOT / "bot" / "settings.py"}
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in modules()
        if path not in allowed
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() == "wecom"
    ]
    assert found == []


def test_no_service_is_looked_up_by_a_string_key():
    """Services, settings and the callbacks' crypto are typed attributes of the app (bot/app.py)."""
    looked_up = re.compile(r"""extensions(\.get\(|\[)\s*["']tougao""")
    here = Path(__file__).resolve()
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*modules(), *(ROOT / "tests").glob("*.py"), *(ROOT / "bench").glob("*.py")]
        if path != here and looked_up.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_module_is_under_300_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) >= 300
    }
    assert long == {}
