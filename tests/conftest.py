"""Shared fixtures: the repository, a scratch copy of it, and the real CLI.

Also the rules of the whole run: every test runs with its own empty user state
(cache, home, git config), hypothesis is derandomized and keeps no example
database, and tests that run programs are marked `slow` (see tests/tiers.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.tiers import mark_slow_tests

REPO = Path(__file__).resolve().parent.parent
HDGEN = [sys.executable, "-m", "hdgen"]

# The same examples on every run and every machine, and no .hypothesis/ folder in the work tree:
# a derandomized run has nothing to replay. A test's own @settings still sets its example count.
hypothesis_settings.register_profile("hdgen", derandomize=True, database=None)
hypothesis_settings.load_profile("hdgen")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_slow_tests(items)


@pytest.fixture(scope="session", autouse=True)
def user_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point the caches, the home folder and git's global config at an empty scratch folder
    for the whole run, so no test reads or writes the developer's own: a warm
    ~/.cache/hdgen could hide a bug, and a test must not leave files in it. Subprocesses
    inherit it (run_hdgen starts from os.environ); a test may still set its own
    HDGEN_CACHE_DIR or XDG_CACHE_HOME."""
    root = tmp_path_factory.mktemp("user-state")
    home = root / "home"
    gitconfig = root / "gitconfig"
    for folder in (home, root / "cache", root / "config", root / "data", root / "state"):
        folder.mkdir()
    gitconfig.touch()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        patch.setenv("XDG_DATA_HOME", str(root / "data"))
        patch.setenv("XDG_STATE_HOME", str(root / "state"))
        patch.setenv("HDGEN_CACHE_DIR", str(root / "cache" / "hdgen"))
        patch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        yield root


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_hdgen(*args: str, cwd: Path = REPO, env: dict | None = None, timeout: float = 120) -> Result:
    """Run the real CLI in a subprocess, as a user would."""
    # Scratch projects have no .tools/bin of their own: use the repository's tools.
    tools = {
        "HDGEN_KUBECONFORM": str(REPO / ".tools" / "bin" / "kubeconform"),
        "HDGEN_KUSTOMIZE": str(REPO / ".tools" / "bin" / "kustomize"),
    }
    full_env = {**tools, **os.environ, **(env or {})}
    proc = subprocess.run(
        [*HDGEN, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def copy_from_repo(name: str, dest: Path) -> None:
    """Copy the repository's folder `name` into dest, without the hidden lock and scratch
    files a local run leaves in rendered/ (a fresh clone has none)."""
    shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns(".*"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the project's values/, rendered/, schemas/ and hdgen.yaml."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("values", "rendered", "schemas"):
        if (REPO / name).exists():
            copy_from_repo(name, root)
    if (REPO / "hdgen.yaml").is_file():  # the policy rules' settings (external Secrets, cold boots)
        shutil.copy2(REPO / "hdgen.yaml", root / "hdgen.yaml")
    return root
