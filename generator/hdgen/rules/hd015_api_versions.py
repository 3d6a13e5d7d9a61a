"""No apiVersion that the target Kubernetes version, or the next minor, no longer serves.

Looks up each object's apiVersion and kind in a table of Kubernetes API
removals (from the Kubernetes Deprecated API Migration Guide; e.g.
policy/v1beta1 PodDisruptionBudget removed in 1.25, autoscaling/v2beta2 in
1.26, flowcontrol v1beta2 in 1.29 and v1beta3 in 1.32). Against the target
version (`--kubernetes-version`, else `validate.kubernetesVersion` in
hdgen.yaml, default 1.33.0):

- removed at or before the target: error (the API server rejects it);
- removed in the next minor, or already deprecated at the next minor:
  warning, so the upgrade does not break the deploy.

A level set in hdgen.yaml applies to both kinds of finding.

Why: an apply that fails after a cluster upgrade leaves the GitOps agent
stuck with half the tree applied; the migration is cheap before the upgrade.

Passes:

    apiVersion: policy/v1
    kind: PodDisruptionBudget

Fails (at 1.33.0):

    apiVersion: policy/v1beta1
    kind: PodDisruptionBudget

Opt out: annotate the object with `hdgen.io/ignore-HD015: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.api_removals import removal_of
from hdgen.rules._shared.base import RuleContext, finding

ID = "HD015"
NAME = "served-api-versions"
LEVEL = Level.ERROR


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    removal = removal_of(document.api_version, document.kind)
    if removal is None:
        return
    target = _minor(context.kubernetes_version)
    next_minor = (target[0], target[1] + 1)
    removed = ".".join(map(str, removal.removed_in))
    deprecated = ".".join(map(str, removal.deprecated_in))
    what = f"{document.api_version} {document.kind}"
    if removal.removed_in <= target:
        yield finding(
            ID, LEVEL, document,
            f"{what} is no longer served since Kubernetes {removed} (target {context.kubernetes_version}): "
            f"use {removal.replacement}",
            "apiVersion",
        )
    elif removal.deprecated_in <= next_minor:
        yield finding(
            ID, Level.WARNING, document,
            f"{what} is deprecated since {deprecated} and removed in {removed}"
            f"{' (the next minor)' if removal.removed_in == next_minor else ''}: use {removal.replacement}",
            "apiVersion",
        )


def _minor(version: str) -> tuple[int, int]:
    parts = version.lstrip("v").split(".")
    return int(parts[0]), int(parts[1])
