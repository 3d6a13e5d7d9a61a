"""Canonical block YAML out: one document as text, the same bytes for equal data.

ruamel's safe dumper on the C emitter, with one twist. The emitter quotes
strings that a YAML 1.2 reader would misread, but Kubernetes reads YAML 1.1
(sigs.k8s.io/yaml), where `yes`, `on`, `0755` or `1:30` are not strings. Every
string that either version would misread is single-quoted (quoting.py).
Plain data takes block_dump's fast path, byte for byte what ruamel writes.
"""

from __future__ import annotations

import io

from hdgen.yaml.block_dump import Unsupported, dump_block
from hdgen.yaml.dumper_resolver import reads_as_str
from hdgen.yaml.quoting import needs_quotes


def _dumper():
    from ruamel.yaml import YAML
    from ruamel.yaml.representer import SafeRepresenter

    yaml = YAML(typ="safe", pure=False)
    yaml.default_flow_style = False
    yaml.width = 1 << 16  # never fold long strings: folding changes nothing but reads worse
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # callers order keys on purpose

    def represent_str(representer, data: str):
        style = None
        if "\n" in data and not any(line != line.rstrip() for line in data.splitlines()):
            style = "|"
        elif needs_quotes(data):
            style = "'"
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    def represent_dict(representer, data: dict):
        return representer.represent_mapping("tag:yaml.org,2002:map", data.items())

    yaml.representer.add_representer(str, represent_str)
    yaml.representer.add_representer(dict, represent_dict)
    del SafeRepresenter  # imported only to make sure the safe representer module is loaded
    return yaml


_DUMPER = None


def dump(data: object) -> str:
    """One YAML document as text, deterministic for equal data."""
    try:
        return dump_block(data, reads_as_str)
    except Unsupported:
        return dump_with_ruamel(data)


def dump_with_ruamel(data: object) -> str:
    """dump() without the fast path (the reference the fast path is tested against)."""
    out = io.StringIO()
    _ruamel_dumper().dump(data, out)
    return out.getvalue()


def _ruamel_dumper():
    global _DUMPER
    if _DUMPER is None:
        _DUMPER = _dumper()
    return _DUMPER
