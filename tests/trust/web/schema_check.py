"""A checker for the JSON Schema subset the OpenAPI document uses (jsonschema is not locked)."""

from __future__ import annotations

import re

_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        path = schema["$ref"]
        assert path.startswith("#/"), f"only local references are supported: {path}"
        node = root
        for part in path[2:].split("/"):
            node = node[part]
        schema = node
    return schema


def _type_matches(value, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name]) and not (name != "boolean" and isinstance(value, bool))


def errors(value, schema: dict, root: dict, path: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (empty when it is valid)."""
    schema = _resolve(schema, root)
    found: list[str] = []
    if "oneOf" in schema:
        matching = [option for option in schema["oneOf"] if not errors(value, option, root, path)]
        if len(matching) != 1:
            found.append(f"{path}: matches {len(matching)} of oneOf, not exactly one")
    if "anyOf" in schema and not any(
        not errors(value, option, root, path) for option in schema["anyOf"]
    ):
        found.append(f"{path}: matches none of anyOf")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_matches(value, name) for name in names):
            return [*found, f"{path}: {type(value).__name__} is not {names}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{path}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            found.append(f"{path}: longer than {schema['maxLength']}")
        # JSON Schema patterns are ECMA-262 regular expressions, unanchored; the document's own
        # use Python's compatible subset.
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{path}: does not match {schema['pattern']!r}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{path}: required property {name!r} missing")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += errors(item, properties[name], root, f"{path}.{name}")
            elif extra is False:
                found.append(f"{path}: property {name!r} not allowed")
            elif isinstance(extra, dict):
                found += errors(item, extra, root, f"{path}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += errors(item, schema["items"], root, f"{path}[{index}]")
    return found
