"""Every namespaced object names its namespace.

Checks `metadata.namespace` on every object whose kind is namespaced.
Cluster-scoped kinds (Namespace, ClusterRole, CustomResourceDefinition,
StorageClass, …, and custom kinds whose CustomResourceDefinition in the tree
says `scope: Cluster`) are not checked.

Why: without a namespace the object lands wherever the applying tool points
(`kubectl apply` uses the kubeconfig's namespace, a GitOps agent its own
default), so the same tree deploys differently from two places. The runbook
runs everything in `honeydue`.

Passes:

    kind: Service
    metadata: {name: api, namespace: honeydue}

Fails:

    kind: Service
    metadata: {name: api}

Opt out: annotate the object with `hdgen.io/ignore-HD011: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding, get

ID = "HD011"
NAME = "namespace"
LEVEL = Level.ERROR

# Built-in cluster-scoped kinds (`kubectl api-resources --namespaced=false`).
CLUSTER_SCOPED = frozenset(
    {
        "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
        "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
        "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PriorityClass",
        "PriorityLevelConfiguration", "RuntimeClass", "SelfSubjectAccessReview", "SelfSubjectReview",
        "SelfSubjectRulesReview", "StorageClass", "SubjectAccessReview", "TokenReview",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
        "VolumeAttachment", "DeviceClass", "ResourceSlice", "IPAddress", "ServiceCIDR",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "ClusterTrustBundle",
    }
)


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if not document.kind or document.namespace or document.kind in CLUSTER_SCOPED:
        return
    if document.kind in context.index.memo("cluster-scoped-custom-kinds", lambda: _cluster_scoped_custom_kinds(context)):
        return
    yield finding(
        ID, LEVEL, document,
        f"{document.kind} {document.name!r} has no metadata.namespace: it would land in whatever "
        "namespace the applying tool defaults to",
        "metadata",
    )


def _cluster_scoped_custom_kinds(context: RuleContext) -> set[str]:
    kinds = set()
    for crd in context.index.of_kind("CustomResourceDefinition"):
        if get(crd.body, "spec", "scope") == "Cluster":
            kind = get(crd.body, "spec", "names", "kind")
            if isinstance(kind, str):
                kinds.add(kind)
    return kinds


