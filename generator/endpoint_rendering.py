"""Render the endpoint module (`api/<tag>/<operation>.py`) with openapi-python-client, in-process, from our template.

openapi-python-client parses the spec into its endpoint description (method, path, parameters by location,
responses by status code); our `generator/templates/client/endpoint_module.py.jinja` turns that into a module
that uses the pydantic models of `models.py`. Its attrs models, client and README are not rendered: the package
has one set of models only.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import EnumProperty, ModelProperty, Property
from openapi_python_client.strings import PythonCode

from generator.errors import GenerationError
from generator.settings import CLIENT_TEMPLATES_DIR, DISTRIBUTION_NAME, PACKAGE_NAME

ENDPOINT_TEMPLATE = "endpoint_module.py.jinja"


@dataclass(frozen=True)
class EndpointModule:
    """One rendered endpoint module: its path inside the package and its source."""

    path: PurePosixPath
    source: str


def render_endpoint_modules(
    spec: dict[str, Any], spec_path: Path, params_model: str, nullable_params: frozenset[str]
) -> list[EndpointModule]:
    """Render every operation's module plus the `api/` package `__init__` files.

    `params_model` names the synthesized parameters model; `nullable_params` holds the wire names of the
    parameters that model types as optional (`X | None`).
    """
    config = Config.from_sources(
        ConfigFile(project_name_override=DISTRIBUTION_NAME, package_name_override=PACKAGE_NAME, post_hooks=[]),
        MetaType.NONE,
        spec_path,
        "utf-8",
        True,
        None,
    )
    with contextlib.redirect_stdout(io.StringIO()):
        parsed = GeneratorData.from_dict(spec, config=config)
    if isinstance(parsed, GeneratorError):
        raise GenerationError(
            "endpoints", f"openapi-python-client cannot parse the spec: {parsed.header} {parsed.detail}"
        )
    problems = [*parsed.errors]
    for collection in parsed.endpoint_collections_by_tag.values():
        problems.extend(collection.parse_errors)
    if problems:
        details = "; ".join(f"{problem.header or ''} {problem.detail or ''}".strip() for problem in problems)
        raise GenerationError("endpoints", f"openapi-python-client reported: {details}")

    project = Project(openapi=parsed, config=config, custom_template_path=CLIENT_TEMPLATES_DIR)
    template_globals = {
        "is_enum": _is_enum,
        "isbool": _is_bool,
        "is_nullable": lambda prop: _wire_name(prop) in nullable_params,
    }
    template = project.env.get_template(ENDPOINT_TEMPLATE, globals=template_globals)
    modules = [EndpointModule(PurePosixPath("api/__init__.py"), '"""One module per operation of the spec."""\n')]
    for tag, collection in sorted(parsed.endpoint_collections_by_tag.items()):
        modules.append(EndpointModule(PurePosixPath(f"api/{tag}/__init__.py"), f'"""Operations tagged {tag}."""\n'))
        for endpoint in collection.endpoints:
            responses = _response_models(endpoint)
            source = template.render(
                endpoint=endpoint,
                operation_id=_operation_id(spec, endpoint),
                params_model=params_model,
                response_models=responses,
                response_groups=_grouped(responses),
            )
            modules.append(EndpointModule(PurePosixPath(f"api/{tag}/{endpoint.name}.py"), source))
    return modules


def _is_enum(prop: object) -> bool:
    return isinstance(prop, EnumProperty)


def _is_bool(prop: Property) -> bool:
    return prop.get_base_type_string() == PythonCode("bool")


def _wire_name(prop: Property) -> str:
    return prop.name.get_untrusted_value()


def _operation_id(spec: dict[str, Any], endpoint: Endpoint) -> str:
    path = endpoint.path.get_untrusted_value()
    return str(spec["paths"][path][endpoint.method.lower()]["operationId"])


def _response_models(endpoint: Endpoint) -> list[tuple[int, str]]:
    """(status code, model class name) of every documented response, in spec order."""
    if endpoint.responses.default is not None:
        raise GenerationError("endpoints", f"{endpoint.name}: a `default` response is not supported by the template")
    models: list[tuple[int, str]] = []
    for response in endpoint.responses.patterns:
        low, high = response.status_code.range or (0, -1)
        if low != high:
            pattern = response.status_code.pattern
            raise GenerationError("endpoints", f"{endpoint.name}: status pattern {pattern!r} is not supported")
        if not isinstance(response.prop, ModelProperty):
            raise GenerationError("endpoints", f"{endpoint.name}: response {low} has no JSON object schema")
        models.append((low, str(response.prop.class_info.name)))
    return models


def _grouped(responses: list[tuple[int, str]]) -> list[tuple[str, list[int]]]:
    """The status codes of each model, models in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for code, model in responses:
        groups.setdefault(model, []).append(code)
    return list(groups.items())
