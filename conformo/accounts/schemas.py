from __future__ import annotations

from datetime import datetime
from typing import Literal
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
    expires_at: datetime
    scope: str = Field(description="`read` (GET only) or `read_write`.")
    status: str = Field(description="`active`, `expired` or `revoked`.")


class ApiTokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    scope: Literal["read", "read_write"] = Field(
        "read_write", description="`read`: the token may only read (GET); `read_write`: whatever your roles allow."
    )


class ApiTokenCreatedOut(ApiTokenOut):
    token: str
