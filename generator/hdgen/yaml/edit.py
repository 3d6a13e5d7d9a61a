"""Surgical edits of YAML text: set one scalar (a string, an integer or null), leave every other byte alone.

A round-trip dump re-emits the whole file (it reflows flow mappings, moves
comments, changes quoting), so edits work on the text itself: the parser's
event stream gives the exact character range of every scalar, and the new
value is spliced in as a double-quoted string (so `1234567` or `1e12345`
stay strings). A missing key is inserted as one new line in the style of its
mapping (block: a line at the mapping's indentation; flow: `, key: "…"`).

Values reached through anchors and aliases are refused: editing the anchored
text would silently change every key that aliases it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from hdgen.errors import InputError
from hdgen.yaml.breaks import file_line, line_table

KeyPath = tuple[str, ...]
MERGE_KEY = "<<"
DEFAULT_INDENT_STEP = 2
# A key written plain must read back as the same string: a letter first rules out numbers, and
# the YAML 1.2 core schema's words for null and booleans are quoted (a Secret may be called `null`).
_PLAIN_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_CORE_WORDS = frozenset({"null", "true", "false"})


@dataclass
class Node:
    """One node of the document with where its text lies (character offsets)."""

    kind: str  # "map", "seq", "scalar" or "alias"
    start: int  # first character, including any anchor or tag
    end: int  # one past the last character of the node's content
    line: int  # 1-based
    column: int  # 0-based
    flow: bool = False
    anchor: str | None = None
    value: str | None = None  # scalars: the value; aliases: the anchor they name
    items: list[tuple[Node, Node]] = field(default_factory=list)  # maps: (key, value)
    children: list[Node] = field(default_factory=list)  # sequences
    close: int = -1  # flow collections: offset of the closing bracket

    def get(self, key: str) -> Node | None:
        for key_node, value_node in self.items:
            if key_node.kind == "scalar" and key_node.value == key:
                return value_node
        return None

    def key_node(self, key: str) -> Node | None:
        for key_node, _ in self.items:
            if key_node.kind == "scalar" and key_node.value == key:
                return key_node
        return None


@dataclass
class Document:
    text: str
    root: Node
    anchors: dict[str, Node]  # anchor name -> the node it marks
    aliased: set[str]  # anchor names some alias refers to


def parse(text: str, label: str) -> Document:
    """The node tree of a one-document YAML text, with character offsets."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceStartEvent,
    )

    from hdgen.yaml.engines import events
    from hdgen.yaml.errors import INVALID, YamlProblem, problem_of

    table = line_table(text)
    anchors: dict[str, Node] = {}
    aliased: set[str] = set()
    stack: list[tuple[Node, list[Node]]] = []  # open collections and their pending children
    root: Node | None = None
    try:
        for event in events(text, roundtrip=True):
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                kind = "map" if isinstance(event, MappingStartEvent) else "seq"
                node = _node(kind, event, table)
                node.flow = bool(event.flow_style)
                stack.append((node, []))
                continue
            if isinstance(event, CollectionEndEvent):
                node, pending = stack.pop()
                if node.kind == "map":
                    node.items = list(zip(pending[0::2], pending[1::2]))
                else:
                    node.children = pending
                if node.flow:
                    node.close = event.start_mark.index
                    node.end = event.end_mark.index
                else:  # a block collection ends where its last content ends
                    node.end = max([node.start, *(child.end for child in pending)])
            elif isinstance(event, ScalarEvent):
                node = _node("scalar", event, table)
                node.value = event.value
            elif isinstance(event, AliasEvent):
                node = _node("alias", event, table)
                node.value = event.anchor
                aliased.add(event.anchor)
            else:
                continue
            if node.anchor:
                anchors[node.anchor] = node
            if stack:
                stack[-1][1].append(node)
            elif root is None:
                root = node
    except YAMLError as error:
        raise YamlProblem(label, *problem_of(error, text, INVALID)) from None
    if root is None or root.kind != "map":
        raise InputError(f"{label}:1: expected a mapping of values")
    return Document(text, root, anchors, aliased)


