"""Settings come from `.env`, then the environment, then overrides; the console channel is a real REPL."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.console import repl
from bot.settings import Settings
from storage.models import Article


def test_env_file_then_environment_then_overrides(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("TOUGAO_CALLBACK_MAX_AGE=60\nWECOM_CORP_ID=from-file\nTOUGAO_TIMEZONE=Asia/Urumqi\n")
    monkeypatch.setenv("WECOM_CORP_ID", "from-env")
    monkeypatch.delenv("TOUGAO_TIMEZONE", raising=False)
    settings = Settings.load({"WECOM_TOKEN": "t"}, env_file=env_file)
    assert settings.TOUGAO_CALLBACK_MAX_AGE == 60 and settings.WECOM_CORP_ID == "from-env"
    assert settings.tz == ZoneInfo("Asia/Urumqi") and settings.WECOM_TOKEN == "t"


def test_defaults_follow_the_contract(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "TOUGAO_TIMEZONE", "WECOM_API_BASE", "TOUGAO_CALLBACK_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TOUGAO_HOME", str(tmp_path))
    settings = Settings.load(env_file=None)
    url = settings.DATABASE_URL  # sqlite:///instance/tougao.db, in TOUGAO_HOME
    assert url == f"sqlite:///{tmp_path}/instance/tougao.db"
    assert settings.TOUGAO_TIMEZONE == "Asia/Shanghai" and settings.TOUGAO_CALLBACK_MAX_AGE == 300
    assert settings.WECOM_API_BASE == "https://qyapi.weixin.qq.com/cgi-bin/"
    assert not settings.wecom_configured


@pytest.mark.parametrize(
    ("name", "value"), [("TOUGAO_CALLBACK_MAX_AGE", "five"), ("TOUGAO_TIMEZONE", "Mars/Base")]
)
def test_bad_values_fail_at_start(name, value):
    with pytest.raises((ValueError, KeyError)):
        Settings.load({name: value}, env_file=None)


def test_console_repl_handles_a_multiline_form_and_quits(org):
    lines = iter(
        [
            "上稿",
            "标题：希望社区举办邻里节",
            "链接：https://www.news.cn/x/1.htm",
            "",
            "排名",
            "退出",
            "never read",
        ]
    )
    out: list[str] = []
    repl(org, ZoneInfo("Asia/Shanghai"), "xiwang", read=lambda _prompt: next(lines), write=out.append)
    assert any("已登记上稿" in o and "新华网" in o for o in out)
    assert any("1. 希望社区 1篇" in o for o in out)
    assert next(lines) == "never read"
    with org.sessions() as s:
        assert s.scalar(select(func.count(Article.id))) == 1


def test_env_example_documents_every_setting():
    from dataclasses import fields
    from pathlib import Path

    from bot.settings import Settings

    example = (Path(__file__).resolve().parent.parent / ".env.example").read_text()
    listed = {line.split("=", 1)[0].lstrip("# ") for line in example.splitlines() if "=" in line}
    assert {f.name for f in fields(Settings)} <= listed
