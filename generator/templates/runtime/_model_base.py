"""The base of every generated model: unknown fields kept, open enums, and a finder of deviations from the spec.

Responses are parsed tolerantly: a field the spec does not know is kept in `model_extra`, and an enum value the
spec does not list becomes a pseudo-member of its enum (equal to the raw string, `is_unknown` true) with one
`UnknownEnumValueWarning` per enum and value per process. `find_deviations` lists both kinds of deviation with
their JSON paths, for strict mode and for request validation. Known values are validated by pydantic-core
itself; Python code runs only for unknown values.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from ._caller import caller_stacklevel

__all__ = [
    "Closed",
    "Deviation",
    "EnumLength",
    "OmsModel",
    "OpenEnum",
    "UnknownEnumValueWarning",
    "find_deviations",
    "unknown_values_unwarned",
]


class UnknownEnumValueWarning(UserWarning):
    """Issued (once per enum and value) when data carries an enum value that the spec does not list."""


class OmsModel(BaseModel):
    """Base of every generated model: fields the spec does not know are kept in `model_extra`."""

    model_config = ConfigDict(extra="allow")


class OpenEnum(StrEnum):
    """A string enum that also accepts values the spec does not list, as pseudo-members marked unknown.

    Its values are accepted as plain strings even in a strict model (the parameters model is strict).
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        schema = handler(source)
        if schema["type"] == "enum":
            cast("core_schema.EnumSchema", schema)["strict"] = False
        return schema

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # What is published matches what is accepted: the declared values, or any other string.
        json_schema = handler(schema)
        target = handler.resolve_ref_schema(json_schema)
        values = target.pop("enum", None)
        if values is not None:
            target["anyOf"] = [{"enum": values}, {"type": "string", "description": OPEN_VALUE_DESCRIPTION}]
        return json_schema

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        return _unknown_member(cls, value)

    @property
    def is_unknown(self) -> bool:
        """True for a value the spec does not list (a pseudo-member), False for a declared member."""
        return type(self)._value2member_map_.get(self._value_) is not self


OPEN_VALUE_DESCRIPTION = "Any other value, which the spec does not list yet (kept as an unknown value)."

EnumT = TypeVar("EnumT", bound=OpenEnum)


