"""Where each key and list item of a document is: the line numbers ruamel's round-trip loader keeps.

Two shapes, for two callers. Values and settings (load_with_lines) get plain
data plus a Lines table looked up by the mapping or list itself, so that a key
reached through an alias reports the anchor's line, as ruamel's own does.
Findings on a manifest (key_lines) get a table by key path, read only when a
finding asks.
"""

from __future__ import annotations

from typing import Any

from hdgen.yaml.breaks import file_line, line_table
from hdgen.yaml.limits import MAX_NODES


class Lines:
    """1-based lines of the keys and items of the mappings and lists one plain_with_lines call built."""

    def __init__(self) -> None:
        self._keys: dict[int, tuple[dict, dict]] = {}  # id(mapping) -> (mapping, key -> line)
        self._items: dict[int, tuple[list, list[int | None]]] = {}  # id(list) -> (list, line of each item)

    def key(self, mapping: dict, key: Any) -> int | None:
        """The line of key in mapping; None for a key merged in with `<<`, which has no line of its own."""
        found = self._keys.get(id(mapping))
        return found[1].get(key) if found is not None and found[0] is mapping else None

    def item(self, items: list, index: int) -> int | None:
        found = self._items.get(id(items))
        return found[1][index] if found is not None and found[0] is items and index < len(found[1]) else None


def plain_with_lines(root: Any, text: str) -> tuple[Any, Lines]:
    """A round-trip document (ruamel read it from text) as plain data (dict, list, str, int, float,
    bool, None; anything else as ruamel built it, for the caller to refuse by type), with the
    line of every key and item.

    Aliases stay shared (one anchored node, one object), so the walk is as long as the text.
    """
    lines = Lines()
    table = line_table(text)
    made: dict[int, Any] = {}

    def plain(node: Any) -> Any:
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int):
            return int(node)  # ruamel's ScalarInt, and ScalarBoolean (an anchored boolean) reads as 0/1
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            return str(node)
        known = made.get(id(node))
        if known is not None:
            return known
        if isinstance(node, dict):
            mapping: dict = {}
            made[id(node)] = mapping
            key_lines = {}
            for key, value in node.items():
                line = _line(node, "key", key, table)
                if line is not None:
                    key_lines[key] = line
                mapping[key] = plain(value)
            lines._keys[id(mapping)] = (mapping, key_lines)
            return mapping
        if isinstance(node, list):
            items: list = []
            made[id(node)] = items
            item_lines = [_line(node, "item", index, table) for index in range(len(node))]
            items.extend(plain(item) for item in node)
            lines._items[id(items)] = (items, item_lines)
            return items
        return node  # a date (an explicit !!timestamp), bytes, a set: the caller names the type it does not take

    return plain(root), lines


def _line(node: Any, what: str, which: Any, table: list[int] | None) -> int | None:
    try:
        return file_line(getattr(node.lc, what)(which)[0], table)
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


def key_lines(text: str, first_line: int) -> dict[tuple, int]:
    """Key path -> 1-based file line, for every key and list item of one document starting at first_line.

    Best effort: duplicate keys were reported already, and unreadable text gives {}.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    from hdgen.yaml.engines import roundtrip_loader

    try:
        root = roundtrip_loader(allow_duplicate_keys=True).load(text)
    except YAMLError:
        return {}
    table = line_table(text)
    lines: dict[tuple, int] = {}
    seen: set[int] = set()
    stack: list[tuple[tuple, object]] = [((), root)]
    while stack and len(lines) < MAX_NODES:
        path, node = stack.pop()
        if id(node) in seen:  # an alias: its keys were recorded where the anchor is
            continue
        if isinstance(node, CommentedMap):
            seen.add(id(node))
            for key in node:
                try:
                    line = node.lc.key(key)[0]
                except (KeyError, TypeError):
                    continue
                lines[path + (key,)] = first_line + file_line(line, table)
                stack.append((path + (key,), node[key]))
        elif isinstance(node, CommentedSeq):
            seen.add(id(node))
            for index, item in enumerate(node):
                try:
                    line = node.lc.item(index)[0]
                except (KeyError, TypeError):
                    continue
                lines[path + (index,)] = first_line + file_line(line, table)
                stack.append((path + (index,), item))
    return lines
