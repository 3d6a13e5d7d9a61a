"""What each change does when the GitOps agent applies it: the rollout impact.

The impact is a closed set; the first that applies wins, in this order:

  immutable      a field the API server refuses to change: the apply fails; the
                 detail says what to do instead
  added          a new object: the agent creates it
  removed        gone from the tree: the agent prunes it from the cluster
  rolls-pods     the pod template of a Deployment/StatefulSet/DaemonSet changed:
                 its pods are replaced (how many, how fast)
                 (a changed secret-revision.hdgen.io/<name> annotation: a Secret
                 was rotated, and the detail says which and from what revision)
  config-rolls   a ConfigMap changed: which workloads roll because of it, and
                 which read it but keep the old values until restarted
  scales         only replicas (or an HPA's bounds) changed: pods are added or
                 removed, none restarted
  metadata-only  only labels or annotations changed: no runtime effect
  other          anything else: applied in place, no pod restarts

The GitOps agent's own objects (rendered/_gitops/ENV: an Argo CD Application, a Flux
GitRepository and Kustomization) are applied by an operator, not by the agent, so they
get their own kinds (assess_agent):

  agent-added    a new agent object: apply it by hand; a private repository needs
                 credentials; on an agent switch, delete the old agent's object first
  agent-removed  gone from the tree: nothing prunes it; how to delete it without the
                 agent pruning the app's objects with it
  agent-source   what the agent follows changed (repository URL, revision, path):
                 re-apply it; the new source must hold the tree (and its credentials)
  agent-changed  any other change: re-apply it by hand
"""

from __future__ import annotations

from dataclasses import dataclass

from hdgen.objects.record import Document
from hdgen.diff.references import Edge
from hdgen.diff.semantic import FieldChange, Key, ResourceDiff
from hdgen.objects.kinds import ROLLING_KINDS, WORKLOAD_KINDS, pod_template_path, rolling_template_path
from hdgen.patterns import SECRET_REVISION_ANNOTATION

IMPACTS = ("immutable", "added", "removed", "rolls-pods", "config-rolls", "scales", "metadata-only", "other")

# Annotations that controllers read, so changing them on these kinds is not metadata only.
CONTROLLER_ANNOTATED = frozenset({"Ingress", "Service"})

_RECREATE = (
    "delete it with `kubectl delete {kind_lower}/{name} -n {namespace} --cascade=orphan` "
    "and let the GitOps agent create it again (the old pods keep running until the new ones replace them), "
    "or give it a new name"
)
_IMMUTABLE_FIELDS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "Deployment": [(("spec", "selector"), _RECREATE)],
    "DaemonSet": [(("spec", "selector"), _RECREATE)],
    "ReplicaSet": [(("spec", "selector"), _RECREATE)],
    "StatefulSet": [
        (("spec", "selector"), _RECREATE),
        (("spec", "volumeClaimTemplates"), _RECREATE + "; existing PVCs keep their old size and class: change each PVC by hand"),
        (("spec", "serviceName"), _RECREATE),
        (("spec", "podManagementPolicy"), _RECREATE),
    ],
    "Job": [
        (("spec", "template"), "delete the Job and let the GitOps agent create it again, or give it a new name per change"),
        (("spec", "selector"), "delete the Job and let the GitOps agent create it again"),
    ],
    "Service": [
        (("spec", "clusterIP"), "delete the Service and let the GitOps agent create it again (a brief outage), or stop setting clusterIP"),
        (("spec", "clusterIPs"), "delete the Service and let the GitOps agent create it again (a brief outage), or stop setting clusterIPs"),
    ],
    "PersistentVolumeClaim": [
        (("spec", "storageClassName"), "back up the data, delete the PVC, let the GitOps agent create it again, restore"),
        (("spec", "accessModes"), "back up the data, delete the PVC, let the GitOps agent create it again, restore"),
        (("spec", "volumeName"), "back up the data, delete the PVC, let the GitOps agent create it again, restore"),
    ],
    "RoleBinding": [(("roleRef",), "delete the RoleBinding and let the GitOps agent create it again")],
    "ClusterRoleBinding": [(("roleRef",), "delete the ClusterRoleBinding and let the GitOps agent create it again")],
}
_IMMUTABLE_DATA = (
    "it is marked immutable: create it under a new name and point the workloads at it "
    "(or delete it, let the GitOps agent create it again, then restart the pods that read it)"
)


