#!/usr/bin/python3
"""tests/validate-json.py SCHEMA FILE... - validates each JSON FILE against
the JSON Schema (draft 2020-12) SCHEMA from docs/; prints the first error
with its path and exits 1 when one does not conform. The other schemas
beside SCHEMA are known by their $id, so one may refer to another
("run.schema.json#/$defs/host")."""
import glob
import json
import os
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
store = {}
for path in glob.glob(os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "*.schema.json")):
    other = json.load(open(path, encoding="utf-8"))
    if "$id" in other:
        store[other["$id"]] = other
resolver = jsonschema.RefResolver.from_schema(schema, store=store)
validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path, encoding="utf-8"))
    err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if err is not None:
        print(f"{path}: {'/'.join(str(p) for p in err.absolute_path)}: {err.message}", file=sys.stderr)
        bad = 1
sys.exit(bad)
