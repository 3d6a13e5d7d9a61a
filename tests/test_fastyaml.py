"""The fast loader (hdgen.yaml.construct: PyYAML's C parser with ruamel's YAML 1.2 meaning) reads YAML exactly
as ruamel's safe loader does, or raises so that ruamel reads it."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hdgen.yaml.construct import load
from hdgen.yaml.dump import dump_with_ruamel

_RUAMEL = YAML(typ="safe", pure=False)

_TOKENS = [
    "yes", "No", "on", "OFF", "true", "False", "TRUE", "null", "Null", "~", "", "0", "017", "0o17", "0x1F",
    "0b101", "-0b1", "+12", "1_000", "1e3", "1.5e-3", ".5", "-.inf", ".NaN", "1:30", "2001-12-14",
    "2001-12-14T21:59:43.10-05:00", "<<", "=", "!", "&a", "*a", "'quoted'", '"dq"', "a: b", "[1, 2]",
    "{a: 1}", "- x", "!!str 12", "!!binary aGk=", "|\n  text", ">-\n  folded", "&anchor 5", "0.", "-0", "+.5",
]
_scalar_text = st.sampled_from(_TOKENS) | st.text(alphabet="aeyn01789_.:+-eExob ", max_size=8)


def _typed(value):
    """value with every scalar tagged by its type, so 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {"dict": sorted((repr(_typed(k)), _typed(v)) for k, v in value.items())}
    if isinstance(value, list):
        return {"list": [_typed(v) for v in value]}
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _same_as_ruamel(text: str, json_flow: bool = False) -> None:
    """Either the fast loader refuses text (callers then read it with ruamel), or it reads what ruamel reads.

    json_flow: text like render's templates write, whose flow collections are JSON.
    """
    try:
        fast = load(text, json_flow=json_flow)
    except Exception:
        return
    assert _typed(fast) == _typed(_RUAMEL.load(text)), text  # ruamel raising here fails the test too


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "1", "<<"]), _scalar_text), min_size=1, max_size=5))
def test_block_mappings_of_tricky_scalars(pairs):
    _same_as_ruamel("".join(f"{key}: {value}\n" for key, value in pairs))


@settings(max_examples=200, deadline=None)
@given(st.lists(_scalar_text, min_size=1, max_size=5))
def test_flow_sequences_of_tricky_scalars(items):
    _same_as_ruamel("items: [" + ", ".join(items) + "]\n")


_BLOCK_PARTS = ["a: ", "- ", "  ", "\n", "b:\n", "x", ":", "'", '"', "#", "&a ", "*a", "? ", "!", "!!str ",
                "|", ">", "%", "@", "`", "1:2", "---", "...", "\t", "-", "0o7", " #c", "{}", "[]", "yes", "017"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_BLOCK_PARTS), min_size=2, max_size=10))
def test_arbitrary_block_syntax(parts):
    _same_as_ruamel("".join(parts))


_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _data, min_size=1, max_size=4))
def test_whatever_ruamel_writes(data):
    _same_as_ruamel(dump_with_ruamel(data))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _data, min_size=1, max_size=4))
def test_json_flow_collections_as_templates_write_them(data):
    """Render's templates interpolate with tojson: flow collections of JSON, read the same by both."""
    import json

    text = "".join(f"k{number}: {json.dumps(value)}\n" for number, value in enumerate(data.values()))
    _same_as_ruamel(text, json_flow=True)


def test_what_it_leaves_to_ruamel():
    for text in ("when: 2001-12-14", "a: 1\na: 2", "x: !!binary aGk=", "k: =", "a: 1\n---\nb: 2\n", "k: [0:0]"):
        try:
            load(text)
        except Exception:
            continue
        raise AssertionError(f"{text!r} was read by the fast loader")
    assert load("octal: 017\nnew: 0o17\nword: yes\n") == {"octal": 17, "new": 15, "word": "yes"}


def test_what_it_leaves_to_ruamel_in_rendered_text():
    """With flow collections vouched for (json_flow, render's read-back), tags, merge keys, streams,
    dates, unhashable keys and duplicates still go to ruamel; an end marker reads as ruamel reads it."""
    for text in ("x: !!binary aGk=", "x: !custom 1", "a: &x {b: 1}\nc:\n  <<: *x\n", "a: 1\n---\nb: 2\n",
                 "when: 2001-12-14", "? [a, b]\n: 1\n", "a: 1\na: 2"):
        try:
            load(text, json_flow=True)
        except Exception:
            continue
        raise AssertionError(f"{text!r} was read by the fast loader")
    _same_as_ruamel("- a\n...\n", json_flow=True)
    assert load("octal: 017\nnew: 0o17\nword: yes\nnum: 1e3\n", json_flow=True) == {
        "octal": 17, "new": 15, "word": "yes", "num": 1000.0,
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.dictionaries(st.text(max_size=6), _data, max_size=4), st.sampled_from(_TOKENS)), max_size=4))
def test_streams_of_documents_read_as_ruamel_reads_them(documents):
    """load_all (each document through the fast loader when it can) against ruamel's load_all."""
    from hdgen.yaml.stream import load_all

    texts = [dump_with_ruamel(d) if isinstance(d, dict) else f"{d}\n" for d in documents]
    for text in ("---\n".join(texts), "---\n" + "---\n".join(texts), "...\n".join(texts)):
        try:
            expected = [d for d in _RUAMEL.load_all(text) if d is not None]
        except Exception:
            continue  # ruamel refuses: load_all must raise too (InputError), checked below
        assert _typed(load_all(text, "x")) == _typed(expected), text


def test_a_stream_ruamel_refuses_is_refused():
    import pytest

    from hdgen.errors import InputError
    from hdgen.yaml.stream import load_all

    for text in ("a: 1\n---\nb: [\n", "a: 1\na: 2\n---\nb: 1\n", "--- x: 1\n---\n{\n"):
        with pytest.raises(InputError):
            load_all(text, "f.yaml")
