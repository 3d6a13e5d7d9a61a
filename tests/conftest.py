"""Shared fixtures: the repository, a scratch copy of it, and the real CLI.

Also the rules of the whole run: the tests run with an empty user state of their
own (cache, home, git config), hypothesis is derandomized and keeps no example
database, and tests are marked `slow` and `golden` by what they use (see tests/tiers.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.tiers import mark_tests

REPO = Path(__file__).resolve().parent.parent
HDGEN = [sys.executable, "-m", "hdgen"]

# The same examples on every run and every machine, and no .hypothesis/ folder in the work tree:
# a derandomized run has nothing to replay. A test's own @settings still sets its example count.
hypothesis_settings.register_profile("hdgen", derandomize=True, database=None)
hypothesis_settings.load_profile("hdgen")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_tests(items)


# The scratch user state of this run: its folder, and the environment to put back at the end.
_USER_STATE = pytest.StashKey[tuple[Path, pytest.MonkeyPatch]]()


def pytest_configure(config: pytest.Config) -> None:
    """Point the caches, the home folder and git's global config at an empty scratch folder
    for the whole run, so no test reads or writes the developer's own: a warm
    ~/.cache/hdgen could hide a bug, and a test must not leave files in it. Subprocesses
    inherit it (run_hdgen starts from os.environ); a test may still set its own
    HDGEN_CACHE_DIR or XDG_CACHE_HOME. Set here, not in a session fixture: collecting the
    tests already writes hypothesis' caches, before any fixture runs."""
    root = Path(tempfile.mkdtemp(prefix="hdgen-tests-"))
    folders = {name: root / name for name in ("home", "cache", "config", "data", "state", "hypothesis")}
    for folder in folders.values():
        folder.mkdir()
    (root / "gitconfig").touch()
    patch = pytest.MonkeyPatch()
    config.stash[_USER_STATE] = (root, patch)
    patch.setenv("HOME", str(folders["home"]))
    for name in ("cache", "config", "data", "state"):
        patch.setenv(f"XDG_{name.upper()}_HOME", str(folders[name]))
    patch.setenv("HDGEN_CACHE_DIR", str(folders["cache"] / "hdgen"))
    patch.setenv("GIT_CONFIG_GLOBAL", str(root / "gitconfig"))
    patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # hypothesis keeps caches (constants, unicode data) in ./.hypothesis even without a database.
    patch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(folders["hypothesis"]))


def pytest_unconfigure(config: pytest.Config) -> None:
    root, patch = config.stash[_USER_STATE]
    patch.undo()
    shutil.rmtree(root, ignore_errors=True)


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


def complete(line: str, out: Path) -> list[str]:
    """What tab completion offers for the command line `line` (argcomplete, the real CLI), sorted."""
    proc = subprocess.run(
        HDGEN,
        env={
            **os.environ,
            "_ARGCOMPLETE": "1",
            "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
            "COMP_LINE": line,
            "COMP_POINT": str(len(line)),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return sorted(word.strip() for word in out.read_text().split("\x0b"))  # a lone match ends in a space


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
