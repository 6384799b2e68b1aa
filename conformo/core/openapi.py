"""The answers every operation of the API can give, added to the OpenAPI document in one place.

The operations describe their own success and the refusals of their services; the framework's and the
middleware's refusals apply to all of them alike and are added here, where an operation does not describe
them itself:

* 400 — an unreadable body (not JSON, nested too deep, multipart without a boundary) or a control character
  in the address (`core/cleaning.py`);
* 404 — the object a path parameter names does not exist or is not visible (operations with path parameters);
* 413 — a body larger than the server accepts (operations with a body);
* 422 — a parameter or a field of the body is not valid (operations with parameters or a body).
"""

from __future__ import annotations

from typing import Any

from conformo.core.schemas import ErrorOut

ERROR_REF = "#/components/schemas/ErrorOut"

COMMON_ERRORS = {
    400: "The request cannot be read: a body that is not JSON or nests too deep (`invalid_json`, `too_deep`), a "
    "multipart body without a boundary (`invalid_multipart`), or a control character in the address "
    "(`control_character`).",
    404: "Not found, or not visible to the caller (`not_found`).",
    413: "The body is larger than the server accepts (`request_too_large`).",
    422: "A parameter or a field of the body is not valid (`validation_error`, `control_character`, or the "
    "service's own code); `fields` names each.",
}


def _applies(status: int, operation: dict[str, Any]) -> bool:
    parameters = operation.get("parameters") or []
    has_body = "requestBody" in operation
    if status == 404:
        return any(parameter.get("in") == "path" for parameter in parameters)
    if status == 413:
        return has_body
    if status == 422:
        return has_body or bool(parameters)
    return True


def document_api[S: dict[str, Any]](schema: S) -> S:
    """Add the common answers (`ErrorOut`) to every operation that does not describe them itself."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    content = {"application/json": {"schema": {"$ref": ERROR_REF}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, description in COMMON_ERRORS.items():
                if _applies(status, operation) and status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": content}
    return schema


def file_response(description: str, *media_types: str) -> dict[str, Any]:
    """`openapi_extra` of an operation whose success is a file (PDF, JWS, CSV, XLSX, ZIP, iCalendar), not JSON:
    its 200 answer in each media type the operation gives."""
    textual = ("text/", "application/jose", "application/jwt")  # the rest is binary ("*/*": any file)
    content = {
        media: {"schema": {"type": "string"} if media.startswith(textual) else {"type": "string", "format": "binary"}}
        for media in media_types
    }
    return {"responses": {200: {"description": description, "content": content}}}
