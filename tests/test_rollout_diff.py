"""hdgen diff names what a change does to a rollout: a migration that runs, a canary started, moved,
promoted or aborted (issue 17). Real git repositories and the real CLI, as in tests/test_diff.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_hdgen
from tests.goldens import assert_golden
from tests.rollout_values import CANARY_TAG, canary_block, with_canary, with_migration
from tests.test_diff import _normalised, by_name, commit_all, diff_json, edit, git, repo  # noqa: F401  (repo: the fixture)

REGISTRY = "gitea.treytartt.com/admin/honeydue-api"
CANARY = f"{REGISTRY}:{CANARY_TAG}"
STABLE = f"{REGISTRY}:d3708e6"


def render_and_commit(root: Path, message: str) -> None:
    result = run_hdgen("render", "prod", cwd=root)
    assert result.code == 0, result.err
    commit_all(root, message)


def test_a_new_migration_job_runs_migration_with_its_image(repo: Path) -> None:
    with_migration(repo, "prod")
    report = diff_json(repo)
    (job,) = [r for r in report["resources"] if r["kind"] == "Job"]
    assert job["impact"] == "runs-migration"
    assert job["impactDetail"] == (
        f"the GitOps agent creates it, so it runs: the migration of api with image {STABLE}, "
        "before api's new pods start"
    )
    (event,) = report["rollouts"]
    assert event == {
        "app": "api", "event": "migration", "image": STABLE, "weight": None,
        "line": f"runs migration {job['name']} with image {STABLE} before api's new pods start",
    }
    assert report["summary"]["impacts"]["runs-migration"] == 1
    text = run_hdgen("diff", "prod", cwd=repo).out
    assert event["line"] in text.splitlines()
    markdown = run_hdgen("diff", "prod", "--format", "markdown", cwd=repo).out
    assert f"- 🗄️ {event['line']}" in markdown.replace("&#x27;", "'")


def test_a_canary_starts_changes_and_is_promoted(repo: Path) -> None:
    with_migration(repo, "prod")
    render_and_commit(repo, "migration")

    with_canary(repo, "prod")
    report = diff_json(repo, "--base", "HEAD")
    events = {e["event"]: e for e in report["rollouts"]}
    assert events["canary-started"]["line"] == f"canary of api at 10% on image {CANARY}"
    assert events["canary-started"]["weight"] == 10
    assert events["migration"]["image"] == CANARY  # the new code's migration runs before the new code
    resources = by_name(report)
    for kind in ("Deployment", "Service", "TraefikService", "IngressRoute"):
        assert resources[f"{kind}/api-canary"]["impact"] == "added"
    assert "Deployment/api" not in resources  # the stable pods do not roll
    render_and_commit(repo, "canary at 10%")

    edit(repo / "values" / "prod.yaml", "      weight: 10\n", "      weight: 50\n")
    (event,) = diff_json(repo, "--base", "HEAD")["rollouts"]
    assert event["line"] == f"canary of api at 50% on image {CANARY} (was 10% on image {CANARY})"
    assert event["event"] == "canary-changed"

    edit(repo / "values" / "prod.yaml", canary_block(weight=50), "")
    edit(repo / "values" / "prod.yaml", '  api:\n    image: {tag: "d3708e6"}', f'  api:\n    image: {{tag: "{CANARY_TAG}"}}')
    report = diff_json(repo, "--base", "HEAD")
    assert report["rollouts"] == [{
        "app": "api", "event": "canary-promoted", "image": CANARY, "weight": None,
        "line": f"canary of api promoted: api now runs image {CANARY}",
    }]  # and no migration: the canary's ran, with the same image
    resources = by_name(report)
    assert resources["Deployment/api"]["impact"] == "rolls-pods"
    for kind in ("Deployment", "Service", "TraefikService", "IngressRoute"):
        assert resources[f"{kind}/api-canary"]["impact"] == "removed"


def test_removing_a_canary_without_a_bump_aborts_it(repo: Path) -> None:
    with_canary(repo, "prod")
    render_and_commit(repo, "canary")
    edit(repo / "values" / "prod.yaml", canary_block(), "")
    (event,) = diff_json(repo, "--base", "HEAD")["rollouts"]
    assert event["event"] == "canary-aborted"
    assert event["line"] == f"canary of api aborted: image {CANARY} stops, api stays on image {STABLE}"


def test_the_graph_follows_the_route_to_the_services(repo: Path) -> None:
    with_canary(repo, "prod")
    markdown = run_hdgen("diff", "prod", "--format", "markdown", cwd=repo).out
    graph = markdown.split("```mermaid", 1)[1].split("```", 1)[0]
    nodes = dict(line.strip().split("[", 1) for line in graph.splitlines() if '["' in line)
    ids = {label.split('"')[1]: node for node, label in nodes.items()}
    route, split = ids["IngressRoute api-canary"], ids["TraefikService api-canary"]
    assert f"{route} -->|route| {split}" in graph
    assert f"{split} -->|weighted| {ids['Service api']}" in graph
    assert f"{split} -->|weighted| {ids['Service api-canary']}" in graph


@pytest.mark.parametrize("fmt,golden", [("text", "canary-start.txt"), ("markdown", "canary-start.md")])
def test_starting_a_canary_with_a_migration_matches_the_golden_report(repo: Path, fmt: str, golden: str) -> None:
    """The whole review of the pull request that declares a migration and starts a canary on the api."""
    with_migration(repo, "prod")
    with_canary(repo, "prod")
    result = run_hdgen("diff", "prod", "--format", fmt, cwd=repo, env={"NO_COLOR": "1"})
    assert result.code == 0, result.err
    assert_golden(f"diff/{golden}", _normalised(result.out, git(repo, "rev-parse", "main")))
