"""The fast YAML writer is byte for byte ruamel's dumper, or steps aside."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hdgen.yaml.block_dump import Unsupported, dump_block
from hdgen.yaml.dump import dump, dump_with_ruamel
from hdgen.yaml.dumper_resolver import reads_as_str

REPO = Path(__file__).resolve().parent.parent

# Characters that make YAML decisions: indicators, quotes, spaces, digits, dots, signs.
_ALPHABET = "abyYnNoOeE019_./@=+,-:# '\"!&*?[]{}|>%`~\\\té\n()^;$<"
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

    loader = YAML(typ="safe")
    fast = 0
    for path in sorted((REPO / "rendered").rglob("*.yaml")):
        body = loader.load(path.read_text())
        try:
            text = dump_block(body, reads_as_str)
        except Unsupported:
            continue
        assert text == dump_with_ruamel(body), path
        fast += 1
    assert fast >= 30


def test_multi_line_text_is_a_literal_block_as_ruamel_writes_it():
    for data in ({"a": {"text": "two\nlines\n"}}, {"text": "two\n\nlines"}, {"l": [{"k": "x\ny\n", "z": 1}]}):
        assert dump_block(data, reads_as_str) == dump_with_ruamel(data)
    assert dump_block({"text": "two\nlines"}, reads_as_str) == "text: |-\n  two\n  lines\n"


def test_unsupported_values_step_aside():
    for data in ({"ratio": 0.5}, {"text": "two \nlines"}, {"text": " lead\n"}, {"k" * 130: 1}, {"lead": " space"}, {}):
        try:
            dump_block(data, reads_as_str)
        except Unsupported:
            continue
        raise AssertionError(f"{data!r} took the fast path")


def _ruamel_reads_as_str(text: str) -> bool:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode

    yaml = YAML(typ="safe", pure=False)
    return str(yaml.resolver.resolve(ScalarNode, text, (True, False))) == "tag:yaml.org,2002:str"


@settings(max_examples=1500, deadline=None)
@given(_strings | st.text(max_size=30) | st.from_regex(r"[-+]?[0-9_.]{0,6}([eE][-+]?[0-9]{1,3})?(:[0-9]{2})?", fullmatch=True)
       | st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?( ?Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)?\n?", fullmatch=True))
def test_the_copied_resolver_table_answers_as_ruamel_does(text):
    assert reads_as_str(text) == _ruamel_reads_as_str(text)


def test_a_render_does_not_import_ruamel(tmp_path):
    """ruamel is the reference and the fallback, not the hot path: importing it was 0.06 s of a cold render."""
    import subprocess
    import sys

    code = (
        "import sys; from hdgen.cli import main; "
        f"code = main(['-C', {str(REPO)!r}, 'render', 'prod', '--check']); "
        "assert 'ruamel.yaml' not in sys.modules, 'ruamel imported'; sys.exit(code)"
    )
    env = {"HDGEN_CACHE_DIR": "off", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
