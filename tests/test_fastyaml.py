"""The fast loader (hdgen.yaml.construct: PyYAML's C parser with the YAML 1.2 core schema) reads YAML exactly
as ruamel's loaders do as hdgen.yaml.engines configures them (the safe loader, and the round-trip loader that
knows lines), or raises so that ruamel reads it; and every reader reads plain scalars by the core schema."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hdgen.yaml.construct import load
from hdgen.yaml.dump import dump_with_ruamel
from hdgen.yaml.engines import safe_loader
from hdgen.yaml.read import load_with_lines

_RUAMEL = safe_loader()

_TOKENS = [
    "yes", "No", "on", "OFF", "true", "False", "TRUE", "null", "Null", "~", "", "0", "017", "0o17", "0x1F",
    "0b101", "-0b1", "+12", "1_000", "1e3", "1.5e-3", ".5", "-.inf", ".NaN", "1:30", "2001-12-14",
    "2001-12-14T21:59:43.10-05:00", "<<", "=", "!", "&a", "*a", "'quoted'", '"dq"', "a: b", "[1, 2]",
    "{a: 1}", "- x", "!!str 12", "!!binary aGk=", "|\n  text", ">-\n  folded", "&anchor 5", "0.", "-0", "+.5",
    # YAML 1.1 leftovers in ruamel's own 1.2 table, strings in the core schema: CRD enums, dates, `_` and 0b ints
    "'!='", "<", ">", "<=", "==", "=~", "1_000", "0b101", "+0x1F", "-0o7", "0x_1", "1_0.5", ".5e3", "1e+3",
    "2001-12-14 21:59:43.10 -5", "!!timestamp 2001-12-14", "!!merge <<", "nULL", "TRUe",
]
_scalar_text = st.sampled_from(_TOKENS) | st.text(alphabet="aeyn01789_.:+-eExob=<>! ", max_size=8)


def _typed(value):
    """value with every scalar tagged by its type, so 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {"dict": sorted((repr(_typed(k)), _typed(v)) for k, v in value.items())}
    if isinstance(value, list):
        return {"list": [_typed(v) for v in value]}
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    # ruamel's str, int and float subclasses (an anchored key, a hex int) are the plain type.
    kind = next((t for t in (bool, int, float, str) if isinstance(value, t)), type(value))
    return (kind.__name__, value)


def _same_as_ruamel(text: str, json_flow: bool = False, roundtrip: bool = True) -> None:
    """Either the fast loader refuses text (callers then read it with ruamel), or it reads what ruamel reads.

    json_flow: text like render's templates write, whose flow collections are JSON.
    roundtrip: the round-trip loader reads it the same too (not for arbitrary syntax: its Python
    parser and the C parsers disagree on tabs and block scalar edge cases, not on what scalars mean).
    """
    try:
        fast = load(text, json_flow=json_flow)
    except Exception:
        return
    assert _typed(fast) == _typed(_RUAMEL.load(text)), text  # ruamel raising here fails the test too
    if roundtrip and "!" not in text:  # explicit tags: ruamel's Python parser reads `k: !` as null, the C parsers as ''
        assert _typed(fast) == _typed(load_with_lines(text, "x")[0]), text  # and the round-trip loader


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
    _same_as_ruamel("".join(parts), roundtrip=False)


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
    for text in ("when: !!timestamp 2001-12-14", "a: 1\na: 2", "x: !!binary aGk=", "a: 1\n---\nb: 2\n", "k: [0:0]"):
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
                 "when: !!timestamp 2001-12-14", "? [a, b]\n: 1\n", "a: 1\na: 2"):
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


# Plain scalars and what the YAML 1.2 core schema reads them as (hdgen.yaml.core_schema): null, bool,
# int and float by its patterns, everything else a string, whatever ruamel's own table or YAML 1.1 says.
_CORE_SCHEMA = [
    ("=", "="), ("<", "<"), ("<=", "<="), ("=~", "=~"), ("a=b", "a=b"), ("<<", "<<"),  # `>`, `!=` are not plain
    ("2001-12-14", "2001-12-14"), ("2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"),
    ("1_000", "1_000"), ("0b101", "0b101"), ("+0x1F", "+0x1F"), ("-0o7", "-0o7"), ("0x_1", "0x_1"),
    ("1_0.5", "1_0.5"), ("yes", "yes"), ("on", "on"), ("nULL", "nULL"), ("TRUe", "TRUe"),
    ("0o17", 15), ("0x1F", 31), ("017", 17), ("-017", -17), ("+12", 12), ("0", 0),
    ("1e3", 1000.0), (".5e3", 500.0), ("1.", 1.0), ("+.5", 0.5), ("-.inf", float("-inf")), (".NaN", float("nan")),
    ("~", None), ("Null", None), ("", None), ("TRUE", True), ("False", False),
]


