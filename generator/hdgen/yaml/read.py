"""One YAML document in: a values file or hdgen.yaml.

Two ways, tried in this order by callers. load_data is fast and knows no
lines (construct.py's C loader, else ruamel's); load_with_lines is ruamel's
round-trip loader, which knows the line of every key, so that an error
names file:line. Both refuse what is over the limits (limits.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hdgen.errors import InputError
from hdgen.yaml.limits import MAX_VALUES_BYTES, TOO_DEEP, nesting_problem


def read_text(path: Path, label: str) -> str:
    """A YAML file's text: UTF-8, bounded in size; errors name the file."""
    try:
        size = path.stat().st_size
        if size > MAX_VALUES_BYTES:
            raise InputError(
                f"{label}: file is {size:,} bytes, over the {MAX_VALUES_BYTES:,} byte limit for a values file"
            )
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{label}: cannot read: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{label}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x})") from None


def load_data(text: str) -> Any:
    """The one document in text as plain data, fast, without lines; raises (any exception) on bad YAML.

    Callers that must say where something is wrong read the text again with load_with_lines.
    """
    if nesting_problem(text) is not None:
        raise ValueError(TOO_DEEP)  # the C loaders recurse per level: load_with_lines says where
    from hdgen.yaml.construct import load

    try:
        return load(text)
    except Exception:  # noqa: BLE001 - anything construct.py leaves to ruamel
        pass
    from hdgen.yaml.engines import safe_loader

    return safe_loader().load(text)


def load_rendered(text: str) -> Any:
    """A document hdgen's templates wrote, as plain data; raises (ruamel's error) on bad YAML.

    The templates write flow collections only through tojson, JSON that both
    libyamls read alike, so construct.py reads them too (json_flow); it is the
    read-back of every rendered document, most of the parsing in a render.
    """
    from hdgen.yaml.construct import load

    try:
        return load(text, json_flow=True)
    except Exception:  # noqa: BLE001 - anything construct.py leaves to ruamel, which also words the error
        pass
    from hdgen.yaml.engines import safe_loader

    return safe_loader().load(text)


def load_with_lines(text: str, label: str):
    """(plain data, its Lines) of the one document in text; a YamlProblem names label:line, in words,
    with the line and a caret under the mistake as its detail.

    Aliases stay shared in the data: a walk over it must bound itself (MAX_NODES).
    """
    from ruamel.yaml.error import YAMLError

    from hdgen.yaml.engines import roundtrip_loader
    from hdgen.yaml.errors import MISTAGGED, YamlProblem, caret, explain, mistagged
    from hdgen.yaml.lines import plain_with_lines

    deep = nesting_problem(text)
    if deep is not None:
        raise YamlProblem(label, deep[0], TOO_DEEP)
    try:
        root = roundtrip_loader().load(text)
    except YAMLError as error:
        said = explain(error, text)
        raise YamlProblem(label, said.line, said.words, caret(text, said.line, said.column)) from None
    except MISTAGGED:  # a tag the value does not fit: `!!int x`
        said = mistagged(text)
        raise YamlProblem(label, said.line, said.words, caret(text, said.line, said.column)) from None
    return plain_with_lines(root, text)
