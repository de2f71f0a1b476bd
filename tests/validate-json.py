#!/usr/bin/python3
"""tests/validate-json.py SCHEMA FILE... - validates each JSON FILE against
the JSON Schema (draft 2020-12) SCHEMA from docs/; prints the first error
with its path and exits 1 when one does not conform."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path, encoding="utf-8"))
    err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if err is not None:
        print(f"{path}: {'/'.join(str(p) for p in err.absolute_path)}: {err.message}", file=sys.stderr)
        bad = 1
sys.exit(bad)
