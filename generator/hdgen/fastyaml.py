"""Fast YAML loading with ruamel's YAML 1.2 meaning: PyYAML's C parser and constructor.

ruamel's safe loader spends most of its time in Python bookkeeping (tag
objects, a version lookup per scalar): about 2 ms per manifest, the largest
part of validating thousands of them. PyYAML's C loader builds the same plain
data in well under half the time, but reads YAML 1.1 (`yes` is true, `017`
is 15). Here it gets ruamel's 1.2 resolver table and constructs only what
reads the same in both: null, bool, int (1.2 rules), float, str, lists and
mappings. Anything else (a timestamp, an explicit tag, a duplicate key, a
merge that overrides a key) raises, and callers read that text with ruamel,
which also gives the precise error. Flow collections other than `{}` and
`[]` go to ruamel too: there the two libyaml versions accept different
syntax (`[0:0]`, `[!, 1]`). Property tests compare the two.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.cyaml import CParser
from ruamel.yaml.resolver import implicit_resolvers
from yaml.constructor import ConstructorError, SafeConstructor


class _Resolver(yaml.resolver.BaseResolver):
    pass


for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions:
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
    (None, SafeConstructor.construct_undefined),
):
    _Constructor.add_constructor(_tag, _method)


class _Loader(CParser, _Constructor, _Resolver):
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def load(text: str, json_flow: bool = False) -> Any:
    """The one document in text as plain data; raises (any exception) when ruamel should read it.

    json_flow: the caller vouches that every flow collection in text is JSON
    (render's templates interpolate with tojson), syntax both libyamls agree on.
    """
    if not json_flow and ("[" in text or "{" in text):
        bare = text.replace("{}", "").replace("[]", "")
        if "[" in bare or "{" in bare:
            raise ValueError("flow collections are left to ruamel")
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
