"""A JSON request body checked against the operation's `requestBody` schema (when the spec declares one).

A body sent with another media type than JSON is not read; an empty body is "absent" (refused only when the
spec marks the body required); a body that is not JSON, or breaks the schema, is refused naming where.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import orjson

from oms_mock.messages import describe, located
from oms_mock.raw_request import ParamError
from oms_mock.schema_validators import SchemaValidators
from oms_mock.spec import JSON_MEDIA_TYPE, ServedSpec
from oms_spec import Operation

#: The name a body's problems are reported under (`body.name must be ...`).
BODY = "body"
#: At most this many problems of one body are reported.
_MAX_REPORTED = 5


@dataclass(frozen=True)
class BodyCheck:
    """The operation's JSON body: whether it is required, and its validator."""

    required: bool
    validator: jsonschema_rs.Validator

    def check(self, content_type: bytes | None, body: bytes) -> None:
        """Pass for a valid (or absent optional, or non-JSON) body; ParamError naming each problem otherwise."""
        if not body:
            if self.required:
                raise ParamError(f"{BODY} is required (a JSON document)")
            return
        media = (content_type or JSON_MEDIA_TYPE.encode()).split(b";", 1)[0].strip().lower()
        if media != JSON_MEDIA_TYPE.encode() and not media.endswith(b"+json"):
            return
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ParamError(f"{BODY} must be a JSON document: {exc}") from None
        if self.validator.is_valid(document):
            return
        problems = [
            describe(located(BODY, error.instance_path), error)
            for _, error in zip(range(_MAX_REPORTED), self.validator.iter_errors(document), strict=False)
        ]
        raise ParamError("; ".join(problems))


def body_check(served: ServedSpec, validators: SchemaValidators, operation: Operation) -> BodyCheck | None:
    """The operation's body check, or None when it declares no JSON request body."""
    node = served.api.resolve(served.operation_node(operation).get("requestBody"))
    if not isinstance(node, Mapping):
        return None
    media = served.api.resolve((node.get("content") or {}).get(JSON_MEDIA_TYPE))
    schema: Any = media.get("schema") if isinstance(media, Mapping) else None
    if schema is None:
        return None
    where = f"{operation.where}.requestBody.content['{JSON_MEDIA_TYPE}'].schema"
    return BodyCheck(required=node.get("required") is True, validator=validators.validator(schema, where))
