"""Flux applies the rendered tree: every change a real commit that source- and kustomize-controller pick up.

staging is the env Flux runs (its values name `gitops.agent: flux`). Each
test is a scratch copy of the project as a git repository, served over
loopback; the rendered `_gitops/staging` objects (the URL of the
GitRepository pointed at that server, nothing else changed) make Flux fetch
each commit, build `rendered/staging` and apply it, on the cluster that runs
rollouts (controllers, scheduler, KWOK's fake nodes). For every step, `hdgen
diff --format json` computed before the commit is compared with what the
controllers did, object by object (tests/e2e/actions.py), as for the direct
apply in test_rollouts.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.actions import agreement
from tests.e2e.cluster import Cluster
from tests.e2e.expectations import (
    CONFIG_EDITS, SHA, assert_applied_by, assert_one_pod_at_a_time, changed_deployments, config_rolled, stored,
)
from tests.e2e.flux import Flux, FluxSync, start_flux
from tests.e2e.kube import condition, eventually, list_items, selected
from tests.e2e.scenario import NAMESPACE, GitProject

ENV = "staging"
AGENT = "kustomize-controller"  # the field manager of Flux's server-side apply
# staging runs one pod per app and no HPA; the HPA test gives its api prod's kind of autoscaling.
STAGING_API = '    replicas: 1\n    coldBootSeconds: 240\n'
STAGING_API_AUTOSCALED = "    autoscaling: {minReplicas: 2, maxReplicas: 4, targetCpuUtilization: 70}\n    coldBootSeconds: 240\n"
STAGING_WORKER = '  worker:\n    image: {tag: "d3708e6"}\n    replicas: 1\n'


@pytest.fixture
def flux(cluster: Cluster) -> Flux:
    """The rollout cluster with Flux's two controllers running on it (they stop with the cluster)."""
    return start_flux(cluster)


def first_sync(flux: Flux, project: Path) -> FluxSync:
    """The project as a git repository; Flux pointed at it applies its first commit to the empty cluster."""
    repo = GitProject(project)
    empty = repo.init()
    agent = FluxSync(flux.cluster, repo, ENV, git=flux.git)
    step = agent.step(lambda: None, "first sync", base=empty)
    assert agreement(step.expected, step.observed) == ""
    return agent


def test_first_sync_applies_every_object_and_flux_is_ready(flux: Flux, project: Path) -> None:
    agent = first_sync(flux, project)
    assert_applied_by(flux.cluster, project / "rendered" / ENV, AGENT)
    client = flux.cluster.client()
    (kustomization,) = [d for d in agent.gitops if d.kind == "Kustomization"]
    body = client.get(kustomization.body).body
    assert condition(body, "Ready") == "True"
    assert body["status"]["lastAppliedRevision"] == f"main@sha1:{agent.project.head()}"
    assert body["spec"]["path"] == f"./rendered/{ENV}", "Flux builds the folder hdgen renders, as rendered"


def test_a_bump_rolls_exactly_that_deployment_and_a_rollback_commit_brings_its_replicaset_back(
    flux: Flux, project: Path
) -> None:
    agent = first_sync(flux, project)
    bump = agent.step(lambda: agent.project.hdgen("bump", ENV, "--sha", SHA, "--service", "api", "--render", "--commit"), "bump")
    assert agreement(bump.expected, bump.observed) == ""
    assert changed_deployments(bump, "rolls") == {"api"}
    api = next(k for k in bump.observed if k[1] == "Deployment" and k[3] == "api")
    (new_replicaset,) = bump.after.serving[api][1] - bump.before.serving[api][1]
    assert bump.after.serving[api][0] == new_replicaset, "exactly one new ReplicaSet, and it serves"
    assert_one_pod_at_a_time(bump.watch.history["api"], 1, "api")
    for name, states in bump.watch.history.items():
        if name != "api":
            assert len(states) == 1, f"{name} moved during api's rollout: {states}"

    rollback = agent.step(lambda: agent.project.hdgen("rollback", ENV, "--service", "api", "--render", "--commit"), "rollback")
    assert agreement(rollback.expected, rollback.observed) == ""
    assert changed_deployments(rollback, "rolls") == {"api"}
    assert rollback.after.serving[api] == (bump.before.serving[api][0], bump.after.serving[api][1]), (
        "the earlier ReplicaSet serves again, and no third one was made"
    )
    assert_one_pod_at_a_time(rollback.watch.history["api"], 1, "api")


