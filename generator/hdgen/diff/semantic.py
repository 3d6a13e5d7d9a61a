"""Semantic diff of two sets of manifests: match objects, then compare field by field.

Objects are matched by their cluster identity (API group, kind, namespace,
name), never by file path, so moving a manifest between files is not a change.
Inside an object, lists of mappings are matched by an identity field (`name`,
else `key`, `containerPort`, …) so reordering env vars, ports or mounts is not
a change either. Lists of scalars (args, command) are compared as a whole,
because their order means something.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hdgen.objects.record import Document

Key = tuple[str, str, str, str]  # API group, kind, namespace, name (Document.key)
Segment = str  # a mapping key, or "[id]" for a list item


class _Missing:
    """The side of a change where the field does not exist."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

# Fields that identify an item of a list of mappings, tried in this order. The
# first one that every item has, as a unique scalar, on both sides wins.
IDENTITY_FIELDS = ("name", "key", "containerPort", "mountPath", "devicePath", "ip", "host", "secretName", "port", "type")


@dataclass(frozen=True)
class FieldChange:
    path: tuple[Segment, ...]
    old: Any  # MISSING when the field was added
    new: Any  # MISSING when the field was removed

    @property
    def dotted(self) -> str:
        return dotted(self.path)


@dataclass
class ResourceDiff:
    key: Key
    api_version: str
    change: str  # "added", "removed" or "changed"
    old: dict | None
    new: dict | None
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.key[1]

    @property
    def namespace(self) -> str:
        return self.key[2]

    @property
    def name(self) -> str:
        return self.key[3]

    @property
    def title(self) -> str:
        """Kind/name, with the namespace when there is one: `Deployment honeydue/api`."""
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {where}"


def dotted(path: Iterable[Segment]) -> str:
    """spec.template.spec.containers[api].image; keys with dots are quoted: annotations["a.b/c"]."""
    out = ""
    for segment in path:
        if segment.startswith("["):
            out += segment
        elif any(ch in segment for ch in '.[]" '):
            out += f'["{segment}"]'
        else:
            out += f".{segment}" if out else segment
    return out


def sort_key(key: Key) -> tuple[str, str, str, str]:
    group, kind, namespace, name = key
    return (kind, namespace, name, group)


def diff_manifests(old: list[Document], new: list[Document]) -> tuple[list[ResourceDiff], int]:
    """Every added, removed or changed object, sorted by kind, namespace, name; and how many are unchanged."""
    before = {m.key: m for m in old}
    after = {m.key: m for m in new}
    diffs = []
    unchanged = 0
    for key in sorted(set(before) | set(after), key=sort_key):
        o, n = before.get(key), after.get(key)
        if o is None:
            diffs.append(ResourceDiff(key, n.api_version, "added", None, n.body, list(diff_values(MISSING, n.body))))
        elif n is None:
            diffs.append(ResourceDiff(key, o.api_version, "removed", o.body, None, list(diff_values(o.body, MISSING))))
        else:
            fields = list(diff_values(o.body, n.body))
            if fields:
                diffs.append(ResourceDiff(key, n.api_version, "changed", o.body, n.body, fields))
            else:
                unchanged += 1
    return diffs, unchanged


def diff_values(old: Any, new: Any, path: tuple[Segment, ...] = ()) -> Iterator[FieldChange]:
    """Each changed leaf between old and new; a subtree only on one side yields each of its leaves."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in _union(new, old):
            yield from diff_values(old.get(key, MISSING), new.get(key, MISSING), (*path, str(key)))
    elif _mapping_list(old) and _mapping_list(new) and (old or new):
        olds, news = _identified(old, new)
        for item_id in _union(news, olds):
            yield from diff_values(olds.get(item_id, MISSING), news.get(item_id, MISSING), (*path, item_id))
    elif old is MISSING or new is MISSING:
        present, side = (new, "new") if old is MISSING else (old, "old")
        for leaf_path, leaf in _leaves(present, path):
            yield FieldChange(leaf_path, MISSING, leaf) if side == "new" else FieldChange(leaf_path, leaf, MISSING)
    elif not _same(old, new):
        yield FieldChange(path, old, new)


def _union(first: dict, second: dict) -> list:
    """Keys of first in order, then the keys only second has: document order, deterministic."""
    return [*first, *(k for k in second if k not in first)]


def _mapping_list(value: Any) -> bool:
    """A list whose items are all mappings (an empty list counts, so items added to [] match)."""
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _identified(*lists: list[dict]) -> list[dict[Segment, dict]]:
    """Each list as {"[id]": item}, using the first identity field that works for all of them."""
    for name in IDENTITY_FIELDS:
        if all(_unique_scalars([item.get(name) for item in items]) for items in lists):
            label = (lambda v: f"[{v}]") if name == "name" else (lambda v, n=name: f"[{n}={v}]")
            return [{label(item[name]): item for item in items} for items in lists]
    return [{f"[{index}]": item for index, item in enumerate(items)} for items in lists]


def _unique_scalars(values: list) -> bool:
    if any(v is None or isinstance(v, (dict, list)) for v in values):
        return False
    return len({str(v) for v in values}) == len(values)


def _leaves(value: Any, path: tuple[Segment, ...]) -> Iterator[tuple[tuple[Segment, ...], Any]]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif _mapping_list(value) and value:
        for item_id, item in _identified(value)[0].items():
            yield from _leaves(item, (*path, item_id))
    else:
        yield path, value


def _same(a: Any, b: Any) -> bool:
    """Equal with the type: YAML `1`, `1.0`, `true` and `'1'` are different values."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b
