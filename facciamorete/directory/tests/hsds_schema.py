"""Validators for the HSDS 3.0 JSON schemas, found through the HSDS_SCHEMA_DIR variable.

The schemas are not copied into the repository; tests that need them skip, saying why, when
the variable is unset. The schemas refer to each other by file name (`"$ref": "phone.json"`),
so every file is registered under its name and relative references resolve among them.
"""

import functools
import json
import os
import unittest
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = os.environ.get("HSDS_SCHEMA_DIR", "")
SKIP_REASON = "HSDS_SCHEMA_DIR is unset: point it at the hsds-3.0/schema directory"

needs_hsds_schemas = unittest.skipUnless(SCHEMA_DIR and Path(SCHEMA_DIR).is_dir(), SKIP_REASON)

# The official compiled files reference the canonical GitHub addresses.
CANONICAL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@functools.cache
def registry() -> Registry:
    resources = []
    root = Path(SCHEMA_DIR)
    for path in [*root.glob("*.json"), *root.glob("compiled/*.json")]:
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text())
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        name = path.relative_to(root).as_posix()
        resources += [(name, resource), (CANONICAL + name, resource)]
    return Registry().with_resources(resources)


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator for one schema file, e.g. `service.json` or `compiled/...`."""
    return Draft202012Validator({"$ref": name}, registry=registry(), format_checker=FormatChecker())


def errors(name: str, instance) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(instance)
    ]


def nulls(value, path="") -> list[str]:
    """HSDS forbids null anywhere: every path that holds one."""
    if value is None:
        return [path or "/"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{path}/{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, f"{path}/{i}")]
    return []
