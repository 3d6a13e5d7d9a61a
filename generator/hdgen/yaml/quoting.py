"""Which strings a YAML 1.1 or 1.2 reader would not read back as strings, and so must be quoted.

Kubernetes reads YAML 1.1 (sigs.k8s.io/yaml), hdgen and ruamel 1.2: a string
either would misread (`yes`, `on`, `0755`, `1:30`) is written single-quoted,
by the ruamel dumper and by the block writer alike.
"""

from __future__ import annotations

import re

# Plain scalars that YAML 1.1 resolves to something other than a string.
_YAML11_NON_STRING = re.compile(
    r"""^(?:
        [yY]|[yY]es|YES|[nN]|[nN]o|NO|[tT]rue|TRUE|[fF]alse|FALSE|[oO]n|ON|[oO]ff|OFF
      | ~|[nN]ull|NULL|
      | [-+]?0b[01_]+
      | [-+]?0[0-7_]+
      | [-+]?(?:0|[1-9][0-9_]*)
      | [-+]?0x[0-9a-fA-F_]+
      | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
      | [-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+]?[0-9]+)?
      | [-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
      | [-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*
      | <<|=
    )$""",
    re.VERBOSE,
)


def needs_quotes(text: str) -> bool:
    """True when a plain `text` would not read back as the same string in YAML 1.1 or 1.2."""
    return bool(_YAML11_NON_STRING.match(text))
