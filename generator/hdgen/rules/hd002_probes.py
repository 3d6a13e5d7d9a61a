"""Serving containers have readiness and liveness probes, and they differ.

Checks every container with `ports` in a workload's pod template (Jobs and
CronJobs run to completion and are not checked; init containers are not
checked): it has a `readinessProbe` and a `livenessProbe`, and the two are not
the same probe. Probes are compared with the API defaults filled in
(periodSeconds 10, timeoutSeconds 1, failureThreshold 3, …), so spelling a
default out does not make two probes different.

Why: the runbook ("The deploy", "Common deploy failures") waits for the
readiness probe before each old pod goes; without one, traffic reaches pods
that are not ready. Liveness restarts a hung process. If both are the same
check, a slow dependency restarts every pod instead of only taking them out
of rotation.

Passes:

    containers:
    - name: api
      ports: [{containerPort: 8000}]
      readinessProbe: {httpGet: {path: /api/health/ready, port: 8000}}
      livenessProbe: {httpGet: {path: /api/health/, port: 8000}}

Fails (no liveness; or both probes the same):

    containers:
    - name: api
      ports: [{containerPort: 8000}]
      readinessProbe: {httpGet: {path: /api/health/, port: 8000}}

Opt out: annotate the workload with `hdgen.io/ignore-HD002: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding
from hdgen.objects.kinds import RUN_TO_COMPLETION_KINDS
from hdgen.rules._shared.workloads import containers

ID = "HD002"
NAME = "probes"
LEVEL = Level.ERROR

PROBE_DEFAULTS = {
    "initialDelaySeconds": 0,
    "periodSeconds": 10,
    "timeoutSeconds": 1,
    "successThreshold": 1,
    "failureThreshold": 3,
}


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind in RUN_TO_COMPLETION_KINDS:
        return
    for container in containers(document, init=False):
        if not container.body.get("ports"):
            continue
        readiness = container.body.get("readinessProbe")
        liveness = container.body.get("livenessProbe")
        for key, probe, purpose in (
            ("readinessProbe", readiness, "traffic would reach pods that are not ready"),
            ("livenessProbe", liveness, "a hung process would never be restarted"),
        ):
            if not isinstance(probe, dict):
                yield finding(
                    ID, LEVEL, document,
                    f"{container.label} serves ports but has no {key}: {purpose}",
                    *container.path, "name",
                )
        if isinstance(readiness, dict) and isinstance(liveness, dict) and _normal(readiness) == _normal(liveness):
            yield finding(
                ID, LEVEL, document,
                f"{container.label}: livenessProbe is identical to readinessProbe: a slow dependency "
                "would restart pods instead of taking them out of rotation",
                *container.path, "livenessProbe",
            )


def _normal(probe: dict) -> dict:
    return {**PROBE_DEFAULTS, **probe}
