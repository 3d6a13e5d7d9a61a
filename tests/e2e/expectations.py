"""What the rollout tests check on a settled cluster, for every agent: the direct apply's and Flux's.

The stored objects by name, the Deployments that rolled or scaled in a step,
maxSurge 1 / maxUnavailable 0 in every state a watch saw, and the Deployments
hdgen diff names under config-rolls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.cluster import Cluster
from tests.e2e.kube import condition, list_items
from tests.e2e.objects import key, read_tree
from tests.e2e.rollout import Counts
from tests.e2e.scenario import NAMESPACE, Step

SHA = "0123456789abcdef0123456789abcdef01234567"


def stored(cluster: Cluster, api_version: str, kind: str) -> dict[str, dict[str, Any]]:
    items, _ = list_items(cluster.client(), api_version, kind, NAMESPACE)
    return {item["metadata"]["name"]: item for item in items}


def changed_deployments(step: Step, action: str) -> set[str]:
    return {k[3] for k, a in step.observed.items() if k[1] == "Deployment" and a.action == action}


def assert_one_pod_at_a_time(history: list[Counts], desired: int, name: str) -> None:
    """maxSurge 1, maxUnavailable 0, in every state the watch saw (not only the samples a poll would catch)."""
    states = "\n".join(f"  ready {c.ready}, live {c.live}, ReplicaSet replicas {c.replicas}" for c in history)
    assert min(c.ready for c in history) >= desired, f"{name}: fewer than {desired} Ready pods:\n{states}"
    assert max(c.ready for c in history) <= desired + 1, f"{name}: more than {desired} + 1 Ready pods:\n{states}"
    assert max(c.replicas for c in history) == desired + 1, f"{name}: no surge of exactly one pod:\n{states}"
    # One surge per replaced pod: the watch saw the whole rollout, one pod at a time.
    surges = sum(1 for a, b in zip(history, history[1:]) if b.replicas == desired + 1 and a.replicas == desired)
    assert surges == desired, f"{name}: {surges} surges for {desired} pods:\n{states}"


def config_rolled(step: Step) -> set[str]:
    """The Deployments the ConfigMap's config-rolls detail names ("rolls Deployment a, Deployment b (…)")."""
    (configmap,) = [r for r in step.review["resources"] if r["impact"] == "config-rolls"]
    rolls = configmap["impactDetail"].split(" (pod template changes with it)")[0]
    assert rolls.startswith("rolls "), configmap["impactDetail"]
    return {part.removeprefix("Deployment ") for part in rolls.removeprefix("rolls ").split(", ")}


# (text before, text after) in values/ENV.yaml: one key of the app config changes.
CONFIG_EDITS = {"prod": ("  LOG_LEVEL: info\n", "  LOG_LEVEL: warn\n"), "staging": ("  LOG_LEVEL: debug\n", "  LOG_LEVEL: info\n")}


def assert_applied_by(cluster: Cluster, tree: Path, manager: str) -> None:
    """Every object of a rendered tree is on the cluster, applied by manager, and every Deployment is Available."""
    client = cluster.client()
    documents = read_tree(tree)
    for document in documents:
        response = client.get(document.body)
        assert response.status == 200, f"{key(document)} is not on the cluster: {response.message}"
        managers = {m["manager"] for m in response.body["metadata"].get("managedFields") or []}
        assert manager in managers, f"{key(document)} was not applied by {manager}: {managers}"
    deployments = stored(cluster, "apps/v1", "Deployment")
    assert sorted(deployments) == sorted(d.name for d in documents if d.kind == "Deployment")
    for name, deployment in deployments.items():
        assert condition(deployment, "Available") == "True", name
