"""Typed SQLAlchemy 2.0 models (PRODUCT.md §3), one module per concern, all importable from here."""

from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.conversation import AibotStream, PendingDraft
from storage.models.delivery import (
    ApiToken,
    AppSecret,
    CallbackNonce,
    InboundMessage,
    Outbox,
    ReminderLog,
    StoredFile,
    Task,
)
from storage.models.org import (
    ROLES,
    Exemption,
    Member,
    OrgSetting,
    Outlet,
    Quota,
    Unit,
    UnitLink,
    WechatAccount,
)
from storage.models.records import (
    Activity,
    AdminAction,
    Article,
    BulletinLog,
    MediaFile,
    OfficialFigure,
    Photo,
    RecordNumber,
)

__all__ = [
    "ROLES",
    "Activity",
    "AdminAction",
    "AibotStream",
    "ApiToken",
    "AppSecret",
    "Article",
    "Base",
    "BulletinLog",
    "CallbackNonce",
    "Exemption",
    "InboundMessage",
    "MediaFile",
    "Member",
    "OfficialFigure",
    "OrgSetting",
    "Outbox",
    "Outlet",
    "PendingDraft",
    "Photo",
    "Quota",
    "RecordNumber",
    "ReminderLog",
    "StoredFile",
    "Task",
    "UTCDateTime",
    "Unit",
    "UnitLink",
    "WechatAccount",
    "utcnow",
]