def assess(diffs: list[ResourceDiff], head: list[Document], edges: list[Edge]) -> dict[Key, tuple[str, str]]:
    """Key -> (impact, one-line detail) for every diff. Details name counts and objects, never values."""
    by_key = {d.key: d for d in diffs}
    head_bodies = {m.key: m.body for m in head}
    result = {}
    for diff in diffs:
        result[diff.key] = _assess_one(diff, by_key, head_bodies, edges)
    return result


def _assess_one(diff, by_key, head_bodies, edges) -> tuple[str, str]:
    immutable = _immutable(diff)
    if immutable:
        return "immutable", immutable
    if diff.change == "added":
        detail = "the GitOps agent creates it"
        if diff.kind in WORKLOAD_KINDS:
            detail += f"; starts {_replicas(diff.new, diff.key, head_bodies, edges)}"
        return "added", detail
    if diff.change == "removed":
        detail = "the GitOps agent prunes it from the cluster"
        if diff.kind in WORKLOAD_KINDS:
            detail += "; its pods stop"
        if diff.kind == "PersistentVolumeClaim":
            detail += "; its volume and data may be deleted (reclaim policy)"
        return "removed", detail
    paths = [change.path for change in diff.fields]
    template = rolling_template_path(diff.kind)
    if template and any(_under(p, template) for p in paths):
        detail = rollout(diff.new, _replicas(diff.new, diff.key, head_bodies, edges))
        if any(_under(p, (*template, "metadata", "annotations")) and p[-1].startswith("checksum/") for p in paths):
            detail += " (its config checksum changed)"
        for secret, old, new in _revision_changes(diff):
            detail += f" (Secret {secret} rotated: revision {_revision(old)} -> {_revision(new)})"
        if ("spec", "replicas") in paths:
            detail += f"; scales {_count(diff.old)} -> {_count(diff.new)} pods"
        return "rolls-pods", detail
    if diff.kind == "ConfigMap" and any(p[0] in ("data", "binaryData") for p in paths):
        return "config-rolls", _config_users(diff, by_key, edges)
    if diff.kind in ROLLING_KINDS and all(p == ("spec", "replicas") for p in paths):
        return "scales", f"scales {_count(diff.old)} -> {_count(diff.new)} pods; no pod restarts"
    if diff.kind == "HorizontalPodAutoscaler" and all(p in (("spec", "minReplicas"), ("spec", "maxReplicas")) for p in paths):
        return "scales", f"autoscaling bounds {_bounds(diff.old)} -> {_bounds(diff.new)}; no pod restarts"
    if all(p[:2] in (("metadata", "labels"), ("metadata", "annotations")) for p in paths):
        if diff.kind == "Namespace" and any(p[1] == "labels" and p[2].startswith(_POD_SECURITY) for p in paths):
            return "other", _pod_security_change(diff.new)
        if diff.kind in CONTROLLER_ANNOTATED and any(p[1] == "annotations" for p in paths):
            return "other", "annotations that configure the controller changed: routing may change; no pod restarts"
        return "metadata-only", "labels or annotations only: no runtime effect"
    sections = sorted({".".join(p[:2]) for p in paths})
    return "other", f"applied in place ({', '.join(sections)}); no pod restarts"


_POD_SECURITY = "pod-security.kubernetes.io/"


