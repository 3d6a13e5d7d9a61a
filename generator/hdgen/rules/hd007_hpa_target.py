"""An HPA's target exists in the tree and does not set spec.replicas.

On a HorizontalPodAutoscaler: the object named by `spec.scaleTargetRef`
(kind and name, same namespace) is among the validated files. On a
workload that an HPA in the tree scales: it does not set `spec.replicas`.

Why: with `spec.replicas` in git, every sync of the GitOps agent resets the
replica count the HPA chose (the two fight: pods come and go on each sync).
An HPA whose target is missing scales nothing, usually after a rename.

Passes:

    kind: HorizontalPodAutoscaler
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
    ---
    kind: Deployment
    metadata: {name: api}
    spec: {}   # no replicas

Fails: the same Deployment with `replicas: 3`, or no Deployment `api` at all.

Opt out: annotate the HPA (missing target) or the workload (replicas) with
`hdgen.io/ignore-HD007: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding, get, mapping
from hdgen.rules._shared.workloads import HPA, scalers_of

ID = "HD007"
NAME = "hpa-target"
LEVEL = Level.ERROR


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind == HPA:
        target = mapping(document.body, "spec", "scaleTargetRef")
        kind, name = target.get("kind"), target.get("name")
        if not isinstance(kind, str) or not isinstance(name, str):
            return  # a malformed scaleTargetRef is the schema check's to report
        if not context.index.find(kind, document.namespace, name):
            yield finding(
                ID, LEVEL, document,
                f"scale target {kind} {name!r} is not in the validated files: the HPA would scale nothing",
                "spec", "scaleTargetRef", "name",
            )
        return
    if get(document.body, "spec", "replicas") is None:
        return
    for hpa in scalers_of(document, context):
        yield finding(
            ID, LEVEL, document,
            f"sets spec.replicas but HorizontalPodAutoscaler {hpa.name!r} ({hpa.file}) scales it: "
            "the GitOps agent and the HPA would fight over the count; remove spec.replicas",
            "spec", "replicas",
        )
