"""A PodDisruptionBudget leaves at least one pod to evict at the minimum scale.

For each PodDisruptionBudget, the workloads in the same namespace (the
budget's own: an unset namespace matches only an unset one, since the two may
be applied to different namespaces) whose pod labels its selector matches are
found. Their minimum number of pods is, in each kind's own terms:

- Deployment, StatefulSet, ReplicaSet, ReplicationController: the
  `minReplicas` of the HPA that scales them (default 1), else their
  `spec.replicas` (default 1);
- Job: its pods running at once, `spec.parallelism` (default 1), or
  `spec.completions` when that is lower; CronJob: the same of its
  `spec.jobTemplate`;
- a bare Pod: 1.

DaemonSets are left out: `kubectl drain` skips their pods
(`--ignore-daemonsets`), so a budget on them never holds a drain. At the
minimum the budget must allow one eviction: `minAvailable` below the minimum
(a percentage rounds up), or `maxUnavailable` of at least 1 (a percentage
rounds up, so only 0% fails). A budget that selects no workload of the tree
(its pods come from elsewhere) fails only where no scale helps:
`maxUnavailable: 0` (or 0%) and `minAvailable: 100%`.

Why: a budget that allows no eviction blocks `kubectl drain` forever: node
upgrades and reboots of the k3s nodes hang until someone deletes the PDB.

Passes (HPA minReplicas 3):

    kind: PodDisruptionBudget
    spec: {maxUnavailable: 1, selector: {matchLabels: {app.kubernetes.io/name: api}}}

Fails (HPA minReplicas 3):

    spec: {minAvailable: 3, selector: {matchLabels: {app.kubernetes.io/name: api}}}

Opt out: annotate the PodDisruptionBudget with `hdgen.io/ignore-HD008: "<reason>"`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding, get, is_int, mapping
from hdgen.rules._shared.workloads import scalers_of, selected_workloads

ID = "HD008"
NAME = "pdb-allows-eviction"
LEVEL = Level.ERROR

PERCENT = re.compile(r"^([0-9]+)%$")
SKIPPED_BY_DRAIN = frozenset({"DaemonSet"})  # kubectl drain --ignore-daemonsets leaves their pods alone


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind != "PodDisruptionBudget":
        return
    selector = get(document.body, "spec", "selector")
    if not isinstance(selector, dict):
        return
    spec = mapping(document.body, "spec")
    selected = selected_workloads(selector, document.namespace, context)
    if not selected:
        yield from _blocking_at_any_scale(document, spec)
    for workload in selected:
        if workload.kind in SKIPPED_BY_DRAIN:
            continue
        floor, source = _minimum_scale(workload, context)
        if floor < 1:
            continue
        problem = _blocking(spec, floor)
        if problem:
            key, message = problem
            yield finding(
                ID, LEVEL, document,
                f"{message} at {source}: no pod could be evicted and node drains would hang",
                "spec", key,
            )


def _blocking_at_any_scale(document: Document, spec: dict) -> Iterator[Finding]:
    """A budget whose pods are elsewhere still blocks every drain with maxUnavailable 0 or minAvailable 100%."""
    if "minAvailable" in spec:
        key, blocks = "minAvailable", spec["minAvailable"] == "100%"
    else:
        key, blocks = "maxUnavailable", spec.get("maxUnavailable") in (0, "0", "0%")
    if blocks and not isinstance(spec.get(key), bool):
        yield finding(
            ID, LEVEL, document,
            f"{key} {spec[key]} allows no eviction at any scale: no pod could be evicted and node drains would hang",
            "spec", key,
        )


def _minimum_scale(workload: Document, context: RuleContext) -> tuple[int, str]:
    """The fewest pods the workload runs, and how the message says so in the kind's own terms."""
    what = f"{workload.kind} {workload.name!r}"
    if workload.kind == "Pod":
        return 1, f"bare Pod {workload.name!r} (1 pod)"
    if workload.kind in ("Job", "CronJob"):
        in_job = ("spec",) if workload.kind == "Job" else ("spec", "jobTemplate", "spec")
        job, of_job = mapping(workload.body, *in_job), "" if workload.kind == "Job" else " job"
        parallelism, completions = job.get("parallelism"), job.get("completions")
        parallelism = parallelism if is_int(parallelism) else 1
        if is_int(completions) and completions < parallelism:
            return completions, f"{what}'s{of_job} completions of {completions} (pods at once)"
        return parallelism, f"{what}'s{of_job} parallelism of {parallelism}"
    for hpa in scalers_of(workload, context):
        minimum = get(hpa.body, "spec", "minReplicas")
        minimum = minimum if is_int(minimum) else 1
        return minimum, f"{what}'s HPA minReplicas of {minimum}"
    replicas = get(workload.body, "spec", "replicas")
    replicas = replicas if is_int(replicas) else 1
    return replicas, f"{what}'s replicas of {replicas}"


def _blocking(spec: dict, floor: int) -> tuple[str, str] | None:
    """(key, why) when the budget allows no eviction at floor pods."""
    if "minAvailable" in spec:
        needed = _count(spec["minAvailable"], floor)
        if needed is not None and needed >= floor:
            return "minAvailable", f"minAvailable {spec['minAvailable']} keeps {needed} of {floor} pods"
    elif "maxUnavailable" in spec:
        allowed = _count(spec["maxUnavailable"], floor)
        if allowed is not None and allowed < 1:
            return "maxUnavailable", f"maxUnavailable {spec['maxUnavailable']} allows {allowed} evictions"
    return None


def _count(value, floor: int) -> int | None:
    """An int or percentage of floor pods, rounded up as the disruption controller does."""
    if is_int(value):
        return value
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        found = PERCENT.match(value)
        if found:
            return math.ceil(int(found.group(1)) * floor / 100)
    return None
