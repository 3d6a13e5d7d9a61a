"""What `hdgen diff` predicts the controllers do, what they did, and the two compared object by object.

One vocabulary of actions for both sides:

    created    the object did not exist and now does
    pruned     the object existed and is gone
    rolls      a workload's pods are replaced: a Deployment serves from another
               ReplicaSet (a new one, or an earlier one back after a rollback),
               a StatefulSet or DaemonSet has another update revision
    scales     a workload's replica count changed, its pods' template did not
    changes    the object changed in place (spec, data, labels, annotations)
    refused    the API server refused the apply (an immutable field)
    unchanged  none of the above

Predicted (`expected_actions`), from `hdgen diff --format json`: each
resource's impact maps to one action (IMPACT_ACTIONS); an object the diff does
not list is unchanged. One impact reaches beyond its object: an HPA whose
bounds change `scales` its target when the count it holds leaves the new
bounds. This cluster has no metrics, so an HPA holds its target at its
minReplicas, and the target's new count is the old minimum clamped into the
new bounds.

Observed (`observed_actions`), from two `snapshot`s of the cluster, taken
when it had settled before and after the change: existence, the serving
ReplicaSet or update revision, the replica count, and the object without what
the server and the controllers write themselves (status, resourceVersion,
managedFields, the revision annotations, …).

`mismatches(expected, observed)` lists every object where they differ, one
readable line each; a test asserts it is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hdgen.objects.record import Document
from hdgen.validate.kubeapi import ApiClient
from tests.e2e.kube import list_items
from tests.e2e.objects import Key, key

ACTIONS = ("created", "pruned", "rolls", "scales", "changes", "refused", "unchanged")
ROLLING = ("Deployment", "StatefulSet", "DaemonSet")

IMPACT_ACTIONS = {
    "added": "created",
    "removed": "pruned",
    "immutable": "refused",
    "rolls-pods": "rolls",  # for ROLLING kinds; a CronJob's template change only changes the CronJob
    "scales": "scales",  # for ROLLING kinds; an HPA's bounds change the HPA (and maybe scale its target)
    "config-rolls": "changes",  # the ConfigMap itself; its readers roll by their own checksum annotations
    "metadata-only": "changes",
    "other": "changes",
    # The GitOps agent's own objects, for a tier that applies them (hdgen applies them by hand):
    "agent-added": "created",
    "agent-removed": "unchanged",  # nothing prunes them: see docs/review.md
    "agent-source": "changes",
    "agent-changed": "changes",
}

# Written by the server and the controllers, never by the tree: not a change of the object.
_VOLATILE_METADATA = ("resourceVersion", "managedFields", "generation", "uid", "creationTimestamp", "selfLink")
_CONTROLLER_ANNOTATIONS = ("deployment.kubernetes.io/revision", "deployment.kubernetes.io/revision-history")


@dataclass(frozen=True)
class Action:
    """One object's action, with what shows it (the diff's impact, or what the cluster holds)."""

    action: str
    because: str

    def __str__(self) -> str:
        return f"{self.action} ({self.because})" if self.because else self.action


# -- predicted ------------------------------------------------------------------------------


def diff_key(resource: dict[str, Any]) -> Key:
    return (resource["apiVersion"], resource["kind"], resource.get("namespace") or "", resource["name"])


def expected_actions(
    review: dict[str, Any], before: list[Document], after: list[Document], *, agent_objects: bool = False
) -> dict[Key, Action]:
    """What each object of either tree should undergo, from `hdgen diff --format json` (parsed).

    agent_objects: also judge rendered/_gitops/ENV's objects (only a tier that applies them).
    """
    expected = {k: Action("unchanged", "not in hdgen diff") for k in {*map(key, before), *map(key, after)}}
    for resource in review["resources"]:
        if "/_gitops/" in f"{resource.get('folder', '')}/" and not agent_objects:
            continue
        expected[diff_key(resource)] = Action(_action_of(resource), f"{resource['impact']}: {resource['impactDetail']}")
    heads = {key(d): d.body for d in after}
    for resource in review["resources"]:
        if resource["kind"] == "HorizontalPodAutoscaler" and resource["impact"] == "scales":
            target, action = _hpa_target(resource, heads.get(diff_key(resource)) or {})
            if action and expected.get(target, Action("unchanged", "")).action == "unchanged":
                expected[target] = action
    return expected


def _action_of(resource: dict[str, Any]) -> str:
    action = IMPACT_ACTIONS[resource["impact"]]
    if action in ("rolls", "scales") and resource["kind"] not in ROLLING:
        return "changes"
    return action


def _hpa_target(resource: dict[str, Any], hpa: dict[str, Any]) -> tuple[Key, Action | None]:
    """The HPA's target, and `scales` if the count the HPA holds (its old minimum) leaves the new bounds."""
    spec = hpa.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    target = (ref.get("apiVersion", ""), ref.get("kind", ""), resource.get("namespace") or "", ref.get("name", ""))
    old = {f["path"].rsplit(".", 1)[-1]: f["old"] for f in resource["fields"]}
    held = old.get("minReplicas", spec.get("minReplicas", 1))
    new_count = min(max(held, spec.get("minReplicas", 1)), spec.get("maxReplicas", held))
    if new_count == held:
        return target, None
    return target, Action("scales", f"its HPA's bounds: it holds {held} pods (no metrics), the new bounds make {new_count}")


# -- observed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What the cluster holds for a set of objects, and which ReplicaSet serves each Deployment."""

    bodies: dict[Key, dict[str, Any]]
    serving: dict[Key, tuple[str, frozenset[str]]]  # Deployment -> (serving ReplicaSet, every ReplicaSet it owns)


