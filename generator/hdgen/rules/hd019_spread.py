"""Workloads that run more than one pod spread them across nodes.

Applies to Deployments, StatefulSets, ReplicaSets and ReplicationControllers
that can run more than one pod: `spec.replicas` above 1, or an HPA in the
tree (its scaleTargetRef names the workload) with `maxReplicas` above 1. Their
pod template must spread its own pods over nodes, in one of two ways:

- a `topologySpreadConstraints` entry with `topologyKey:
  kubernetes.io/hostname` whose `labelSelector` selects the template's own
  pod labels (an empty selector `{}` selects every pod; a missing one, none);
- a `podAntiAffinity` term, required or preferred, with that topologyKey and
  a labelSelector that selects the pod's own labels.

Why: the scheduler places replicas where they fit, and with nothing to say
otherwise all of them can land on one node: that node's drain, reboot or
failure then takes the whole app down at once, which is what the replicas
(and the PodDisruptionBudget) were for. `whenUnsatisfiable: ScheduleAnyway`
keeps a one-node k3s cluster scheduling.

Passes (HPA maxReplicas 6):

    spec:
      template:
        metadata: {labels: {app.kubernetes.io/name: api}}
        spec:
          topologySpreadConstraints:
          - maxSkew: 1
            topologyKey: kubernetes.io/hostname
            whenUnsatisfiable: ScheduleAnyway
            labelSelector: {matchLabels: {app.kubernetes.io/name: api}}

Fails:

    spec:
      replicas: 2
      template:
        metadata: {labels: {app.kubernetes.io/name: web}}
        spec: {containers: [{name: web, image: web:1}]}

Level warning: a cluster of one node has nowhere to spread to, and an app
may spread by zone instead. Opt out: annotate the workload with
`hdgen.io/ignore-HD019: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, finding, items, mapping
from hdgen.rules._shared.labels import selector_matches
from hdgen.rules._shared.workloads import most_pods, pod_labels, pod_spec_path

ID = "HD019"
NAME = "spread-replicas"
LEVEL = Level.WARNING

REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})
HOSTNAME = "kubernetes.io/hostname"


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind not in REPLICATED_KINDS:
        return
    spec_path = pod_spec_path(document)
    if spec_path is None:
        return
    most, source = most_pods(document, context)
    if most <= 1:
        return
    if spreads(mapping(document.body, *spec_path), pod_labels(document)):
        return
    yield finding(
        ID, LEVEL, document,
        f"up to {most} pods ({source}) and no topologySpreadConstraints or podAntiAffinity on {HOSTNAME} "
        "that selects them: all of them can land on one node; add topologySpreadConstraints "
        f"[{{maxSkew: 1, topologyKey: {HOSTNAME}, whenUnsatisfiable: ScheduleAnyway, labelSelector: "
        "{matchLabels: <the pod labels>}}]",
        *spec_path,
    )


def spreads(pod_spec: dict, labels: dict) -> bool:
    """Whether the pod spec spreads pods with these labels over nodes."""
    for _, constraint in items(pod_spec, "topologySpreadConstraints"):
        if constraint.get("topologyKey") == HOSTNAME and _selects(constraint.get("labelSelector"), labels):
            return True
    anti = mapping(pod_spec, "affinity", "podAntiAffinity")
    terms = [term for _, term in items(anti, "requiredDuringSchedulingIgnoredDuringExecution")]
    terms += [mapping(term, "podAffinityTerm") for _, term in items(anti, "preferredDuringSchedulingIgnoredDuringExecution")]
    return any(t.get("topologyKey") == HOSTNAME and _selects(t.get("labelSelector"), labels) for t in terms)


def _selects(selector, labels: dict) -> bool:
    """A label selector's verdict on labels: {} selects everything, a missing selector nothing."""
    if selector == {}:
        return True
    return isinstance(selector, dict) and selector_matches(selector, labels)
