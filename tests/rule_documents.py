"""Documents for rule tests, parsed the way a loader would: ruamel round-trip,
with the line of every key (list items by index), plain Python bodies.

The real file loader is built elsewhere; this keeps the rule tests independent of it.
"""

from __future__ import annotations

from typing import Any

from hdgen.objects.record import Document


def documents_from_text(text: str, file: str = "case.yaml") -> list[Document]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    documents = []
    for node in yaml.load_all(text):
        if not isinstance(node, dict):
            continue
        key_lines: dict[tuple, int] = {}
        body = _plain(node, (), key_lines)
        line = node.lc.line + 1 if hasattr(node, "lc") else 1
        documents.append(Document(file=file, line=line, body=body, key_lines=key_lines))
    return documents


def _plain(node: Any, path: tuple, key_lines: dict) -> Any:
    if isinstance(node, dict):
        plain = {}
        for key, value in node.items():
            key_lines[path + (key,)] = node.lc.key(key)[0] + 1
            plain[str(key)] = _plain(value, path + (key,), key_lines)
        return plain
    if isinstance(node, list):
        for index in range(len(node)):
            key_lines[path + (index,)] = node.lc.item(index)[0] + 1
        return [_plain(value, path + (index,), key_lines) for index, value in enumerate(node)]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)
