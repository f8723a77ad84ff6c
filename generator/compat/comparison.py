"""Two specs compared as a consumer of the generated package sees them: every change, classified.

    changes = compare_specs(load_api_spec(old_path), load_api_spec(new_path))

Both specs are read through `oms_spec`. The comparison walks operations (`operation_comparison`), schema
components (renamed ones recognised by structure, `renames`; components no operation reaches compared as both
request and response values, the stricter reading), servers, security schemes and the rest of the document,
then sweeps documentation (`documentation`). Parts of the document no rule reads count as breaking when they
change, so the gate never passes what it cannot judge. `info.version` is not a change: `semver` judges it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.compat.changes import Change, ChangeLog
from generator.compat.documentation import documentation_changes
from generator.compat.impacts import Side
from generator.compat.locations import child
from generator.compat.operation_comparison import OperationComparison
from generator.compat.renames import match_renamed_components, schema_components
from generator.compat.rules import DOCUMENTATION_KEYWORDS, Rule, extension_rule
from generator.compat.schema_comparison import SchemaComparison, show
from oms_spec import HTTP_METHODS, SIGNING_EXTENSION, ApiSpec

#: Top-level keys compared by a rule here (paths: by the operations; info, tags: by the documentation sweep).
_DOCUMENT_KEYS = frozenset({"info", "paths", "components", "servers", "security", "tags", *DOCUMENTATION_KEYWORDS})
#: Component kinds consumers only meet through operations (compared where they are used).
_USED_COMPONENTS = frozenset(
    {"parameters", "responses", "headers", "requestBodies", "examples", "links", "callbacks", "pathItems"}
)
_PATH_ITEM_KEYS = frozenset({"parameters", *DOCUMENTATION_KEYWORDS})


def compare_specs(old: ApiSpec, new: ApiSpec) -> tuple[Change, ...]:
    """Every change from `old` to `new`, classified, strictest first."""
    log = ChangeLog()
    renames = match_renamed_components(old.document, new.document)
    schemas = SchemaComparison(old, new, renames, log)
    _components(old.document, new.document, renames, log)
    OperationComparison(old, new, schemas, log).compare_all()
    _unreached_components(old.document, new.document, renames, schemas)
    _servers(old.document.get("servers"), new.document.get("servers"), schemas, log)
    _security_schemes(old.document, new.document, log)
    _tags(old.document.get("tags"), new.document.get("tags"), log)
    _unread_parts(old.document, new.document, log)
    documentation_changes(old.document, new.document, renames, log)
    return log.changes()


def compare_documents(old: dict[str, Any], new: dict[str, Any]) -> tuple[Change, ...]:
    """`compare_specs` for two documents not yet read (SpecError when either cannot be read)."""
    return compare_specs(ApiSpec.from_document(old), ApiSpec.from_document(new))


def _component_path(name: str) -> str:
    return child("$", "components", "schemas", name)


def _components(old: Mapping[str, Any], new: Mapping[str, Any], renames: Mapping[str, str], log: ChangeLog) -> None:
    old_schemas, new_schemas = schema_components(old), schema_components(new)
    for before, after in renames.items():
        what = f"component {before} renamed to {after} (same schema)"
        log.add(_component_path(after), what, Rule.COMPONENT_RENAMED)
    for name in old_schemas:
        if name not in new_schemas and name not in renames:
            log.add(_component_path(name), f"component {name} removed", Rule.COMPONENT_REMOVED)
    renamed_to = set(renames.values())
    for name in new_schemas:
        if name not in old_schemas and name not in renamed_to:
            log.add(_component_path(name), f"component {name} added", Rule.COMPONENT_ADDED)


def _unreached_components(
    old: Mapping[str, Any], new: Mapping[str, Any], renames: Mapping[str, str], schemas: SchemaComparison
) -> None:
    """Compare the components no operation reached: they are still model classes, so read strictly (both sides)."""
    old_schemas, new_schemas = schema_components(old), schema_components(new)
    pairs = [(name, name) for name in old_schemas if name in new_schemas] + list(renames.items())
    for before, after in pairs:
        if after in schemas.reached:
            continue
        for side in Side:
            schemas.compare(
                old_schemas[before], new_schemas[after], _component_path(before), _component_path(after), side
            )


def _servers(old: Any, new: Any, schemas: SchemaComparison, log: ChangeLog) -> None:
    """Servers by URL; a server variable is a value the consumer sends, compared as a request string."""
    before = {server.get("url"): (index, server) for index, server in enumerate(_mappings(old))}
    after_urls = {server.get("url") for server in _mappings(new)}
    for index, server in enumerate(_mappings(new)):
        at = child("$", "servers", index)
        if server.get("url") not in before:
            log.add(at, f"server {show(server.get('url'))} added", Rule.SERVER_ADDED)
            continue
        old_index, previous = before[server.get("url")]
        old_variables, new_variables = previous.get("variables") or {}, server.get("variables") or {}
        for name, variable in new_variables.items():
            path = child(at, "variables", name)
            if name not in old_variables:
                log.add(path, f"server variable {show(name)} added", Rule.SERVER_VARIABLE_ADDED)
                continue
            old_path = child("$", "servers", old_index, "variables", name)
            schemas.compare(_as_schema(old_variables[name]), _as_schema(variable), old_path, path, Side.REQUEST)
        for name in old_variables:
            if name not in new_variables:
                path = child(at, "variables", name)
                log.add(path, f"server variable {show(name)} removed", Rule.SERVER_VARIABLE_REMOVED)
    for url, (index, _) in before.items():
        if url not in after_urls:
            log.add(child("$", "servers", index), f"server {show(url)} removed", Rule.SERVER_REMOVED)


def _as_schema(variable: Any) -> dict[str, Any]:
    """A server variable as the string schema it amounts to (its enum, default and description)."""
    return {"type": "string", **(variable if isinstance(variable, Mapping) else {})}


def _security_schemes(old: Mapping[str, Any], new: Mapping[str, Any], log: ChangeLog) -> None:
    before = (old.get("components") or {}).get("securitySchemes") or {}
    after = (new.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in after.items():
        at = child("$", "components", "securitySchemes", name)
        if name not in before:
            log.add(at, f"security scheme {name} added", Rule.SECURITY_SCHEME_ADDED)
            continue
        previous = before[name] or {}
        for key in sorted({*previous, *(scheme or {})} - set(DOCUMENTATION_KEYWORDS)):
            old_value, new_value = previous.get(key), (scheme or {}).get(key)
            if old_value == new_value:
                continue
            # The signing algorithm is how credentials travel; other extensions are no rule's business.
            rule = (
                extension_rule(key)
                if key.startswith("x-") and key != SIGNING_EXTENSION
                else Rule.SECURITY_SCHEME_CHANGED
            )
            if rule is not None:
                what = f"security scheme {name}: {key} changed from {show(old_value)} to {show(new_value)}"
                log.add(child(at, key), what, rule)
    for name in before:
        if name not in after:
            at = child("$", "components", "securitySchemes", name)
            log.add(at, f"security scheme {name} removed", Rule.SECURITY_SCHEME_REMOVED)


def _tags(old: Any, new: Any, log: ChangeLog) -> None:
    """The document's tag list documents the tags; operations' own tags are compared with the operations."""
    before = [tag.get("name") for tag in _mappings(old)]
    after = [tag.get("name") for tag in _mappings(new)]
    for name in after:
        if name not in before:
            log.add("$.tags", f"tag {show(name)} documented", Rule.DOCUMENTATION_CHANGED)
    for name in before:
        if name not in after:
            log.add("$.tags", f"tag {show(name)} no longer documented", Rule.DOCUMENTATION_CHANGED)


def _unread_parts(old: Mapping[str, Any], new: Mapping[str, Any], log: ChangeLog) -> None:
    """Changes in parts of the document no rule reads: unclassified (breaking), or an extension's."""
    for key in sorted({*old, *new} - _DOCUMENT_KEYS - {"openapi"}):
        _judged_generically(old.get(key), new.get(key), child("$", key), key, log)
    if old.get("openapi") != new.get("openapi"):
        what = f"openapi changed from {show(old.get('openapi'))} to {show(new.get('openapi'))}"
        log.add("$.openapi", what, Rule.DOCUMENTATION_CHANGED)
    old_components, new_components = old.get("components") or {}, new.get("components") or {}
    known = _USED_COMPONENTS | {"schemas", "securitySchemes"}
    for key in sorted({*old_components, *new_components} - known):
        at = child("$", "components", key)
        _judged_generically(old_components.get(key), new_components.get(key), at, key, log)
    old_paths, new_paths = old.get("paths") or {}, new.get("paths") or {}
    for path in new_paths:
        if path in old_paths and isinstance(old_paths[path], Mapping) and isinstance(new_paths[path], Mapping):
            before, after = old_paths[path], new_paths[path]
            for key in sorted({*before, *after} - set(HTTP_METHODS) - _PATH_ITEM_KEYS):
                _judged_generically(before.get(key), after.get(key), child("$", "paths", path, key), key, log)


def _judged_generically(old: Any, new: Any, at: str, key: str, log: ChangeLog) -> None:
    rule = extension_rule(key)
    if old != new and rule is not None:
        log.add(at, f"{key} changed (no rule reads it)", rule)


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