class _ClosedEnum:
    """The marker of `Closed`: only declared members are valid, and the JSON schema lists exactly those."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_wrap_validator_function(_declared_member, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        inner = cast("core_schema.WrapValidatorFunctionSchema", schema)["schema"]
        if inner["type"] != "enum":
            return handler(schema)
        enum = cast("core_schema.EnumSchema", inner)
        return {"title": enum["cls"].__name__, "type": "string", "enum": [member.value for member in enum["members"]]}


def _declared_member(value: object, handler: core_schema.ValidatorFunctionWrapHandler) -> OpenEnum:
    with unknown_values_unwarned():  # rejected below, not kept: no "kept as an unknown value" warning
        member = handler(value)
    if not isinstance(member, OpenEnum) or member.is_unknown:
        allowed = ", ".join(declared.value for declared in type(member)) if isinstance(member, OpenEnum) else ""
        raise ValueError(f"must be one of {allowed}, got {value!r}")
    return member


Closed = Annotated[EnumT, _ClosedEnum()]
"""An enum that accepts only the values the spec lists, for validating input (a FastAPI query parameter, a form):
`state: Closed[SomeEnum]`. Models read responses with the open enum; this is the closed form."""


@dataclass(frozen=True, slots=True)
class EnumLength:
    """Length limits the spec puts on an enum-typed field, checked (by pydantic-core) before the enum lookup.

    Declared members are checked against the limits when the package is generated; at run time the limits
    matter for unknown values, which tolerant parsing keeps.
    """

    min_length: int | None = None
    max_length: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        length = core_schema.str_schema(min_length=self.min_length, max_length=self.max_length)
        return core_schema.chain_schema([length, handler(source)])

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The chain built above validates as a string, then as the enum: the JSON schema is the enum's, limited.
        enum_step = cast("core_schema.ChainSchema", schema)["steps"][-1]
        json_schema = dict(handler(enum_step))
        if self.min_length is not None:
            json_schema["minLength"] = self.min_length
        if self.max_length is not None:
            json_schema["maxLength"] = self.max_length
        return json_schema


_unknown_members: dict[tuple[type[OpenEnum], str], OpenEnum] = {}
_unknown_members_lock = threading.Lock()
_warned_unknown_values: set[tuple[type[OpenEnum], str]] = set()
# Off while strict parsing runs: strict mode reports an unknown value as an error, so a warning that it was
# "kept" would be false, and would use up the once-per-value warning a later tolerant parse should give.
_warn_about_unknown_values: ContextVar[bool] = ContextVar("warn_about_unknown_values", default=True)


@contextmanager
def unknown_values_unwarned() -> Iterator[None]:
    """Within this block (this thread or task only), unknown enum values are not warned about."""
    token = _warn_about_unknown_values.set(False)
    try:
        yield
    finally:
        _warn_about_unknown_values.reset(token)


def _unknown_member(enum: type[OpenEnum], value: str) -> OpenEnum:
    """The pseudo-member of `enum` for `value`, created on first sight and warned about once (outside strict mode)."""
    key = (enum, value)
    with _unknown_members_lock:
        member = _unknown_members.get(key)
        if member is None:
            member = str.__new__(enum, value)
            member._name_ = value
            member._value_ = value
            _unknown_members[key] = member
        if not _warn_about_unknown_values.get() or key in _warned_unknown_values:
            return member
        _warned_unknown_values.add(key)
    allowed = ", ".join(declared.value for declared in enum)
    warnings.warn(
        f"{enum.__name__} has no value {value!r} (the spec lists {allowed}); kept as an unknown value",
        UnknownEnumValueWarning,
        stacklevel=caller_stacklevel(),
    )
    return member


@dataclass(frozen=True, slots=True)
class Deviation:
    """Where (a JSON path such as `$.tasks[3].src_cloud_type`) and how data deviates from the spec."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def find_deviations(obj: BaseModel) -> list[Deviation]:
    """Every unknown field, unknown enum value and null the spec forbids anywhere in `obj`, in document order."""
    found: list[Deviation] = []
    _visit_model(obj, "$", found)
    return found


def _visit_model(model: BaseModel, path: str, found: list[Deviation]) -> None:
    fields = type(model).model_fields
    non_nullable: frozenset[str] = getattr(type(model), "omsgen_non_nullable", frozenset())
    for name, field in fields.items():
        if name not in model.__dict__:
            continue
        value = model.__dict__[name]
        if value is None and name in non_nullable and name in model.model_fields_set:
            found.append(Deviation(_child_path(path, field.alias or name), "null, where the spec does not allow null"))
            continue
        _visit_value(value, _child_path(path, field.alias or name), found)
    for key in model.model_extra or {}:
        # The content of an unknown field is not inspected: the field itself is the deviation.
        found.append(Deviation(_child_path(path, key), f"unknown field {key!r} (not in the spec)"))


def _visit_value(value: Any, path: str, found: list[Deviation]) -> None:
    if isinstance(value, OpenEnum):
        if value.is_unknown:
            allowed = ", ".join(member.value for member in type(value))
            message = f"unknown {type(value).__name__} value {value.value!r} (the spec lists {allowed})"
            found.append(Deviation(path, message))
    elif isinstance(value, BaseModel):
        _visit_model(value, path, found)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _visit_value(item, _child_path(path, str(key)), found)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for index, item in enumerate(value):
            _visit_value(item, f"{path}[{index}]", found)


def _child_path(path: str, key: str) -> str:
    if key.isidentifier():
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{escaped}']"
