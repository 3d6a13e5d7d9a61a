"""What a plain scalar means: the YAML 1.2 core schema, the one table every reader in hdgen.yaml resolves with.

The core schema (YAML 1.2.2, section 10.3.2) reads a plain scalar as null,
bool, int or float when it matches one of the patterns below, and as a string
otherwise. ruamel's own table for YAML 1.2 keeps YAML 1.1 leftovers: `=` (the
"value" tag, which no constructor builds: `enum: [=, '!=']` in a CRD was
refused), timestamps (`2001-12-14` became a date), ints with `_` or `0b`
(`1_000`, `0b101`) and signed hex or octal. Here they are all strings, as
the spec says. kubectl reads `=`, dates and `<<` values as strings too;
it reads `1_000` and `0b101` as ints (it reads YAML 1.1: it also reads
`017` as 15, where hdgen reads 17).

One extension: `<<` as a mapping key still merges (hdgen accepts merge keys
in values files, and kubectl merges them too). `<<` anywhere else is a string,
so readers give the merge tag a string constructor.

A document that declares `%YAML 1.1` keeps ruamel's 1.1 table (readers of
manifests refuse the directive before that matters).
"""

from __future__ import annotations

import re

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
MERGE = "tag:yaml.org,2002:merge"

_DIGITS = list("-+0123456789")

# (tag, pattern, first characters a matching scalar can start with), tried in this
# order: every decimal int also matches the float pattern, so int comes first.
CORE_RESOLVERS = (
    (NULL, re.compile(r"(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""]),
    (BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"), list("tTfF")),
    (INT, re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"), _DIGITS),
    (FLOAT, re.compile(
        r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
    ), [*_DIGITS, "."]),
    (MERGE, re.compile(r"<<\Z"), ["<"]),  # the extension above
)