def _node(kind: str, event, table: list[int] | None) -> Node:
    return Node(
        kind=kind,
        start=event.start_mark.index,
        end=event.end_mark.index,
        line=file_line(event.start_mark.line, table),
        column=event.start_mark.column,
        anchor=getattr(event, "anchor", None) if kind != "alias" else None,
    )


def set_string(text: str, label: str, path: KeyPath, value: str) -> str:
    """text with the scalar at path set to the string value; missing keys are inserted."""
    return _set_scalar(text, label, path, quoted(value))


def set_integer(text: str, label: str, path: KeyPath, value: int) -> str:
    """text with the scalar at path set to the integer value (plain, so it reads back as an int)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"set_integer takes an int, not {type(value).__name__}")
    return _set_scalar(text, label, path, str(value))


def set_null(text: str, label: str, path: KeyPath) -> str:
    """text with the scalar at path set to null, inserted when missing: the merge then drops
    the key that a lower file (values/defaults.yaml) sets, as values files document."""
    return _set_scalar(text, label, path, "null")


def _set_scalar(text: str, label: str, path: KeyPath, literal: str) -> str:
    """text with the scalar at path replaced by literal, YAML text that stands for one scalar."""
    doc = parse(text, label)
    node = doc.root
    last_key = node
    for depth, key in enumerate(path):
        _refuse_shared(doc, node, label, path[:depth])
        if node.kind != "map":
            where = ".".join(path[:depth])
            raise InputError(f"{label}:{node.line}: {where}: expected a mapping, found a {_kind_name(node)}")
        found = node.get(key)
        if found is None:
            _refuse_merged(doc, node, key, label, path[: depth + 1])
            return _insert(doc, node, path[depth:], literal)
        last_key = node.key_node(key)  # type: ignore[assignment]
        node = found
    _refuse_shared(doc, node, label, path)
    if node.kind != "scalar":
        raise InputError(f"{label}:{node.line}: {'.'.join(path)}: expected a string, found a {_kind_name(node)}")
    return _replace_scalar(doc.text, last_key, node, literal)


def _refuse_shared(doc: Document, node: Node, label: str, path: KeyPath) -> None:
    """Anchored or aliased text is shared with other keys: editing it would change them too."""
    where = ".".join(path) or "the top level"
    if node.kind == "alias":
        target = doc.anchors.get(node.value or "")
        line = f" (line {target.line})" if target else ""
        raise InputError(
            f"{label}:{node.line}: {where}: is an alias of &{node.value}{line}; editing it would change "
            "every key that shares the anchor: replace the alias with its own value, then bump"
        )
    if node.anchor and node.anchor in doc.aliased:
        raise InputError(
            f"{label}:{node.line}: {where}: carries the anchor &{node.anchor} that aliases refer to; "
            "editing it would change them too: give the aliases their own values, then bump"
        )


def _refuse_merged(doc: Document, mapping: Node, key: str, label: str, path: KeyPath) -> None:
    """A key that a merge (`<<: *base`) provides cannot be overridden without dropping the rest of it."""
    merged = mapping.get(MERGE_KEY)
    if merged is None:
        return
    sources = merged.children if merged.kind == "seq" else [merged]
    for source in sources:
        target = doc.anchors.get(source.value or "") if source.kind == "alias" else source
        if target is not None and target.kind == "map" and target.get(key) is not None:
            raise InputError(
                f"{label}:{merged.line}: {'.'.join(path)}: comes from the merge key '<<' here; "
                "bump cannot change it without changing what it shares: write the key out, then bump"
            )


def _kind_name(node: Node) -> str:
    return {"map": "mapping", "seq": "list", "scalar": "scalar", "alias": "alias"}[node.kind]


def quoted(value: str) -> str:
    """A double-quoted YAML scalar: JSON's string syntax is valid YAML for it."""
    return json.dumps(value, ensure_ascii=False)