def _readers() -> dict:
    """Every way hdgen.yaml reads a document, by name: each must read the same data."""
    from hdgen.yaml import read, stream
    from hdgen.yaml.engines import roundtrip_loader

    return {
        "construct.load": load,
        "read.load_data": read.load_data,
        "read.load_rendered": read.load_rendered,
        "read.load_with_lines": lambda text: load_with_lines(text, "x")[0],
        "stream.load_document": stream.load_document,
        "stream.load_all": lambda text: stream.load_all(text, "x")[0],
        "engines.safe_loader": _RUAMEL.load,
        "engines.roundtrip_loader": lambda text: roundtrip_loader().load(text),
    }


@pytest.mark.parametrize(("plain", "meaning"), _CORE_SCHEMA, ids=[repr(plain) for plain, _ in _CORE_SCHEMA])
def test_every_reader_reads_plain_scalars_by_the_core_schema(plain, meaning):
    block = f"value: {plain}\nitems:\n- {plain}\n"
    flow = f"flow: [{plain}, x]\n"
    for name, read in _readers().items():
        assert _typed(read(block)) == _typed({"value": meaning, "items": [meaning]}), (name, block)
        # construct.load leaves flow collections to ruamel; libyaml refuses a ':' in a flow plain scalar, and `[, x]`
        if name != "construct.load" and ":" not in plain and plain:
            assert _typed(read(flow)) == _typed({"flow": [meaning, "x"]}), (name, flow)
        if isinstance(meaning, str) and plain != "<<":
            assert _typed(read(f"{plain}: 1\n")) == _typed({plain: 1}), (name, plain)


def test_merge_keys_still_merge_and_a_merge_key_is_left_to_ruamel():
    text = "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: <<\n"
    for name, read in _readers().items():
        if name == "construct.load":
            with pytest.raises(Exception):
                read(text)
            continue
        assert _typed(read(text)) == _typed({"base": {"x": 1}, "merged": {"x": 1, "y": "<<"}}), name


@pytest.mark.parametrize("plain", [plain for plain, meaning in _CORE_SCHEMA if isinstance(meaning, str)])
def test_strings_the_core_schema_reads_are_written_so_that_they_read_back(plain):
    """The dumper quotes what YAML 1.1 or ruamel's table would misread: a superset of the core schema's non-strings."""
    from hdgen.yaml.dump import dump

    for written in (dump({"k": plain}), dump_with_ruamel({"k": plain})):
        for name, read in _readers().items():
            assert _typed(read(written)) == _typed({"k": plain}), (name, written)


@settings(max_examples=300, deadline=None)
@given(_scalar_text)
def test_any_string_is_written_so_that_every_reader_reads_it_back(text):
    from hdgen.yaml.dump import dump

    written = dump({"k": text})
    assert _typed(load_with_lines(written, "x")[0]) == _typed({"k": text}), written
    assert _typed(_RUAMEL.load(written)) == _typed({"k": text}), written


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "tag", "1", '"k"']), _scalar_text), min_size=1, max_size=4))
def test_flow_mappings_of_tricky_scalars(pairs):
    """Values files write images and resources as one-line flow mappings: those the fast path
    takes (construct.plain_flows) read as ruamel reads them."""
    _same_as_ruamel("image: {" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}\n")
    _same_as_ruamel("apps:\n  api: {image: {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}, n: [1, x]}\n")


@pytest.mark.parametrize("text", [
    'a: {tag: "d3708e6"}\n', "a: {cpu: 250m, memory: 256Mi}\n", "a: [/app/worker, healthcheck]\n",
    "a: {x: [1, 2], y: {z: q}}\n", "a: [-1, .5, 0x1f, yes, null]\n", '"k": {"x": y}\n',
])
def test_plain_flows_take_the_fast_path_and_read_as_ruamel(text):
    from hdgen.yaml.construct import plain_flows

    assert plain_flows(text)
    assert _typed(load(text)) == _typed(_RUAMEL.load(text))


@pytest.mark.parametrize("text", [
    "a: [0:0]\n", "a: [!, 1]\n", "a: [a, , b]\n", "a: [a,]\n", "a: {a}\n", "a: {a: b: c}\n", "a: {a: }\n",
    "a: [a: b]\n", "a: [- x]\n", 'a: {a: "b\\n"}\n', "a: {b: c]\n", "a: {b: c,\n  d: e}\n", "a: [&x 1, *x]\n",
    "a: {b: c # x\n}\n", "a: [a b]\n", "a: {'b': c}\n",
])
def test_other_flows_are_left_to_ruamel(text):
    from hdgen.yaml.construct import plain_flows

    assert not plain_flows(text)
