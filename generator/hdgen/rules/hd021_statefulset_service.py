"""A StatefulSet's serviceName names a headless Service that selects its pods.

On a StatefulSet with `spec.serviceName`: a Service of that name is among the
validated files (same namespace), or declared under
`externalReferences.services` in hdgen.yaml (`name` or `namespace/name`); it
is headless (`clusterIP: None`); and when it has a selector, the selector
matches the StatefulSet's pod labels. A StatefulSet without serviceName is
not checked.

Why: the serviceName is the StatefulSet's governing Service: only a headless
Service gives each pod its stable DNS name (`redis-0.redis.honeydue.svc`),
which is why the StatefulSet exists. A ClusterIP Service of that name gives
one load-balanced address instead, so the per-pod names do not resolve, and
the StatefulSet controller never says so. Keep a ClusterIP Service for the
clients beside the headless one if they want a single address.

Passes:

    kind: Service
    metadata: {name: redis-headless}
    spec:
      clusterIP: None
      selector: {app.kubernetes.io/name: redis}
      ports: [{name: redis, port: 6379}]
    ---
    kind: StatefulSet
    spec:
      serviceName: redis-headless

Fails (a ClusterIP Service):

    kind: Service
    metadata: {name: redis}
    spec:
      type: ClusterIP
      selector: {app.kubernetes.io/name: redis}

Level warning: an app that never uses the per-pod names works without them.
Opt out: annotate the StatefulSet with `hdgen.io/ignore-HD021: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, declared, finding, get
from hdgen.rules._shared.workloads import pod_labels

ID = "HD021"
NAME = "statefulset-headless-service"
LEVEL = Level.WARNING


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind != "StatefulSet":
        return
    name = get(document.body, "spec", "serviceName")
    if not isinstance(name, str) or not name:
        return
    where = ("spec", "serviceName")
    pod_name = f"{document.name}-0.{name}" + (f".{document.namespace}.svc" if document.namespace else "")
    services = context.index.find("Service", document.namespace, name)
    if not services:
        if not declared(context.settings.external_references.services, document.namespace, name):
            yield finding(
                ID, LEVEL, document,
                f"serviceName {name!r} is neither a Service in the validated files nor declared in "
                f"externalReferences.services of hdgen.yaml: without it {pod_name} does not resolve",
                *where,
            )
        return
    service = services[0]
    if get(service.body, "spec", "clusterIP") != "None":
        yield finding(
            ID, LEVEL, document,
            f"serviceName {name!r} is Service {name!r} ({service.file}), which is not headless: {pod_name} "
            "does not resolve; point serviceName at a Service with clusterIP: None (keep the other for clients)",
            *where,
        )
        return
    selector = get(service.body, "spec", "selector")
    labels = pod_labels(document)
    if isinstance(selector, dict) and selector and any(labels.get(k) != v for k, v in selector.items()):
        yield finding(
            ID, LEVEL, document,
            f"headless Service {name!r} ({service.file}) selects none of this StatefulSet's pods: "
            f"{pod_name} does not resolve; make its selector match the pod labels",
            *where,
        )
