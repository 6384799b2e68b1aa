"""API authentication: personal tokens (`Authorization: Bearer …`) or the page session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from conformo.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """Session cookie auth for the browser (the same session as the pages)."""


api_auth = [TokenAuth(), ActiveSessionAuth()]
