"""Shared fixtures: the repository, a scratch copy of it, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HDGEN = [sys.executable, "-m", "hdgen"]


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