def _pod_security_change(namespace: dict) -> str:
    """A Namespace's Pod Security labels decide which of its new pods the API server admits."""
    labels = (namespace.get("metadata") or {}).get("labels") or {}
    level = labels.get(_POD_SECURITY + "enforce", "privileged")
    return (
        f"Pod Security labels changed: from now on the API server admits the namespace's new pods at "
        f"enforce {level}; running pods stay, a rollout's pods that break it are refused; no pod restarts"
    )


@dataclass(frozen=True)
class SecretRotation:
    """A Secret whose revision changed, and the workloads that roll because of it."""

    secret: str
    old: str | None  # the revision annotation's value; None: the pod template had none
    new: str | None
    rolls: tuple[Key, ...]  # sorted

    @property
    def line(self) -> str:
        """`rolls Deployment api, Deployment worker: Secret honeydue-secrets rotated (revision 2 -> 3)`."""
        names = ", ".join(f"{key[1]} {key[3]}" for key in self.rolls)
        return f"rolls {names}: Secret {self.secret} rotated (revision {_revision(self.old)} -> {_revision(self.new)})"


def secret_rotations(diffs: list[ResourceDiff]) -> list[SecretRotation]:
    """Every Secret rotation among the changed workloads, by Secret name (workloads added or removed roll anyway)."""
    found: dict[tuple[str, str | None, str | None], list[Key]] = {}
    for diff in diffs:
        if diff.change == "changed" and rolling_template_path(diff.kind):
            for change in _revision_changes(diff):
                found.setdefault(change, []).append(diff.key)
    ordered = sorted(found.items(), key=lambda item: tuple(part or "" for part in item[0]))
    return [SecretRotation(*change, tuple(sorted(keys))) for change, keys in ordered]


def _revision_changes(diff: ResourceDiff) -> list[tuple[str, str | None, str | None]]:
    """(Secret, old, new) for each secret-revision annotation of the pod template that differs."""
    old, new = _revisions(diff.old, diff.kind), _revisions(diff.new, diff.kind)
    return [
        (name, old.get(name), new.get(name))
        for name in sorted({*old, *new})
        if old.get(name) != new.get(name)
    ]


def _revisions(body: dict | None, kind: str) -> dict[str, str]:
    node = body or {}
    for key in (*(pod_template_path(kind) or ()), "metadata", "annotations"):
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return {}
    prefix = SECRET_REVISION_ANNOTATION
    return {k[len(prefix):]: str(v) for k, v in node.items() if isinstance(k, str) and k.startswith(prefix)}


def _revision(value: str | None) -> str:
    return "none" if value is None else value


def rollout(body: dict, replicas: str) -> str:
    """How a pod template change reaches the pods, e.g. 'rolls 3 pods one at a time (maxSurge 1, maxUnavailable 0)'."""
    kind = body.get("kind")
    spec = body.get("spec") or {}
    if kind == "Deployment":
        strategy = spec.get("strategy") or {}
        if strategy.get("type") == "Recreate":
            return f"recreates {replicas}: every old pod stops before the new ones start (downtime)"
        rolling = strategy.get("rollingUpdate") or {}
        surge, unavailable = rolling.get("maxSurge", "25%"), rolling.get("maxUnavailable", "25%")
        pace = " one at a time" if (surge, unavailable) == (1, 0) else ""
        return f"rolls {replicas}{pace} (maxSurge {surge}, maxUnavailable {unavailable})"
    if kind == "StatefulSet":
        strategy = spec.get("updateStrategy") or {}
        if strategy.get("type") == "OnDelete":
            return f"{replicas}: none replaced until deleted by hand (updateStrategy OnDelete)"
        return f"rolls {replicas} one at a time, highest ordinal first"
    if kind == "DaemonSet":
        unavailable = ((spec.get("updateStrategy") or {}).get("rollingUpdate") or {}).get("maxUnavailable", 1)
        return f"rolls one pod per node (maxUnavailable {unavailable})"
    if kind == "CronJob":
        return "the next Jobs use the new pod template; running Jobs are untouched"
    return f"replaces {replicas}"


