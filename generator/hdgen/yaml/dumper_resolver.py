"""Would hdgen's dumper read a plain scalar back as a string? Answered without importing ruamel.

The fast block writer (block_dump.py) writes a string plain only when the
dumper's resolver reads it back as a string; otherwise it steps aside or quotes.
That resolver is ruamel's YAML 1.2 table, copied here row for row
(ruamel/yaml/resolver.py, the rows for version (1, 2), same patterns, same
flags, same first-character dispatch), so that a render need not import ruamel:
the import was 0.06 s of CPU in every cold `hdgen render`. ruamel stays the
reference: tests/test_fastdump.py checks this table against ruamel's resolver
on generated text.

This is ruamel's table, not hdgen's reading of YAML (that is core_schema.py):
ruamel still resolves timestamps, `=` and `1_000` here, so the writer quotes
them, as ruamel's dumper does.
"""

from __future__ import annotations

import re

# (pattern, first characters a matching scalar can start with); the tags do not
# matter here, only that some non-string tag matched.
_NON_STRING = (
    (re.compile(r"""^(?:true|True|TRUE|false|False|FALSE)$""", re.X), "tTfF"),  # bool
    (re.compile(r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", re.X), "-+0123456789."),  # float
    (re.compile(r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", re.X), "-+0123456789"),  # int
    (re.compile(r"^(?:<<)$"), "<"),  # merge
    (re.compile(r"""^(?: ~
        |null|Null|NULL
        | )$""", re.X), "~nN"),  # null (and the empty scalar, below)
    (re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X), "0123456789"),  # timestamp
    (re.compile(r"^(?:=)$"), "="),  # value
    (re.compile(r"^(?:!|&|\*)$"), "!&*"),  # yaml
)

_BY_FIRST: dict[str, tuple[re.Pattern, ...]] = {}
for _pattern, _firsts in _NON_STRING:
    for _first in _firsts:
        _BY_FIRST[_first] = (*_BY_FIRST.get(_first, ()), _pattern)
del _pattern, _firsts, _first


def reads_as_str(text: str) -> bool:
    """True when ruamel's YAML 1.2 dumper would read `text`, written plain, as a string."""
    if text == "":
        return False  # the null row's empty alternative
    return not any(pattern.match(text) for pattern in _BY_FIRST.get(text[0], ()))
