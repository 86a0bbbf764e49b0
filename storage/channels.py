"""Where a push reaches someone: the outbound channels, stored in `member.channel` and `outbox.channel`.

These are not the inbound ids a callback writes into `Incoming.channel`: an inbound adapter says which of
these reaches the people who write to it (`Incoming.push_channel`), and members' channels are learned
from that, set in the org file or by `成员`.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    WECOM_APP = "wecom_app"  # the self-built WeCom app's messages
    WECHAT_OA = "wechat_oa"  # the WeChat Official Account: customer-service or template messages
    GROUP_ROBOT = "webhook"  # the WeCom group robot (a group, not a member)

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {Channel.WECOM_APP: "企业微信", Channel.WECHAT_OA: "公众号", Channel.GROUP_ROBOT: "群机器人"}
MEMBER_CHANNELS = (Channel.WECOM_APP, Channel.WECHAT_OA)  # a member is reached on one of these
_WORDS = {
    "企业微信": Channel.WECOM_APP,
    "企微": Channel.WECOM_APP,
    "公众号": Channel.WECHAT_OA,
    "微信公众号": Channel.WECHAT_OA,
    "微信": Channel.WECHAT_OA,
}


def member_channel(word: str) -> Channel | None:
    """A member's channel as the org file or `成员` names it: wecom_app / wechat_oa, 企业微信 / 公众号."""
    word = word.strip()
    return _WORDS.get(word) or next((c for c in MEMBER_CHANNELS if c.value == word.lower()), None)


def channel_words() -> str:
    """The names an admin may use, for error messages."""
    return "企业微信、公众号（或 " + "、".join(c.value for c in MEMBER_CHANNELS) + "）"
