"""Where the pods and containers of a workload live, with the key path of each.

Workload rules look only at the kinds of hdgen.objects.kinds (the one table of
workload kinds and their pod template paths); every other kind has no pod
template and is simply not checked by them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hdgen.objects import kinds
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, get, is_int, items, mapping
from hdgen.rules._shared.labels import selector_matches

CONTAINER_LISTS = ("initContainers", "containers")
HPA = "HorizontalPodAutoscaler"
EPHEMERAL = "ephemeralContainers"  # debug containers: only Pod Security looks at them (HD017)


@dataclass(frozen=True)
class Container:
    body: dict
    path: tuple[str | int, ...]  # key path of the container in the document
    init: bool  # an init container (also a restartable "sidecar" init container)
    ephemeral: bool = False  # an ephemeral (debug) container

    @property
    def name(self) -> str:
        return str(self.body.get("name") or "?")

    @property
    def label(self) -> str:
        what = "init container" if self.init else "ephemeral container" if self.ephemeral else "container"
        return f"{what} {self.name!r}"


def pod_spec_path(document: Document) -> tuple[str, ...] | None:
    path = kinds.pod_spec_path(document.kind)
    if path is None or not isinstance(get(document.body, *path), dict):
        return None
    return path


def containers(document: Document, *, init: bool = True, ephemeral: bool = False) -> Iterator[Container]:
    """Every container of the workload's pod template; init containers first when init, ephemeral
    containers last when ephemeral (the order of pod-security-admission's visitContainers)."""
    path = pod_spec_path(document)
    if path is None:
        return
    for list_name in (*CONTAINER_LISTS, EPHEMERAL):
        is_init = list_name == "initContainers"
        if (is_init and not init) or (list_name == EPHEMERAL and not ephemeral):
            continue
        for index, body in items(document.body, *path, list_name):
            yield Container(body=body, path=(*path, list_name, index), init=is_init, ephemeral=list_name == EPHEMERAL)


def pod_labels(document: Document) -> dict:
    """The labels of the pods a workload creates ({} for other kinds)."""
    path = kinds.pod_spec_path(document.kind)
    if path is None:
        return {}
    labels = get(document.body, *path[:-1], "metadata", "labels")
    return labels if isinstance(labels, dict) else {}


def selected_workloads(selector: dict, namespace: str, context: RuleContext) -> list[Document]:
    """The workloads of namespace whose pod labels a label selector (matchLabels, matchExpressions)
    matches. Namespaces match exactly: an unset one only an unset one, since the two may be applied
    to different namespaces. Candidates come from a table of workloads by pod label built once per
    run (every selector against every workload would be quadratic in a namespace of hundreds of
    apps): those that carry the selector's rarest matchLabels pair, or all of them without one."""
    candidates = None
    match_labels = selector.get("matchLabels")
    if isinstance(match_labels, dict) and match_labels:
        by_label = context.index.memo("workloads by pod label", lambda: _by_pod_label(context))
        try:
            candidates = min((by_label.get(pair, []) for pair in match_labels.items()), key=len)
        except TypeError:  # YAML made a value a list or mapping: look at every workload
            candidates = None
    if candidates is None:
        candidates = context.index.of_kind(*sorted(kinds.WORKLOAD_KINDS))
    return [w for w in candidates if w.namespace == namespace and selector_matches(selector, pod_labels(w))]


def _by_pod_label(context: RuleContext) -> dict[tuple, list[Document]]:
    table: dict[tuple, list[Document]] = {}
    for workload in context.index.of_kind(*sorted(kinds.WORKLOAD_KINDS)):
        for pair in pod_labels(workload).items():
            try:
                table.setdefault(pair, []).append(workload)
            except TypeError:
                continue
    return table


def scalers_of(document: Document, context: RuleContext) -> list[Document]:
    """The HPAs in the tree whose scaleTargetRef names this object."""
    by_target = context.index.memo("hpa-by-target", lambda: _hpas_by_target(context))
    return [
        hpa
        for hpa in by_target.get((document.kind, document.name), [])
        if not hpa.namespace or not document.namespace or hpa.namespace == document.namespace
    ]


def _hpas_by_target(context: RuleContext) -> dict[tuple, list[Document]]:
    table: dict[tuple, list[Document]] = {}
    for hpa in context.index.of_kind(HPA):
        target = mapping(hpa.body, "spec", "scaleTargetRef")
        kind, name = target.get("kind"), target.get("name")
        if isinstance(kind, str) and isinstance(name, str):
            table.setdefault((kind, name), []).append(hpa)
    return table


def most_pods(document: Document, context: RuleContext) -> tuple[int, str]:
    """The most pods a replicated workload runs, and where that number comes from: the maxReplicas of
    the HPA that scales it, else spec.replicas (default 1)."""
    for hpa in scalers_of(document, context):
        most = get(hpa.body, "spec", "maxReplicas")
        if is_int(most):
            return most, f"HPA {hpa.name!r} maxReplicas"
    replicas = get(document.body, "spec", "replicas")
    return (replicas, "spec.replicas") if is_int(replicas) else (1, "spec.replicas")
