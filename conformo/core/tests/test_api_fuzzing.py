"""Every operation of the API, fuzzed from its own OpenAPI document (schemathesis): no answer is a server error,
and every answer — its status, its media type and its body — is the one the document describes.

Bounded and seeded: a few generated requests per operation (`EXAMPLES`), with valid input and with input the
document refuses, each with the token of one kind of caller drawn from the personas (or none), derandomized so
that a run repeats the last one. It reads the document the API serves, so operations added later are fuzzed
without changing this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Err, Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conformo.accounts.models import User
from conformo.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

#: Requests per operation: valid input, and input that the document refuses (which must be a documented 4xx).
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _token(user: User, scope: str = "read_write") -> str:
    return api_token_create(user=user, name=f"fuzz {scope}", scope=scope)[1]


@pytest.fixture
def _connection_kept_open() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; the test's transaction needs it open
    (as Django's test client does it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_connection_kept_open")
def test_every_api_operation_answers_as_documented_and_never_with_a_server_error(
    cb_admin: User,
    programme_manager: User,
    lead_auditor: User,
    client_admin: User,
    client_member: User,
    settings: Any,
) -> None:
    settings.REGISTRY_RATE_LIMIT = "0"
    callers: dict[str, str | None] = {
        "cb administrator": _token(cb_admin),
        "cb staff": _token(programme_manager),
        "auditor": _token(lead_auditor),
        "client administrator": _token(client_admin),
        "client member": _token(client_member),
        "read-only token": _token(cb_admin, "read"),
        "anonymous": None,
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    operations = [operation(result) for result in schema.get_all_operations()]
    failures = [
        failure
        for operation in operations
        for mode, examples in EXAMPLES.items()
        for failure in fuzz(operation, callers, mode, examples)
    ]
    assert len(operations) > 100
    assert not failures, f"{len(failures)} operations:\n" + "\n\n".join(failures)


def operation(result: Ok[APIOperation] | Err[InvalidSchema]) -> APIOperation:
    """The operation, or the document's error about it as the test's failure."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


def fuzz(operation: Any, callers: dict[str, str | None], mode: GenerationMode, examples: int) -> list[str]:
    """The first failure of `examples` requests to `operation` generated in `mode` (valid input, or input the
    document refuses), or none when all answer as documented."""
    found: list[str] = []
    inputs = [*operation.path_parameters, *operation.query, *operation.body]
    if mode is GenerationMode.NEGATIVE and not inputs:
        return found  # nothing to make invalid

    @settings(parent=FUZZING, max_examples=examples)
    @given(case=operation.as_strategy(generation_mode=mode), caller=st.sampled_from(sorted(callers)))
    def run(case: Any, caller: str) -> None:
        if found:
            return
        token = callers[caller]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:
            found.append(f"{operation.label} ({mode.value}) as {caller}: {response.status_code} {_describe(exc)}")

    try:
        run()
    except Unsatisfiable:
        if mode is not GenerationMode.NEGATIVE:
            raise  # a valid request can always be made; an operation may have no input to make invalid
    return found


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FailureGroup):
        return "; ".join(f"{failure.title}: {failure.message}"[:400] for failure in exc.exceptions)
    return str(exc)[:400]


FUZZING = settings(
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
