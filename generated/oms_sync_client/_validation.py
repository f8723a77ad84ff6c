"""Arguments checked against the spec before any I/O: limits read from the operation's generated params model."""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import annotated_types
import pydantic
from pydantic_core import ErrorDetails

from ._endpoint import Endpoint
from ._model_base import OmsModel, OpenEnum, find_deviations
from .errors import ValidationError

_MAX_SHOWN = 60

JSON_CONTENT_TYPE = "application/json"

ParamsT = TypeVar("ParamsT", bound=OmsModel)


@dataclasses.dataclass(frozen=True, slots=True)
class FieldLimits:
    """The constraints the spec puts on one parameter (None where it states none)."""

    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enum: type[OpenEnum] | None = None

    @property
    def allowed_values(self) -> tuple[str, ...]:
        """The declared values of the parameter's enum (empty when it has none)."""
        return tuple(member.value for member in self.enum) if self.enum is not None else ()

    def describe(self) -> str:
        """The limits in words (`between 1 and 100`, `one of A, B`), for help texts; empty when there are none."""
        parts: list[str] = []
        if self.enum is not None:
            parts.append(f"one of {', '.join(self.allowed_values)}")
        if self.minimum is not None or self.maximum is not None:
            parts.append(_range(self.minimum, self.maximum))
        if (self.min_length or 0) > 0 or self.max_length is not None:
            parts.append(_length_range(self.min_length if self.min_length else None, self.max_length))
        if self.pattern is not None:
            parts.append(f"matching {self.pattern}")
        return ", ".join(parts)


def field_limits(model: type[OmsModel], name: str) -> FieldLimits:
    """The limits of a params-model field, read from its pydantic metadata and annotation."""
    return _field_limits(model, name)


def accepted_types(model: type[OmsModel], name: str) -> tuple[type, ...]:
    """The Python types a field accepts from a caller (an enum field also takes its values as strings)."""
    return _accepted_types(model, name)


@functools.cache
def _field_limits(model: type[OmsModel], name: str) -> FieldLimits:
    field = model.model_fields[name]
    limits = FieldLimits(enum=next((arg for arg in _annotation_members(field.annotation) if _is_open_enum(arg)), None))
    for constraint in field.metadata:
        if isinstance(constraint, annotated_types.Ge):
            limits = dataclasses.replace(limits, minimum=typing.cast(float, constraint.ge))
        elif isinstance(constraint, annotated_types.Le):
            limits = dataclasses.replace(limits, maximum=typing.cast(float, constraint.le))
        elif isinstance(constraint, annotated_types.MinLen):
            limits = dataclasses.replace(limits, min_length=constraint.min_length)
        elif isinstance(constraint, annotated_types.MaxLen):
            limits = dataclasses.replace(limits, max_length=constraint.max_length)
        elif isinstance(getattr(constraint, "pattern", None), str):
            limits = dataclasses.replace(limits, pattern=constraint.pattern)
    return limits


