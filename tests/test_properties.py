"""Property-based: mutated values files either render a tree validate accepts, or fail with clear error lines.

Starting from the shipped values/, hypothesis drops keys, changes types, adds
unknown keys, and puts random strings, numbers, booleans, nulls, odd unicode
and YAML-special text at random paths of values/prod.yaml or
values/defaults.yaml. The real CLI code runs in-process (hdgen.cli.main, so
many examples stay fast); every accepted tree goes through `hdgen validate`
with the real kubeconform. Derandomized: CI sees the same examples every run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hdgen.cli import main
from hdgen.render.tree import read_tree
from tests.conftest import REPO, copy_from_repo

SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    database=None,  # nothing written into the repository; derandomized runs need no replay
    deadline=None,
    # No shrinking: each example runs kubeconform, and shrinking one failure can take minutes.
    # The failing values file is printed whole; that is enough to reproduce it.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text YAML (1.1 or 1.2) reads as something other than a plain string, or that breaks a naive emitter.
YAML_SPECIAL = [
    "yes", "no", "on", "off", "y", "n", "true", "False", "null", "~", "", " ", "0755", "0x1F", "1e3", "1_000",
    ".inf", "-.nan", "12:30", "2024-01-01", "<<", "=", "- item", "? key", ": value", "&anchor", "*alias", "!!str",
    "!tag x", "#comment", "'quoted'", '"quoted"', "{a: 1}", "[a, b]", "|", ">", "%YAML 1.2", "---", "...",
    "a: b", "tab\there", "line\nbreak", "trailing ", "\u00e9\u00e8\u4e2d\u6587", "\U0001f41d", "\u202eevil",
    "\u0000", "\x85next", "\ufeffbom", "@at", "`tick",
]
SCALARS = st.one_of(
    st.sampled_from(YAML_SPECIAL),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
KEYS = st.one_of(st.sampled_from(YAML_SPECIAL), st.text(min_size=1, max_size=15))

# Rules that hold the tree to what hdgen.yaml declares for the project (cold boots, strict envs,
# out-of-band Secrets, node architecture, allowed registries). Values may differ from those settings
# on purpose or by mistake; catching that is validate's job, and a values file cannot know them.
# Every other finding (the schema, and every other rule) on an accepted tree is a bug.
PROJECT_POLICY_RULES = {"HD003", "HD005", "HD010", "HD013", "HD014"}
ERROR_LINE = re.compile(r"^hdgen: error: values/(prod|defaults)\.yaml:\d+: \S")
# Data mutations are dumped by a YAML emitter, so they always parse: their errors name a key path too.
# ...except control characters the emitter leaves raw in some positions, which the reader then refuses.
NOT_YAML_TEXT = re.compile(r": character U\+[0-9A-F]{4,} is not allowed in YAML$")
KEYED_ERROR_LINE = re.compile(r"^hdgen: error: values/(prod|defaults)\.yaml:\d+: [^:]+: \S")
COUNT_LINE = re.compile(r"^hdgen: \d+ errors in values/")
CARET_LINE = re.compile(r"^ +(\d+ )?\| ")


def _load(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(path.read_text())


def _dump(data: Any) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every key path and list index of node, parents before children."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix + (index,)
            yield from _paths(value, prefix + (index,))


SHIPPED = {name: _load(REPO / "values" / f"{name}.yaml") for name in ("prod", "defaults")}
SHIPPED_PATHS = {name: list(_paths(data)) for name, data in SHIPPED.items()}


@st.composite
def data_mutations(draw) -> tuple[str, str]:
    """(file name, new text): the shipped file with 1–3 structural mutations."""
    import copy

    name = draw(st.sampled_from(["prod", "prod", "defaults"]))
    data = copy.deepcopy(SHIPPED[name])
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        kind = draw(st.sampled_from(["drop", "replace", "replace", "add-key", "wrap-in-list"]))
        if kind == "drop":
            del parent[path[-1]]
        elif kind == "replace":
            parent[path[-1]] = draw(VALUES)
        elif kind == "wrap-in-list":
            parent[path[-1]] = [parent[path[-1]]]
        else:
            target = parent[path[-1]] if isinstance(parent[path[-1]], dict) else parent
            if isinstance(target, dict):
                target[draw(KEYS)] = draw(VALUES)
    return name, "# yaml-language-server: $schema=../schemas/values.schema.json\n" + _dump(data)


@st.composite
def text_mutations(draw) -> tuple[str, str]:
    """(file name, new text): one line of the shipped file with its value or indentation replaced by raw text."""
    name = draw(st.sampled_from(["prod", "defaults"]))
    lines = (REPO / "values" / f"{name}.yaml").read_text().splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    raw = draw(st.sampled_from(YAML_SPECIAL))
    how = draw(st.sampled_from(["value", "indent", "insert"]))
    if how == "value" and ": " in line:
        lines[index] = line.split(": ", 1)[0] + ": " + raw + "\n"
    elif how == "indent":
        lines[index] = draw(st.sampled_from(["\t", " ", "   ", ""])) + line.lstrip(" ")
    else:
        lines.insert(index, raw + "\n")
    return name, "".join(lines)


@contextlib.contextmanager
def scratch_project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        for name in ("values", "rendered", "schemas"):
            copy_from_repo(name, root)
        shutil.copy2(REPO / "hdgen.yaml", root / "hdgen.yaml")
        yield root


def hdgen(root: Path, *args: str) -> tuple[int, str, str]:
    """The real CLI entry point, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-C", str(root), *args])
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def repository_tools() -> Iterator[None]:
    """validate in a scratch project uses the repository's kubeconform, like tests/conftest.run_hdgen."""
    saved = os.environ.get("HDGEN_KUBECONFORM")
    os.environ.setdefault("HDGEN_KUBECONFORM", str(REPO / ".tools" / "bin" / "kubeconform"))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("HDGEN_KUBECONFORM", None)


