"""Settings: one object read from the environment and `.env` (names per PRODUCT.md §6).

Everything relative is relative to one home, TOUGAO_HOME: `.env` is read from it, and a relative SQLite path
(the default `sqlite:///instance/tougao.db`), TOUGAO_ORG_FILE and TOUGAO_VERIFY_DIR are resolved against it,
so a command means the same database from whatever directory it is run."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from dotenv import dotenv_values

DEFAULT_WECOM_API_BASE = "https://qyapi.weixin.qq.com/cgi-bin/"
DEFAULT_WECHAT_API_BASE = "https://api.weixin.qq.com/cgi-bin/"
FROM_HOME = "<TOUGAO_HOME>/.env"  # Settings.load's default: the `.env` in the home


def source_checkout() -> Path | None:
    """The clone `tougao` runs from when it was installed from one with `pip install -e .` (as the README
    does), else None (an installed package lives in site-packages, no project beside it)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "examples").is_dir() else None


def find_home(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """TOUGAO_HOME when set; else the current directory when it holds `.env`; else the clone `tougao` was
    installed from; else the current directory."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    cwd = cwd or Path.cwd()
    return cwd if _holds_env(cwd) else source_checkout() or cwd


def _holds_env(folder: Path) -> bool:
    try:
        return (folder / ".env").is_file()
    except OSError:  # a folder this user may not look into (sudo -u tougao … from /root)
        return False


def in_home(url: str, home: Path) -> str:
    """A SQLite URL with a relative path made absolute under `home`; any other URL as it is."""
    if not url.startswith("sqlite"):
        return url
    from sqlalchemy.engine import make_url  # here, not at the top: `tougao --help` loads no SQLAlchemy
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:  # not a URL at all: the engine says so where it is used
        return url
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return url
    if Path(database).expanduser().is_absolute():
        return url
    return parsed.set(database=str(home / database)).render_as_string(hide_password=False)


def shown(url: str) -> str:
    """A database URL fit for a message or a log line: the password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL: shown without anything before an '@' (a password, perhaps)
        return url.rsplit("@", 1)[-1]


@dataclass(frozen=True)
class Settings:
    """Every setting the product reads; `.env.example` documents each line."""

    DATABASE_URL: str = "sqlite:///instance/tougao.db"
    TOUGAO_TIMEZONE: str = "Asia/Shanghai"
    TOUGAO_ORG_FILE: str = ""
    TOUGAO_CALLBACK_MAX_AGE: int = 300
    TOUGAO_SQLITE_BUSY_TIMEOUT: float = 3.0
    TOUGAO_LOG_LEVEL: str = "INFO"
    TOUGAO_PUBLIC_URL: str = ""
    TOUGAO_SECRET_KEY: str = ""
    TOUGAO_HOME: str = ""  # from the environment only (`.env` is found through it); load() fills it in
    TOUGAO_VERIFY_DIR: str = ""
    WECOM_CORP_ID: str = ""
    WECOM_AGENT_ID: str = ""
    WECOM_SECRET: str = ""
    WECOM_TOKEN: str = ""
    WECOM_AES_KEY: str = ""
    WECOM_API_BASE: str = DEFAULT_WECOM_API_BASE
    WECOM_WEBHOOK_URL: str = ""
    WECOM_AIBOT_TOKEN: str = ""
    WECOM_AIBOT_AES_KEY: str = ""
    WECOM_AIBOT_ID: str = ""
    WECOM_AIBOT_MEDIA_BASE: str = ""
    WECOM_AIBOT_REPLY_WAIT: float = 3.0
    WECHAT_APP_ID: str = ""
    WECHAT_SECRET: str = ""
    WECHAT_TOKEN: str = ""
    WECHAT_AES_KEY: str = ""
    WECHAT_API_BASE: str = DEFAULT_WECHAT_API_BASE
    WECHAT_TEMPLATE_REMINDER: str = ""
    REDIS_URL: str = ""

    @classmethod
    def load(cls, overrides: dict | None = None, env_file: str | Path | None = FROM_HOME) -> Settings:
        """Read `.env` (the home's, unless `env_file` names another or is None), then the environment
        (which wins), then overrides; relative paths are then resolved against the home."""
        overrides = overrides or {}
        home = find_home(str(overrides.get("TOUGAO_HOME") or os.environ.get("TOUGAO_HOME") or ""))
        raw: dict[str, object] = {}
        if env_file == FROM_HOME:
            env_file = home / ".env"
        if env_file is not None:
            raw.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        raw.update(os.environ)
        raw.update(overrides)
        raw["TOUGAO_HOME"] = str(home)
        values = {}
        for f in fields(cls):
            if f.name in raw and raw[f.name] not in ("", None):
                values[f.name] = _coerce(f.name, raw[f.name], type(f.default))
        settings = cls(**values)
        settings.tz  # noqa: B018 - fail fast on an unknown time zone
        return settings.resolved()

    def resolved(self) -> Settings:
        """The same settings with relative paths made absolute under the home."""
        home = self.home

        def path(value: str) -> str:
            return str(home / Path(value).expanduser()) if value else value

        return replace(
            self,
            DATABASE_URL=in_home(self.DATABASE_URL, home),
            TOUGAO_ORG_FILE=path(self.TOUGAO_ORG_FILE),
            TOUGAO_VERIFY_DIR=path(self.TOUGAO_VERIFY_DIR),
        )

    @property
    def home(self) -> Path:
        return Path(self.TOUGAO_HOME) if self.TOUGAO_HOME else find_home()

    @property
    def verify_dir(self) -> Path | None:
        """The folder WeCom's and WeChat's domain-ownership files are served from, if configured."""
        return Path(self.TOUGAO_VERIFY_DIR) if self.TOUGAO_VERIFY_DIR else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.TOUGAO_TIMEZONE)

    @property
    def wecom_app_configured(self) -> bool:
        """True when the app can call the WeCom API (push, download, dashboard sign-in)."""
        return bool(self.WECOM_CORP_ID and self.WECOM_SECRET and self.WECOM_AGENT_ID)

    @property
    def wechat_push_configured(self) -> bool:
        """True when the Official Account's API can be called (customer-service and template messages)."""
        return bool(self.WECHAT_APP_ID and self.WECHAT_SECRET)

    def secret_values(self) -> tuple[str, ...]:
        """Every configured credential, for masking wherever one turns up in a log or an error."""
        return (
            self.WECOM_SECRET,
            self.WECOM_TOKEN,
            self.WECOM_AES_KEY,
            self.WECOM_AIBOT_TOKEN,
            self.WECOM_AIBOT_AES_KEY,
            self.WECHAT_SECRET,
            self.WECHAT_TOKEN,
            self.WECHAT_AES_KEY,
            self.TOUGAO_SECRET_KEY,
        )

    def push_settings_problem(self) -> str | None:
        """Why pushes cannot reach WeCom although its callback is configured, or None. The console
        sender is for installs without credentials only: with a callback set up it would swallow pushes
        (the robot's slow answers, exports above all, also go out through the app)."""
        if self.wecom_configured:
            callback = "企业微信回调（WECOM_CORP_ID、WECOM_TOKEN、WECOM_AES_KEY）"
        elif self.aibot_configured:
            callback = "智能机器人（WECOM_AIBOT_TOKEN、WECOM_AIBOT_AES_KEY）"
        else:
            return None
        needed = ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID")
        missing = [name for name in needed if not getattr(self, name)]
        if missing:
            return (
                f"已配置{callback}，但推送所需的 {'、'.join(missing)} "
                "为空：提醒、通报和导出文件将无法发出。请在 .env 中填写（见 .env.example）后再启动。"
            )
        if not self.WECOM_AGENT_ID.strip().isdigit():
            return f"WECOM_AGENT_ID 应为应用的 AgentId（数字），现在是「{self.WECOM_AGENT_ID}」。"
        return None

    @property
    def aibot_configured(self) -> bool:
        """True when the intelligent robot's callback can verify and decrypt (its token and AES key set)."""
        return bool(self.WECOM_AIBOT_TOKEN and self.WECOM_AIBOT_AES_KEY)

    @property
    def wecom_configured(self) -> bool:
        """True when the callback can verify and decrypt (token, AES key and corp id set)."""
        return bool(self.WECOM_CORP_ID and self.WECOM_TOKEN and self.WECOM_AES_KEY)


def _coerce(name: str, value: object, kind: type) -> object:
    if isinstance(value, kind):
        return value
    try:
        return kind(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"setting {name}={value!r} is not a valid {kind.__name__}") from exc
