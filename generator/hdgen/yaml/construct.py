"""Construct plain data from YAML text fast, with ruamel's YAML 1.2 meaning, on PyYAML's C parser.

Used by read.py and stream.py, which hand ruamel whatever this refuses.

ruamel's safe loader spends most of its time in Python bookkeeping (tag
objects, a version lookup per scalar): about 2 ms per manifest, the largest
part of validating thousands of them. PyYAML's C loader builds the same plain
data in well under half the time, but reads YAML 1.1 (`yes` is true, `017`
is 15). Here it gets the YAML 1.2 core schema's table (core_schema.py, which
ruamel's loaders use too) and constructs only what reads the same in both:
null, bool, int, float, str, lists and mappings. Anything else (an explicit
tag, a duplicate key, a merge key, a recursive alias) raises, and callers
read that text with ruamel,
which also gives the precise error. Flow collections other than `{}` and
`[]` go to ruamel too: there the two libyaml versions accept different
syntax (`[0:0]`, `[!, 1]`). Property tests compare the two.

The C parser builds the node tree; _plain turns it into data in one small
recursive walk. PyYAML's own constructor (generators for deep construction,
a state dict per node, merge-key flattening) cost three times as much, and
was most of `hdgen validate`'s time per resource.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.cyaml import CParser
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from hdgen.yaml.core_schema import CORE_RESOLVERS, MERGE


class _Resolver(yaml.resolver.BaseResolver):
    # The C parser asks for every scalar's tag; manifests repeat the same few scalars a lot.
    _memo: dict = {}

    def resolve(self, kind, value, implicit):
        key = (kind, value, implicit)
        tag = self._memo.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._memo) < _MEMO_LIMIT and (value is None or len(value) <= 80):  # not long texts
                self._memo[key] = tag
        return tag


_MEMO_LIMIT = 50_000  # entries; bounds the memo to a few MB


for _tag, _regexp, _first in CORE_RESOLVERS:
    _Resolver.add_implicit_resolver(_tag, _regexp, _first)


class _Constructor(SafeConstructor):
    yaml_constructors: dict = {}  # only the tags listed below; the rest raise

    def construct_yaml_int(self, node: Any) -> int:
        """YAML 1.2 ints, as ruamel reads them: `017` is 17, `0o17` is 15."""
        text = self.construct_scalar(node).replace("_", "")
        sign = -1 if text[0] == "-" else 1
        text = text.lstrip("+-")
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if text.startswith("0o"):
            return sign * int(text[2:], 8)
        return sign * int(text)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        pairs = len(node.value)
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != pairs:  # a duplicate key, or a merge key ruamel resolves its own way
            raise ConstructorError(None, None, "duplicate key", node.start_mark)
        return mapping


for _tag, _method in (
    ("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
    ("tag:yaml.org,2002:bool", SafeConstructor.construct_yaml_bool),
    ("tag:yaml.org,2002:int", _Constructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", SafeConstructor.construct_yaml_float),
    ("tag:yaml.org,2002:str", SafeConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:seq", SafeConstructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", SafeConstructor.construct_yaml_map),
    (MERGE, SafeConstructor.construct_yaml_str),  # `<<` that is not a mapping key: _plain refuses merge keys
    (None, SafeConstructor.construct_undefined),
):
    _Constructor.add_constructor(_tag, _method)


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALARS = {tag: method for tag, method in _Constructor.yaml_constructors.items() if tag in (
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", MERGE)}
_BUILDING = object()


def _plain(node: Any, made: dict, constructor: _Constructor) -> Any:
    """The data of a composed node; raises on anything _Constructor would not build the same way."""
    cls = node.__class__
    if cls is ScalarNode:
        if node.tag == _STR:
            return node.value
        return _SCALARS[node.tag](constructor, node)  # KeyError for any other tag
    known = made.get(id(node))  # an alias shares its anchor's node
    if known is not None:
        if known is _BUILDING:
            raise ConstructorError(None, None, "recursive alias", node.start_mark)
        return known
    made[id(node)] = _BUILDING
    if cls is MappingNode and node.tag == _MAP:
        data: Any = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, made, constructor)
            if key in data or key_node.tag == MERGE:  # unhashable keys raise TypeError here
                raise ConstructorError(None, None, "duplicate or merge key", key_node.start_mark)
            data[key] = _plain(value_node, made, constructor)
    elif cls is SequenceNode and node.tag == _SEQ:
        data = [_plain(item, made, constructor) for item in node.value]
    else:
        raise ConstructorError(None, None, f"tag {node.tag} is left to ruamel", node.start_mark)
    made[id(node)] = data
    return data


class _Loader(CParser, _Constructor, _Resolver):
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


# Inside a flow collection that both libyamls read alike: plain words and the separators.
_FLOW_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+")


def plain_flows(text: str) -> bool:
    """Whether every flow collection in text is one line of plain words and double-quoted strings
    without escapes: `{tag: "d3708e6"}`, `{cpu: 250m, memory: 256Mi}`, `[/app/worker, healthcheck]`.

    The two libyamls read those alike; anything else in a flow (a `:` inside a word, `[a: b]`,
    empty or trailing entries, tags, anchors, quotes with escapes, comments, line breaks) goes
    to ruamel. Conservative: a bracket anywhere (in a comment, a block string) is checked as
    a flow, which at worst sends the text to ruamel.
    """
    stack: list[list] = []  # per open collection: [its bracket, whether this entry has had its `:`]
    last = ""  # the last significant character inside the flow ("w" for a word or a string)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "{[":
            if stack and last not in "{[,:":
                return False
            stack.append([c, False])
            last = c
        elif not stack:
            pass  # block context: only a flow's opening bracket matters
        elif c in "}],":
            bracket, colon = stack[-1]
            if last in ",:" or (bracket == "{" and not colon and last != "{") or (c != ",") and (c == "}") != (bracket == "{"):
                return False  # an empty or trailing entry, a key without a value, mismatched brackets
            if c == ",":
                stack[-1][1] = False
            else:
                stack.pop()
            last = c
        elif c == ":":
            if stack[-1] != ["{", False] or last != "w" or i + 1 >= n or text[i + 1] != " ":
                return False  # a `:` in a word or a list, a second one in an entry
            stack[-1][1] = True
            last = c
        elif c == '"':
            end = text.find('"', i + 1)
            if end == -1 or last not in "{[,:" or any(ch in "\\\n" for ch in text[i + 1 : end]):
                return False
            i, last = end, "w"
        elif c in _FLOW_WORD:
            if c == "-" and last in "{[,:" and (i + 1 >= n or text[i + 1] not in _FLOW_WORD):
                return False  # a lone `-`: an indicator, not a word
            if last in "}]" or (last == "w" and text[i - 1] == " "):
                return False  # words in a row: `{a b: c}` and `[a b]` are read differently, if at all
            last = "w"
        elif c != " ":
            return False
        i += 1
    return not stack


def load(text: str, json_flow: bool = False) -> Any:
    """The one document in text as plain data; raises (any exception) when ruamel should read it.

    json_flow: the caller vouches that every flow collection in text is JSON
    (render's templates interpolate with tojson), syntax both libyamls agree on.
    """
    if not json_flow and ("[" in text or "{" in text) and not plain_flows(text):
        raise ValueError("flow collections are left to ruamel")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    return None if node is None else _plain(node, {}, loader)
