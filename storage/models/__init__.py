"""Typed SQLAlchemy 2.0 models (PRODUCT.md §3), one module per concern, all importable from here."""

from storage.models.base import Base, UTCDateTime, utcnow
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
from storage.models.org import ROLES, Exemption, Member, OrgSetting, Outlet, Quota, Unit, UnitLink
from storage.models.records import (
    Activity,
    ActivityPhoto,
    AdminAction,
    Article,
    BulletinLog,
    OfficialFigure,
    RecordNumber,
)

__all__ = [
    "ROLES",
    "Activity",
    "ActivityPhoto",
    "AdminAction",
    "ApiToken",
    "AppSecret",
    "Article",
    "Base",
    "BulletinLog",
    "CallbackNonce",
    "Exemption",
    "InboundMessage",
    "Member",
    "OfficialFigure",
    "OrgSetting",
    "Outbox",
    "Outlet",
    "Quota",
    "RecordNumber",
    "ReminderLog",
    "StoredFile",
    "Task",
    "UTCDateTime",
    "Unit",
    "UnitLink",
    "utcnow",
]