def test_a_config_change_rolls_what_diff_lists_and_a_removed_app_is_pruned(flux: Flux, project: Path) -> None:
    agent = first_sync(flux, project)
    config = agent.step(lambda: agent.project.edit(f"values/{ENV}.yaml", *CONFIG_EDITS[ENV]), "config")
    assert agreement(config.expected, config.observed) == ""
    rolled = changed_deployments(config, "rolls")
    assert rolled == config_rolled(config)
    assert rolled and rolled < set(stored(flux.cluster, "apps/v1", "Deployment")), "some Deployments roll, not all"
    for name in rolled:
        assert_one_pod_at_a_time(config.watch.history[name], 1, name)

    worker = stored(flux.cluster, "apps/v1", "Deployment")["worker"]
    prune = agent.step(lambda: agent.project.edit(f"values/{ENV}.yaml", STAGING_WORKER, "  worker: null\n"), "no worker")
    assert agreement(prune.expected, prune.observed) == ""
    pruned = {(k[1], k[3]) for k, a in prune.observed.items() if a.action == "pruned"}
    assert ("Deployment", "worker") in pruned, pruned
    assert "worker" not in stored(flux.cluster, "apps/v1", "Deployment")
    client = flux.cluster.client()

    def leftovers() -> str:
        pods, _ = list_items(client, "v1", "Pod", NAMESPACE)
        mine = [p["metadata"]["name"] for p in pods if selected(worker["spec"]["selector"], p["metadata"]["labels"])]
        return f"the garbage collector to delete pods {mine}" if mine else ""

    eventually("the pruned Deployment's pods go", leftovers, flux.cluster)


def test_the_hpa_owns_the_replica_count_and_no_flux_reconcile_resets_it(flux: Flux, project: Path) -> None:
    (project / "values" / f"{ENV}.yaml").write_text(
        (project / "values" / f"{ENV}.yaml").read_text().replace(STAGING_API, STAGING_API_AUTOSCALED, 1)
    )
    GitProject(project).hdgen("render", ENV)
    agent = first_sync(flux, project)
    assert stored(flux.cluster, "apps/v1", "Deployment")["api"]["spec"]["replicas"] == 2, "the HPA raised api to its minimum"

    raise_minimum = agent.step(lambda: agent.project.edit(f"values/{ENV}.yaml", "minReplicas: 2,", "minReplicas: 3,"), "api min 3")
    assert agreement(raise_minimum.expected, raise_minimum.observed) == ""
    assert changed_deployments(raise_minimum, "scales") == {"api"}
    assert stored(flux.cluster, "apps/v1", "Deployment")["api"]["spec"]["replicas"] == 3

    bump = agent.step(lambda: agent.project.hdgen("bump", ENV, "--sha", SHA, "--service", "api", "--render", "--commit"), "bump")
    assert agreement(bump.expected, bump.observed) == ""
    deployment = stored(flux.cluster, "apps/v1", "Deployment")["api"]
    assert deployment["spec"]["replicas"] == 3, "Flux's apply left the HPA's count alone"
    managers = {m["manager"] for m in deployment["metadata"]["managedFields"] if "f:replicas" in str(m.get("fieldsV1"))}
    assert AGENT not in managers, f"Flux's apply owns spec.replicas: {managers}"
    assert_one_pod_at_a_time(bump.watch.history["api"], 3, "api")
