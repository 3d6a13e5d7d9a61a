"""Refresh the golden trees: `make golden` (or `python -m tests.refresh_golden`).

Renders every env of the project's values/ into tests/golden/<env>/. Review
the resulting git diff like any other change: it is what the templates now emit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hdgen.project import AGENT_DIR, Project
from hdgen.render.pipeline import render_env
from hdgen.render.values import load_env

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"


def golden_trees() -> dict[str, dict[str, str]]:
    """Folder under tests/golden (as under rendered/) -> its files."""
    project = Project(REPO)
    trees = {}
    for env in project.envs():
        tree = render_env(load_env(project, env))
        trees[env] = tree.files
        if tree.agent_files:
            trees[f"{AGENT_DIR}/{env}"] = tree.agent_files
    return trees


def main() -> None:
    for env, files in golden_trees().items():
        # Only the env trees: tests/golden also holds other tests' pinned outputs.
        shutil.rmtree(GOLDEN / env, ignore_errors=True)
        for relative, text in files.items():
            path = GOLDEN / env / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        print(f"tests/golden/{env}: {len(files)} files")


if __name__ == "__main__":
    main()
