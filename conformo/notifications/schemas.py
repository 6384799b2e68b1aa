"""API schemas of notifications: a user's delivery choices and the notices sent to them (or on the CB's behalf)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import RootModel

from conformo.notifications.emails import absolute


class NotificationPreferenceOut(Schema):
    kind: str
    label: str
    delivery: str = Field(description="immediate, digest or off.")
    mandatory: bool = Field(description="Always sent at once: cannot be delayed or switched off.")


class NotificationPreferencesOut(Schema):
    preferences: list[NotificationPreferenceOut]


class NotificationPreferencesIn(RootModel[dict[str, str]]):
    """`{kind: delivery}` for the kinds to change (`immediate`, `digest` or `off`); kinds left out stay."""


class NoticeOut(Schema):
    id: UUID = Field(alias="public_id")
    recipient: str
    kind: str
    subject: str
    lines: list[str]
    link: str = Field(description="Path of the page where the work is.")
    url: str = Field(description="The same page as a full address (BASE_URL + link), as the e-mail gives it.")
    action: str
    delivery: str
    status: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    sent_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_recipient(obj: Any) -> str:
        return str(obj.recipient.email)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return absolute(obj.link)
