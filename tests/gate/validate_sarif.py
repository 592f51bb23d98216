#!/usr/bin/python3
"""Validates a SARIF file against the vendored official SARIF 2.1.0 JSON schema, offline.

Usage: validate_sarif.py SCHEMA SARIF
Prints "valid" and exits 0, or prints each schema violation (JSON path: message) and exits 1.
Exits 3 when the jsonschema module is missing (tools/setup installs python3-jsonschema).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (tools/setup installs it)")
    sys.exit(3)

schema_path, sarif_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(sarif_path, encoding="utf-8") as f:
    document = json.load(f)
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
for error in errors:
    path = "/".join(str(p) for p in error.absolute_path)
    print(f"{path or '(root)'}: {error.message}")
if errors:
    sys.exit(1)
print("valid")
