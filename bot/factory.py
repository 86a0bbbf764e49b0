"""The Flask app factory: settings, database, channels and the error hook (`from bot import create_app`)."""

from __future__ import annotations

import logging

from flask import Flask, Response
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.app import TougaoApp
from bot.settings import Settings
from senders.redact import remember_secrets
from storage.db import Database

log = logging.getLogger(__name__)


def create_app(
    test_config: dict | None = None,
    *,
    database: Database | None = None,
    demo: bool = False,
    settings: Settings | None = None,
) -> TougaoApp:
    """Build the app from the environment / `.env`, with `test_config` overriding any setting (or from
    ready `settings`). `demo` adds the /demo chat page and the dashboard's sign-in by picking a member
    (only `tougao demo`)."""
    from bot.callback_crypto import CallbackCrypto
    from bot.services import build_services

    app = TougaoApp("bot", instance_relative_config=True)
    if settings is None:
        settings = Settings.load(test_config) if test_config is None else Settings.load(test_config, None)
    remember_secrets(*settings.secret_values())
    app.settings, app.demo = settings, demo
    db = database or Database.from_url(settings.DATABASE_URL, settings.TOUGAO_SQLITE_BUSY_TIMEOUT)
    app.services = build_services(settings, db)
    if settings.wecom_configured:
        app.wecom_crypto = CallbackCrypto(
            settings.WECOM_TOKEN, settings.WECOM_AES_KEY, settings.WECOM_CORP_ID
        )
    if settings.WECHAT_APP_ID and settings.WECHAT_AES_KEY:
        app.wechat_crypto = CallbackCrypto(
            settings.WECHAT_TOKEN, settings.WECHAT_AES_KEY, settings.WECHAT_APP_ID, enterprise=False
        )

    from bot import admin, aibot, files, health, site_root, wechat, wecom

    aibot.configure(app, settings)
    from bot.admin.auth import configure as configure_dashboard

    app.register_blueprint(health.bp)
    app.register_blueprint(site_root.bp)
    app.register_blueprint(wecom.bp)
    app.register_blueprint(wechat.bp)
    app.register_blueprint(aibot.bp)
    app.register_blueprint(files.bp)
    app.register_blueprint(admin.bp)
    configure_dashboard(app)
    if demo:
        from bot import demo_page

        app.register_blueprint(demo_page.bp)

    _error_hooks(app)
    return app


def _error_hooks(app: Flask) -> None:
    """Database errors: bad input is a 400, an unreachable or locked database a 503 (WeCom retries)."""

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(exc: Exception) -> Response:
        # A value too long or too large for the database is bad input, not an outage: no 503 (a retry
        # would fail the same way), no 500. Views validate first; this is the net under them.
        log.warning("request refused: a value is out of the database's range (%s)", type(exc).__name__)
        return Response(
            "输入的内容过长或数字过大，没有保存。请改短或改小后再试。", status=400, mimetype="text/plain"
        )

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(exc: Exception) -> Response:
        # Nothing was acknowledged, so WeCom retries and the retry finds the data intact.
        log.error("database unavailable: %s", type(exc).__name__)
        return Response("database unavailable, retry later", status=503, mimetype="text/plain")
