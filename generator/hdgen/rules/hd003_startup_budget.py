"""The startup budget covers the workload's configured cold boot.

Applies to workloads with a known cold boot: the annotation
`hdgen.io/cold-boot-seconds: "240"` on the workload, else `coldBootSeconds`
for the workload's name in hdgen.yaml (the annotation wins). Workloads
without one are not checked.

For each container (not init containers) the kubelet's patience is
`initialDelaySeconds + failureThreshold × periodSeconds` of its
`startupProbe`; without a startupProbe the `livenessProbe` starts at once and
its budget counts instead (no probe at all: nothing restarts the container).
That budget must be at least the cold boot. A Deployment's
`progressDeadlineSeconds` (default 600) must also be above it, or the rollout
is marked failed while the pod is still booting.

Why: the runbook ("The deploy", "Rolling update semantics") notes up to 240 s
for a cold api boot: migrations run under an advisory lock. A shorter budget
restarts the pod mid-migration, over and over (CrashLoopBackOff).

Passes (cold boot 240 s; 0 + 30 × 10 = 300 s):

    metadata:
      annotations: {hdgen.io/cold-boot-seconds: "240"}
    ...
      startupProbe: {httpGet: {path: /api/health/, port: 8000}, periodSeconds: 10, failureThreshold: 30}

Fails (0 + 3 × 10 = 30 s):

      livenessProbe: {httpGet: {path: /api/health/, port: 8000}}

Opt out: annotate the workload with `hdgen.io/ignore-HD003: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, annotations, finding, get
from hdgen.rules._shared.workloads import containers, pod_spec_path

ID = "HD003"
NAME = "startup-budget"
LEVEL = Level.ERROR

COLD_BOOT_ANNOTATION = "hdgen.io/cold-boot-seconds"
DEFAULT_PROGRESS_DEADLINE = 600


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if pod_spec_path(document) is None:
        return
    cold_boot = _cold_boot(document, context)
    if isinstance(cold_boot, Finding):
        yield cold_boot
        return
    if cold_boot is None:
        return
    for container in containers(document, init=False):
        key = "startupProbe" if isinstance(container.body.get("startupProbe"), dict) else "livenessProbe"
        probe = container.body.get(key)
        if not isinstance(probe, dict):
            continue
        budget = _budget(probe)
        if budget is not None and budget < cold_boot:
            hint = "" if key == "startupProbe" else " (no startupProbe, so liveness restarts it)"
            yield finding(
                ID, LEVEL, document,
                f"{container.label}: {key} budget {budget}s (initialDelaySeconds + failureThreshold × "
                f"periodSeconds) is below the cold boot of {cold_boot}s{hint}",
                *container.path, key,
            )
    if document.kind == "Deployment":
        deadline = get(document.body, "spec", "progressDeadlineSeconds")
        deadline = deadline if isinstance(deadline, int) else DEFAULT_PROGRESS_DEADLINE
        if deadline <= cold_boot:
            yield finding(
                ID, LEVEL, document,
                f"progressDeadlineSeconds {deadline}s is not above the cold boot of {cold_boot}s: "
                "the rollout would be marked failed while the pod boots",
                "spec", "progressDeadlineSeconds",
            )


def _cold_boot(document: Document, context: RuleContext) -> int | Finding | None:
    annotated = annotations(document).get(COLD_BOOT_ANNOTATION)
    if annotated is not None:
        text = str(annotated).strip()
        if not text.isdigit():
            return finding(
                ID, LEVEL, document,
                f"{COLD_BOOT_ANNOTATION} must be a whole number of seconds, not {text!r}",
                "metadata", "annotations", COLD_BOOT_ANNOTATION,
            )
        return int(text)
    return context.settings.cold_boot_seconds.get(document.name)


def _budget(probe: dict) -> int | None:
    values = []
    for key, default in (("initialDelaySeconds", 0), ("failureThreshold", 3), ("periodSeconds", 10)):
        value = probe.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            return None  # a wrong type is the schema check's to report
        values.append(value)
    delay, threshold, period = values
    return delay + threshold * period
