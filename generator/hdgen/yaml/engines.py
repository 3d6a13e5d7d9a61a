"""ruamel's loaders and parsers, configured once (the dumper lives in dump.py with its representers).

Every one refuses duplicate keys unless it says otherwise: a duplicate is an
error in values and in manifests alike (the API server keeps the last one).
Every loader reads plain scalars by the YAML 1.2 core schema (core_schema.py),
as construct.py's fast path does, not by ruamel's own table.
Imported only when a reader needs ruamel: importing ruamel costs ~40 ms.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=2)
def safe_loader(allow_duplicate_keys: bool = False):
    """ruamel's safe loader on its C extension: plain data, no line numbers (a new C parser per load).

    allow_duplicate_keys: the first value of a duplicate key is kept (only to name the object of a finding).
    """
    from ruamel.yaml import YAML

    resolver, constructor, _ = _core_schema_classes()
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver, yaml.Constructor = resolver, constructor
    yaml.allow_duplicate_keys = allow_duplicate_keys
    return yaml


def roundtrip_loader(allow_duplicate_keys: bool = False):
    """ruamel's round-trip loader: every mapping and sequence knows the line of its keys and items.

    A new one per call: its composer keeps the anchors of a document it failed to read.
    """
    from ruamel.yaml import YAML

    resolver, _, constructor = _core_schema_classes()
    yaml = YAML(typ="rt")
    yaml.Resolver, yaml.Constructor = resolver, constructor
    yaml.allow_duplicate_keys = allow_duplicate_keys
    return yaml


@lru_cache(maxsize=1)
def _core_schema_classes():
    """(resolver, safe constructor, round-trip constructor): ruamel's, reading plain scalars by the core schema."""
    from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor
    from ruamel.yaml.resolver import VersionedResolver

    from hdgen.yaml.core_schema import CORE_RESOLVERS, MERGE

    class CoreSchemaResolver(VersionedResolver):
        @property
        def versioned_resolver(self):
            version = self.processing_version
            if version not in ((1, 2), "1.2"):  # a `%YAML 1.1` document keeps ruamel's 1.1 table
                return super().versioned_resolver
            if (1, 2) not in self._version_implicit_resolver:
                for tag, regexp, first in CORE_RESOLVERS:
                    self.add_version_implicit_resolver((1, 2), tag, regexp, first)
            return self._version_implicit_resolver[(1, 2)]

    class CoreSafeConstructor(SafeConstructor):
        pass

    class CoreRoundTripConstructor(RoundTripConstructor):
        pass

    # `<<` that is not a mapping key (merge keys are flattened before anything is constructed).
    CoreSafeConstructor.add_constructor(MERGE, SafeConstructor.construct_yaml_str)
    CoreRoundTripConstructor.add_constructor(MERGE, RoundTripConstructor.construct_yaml_str)
    return CoreSchemaResolver, CoreSafeConstructor, CoreRoundTripConstructor


def events(text: str, roundtrip: bool = False):
    """ruamel's event stream of text, with each event's character range (start_mark, end_mark).

    A parser per call: a caller may stop reading the stream half way.
    roundtrip: the round-trip parser, which the comment-preserving edits use.
    """
    from ruamel.yaml import YAML

    return (YAML() if roundtrip else YAML(typ="safe", pure=True)).parse(text)
