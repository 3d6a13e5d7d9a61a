"""How tests compare an output with its golden copy, and how `make golden` refreshes them.

Two kinds of golden. The rendered trees are rendered/ itself: the render of
values/ that is committed and deployed, so they are not copied under tests/
(`render --check` and test_render_matches_the_committed_tree pin them). The
other outputs (diff reports, validate's formats, bump's edits) are files under
tests/golden/, compared by assert_golden. `make golden` runs
tests/refresh_golden.py: it renders rendered/, then runs every test that calls
assert_golden with HDGEN_REFRESH_GOLDEN=1, which writes each output instead of
comparing it. Review the result with `git diff` like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

from hdgen.project import AGENT_DIR, Project
from hdgen.render.pipeline import render_env
from hdgen.render.tree import read_tree
from hdgen.render.values import load_env

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
RENDERED = REPO / "rendered"
REFRESH = "HDGEN_REFRESH_GOLDEN"  # set by tests/refresh_golden.py
HINT = "run `make golden` if the change is intended, then review `git diff`"


def assert_golden(name: str, actual: str | bytes) -> None:
    """actual is tests/golden/<name>: byte for byte when bytes, as text (UTF-8) when a str."""
    path = GOLDEN / name
    if os.environ.get(REFRESH):
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(actual, bytes):
            path.write_bytes(actual)
        else:
            path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"tests/golden/{name} is missing: {HINT}"
    expected = path.read_bytes() if isinstance(actual, bytes) else path.read_text(encoding="utf-8")
    assert actual == expected, f"differs from tests/golden/{name}: {HINT}"


def rendered_trees() -> dict[str, dict[str, str]]:
    """Every env of the repository's values/, rendered in-process: folder under rendered/ -> its files."""
    project = Project(REPO)
    trees = {}
    for env in project.envs():
        tree = render_env(load_env(project, env))
        trees[env] = tree.files
        if tree.agent_files:
            trees[f"{AGENT_DIR}/{env}"] = tree.agent_files
    return trees


def assert_committed_tree(folder: str, files: dict[str, str]) -> None:
    """files are exactly what rendered/<folder> holds."""
    committed = {path: data.decode() for path, data in read_tree(RENDERED / folder).items()}
    assert sorted(files) == sorted(committed), f"rendered/{folder}: other files: {HINT}"
    for path, text in files.items():
        assert text == committed[path], f"rendered/{folder}/{path} differs: {HINT}"
