"""The hand-written part of the agreement corpus: valid bodies, kinds checked another way, and the semantic gap.

corpus.py generates a valid object per kind from its schema's `required`
fields; VALID_BODIES is merged over it where the API server needs more than
any schema says. Each entry says why it is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.e2e.schema_kinds import Gvk

NAMESPACE = "e2e-agree"  # the one Namespace the corpus's namespaced objects live in (created for real first)
_LABELS = {"app": "valid"}
_CONTAINERS = [{"name": "app", "image": "registry.example/app:1.0.0"}]  # a container needs an image
_POD = {"metadata": {"labels": _LABELS}, "spec": {"containers": _CONTAINERS}}
_JOB_POD = {"spec": {"containers": _CONTAINERS, "restartPolicy": "Never"}}  # Job pods may not restart Always
# A controller's selector must match its pod template's labels.
_CONTROLLER = {"spec": {"selector": {"matchLabels": _LABELS}, "template": _POD}}
_WEBHOOKS = {
    "webhooks": [{
        # A webhook's name must be a qualified domain name, its side effects None or NoneOnDryRun.
        "name": "valid.example.com",
        "clientConfig": {"url": "https://webhook.example.com/check"},
        "admissionReviewVersions": ["v1"],
        "sideEffects": "None",
    }]
}
_SUBJECT = {"kind": "User", "name": "someone", "apiGroup": "rbac.authorization.k8s.io"}
# A certificate signing request for CN=e2e-agree (a public key only; the key was thrown away).
_CSR_PEM_BASE64 = (
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIT01IWUNBUUF3RkRFU01CQUdB"
    "MVVFQXd3SlpUSmxMV0ZuY21WbE1Ga3dFd1lIS29aSXpqMENBUVlJS29aSQp6ajBEQVFjRFFnQUVv"
    "M2lZeU5mTG5jK3FGZDNVd3JoUFNFSW9EKzJ6TGN3WXlEVVBPOCt5UHdkSXhkZkdlVmN5CkNjTnd4"
    "QitXc05mb2ZLZmp4S1c3Y3pUWW41c2orTXNSYzZBQU1Bb0dDQ3FHU000OUJBTUNBMGdBTUVVQ0lR"
    "RGcKSHpNVENCWDIxTjZKczBKd0luVVVZME9lM2Foak1uNHl3Zm9QOWlrQTlRSWdOMEJKeTFLZWJX"
    "bFc2UitsY2JMUQoveldvMW1pNm8zaU1MZDRPVjdjeWdVQT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUg"
    "UkVRVUVTVC0tLS0tCg=="
)
_RESOURCE_ATTRIBUTES = {"namespace": NAMESPACE, "verb": "get", "resource": "pods"}

VALID_BODIES: dict[Gvk, dict[str, Any]] = {
    # Workloads: a selector matching the template, a container with an image.
    Gvk("apps", "v1", "Deployment"): _CONTROLLER,
    Gvk("apps", "v1", "ReplicaSet"): _CONTROLLER,
    Gvk("apps", "v1", "DaemonSet"): _CONTROLLER,
    Gvk("apps", "v1", "StatefulSet"): _CONTROLLER,
    Gvk("", "v1", "ReplicationController"): {"spec": {"selector": _LABELS, "template": _POD}},
    Gvk("", "v1", "Pod"): {"spec": {"containers": _CONTAINERS}},
    Gvk("", "v1", "PodTemplate"): {"template": _POD},
    Gvk("batch", "v1", "Job"): {"spec": {"template": _JOB_POD}},
    # A schedule in cron syntax; the job template's pods may not restart Always.
    Gvk("batch", "v1", "CronJob"): {
        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": _JOB_POD}}}
    },
    # autoscaling: a target kind the server accepts and a maximum above the minimum of 1.
    Gvk("autoscaling", "v1", "HorizontalPodAutoscaler"): {
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "valid"}, "maxReplicas": 2}
    },
    Gvk("autoscaling", "v2", "HorizontalPodAutoscaler"): {
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "valid"}, "maxReplicas": 2}
    },
    # A Service needs at least one port (unless headless); an EndpointSlice a real address type.
    Gvk("", "v1", "Service"): {"spec": {"ports": [{"port": 80}]}},
    Gvk("discovery.k8s.io", "v1", "EndpointSlice"): {"addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}]},
    # Storage: a size, access modes and (for a volume) a source.
    Gvk("", "v1", "PersistentVolume"): {
        "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/srv/valid"}}
    },
    Gvk("", "v1", "PersistentVolumeClaim"): {
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    },
    Gvk("storage.k8s.io", "v1", "VolumeAttachment"): {
        # Exactly one source; the attacher is a CSI driver name.
        "spec": {"attacher": "csi.example.com", "nodeName": "node-1", "source": {"persistentVolumeName": "valid"}}
    },
    Gvk("storage.k8s.io", "v1", "CSINode"): {"spec": {"drivers": [{"name": "csi.example.com", "nodeID": "node-1"}]}},
    # A limit's type is Container, Pod or PersistentVolumeClaim.
    Gvk("", "v1", "LimitRange"): {"spec": {"limits": [{"type": "Container", "max": {"cpu": "1"}}]}},
    # Events name what they are about, in their own namespace, with a reason and a type.
    Gvk("", "v1", "Event"): {
        "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": "valid", "namespace": NAMESPACE},
        "reason": "Checked", "message": "valid", "type": "Normal",
    },
    Gvk("events.k8s.io", "v1", "Event"): {
        "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "example.com/e2e",
        "reportingInstance": "e2e-1", "action": "Check", "reason": "Checked", "type": "Normal", "note": "valid",
        "regarding": {"apiVersion": "v1", "kind": "Pod", "name": "valid", "namespace": NAMESPACE},
    },
    # The server requires an IngressClass's controller; the schema does not (see SEMANTIC_CASES).
    Gvk("networking.k8s.io", "v1", "IngressClass"): {"spec": {"controller": "example.com/ingress-controller"}},
    Gvk("networking.k8s.io", "v1", "Ingress"): {  # rules or a default backend
        "spec": {"defaultBackend": {"service": {"name": "valid", "port": {"number": 80}}}}
    },
    # An IPAddress is named by its canonical IP and points at the object that holds it.
    Gvk("networking.k8s.io", "v1", "IPAddress"): {
        "metadata": {"name": "10.96.0.50"},
        "spec": {"parentRef": {"group": "", "resource": "services", "namespace": NAMESPACE, "name": "valid"}},
    },
    Gvk("networking.k8s.io", "v1", "ServiceCIDR"): {"spec": {"cidrs": ["10.100.0.0/16"]}},  # a CIDR, not "x"
    # RBAC: a role reference to an existing kind of role, subjects of a known kind.
    Gvk("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"): {
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
        "subjects": [_SUBJECT],
    },
    Gvk("rbac.authorization.k8s.io", "v1", "RoleBinding"): {
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "valid"}, "subjects": [_SUBJECT]
    },
    Gvk("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"): _WEBHOOKS,
    Gvk("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"): _WEBHOOKS,
    # A policy needs what it matches and a CEL expression; its binding, what to do on a failure.
    Gvk("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"): {
        "spec": {
            "matchConstraints": {
                "resourceRules": [
                    {"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["configmaps"]}
                ]
            },
            "validations": [{"expression": "true"}],
        }
    },
    Gvk("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding"): {
        "spec": {"policyName": "valid", "validationActions": ["Deny"]}
    },
    # A CRD is named <plural>.<group> and needs names, a scope and one storage version with a schema.
    Gvk("apiextensions.k8s.io", "v1", "CustomResourceDefinition"): {
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
            "scope": "Namespaced",
            "versions": [
                {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {"type": "object"}}}
            ],
        },
    },
    # An APIService is named <version>.<group> and points at a Service (or is served locally).
    Gvk("apiregistration.k8s.io", "v1", "APIService"): {
        "metadata": {"name": "v1.example.com"},
        "spec": {
            "group": "example.com", "version": "v1", "groupPriorityMinimum": 1000, "versionPriority": 15,
            "service": {"namespace": NAMESPACE, "name": "valid", "port": 443}, "insecureSkipTLSVerify": True,
        },
    },
    Gvk("certificates.k8s.io", "v1", "CertificateSigningRequest"): {  # a real PEM request, a signer, usages
        "spec": {"request": _CSR_PEM_BASE64, "signerName": "example.com/e2e", "usages": ["digital signature"]}
    },
    Gvk("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"): {  # Limited needs its limits
        "spec": {"type": "Limited", "limited": {"nominalConcurrencyShares": 5, "limitResponse": {"type": "Reject"}}}
    },
    Gvk("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"): {
        "spec": {"priorityLevelConfiguration": {"name": "valid"}, "matchingPrecedence": 1000}
    },
    # Reviews ask a question the server answers; each needs something to ask about. An access
    # review's metadata must be empty (a local one's holds only the namespace): no name.
    Gvk("authentication.k8s.io", "v1", "TokenReview"): {"spec": {"token": "not-a-real-token"}},
    Gvk("authorization.k8s.io", "v1", "SubjectAccessReview"): {
        "metadata": {"name": None}, "spec": {"user": "someone", "resourceAttributes": _RESOURCE_ATTRIBUTES}
    },
    Gvk("authorization.k8s.io", "v1", "LocalSubjectAccessReview"): {  # its namespace must be the object's
        "metadata": {"name": None}, "spec": {"user": "someone", "resourceAttributes": _RESOURCE_ATTRIBUTES}
    },
    Gvk("authorization.k8s.io", "v1", "SelfSubjectAccessReview"): {
        "metadata": {"name": None}, "spec": {"resourceAttributes": _RESOURCE_ATTRIBUTES}
    },
    Gvk("authorization.k8s.io", "v1", "SelfSubjectRulesReview"): {"spec": {"namespace": NAMESPACE}},
    # A Binding is named after an existing Pod (see STORED_FIRST) and names the node it goes to.
    Gvk("", "v1", "Binding"): {"metadata": {"name": "bound-pod"}, "target": {"apiVersion": "v1", "kind": "Node", "name": "node-1"}},
    # A ControllerRevision must hold data (the schema does not say so).
    Gvk("apps", "v1", "ControllerRevision"): {"data": {"spec": {}}},
}

# Stored for real before the corpus is checked, in this order: what the objects need to exist.
STORED_FIRST: tuple[dict[str, Any], ...] = (
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}},
    # The controller manager adds it to every namespace; this cluster has none, and without it
    # the ServiceAccount admission refuses every Pod.
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": NAMESPACE}},
    # A Binding binds an existing Pod.
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bound-pod", "namespace": NAMESPACE}, "spec": {"containers": _CONTAINERS}},
)

# Kinds with a schema that a server-side apply cannot check, and why. test_server_agreement
# checks this table against the server's discovery (a kind it can patch must not be here),
# and checks the create-only kinds with a dry-run create instead.
NOT_APPLIABLE: dict[str, str] = {
    "TokenReview": "create only: the server answers whether a token is valid and stores nothing",
    "SubjectAccessReview": "create only: an authorization question, answered and not stored",
    "LocalSubjectAccessReview": "create only: an authorization question, answered and not stored",
    "SelfSubjectAccessReview": "create only: an authorization question, answered and not stored",
    "SelfSubjectRulesReview": "create only: an authorization question, answered and not stored",
    "SelfSubjectReview": "create only: the server says who the caller is and stores nothing",
    "Binding": "create only: binds an existing Pod to a node (the scheduler's call)",
    "ComponentStatus": "read only: the server computes it (get and list only)",
}
# Kinds with a schema that the server serves no resource for at all, and why.
NOT_SERVED_AS_RESOURCE: dict[str, str] = {
    "TokenRequest": "a subresource body only (serviceaccounts/token)",
    "Eviction": "a subresource body only (pods/eviction)",
    "Scale": "a subresource body only (deployments/scale and the like)",
}
# Bad variants where the schema is stricter than the server: hdgen refuses, the server accepts.
# The agreement test asserts exactly that for these, so a change on either side shows.
SCHEMA_STRICTER: dict[tuple[Gvk, str], str] = {
    (Gvk("apps", "v1", "StatefulSet"), "missing-required"): (
        "the server does not validate a StatefulSet's pod template containers when it stores the "
        "StatefulSet (a Deployment's it does); the Pods would be refused later"
    ),
    (Gvk("storage.k8s.io", "v1", "CSIDriver"), "missing-required"): (
        "`spec` is required in the OpenAPI, but the server accepts a CSIDriver without one"
    ),
    (Gvk("storage.k8s.io", "v1", "CSINode"), "missing-required-shallow"): (
        "`spec` is required in the OpenAPI, but the server stores a CSINode without one"
    ),
    (Gvk("apps", "v1", "ControllerRevision"), "missing-required"): (
        "`revision` is required in the OpenAPI, but it is a plain int64: left out, the server reads 0"
    ),
    (Gvk("", "v1", "LimitRange"), "missing-required-shallow"): (
        "`spec.limits` is required in the OpenAPI, but the server stores a LimitRange without limits"
    ),
    (Gvk("scheduling.k8s.io", "v1", "PriorityClass"), "missing-required"): (
        "`value` is required in the OpenAPI, but it is a plain int32: left out, the server reads 0"
    ),
}
TYPED_LIST_REASON = "a typed list: kubectl apply and hdgen unpack its items; the server serves no such resource"


@dataclass(frozen=True)
class SemanticCase:
    """An object that passes every schema but that the API server refuses: the gap a schema check leaves."""

    why: str  # what the server checks that no JSON schema can
    body: dict[str, Any]
    stored_first: dict[str, Any] | None = None  # applied for real before the dry run (immutable fields)


def _deployment(name: str, selector: dict[str, str], labels: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": NAMESPACE},
        "spec": {"selector": {"matchLabels": selector}, "template": {"metadata": {"labels": labels}, "spec": {"containers": _CONTAINERS}}},
    }


def _config_map(name: str, data: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": NAMESPACE}, "data": data, **extra}


SEMANTIC_CASES: tuple[SemanticCase, ...] = (
    SemanticCase("a name must be a DNS subdomain", _config_map("Not_A_DNS_Name", {"a": "b"})),
    SemanticCase("a ConfigMap key must be a valid file name", _config_map("bad-key", {"no spaces allowed": "b"})),
    SemanticCase("a selector must match the pod template's labels", _deployment("mismatch", {"app": "a"}, {"app": "b"})),
    SemanticCase(
        "a port number is 1 to 65535 (the schema only says int32)",
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "big-port", "namespace": NAMESPACE},
         "spec": {"ports": [{"port": 70000}]}},
    ),
    SemanticCase(
        "a Service's clusterIP must be in the service range",
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "outside", "namespace": NAMESPACE},
         "spec": {"clusterIP": "192.0.2.10", "ports": [{"port": 80}]}},
    ),
    SemanticCase(
        "a CronJob's schedule must parse",
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "bad-schedule", "namespace": NAMESPACE},
         "spec": {"schedule": "every five minutes", "jobTemplate": {"spec": {"template": _JOB_POD}}}},
    ),
    SemanticCase(
        "a PodDisruptionBudget sets minAvailable or maxUnavailable, not both",
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "both", "namespace": NAMESPACE},
         "spec": {"minAvailable": 1, "maxUnavailable": 1, "selector": {"matchLabels": _LABELS}}},
    ),
    SemanticCase(
        "an IngressClass needs spec.controller (the schema does not mark it required)",
        {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "no-controller"}, "spec": {}},
    ),
    SemanticCase(
        "an immutable ConfigMap's data cannot change once stored",
        _config_map("frozen", {"a": "changed"}, immutable=True),
        stored_first=_config_map("frozen", {"a": "first"}, immutable=True),
    ),
)
