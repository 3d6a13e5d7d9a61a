"""Which object a document that cannot be read is about: its apiVersion, kind, name and namespace.

A parse finding names them as kubeconform's findings do (kubeconform reads
them leniently before it reads the whole document strictly), so that a
report says which ConfigMap has the duplicate key, not only where. Two
tries, both only for a document that already failed: the careful loader
with duplicate keys allowed (the usual problem; it keeps a duplicate's first
value), then, for a document no loader reads (a syntax error, nesting over
the limit), its top-level lines.
"""

from __future__ import annotations

import re

from hdgen.yaml.limits import nesting_problem

# A block-style `key: value` line with a value that can be a kind, an apiVersion or a
# name, plain or quoted; nothing else is taken from text that does not read.
_ENTRY = re.compile(r"(?P<indent>[ ]*)(?P<key>[A-Za-z]+):[ \t]*(?:(?P<q>[\"']?)(?P<value>[A-Za-z0-9][-A-Za-z0-9._/]*)(?P=q))?[ \t]*(?:#.*)?\r?\Z")


def identity_of(text: str) -> dict:
    """What text names of {"apiVersion", "kind", "metadata": {"name", "namespace"}}, shaped like the
    document's body; {} when nothing can be read."""
    if nesting_problem(text) is None:  # the C loader must not see what is nested too deep
        from hdgen.yaml.engines import safe_loader

        try:
            body = safe_loader(allow_duplicate_keys=True).load(text)
        except Exception:  # noqa: BLE001 - anything: the line scan below is the fallback
            body = None
        if isinstance(body, dict):
            return body
    return _from_lines(text)


def _from_lines(text: str) -> dict:
    """apiVersion and kind from top-level lines, name and namespace from the lines right under `metadata:`."""
    body: dict = {}
    metadata: dict = {}
    inside_metadata = False
    child_indent = None
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _ENTRY.match(line)
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            inside_metadata = bool(entry) and entry["key"] == "metadata" and entry["value"] is None
            child_indent = None
            if entry and entry["key"] in ("apiVersion", "kind") and entry["value"]:
                body[entry["key"]] = entry["value"]  # the last one, as the API server keeps it
        elif inside_metadata:
            child_indent = indent if child_indent is None else child_indent
            if entry and indent == child_indent and entry["key"] in ("name", "namespace") and entry["value"]:
                metadata[entry["key"]] = entry["value"]
    if metadata:
        body["metadata"] = metadata
    return body
