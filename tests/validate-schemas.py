#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every bundled policy and scenario file is valid against its JSON Schema (policies/schema/),
so an editor that validates with the schema agrees with the loader. TAP output; needs
Debian's python3-jsonschema (build.sh installs it)."""
import glob
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed")
    sys.exit(0)

src = os.environ.get("FLOWSIM_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema_dir = os.path.join(src, "policies", "schema")
base = "file://" + schema_dir + "/"
loaded = {}
for kind in ("policy", "scenario"):
    with open(os.path.join(schema_dir, kind + ".schema.json")) as f:
        loaded[kind] = json.load(f)
    jsonschema.Draft202012Validator.check_schema(loaded[kind])
# The scenario schema refers to "policy.schema.json#/$defs/...": resolve it from the folder,
# never from the network.
store = {base + kind + ".schema.json": schema for kind, schema in loaded.items()}
schemas = {
    kind: jsonschema.Draft202012Validator(
        schema, resolver=jsonschema.RefResolver(base + kind + ".schema.json", schema, store=store))
    for kind, schema in loaded.items()
}

files = [(p, "policy") for p in sorted(glob.glob(os.path.join(src, "policies", "*.json")))]
files += [(p, "scenario") for p in sorted(glob.glob(os.path.join(src, "scenarios", "*.json")))]
print("1..%d" % len(files))
failed = 0
for n, (path, kind) in enumerate(files, 1):
    with open(path) as f:
        document = json.load(f)
    errors = sorted(schemas[kind].iter_errors(document), key=lambda e: list(e.absolute_path))
    name = os.path.relpath(path, src)
    if errors:
        failed += 1
        print("not ok %d - %s (%s schema)" % (n, name, kind))
        for e in errors[:5]:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print("# %s: %s" % (where, e.message[:300]))
    else:
        print("ok %d - %s (%s schema)" % (n, name, kind))
sys.exit(1 if failed else 0)
