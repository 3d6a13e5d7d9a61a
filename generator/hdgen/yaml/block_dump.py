"""A fast path for hdgen.yaml.dump: block YAML for plain data, byte for byte what ruamel's dumper writes.

ruamel's representer and serializer cost about 2 ms per manifest, the largest
part of a render at scale. Manifests are plain data (dict, list, str, int,
bool, None) and nearly every string is a name, a label, a path or an image:
for those the output is a few string joins. Anything this module is not sure
to write exactly as ruamel does (floats, multi-line or unusual strings, long
keys) makes it give up on the whole document, and dump() falls back to
ruamel; a property test compares the two on generated data.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from hdgen.yaml.quoting import needs_quotes

# Strings ruamel's emitter may write plain in block context (its analyze_scalar,
# for printable ASCII): no indicator first (`#,[]{}&*!|>'"%@` and a backquote;
# `?`, `:` or `-` before a space or the end), no `---` or `...` start, no ": ",
# " #" or final ":", single interior spaces, no quotes (those change the quoted
# form). Whether such a string is then written plain or single-quoted is the
# resolver's and needs_quotes' call; anything else goes to ruamel.
_SIMPLE = re.compile(
    r"""(?![#,\[\]{}&*!|>%@`])(?![?:-](?:\ |\Z))(?!---|\.\.\.)(?!.*(?::\ |:\Z|\ \#))"""
    r"""[\x21\x23-\x26\x28-\x7e]+(?:\ [\x21\x23-\x26\x28-\x7e]+)*\Z""",
    re.X,
)
# Multi-line text dump() asks to be written as a literal block ("|"): printable
# ASCII, no line ending in a space, no leading space or break (those need an
# indentation indicator), at most one final line break (more needs "|+").
_LITERAL = re.compile(r"[\x21-\x7e][\x20-\x7e\n]*\Z")
_MAX_SIMPLE_KEY = 120  # ruamel writes keys of 128+ characters as complex keys ("? ")


class Unsupported(Exception):
    """The data holds something only ruamel's dumper should write."""


def dump_block(data: dict, scalar_is_str: Callable[[str], bool]) -> str:
    """data as block YAML; raises Unsupported. scalar_is_str(text): whether plain text reads back as a string."""
    if not isinstance(data, dict) or not data:
        raise Unsupported
    out: list[str] = []
    # How each string is written, kept across documents: a render writes the same
    # names, labels and keys thousands of times, and deciding costs two regexes.
    cache = _SHOWN.setdefault(scalar_is_str, {})
    _mapping(data, "", out, cache, scalar_is_str)
    return "".join(out)


_SHOWN: dict[Callable, dict[str, str]] = {}


def _mapping(data: dict, pad: str, out: list[str], cache: dict, is_str) -> None:
    for key, value in data.items():
        if type(key) is not str or len(key) > _MAX_SIMPLE_KEY:
            raise Unsupported
        text = _string(key, cache, is_str)
        if type(value) is dict and value:
            out.append(f"{pad}{text}:\n")
            _mapping(value, pad + "  ", out, cache, is_str)
        elif type(value) is list and value:
            out.append(f"{pad}{text}:\n")
            _sequence(value, pad, out, cache, is_str)
        elif type(value) is str and "\n" in value:
            out.append(f"{pad}{text}: {_literal(value, pad + '  ')}")
        else:
            out.append(f"{pad}{text}: {_scalar(value, cache, is_str)}\n")


def _sequence(items: list, pad: str, out: list[str], cache: dict, is_str) -> None:
    inner = pad + "  "
    for item in items:
        if (type(item) is dict or type(item) is list) and item:
            start = len(out)
            if type(item) is dict:
                _mapping(item, inner, out, cache, is_str)
            else:
                _sequence(item, inner, out, cache, is_str)
            out[start] = pad + "- " + out[start][len(inner):]  # the item's first line follows the dash
        else:
            out.append(f"{pad}- {_scalar(item, cache, is_str)}\n")


def _scalar(value: Any, cache: dict, is_str) -> str:
    kind = type(value)
    if kind is str:
        return _string(value, cache, is_str)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    if kind is dict and not value:
        return "{}"
    if kind is list and not value:
        return "[]"
    raise Unsupported  # floats and anything else: ruamel's formatting


def _string(text: str, cache: dict, is_str) -> str:
    shown = cache.get(text)
    if shown is None:
        if not text:
            return "''"  # plain empty text reads as null
        if not _SIMPLE.match(text):
            raise Unsupported
        shown = f"'{text}'" if needs_quotes(text) or not is_str(text) else text
        cache[text] = shown
    return shown


def _literal(text: str, indent: str) -> str:
    """A mapping value as ruamel writes it with style "|": the header, then each line indented."""
    if not _LITERAL.match(text) or " \n" in text or text.endswith((" ", "\n\n")):
        raise Unsupported
    header = "|\n" if text.endswith("\n") else "|-\n"
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    return header + "".join(f"{indent}{line}\n" if line else "\n" for line in lines)
