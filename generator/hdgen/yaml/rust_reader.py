"""The fastest way to read back a manifest hdgen's templates wrote: yaml_rs (Rust, YAML 1.2), or a refusal.

yaml_rs reads a rendered manifest about 8x faster than PyYAML's C loader with
its Python constructor (hdgen.yaml.construct), which is still 4x faster than
ruamel. But it is not a drop-in for ruamel on any text: it reads some plain
scalars as numbers that ruamel reads as text (`_0`, `0X1F`, `-.5e3`), so it
is only for text whose every scalar is JSON (templates interpolate values
with tojson) or literal template text, which a test reads both ways for every
rendered file. Its other differences are refused outright, and the caller
reads the text the careful way (construct.py, else ruamel), which also words any
error: a document marker (yaml_rs returns a stream as one list), a tag (it
drops them), an anchor (it allows a name twice), a merge key (it reads `<<`
as a plain key), a tab or an empty block scalar (it takes both differently),
a surrogate escape (it joins a pair), and any result that is not plain data
(dicts with string keys, lists, str, int, float, bool, None: it reads
timestamps as dates) or holds a plain `=` (ruamel refuses YAML 1.1's value
tag). Property tests hold the fast and careful ways to the same meaning.
"""

from __future__ import annotations

import re
from typing import Any

import yaml_rs

# A block scalar's header (`key: |`, `- >-`, a document that is one): yaml_rs and
# libyaml disagree at its edges (an empty one is "\n" to yaml_rs, "" to ruamel).
_BLOCK_SCALAR = re.compile(r"(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?$", re.MULTILINE)
# A \u escape of half a surrogate pair: libyaml refuses it, yaml_rs joins a pair.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_PLAIN_SCALARS = frozenset((str, int, float, bool, type(None)))


class Refused(ValueError):
    """yaml_rs might read this text differently from ruamel: read it the careful way."""


def load(text: str) -> Any:
    """The one document in text as plain data; raises (any exception) when the careful way must read it."""
    if "!" in text or "&" in text or "<<" in text or "\t" in text:
        # yaml_rs drops tags, allows an anchor name twice, reads `<<` as a plain key,
        # and takes tabs where libyaml refuses them.
        raise Refused("tags, anchors, merge keys and tabs are read the careful way")
    # The cheap `in` tests first: the regexes cost more than yaml_rs itself.
    if ("|" in text or ">" in text) and _BLOCK_SCALAR.search(text):
        raise Refused("block scalars are read the careful way")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        raise Refused("surrogate escapes are read the careful way")
    framed = "\n" + text
    if "\n---" in framed or "\n..." in framed:
        # yaml_rs returns a stream of documents as a list, like a document that is one.
        raise Refused("document markers are read the careful way")
    data = yaml_rs.loads(text)
    _check_plain(data)
    return data


def _check_plain(data: Any) -> None:
    stack = [data]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            for key, value in node.items():
                if type(key) is not str or key == "=":
                    raise Refused(f"a key {key!r}")
                stack.append(value)
        elif kind is list:
            stack.extend(node)
        elif kind not in _PLAIN_SCALARS or node == "=":
            # ruamel reads a plain `=` as YAML 1.1's "value" tag and refuses it; quoted, it is text.
            raise Refused(f"a {kind.__name__} value {node!r}")
