"""Containers request cpu and memory and set a memory limit.

Checks every container and init container of a workload for
`resources.requests.cpu`, `resources.requests.memory` and
`resources.limits.memory`. A request left out where the limit is set passes:
the API server copies the limit into the request.

Why: the scheduler places pods by their requests and the HPA scales on cpu
utilisation of the request; without a memory limit one leaking pod can take
the whole node (and every other service on it) down.

Passes:

    resources:
      requests: {cpu: 250m, memory: 256Mi}
      limits: {memory: 512Mi}

Fails:

    resources:
      requests: {cpu: 250m}

Opt out: annotate the workload with `hdgen.io/ignore-HD006: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding, mapping
from hdgen.rules._shared.workloads import containers

ID = "HD006"
NAME = "resources"
LEVEL = Level.ERROR


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    for container in containers(document):
        requests = mapping(container.body, "resources", "requests")
        limits = mapping(container.body, "resources", "limits")
        missing = [f"requests.{r}" for r in ("cpu", "memory") if requests.get(r) is None and limits.get(r) is None]
        if limits.get("memory") is None:
            missing.append("limits.memory")
        if missing:
            yield finding(
                ID, LEVEL, document,
                f"{container.label}: no resources {', '.join(missing)}: the scheduler and HPA need requests, "
                "and a memory limit keeps a leak from taking the node",
                *container.path, "resources" if container.body.get("resources") is not None else "name",
            )