def _replace_scalar(text: str, key: Node, node: Node, literal: str) -> str:
    start = _skip_properties(text, node.start, node.end)
    if start == node.end:
        # An empty value (`tag:`): its mark may sit at the next key, so write right after the colon.
        colon = text.index(":", key.end)
        return text[: colon + 1] + " " + literal + text[colon + 1 :]
    return text[:start] + literal + text[node.end :]


def _skip_properties(text: str, start: int, end: int) -> int:
    """Where a scalar's own text starts, after its anchor (&a) and tag (!!str)."""
    while start < end and text[start] in "&!":
        while start < end and not text[start].isspace():
            start += 1
        while start < end and text[start].isspace():
            start += 1
    return start


def _insert(doc: Document, mapping: Node, keys: KeyPath, literal: str) -> str:
    """Add keys (a chain of mappings ending in value) to mapping, in its own style."""
    text = doc.text
    if mapping.flow:
        entry = f"{_key(keys[0])}: {_flow(keys[1:], literal)}"
        if not mapping.items:
            return text[: mapping.close] + entry + text[mapping.close :]
        last_key, last_value = mapping.items[-1]
        after = max(last_key.end, last_value.end)
        return text[:after] + ", " + entry + text[after:]
    newline = "\r\n" if "\r\n" in text else "\n"
    column = mapping.items[0][0].column
    step = _indent_step(doc.root)
    lines = []
    for depth, key in enumerate(keys[:-2]):
        lines.append(" " * (column + depth * step) + f"{_key(key)}:")
    depth = max(len(keys) - 2, 0)
    lines.append(" " * (column + depth * step) + f"{_key(keys[depth])}: {_flow(keys[depth + 1:], literal)}")
    block = "".join(line + newline for line in lines)
    end = mapping.end
    if end > 0 and text[end - 1] == "\n":  # the last value (a block scalar) ended with its line
        return text[:end] + block + text[end:]
    line_end = text.find("\n", end)
    if line_end == -1:  # last line without a newline
        return text + newline + block.removesuffix(newline)
    return text[: line_end + 1] + block + text[line_end + 1 :]


def _flow(keys: KeyPath, literal: str) -> str:
    """`"v"`, `{tag: "v"}`, `{image: {tag: "v"}}`…"""
    if not keys:
        return literal
    return "{" + f"{_key(keys[0])}: {_flow(keys[1:], literal)}" + "}"


def _key(key: str) -> str:
    """A new key as YAML text: plain when it reads back as that string, else quoted (`"123"`, `"null"`)."""
    if _PLAIN_KEY.match(key) and key.lower() not in _CORE_WORDS:
        return key
    return quoted(key)


def _indent_step(root: Node) -> int:
    """How far this file indents a nested block mapping (the first one found)."""
    pending = [root]
    while pending:
        node = pending.pop(0)
        for _, child in node.items:
            if child.kind == "map" and not child.flow and not node.flow and child.items:
                step = child.items[0][0].column - node.items[0][0].column
                if step > 0:
                    return step
            pending.append(child)
    return DEFAULT_INDENT_STEP


def line_of(text: str, label: str, path: KeyPath) -> int | None:
    """The 1-based line of the key at path (an int in it: a list item), or None when the text does not have it."""
    node = parse(text, label).root
    for key in path[:-1]:
        node = _child(node, key)
        if node is None:
            return None
    if isinstance(path[-1], int):
        item = _child(node, path[-1])
        return item.line if item else None
    key_node = node.key_node(path[-1]) if node.kind == "map" else None
    return key_node.line if key_node else None


def _child(node: Node, key: str | int) -> Node | None:
    if isinstance(key, int):
        return node.children[key] if node.kind == "seq" and 0 <= key < len(node.children) else None
    return node.get(key) if node.kind == "map" else None