def _annotation_members(annotation: object) -> tuple[object, ...]:
    """The plain types an annotation admits (`Annotated` unwrapped, unions flattened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _annotation_members(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return tuple(member for arg in typing.get_args(annotation) for member in _annotation_members(arg))
    return (annotation,)


@functools.cache
def _accepted_types(model: type[OmsModel], name: str) -> tuple[type, ...]:
    accepted: list[type] = []
    for member in _annotation_members(model.model_fields[name].annotation):
        if _is_open_enum(member):
            accepted.extend([member, str])
        elif isinstance(member, type) and member is not type(None):
            accepted.append(member)
    return tuple(accepted)


def _type_error(model: type[OmsModel], name: str, public: str, value: object) -> ValidationError | None:
    """An error when `value` is not of a type the field accepts (no coercion: "5" is not an integer, nor is True)."""
    accepted = _accepted_types(model, name)
    if isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and float in accepted:
        return None  # an integer is a number
    limits = field_limits(model, name)
    if int in accepted:
        return ValidationError(public, f"must be an integer, got {_shown(value)}", limit=_bounds(limits))
    if float in accepted:
        return ValidationError(public, f"must be a number, got {_shown(value)}", limit=_bounds(limits))
    if bool in accepted:
        return ValidationError(public, f"must be True or False, got {_shown(value)}")
    if limits.enum is not None:
        return _enum_error(public, limits, value)
    return ValidationError(public, f"must be a string, got {type(value).__name__}")


def _is_open_enum(candidate: object) -> typing.TypeGuard[type[OpenEnum]]:
    return isinstance(candidate, type) and issubclass(candidate, OpenEnum)


def validate_params(
    model: type[ParamsT], values: Mapping[str, object], names: Mapping[str, str] | None = None
) -> ParamsT:
    """The params model for `values` (None means "not given"), or `ValidationError` naming the field and the limit.

    `names` renames fields in messages (e.g. the limit is `page_size` when iterating).
    """
    display = names or {}
    data: dict[str, object] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name not in model.model_fields:
            raise ValidationError(display.get(name, name), "is not an argument of this operation")
        type_error = _type_error(model, name, display.get(name, name), value)
        if type_error is not None:
            raise type_error
        if isinstance(value, str) and not _encodable(value):
            raise ValidationError(display.get(name, name), "must be valid Unicode text (it holds a lone surrogate)")
        limits = field_limits(model, name)
        if limits.enum is not None and isinstance(value, str) and not isinstance(value, limits.enum):
            member = limits.enum._value2member_map_.get(value)
            if member is None:
                raise _enum_error(display.get(name, name), limits, value)
            value = member
        data[name] = value
    try:
        params = model.model_validate(data)
    except pydantic.ValidationError as exc:
        # Not chained: pydantic's message would repeat the whole input.
        raise _translate(model, exc.errors(include_url=False)[0], display) from None
    if not params.model_extra and not any(_may_deviate(value) for value in params.__dict__.values()):
        return params  # nothing the (slower) search could report
    for deviation in find_deviations(params):
        name = deviation.path.removeprefix("$.")
        value = getattr(params, name, None)
        raise _enum_error(display.get(name, name), field_limits(model, name), value)
    return params


def _may_deviate(value: object) -> bool:
    """Whether a params value may hold a deviation `find_deviations` reports: an unknown open-enum value, or
    (to be safe) any value other than a plain scalar."""
    if isinstance(value, OpenEnum):
        return value.is_unknown
    return not isinstance(value, str | int | float | None)


def _field_name(model: type[OmsModel], location: tuple[int | str, ...]) -> str:
    key = str(location[0]) if location else ""
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return name
    return key


def _translate(model: type[OmsModel], error: ErrorDetails, display: Mapping[str, str]) -> ValidationError:
    name = _field_name(model, error["loc"])
    public = display.get(name, name)
    limits = field_limits(model, name) if name in model.model_fields else FieldLimits()
    value = error.get("input")
    shown = _shown(value)
    kind = error["type"]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return ValidationError(
            public, f"must be {_range(limits.minimum, limits.maximum)}, got {shown}", limit=_bounds(limits)
        )
    if kind in ("string_too_short", "string_too_long"):
        length = len(value) if isinstance(value, str) else "?"
        return ValidationError(
            public,
            f"must be {_length_range(limits.min_length, limits.max_length)}, got {length} characters",
            limit=(limits.min_length, limits.max_length),
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return ValidationError(public, f"must be an integer, got {shown}", limit=_bounds(limits))
    if kind == "string_type":
        return ValidationError(public, f"must be a string, got {type(value).__name__}")
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return ValidationError(public, f"must match the pattern {pattern}, got {shown}", limit=pattern)
    if kind == "missing":
        return ValidationError(public, "is required")
    if limits.enum is not None:
        return _enum_error(public, limits, value)
    return ValidationError(public, f"is invalid: {error['msg']}")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _enum_error(public: str, limits: FieldLimits, value: object) -> ValidationError:
    allowed = limits.allowed_values
    return ValidationError(public, f"must be one of {', '.join(allowed)}, got {_shown(value)}", limit=allowed)


def _shown(value: object) -> str:
    """The value as a message may show it: long values cut."""
    text = repr(value)
    if len(text) <= _MAX_SHOWN:
        return text
    size = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return f"{text[: _MAX_SHOWN - 3]}...{size}"


def _bounds(limits: FieldLimits) -> tuple[int | float | None, int | float | None]:
    return (limits.minimum, limits.maximum)


def _range(minimum: int | float | None, maximum: int | float | None) -> str:
    if minimum is not None and maximum is not None:
        return f"between {minimum} and {maximum}"
    if minimum is not None:
        return f"at least {minimum}"
    return f"at most {maximum}"


def _length_range(minimum: int | None, maximum: int | None) -> str:
    return f"{_range(minimum, maximum)} characters long"


def body_content(endpoint: Endpoint[Any, Any], body: object) -> bytes | None:
    """The JSON bytes of a call's request body, checked strictly against the operation's body model first.

    `body` is a model instance or a mapping of its fields; ValidationError names the field (`body.src_bucket`)
    and its limit. Fields left out are not sent (the service applies its own defaults).
    """
    model = endpoint.body_model
    if model is None:
        if body is not None:
            raise ValidationError("body", f"is not taken by {endpoint.method_name}()")
        return None
    if body is None:
        if endpoint.body_required:
            raise ValidationError("body", f"is required: a {model.__name__} or a mapping of its fields")
        return None
    if isinstance(body, model):
        instance = body
    elif isinstance(body, Mapping):
        try:
            instance = model.model_validate(dict(body), strict=True)
        except pydantic.ValidationError as exc:
            raise _body_error(model, exc.errors(include_url=False)[0]) from None
    else:
        raise ValidationError(
            "body", f"must be a {model.__name__} or a mapping of its fields, got {type(body).__name__}"
        )
    for deviation in find_deviations(instance):
        raise ValidationError("body" + deviation.path.removeprefix("$"), f"is refused: {deviation.message}")
    dumped = instance.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return json.dumps(dumped, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _body_error(model: type[OmsModel], error: ErrorDetails) -> ValidationError:
    """A body field's error in the words of the arguments' errors, under `body.<path>`."""
    location = error["loc"]
    if len(location) == 1:
        translated = _translate(model, error, {})
        return ValidationError(f"body.{translated.field}", translated.problem, limit=translated.limit)
    path = "body" + "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in location)
    return ValidationError(path, f"is invalid: {error['msg']}, got {_shown(error.get('input'))}")