def _replicas(body: dict, key: Key, head_bodies: dict, edges: list[Edge]) -> str:
    """'3 pods', or 'at least 3 pods' when an HPA owns the count (its minReplicas)."""
    spec = (body or {}).get("spec") or {}
    if isinstance(spec.get("replicas"), int):
        return _pods(spec["replicas"])
    for edge in edges:
        if edge.target == key and edge.why == "scaleTargetRef" and edge.source in head_bodies:
            minimum = ((head_bodies[edge.source].get("spec") or {}).get("minReplicas")) or 1
            return f"at least {_pods(minimum)}"
    return _pods(1)


def _config_users(diff: ResourceDiff, by_key: dict, edges: list[Edge]) -> str:
    users = sorted({e.source for e in edges if e.target == diff.key and e.source[1] in WORKLOAD_KINDS})
    if not users:
        return "no workload in this env reads it"
    rolled, stale = [], []
    for user in users:
        user_diff = by_key.get(user)
        template = rolling_template_path(user[1])
        changed = user_diff is not None and any(_under(f.path, template) for f in user_diff.fields)
        (rolled if changed else stale).append(f"{user[1]} {user[3]}")
    parts = []
    if rolled:
        parts.append(f"rolls {', '.join(rolled)} (pod template changes with it)")
    if stale:
        names = ", ".join(stale)
        parts.append(
            f"{names} read it but do not roll: their pods keep the old values until "
            f"`kubectl rollout restart` (add a checksum/config annotation)"
        )
    return "; ".join(parts)


def _immutable(diff: ResourceDiff) -> str:
    if diff.change != "changed":
        return ""
    found = []
    for prefix, advice in _IMMUTABLE_FIELDS.get(diff.kind, []):
        if any(_under(change.path, prefix) for change in diff.fields):
            found.append((".".join(prefix), advice))
    if diff.kind == "Service" and _external_name_switch(diff.fields):
        found.append(("spec.type", "delete the Service and let the GitOps agent create it again"))
    if diff.kind in ("ConfigMap", "Secret") and (diff.old or {}).get("immutable") is True:
        if any(c.path[0] in ("data", "binaryData", "stringData", "immutable") for c in diff.fields):
            found.append(("data", _IMMUTABLE_DATA))
    if not found:
        return ""
    fields = ", ".join(dict.fromkeys(name for name, _ in found))
    meta = diff.new.get("metadata") or {}
    advice = found[0][1].format(
        kind_lower=diff.kind.lower(), name=meta.get("name", ""), namespace=meta.get("namespace", "default")
    )
    return f"the apply will fail ({fields} cannot change): {advice}"


def _external_name_switch(fields: list[FieldChange]) -> bool:
    return any(c.path == ("spec", "type") and "ExternalName" in (c.old, c.new) for c in fields)


def _under(path: tuple[str, ...], prefix: tuple[str, ...]) -> bool:
    return bool(prefix) and path[: len(prefix)] == prefix


def _count(body: dict | None) -> int:
    replicas = ((body or {}).get("spec") or {}).get("replicas")
    return replicas if isinstance(replicas, int) else 1


def _bounds(body: dict | None) -> str:
    spec = (body or {}).get("spec") or {}
    return f"min {spec.get('minReplicas', 1)} max {spec.get('maxReplicas', '?')}"


def _pods(count: int) -> str:
    return f"{count} pod" if count == 1 else f"{count} pods"


# --- the GitOps agent's own objects (rendered/_gitops/ENV) ---------------------------------

AGENT_IMPACTS = ("agent-added", "agent-removed", "agent-source", "agent-changed")
IMPACTS = IMPACTS + AGENT_IMPACTS  # the agent's kinds come last: no object gets both sets

# Fields that say what an agent object follows: a change means another tree gets applied.
_AGENT_SOURCE_FIELDS = {
    "Application": (("spec", "source", "repoURL"), ("spec", "source", "targetRevision"), ("spec", "source", "path")),
    "GitRepository": (("spec", "url"), ("spec", "ref")),
    "Kustomization": (("spec", "path"), ("spec", "sourceRef")),
}
_AGENT_GROUPS = ("argoproj.io", "source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io")


