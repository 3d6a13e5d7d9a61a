"""ruamel's loaders and parsers, configured once (the dumper lives in dump.py with its representers).

Every one refuses duplicate keys unless it says otherwise: a duplicate is an
error in values and in manifests alike (the API server keeps the last one).
Imported only when a reader needs ruamel: importing ruamel costs ~40 ms.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def safe_loader():
    """ruamel's safe loader on its C extension: plain data, no line numbers (a new C parser per load)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    yaml.allow_duplicate_keys = False
    return yaml


def roundtrip_loader(allow_duplicate_keys: bool = False):
    """ruamel's round-trip loader: every mapping and sequence knows the line of its keys and items.

    A new one per call: its composer keeps the anchors of a document it failed to read.
    """
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = allow_duplicate_keys
    return yaml


def events(text: str, roundtrip: bool = False):
    """ruamel's event stream of text, with each event's character range (start_mark, end_mark).

    A parser per call: a caller may stop reading the stream half way.
    roundtrip: the round-trip parser, which the comment-preserving edits use.
    """
    from ruamel.yaml import YAML

    return (YAML() if roundtrip else YAML(typ="safe", pure=True)).parse(text)
