"""Tolerant parsing: a response value that breaks a length, pattern or range limit is kept, with a warning.

Limits such as a description's pattern are rules for what the service accepts at creation; older data may break
them, and one such value must not cost a whole page. The fast path validates with every limit (pydantic-core, as
fast as it gets); only when the only problems are broken limits does the body get read again by a twin of the
model without limits, whose values are then handed to the real model classes unvalidated (`model_construct`),
and one `OutOfSpecValueWarning` per model field says what was kept. Wrong JSON types and missing required fields
still fail. Strict parsing never comes here: there a broken limit is an error naming its JSON path.
"""

from __future__ import annotations

import functools
import threading
import types
import typing
import warnings
from typing import Any, TypeVar

import annotated_types
import pydantic
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from ._caller import caller_stacklevel
from ._exceptions import json_path
from ._model_base import EnumLength, OmsModel

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

LIMIT_ERRORS = frozenset(
    {
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "multiple_of",
        "too_short",
        "too_long",
    }
)
"""pydantic error types of a broken limit (as opposed to a wrong type or a missing field)."""

_LIMIT_METADATA = (
    annotated_types.Ge,
    annotated_types.Gt,
    annotated_types.Le,
    annotated_types.Lt,
    annotated_types.MultipleOf,
    annotated_types.MinLen,
    annotated_types.MaxLen,
    EnumLength,
)


class OutOfSpecValueWarning(UserWarning):
    """Issued (once per model field) when a response value breaks a limit of the spec and is kept as sent."""


_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()
_originals: dict[type[pydantic.BaseModel], type[pydantic.BaseModel]] = {}


def validate_json_tolerantly(model: type[ModelT], content: bytes | str) -> ModelT:
    """`model.model_validate_json(content)`, keeping values that break only a limit (see the module docstring)."""
    try:
        return model.model_validate_json(content)
    except pydantic.ValidationError as error:
        problems = error.errors(include_url=False)
        if not problems or any(problem["type"] not in LIMIT_ERRORS for problem in problems):
            raise
        try:
            loose = lenient_twin(model).model_validate_json(content)
        except pydantic.ValidationError:
            raise error from None
        _warn_kept(model, problems)
        return _adopt(model, loose)


@functools.cache
def lenient_twin(model: type[pydantic.BaseModel]) -> type[pydantic.BaseModel]:
    """A model like `model` (same fields, aliases, config, nested models twinned) that enforces no limit."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": model.__module__, "model_config": dict(model.model_config)}
    for name, field in model.model_fields.items():
        kept = [meta for meta in field.metadata if not _is_limit(meta)]
        annotation = _without_limits(field.annotation)
        annotations[name] = typing.Annotated[annotation, *kept] if kept else annotation
        namespace[name] = _field_without_limits(field)
    namespace["__annotations__"] = annotations
    base = OmsModel if issubclass(model, OmsModel) else pydantic.BaseModel
    twin: type[pydantic.BaseModel] = type(model.__name__, (base,), namespace)
    _originals[twin] = model
    return twin


def _field_without_limits(field: FieldInfo) -> Any:
    if field.is_required():
        return pydantic.Field(alias=field.alias, description=field.description)
    if field.default_factory is not None:
        return pydantic.Field(default_factory=field.default_factory, alias=field.alias, description=field.description)
    return pydantic.Field(default=field.default, alias=field.alias, description=field.description)


def _is_limit(meta: object) -> bool:
    return isinstance(meta, _LIMIT_METADATA) or isinstance(getattr(meta, "pattern", None), str)


def _without_limits(annotation: Any) -> Any:
    """`annotation` with limits stripped from every `Annotated` in it and every model replaced by its twin."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        inner = _without_limits(arguments[0])
        kept = [meta for meta in arguments[1:] if not _is_limit(meta)]
        return typing.Annotated[inner, *kept] if kept else inner
    if origin is typing.Union or origin is types.UnionType:
        return typing.Union[tuple(_without_limits(argument) for argument in arguments)]  # noqa: UP007
    if origin in (list, tuple, set, frozenset, dict) and arguments:
        return origin[tuple(_without_limits(argument) for argument in arguments)]
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return lenient_twin(annotation)
    return annotation


def _adopt(model: type[ModelT], loose: pydantic.BaseModel) -> ModelT:
    """An instance of `model` holding the twin's (already validated) values, nested twins adopted too."""
    values = {name: _adopt_value(value) for name, value in loose.__dict__.items()}
    extra = loose.model_extra or {}
    return model.model_construct(_fields_set=set(loose.model_fields_set), **values, **extra)


def _adopt_value(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel) and type(value) in _originals:
        return _adopt(_originals[type(value)], value)
    if isinstance(value, list):
        return [_adopt_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _adopt_value(item) for key, item in value.items()}
    return value


def _warn_kept(model: type[pydantic.BaseModel], problems: list[ErrorDetails]) -> None:
    for problem in problems:
        owner, field = _owning_field(model, problem["loc"])
        key = (owner, field)
        with _warned_lock:
            if key in _warned:
                continue
            _warned.add(key)
        path = json_path(problem["loc"])
        warnings.warn(
            f"{owner}.{field} breaks the spec at {path} ({problem['msg']}, got {_short(problem.get('input'))}); "
            "kept as sent (strict=True rejects it)",
            OutOfSpecValueWarning,
            stacklevel=caller_stacklevel(),
        )


def _owning_field(model: type[pydantic.BaseModel], location: tuple[int | str, ...]) -> tuple[str, str]:
    """The model class and field a pydantic error location ends in (list indexes and dict keys stepped over)."""
    current: Any = model
    owner, field = model.__name__, str(location[0]) if location else "?"
    for key in location:
        if isinstance(key, int) or not (isinstance(current, type) and issubclass(current, pydantic.BaseModel)):
            current = _model_in(current)
            continue
        name = next((n for n, f in current.model_fields.items() if key in (n, f.alias)), str(key))
        owner, field = current.__name__, name
        info = current.model_fields.get(name)
        current = info.annotation if info is not None else None
        current = _model_in(current)
    return owner, field


def _model_in(annotation: Any) -> Any:
    """The model class an annotation is (through Annotated, Optional, list), or the annotation itself."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if isinstance(found, type) and issubclass(found, pydantic.BaseModel):
            return found
    return annotation


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
