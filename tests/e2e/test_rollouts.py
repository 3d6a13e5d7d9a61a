"""The rendered tree on a cluster that runs rollouts: what hdgen diff predicts is what the controllers do.

Each test is a sequence of commits to a scratch copy of the project, each
applied as the GitOps agent applies it (tests/e2e/scenario.py), on a cluster
with the real controller manager, scheduler and KWOK's fake nodes
(tests/e2e/cluster.py). For every step, `hdgen diff --format json` computed
before the change is compared with what the controllers did, object by object
(tests/e2e/actions.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.actions import agreement
from tests.e2e.cluster import FAKE_NODES, Cluster
from tests.e2e.expectations import CONFIG_EDITS, SHA, assert_one_pod_at_a_time, changed_deployments, config_rolled, stored
from tests.e2e.kube import condition, eventually, list_items, selected
from tests.e2e.scenario import NAMESPACE, DirectSync, GitProject

def first_sync(cluster: Cluster, project: Path, env: str) -> DirectSync:
    """The project as a git repository, its tree applied to the empty cluster and settled."""
    repo = GitProject(project)
    empty = repo.init()
    agent = DirectSync(cluster, repo, env)
    step = agent.step(lambda: None, "first sync", base=empty)
    assert step.refused == {}
    assert agreement(step.expected, step.observed) == ""
    return agent


def spread_skews(template: dict[str, Any], pods: list[dict[str, Any]], nodes: dict[str, dict]) -> list[tuple[str, int, int]]:
    """(topologyKey, skew, maxSkew) of each spread constraint of a pod template, over the pods it counts.

    A constraint counts the pods its labelSelector selects, per value of its
    matchLabelKeys (pod-template-hash: each ReplicaSet's pods apart); the skew
    is the most minus the fewest such pods in any domain (here: node).
    """
    result = []
    for constraint in template["spec"].get("topologySpreadConstraints") or []:
        topology = constraint["topologyKey"]
        counted = [p for p in pods if selected(constraint["labelSelector"], p["metadata"]["labels"])]
        groups: dict[tuple, list[dict]] = {}
        for pod in counted:
            labels = pod["metadata"]["labels"]
            groups.setdefault(tuple(labels.get(k) for k in constraint.get("matchLabelKeys") or []), []).append(pod)
        for group in groups.values():
            counts = {n["metadata"]["labels"][topology]: 0 for n in nodes.values() if topology in n["metadata"]["labels"]}
            for pod in group:
                counts[nodes[pod["spec"]["nodeName"]]["metadata"]["labels"][topology]] += 1
            result.append((topology, max(counts.values()) - min(counts.values()), constraint["maxSkew"]))
    return result


def assert_spread(cluster: Cluster, tree: list) -> int:
    """Every spread constraint of the tree's Deployments holds on the settled cluster; returns how many were checked.

    ScheduleAnyway is a preference of the scheduler, not a rule; on three empty
    nodes with room to spare nothing outweighs it, so it must hold here too.
    """
    nodes = {n["metadata"]["name"]: n for n in list_items(cluster.client(), "v1", "Node")[0]}
    pods = list(stored(cluster, "v1", "Pod").values())
    checked = 0
    for document in tree:
        if document.kind == "Deployment":
            skews = spread_skews(document.body["spec"]["template"], pods, nodes)
            assert all(skew <= most for _, skew, most in skews), (document.name, skews)
            checked += len(skews)
    return checked


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_first_sync_every_deployment_becomes_available_on_the_fake_nodes(cluster: Cluster, project: Path, env: str) -> None:
    agent = first_sync(cluster, project, env)
    tree = {d.name: d.body for d in agent.applied if d.kind == "Deployment"}
    deployments = stored(cluster, "apps/v1", "Deployment")
    assert sorted(deployments) == sorted(tree)
    hpas = {h["spec"]["scaleTargetRef"]["name"]: h for h in stored(cluster, "autoscaling/v2", "HorizontalPodAutoscaler").values()}
    pods = stored(cluster, "v1", "Pod")
    for name, deployment in deployments.items():
        assert condition(deployment, "Available") == "True", name
        # The tree's count, or the HPA's minimum: the HPA controller raised the default 1 (the tree omits replicas).
        want = tree[name]["spec"].get("replicas") or hpas[name]["spec"]["minReplicas"]
        assert deployment["spec"]["replicas"] == deployment["status"]["availableReplicas"] == want, name
        mine = [p for p in pods.values() if selected(deployment["spec"]["selector"], p["metadata"]["labels"])]
        assert len(mine) == want, name
        assert {p["spec"]["nodeName"] for p in mine} <= set(FAKE_NODES), name
        assert all(p["spec"]["nodeSelector"] == {"kubernetes.io/arch": "amd64"} for p in mine), name
    for pdb in stored(cluster, "policy/v1", "PodDisruptionBudget").values():
        status = pdb["status"]  # the disruption controller counts the pods on the fake nodes
        assert status["currentHealthy"] == status["expectedPods"] >= 1, pdb["metadata"]["name"]
        assert status["disruptionsAllowed"] == pdb["spec"]["maxUnavailable"], pdb["metadata"]["name"]
    for name, statefulset in stored(cluster, "apps/v1", "StatefulSet").items():
        assert statefulset["status"]["readyReplicas"] == statefulset["spec"]["replicas"], name
    spread = assert_spread(cluster, agent.applied)
    asks = sum(len(d.body["spec"]["template"]["spec"].get("topologySpreadConstraints") or []) for d in agent.applied if d.kind == "Deployment")
    assert spread >= asks, "every constraint the tree asks for was checked"


def test_a_bump_rolls_exactly_that_deployment_one_pod_at_a_time_and_a_rollback_brings_its_replicaset_back(
    cluster: Cluster, project: Path
) -> None:
    agent = first_sync(cluster, project, "prod")
    replicas = stored(cluster, "apps/v1", "Deployment")["api"]["spec"]["replicas"]
    assert replicas == 3, "the HPA raised api to its minReplicas"

    bump = agent.step(
        lambda: agent.project.hdgen("bump", "prod", "--sha", SHA, "--service", "api", "--render", "--commit"), "bump"
    )
    assert agreement(bump.expected, bump.observed) == ""
    assert changed_deployments(bump, "rolls") == {"api"}
    api = next(k for k in bump.observed if k[1] == "Deployment" and k[3] == "api")
    (new_replicaset,) = bump.after.serving[api][1] - bump.before.serving[api][1]
    assert bump.after.serving[api][0] == new_replicaset, "exactly one new ReplicaSet, and it serves"
    assert_one_pod_at_a_time(bump.watch.history["api"], replicas, "api")
    assert stored(cluster, "apps/v1", "Deployment")["api"]["spec"]["replicas"] == replicas, "the apply kept the HPA's count"
    for name, states in bump.watch.history.items():
        if name != "api":
            assert len(states) == 1, f"{name} moved during api's rollout: {states}"
    assert assert_spread(cluster, agent.applied) >= 1, "the new ReplicaSet's pods spread as the tree asks"

    rollback = agent.step(lambda: agent.project.hdgen("rollback", "prod", "--service", "api", "--render", "--commit"), "rollback")
    assert agreement(rollback.expected, rollback.observed) == ""
    assert changed_deployments(rollback, "rolls") == {"api"}
    old_replicaset = bump.before.serving[api][0]
    assert rollback.after.serving[api] == (old_replicaset, bump.after.serving[api][1]), "the earlier ReplicaSet serves again"
    assert_one_pod_at_a_time(rollback.watch.history["api"], replicas, "api")


@pytest.mark.parametrize("env", sorted(CONFIG_EDITS))
def test_a_config_change_rolls_exactly_the_deployments_diff_lists(cluster: Cluster, project: Path, env: str) -> None:
    agent = first_sync(cluster, project, env)
    step = agent.step(lambda: agent.project.edit(f"values/{env}.yaml", *CONFIG_EDITS[env]), "config")
    assert agreement(step.expected, step.observed) == ""
    rolled = changed_deployments(step, "rolls")
    assert rolled == config_rolled(step)
    assert rolled and rolled < set(stored(cluster, "apps/v1", "Deployment")), "some Deployments roll, not all"
    for name in rolled:
        replicas = step.after.bodies[next(k for k in step.after.bodies if k[1] == "Deployment" and k[3] == name)]["spec"]["replicas"]
        assert_one_pod_at_a_time(step.watch.history[name], replicas, name)


def test_a_removed_app_is_pruned_with_its_pods(cluster: Cluster, project: Path) -> None:
    agent = first_sync(cluster, project, "prod")
    vmagent = stored(cluster, "apps/v1", "Deployment")["vmagent"]
    values = (project / "values" / "prod.yaml").read_text()
    block = values[values.index("\nobservability:\n") : values.index("\ngitops:")]  # vmagent and its config
    step = agent.step(lambda: agent.project.edit("values/prod.yaml", block, "\nobservability: null\n"), "no vmagent")
    pruned = {(k[1], k[3]) for k, a in step.observed.items() if a.action == "pruned"}
    assert ("Deployment", "vmagent") in pruned and len(pruned) >= 2, pruned
    assert agreement(step.expected, step.observed) == ""
    client = cluster.client()

    def leftovers() -> str:
        pods, _ = list_items(client, "v1", "Pod", NAMESPACE)
        mine = [p["metadata"]["name"] for p in pods if selected(vmagent["spec"]["selector"], p["metadata"]["labels"])]
        return f"the garbage collector to delete pods {mine}" if mine else ""

    eventually("the pruned Deployment's pods go", leftovers, cluster)


def test_the_hpa_owns_the_replica_count_and_no_apply_resets_it(cluster: Cluster, project: Path) -> None:
    agent = first_sync(cluster, project, "prod")
    raise_minimum = agent.step(
        lambda: agent.project.edit("values/prod.yaml", "      minReplicas: 3\n", "      minReplicas: 4\n"), "api min 4"
    )
    assert agreement(raise_minimum.expected, raise_minimum.observed) == ""
    assert changed_deployments(raise_minimum, "scales") == {"api"}
    assert stored(cluster, "apps/v1", "Deployment")["api"]["spec"]["replicas"] == 4

    bump = agent.step(lambda: agent.project.hdgen("bump", "prod", "--sha", SHA, "--service", "api", "--render", "--commit"), "bump")
    assert agreement(bump.expected, bump.observed) == ""
    deployment = stored(cluster, "apps/v1", "Deployment")["api"]
    assert deployment["spec"]["replicas"] == 4, "the apply left the HPA's count alone"
    managers = {m["manager"] for m in deployment["metadata"]["managedFields"] if "f:replicas" in str(m.get("fieldsV1"))}
    assert "hdgen" not in managers, f"the agent's apply owns spec.replicas: {managers}"
    assert_one_pod_at_a_time(bump.watch.history["api"], 4, "api")

