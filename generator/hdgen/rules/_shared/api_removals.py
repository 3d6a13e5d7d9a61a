"""Kubernetes API versions that stopped (or will stop) being served.

From the Kubernetes "Deprecated API Migration Guide" (kubernetes.io, docs,
reference/using-api/deprecation-guide). Alpha versions are left out: they
may go in any release without notice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Removal:
    api_version: str
    kinds: frozenset[str]  # empty: every kind of that group/version
    deprecated_in: tuple[int, int]
    removed_in: tuple[int, int]
    replacement: str


def _removal(api_version: str, kinds: str, deprecated: str, removed: str, replacement: str) -> Removal:
    def minor(text: str) -> tuple[int, int]:
        major, _, minor_ = text.partition(".")
        return int(major), int(minor_)

    return Removal(api_version, frozenset(kinds.split()), minor(deprecated), minor(removed), replacement)


WORKLOADS_1_16 = "Deployment DaemonSet ReplicaSet StatefulSet ControllerRevision"
REMOVALS: tuple[Removal, ...] = (
    _removal("extensions/v1beta1", WORKLOADS_1_16 + " NetworkPolicy PodSecurityPolicy", "1.9", "1.16", "apps/v1, networking.k8s.io/v1"),
    _removal("apps/v1beta1", WORKLOADS_1_16, "1.9", "1.16", "apps/v1"),
    _removal("apps/v1beta2", WORKLOADS_1_16, "1.9", "1.16", "apps/v1"),
    _removal("extensions/v1beta1", "Ingress", "1.14", "1.22", "networking.k8s.io/v1"),
    _removal("networking.k8s.io/v1beta1", "Ingress IngressClass", "1.19", "1.22", "networking.k8s.io/v1"),
    _removal("admissionregistration.k8s.io/v1beta1", "", "1.16", "1.22", "admissionregistration.k8s.io/v1"),
    _removal("apiextensions.k8s.io/v1beta1", "", "1.16", "1.22", "apiextensions.k8s.io/v1"),
    _removal("apiregistration.k8s.io/v1beta1", "", "1.19", "1.22", "apiregistration.k8s.io/v1"),
    _removal("authentication.k8s.io/v1beta1", "", "1.19", "1.22", "authentication.k8s.io/v1"),
    _removal("authorization.k8s.io/v1beta1", "", "1.19", "1.22", "authorization.k8s.io/v1"),
    _removal("certificates.k8s.io/v1beta1", "", "1.19", "1.22", "certificates.k8s.io/v1"),
    _removal("coordination.k8s.io/v1beta1", "", "1.19", "1.22", "coordination.k8s.io/v1"),
    _removal("rbac.authorization.k8s.io/v1beta1", "", "1.17", "1.22", "rbac.authorization.k8s.io/v1"),
    _removal("scheduling.k8s.io/v1beta1", "", "1.14", "1.22", "scheduling.k8s.io/v1"),
    _removal("storage.k8s.io/v1beta1", "CSIDriver CSINode StorageClass VolumeAttachment", "1.19", "1.22", "storage.k8s.io/v1"),
    _removal("batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1"),
    _removal("discovery.k8s.io/v1beta1", "", "1.21", "1.25", "discovery.k8s.io/v1"),
    _removal("events.k8s.io/v1beta1", "", "1.19", "1.25", "events.k8s.io/v1"),
    _removal("autoscaling/v2beta1", "", "1.22", "1.25", "autoscaling/v2"),
    _removal("policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1"),
    _removal("policy/v1beta1", "PodSecurityPolicy", "1.21", "1.25", "Pod Security Admission"),
    _removal("node.k8s.io/v1beta1", "", "1.20", "1.25", "node.k8s.io/v1"),
    _removal("flowcontrol.apiserver.k8s.io/v1beta1", "", "1.23", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
    _removal("autoscaling/v2beta2", "", "1.23", "1.26", "autoscaling/v2"),
    _removal("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1"),
    _removal("flowcontrol.apiserver.k8s.io/v1beta2", "", "1.26", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
    _removal("flowcontrol.apiserver.k8s.io/v1beta3", "", "1.29", "1.32", "flowcontrol.apiserver.k8s.io/v1"),
)


def removal_of(api_version: str, kind: str) -> Removal | None:
    for removal in REMOVALS:
        if removal.api_version == api_version and (not removal.kinds or kind in removal.kinds):
            return removal
    return None
