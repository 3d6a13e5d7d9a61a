"""PodDisruptionBudgets let unhealthy pods be evicted: unhealthyPodEvictionPolicy AlwaysAllow.

On every PodDisruptionBudget (policy/v1): `spec.unhealthyPodEvictionPolicy`
is `AlwaysAllow`. Unset, the API server uses `IfHealthyBudget`: a pod that is
running but not ready may be evicted only while the budget is met.

Why: with IfHealthyBudget, a crash-looping or never-ready pod counts against
the budget and cannot be evicted while the others are short, so `kubectl
drain` of its node hangs until someone deletes the pod or the budget; node
upgrades of the k3s nodes stall on exactly the app that is already broken.
AlwaysAllow evicts pods that are not ready anyway (they serve nothing) and
keeps protecting the ready ones. That a budget allows an eviction at all at
the workload's fewest pods is HD008's check.

Passes:

    kind: PodDisruptionBudget
    spec:
      maxUnavailable: 1
      unhealthyPodEvictionPolicy: AlwaysAllow
      selector: {matchLabels: {app.kubernetes.io/name: api}}

Fails (unset, so IfHealthyBudget):

    kind: PodDisruptionBudget
    spec:
      maxUnavailable: 1
      selector: {matchLabels: {app.kubernetes.io/name: api}}

Level warning: an app whose not-ready pods still hold state another pod
needs (a quorum member catching up) may want IfHealthyBudget; say so with an
opt-out. Opt out: annotate the PodDisruptionBudget with
`hdgen.io/ignore-HD020: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, finding, get

ID = "HD020"
NAME = "pdb-unhealthy-eviction"
LEVEL = Level.WARNING

WANTED = "AlwaysAllow"


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind != "PodDisruptionBudget" or not isinstance(get(document.body, "spec"), dict):
        return
    policy = get(document.body, "spec", "unhealthyPodEvictionPolicy")
    if policy == WANTED:
        return
    now = "is unset, so IfHealthyBudget applies" if policy is None else f"is {policy}"
    yield finding(
        ID, LEVEL, document,
        f"unhealthyPodEvictionPolicy {now}: a pod that never gets ready blocks node drains while the "
        f"budget is short; set unhealthyPodEvictionPolicy: {WANTED}",
        "spec", "unhealthyPodEvictionPolicy",
    )
