"""The WeChat Official Account: customer-service messages (客服消息) while the 48-hour window since the
follower's last message is open, the configured template message (WECHAT_TEMPLATE_REMINDER) otherwise.
Files go as a download link: a follower can receive no file. One follower per call."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from senders.base import File, Message, PushError, Rejections, Text
from senders.links import FileLinks
from senders.tokens import store_errors
from senders.wechat_api import TOKEN_ERRORS, WeChatApi, WeChatError
from storage.channels import Channel

WINDOW_CLOSED = {45015, 45047}  # no message from them for 48 hours; too many messages since their last
TRANSIENT = {-1, 45009, *TOKEN_ERRORS}  # busy, rate limit; a token still refused after one refetch
FOLLOWER = {
    40003: "不是本公众号的用户（openid 无效）",
    43004: "未关注公众号",
    43019: "已被公众号拉黑",
}
NO_LINK = "未设置 TOUGAO_PUBLIC_URL，无法生成下载链接，公众号用户收不到文件"
MAX_FIELD = 180  # template fields are short


class WeChatOASender:
    channel = Channel.WECHAT_OA
    per_call = 1

    def __init__(self, api: WeChatApi, template_id: str, links: FileLinks, tz: ZoneInfo) -> None:
        self.api, self.template_id, self.links, self.tz = api, template_id, links, tz

    def send(self, recipients: list[str], message: Message) -> Rejections:
        rejected = {}
        for openid in recipients:
            reason = self._send_one(openid, message)
            if reason:
                rejected[openid] = reason
        return rejected

    def _send_one(self, openid: str, message: Message) -> str | None:
        link = None
        if isinstance(message, File):
            link = self.links.url(message.file_id, openid)
            if link is None and not message.image:
                return NO_LINK
        try:
            self._guarded(lambda: self._custom(openid, message, link))
            return None
        except WeChatError as exc:
            if exc.errcode not in WINDOW_CLOSED:
                return _follower_problem(exc)
            closed = exc
        if not self.template_id:
            return (
                f"超过48小时未互动，客服消息发不出（errcode {closed.errcode}），"
                "且未配置模板消息 WECHAT_TEMPLATE_REMINDER"
            )
        try:
            self._guarded(
                lambda: self.api.post("message/template/send", self._template(openid, message, link))
            )
            return None
        except WeChatError as exc:
            return "超过48小时未互动，模板消息也未送达：" + _follower_problem(exc)

    def _guarded(self, call) -> None:
        """WeChat's own refusals come back as WeChatError; a busy or unreachable API pauses the channel."""
        try:
            call()
        except WeChatError as exc:
            if exc.errcode is None or exc.errcode in TRANSIENT:
                raise PushError(f"WeChat {exc}", transient=exc.errcode is not None) from None
            raise
        except requests.RequestException as exc:
            raise PushError(f"WeChat unreachable: {type(exc).__name__}", transient=True) from None
        except store_errors() as exc:  # the shared token store (REDIS_URL)
            raise PushError(f"token store unreachable: {type(exc).__name__}", transient=True) from None

    def _custom(self, openid: str, message: Message, link: str | None) -> None:
        if isinstance(message, Text):
            body = {"msgtype": "text", "text": {"content": message.text}}
        elif message.image:
            media_id = self.api.upload("image", message.name, message.content)
            body = {"msgtype": "image", "image": {"media_id": media_id}}
        else:
            text = f"《{message.name}》已生成，点击下载（7天内有效，仅限本人）：\n{link}"
            body = {"msgtype": "text", "text": {"content": text}}
        self.api.post("message/custom/send", {"touser": openid, **body})

    def _template(self, openid: str, message: Message, link: str | None) -> dict:
        """The template's fields: first (the headline), keyword1 (what), keyword2 (when), remark."""
        if isinstance(message, Text):
            head, _, rest = message.text.partition("\n")
            what, remark = rest.replace("\n", " ") or head, "详情请在公众号里发送「我的」查看。"
        else:
            head, what, remark = (
                f"《{message.name}》已生成",
                message.name,
                "点击下载（7天内有效，仅限本人）。",
            )
        data = {
            "first": head[:MAX_FIELD],
            "keyword1": what[:MAX_FIELD],
            "keyword2": datetime.now(self.tz).strftime("%Y-%m-%d %H:%M"),
            "remark": remark,
        }
        body = {
            "touser": openid,
            "template_id": self.template_id,
            "data": {k: {"value": v} for k, v in data.items()},
        }
        return {**body, "url": link} if link else body

    def download(self, media_id: str) -> bytes:
        try:
            return self.api.media(media_id)
        except WeChatError as exc:
            raise PushError(f"WeChat media/get failed: {exc}", transient=exc.errcode in TRANSIENT) from None
        except (requests.RequestException, *store_errors()) as exc:
            raise PushError(f"WeChat media/get failed: {type(exc).__name__}", transient=True) from None


def _follower_problem(exc: WeChatError) -> str:
    return f"{FOLLOWER.get(exc.errcode, '公众号拒绝')}（errcode {exc.errcode}: {exc.errmsg}）"
