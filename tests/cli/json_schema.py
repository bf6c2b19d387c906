#!/usr/bin/env python3
"""json_schema.py SCHEMA FILE...: validates JSON files against a JSON Schema.

A small validator in the standard library (CI's fresh Debian need not have
the jsonschema module) for the keywords docs/check-report.schema.json uses:
type (one or a list; an integer is a number, a boolean is neither), enum,
const, required, properties, additionalProperties (false or a schema),
items, minimum, maximum, pattern and $ref to "#/$defs/NAME".  A schema
keyword it does not know is an error, so the schema cannot use one that
would go unchecked.  With --self-test, it checks that it rejects what it
should.  When the jsonschema module is there, each file is also validated
with it and the two verdicts must agree.

Exit status: 0 all valid, 1 a file is invalid (each error printed as
FILE: PATH: reason), 2 usage or an unreadable file.
"""
import json
import re
import sys

KNOWN = {"$schema", "$id", "title", "description", "$defs", "type", "enum", "const",
         "required", "properties", "additionalProperties", "items", "minimum", "maximum",
         "pattern", "$ref"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


class Validator:
    def __init__(self, root):
        self.root = root
        self.errors = []

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("only local $ref is supported: " + ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def err(self, path, msg):
        self.errors.append("%s: %s" % (path or "/", msg))

    def check(self, v, s, path=""):
        unknown = set(s) - KNOWN
        if unknown:
            raise ValueError("schema at %s uses unsupported keywords %s" % (path, sorted(unknown)))
        if "$ref" in s:
            self.check(v, self.resolve(s["$ref"]), path)
        if "type" in s:
            types = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(TYPES[t](v) for t in types):
                self.err(path, "%r is not of type %s" % (short(v), "/".join(types)))
                return
        if "enum" in s and v not in s["enum"]:
            self.err(path, "%r is not one of %s" % (short(v), s["enum"]))
        if "const" in s and (v != s["const"] or type(v) is not type(s["const"])):
            self.err(path, "%r is not %r" % (short(v), s["const"]))
        if TYPES["number"](v):
            if "minimum" in s and v < s["minimum"]:
                self.err(path, "%r is below the minimum %r" % (v, s["minimum"]))
            if "maximum" in s and v > s["maximum"]:
                self.err(path, "%r is above the maximum %r" % (v, s["maximum"]))
        if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
            self.err(path, "%r does not match %s" % (short(v), s["pattern"]))
        if isinstance(v, dict):
            self.check_object(v, s, path)
        if isinstance(v, list) and "items" in s:
            for i, x in enumerate(v):
                self.check(x, s["items"], "%s/%d" % (path, i))

    def check_object(self, v, s, path):
        for k in s.get("required", []):
            if k not in v:
                self.err(path, "required field %r is missing" % k)
        props = s.get("properties", {})
        extra = s.get("additionalProperties", True)
        for k, x in v.items():
            if k in props:
                self.check(x, props[k], "%s/%s" % (path, k))
            elif extra is False:
                self.err(path, "field %r is not in the schema" % k)
            elif isinstance(extra, dict):
                self.check(x, extra, "%s/%s" % (path, k))


def short(v):
    t = json.dumps(v)
    return v if len(t) < 60 else t[:57] + "..."


def validate(schema, doc):
    val = Validator(schema)
    val.check(doc, schema)
    return val.errors


def by_jsonschema(schema, doc):
    """The jsonschema module's verdict (True valid), or None without it."""
    try:
        import jsonschema  # noqa: PLC0415 (optional)
    except ImportError:
        return None
    cls = jsonschema.validators.validator_for(schema)
    return not any(True for _ in cls(schema).iter_errors(doc))


def self_test(schema):
    """Each case breaks a valid report in one way; each must be rejected."""
    good = {
        "a": 1, "b": "x", "c": [1, 2], "d": {"e": None}, "f": "ab", "g": 0.5,
    }
    s = {"type": "object", "required": ["a", "b"], "additionalProperties": False,
         "properties": {"a": {"type": "integer", "minimum": 0},
                        "b": {"enum": ["x", "y"]},
                        "c": {"type": "array", "items": {"$ref": "#/$defs/n"}},
                        "d": {"type": "object", "properties": {"e": {"type": ["string", "null"]}}},
                        "f": {"type": "string", "pattern": "^a"},
                        "g": {"type": "number", "maximum": 1}},
         "$defs": {"n": {"type": "integer"}}}
    bad = [("missing required", {k: v for k, v in good.items() if k != "a"}),
           ("extra field", dict(good, z=1)),
           ("wrong type", dict(good, a="1")),
           ("boolean as integer", dict(good, a=True)),
           ("float as integer", dict(good, a=1.5)),
           ("below minimum", dict(good, a=-1)),
           ("above maximum", dict(good, g=2)),
           ("not in enum", dict(good, b="z")),
           ("bad item through $ref", dict(good, c=[1, "2"])),
           ("nested type", dict(good, d={"e": 3})),
           ("pattern", dict(good, f="ba"))]
    fails = 0
    if validate(s, good):
        print("self-test: a valid document is rejected: %s" % validate(s, good))
        fails += 1
    for name, doc in bad:
        if not validate(s, doc):
            print("self-test: not rejected: %s" % name)
            fails += 1
    try:
        validate({"type": "object", "oneOf": []}, {})
        print("self-test: an unsupported keyword is accepted")
        fails += 1
    except ValueError:
        pass
    # and the schema itself uses only what this validator checks
    validate(schema, {})
    return fails


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    if argv[2:] == ["--self-test"]:
        return 1 if self_test(schema) else 0
    status = 0
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: not JSON: %s" % (path, e))
            status = 1
            continue
        errors = validate(schema, doc)
        for e in errors:
            print("%s: %s" % (path, e))
        other = by_jsonschema(schema, doc)
        if other is not None and other != (not errors):
            print("%s: the jsonschema module says %s" % (path, "valid" if other else "invalid"))
            errors = errors or ["disagreement"]
        if errors:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
