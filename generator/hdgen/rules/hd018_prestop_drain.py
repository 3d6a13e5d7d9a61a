"""Pods behind a Service drain before they stop: a preStop hook, and a grace period that outlasts it.

Applies to each Deployment, and each StatefulSet that can run more than one
pod (`spec.replicas`, or its HPA's maxReplicas), whose pods a Service among
the validated files selects (same namespace; a Service that routes: it has
`ports` and a `selector`, and is not of type ExternalName). A StatefulSet of
one pod stops it before it starts the next, so there is no other pod for the
traffic to drain to. Its serving
containers are those whose ports the Service's `targetPort`s name (by name or
number; an unset targetPort is the port), else its first container. Each must
have a `lifecycle.preStop` that waits: `sleep` (the kubelet's own action,
Kubernetes 1.30+), `exec` or `httpGet` (a `tcpSocket` preStop does nothing).
When the wait is known (`sleep.seconds`, or an exec of `sleep N` or
`sh -c "sleep N"`), the pod's `terminationGracePeriodSeconds` (default 30)
must be longer than it: the grace period counts from the start of the
preStop hook, and the app's own shutdown after SIGTERM needs the rest.

Why: when a pod starts terminating, the endpoints controller, kube-proxy and
the ingress controller (Traefik) learn of it a moment later; until then they
still send it requests. Without a preStop wait the process gets SIGTERM at
once and those requests fail (502s during every rollout, the runbook's
"zero-downtime" promise broken). A grace period no longer than the wait kills
the app before it finishes the requests it holds.

Passes:

    spec:
      terminationGracePeriodSeconds: 45
      containers:
      - name: api
        ports: [{name: http, containerPort: 8000}]
        lifecycle: {preStop: {sleep: {seconds: 10}}}

Fails (no preStop; or `terminationGracePeriodSeconds: 10` with that sleep):

      containers:
      - name: api
        ports: [{name: http, containerPort: 8000}]

Level warning: a process that stops accepting connections itself and drains
them (or a client that retries) may not need it. Opt out: annotate the
workload with `hdgen.io/ignore-HD018: "<reason>"`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, finding, get, is_int, items, mapping
from hdgen.rules._shared.workloads import Container, containers, most_pods, pod_spec_path, selected_workloads

ID = "HD018"
NAME = "prestop-drain"
LEVEL = Level.WARNING

DRAINED_KINDS = frozenset({"Deployment", "StatefulSet"})
DEFAULT_GRACE_SECONDS = 30
WAITING_ACTIONS = ("sleep", "exec", "httpGet")
SHELL_SLEEP = re.compile(r"^\s*(?:exec\s+)?sleep\s+([0-9]+)\s*$")


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind not in DRAINED_KINDS:
        return
    services = context.index.memo(f"{ID} services by workload", lambda: _services_by_workload(context))
    routing = services.get(document)
    if not routing or (document.kind == "StatefulSet" and most_pods(document, context)[0] <= 1):
        return
    spec_path = pod_spec_path(document)
    if spec_path is None:
        return
    grace = get(document.body, *spec_path, "terminationGracePeriodSeconds")
    grace = grace if is_int(grace) else DEFAULT_GRACE_SECONDS
    via = f"Service {routing[0].name!r}"
    for container in _serving(document, routing):
        pre_stop = get(container.body, "lifecycle", "preStop")
        if not isinstance(pre_stop, dict) or not any(isinstance(pre_stop.get(a), dict) for a in WAITING_ACTIONS):
            yield finding(
                ID, LEVEL, document,
                f"{container.label} receives traffic through {via} but has no lifecycle.preStop wait: "
                "requests still routed to a terminating pod fail; add preStop: {sleep: {seconds: N}}",
                *container.path, "lifecycle", "preStop",
            )
            continue
        wait = drain_seconds(pre_stop)
        if wait is not None and grace <= wait:
            yield finding(
                ID, LEVEL, document,
                f"terminationGracePeriodSeconds {grace} is not longer than the preStop wait of {wait} s of "
                f"{container.label}: the app is killed before it shuts down; raise it to the wait plus the "
                "app's own shutdown time",
                *spec_path, "terminationGracePeriodSeconds",
            )


def drain_seconds(pre_stop: dict) -> int | None:
    """How long a preStop hook waits, when it says so: sleep.seconds, or an exec of sleep N."""
    seconds = get(pre_stop, "sleep", "seconds")
    if is_int(seconds):
        return seconds
    command = get(pre_stop, "exec", "command")
    if not isinstance(command, list) or not all(isinstance(word, str) for word in command):
        return None
    if len(command) == 2 and command[0].rpartition("/")[2] == "sleep" and command[1].isdigit():
        return int(command[1])
    if len(command) == 3 and command[0].rpartition("/")[2] in ("sh", "bash", "ash") and command[1] == "-c":
        found = SHELL_SLEEP.match(command[2])
        return int(found.group(1)) if found else None
    return None


def _services_by_workload(context: RuleContext) -> dict[Document, list[Document]]:
    table: dict[Document, list[Document]] = {}
    for service in sorted(context.index.of_kind("Service"), key=lambda s: (s.name, s.file, s.line)):
        spec = mapping(service.body, "spec")
        selector = spec.get("selector")
        if spec.get("type") == "ExternalName" or not items(spec, "ports"):
            continue
        if not isinstance(selector, dict) or not selector:
            continue
        for workload in selected_workloads({"matchLabels": selector}, service.namespace, context):
            table.setdefault(workload, []).append(service)
    return table


def _serving(document: Document, services: list[Document]) -> list[Container]:
    """The containers that own a target port of the Services, else the first container."""
    targets = set()
    for service in services:
        for _, port in items(service.body, "spec", "ports"):
            target = port.get("targetPort", port.get("port"))
            if isinstance(target, (int, str)) and not isinstance(target, bool):
                targets.add(target)
    regular = list(containers(document, init=False))
    serving = [
        container
        for container in regular
        if any(port.get("containerPort") in targets or port.get("name") in targets
               for _, port in items(container.body, "ports"))
    ]
    return serving or regular[:1]
