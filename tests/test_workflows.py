"""The CI workflows pass actionlint and run what docs/ci-and-gitops.md promises; the pre-commit hooks are sound."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = [REPO / ".github" / "workflows" / "hdgen.yml", REPO / ".gitea" / "workflows" / "hdgen.yml"]


def actionlint() -> str:
    path = os.environ.get("HDGEN_ACTIONLINT") or str(REPO / ".tools" / "bin" / "actionlint")
    assert Path(path).is_file(), f"actionlint not found at {path}: run `make test-tools`"
    return path


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    result = subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks(tmp_path: Path) -> None:
    """The lint above can fail: a broken workflow is reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    result = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True)
    assert result.returncode == 1 and "nope" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_workflow_runs_the_readme_setup_then_hdgen_ci_and_one_comment(workflow: Path) -> None:
    steps = yaml.safe_load(workflow.read_text())["jobs"]["ci"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "make bootstrap" in runs
    ci = next(run for run in runs if "hdgen ci" in run)
    assert "--report hdgen-report.md" in ci and "--base" in ci
    comment = next(run for run in runs if "hdgen comment" in run)
    assert "--file hdgen-report.md" in comment
    comment_step = next(step for step in steps if "hdgen comment" in step.get("run", ""))
    assert "secrets." in comment_step["env"]["HDGEN_FORGE_TOKEN"]
    assert runs[-1].strip().endswith("exit 1"), "the job must fail when hdgen ci failed"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_workflow_restores_the_venv_and_go_tools_keyed_on_their_pins(workflow: Path) -> None:
    steps = yaml.safe_load(workflow.read_text())["jobs"]["ci"]["steps"]
    bootstrap = next(i for i, step in enumerate(steps) if step.get("run") == "make bootstrap")
    caches = {step["with"]["path"]: step["with"]["key"] for step in steps[:bootstrap] if "actions/cache" in step.get("uses", "")}
    assert "hashFiles('requirements.lock', 'pyproject.toml')" in caches[".venv"]
    assert "steps.python.outputs.python-version" in caches[".venv"], "a venv is tied to its interpreter"
    assert "hashFiles('tools/versions.mk')" in caches[".tools/bin"]
    go = next(step for step in steps if "actions/setup-go" in step.get("uses", ""))
    assert go["with"]["cache-dependency-path"] == "tools/versions.mk"


def test_a_restored_setup_counts_as_current_under_a_fresh_checkout() -> None:
    """A CI cache restores .venv and .tools/bin under files that are all newer: make must not reinstall."""
    newer = [f"--what-if={name}" for name in ("requirements.lock", "pyproject.toml", "Makefile", "tools/versions.mk")]
    current = subprocess.run(["make", "--question", *newer, "bootstrap"], cwd=REPO, capture_output=True, text=True)
    assert current.returncode == 0, current.stdout + current.stderr
    # The check can fail: a changed lock file is a new venv key.
    changed = subprocess.run(
        ["make", "--question", "VENV_KEY=another-lock", "bootstrap"], cwd=REPO, capture_output=True, text=True
    )
    assert changed.returncode == 1, changed.stdout + changed.stderr


def test_kubeconform_pin_is_the_one_hdgen_names() -> None:
    from hdgen.validate.kubeconform_binary import KUBECONFORM_VERSION

    pins = dict(line.split(" := ") for line in (REPO / "tools" / "versions.mk").read_text().splitlines() if " := " in line)
    assert pins["KUBECONFORM_VERSION"] == KUBECONFORM_VERSION


def test_pre_commit_hooks_run_real_hdgen_commands() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"] for hook in hooks} == {"hdgen-render-check", "hdgen-validate"}
    local = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    for hook in local:
        command = shlex.split(hook["entry"])
        assert command[0] == ".venv/bin/hdgen"
        result = subprocess.run([str(REPO / command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, hook["id"] + result.stdout + result.stderr


# The documented job of the app repository's pipeline (docs/bump.md), with a stand-in for the build job it needs.
BUILD_JOB = """on: push
jobs:
  build-images:
    runs-on: ubuntu-latest
    outputs:
      sha: ${{ steps.build.outputs.sha }}
      api-digest: ${{ steps.build.outputs.api-digest }}
      full-sha: ${{ steps.build.outputs.full-sha }}
    steps:
      - id: build
        run: echo "sha=${GITHUB_SHA::8}" >> "$GITHUB_OUTPUT"
"""


def test_the_documented_ci_job_bumps_staging_only_and_passes_actionlint(tmp_path: Path) -> None:
    section = (REPO / "docs" / "bump.md").read_text().split("## A CI job that bumps staging", 1)[1]
    job = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    runs = " ".join(step.get("run", "") for step in yaml.safe_load(job)["bump-staging"]["steps"])
    assert "hdgen bump staging" in runs and "prod" not in runs  # prod changes only by a promote PR
    workflow = tmp_path / "bump-staging.yml"
    workflow.write_text(BUILD_JOB + job)
    result = subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
