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
rounds up, so only 0% fails).

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
from hdgen.rules._shared.base import RuleContext, finding, get, mapping
from hdgen.rules.hd007_hpa_target import scalers_of
from hdgen.rules._shared.labels import selector_matches
from hdgen.objects.kinds import WORKLOAD_KINDS
from hdgen.rules._shared.workloads import pod_labels

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
    for workload in _candidates(selector, document.namespace, context):
        if not selector_matches(selector, pod_labels(workload)):
            continue
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


def _candidates(selector: dict, namespace: str, context: RuleContext) -> list[Document]:
    """The workloads of the budget's namespace whose pods carry the selector's rarest
    matchLabels pair, from a table built once per run: every budget against every workload
    would be quadratic in a namespace of hundreds of apps. Without matchLabels, all of them."""
    match_labels = selector.get("matchLabels")
    if isinstance(match_labels, dict) and match_labels:
        by_label = context.index.memo(f"{ID} workloads by pod label", lambda: _by_pod_label(context))
        try:
            labelled = min((by_label.get(pair, []) for pair in match_labels.items()), key=len)
        except TypeError:  # YAML made a value a list or mapping: look at every workload
            pass
        else:
            return [w for w in labelled if w.namespace == namespace]
    return [w for w in context.index.of_kind(*sorted(WORKLOAD_KINDS)) if w.namespace == namespace]


def _by_pod_label(context: RuleContext) -> dict[tuple, list[Document]]:
    table: dict[tuple, list[Document]] = {}
    for workload in context.index.of_kind(*sorted(WORKLOAD_KINDS)):
        for pair in pod_labels(workload).items():
            try:
                table.setdefault(pair, []).append(workload)
            except TypeError:
                continue
    return table


def _minimum_scale(workload: Document, context: RuleContext) -> tuple[int, str]:
    """The fewest pods the workload runs, and how the message says so in the kind's own terms."""
    what = f"{workload.kind} {workload.name!r}"
    if workload.kind == "Pod":
        return 1, f"bare Pod {workload.name!r} (1 pod)"
    if workload.kind in ("Job", "CronJob"):
        in_job = ("spec",) if workload.kind == "Job" else ("spec", "jobTemplate", "spec")
        job, of_job = mapping(workload.body, *in_job), "" if workload.kind == "Job" else " job"
        parallelism, completions = job.get("parallelism"), job.get("completions")
        parallelism = parallelism if _is_int(parallelism) else 1
        if _is_int(completions) and completions < parallelism:
            return completions, f"{what}'s{of_job} completions of {completions} (pods at once)"
        return parallelism, f"{what}'s{of_job} parallelism of {parallelism}"
    for hpa in scalers_of(workload, context):
        minimum = get(hpa.body, "spec", "minReplicas")
        minimum = minimum if _is_int(minimum) else 1
        return minimum, f"{what}'s HPA minReplicas of {minimum}"
    replicas = get(workload.body, "spec", "replicas")
    replicas = replicas if _is_int(replicas) else 1
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
    if _is_int(value):
        return value
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        found = PERCENT.match(value)
        if found:
            return math.ceil(int(found.group(1)) * floor / 100)
    return None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
