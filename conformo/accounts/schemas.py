from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema


class MembershipOut(Schema):
    role: str
    tenant_type: str
    tenant_id: UUID
    tenant_name: str


class MeOut(Schema):
    email: str
    full_name: str
    memberships: list[MembershipOut]


class ApiTokenOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class ApiTokenCreatedOut(ApiTokenOut):
    token: str
