"""API schemas of the certification agreement (ISO/IEC 17021-1 5.1.2, 8.3, 9.6.5): the CB's versions, the
client's acceptance, the CB's record of a signed copy, the stage-1 exception."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class AgreementTemplateIn(Schema):
    certification_body_id: UUID
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=100_000, description="The CB's agreement text (plain text).")
    mark_rules: str = Field(
        min_length=1, max_length=20_000, description="Rules for the use of marks and references to certification."
    )
    suspension_duties: str = Field(
        min_length=1,
        max_length=20_000,
        description="What the client must do on suspension or withdrawal (told again in those notices).",
    )


class AgreementTemplateEditIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=100_000)
    mark_rules: str = Field(min_length=1, max_length=20_000)
    suspension_duties: str = Field(min_length=1, max_length=20_000)


class AgreementTemplateOut(Schema):
    id: UUID = Field(alias="public_id")
    certification_body_id: UUID
    version: int
    title: str
    body: str
    mark_rules: str
    suspension_duties: str
    status: str = Field(description="draft or published (a published version never changes).")
    published_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_certification_body_id(obj: Any) -> UUID:
        return obj.certification_body.public_id


class AgreementAcceptIn(Schema):
    version: int = Field(ge=1, le=1_000_000, description="The version the client read: the CB's current version.")
    on_behalf: bool = Field(description="Accepted on behalf of the organization (must be true).")


class AgreementStage1In(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="Why the agreement is signed at stage 1.")


class AgreementAcceptanceOut(Schema):
    id: UUID = Field(alias="public_id")
    version: int
    title: str
    method: str = Field(description="in_app (accepted by the client) or signed_paper (a copy recorded by the CB).")
    accepted_by: str | None = Field(description="The client's administrator who accepted in the app.")
    recorded_by: str | None = Field(description="The CB's person who recorded the signed copy.")
    accepted_at: datetime
    signed_on: date | None
    signed_copy: str | None = Field(description="The signed copy's file name (GET …/agreement/{id}/file).")
    ip_address: str | None

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.template.version)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.template.title)

    @staticmethod
    def resolve_accepted_by(obj: Any) -> str | None:
        return obj.accepted_by.email if obj.accepted_by else None

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str | None:
        return obj.recorded_by.email if obj.recorded_by else None

    @staticmethod
    def resolve_signed_copy(obj: Any) -> str | None:
        return obj.signed_copy_name or None


class AgreementStage1Out(Schema):
    reason: str
    recorded_by: str | None
    recorded_at: datetime | None


class ApplicationAgreementOut(Schema):
    current: AgreementTemplateOut | None = Field(description="The CB's current (latest published) agreement.")
    accepted: AgreementAcceptanceOut | None = Field(description="The latest acceptance for this application.")
    acceptances: list[AgreementAcceptanceOut]
    stage1_exception: AgreementStage1Out | None = Field(
        description="The CB's recorded reason to sign the agreement at stage 1, if any."
    )
    stage1_blocked: str | None = Field(description="Why stage 1 cannot start for want of an agreement (null: it can).")
