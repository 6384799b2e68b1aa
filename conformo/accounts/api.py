from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from conformo.accounts.auth import require_session
from conformo.accounts.models import ApiToken
from conformo.accounts.schemas import ApiTokenCreatedOut, ApiTokenIn, ApiTokenOut, MeOut
from conformo.accounts.services import api_token_create, api_token_revoke
from conformo.core.errors import NotFound
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user and their roles."""
    user: Any = request.user
    memberships = user.memberships.select_related("certification_body", "organization")
    return {
        "email": user.email,
        "full_name": user.full_name,
        "memberships": [
            {
                "role": m.role,
                "tenant_type": "certification_body" if m.certification_body_id else "organization",
                "tenant_id": m.tenant.public_id,
                "tenant_name": str(m.tenant),
            }
            for m in memberships
        ],
    }


@router.get("/tokens", response=list[ApiTokenOut])
@paginate(PageNumberPagination)
def token_list(request: HttpRequest, **kwargs: Any) -> QuerySet[ApiToken]:
    """Your personal API tokens (values are never shown again)."""
    return ApiToken.objects.visible_to(request.user)


@router.post("/tokens", response={201: ApiTokenCreatedOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def token_create(request: HttpRequest, payload: ApiTokenIn) -> Status[dict[str, Any]]:
    """Create a token (signed-in session only: a token cannot create tokens). It works `API_TOKEN_TTL_DAYS` days;
    `scope` `read` allows only reading. The `token` value is in this response only; store it now."""
    require_session(request, action="create API tokens")
    user: Any = request.user  # a signed-in session (require_session above refuses anything else)
    token, raw = api_token_create(user=user, name=payload.name, scope=payload.scope)
    data = ApiTokenOut.from_orm(token).model_dump()
    data["public_id"] = data.pop("id")
    return Status(201, {**data, "token": raw})


@router.post(
    "/tokens/{token_id}/revoke", response={200: ApiTokenOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def token_revoke(request: HttpRequest, token_id: UUID) -> ApiToken:
    """Revoke one of your tokens (signed-in session only); it stops working at once."""
    require_session(request, action="revoke API tokens")
    token = ApiToken.objects.visible_to(request.user).filter(public_id=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    return api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
