"""The workload kinds: where each keeps its pod template, and what a change to it does.

One table for every part of hdgen that looks inside workloads: the policy rules
(containers, probes, pod labels), the diff's references (a workload reads
ConfigMaps and Secrets, a selector picks its pods) and the diff's impact (a pod
template change rolls the pods). A kind added here is seen by all three.
"""

from __future__ import annotations

from collections import namedtuple

# What the controller does when the pod template changes.
ROLLS = "rolls"  # replaces the running pods (Deployment, StatefulSet, DaemonSet, ReplicaSet)
NEXT_RUN = "next-run"  # the pods it starts from now on use it; running ones are untouched (CronJob)
NOTHING = ""  # nothing to roll: the template cannot change (Pod, Job) or only new pods get it

# template: key path of the pod template, the mapping that holds the pod's metadata and spec
# (for a Pod, the object itself); on_template_change: one of the three above;
# runs_to_completion: its pods finish (no traffic, no probes). A named tuple: see hdgen.objects.record.
Workload = namedtuple("Workload", "template on_template_change runs_to_completion")

WORKLOADS: dict[str, Workload] = {
    "Pod": Workload((), NOTHING, False),
    "Deployment": Workload(("spec", "template"), ROLLS, False),
    "StatefulSet": Workload(("spec", "template"), ROLLS, False),
    "DaemonSet": Workload(("spec", "template"), ROLLS, False),
    "ReplicaSet": Workload(("spec", "template"), ROLLS, False),
    "ReplicationController": Workload(("spec", "template"), NOTHING, False),
    "Job": Workload(("spec", "template"), NOTHING, True),
    "CronJob": Workload(("spec", "jobTemplate", "spec", "template"), NEXT_RUN, True),
}
WORKLOAD_KINDS = frozenset(WORKLOADS)
ROLLING_KINDS = frozenset(kind for kind, workload in WORKLOADS.items() if workload.on_template_change == ROLLS)
RUN_TO_COMPLETION_KINDS = frozenset(kind for kind, workload in WORKLOADS.items() if workload.runs_to_completion)


def pod_template_path(kind: str) -> tuple[str, ...] | None:
    """Key path of the pod template of a workload kind, None for any other kind."""
    workload = WORKLOADS.get(kind)
    return workload.template if workload else None


def pod_spec_path(kind: str) -> tuple[str, ...] | None:
    """Key path of the pod spec of a workload kind, None for any other kind."""
    workload = WORKLOADS.get(kind)
    return (*workload.template, "spec") if workload else None


def rolling_template_path(kind: str) -> tuple[str, ...]:
    """The pod template path when changing it starts pods with the new template, else ()."""
    workload = WORKLOADS.get(kind)
    return workload.template if workload and workload.on_template_change else ()
