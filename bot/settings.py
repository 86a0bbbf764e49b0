"""Settings: one object read from the environment and `.env` (names per PRODUCT.md §6)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from zoneinfo import ZoneInfo

from dotenv import dotenv_values

DEFAULT_WECOM_API_BASE = "https://qyapi.weixin.qq.com/cgi-bin/"
DEFAULT_WECHAT_API_BASE = "https://api.weixin.qq.com/cgi-bin/"


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
    def load(cls, overrides: dict | None = None, env_file: str | Path | None = ".env") -> Settings:
        """Read `.env` (unless `env_file` is None), then the environment (which wins), then overrides."""
        raw: dict[str, object] = {}
        if env_file is not None:
            raw.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        raw.update(os.environ)
        raw.update(overrides or {})
        values = {}
        for f in fields(cls):
            if f.name in raw and raw[f.name] not in ("", None):
                values[f.name] = _coerce(f.name, raw[f.name], type(f.default))
        settings = cls(**values)
        settings.tz  # noqa: B018 - fail fast on an unknown time zone
        return settings

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
