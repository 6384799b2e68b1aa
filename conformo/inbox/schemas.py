from datetime import date
from uuid import UUID

from ninja import Field, Schema

from conformo.inbox.choices import ItemKind


class InboxItemOut(Schema):
    kind: ItemKind = Field(description="What the work is: a stable code (docs/inbox.md lists them).")
    kind_label: str
    title: str
    role: str = Field(description="The role it comes from: a membership role, or lead_auditor.")
    role_label: str
    organization: str
    organization_id: UUID
    audit: str = Field(description="The audit it concerns (empty when none).")
    audit_id: UUID | None
    due: date | None
    overdue: bool
    url: str = Field(description="The page where the work is done.")
