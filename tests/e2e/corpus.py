"""A generated corpus of good and bad manifests: one valid object per kind with a schema, and bad variants.

For every kind in schemas/ (schema_kinds.kind_schemas) the valid object is
built from the kind's own strict schema: apiVersion, kind, metadata.name, the
namespace for namespaced kinds, and every field the schema lists as `required`
(recursively, through `$ref`s) with a minimal value of its type. The API server
needs more than a schema says for some kinds (a selector that matches the pod
labels, a container image, a cron schedule); corpus_bodies.VALID_BODIES holds
those, merged over the generated object.

Each valid object gets the bad variants a JSON schema can see:
  unknown-field             a field the strict schema does not declare, in the
                            deepest declared object the valid body sets
  unknown-top-level-field   the same at the top (when that is another place)
  wrong-type                the deepest scalar the valid body sets given a list
                            (or, with no scalar, an object field given a string)
  missing-required          the deepest field the schema requires, removed
  missing-required-shallow  the shallowest one (when that is another field)

What a schema cannot see (name formats, cross-field rules) is not in this
corpus: corpus_bodies.SEMANTIC_CASES documents that gap separately.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.e2e.corpus_bodies import NAMESPACE, VALID_BODIES, SemanticCase
from tests.e2e.schema_kinds import Gvk, KindSchema

VALID = "valid"
UNKNOWN_FIELD = "unknown-field"
UNKNOWN_TOP_LEVEL_FIELD = "unknown-top-level-field"
WRONG_TYPE = "wrong-type"
MISSING_REQUIRED = "missing-required"
MISSING_REQUIRED_SHALLOW = "missing-required-shallow"
_NOT_A_FIELD = "notAFieldOfThisKind"
_SCALAR_TYPES = {"string", "integer", "number", "boolean"}
_TOP_LEVEL = ("apiVersion", "kind", "metadata", "status")  # not what a variant changes


@dataclass(frozen=True)
class Case:
    """One object of the corpus: which kind, which variant, what was changed, and the body."""

    gvk: Gvk
    variant: str  # VALID, a bad variant (UNKNOWN_FIELD, ...) or "semantic-<name>"
    change: str  # "spec.replicas: a list", "" for the valid object
    body: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.body["metadata"].get("name") or "(no name)")

    @property
    def label(self) -> str:
        where = f" ({self.change})" if self.change else ""
        return f"{self.gvk} {self.name} [{self.variant}{where}]"

    @property
    def file_name(self) -> str:
        group = self.gvk.group or "core"
        return f"{self.gvk.kind.lower()}-{group}-{self.gvk.version}-{self.variant}.json"


# --- walking a schema ---------------------------------------------------------


def resolve(node: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """node with its `$ref` followed and a oneOf (IntOrString, Quantity) narrowed to its first choice."""
    seen = 0
    while isinstance(node, dict) and ("$ref" in node or "oneOf" in node):
        if "$ref" in node:
            node = definitions[node["$ref"].removeprefix("#/$defs/")]
        else:
            node = node["oneOf"][0]
        seen += 1
        assert seen < 50, "a $ref cycle"
    return node


def types(node: dict[str, Any]) -> list[str]:
    """The non-null JSON types of a node (the schemas spell most types ["string", "null"])."""
    declared = node.get("type") or []
    declared = [declared] if isinstance(declared, str) else declared
    return [t for t in declared if t != "null"]


def minimal(node: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """The smallest value of node's type that fills every required field."""
    node = resolve(node, definitions)
    kinds = types(node) or (["object"] if "properties" in node else ["string"])
    if "object" in kinds:
        properties = node.get("properties") or {}
        return {key: minimal(properties[key], definitions) for key in node.get("required") or [] if key in properties}
    if "array" in kinds:
        return [minimal(node.get("items") or {}, definitions)]
    if "integer" in kinds or "number" in kinds:
        return 1
    if "boolean" in kinds:
        return False
    return "2026-01-01T00:00:00Z" if node.get("format") == "date-time" else "x"


def schema_at(schema: KindSchema, path: tuple[str | int, ...]) -> dict[str, Any]:
    """The (resolved) schema node that describes the value at path in an object of this kind."""
    node = resolve(schema.root, schema.definitions)
    for step in path:
        if isinstance(step, int):
            node = node.get("items") or {}
        else:
            properties = node.get("properties") or {}
            values = node.get("additionalProperties")  # a map's values (labels, data)
            node = properties.get(step) or (values if isinstance(values, dict) else {})
        node = resolve(node, schema.definitions)
    return node


# --- the valid object ---------------------------------------------------------


def merge(base: Any, override: Any) -> Any:
    """override over base, recursively for mappings; lists and scalars are replaced whole; None removes a key."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = merge(base.get(key), value)
        return merged
    return copy.deepcopy(override)


def valid_body(schema: KindSchema, namespaced: bool) -> dict[str, Any]:
    body = minimal(schema.root, schema.definitions)
    body.update({"apiVersion": schema.gvk.api_version, "kind": schema.gvk.kind})
    body["metadata"] = {"name": VALID, **({"namespace": NAMESPACE} if namespaced else {})}
    return merge(body, VALID_BODIES.get(schema.gvk, {}))


# --- the bad variants ---------------------------------------------------------

FieldPath = tuple[str | int, ...]


def _nodes(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every (path, value) in a body outside the top-level fields no variant touches, parents first."""
    if isinstance(value, dict):
        for key, child in value.items():
            if path or key not in _TOP_LEVEL:
                yield (*path, key), child
                yield from _nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*path, index), child
            yield from _nodes(child, (*path, index))


