"""Build the services from settings: one sender per channel (the console stands in for all of them when
no credentials are set), the shared token store, download links. Jobs and callbacks are handed these."""

from __future__ import annotations

from bot.channel import nonce_memory
from bot.settings import Settings
from senders.base import Sender
from senders.console import ConsoleSender, UnconfiguredSender
from senders.links import FileLinks
from senders.services import Services
from senders.tokens import DatabaseTokenStore, RedisTokenStore, TokenStore
from senders.webhook import WebhookSender
from senders.wechat import WeChatOASender
from senders.wechat_api import WeChatApi
from senders.wecom import WeComApi, WeComAppSender
from storage.channels import Channel
from storage.db import Database
from storage.shared_state import generated_secret


def build_services(settings: Settings, db: Database) -> Services:
    links = FileLinks(settings.TOUGAO_PUBLIC_URL, lambda: settings.TOUGAO_SECRET_KEY or _generated(db))
    tokens: TokenStore = RedisTokenStore(settings.REDIS_URL) if settings.REDIS_URL else DatabaseTokenStore(db)
    wecom = None
    senders: dict[Channel, Sender] = {}
    if settings.wecom_app_configured:
        wecom = WeComApi(settings.WECOM_CORP_ID, settings.WECOM_SECRET, settings.WECOM_API_BASE, tokens)
        senders[Channel.WECOM_APP] = WeComAppSender(wecom, int(settings.WECOM_AGENT_ID), links)
    if settings.wechat_push_configured:
        api = WeChatApi(settings.WECHAT_APP_ID, settings.WECHAT_SECRET, settings.WECHAT_API_BASE, tokens)
        senders[Channel.WECHAT_OA] = WeChatOASender(
            api, settings.WECHAT_TEMPLATE_REMINDER, links, settings.tz
        )
    if not senders:  # nothing configured: the whole product runs locally, pushes are logged
        senders = {
            channel: ConsoleSender(channel, links) for channel in (Channel.WECOM_APP, Channel.WECHAT_OA)
        }
    missing = {
        Channel.WECOM_APP: "WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET",
        Channel.WECHAT_OA: "WECHAT_APP_ID、WECHAT_SECRET",
    }
    for channel, names in missing.items():
        senders.setdefault(channel, UnconfiguredSender(channel, names))
    if settings.WECOM_WEBHOOK_URL:
        senders[Channel.GROUP_ROBOT] = WebhookSender(settings.WECOM_WEBHOOK_URL)
    default = Channel.WECHAT_OA if settings.wechat_push_configured and not wecom else Channel.WECOM_APP
    return Services(
        db=db,
        tz=settings.tz,
        senders=senders,
        default_channel=default,
        links=links,
        nonce_memory=nonce_memory(settings.TOUGAO_CALLBACK_MAX_AGE),
        wecom=wecom,
    )


def _generated(db: Database) -> str:
    with db.sessions() as session, session.begin():
        return generated_secret(session, "file_links")
