"""The fast YAML writer is byte for byte ruamel's dumper, or steps aside."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hdgen.yaml.block_dump import Unsupported, dump_block
from hdgen.yaml.dump import _reads_as_str, dump, dump_with_ruamel

REPO = Path(__file__).resolve().parent.parent

# Characters that make YAML decisions: indicators, quotes, spaces, digits, dots, signs.
_ALPHABET = "abyYnNoOeE019_./@=+,-:# '\"!&*?[]{}|>%`~\\\té\n"
_strings = st.text(alphabet=_ALPHABET, max_size=12) | st.text(alphabet="abyYnN019_./@=+,-: ", max_size=10) | st.sampled_from(
    ["yes", "on", "0755", "1e3", "0o17", "0x1F", "1_000", "2001-12-14", "1:30", "null", "~", ".inf", "-", "--queue", "-x", "---", "--", "-1", "-- a", "", "a: b", "a #b", "<<", "="]
)
_scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | _strings
_scalars = _scalars | st.floats(allow_nan=False)
_data = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_strings, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_strings, _data, min_size=1, max_size=5))
def test_dump_equals_ruamel_on_any_data(data):
    assert dump(data) == dump_with_ruamel(data)


def test_fast_path_writes_the_rendered_manifests():
    """The manifests hdgen renders (except multi-line config) take the fast path, not the fallback."""
    from ruamel.yaml import YAML

    dump({"warm": "up"})  # builds the dumper the resolver check uses
    loader = YAML(typ="safe")
    fast = 0
    for path in sorted((REPO / "rendered").rglob("*.yaml")):
        body = loader.load(path.read_text())
        try:
            text = dump_block(body, _reads_as_str)
        except Unsupported:
            continue
        assert text == dump_with_ruamel(body), path
        fast += 1
    assert fast >= 30


def test_unsupported_values_step_aside():
    dump({"warm": "up"})
    for data in ({"ratio": 0.5}, {"text": "two\nlines"}, {"k" * 130: 1}, {"lead": " space"}, {}):
        try:
            dump_block(data, _reads_as_str)
        except Unsupported:
            continue
        raise AssertionError(f"{data!r} took the fast path")