def check_outcome(root: Path, name: str, text: str, keyed: bool, outcomes: list[str]) -> None:
    for other in ("prod", "defaults"):
        shutil.copy2(REPO / "values" / f"{other}.yaml", root / "values" / f"{other}.yaml")
    (root / "values" / f"{name}.yaml").write_text(text)
    before = read_tree(root / "rendered")
    code, out, err = hdgen(root, "render", "prod")
    assert code in (0, 2), f"exit {code}: {err}"
    if code == 2:
        lines = err.splitlines()
        errors = [line for line in lines if line.startswith("hdgen: error: ")]
        assert errors, err
        for line in errors:
            assert (KEYED_ERROR_LINE if keyed and not NOT_YAML_TEXT.search(line) else ERROR_LINE).match(line), line
        # Besides the errors: a YAML error's line and caret, and after several errors their count.
        rest = [line for line in lines if not line.startswith("hdgen: error: ")]
        if len(errors) > 1:
            assert COUNT_LINE.match(lines[-1]) and rest[-1] == lines[-1], err
            rest = rest[:-1]
        assert all(CARET_LINE.match(line) for line in rest), err
        assert out == ""
        assert read_tree(root / "rendered") == before
        outcomes.append("refused")
        return
    assert err == ""
    code, out, err = hdgen(root, "validate", "prod", "--format", "json")
    assert code in (0, 1), err
    errors = [f for f in json.loads(out)["findings"] if f["level"] == "error"]
    unexpected = [f for f in errors if f["rule"] not in PROJECT_POLICY_RULES]
    assert unexpected == [], f"render accepted values whose tree does not validate: {unexpected}"
    outcomes.append("accepted")


def test_mutated_values_render_a_valid_tree_or_fail_with_keyed_lines() -> None:
    outcomes: list[str] = []
    with scratch_project() as root, repository_tools():

        @SETTINGS
        @given(data_mutations())
        def run(mutation: tuple[str, str]) -> None:
            check_outcome(root, *mutation, keyed=True, outcomes=outcomes)

        run()
    # Both outcomes were exercised, so neither half of the property is vacuous.
    assert {"accepted", "refused"} <= set(outcomes), outcomes


def test_raw_yaml_edits_render_a_valid_tree_or_fail_with_clear_lines() -> None:
    outcomes: list[str] = []
    with scratch_project() as root, repository_tools():

        @SETTINGS
        @given(text_mutations())
        def run(mutation: tuple[str, str]) -> None:
            check_outcome(root, *mutation, keyed=False, outcomes=outcomes)

        run()
    assert {"accepted", "refused"} <= set(outcomes), outcomes