def _deepest(candidates: list[FieldPath]) -> FieldPath | None:
    """The deepest path, the first one in body order among equals (so the choice is stable)."""
    return max(candidates, key=len, default=None)


def _spelled(path: FieldPath) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".") or "(top level)"


def _set(body: dict[str, Any], path: FieldPath, value: Any) -> None:
    target: Any = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _strict_objects(schema: KindSchema, body: dict[str, Any]) -> list[FieldPath]:
    """Paths of the objects in body whose schema refuses unknown fields, the top level first."""
    return [()] + [
        path for path, value in _nodes(body)
        if isinstance(value, dict) and schema_at(schema, path).get("additionalProperties") is False
    ]


def _with_unknown_field(body: dict[str, Any], path: FieldPath) -> tuple[str, dict[str, Any]]:
    bad = copy.deepcopy(body)
    target = bad
    for step in path:
        target = target[step]
    target[_NOT_A_FIELD] = "x"
    return f"{_spelled((*path, _NOT_A_FIELD))}: not in the schema", bad


def unknown_field(schema: KindSchema, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A field the schema does not declare, in the deepest strict object the body sets."""
    return _with_unknown_field(body, _deepest(_strict_objects(schema, body)) or ())


def unknown_top_level_field(schema: KindSchema, body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The same at the top level; None when the deepest strict object already is the top."""
    return _with_unknown_field(body, ()) if _deepest(_strict_objects(schema, body)) else None


def wrong_type(schema: KindSchema, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The deepest scalar given a list; with no scalar in the body, the first declared object field given a string."""
    scalars = [
        path for path, value in _nodes(body)
        if not isinstance(value, (dict, list)) and set(types(schema_at(schema, path))) & _SCALAR_TYPES
    ]
    bad = copy.deepcopy(body)
    path = _deepest(scalars)
    if path is not None:
        _set(bad, path, ["wrong-type"])
        return f"{_spelled(path)}: a list", bad
    root = resolve(schema.root, schema.definitions)
    objects = [
        (key,) for key, sub in (root.get("properties") or {}).items()
        if key not in _TOP_LEVEL and "object" in types(resolve(sub, schema.definitions))
    ]
    path = objects[0] if objects else ("metadata", "labels")  # every kind has labels
    _set(bad, path, "wrong-type")
    return f"{_spelled(path)}: a string", bad


def _required_fields(schema: KindSchema, body: dict[str, Any]) -> list[FieldPath]:
    """Paths of the fields body sets that the schema requires (the top level's kind and apiVersion aside)."""
    return [
        (*path, key) for path, value in [((), body), *_nodes(body)] if isinstance(value, dict)
        for key in schema_at(schema, path).get("required") or []
        if key in value and (path or key not in _TOP_LEVEL)
    ]


def _without(body: dict[str, Any], path: FieldPath) -> tuple[str, dict[str, Any]]:
    bad = copy.deepcopy(body)
    target: Any = bad
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return f"{_spelled(path)}: removed", bad


def missing_required(schema: KindSchema, body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The deepest required field the body sets, removed; None when the schema requires nothing."""
    path = _deepest(_required_fields(schema, body))
    return None if path is None else _without(body, path)


def missing_required_shallow(schema: KindSchema, body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The shallowest required field removed; None when it is the deepest one too."""
    fields = _required_fields(schema, body)
    shallow = min(fields, key=len, default=None)
    return None if shallow is None or shallow == _deepest(fields) else _without(body, shallow)


_VARIANTS = (
    (UNKNOWN_FIELD, unknown_field),
    (UNKNOWN_TOP_LEVEL_FIELD, unknown_top_level_field),
    (WRONG_TYPE, wrong_type),
    (MISSING_REQUIRED, missing_required),
    (MISSING_REQUIRED_SHALLOW, missing_required_shallow),
)


def cases(schema: KindSchema, namespaced: bool) -> list[Case]:
    """The valid object of one kind and each bad variant its schema allows (a missing field needs a `required`)."""
    body = valid_body(schema, namespaced)
    result = [Case(schema.gvk, VALID, "", body)]
    for variant, make in _VARIANTS:
        made = make(schema, body)
        if made is not None:
            change, bad = made
            if bad["metadata"].get("name") == VALID:  # a name of its own, unless the kind dictates the name
                bad["metadata"]["name"] = variant
            result.append(Case(schema.gvk, variant, change, bad))
    return result


def semantic_case(semantic: SemanticCase) -> Case:
    """A known semantic case as a Case (variant "semantic-<name>", its reason as the change)."""
    api_version = semantic.body["apiVersion"]
    group, _, version = api_version.rpartition("/")
    gvk = Gvk(group, version, semantic.body["kind"])
    return Case(gvk, f"semantic-{semantic.body['metadata']['name'].lower()}", semantic.why, semantic.body)
