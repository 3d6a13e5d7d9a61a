"""Which object refers to which: the edges a reviewer needs to see what a change touches.

Deployment -> ConfigMap/Secret it reads (envFrom, env, volumes), HPA -> its
scale target, Service and PodDisruptionBudget -> the workloads their selector
picks, Ingress -> its backend Services, a Traefik IngressRoute -> its Services and
TraefikServices, a TraefikService -> the Services it weighs, RoleBinding -> Role and
ServiceAccount, workload -> ServiceAccount.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hdgen.objects.kinds import WORKLOAD_KINDS, pod_template_path
from hdgen.objects.record import Document
from hdgen.diff.semantic import Key


@dataclass(frozen=True, order=True)
class Edge:
    source: Key
    target: Key
    why: str  # "envFrom", "selector", "scaleTargetRef", "backend", …


def pod_template(body: dict) -> dict:
    """The pod template of a workload ({} for anything else), where hdgen.objects.kinds says it is."""
    path = pod_template_path(body.get("kind"))
    node = body if path is not None else {}
    for key in path or ():
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def references(manifests: Iterable[Document]) -> list[Edge]:
    """Every edge between the given objects, sorted; references to objects not in the set are skipped."""
    manifests = list(manifests)
    index = {(m.kind, m.namespace or "", m.name): m.key for m in manifests}
    # Workloads by (namespace, pod label, value): a selector looks only at the workloads that
    # carry one of its labels, not at every object (quadratic: 5 s of `hdgen ci` at 2,940 objects).
    by_label: dict[tuple[str, str, Any], list[tuple[dict, Key]]] = {}
    workloads: list[tuple[str, dict, Key]] = []  # for a selector whose value cannot be a dict key
    for other in manifests:
        if other.kind in WORKLOAD_KINDS:
            labels = (pod_template(other.body).get("metadata") or {}).get("labels") or {}
            if not isinstance(labels, dict):
                continue
            workloads.append((other.namespace or "", labels, other.key))
            for label, value in labels.items():
                if _hashable(value):
                    by_label.setdefault((other.namespace or "", label, value), []).append((labels, other.key))
    edges = set()
    for manifest in manifests:
        for kind, name, why in _named_targets(manifest.body):
            target = index.get((kind, manifest.namespace or "", name)) or index.get((kind, "", name))
            if target is not None and target != manifest.key:
                edges.add(Edge(manifest.key, target, why))
        selector = _selector_of(manifest.body)
        if isinstance(selector, dict) and selector:
            namespace = manifest.namespace or ""
            label, value = next(iter(selector.items()))
            if _hashable(value):
                candidates = by_label.get((namespace, label, value), ())
            else:  # not a valid label value (kubeconform says so); compare the slow way
                candidates = [(labels, key) for ns, labels, key in workloads if ns == namespace]
            for labels, key in candidates:
                if all(labels.get(k) == v for k, v in selector.items()):
                    edges.add(Edge(manifest.key, key, "selector"))
    return sorted(edges)


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _selector_of(body: dict) -> dict:
    """Services and PDBs pick pods by labels; a Service's selector is flat, a PDB's is matchLabels."""
    spec = body.get("spec") or {}
    if body.get("kind") == "Service":
        return spec.get("selector") or {}
    if body.get("kind") == "PodDisruptionBudget":
        return (spec.get("selector") or {}).get("matchLabels") or {}
    return {}


def _named_targets(body: dict) -> Iterator[tuple[str, str, str]]:
    kind = body.get("kind")
    spec = body.get("spec") or {}
    if kind in WORKLOAD_KINDS:
        pod = pod_template(body).get("spec") or {}
        if pod.get("serviceAccountName"):
            yield "ServiceAccount", pod["serviceAccountName"], "serviceAccountName"
        for container in [*(pod.get("initContainers") or []), *(pod.get("containers") or [])]:
            for source in container.get("envFrom") or []:
                yield from _ref(source.get("configMapRef"), "ConfigMap", "envFrom")
                yield from _ref(source.get("secretRef"), "Secret", "envFrom")
            for variable in container.get("env") or []:
                value_from = variable.get("valueFrom") or {}
                yield from _ref(value_from.get("configMapKeyRef"), "ConfigMap", "env")
                yield from _ref(value_from.get("secretKeyRef"), "Secret", "env")
        for volume in pod.get("volumes") or []:
            yield from _ref(volume.get("configMap"), "ConfigMap", "volume")
            secret = volume.get("secret") or {}
            if secret.get("secretName"):
                yield "Secret", secret["secretName"], "volume"
            for source in (volume.get("projected") or {}).get("sources") or []:
                yield from _ref(source.get("configMap"), "ConfigMap", "volume")
                yield from _ref(source.get("secret"), "Secret", "volume")
        for pull in pod.get("imagePullSecrets") or []:
            yield from _ref(pull, "Secret", "imagePullSecrets")
    elif kind == "HorizontalPodAutoscaler":
        target = spec.get("scaleTargetRef") or {}
        if target.get("kind") and target.get("name"):
            yield target["kind"], target["name"], "scaleTargetRef"
    elif kind == "Ingress":
        for backend in _ingress_backends(spec):
            yield from _ref(backend.get("service"), "Service", "backend")
    elif kind == "IngressRoute" and str(body.get("apiVersion") or "").startswith("traefik.io/"):
        for route in spec.get("routes") or []:
            for service in (route.get("services") if isinstance(route, dict) else None) or []:
                yield from _traefik_service(service, "route")
    elif kind == "TraefikService" and str(body.get("apiVersion") or "").startswith("traefik.io/"):
        for service in (spec.get("weighted") or {}).get("services") or []:
            yield from _traefik_service(service, "weighted")
    elif kind in ("RoleBinding", "ClusterRoleBinding"):
        role = body.get("roleRef") or {}
        if role.get("kind") and role.get("name"):
            yield role["kind"], role["name"], "roleRef"
        for subject in body.get("subjects") or []:
            if subject.get("kind") == "ServiceAccount" and subject.get("name"):
                yield "ServiceAccount", subject["name"], "subject"


def _traefik_service(reference: Any, why: str) -> Iterator[tuple[str, str, str]]:
    """A Traefik route's or weighted service's target: a Service unless its kind says TraefikService."""
    if isinstance(reference, dict):
        kind = "TraefikService" if reference.get("kind") == "TraefikService" else "Service"
        yield from _ref(reference, kind, why)


def _ingress_backends(spec: dict) -> Iterator[dict]:
    if isinstance(spec.get("defaultBackend"), dict):
        yield spec["defaultBackend"]
    for rule in spec.get("rules") or []:
        for path in (rule.get("http") or {}).get("paths") or []:
            if isinstance(path.get("backend"), dict):
                yield path["backend"]


def _ref(ref: Any, kind: str, why: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(ref, dict) and ref.get("name"):
        yield kind, str(ref["name"]), why
