"""Pods are pinned to the node architecture the images are built for.

Checks every workload's pod template for `nodeSelector:
{kubernetes.io/arch: <nodeArch>}` (hdgen.yaml `nodeArch`, default amd64), or
a required node affinity whose every term needs `kubernetes.io/arch In
[<nodeArch>]`.

Why: the runbook ("The build") builds with `--platform linux/amd64` on an
arm64 workstation for the amd64 nodes. A pod scheduled onto a node of
another architecture fails with `exec format error` (CrashLoopBackOff), which
is easy to miss until a mixed node joins the cluster.

Passes:

    spec:
      nodeSelector: {kubernetes.io/arch: amd64}

Fails:

    spec:
      nodeSelector: {kubernetes.io/arch: arm64}   # or no nodeSelector at all

Opt out: annotate the workload with `hdgen.io/ignore-HD013: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding, get, items, mapping
from hdgen.rules._shared.workloads import pod_spec_path

ID = "HD013"
NAME = "node-arch"
LEVEL = Level.ERROR

ARCH_LABEL = "kubernetes.io/arch"


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    path = pod_spec_path(document)
    if path is None:
        return
    arch = context.settings.node_arch
    spec = get(document.body, *path)
    selected = mapping(spec, "nodeSelector").get(ARCH_LABEL)
    if selected == arch or _affinity_pins(spec, arch):
        return
    if selected is not None:
        yield finding(
            ID, LEVEL, document,
            f"nodeSelector {ARCH_LABEL} is {selected!r}, but images are built for {arch}",
            *path, "nodeSelector", ARCH_LABEL,
        )
        return
    yield finding(
        ID, LEVEL, document,
        f"pods are not pinned to {arch} nodes: set nodeSelector {ARCH_LABEL}: {arch}",
        *path, "nodeSelector" if "nodeSelector" in spec else "containers",
    )


def _affinity_pins(spec: dict, arch: str) -> bool:
    terms = items(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
    if not terms:
        return False
    return all(
        any(
            expression.get("key") == ARCH_LABEL and expression.get("operator") == "In"
            and expression.get("values") == [arch]
            for _, expression in items(term, "matchExpressions")
        )
        for _, term in terms
    )
