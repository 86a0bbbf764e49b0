"""The Flask app with its typed parts: settings, services, the callbacks' crypto. Views reach them through
these functions, never by a string key."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import Flask, current_app

from bot.callback_crypto import CallbackCrypto
from bot.settings import Settings
from senders.services import Services

if TYPE_CHECKING:
    from bot.aibot import Robot


class TougaoApp(Flask):
    settings: Settings
    services: Services
    demo: bool = False  # `tougao demo`: the /demo page and sign-in by picking a member
    wecom_crypto: CallbackCrypto | None = None
    wechat_crypto: CallbackCrypto | None = None
    aibot: Robot | None = None  # WeCom's intelligent robot, when configured


def this_app() -> TougaoApp:
    return cast(TougaoApp, current_app)


def services() -> Services:
    return this_app().services


def settings() -> Settings:
    return this_app().settings
