"""Checking a ``--json`` document against ``grade.schema.json``: :func:`problems`.

With :mod:`jsonschema` installed it is used; otherwise a small validator of the JSON-Schema
keywords that file uses (``type``, ``const``, ``enum``, ``required``, ``properties``,
``additionalProperties``, ``items``, ``minimum``, ``$ref`` to ``#/$defs/…``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("grade.schema.json")

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}


def schema() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return doc


def _is(value: object, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[kind])


def _check(value: object, node: dict[str, Any], root: dict[str, Any], at: str,
           out: list[str]) -> None:
    if "$ref" in node:
        ref = str(node["$ref"])
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        _check(value, target, root, at, out)
        return
    if "const" in node and value != node["const"]:
        out.append(f"{at}: expected {node['const']!r}, got {value!r}")
    if "enum" in node and value not in node["enum"]:
        out.append(f"{at}: expected one of {node['enum']}, got {value!r}")
    if "type" in node:
        kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(_is(value, k) for k in kinds):
            out.append(f"{at}: expected {' or '.join(kinds)}, got {type(value).__name__}")
            return
    if "minimum" in node and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and value < node["minimum"]:
        out.append(f"{at}: expected >= {node['minimum']}, got {value!r}")
    if isinstance(value, dict):
        for key in node.get("required", []):
            if key not in value:
                out.append(f"{at}: missing required key {key!r}")
        props = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        for key, sub in value.items():
            if key in props:
                _check(sub, props[key], root, f"{at}.{key}", out)
            elif extra is False:
                out.append(f"{at}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                _check(sub, extra, root, f"{at}.{key}", out)
    if isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            _check(item, node["items"], root, f"{at}[{i}]", out)


def problems(document: object) -> list[str]:
    """What is wrong with ``document`` against the schema (empty when it is valid)."""
    root = schema()
    try:
        import jsonschema  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        out: list[str] = []
        _check(document, root, root, "$", out)
        return out
    validator = jsonschema.Draft202012Validator(root)
    return [f"$.{'.'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(document)]
