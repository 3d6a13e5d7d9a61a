"""Watching rollouts: every state a Deployment's pods and ReplicaSets pass through, and when a namespace has settled.

`RolloutWatch` follows the pods and ReplicaSets of a namespace from one
resourceVersion on, so it sees every intermediate state in order (a watch, not
polling: no state between two polls is missed). For each Deployment it records,
after every event that changes them:

    ready     pods that are Ready and not terminating (what maxUnavailable protects)
    live      pods that are not terminating
    replicas  the sum of spec.replicas over the Deployment's ReplicaSets: the count
              the Deployment controller bounds by replicas + maxSurge

`live` is recorded but not bounded: a ReplicaSet's pods are created and
deleted by the ReplicaSet controller after the Deployment controller has
moved the counts, so for a moment an old pod may still be there when a new one
is created. Readiness lags creation, so that never adds a Ready pod.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from hdgen.validate.kubeapi import ApiClient
from tests.e2e.cluster import FAKE_NODES
from tests.e2e.kube import Watch, collection, condition, list_items, selected


@dataclass(frozen=True)
class Counts:
    ready: int
    live: int
    replicas: int


@dataclass
class RolloutWatch:
    """Pods and ReplicaSets of one namespace, counted per Deployment after every event (see the module docstring).

    The Deployments are the ones stored when the watch starts: start it after the first apply.
    """

    client: ApiClient
    namespace: str
    deployments: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> stored Deployment
    pods: dict[str, dict[str, Any]] = field(default_factory=dict)  # uid -> latest pod
    replicasets: dict[str, dict[str, Any]] = field(default_factory=dict)  # uid -> latest ReplicaSet
    history: dict[str, list[Counts]] = field(default_factory=dict)  # Deployment name -> each distinct state
    _watches: list[Watch] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)  # two watch threads update the same state

    def start(self) -> RolloutWatch:
        items, _ = list_items(self.client, "apps/v1", "Deployment", self.namespace)
        self.deployments = {d["metadata"]["name"]: d for d in items}
        for kind, api_version, store in (("Pod", "v1", self.pods), ("ReplicaSet", "apps/v1", self.replicasets)):
            objects, version = list_items(self.client, api_version, kind, self.namespace)
            store.update({o["metadata"]["uid"]: o for o in objects})
            path = collection(self.client, api_version, kind, self.namespace)
            self._watches.append(Watch(self.client, path, version, self._handler(store)).start())
        with self._lock:
            self._record()
        return self

    def stop(self) -> None:
        for watch in self._watches:
            watch.stop()

    def _handler(self, store: dict[str, dict[str, Any]]):
        def on_event(kind: str, body: dict[str, Any]) -> None:
            with self._lock:
                if kind == "DELETED":
                    store.pop(body["metadata"]["uid"], None)
                else:
                    store[body["metadata"]["uid"]] = body
                self._record()

        return on_event

    def _record(self) -> None:
        for name, deployment in self.deployments.items():
            counts = self.counts(deployment)
            states = self.history.setdefault(name, [])
            if not states or states[-1] != counts:
                states.append(counts)

    def counts(self, deployment: dict[str, Any]) -> Counts:
        selector = deployment["spec"]["selector"]
        live = [
            p
            for p in self.pods.values()
            if selected(selector, p["metadata"].get("labels") or {}) and not p["metadata"].get("deletionTimestamp")
        ]
        uid = deployment["metadata"]["uid"]
        owned = [
            rs
            for rs in self.replicasets.values()
            if any(o.get("uid") == uid for o in rs["metadata"].get("ownerReferences") or [])
        ]
        return Counts(
            ready=sum(1 for p in live if condition(p, "Ready") == "True"),
            live=len(live),
            replicas=sum(rs["spec"].get("replicas", 0) for rs in owned),
        )


def unsettled(client: ApiClient, namespace: str) -> str:
    """What in the namespace is still moving ("" once every workload is rolled out, Ready and on a fake node)."""
    pods, _ = list_items(client, "v1", "Pod", namespace)
    for pod in pods:  # first, as it says why (a pod nothing can schedule never lets its workload settle)
        for item in (pod.get("status") or {}).get("conditions") or []:
            if item.get("type") == "PodScheduled" and item.get("status") == "False":
                return f"pod {pod['metadata']['name']} to be scheduled ({item.get('message')})"
    deployments, _ = list_items(client, "apps/v1", "Deployment", namespace)
    hpas, _ = list_items(client, "autoscaling/v2", "HorizontalPodAutoscaler", namespace)
    for hpa in hpas:
        spec = hpa["spec"]
        target = next((d for d in deployments if d["metadata"]["name"] == spec["scaleTargetRef"]["name"]), None)
        if target and not spec.get("minReplicas", 1) <= target["spec"]["replicas"] <= spec["maxReplicas"]:
            return f"HPA {hpa['metadata']['name']} to bring its target within its bounds"
    for deployment in deployments:
        waiting = _deployment_unsettled(deployment)
        if waiting:
            return waiting
    statefulsets, _ = list_items(client, "apps/v1", "StatefulSet", namespace)
    for statefulset in statefulsets:
        status, replicas = statefulset.get("status") or {}, statefulset["spec"].get("replicas", 1)
        done = status.get("observedGeneration", 0) >= statefulset["metadata"]["generation"] and (
            status.get("readyReplicas", 0) == status.get("updatedReplicas", 0) == status.get("replicas", 0) == replicas
        ) and status.get("currentRevision") == status.get("updateRevision")
        if not done:
            return f"StatefulSet {statefulset['metadata']['name']} to roll out ({status})"
    replicasets, _ = list_items(client, "apps/v1", "ReplicaSet", namespace)
    owners = {o["metadata"]["uid"] for o in (*deployments, *replicasets, *statefulsets)}
    pods, _ = list_items(client, "v1", "Pod", namespace)  # again: the workloads have settled since
    for kind, dependent in [*(("ReplicaSet", r) for r in replicasets), *(("Pod", p) for p in pods)]:
        if any(o.get("controller") and o["uid"] not in owners for o in dependent["metadata"].get("ownerReferences") or []):
            return f"the garbage collector to delete {kind} {dependent['metadata']['name']} (its owner is gone)"
    for pod in pods:
        if pod["metadata"].get("deletionTimestamp") or condition(pod, "Ready") != "True":
            return f"pod {pod['metadata']['name']} to be Ready or gone"
        assert pod["spec"].get("nodeName") in FAKE_NODES, f"pod {pod['metadata']['name']} on {pod['spec'].get('nodeName')}"
    return ""


def _deployment_unsettled(deployment: dict[str, Any]) -> str:
    status, replicas = deployment.get("status") or {}, deployment["spec"]["replicas"]
    counts = [status.get(k, 0) for k in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")]
    if status.get("observedGeneration", 0) < deployment["metadata"]["generation"] or counts != [replicas] * 4:
        return f"Deployment {deployment['metadata']['name']} to roll out ({dict(zip(('replicas', 'updated', 'ready', 'available'), counts))} of {replicas})"
    return ""
