"""Two pull requests that change different values merge with plain `git merge`, and the result is fresh.

Real git repositories, the real CLI: branch a and branch b start from main, each changes
values and renders (as the CI auto-bump job or a person does), both merge into main.
Nothing in rendered/ may be a line that every values change rewrites (PROVENANCE once
held a digest of each values file, the pod templates one digest of the whole ConfigMap).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import run_hdgen
from tests.test_bump import GIT_ENV, bump, git, make_repo


def branch(project: Path, name: str) -> None:
    git(project, "checkout", "-q", "-b", name, "main")


def merge(project: Path, name: str) -> subprocess.CompletedProcess:
    """git merge of branch name into main: the real merge, its exit code and output kept."""
    git(project, "checkout", "-q", "main")
    return subprocess.run(
        ["git", "-C", str(project), "merge", "--no-edit", "--no-ff", name],
        capture_output=True, text=True, env={**os.environ, **GIT_ENV},
    )


def conflicted(project: Path) -> list[str]:
    return git(project, "diff", "--name-only", "--diff-filter=U").split()


def assert_fresh(project: Path) -> None:
    check = run_hdgen("-C", str(project), "render", "--all", "--check")
    assert check.code == 0, check.out + check.err


def merge_both_cleanly(project: Path) -> None:
    """Branch a, then branch b, into main: each merge exits 0 (no conflict) and the result is fresh."""
    for name in ("a", "b"):
        result = merge(project, name)
        assert result.returncode == 0, result.stdout + result.stderr
    assert_fresh(project)


def edit_and_commit(project: Path, old: str, new: str, message: str) -> None:
    """A config change as a pull request makes it: edit values, render, commit both."""
    values = project / "values/prod.yaml"
    text = values.read_text()
    assert text.count(old) == 1, old
    values.write_text(text.replace(old, new))
    rendered = run_hdgen("-C", str(project), "render", "prod")
    assert rendered.code == 0, rendered.err
    git(project, "add", "values", "rendered")
    git(project, "commit", "-q", "-m", message)


def two_edits(project: Path, edit_a: tuple[str, str, str], edit_b: tuple[str, str, str]) -> None:
    """Branches a and b, each with one values edit (old, new, commit message) rendered and committed."""
    two_branches(project, lambda: edit_and_commit(project, *edit_a), lambda: edit_and_commit(project, *edit_b))


def two_branches(project: Path, change_a, change_b) -> None:
    make_repo(project)
    branch(project, "a")
    change_a()
    branch(project, "b")
    change_b()


def test_bumps_of_different_services_merge_cleanly_and_the_result_is_fresh(project: Path) -> None:
    def bump_one(service: str, sha: str):
        def change():
            result = bump(project, "prod", "--sha", sha, "--service", service, "--render", "--commit", env=GIT_ENV)
            assert result.code == 0, result.err
        return change

    two_branches(project, bump_one("api", "1a2b3c4"), bump_one("worker", "5e6f7a8"))
    merge_both_cleanly(project)
    deployments = {app: (project / f"rendered/prod/{app}/deployment.yaml").read_text() for app in ("api", "worker")}
    assert "honeydue-api:1a2b3c4" in deployments["api"] and "honeydue-worker:5e6f7a8" in deployments["worker"]


def test_changes_of_different_config_keys_merge_cleanly_and_the_result_is_fresh(project: Path) -> None:
    # Both keys feed the ConfigMap and the checksum annotations of admin, api and worker.
    two_edits(
        project,
        ("LOG_LEVEL: info", "LOG_LEVEL: warn", "config: log level"),
        ("PUBLIC_WEB_URL: https://myhoneydue.com", "PUBLIC_WEB_URL: https://www.myhoneydue.com", "config: web url"),
    )
    merge_both_cleanly(project)
    config = (project / "rendered/prod/config/honeydue-config.yaml").read_text()
    assert "LOG_LEVEL: warn" in config and "PUBLIC_WEB_URL: https://www.myhoneydue.com" in config


def test_files_added_by_two_branches_merge_cleanly_in_the_kustomization(project: Path) -> None:
    # Each branch adds a file (admin's PodDisruptionBudget, worker's HPA), so each inserts a line in kustomization.yaml.
    admin = '  admin:\n    image: {tag: "d3708e6"}\n    replicas: 1'
    two_edits(
        project,
        ("    replicas: 2\n  admin:", "    autoscaling: {minReplicas: 2, maxReplicas: 4}\n  admin:", "worker hpa"),
        (admin, admin + "\n    disruptionBudget: {maxUnavailable: 1}", "admin pdb"),
    )
    merge_both_cleanly(project)
    kustomization = (project / "rendered/prod/kustomization.yaml").read_text()
    assert "- admin/pdb.yaml\n" in kustomization and "- worker/hpa.yaml\n" in kustomization


def test_the_same_key_changed_twice_conflicts_and_rendering_the_resolution_is_fresh(project: Path) -> None:
    two_edits(project, ("LOG_LEVEL: info", "LOG_LEVEL: warn", "config: warn"), ("LOG_LEVEL: info", "LOG_LEVEL: debug", "config: debug"))
    assert merge(project, "a").returncode == 0
    result = merge(project, "b")
    assert result.returncode == 1, result.stdout + result.stderr
    # The real disagreement is in values/; rendered/ conflicts only where that key's own
    # lines are (the ConfigMap's line and the key's checksum annotation), never in PROVENANCE.
    files = conflicted(project)
    assert "values/prod.yaml" in files
    assert "rendered/prod/PROVENANCE" not in files
    assert set(files) <= {
        "values/prod.yaml",
        "rendered/prod/config/honeydue-config.yaml",
        *(f"rendered/prod/{app}/deployment.yaml" for app in ("admin", "api", "worker")),
    }
    # The documented resolution: take one side of values/, render, commit.
    git(project, "checkout", "--theirs", "--", "values/prod.yaml")
    assert run_hdgen("-C", str(project), "render", "prod").code == 0
    git(project, "add", "values", "rendered")
    git(project, "commit", "-q", "--no-edit")
    assert_fresh(project)
    assert "LOG_LEVEL: debug" in (project / "rendered/prod/config/honeydue-config.yaml").read_text()
