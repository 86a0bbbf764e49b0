"""The outbox as writers fill it and admins manage it. Every push is a row, written first and delivered
by the scheduler: addressed to members on their own channel, split into rows of as many recipients as
the channel takes in one call. Failed rows can be put back in the queue once the cause is fixed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.channels import Channel
from storage.models import Member, Outbox, StoredFile, utcnow
from storage.reminders import claim


@dataclass(frozen=True)
class Address:
    """Someone on a channel: a member's userid (WeCom) or openid (Official Account), or a group."""

    channel: Channel
    to: str


@dataclass(frozen=True)
class Routing:
    """How pushes are addressed (built from the configured senders): the channel of members whose
    channel is not known yet, and how many recipients one call of each channel takes."""

    default: Channel
    per_call: Mapping[Channel, int]

    def address(self, member: Member) -> Address:
        return Address(Channel(member.channel) if member.channel else self.default, member.userid)

    def addresses(self, members: Iterable[Member]) -> tuple[Address, ...]:
        return tuple(self.address(m) for m in members)


@dataclass(frozen=True)
class Push:
    """One text, image or document to a set of addresses."""

    kind: str  # the ReminderLog kind, or task / alert / export …
    to: tuple[Address, ...]
    text: str  # the message; an image's caption; a document's file name
    mentions: tuple[str, ...] = ()
    image: bytes | None = None  # a chart
    document: bytes | None = None  # a file (the bulletin's .docx), sent as the export workbook is


def enqueue(session: Session, occasion: str, pushes: list[Push], routing: Routing) -> list[Outbox]:
    """Outbox rows for each recipient not yet claimed for (kind, occasion): each gets a reminder at most
    once. Pushes of the same kind and text share rows."""
    rows = []
    for push in _merge(pushes):
        fresh = [a for a in push.to if claim(session, push.kind, occasion, a.to)]
        payload = {
            "text": push.text,
            "mentions": list(push.mentions),
            "kind": push.kind,
            "occasion": occasion,
        }
        msg_type = "text"
        if push.image is not None and fresh:
            payload["file_id"], msg_type = store_file(session, f"{push.text}.png", push.image), "image"
        elif push.document is not None and fresh:
            payload["file_id"], msg_type = store_file(session, push.text, push.document), "file"
        rows += queue_to(session, routing, fresh, payload, msg_type)
    return rows


def queue(
    session: Session, routing: Routing, members: Iterable[Member], payload: dict, msg_type: str = "text"
) -> list[Outbox]:
    """One push to members, each on their own channel (results of tasks, alerts)."""
    return queue_to(session, routing, routing.addresses(members), payload, msg_type)


def queue_to(
    session: Session, routing: Routing, to: Iterable[Address], payload: dict, msg_type: str = "text"
) -> list[Outbox]:
    by_channel: dict[Channel, list[str]] = {}
    for address in to:
        people = by_channel.setdefault(address.channel, [])
        if address.to not in people:
            people.append(address.to)
    rows = []
    for channel, people in by_channel.items():
        step = routing.per_call.get(channel, 1)
        rows += [
            Outbox(channel=channel, recipients=people[i : i + step], msg_type=msg_type, payload=payload)
            for i in range(0, len(people), step)
        ]
    session.add_all(rows)
    session.flush()
    return rows


def store_file(session: Session, name: str, content: bytes) -> int:
    """Keep a file a push carries (a workbook, a chart) where every process can read it; its id."""
    stored = StoredFile(name=name, content=content)
    session.add(stored)
    session.flush()
    return stored.id


def _merge(pushes: list[Push]) -> list[Push]:
    """Pushes of the same kind and text become one, addresses in order and without repeats."""
    merged: dict[tuple[str, str], Push] = {}
    for p in pushes:
        old = merged.get((p.kind, p.text))
        if old is None:
            merged[(p.kind, p.text)] = p
            continue
        extra = tuple(a for a in p.to if a not in old.to)
        merged[(p.kind, p.text)] = replace(old, to=old.to + extra, mentions=old.mentions + p.mentions)
    return list(merged.values())


def requeue(session: Session, ids: list[int] | None) -> list[int]:
    """Send these failed rows again (all failed rows when `ids` is None), with a fresh count of attempts,
    due at once. Rows that are not failed are left alone. Returns the ids put back in the queue."""
    query = select(Outbox).where(Outbox.status == "failed")
    if ids is not None:
        query = query.where(Outbox.id.in_(ids))
    rows = list(session.scalars(query.order_by(Outbox.id)))
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = "pending", 0, utcnow()
        row.lease_until = row.lease_owner = None
        row.rejected = {}
    return [row.id for row in rows]
