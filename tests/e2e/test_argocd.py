"""Argo CD applies prod: the first sync and a bump, each a real commit its application-controller syncs.

prod is the env Argo CD runs (its values name `gitops.agent: argocd`). As in
test_flux.py, the scratch project is a git repository served over loopback;
the rendered Application (only `spec.source.repoURL` pointed at that
server) makes Argo CD's repo-server build `rendered/prod` and its
application-controller apply it server-side and prune, on the cluster that
runs rollouts. For every step, `hdgen diff --format json` computed before
the commit is compared with what the controllers did, object by object.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.actions import agreement
from tests.e2e.argocd import ArgoCD, ArgoSync, start_argocd
from tests.e2e.cluster import Cluster
from tests.e2e.expectations import SHA, assert_applied_by, assert_one_pod_at_a_time, changed_deployments, stored
from tests.e2e.scenario import GitProject

ENV = "prod"
AGENT = "argocd-controller"  # the field manager of Argo CD's server-side apply


@pytest.fixture
def argocd(cluster: Cluster) -> ArgoCD:
    """The rollout cluster with Argo CD's repo-server and application-controller (they stop with the cluster)."""
    return start_argocd(cluster)


def test_argo_cd_syncs_prod_and_a_bump_rolls_exactly_that_deployment(argocd: ArgoCD, project: Path) -> None:
    repo = GitProject(project)
    empty = repo.init()
    agent = ArgoSync(argocd.cluster, repo, ENV, git=argocd.git)
    first = agent.step(lambda: None, "first sync", base=empty)
    assert agreement(first.expected, first.observed) == ""
    assert_applied_by(argocd.cluster, project / "rendered" / ENV, AGENT)
    replicas = stored(argocd.cluster, "apps/v1", "Deployment")["api"]["spec"]["replicas"]
    assert replicas == 3, "the HPA raised api to its minReplicas"

    bump = agent.step(lambda: repo.hdgen("bump", ENV, "--sha", SHA, "--service", "api", "--render", "--commit"), "bump")
    assert agreement(bump.expected, bump.observed) == ""
    assert changed_deployments(bump, "rolls") == {"api"}
    assert_one_pod_at_a_time(bump.watch.history["api"], replicas, "api")
    assert stored(argocd.cluster, "apps/v1", "Deployment")["api"]["spec"]["replicas"] == replicas, "Argo CD left the HPA's count"