def assess_agent(diffs: list[ResourceDiff], folder: str) -> dict[Key, tuple[str, str]]:
    """Key -> (impact, detail) for the diffs of the agent's objects, found in folder (rendered/_gitops/ENV).

    The diffs are judged together: on an agent switch (one agent's objects removed, the other's
    added) the order of the hand steps matters, and each detail says it.
    """
    removed = [d for d in diffs if d.change == "removed" and d.key[0] in _AGENT_GROUPS]
    added = [d for d in diffs if d.change == "added" and d.key[0] in _AGENT_GROUPS]
    switch = bool(removed and added) and {_agent_of(d) for d in removed} != {_agent_of(d) for d in added}
    result = {}
    for diff in diffs:
        if diff.change == "added":
            result[diff.key] = ("agent-added", _agent_added(diff, folder, removed if switch else []))
        elif diff.change == "removed":
            result[diff.key] = ("agent-removed", _agent_removed(diff, switch))
        else:
            result[diff.key] = _agent_changed(diff, folder)
    return result


def _agent_of(diff: ResourceDiff) -> str:
    return "argocd" if diff.key[0] == "argoproj.io" else "flux"


def _agent_added(diff: ResourceDiff, folder: str, replaced: list[ResourceDiff]) -> str:
    steps = []
    if replaced and diff.kind in ("Application", "Kustomization"):
        old = ", ".join(d.title for d in replaced if d.kind in ("Application", "Kustomization"))
        steps.append(f"delete the old agent's {old} first (see its row), or both agents apply the same tree")
    steps.append(f"nothing applies it by itself: `kubectl apply -f {folder}/`")
    spec = (diff.new or {}).get("spec") or {}
    if diff.kind == "GitRepository":
        secret = (spec.get("secretRef") or {}).get("name")
        if secret:
            steps.append(f"a private repository needs credentials: create the Secret {secret} in {diff.namespace} (its secretRef) first")
        else:
            steps.append("a private repository needs credentials: a Secret referenced by the GitRepository (secretRef; values gitops.credentialsSecret)")
    if diff.kind == "Application":
        steps.append("a private repository needs credentials: an Argo CD repository Secret for its repoURL")
    return "; ".join(steps)


def _agent_removed(diff: ResourceDiff, switch: bool) -> str:
    lead = "nothing prunes it (it was applied by hand)"
    if diff.kind == "Application":
        how = (
            f"delete the old Application first, with cascade off (`argocd app delete {diff.name} --cascade=false`, "
            "or remove its resources-finalizer before `kubectl delete`), or the agent prunes the app's objects"
        )
    elif diff.kind == "Kustomization":
        how = (
            f"delete it first with pruning off (set spec.prune to false, then `kubectl delete kustomization {diff.name} "
            f"-n {diff.namespace}`), or Flux prunes every object it applied"
        )
    else:
        how = f"delete it by hand after the objects that use it (`kubectl delete {diff.kind.lower()} {diff.name} -n {diff.namespace}`)"
    if switch and diff.kind in ("Application", "Kustomization"):
        how += "; until it is gone it keeps applying the tree beside the new agent"
    return f"{lead}: {how}"


def _agent_changed(diff: ResourceDiff, folder: str) -> tuple[str, str]:
    paths = [change.path for change in diff.fields]
    sources = [p for p in _AGENT_SOURCE_FIELDS.get(diff.kind, ()) if any(_under(path, p) for path in paths)]
    reapply = f"re-apply it by hand: `kubectl apply -f {folder}/`"
    if sources:
        named = ", ".join(".".join(p) for p in sources)
        return "agent-source", (
            f"what the agent follows changes ({named}): {reapply}; the new source must hold this tree, "
            "and a private repository needs its credentials"
        )
    return "agent-changed", f"the agent does not apply its own object: {reapply}"