def snapshot(client: ApiClient, keys: Iterable[Key]) -> Snapshot:
    """Read each object (absent ones are left out) and the ReplicaSets of each Deployment."""
    bodies: dict[Key, dict[str, Any]] = {}
    for api_version, kind, namespace, name in sorted(set(keys)):
        body = {"apiVersion": api_version, "kind": kind, "metadata": {"name": name, "namespace": namespace}}
        response = client.get(body)
        if response.status == 404:
            continue
        assert response.ok, f"{kind} {namespace}/{name} does not read: {response.status} {response.message}"
        bodies[(api_version, kind, namespace, name)] = response.body
    serving = {}
    for object_key, body in bodies.items():
        if object_key[1] == "Deployment":
            serving[object_key] = _replicasets(client, body)
    return Snapshot(bodies, serving)


def _replicasets(client: ApiClient, deployment: dict[str, Any]) -> tuple[str, frozenset[str]]:
    """The Deployment's ReplicaSets by owner; the serving one has the highest revision annotation."""
    uid = deployment["metadata"]["uid"]
    items, _ = list_items(client, "apps/v1", "ReplicaSet", deployment["metadata"]["namespace"])
    owned = [rs for rs in items if any(o.get("uid") == uid for o in rs["metadata"].get("ownerReferences") or [])]
    if not owned:
        return "", frozenset()

    def revision(rs: dict[str, Any]) -> int:
        return int((rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision", "0"))

    return max(owned, key=revision)["metadata"]["name"], frozenset(rs["metadata"]["name"] for rs in owned)


def observed_actions(before: Snapshot, after: Snapshot, refused: Iterable[Key] = ()) -> dict[Key, Action]:
    """What each object underwent between two snapshots; refused: the objects whose apply the server refused."""
    refused = set(refused)
    result = {}
    for object_key in sorted({*before.bodies, *after.bodies, *refused}):
        if object_key in refused:
            result[object_key] = Action("refused", "the API server refused the apply")
        else:
            result[object_key] = _observed_one(object_key, before, after)
    return result


def _observed_one(object_key: Key, before: Snapshot, after: Snapshot) -> Action:
    old, new = before.bodies.get(object_key), after.bodies.get(object_key)
    if old is None or new is None:
        if new is not None:
            return Action("created", "absent before, there after")
        return Action("pruned", "there before, absent after") if old is not None else Action("unchanged", "absent")
    rolled = _rolled(object_key, old, new, before, after)
    if rolled:
        return Action("rolls", rolled)
    if object_key[1] in ROLLING and _replicas(old) != _replicas(new):
        return Action("scales", f"replicas {_replicas(old)} -> {_replicas(new)}, same pod template revision")
    changed = _changed_paths(_comparable(old), _comparable(new))
    if changed:
        return Action("changes", "changed: " + ", ".join(changed[:5]) + (", …" if len(changed) > 5 else ""))
    return Action("unchanged", "")


def _rolled(object_key: Key, old: dict, new: dict, before: Snapshot, after: Snapshot) -> str:
    kind = object_key[1]
    if kind == "Deployment":
        (was, known), (now, _) = before.serving.get(object_key, ("", frozenset())), after.serving[object_key]
        if was == now:
            return ""
        return f"ReplicaSet {was} -> {now} ({'an earlier one, back' if now in known else 'a new one'})"
    if kind in ("StatefulSet", "DaemonSet"):
        was, now = (old.get("status") or {}).get("updateRevision"), (new.get("status") or {}).get("updateRevision")
        return f"update revision {was} -> {now}" if was != now else ""
    return ""


def _replicas(body: dict[str, Any]) -> int | None:
    return (body.get("spec") or {}).get("replicas")


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    """The object as the tree and the people who apply it set it: no status, nothing the server writes."""
    metadata = {k: v for k, v in body["metadata"].items() if k not in _VOLATILE_METADATA}
    annotations = {k: v for k, v in (metadata.get("annotations") or {}).items() if k not in _CONTROLLER_ANNOTATIONS}
    metadata["annotations"] = annotations
    comparable = {k: v for k, v in body.items() if k not in ("status", "metadata")}
    if body.get("kind") in ROLLING and "spec" in comparable:
        comparable["spec"] = {k: v for k, v in comparable["spec"].items() if k != "replicas"}  # that is `scales`
    return {**comparable, "metadata": metadata}


def _changed_paths(old: Any, new: Any, path: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        return [p for k in sorted({*old, *new}) for p in _changed_paths(old.get(k), new.get(k), f"{path}.{k}")]
    return [] if old == new else [path.lstrip(".") or "(object)"]


# -- compared -------------------------------------------------------------------------------


def mismatches(expected: dict[Key, Action], observed: dict[Key, Action]) -> list[str]:
    """One line per object whose observed action is not the predicted one (an empty list: they agree)."""
    lines = []
    for object_key in sorted({*expected, *observed}):
        want = expected.get(object_key, Action("unchanged", "not in either tree"))
        got = observed.get(object_key, Action("unchanged", "not read"))
        if want.action != got.action:
            _, kind, namespace, name = object_key
            where = f"{namespace}/{name}" if namespace else name
            lines.append(f"{kind} {where}: hdgen diff predicted {want}; the cluster did {got}")
    return lines


def agreement(expected: dict[Key, Action], observed: dict[Key, Action]) -> str:
    """The assertion message: every disagreement, then the whole table for context ("" when they agree)."""
    lines = mismatches(expected, observed)
    if not lines:
        return ""
    table = [
        f"  {k[1]} {k[2] + '/' if k[2] else ''}{k[3]}: predicted {expected.get(k, '-')}; observed {observed.get(k, '-')}"
        for k in sorted({*expected, *observed})
    ]
    return "\n".join([f"{len(lines)} object(s) where hdgen diff and the controllers disagree:", *lines, "all objects:", *table])
