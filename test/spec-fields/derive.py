#!/usr/bin/env python3
# Regenerate: python3 test/spec-fields/derive.py SPEC/schema... (one checkout of opencontainers/runtime-spec per tag)
"""List every config.json field path an OCI runtime-spec JSON schema defines.

Usage: derive.py SCHEMA_DIR...   (each the schema/ folder of one spec tag)
Prints one path per line: objects' keys joined by '.', array items as '[]',
map values (free keys) as '{}'.  Only the Linux parts are followed (the shim runs runc on Linux): the
sections of other platforms (windows, solaris, vm, zos, freebsd) are
listed by their top-level name only.
"""
import json, os, sys

SKIP = {"windows", "solaris", "vm", "zos", "freebsd"}

def load(d, name, cache):
    if name not in cache:
        with open(os.path.join(d, name)) as f:
            cache[name] = json.load(f)
    return cache[name]

def resolve(d, cur, node, cache):
    seen = 0
    while "$ref" in node:
        ref = node["$ref"]
        fname, _, ptr = ref.partition("#")
        fname = fname or cur
        doc = load(d, fname, cache)
        for part in [p for p in ptr.split("/") if p]:
            doc = doc[part]
        cur, node = fname, doc
        seen += 1
        assert seen < 50
    return cur, node

def walk(d, cur, node, path, out, cache, depth=0):
    cur, node = resolve(d, cur, node, cache)
    if depth > 30:
        return
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key, []):
            walk(d, cur, sub, path, out, cache, depth + 1)
    for k, v in node.get("properties", {}).items():
        if path == "" and k in SKIP:
            out.add(k)
            continue
        p = f"{path}.{k}" if path else k
        out.add(p)
        walk(d, cur, v, p, out, cache, depth + 1)
    for v in node.get("patternProperties", {}).values():
        p = f"{path}.{{}}"
        out.add(p)
        walk(d, cur, v, p, out, cache, depth + 1)
    ap = node.get("additionalProperties")
    if isinstance(ap, dict) and ap:
        p = f"{path}.{{}}"
        out.add(p)
        walk(d, cur, ap, p, out, cache, depth + 1)
    items = node.get("items")
    if isinstance(items, dict):
        p = f"{path}[]"
        walk(d, cur, items, p, out, cache, depth + 1)
    elif isinstance(items, list):
        for it in items:
            walk(d, cur, it, f"{path}[]", out, cache, depth + 1)

paths = {}
for d in sys.argv[1:]:
    out = set()
    cache = {}
    walk(d, "config-schema.json", load(d, "config-schema.json", cache), "", out, cache)
    for p in out:
        paths.setdefault(p, []).append(os.path.basename(os.path.dirname(os.path.abspath(d))))
for p in sorted(paths):
    print(p)
