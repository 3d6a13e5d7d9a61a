"""The review sees everything that will be applied: the agent's own objects, and a committed hand edit.

Real git repositories (the fixtures of tests/test_diff.py and tests/test_ci.py), the real CLI.
Golden files: tests/golden/diff/agent-switch.*, hand-edit.* (`make golden` refreshes them).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_hdgen
from tests.goldens import assert_golden
from tests.test_ci import ci, commit
from tests.test_ci import repo as ci_repo  # noqa: F401  (a fixture)
from tests.test_diff import _normalised, by_name, commit_all, edit, git, prod_objects, repo  # noqa: F401  (repo: a fixture)


def diff(root: Path, env: str, fmt: str, *args: str):
    result = run_hdgen("diff", env, "--format", fmt, *args, cwd=root)
    assert result.code in (0, 1), result.err
    return result


def review(root: Path, env: str = "prod") -> dict:
    return json.loads(diff(root, env, "json").out)


def switch_prod_to_flux(root: Path) -> None:
    edit(root / "values/prod.yaml", "  agent: argocd\n", "  agent: flux\n")


# --- the agent's own objects (rendered/_gitops/ENV) ----------------------------------------


def test_an_agent_switch_shows_the_application_removed_and_the_flux_objects_added(repo: Path) -> None:
    switch_prod_to_flux(repo)
    report = review(repo)
    resources = by_name(report)
    assert list(resources) == ["Application/honeydue-prod", "GitRepository/honeydue-prod", "Kustomization/honeydue-prod"]
    assert {r["folder"] for r in report["resources"]} == {"rendered/_gitops/prod"}
    application = resources["Application/honeydue-prod"]
    assert (application["change"], application["impact"]) == ("removed", "agent-removed")
    assert "delete the old Application first, with cascade off" in application["impactDetail"]
    assert "or the agent prunes the app's objects" in application["impactDetail"]
    assert "keeps applying the tree beside the new agent" in application["impactDetail"]
    source = resources["GitRepository/honeydue-prod"]
    assert source["impact"] == "agent-added"
    assert "a private repository needs credentials: a Secret referenced by the GitRepository (secretRef" in source["impactDetail"]
    kustomization = resources["Kustomization/honeydue-prod"]
    assert kustomization["impact"] == "agent-added"
    assert kustomization["impactDetail"].startswith("delete the old agent's Application argocd/honeydue-prod first")
    assert "`kubectl apply -f rendered/_gitops/prod/`" in kustomization["impactDetail"]
    assert report["summary"]["impacts"] == {"agent-added": 2, "agent-removed": 1}
    assert report["summary"]["unchanged"] == prod_objects("prod")  # rendered/prod itself does not change


def test_the_agent_switch_report_matches_its_golden_files(repo: Path) -> None:
    switch_prod_to_flux(repo)
    main = git(repo, "rev-parse", "main")
    for fmt, name in (("text", "agent-switch.txt"), ("markdown", "agent-switch.md"), ("json", "agent-switch.json")):
        assert_golden(f"diff/{name}", _normalised(diff(repo, "prod", fmt).out, main))


def test_switching_back_from_flux_says_how_to_delete_the_kustomization_without_pruning(repo: Path) -> None:
    edit(repo / "values/staging.yaml", "  agent: flux\n", "  agent: argocd\n")
    resources = by_name(review(repo, "staging"))
    kustomization = resources["Kustomization/honeydue-staging"]
    assert kustomization["impact"] == "agent-removed"
    assert "delete it first with pruning off (set spec.prune to false" in kustomization["impactDetail"]
    assert "or Flux prunes every object it applied" in kustomization["impactDetail"]
    assert resources["GitRepository/honeydue-staging"]["impact"] == "agent-removed"
    application = resources["Application/honeydue-staging"]
    assert application["impact"] == "agent-added"
    assert application["impactDetail"].startswith("delete the old agent's Kustomization flux-system/honeydue-staging first")
    assert "an Argo CD repository Secret for its repoURL" in application["impactDetail"]


def test_a_repository_url_or_revision_change_is_named(repo: Path) -> None:
    edit(repo / "values/prod.yaml", "honeydue-deploy.git", "honeydue-gitops.git")
    edit(repo / "values/prod.yaml", "  revision: main\n", "  revision: release\n")
    application = by_name(review(repo))["Application/honeydue-prod"]
    assert application["impact"] == "agent-source"
    assert application["impactDetail"].startswith(
        "what the agent follows changes (spec.source.repoURL, spec.source.targetRevision): "
        "re-apply it by hand: `kubectl apply -f rendered/_gitops/prod/`"
    )
    assert [f["path"] for f in application["fields"]] == ["spec.source.repoURL", "spec.source.targetRevision"]
    text = diff(repo, "prod", "text").out
    assert "~ Application argocd/honeydue-prod (rendered/_gitops/prod)  [agent-source]" in text
    assert "hdgen diff prod" in text and "No differences" not in text


def test_a_flux_source_change_and_another_change_are_told_apart(repo: Path) -> None:
    edit(repo / "values/staging.yaml", "  revision: main\n", "  revision: staging\n")
    resources = by_name(review(repo, "staging"))
    assert list(resources) == ["GitRepository/honeydue-staging"]  # the Kustomization names no branch
    assert resources["GitRepository/honeydue-staging"]["impact"] == "agent-source"
    assert "(spec.ref)" in resources["GitRepository/honeydue-staging"]["impactDetail"]
    edit(repo / "values/prod.yaml", "  revision: main\n", "  revision: main\n  argocdProject: honeydue\n")
    application = by_name(review(repo))["Application/honeydue-prod"]
    assert application["impact"] == "agent-changed"
    assert application["impactDetail"] == (
        "the agent does not apply its own object: re-apply it by hand: `kubectl apply -f rendered/_gitops/prod/`"
    )


def test_ci_reports_an_agent_switch(ci_repo: Path) -> None:  # noqa: F811
    switch_prod_to_flux(ci_repo)
    assert run_hdgen("render", "prod", cwd=ci_repo).code == 0
    commit(ci_repo, "prod: flux")
    result = ci(ci_repo, "--base", "main", "--report", "report.md")
    assert result.code == 0, result.out
    assert f"prod: 0 changed, 2 added, 1 removed, {prod_objects('prod')} unchanged" in result.out
    report = (ci_repo / "report.md").read_text()
    assert "`Application argocd/honeydue-prod` (rendered/_gitops/prod) | removed | **agent-removed**" in report
    assert "delete the old Application first, with cascade off" in report


# --- a committed hand edit of rendered/ENV -------------------------------------------------


def hand_edit_api(root: Path) -> None:
    deployment = root / "rendered/prod/api/deployment.yaml"
    edit(deployment, "honeydue-api:d3708e6", "honeydue-api:badbad1")
    commit_all(root, "hand edit")


def test_a_committed_hand_edit_is_said_first_and_what_the_agent_applies_is_shown(repo: Path) -> None:
    hand_edit_api(repo)
    result = diff(repo, "prod", "text", "--exit-code")
    assert result.code == 1  # the agent would apply a change, though values/ render none
    lines = result.out.splitlines()
    assert lines[1] == (
        "rendered/prod at HEAD is not what values/ render: 1 file differs — the agent applies the committed files"
    )
    assert lines[2] == "    different: rendered/prod/api/deployment.yaml"
    assert f"what values/ render:\nno differences ({prod_objects()} objects unchanged)\n" in result.out
    agent_part = result.out.partition("what the agent would apply")[2]
    assert "~ Deployment honeydue/api  [rolls-pods]" in agent_part
    assert "+ spec.template.spec.containers[api].image: gitea.treytartt.com/admin/honeydue-api:badbad1" in agent_part

    report = review(repo)
    assert report["resources"] == []
    head = report["headTree"]
    assert head["commit"] == git(repo, "rev-parse", "HEAD")
    assert head["files"] == [{"path": "rendered/prod/api/deployment.yaml", "change": "different"}]
    assert [(r["kind"], r["name"], r["impact"]) for r in head["resources"]] == [("Deployment", "api", "rolls-pods")]
    assert head["summary"]["changed"] == 1


def test_the_hand_edit_report_matches_its_golden_files(repo: Path) -> None:
    hand_edit_api(repo)
    commits = {git(repo, "rev-parse", "main"): "<base-commit>", git(repo, "rev-parse", "HEAD"): "<head-commit>"}

    def normalised(text: str) -> str:
        for commit, name in commits.items():
            text = text.replace(commit, name).replace(commit[:12], name.replace("-commit", ""))
        return text

    for fmt, name in (("text", "hand-edit.txt"), ("markdown", "hand-edit.md"), ("json", "hand-edit.json")):
        assert_golden(f"diff/{name}", normalised(diff(repo, "prod", fmt).out))


def test_uncommitted_values_are_not_taken_for_a_hand_edit(repo: Path) -> None:
    # The working tree's values differ from HEAD's: the committed tree is compared with HEAD's values.
    edit(repo / "values/prod.yaml", "LOG_LEVEL: info", "LOG_LEVEL: warn")
    report = review(repo)
    assert report["headTree"] is None and report["summary"]["changed"] == 4


def test_ci_fails_freshness_and_names_the_hand_edit(ci_repo: Path) -> None:  # noqa: F811
    hand_edit_api(ci_repo)
    result = ci(ci_repo, "--base", "main", "--report", "report.md")
    assert result.code == 1, result.out
    assert "FAIL rendered/ is fresh" in result.out and "different: rendered/prod/api/deployment.yaml" in result.out
    assert "prod: rendered/prod at HEAD is not what values/ render: 1 file differs" in result.out
    report = (ci_repo / "report.md").read_text()
    assert "#### What the agent would apply: the committed files at HEAD" in report


def test_a_hand_edit_of_both_folders_names_both_and_unreadable_files_are_said(repo: Path) -> None:
    edit(repo / "rendered/_gitops/prod/argocd-application.yaml", "targetRevision: main", "targetRevision: hotfix")
    (repo / "rendered/prod/api/deployment.yaml").write_text("kind: [unclosed\n")
    commit_all(repo, "two hand edits, one broken")
    result = diff(repo, "prod", "text", "--exit-code")
    assert result.code == 1
    assert result.out.splitlines()[1].startswith(
        "rendered/prod and rendered/_gitops/prod at HEAD are not what values/ render: 2 files differ"
    )
    head = review(repo)["headTree"]
    assert head["folders"] == ["rendered/prod", "rendered/_gitops/prod"] and head["resources"] == []
    assert head["error"].startswith(head["commit"][:12] + ":rendered/prod/api/deployment.yaml:1")
